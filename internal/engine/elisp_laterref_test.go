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
// buffer holds it, and the blocks after it run.
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
	launched := map[string]int{}
	// Every launch answered (a, w, b and a run of a for the submitted
	// reference at most): bounded, polls for at most a minute.
	const maxPolls = 12000
	seen := 1
	for polls := 0; ; polls++ {
		if polls >= maxPolls {
			t.Fatalf("after %d polls, launches %v and the document not ended", polls, launched)
		}
		if d, _ := e.Document(id); d != nil && d.State != Running && d.State != Queued {
			break
		}
		l := rb.launches()
		if len(l) <= seen {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		for _, a := range l[seen:] {
			launched[a.Block]++
			rb.setOutput(a.ID, a.Block+"\n")
			finish(rb.fakeBackend, a, Finished, 0)
		}
		seen = len(l)
	}
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
	for _, n := range []string{"a", "w", "b"} {
		if launched[n] != 1 {
			t.Errorf("%s launched %d times (%v), want once", n, launched[n], launched)
		}
	}
}
