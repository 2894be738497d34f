package session

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestEmacsSession: the document's Emacs keeps what its blocks define
// (defun, setq, defvar, require) from request to request; each request's
// value is the text its last form returns, bytes as UTF-8; what a block
// prints is its transcript; an error fails the block (ErrSignalled) and
// the Emacs goes on with what was defined before it.
func TestEmacsSession(t *testing.T) {
	c := start(t, Emacs, "", "emacs")
	steps := []struct {
		body, want, transcript string
		signalled              bool
	}{
		{body: "(defun borges-test-double (n) (* 2 n))\n(setq borges-test-x 21)\n\"defined\"", want: "defined"},
		{body: "(defvar borges-test-name \"héllo → wörld\")\n(require 'subr-x)\n(string-trim \"  t  \")", want: "t"},
		{body: ";; a comment at the end\n(format \"%d %s\" (borges-test-double borges-test-x) borges-test-name) ; here", want: "42 héllo → wörld"},
		{body: "(princ \"printed\")\n(message \"said\")\n\"value\"", want: "value", transcript: "printed"},
		{body: "(setq borges-test-x 1)\n(error \"Boom: %d\" borges-test-x)", signalled: true, transcript: "Boom: 1"},
		{body: "(number-to-string (borges-test-double borges-test-x))", want: "2"},
		{body: "(string 0 10 30 30)", want: "\x00\n\x1e\x1e"},
	}
	for _, s := range steps {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		reply, err := c.Eval(ctx, Request{Body: s.body, Value: true})
		cancel()
		if s.signalled {
			if !errors.Is(err, ErrSignalled) {
				t.Fatalf("%q: want ErrSignalled, got %v (reply %+v)", s.body, err, reply)
			}
		} else if err != nil {
			t.Fatalf("%q: %v", s.body, err)
		}
		if reply.Result != s.want {
			t.Errorf("%q: result %q, want %q", s.body, reply.Result, s.want)
		}
		if !strings.Contains(reply.Transcript, s.transcript) {
			t.Errorf("%q: transcript %q, want it to hold %q", s.body, reply.Transcript, s.transcript)
		}
	}
}

// TestRunBlockSignalled: an Emacs Lisp block that signals an error fails
// (Signalled, its message said), its transcript is written, and its Emacs
// is not stopped: the next block sees what the blocks before it defined.
func TestRunBlockSignalled(t *testing.T) {
	c := start(t, Emacs, "", "emacs")
	ended := make(chan struct{})
	run := func(body string) (Outcome, *Output, []OutcomeKind) {
		var wrote *Output
		var stops []OutcomeKind
		o := RunBlock(context.Background(), BlockRun{
			Request: Request{Body: body, Value: true},
			Kind:    Emacs,
			Stopped: "its session's interpreter is stopped",
			Conn:    func() *Conn { return c },
			Ended:   ended,
			Exit:    func() string { return "" },
			Killed:  func() bool { return false },
			Stop:    func(why OutcomeKind) { stops = append(stops, why) },
			Write:   func(o Output) error { wrote = &o; return nil },
		})
		return o, wrote, stops
	}
	if o, out, _ := run("(setq borges-test-kept 5)\n\"ok\""); o.Kind != Finished || out == nil || out.Value != "ok" || !out.IsValue {
		t.Fatalf("first block: %+v, wrote %+v", o, out)
	}
	o, out, stops := run("(princ \"before\")\n(car borges-test-kept)")
	if o.Kind != Signalled || o.Message != "Emacs Lisp error: Wrong type argument: listp, 5" {
		t.Errorf("got %v %q", o.Kind, o.Message)
	}
	if out == nil || out.IsValue || !strings.Contains(out.Stdout, "before") || !strings.Contains(out.Transcript, "Wrong type argument: listp, 5") {
		t.Errorf("wrote %+v", out)
	}
	if len(stops) != 0 {
		t.Errorf("stopped for %v", stops)
	}
	if o, out, _ := run("(number-to-string borges-test-kept)"); o.Kind != Finished || out == nil || out.Value != "5" {
		t.Fatalf("block after the error: %+v, wrote %+v", o, out)
	}
}
