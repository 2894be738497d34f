package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestFoundEmacsLispNoEmacsEditsFoundBlock: an Emacs Lisp block found in
// results, in a document with no Emacs Lisp block of its own, changes
// the shell block found after it in the same results (`echo a` to `echo
// ab`), which Emacs runs as changed (found_elisp_no_emacs_edits_found_block.org
// of internal/plan, checked with Emacs 28.2). Borges runs the block as
// found in the results written: the document is not written, with an
// error saying the block was changed (not added) there, naming its line,
// and the document's notes say so, so that its status tells why its
// results document cannot be had.
func TestFoundEmacsLispNoEmacsEditsFoundBlock(t *testing.T) {
	e, id, want := runFoundBlockChanged(t)
	err := resultDocumentErr(t, e, id, want)
	if err == nil {
		return
	}
	const line = "the block at line 11 of its Org buffer"
	if !errors.Is(err, org.ErrFoundMarkNotFound) || !strings.Contains(err.Error(), line) || !strings.Contains(err.Error(), "changed it there") || strings.Contains(err.Error(), "added it") {
		t.Errorf("not the error of the block changed: %v", err)
	}
	v, verr := e.Document(id)
	if verr != nil {
		t.Fatal(verr)
	}
	noted := false
	for _, n := range v.Notes {
		noted = noted || strings.Contains(n, "results document") && strings.Contains(n, line)
	}
	if !noted {
		t.Errorf("no note of the document says why its results document is not written: %q", v.Notes)
	}
}

// runFoundBlockChanged runs found_elisp_no_emacs_edits_found_block.org
// (TestFoundEmacsLispNoEmacsEditsFoundBlock) until its document has
// finished: the engine, the document's id and Emacs's document.
func runFoundBlockChanged(t *testing.T) (*Engine, string, string) {
	t.Helper()
	doc, want := fixtureAndRef(t, "found_elisp_no_emacs_edits_found_block")
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), "#+begin_src emacs-lisp\n(save-excursion (search-forward \"echo a\\n\") (replace-match \"echo ab\\n\"))\n#+end_src\n#+begin_src sh\necho a\n#+end_src\n")
	runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1})
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1-found-2", 1), "a\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "#+begin_src sh\necho found-later\n#+end_src\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2-found-1", 1), "found-later\n")
	waitDocumentFinished(t, e, id)
	return e, id, want
}
