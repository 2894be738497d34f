package session

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
)

// irbOnTerminal runs irb as inf-ruby runs it, on a terminal set as
// Emacs sets one, sends it input as comint does (through the terminal's
// line discipline, in one write) and returns what it printed up to the
// first match of until, or up to its end (ended set).
func irbOnTerminal(t *testing.T, input string, until *regexp.Regexp) (out string, ended bool) {
	t.Helper()
	irb := outside.Need(t, "ruby", "irb")
	dir := t.TempDir()
	tty := proctest.StartOnTerminal(t, dir, append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "LANG=C.UTF-8"}, Env()...),
		[]string{irb, "--prompt", "default", "-r", "irb/completion", "--noreadline", "--nomultiline"})
	if _, err := io.WriteString(tty, input); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type chunk struct {
		b   []byte
		err error
	}
	chunks := make(chan chunk)
	go func() {
		for {
			b := make([]byte, 4096)
			n, err := tty.Read(b)
			select {
			case chunks <- chunk{b[:n], err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	var b bytes.Buffer
	for !until.Match(b.Bytes()) {
		select {
		case c := <-chunks:
			b.Write(c.b)
			if c.err != nil {
				return b.String(), true
			}
		case <-ctx.Done():
			t.Fatalf("irb did not print %s: %q", until, b.String())
		}
	}
	return b.String(), false
}

// TestRubyLinesAsOnTerminal: a Ruby session's block reaches irb as
// inf-ruby sends it in Emacs, through the terminal's line discipline: a
// line keeps its first 4095 bytes and its newline (the rest is lost),
// and a carriage return is read as a newline; a cut that splits a
// character leaves bytes that are not UTF-8, on which irb 1.4.1 fails and
// ends (in Emacs, which then waits for ob-ruby's end marker forever;
// here the block fails). What irb run directly on
// such a terminal makes of the same lines is the reference: the host
// reads blocks with the line discipline off, and gives irb the lines the
// terminal would have. Both run in the UTF-8 locale of the differential
// tests.
func TestRubyLinesAsOnTerminal(t *testing.T) {
	if _, err := exec.LookPath("ruby"); err != nil {
		outside.Need(t, "ruby", "ruby")
	}
	for _, c := range []struct {
		name, body string
		want       string
	}{
		// "x = 0" and 818 ";x+=1" are 4095 bytes: the cut keeps them.
		{"a line of 5005 bytes", "x = 0" + strings.Repeat(";x+=1", 1000), "818"},
		{"a line of 4095 bytes", "x = 0" + strings.Repeat(";x+=1", 818), "818"},
		{"a line of 4100 bytes", "x = 0" + strings.Repeat(";x+=1", 819), "818"},
		{"a line of 4090 bytes", "x = 0" + strings.Repeat(";x+=1", 817), "817"},
		{"a carriage return", "x = 1\rx += 2", "3"},
		{"a character cut", "x = 0" + strings.Repeat(";x+=1", 816) + " # " + strings.Repeat("é", 10), ""},
		{"characters kept whole", "x = 0" + strings.Repeat(";x+=1", 816) + " #" + strings.Repeat("é", 10), "816"},
	} {
		t.Run(c.name, func(t *testing.T) {
			printed := regexp.MustCompile(`x=(\d+)\.\n`)
			out, ended := irbOnTerminal(t, c.body+"\nputs \"x=#{x}.\"\n", printed)
			if ended != (c.want == "") {
				t.Fatalf("irb on a terminal: ended %v, want %v: %q", ended, c.want == "", out)
			}
			if m := printed.FindStringSubmatch(out); !ended && m[1] != c.want {
				t.Fatalf("irb on a terminal: x=%s, want %s", m[1], c.want)
			}
			dir := t.TempDir()
			tty := proctest.StartOnTerminal(t, dir, append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "LANG=C.UTF-8"}, Env()...), Command(Ruby, "", []string{"ruby"}))
			s := NewConn(Ruby, tty, tty)
			if c.want == "" {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				if _, err := s.Eval(ctx, Request{Body: c.body + "\nx", Value: true}); !errors.Is(err, ErrEnded) {
					t.Fatalf("got %v, want irb to end", err)
				}
				return
			}
			if got := eval(t, s, Request{Body: c.body + "\nx", Value: true}); got != c.want {
				t.Errorf("value: got %q, want %q (as irb on a terminal)", got, c.want)
			}
			if got := eval(t, s, Request{Body: c.body + "\nputs x"}); got != c.want {
				t.Errorf("output: got %q, want %q (as irb on a terminal)", got, c.want)
			}
		})
	}
}
