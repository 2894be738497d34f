package engine

import (
	"context"
	"strings"
	"testing"
)

// TestFoundPutInTakenOver: a block found in results before the reading
// of a Python block's output by the document's Emacs, a task that needs
// no Emacs for a value it can read itself and does not run, has its
// results put in that Emacs's buffer by the task of it that runs next
// (the Emacs Lisp block after them), which takes over the reading's
// buffer work, as it takes over the results that reading was to put in:
// the Emacs Lisp block sees them, as it does in Emacs (checked with
// Emacs 28.2: found_before_skipped_reading.org of internal/plan).
func TestFoundPutInTakenOver(t *testing.T) {
	doc := "#+begin_src sh :results code\necho 'echo found'\n#+end_src\nText.\n\n" +
		"#+begin_src python\nreturn 1\n#+end_src\n\n" +
		"#+begin_src emacs-lisp\n(count-matches \"^: found\" (point-min) (point-max))\n#+end_src\n"
	_, rb, e, _, id := submitOnDisk(t, doc)
	// In Emacs's order: the writer, the block found, the Python block,
	// the Emacs Lisp block.
	fb := rb.fakeBackend
	finishOf := func(n int, block, out string) {
		t.Helper()
		for _, a := range waitLaunches(t, fb, n) {
			if a.Block == block {
				fb.setOutput(a.ID, out)
				finish(fb, a, Finished, 0)
				return
			}
		}
		t.Fatalf("no launch of %s", block)
	}
	finishOf(2, "block-1", "echo found\n")
	finishOf(3, "block-1-found-1", "found\n")
	finishOf(3, "block-2", "1")
	finishOf(4, "block-3", "1")
	waitDocumentFinished(t, e, id)
	var script string
	for _, l := range rb.launches() {
		if strings.Contains(l.Script, "count-matches") {
			script = l.Script
		}
	}
	if !strings.Contains(script, "(borges--found-mark ") || !strings.Contains(script, "#+RESULTS:\n: found\n") {
		t.Errorf("the Emacs Lisp block does not mark the block found and put its results in its buffer:\n%s", script)
	}
	if _, err := e.ResultDocument(context.Background(), id); err != nil {
		t.Fatal(err)
	}
}
