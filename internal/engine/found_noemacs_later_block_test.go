package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// An Emacs Lisp block found in results, in a document with no Emacs Lisp
// block of its own, changes a later block of the document before
// org-babel-execute-buffer comes to it (`echo found-later` to `echo
// edited-later`), which Emacs then runs as changed (`: edited-later`,
// found_elisp_edits_later_block_plain.org of internal/plan, checked with
// Emacs 28.2). Borges runs the document's blocks as submitted: the
// document is never written with the results of `echo found-later`
// under `echo edited-later`, but refused with an error naming the
// block's line, whichever ends first, the later block or the Emacs Lisp
// block found.
func TestFoundEmacsLispNoEmacsEditsLaterBlock(t *testing.T) {
	const elisp = "#+begin_src emacs-lisp\n(save-excursion (goto-char (point-max)) (search-backward \"echo found-later\") (replace-match \"echo edited-later\"))\n#+end_src\n"
	for _, laterFirst := range []bool{false, true} {
		name := "found_first"
		if laterFirst {
			name = "later_first"
		}
		t.Run(name, func(t *testing.T) {
			doc, want := fixtureAndRef(t, "found_elisp_edits_later_block_plain")
			_, rb, e, _, id := submitOnDisk(t, doc)
			em := newEmacsRunner(t, rb)
			if laterFirst {
				finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "found-later\n")
			}
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), elisp)
			runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1})
			if !laterFirst {
				finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "found-later\n")
			}
			waitDocumentFinished(t, e, id)
			err := resultDocumentErr(t, e, id, want)
			if err == nil {
				return
			}
			const line = "the block at line 14 of its Org buffer"
			if !errors.Is(err, org.ErrFoundMarkNotFound) || !strings.Contains(err.Error(), line) || !strings.Contains(err.Error(), "a block of the document") {
				t.Errorf("not the error of the later block changed: %v", err)
			}
		})
	}
}

// TestFoundEmacsLispNoEmacsEditsEarlierBlock: an Emacs Lisp block found
// in results, in a document with no Emacs Lisp block of its own, changes
// an earlier block of the document, which has run and which Emacs does
// not run again (found_elisp_edits_earlier_block.org of internal/plan):
// the document is written as Emacs writes it, the block as changed over
// its results of before.
func TestFoundEmacsLispNoEmacsEditsEarlierBlock(t *testing.T) {
	doc, want := fixtureAndRef(t, "found_elisp_edits_earlier_block")
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), "earlier\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "#+begin_src emacs-lisp\n(save-excursion (goto-char (point-min)) (search-forward \"echo earlier\") (replace-match \"echo edited-earlier\"))\n#+end_src\n")
	runFoundInEmacs(t, em, rb, foundRun{"block-2-found-1", 1})
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-3", 1), "later\n")
	finishedAs(t, e, rb.fakeBackend, id, want, 4)
}
