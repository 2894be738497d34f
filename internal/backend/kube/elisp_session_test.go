package kube

import (
	"context"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// TestEmacsLispSessionPod: the document's Emacs runs in one pod: a block
// sees what the one before it defined, a block that signals an error
// fails without ending the pod's Emacs.
func TestEmacsLispSessionPod(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	b, client, k, u, _ := fakeSessions(t, "borges-test-el")
	ctx := context.Background()
	inEmacs := func(t *plan.Task) {
		t.Lang, t.ValueFile = "emacs-lisp", true
		t.Session.Value, t.Session.Command = true, session.Command(session.Emacs, "", []string{emacs})
	}
	const sid = "d/emacs:/1"
	attempts := []*engine.Attempt{
		sessionAttempt("d.1-defs.0.1", sid, session.Emacs, "(defun borges-kube-double (n) (* 2 n))\n\"ok\"", inEmacs),
		sessionAttempt("d.2-bad.0.1", sid, session.Emacs, "(car 5)", inEmacs),
		sessionAttempt("d.3-use.0.1", sid, session.Emacs, "(number-to-string (borges-kube-double 21))", inEmacs),
	}
	var ends []engine.Update
	for _, a := range attempts {
		if err := b.Launch(ctx, a); err != nil {
			t.Fatal(err)
		}
		ends = append(ends, u.ended(t, a.ID))
	}
	if ends[0].State != engine.Finished || ends[2].State != engine.Finished {
		t.Fatalf("%+v", ends)
	}
	if ends[1].State != engine.Failed || ends[1].Message != "Emacs Lisp error: Wrong type argument: listp, 5" {
		t.Fatalf("the failing block: %+v", ends[1])
	}
	if got := readAll(t, b, attempts[2].ID, "value"); got != "42" {
		t.Fatalf("value %q", got)
	}
	// A block that leaves a report of the document's buffer (here a
	// report function of its own) has it kept beside its value.
	report := sessionAttempt("d.4-edit.0.1", sid, session.Emacs, "(defun borges--report () \"0\\nthe buffer\") \"ok\"", inEmacs)
	if err := b.Launch(ctx, report); err != nil {
		t.Fatal(err)
	}
	if end := u.ended(t, report.ID); end.State != engine.Finished {
		t.Fatalf("the reporting block: %+v", end)
	}
	if got := readAll(t, b, report.ID, session.BufferFile); got != "0\nthe buffer" {
		t.Fatalf("buffer report %q", got)
	}
	if n := len(k.pods()); n != 1 {
		t.Fatalf("%d pods, want one", n)
	}
	b.CloseSession(ctx, sid)
	untilNoLivePods(t, client)
}
