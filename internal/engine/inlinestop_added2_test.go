package engine

import (
	"context"
	"strings"
	"testing"
)

// TestAddedInlineStopAtEnd: an Emacs Lisp block adds two inline blocks
// after the last block of the submitted document; the first's value
// Babel refuses inline, so Emacs stops there, at the end of the
// document, and never runs the second.
func TestAddedInlineStopAtEnd(t *testing.T) {
	doc := "#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n" +
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\nPLACE HERE\n"
	e, rb, id := submitToReport(t, doc)
	addTwoInline(t, rb, doc)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "1\n2\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	inline2Held(t, e, rb, id, 11)
}

// TestAddedInlineStopAdderAddsNothing: the Emacs Lisp block that added
// the inline block whose value stopped the document runs again and adds
// nothing: the stop is lifted and block after runs.
func TestAddedInlineStopAdderAddsNothing(t *testing.T) {
	e, rb, id := stoppedThenRestart(t, "adder")
	a2 := launchOf(t, rb.fakeBackend, "adder", 2)
	rb.rmu.Lock()
	rb.reports[a2.ID] = addedReport(t, addedInlineDoc, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var"})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, a2, Finished, 0)
	afterRuns(t, e, rb, id, "the adder ran again and added nothing")
}

// TestAddedInlineStopAdderSame: the Emacs Lisp block runs again and adds
// the same inline block: it is not run again (its value is the same) and
// its stop still holds block after.
func TestAddedInlineStopAdderSame(t *testing.T) {
	e, rb, id := stoppedThenRestart(t, "adder")
	reportAdded(t, rb, launchOf(t, rb.fakeBackend, "adder", 2), "src_sh[:results output]{echo 1; echo 2}")
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt) || !strings.Contains(m, "for block inline-1") {
		t.Errorf("after: %q, want held by inline-1's stop", m)
	}
	n := 0
	for _, a := range rb.launches() {
		if a.Block == "inline-1" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("inline-1 launched %d times, want once: added again the same, its value is the same", n)
	}
}

// TestAddedInlineStopAdderSameElsewhere: the Emacs Lisp block runs again
// and adds the same inline block, now after block after, at the end of
// the document: its value is the same, refused there, so Emacs stops at
// the end, having run after. The stop moves with the block, and after,
// which it held where it stood before, runs.
func TestAddedInlineStopAdderSameElsewhere(t *testing.T) {
	for _, restart := range []bool{false, true} {
		dir, rb, e, stop, id := submitOnDisk(t, addedInlineDoc)
		addedStopped(t, e, rb, id)
		if err := e.RestartBlock(context.Background(), id, "adder"); err != nil {
			t.Fatal(err)
		}
		a2 := launchOf(t, rb.fakeBackend, "adder", 2)
		buffer := addedInlineDoc + "\nEND src_sh[:results output]{echo 1; echo 2}\n"
		rb.rmu.Lock()
		rb.reports[a2.ID] = addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var"}, markAt{at: "src_sh["})
		rb.rmu.Unlock()
		finish(rb.fakeBackend, a2, Finished, 0)
		if !restart {
			afterRuns(t, e, rb, id, "the adder added the same inline block after it")
			continue
		}
		// A server started again once after has run keeps the stop
		// where the block now stands: after stays as it ended.
		finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
		waitDocumentEnded(t, e, id)
		stop()
		e2, _ := startEngine(t, dir, rb, Config{})
		d := waitDocumentEnded(t, e2, id)
		if m, _ := blockMessage(d, "after"); m != "" {
			t.Errorf("after, over a server restart: %q, want run", m)
		}
		if want := "at the block at line 18, for block inline-1,"; len(d.Notes) != 1 || !strings.Contains(d.Notes[0], want) {
			t.Errorf("notes %q, want the stop at inline-1, at the end (line 18)", d.Notes)
		}
	}
}
