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
	refusedLater(t, "found_elisp_edits_later_block_plain", elisp, "found-later\n", "the block at line 14 of its Org buffer", "a block of the document")
}

// TestFoundEmacsLispNoEmacsHeaderLineLaterBlock: as
// TestFoundEmacsLispNoEmacsEditsLaterBlock, the Emacs Lisp block found
// inserting a `#+header: :var who="edited"` line above the later block,
// whose own text stays as submitted (its mark not changed), which Emacs
// runs with it (`: later edited`, found_elisp_edits_later_header_line.org
// of internal/plan): refused, the error naming the line inserted.
func TestFoundEmacsLispNoEmacsHeaderLineLaterBlock(t *testing.T) {
	const elisp = "#+begin_src emacs-lisp\n(save-excursion (goto-char (point-max)) (search-backward \"#+begin_src sh :results output\") (insert \"#+header: :var who=\\\"edited\\\"\\n\"))\n#+end_src\n"
	refusedLater(t, "found_elisp_edits_later_header_line", elisp, "later as submitted\n", "line 14 of its Org buffer", "changed the text there")
}

// refusedLater runs fixture (of internal/plan: block-1 a raw block
// printing elisp, block-2 a later block ending with laterOut) with the
// Emacs Lisp block found run in a real Emacs, whichever ends first, the
// later block or it, and wants the results document refused with an
// error wrapping ErrFoundMarkNotFound that says line and why, never
// another document than Emacs's.
func refusedLater(t *testing.T, fixture, elisp, laterOut, line, why string) {
	t.Helper()
	for _, laterFirst := range []bool{false, true} {
		name := "found_first"
		if laterFirst {
			name = "later_first"
		}
		t.Run(name, func(t *testing.T) {
			doc, want := fixtureAndRef(t, fixture)
			_, rb, e, _, id := submitOnDisk(t, doc)
			em := newEmacsRunner(t, rb)
			if laterFirst {
				finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), laterOut)
			}
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), elisp)
			runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1})
			if !laterFirst {
				finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), laterOut)
			}
			waitDocumentFinished(t, e, id)
			err := resultDocumentErr(t, e, id, want)
			if err == nil {
				return
			}
			if !errors.Is(err, org.ErrFoundMarkNotFound) || !strings.Contains(err.Error(), line) || !strings.Contains(err.Error(), why) {
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

// A found Emacs Lisp block that sets Babel's defaults (here sh's, a :var
// the later block then reads) in a document with no Emacs Lisp block of
// its own: Emacs runs the later block with them, Borges planned it with
// Org's own. The document is refused, never written with the block's
// results as submitted.
func TestFoundEmacsLispNoEmacsSetsDefaults(t *testing.T) {
	const elisp = "#+begin_src emacs-lisp\n(setq org-babel-default-header-args:sh (list (cons :var \"who=\\\"edited\\\"\")))\n#+end_src\n"
	refusedLater(t, "found_elisp_sets_defaults", elisp, "plain unset\n", "default header arguments", "runs the blocks after it")
}
