package engine

import (
	"testing"
	"time"
)

// TestFoundEmacsLispNoEmacsAddsBlock: an Emacs Lisp block found in
// results, in a document with no Emacs Lisp block of its own, adds a
// shell block at the end of the buffer, and no block is found after it
// (found_elisp_no_emacs_adds_block.org of internal/plan, checked with
// Emacs 28.2): Emacs runs the block added in its walk and writes its
// results under it. Borges adds it from the report of the Emacs the
// block found ran in (reportedEmacs), runs it, and writes the document
// as Emacs does, where it refused to write it (ErrFoundMarkNotFound).
func TestFoundEmacsLispNoEmacsAddsBlock(t *testing.T) {
	doc, want := fixtureAndRef(t, "found_elisp_no_emacs_adds_block")
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), "#+begin_src emacs-lisp\n(save-excursion (goto-char (point-max)) (insert \"\\n#+begin_src sh\\necho added\\n#+end_src\\n\"))\n#+end_src\n")
	runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1})
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "later\n")
	// The block added, whatever its name: the launch of none of those.
	var added *Attempt
	for range 2000 {
		for _, a := range rb.launches() {
			if a.Block != "block-1" && a.Block != "block-2" && a.Block != "block-1-found-1" {
				added = a
			}
		}
		if added != nil {
			break
		}
		if d, _ := e.Document(id); d != nil && d.State == Finished {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if added == nil {
		t.Fatal("the block the Emacs Lisp block found added was not launched")
	}
	finishLaunch(rb.fakeBackend, added, "added\n")
	waitDocumentFinished(t, e, id)
	if err := resultDocumentErr(t, e, id, want); err != nil {
		t.Fatalf("no results document: %v", err)
	}
}
