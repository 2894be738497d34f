package engine

import (
	"strings"
	"testing"
	"time"
)

// TestElispRefToLaterBlockFails: an Emacs Lisp block rewrites the
// referrer's :var x=a into :var x=b, b standing after the referrer and
// reading what a block between writes (plan testdata/
// rerun_elisp_ref_later_block.org, a known gap). Emacs runs b at the
// reference, before that block; Borges has no such run planned, and b's
// own run comes after the writer: the referrer is not launched (with b's
// own value, or none) but fails naming its line and the :var as the
// buffer holds it, and the blocks after it run. The run of a made for
// the reference as submitted is not launched: Emacs never makes it.
func TestElispRefToLaterBlockFails(t *testing.T) {
	const editor = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(ignore)\n#+end_src\n\n"
	rest := func(ref string) string {
		return "#+name: a\n#+begin_src sh\necho from-a\n#+end_src\n\n" +
			"#+name: ref\n#+begin_src sh :var x=" + ref + "\necho \"got [$x]\"\n#+end_src\n\n" +
			"#+name: w\n#+begin_src sh\necho written > fi.txt\n#+end_src\n\n" +
			"#+name: b\n#+begin_src sh\ncat fi.txt 2>/dev/null || echo none\n#+end_src\n"
	}
	e, rb, id := submitToReport(t, editor+rest("a"))
	ed := launchOf(t, rb.fakeBackend, "editor", 1)
	rb.rmu.Lock()
	rb.reports[ed.ID] = marksReport(t, editor+rest("b"), "", 2)
	rb.rmu.Unlock()
	finish(rb.fakeBackend, ed, Finished, 0)
	// Every launch after the editor answered: a, w and b, not the run
	// of a for the reference as submitted, which Emacs never makes.
	launched := answerLaunches(t, e, rb, id, 1, func(a *Attempt) string { return a.Block + "\n" })
	d := waitDocumentEnded(t, e, id)
	if launched["ref"] != 0 {
		t.Fatalf("ref launched (%v): Emacs runs b at the reference, before w; b's own run cannot give its value", launched)
	}
	v := blockViewNamed(d, "ref")
	if v.State != Failed || len(v.Instances) == 0 {
		t.Fatalf("ref: %+v", v)
	}
	msg := v.Instances[0].Message
	if !strings.Contains(msg, "line 11") || !strings.Contains(msg, ":var x=b") {
		t.Fatalf("ref's message %q does not name line 11 and :var x=b", msg)
	}
	if n := launched["ref :var x=a"]; n != 0 {
		t.Errorf("the run of a for ref's reference as submitted launched %d times (%v), want none", n, launched)
	}
	for _, n := range []string{"a", "w", "b"} {
		if launched[n] != 1 {
			t.Errorf("%s launched %d times (%v), want once", n, launched[n], launched)
		}
	}
}

// answerLaunches finishes every launch of document id past the first
// from, its output what answer gives, until the document has ended, and
// returns how many times each block was launched among them. Bounded:
// polls for at most a minute.
func answerLaunches(t *testing.T, e *Engine, rb *reportBackend, id string, from int, answer func(*Attempt) string) map[string]int {
	t.Helper()
	launched := map[string]int{}
	const maxPolls = 12000
	seen := from
	for polls := 0; ; polls++ {
		if polls >= maxPolls {
			t.Fatalf("after %d polls, launches %v and the document not ended", polls, launched)
		}
		if d, _ := e.Document(id); d != nil && d.State != Running && d.State != Queued {
			return launched
		}
		l := rb.launches()
		if len(l) <= seen {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		for _, a := range l[seen:] {
			launched[a.Block]++
			rb.setOutput(a.ID, answer(a))
			finish(rb.fakeBackend, a, Finished, 0)
		}
		seen = len(l)
	}
}
