package engine

import (
	"context"
	"strings"
	"testing"
)

// A block found in results that signals a Lisp error, standing in the
// Org buffer at a line past that of the document's block after it (the
// results hold lines of text before it): org-babel-execute-buffer stops
// at the block found, and the blocks after it in the document do not run
// (Emacs 28.2: found_stop_shifted.org of internal/plan). The stop is
// weighed where the block found stands among the document's blocks
// (addedBefore), not at its line of the buffer, nor moved to the block
// after it that takes its environment as if that block's reference ran
// it.

// foundShiftedDoc is found_stop_shifted.org: the block found is at line
// 13 of the buffer, the Emacs Lisp block after it at line 9 of the
// document.
const foundShiftedDoc = "A shell block :results raw whose results hold lines of text and then\n" +
	"an Emacs Lisp block that signals, before an Emacs Lisp block.\n\n" +
	"#+begin_src sh :results raw\nprintf '%s\\n' one two three four '#+begin_src emacs-lisp' '(car 1)' '#+end_src'\n#+end_src\nText right after.\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n" + afterBlock

// TestFoundStopShiftedHoldsLater: the block found signals; the Emacs
// Lisp block after it and the shell block after that are not run, and
// write no results, as in Emacs; the block found, and the notes, say it
// stopped the document at its own line of the buffer.
func TestFoundStopShiftedHoldsLater(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundShiftedDoc)
	raw := "one\ntwo\nthree\nfour\n#+begin_src emacs-lisp\n(car 1)\n#+end_src\n"
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), raw)
	signalled(rb, launchOf(t, rb.fakeBackend, "block-1-found-1", 1), "Wrong type argument: listp, 1")
	d := waitDocumentEnded(t, e, id)
	for _, b := range []string{"block-2", "after"} {
		if launchedBlock(rb, b) {
			t.Errorf("%s launched, though the block found before it stopped the document", b)
		}
	}
	// The block found is at line 13 of the buffer (its element, from
	// the #+begin_src: nothing stands above it).
	if msg := foundMessage(d, "block-1-found-1"); !strings.HasSuffix(msg, "stopped at this block, at line 13: Wrong type argument: listp, 1") {
		t.Errorf("the block found says %q, want the stop at its own line 13 of the buffer", msg)
	}
	wantNote(t, d, "stops this document at the block at line 13, for block block-1-found-1, an Emacs Lisp block that signalled an error")
	if msg := foundMessage(d, "block-2"); !strings.HasPrefix(msg, "not run: org-babel-execute-buffer stopped before it, at the block at line 13, for block block-1-found-1") {
		t.Errorf("block-2 says %q, want it not run, held by the stop at the block found", msg)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(foundShiftedDoc, "#+end_src\nText", "#+end_src\n\n#+RESULTS:\n"+raw+"\nText", 1); got != want {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
}
