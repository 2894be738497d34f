package engine

import (
	"context"
	"strings"
	"testing"
)

// TestFoundEmacsLispNoEmacsEditsFoundBlock: an Emacs Lisp block found in
// results, in a document with no Emacs Lisp block of its own, changes
// the shell block found after it in the same results (`echo a` to `echo
// ab`), which Emacs runs as changed (found_elisp_no_emacs_edits_found_block.org
// of internal/plan, checked with Emacs 28.2). The report of the Emacs it
// ran in marks that block otherwise than the search of the results
// written keys it: the search goes on from that report (foundfrom.go),
// the block found as it now stands runs, and the document is Emacs's,
// where Borges refused it (ErrFoundMarkNotFound).
func TestFoundEmacsLispNoEmacsEditsFoundBlock(t *testing.T) {
	e, id, want := runFoundBlockChanged(t)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil || got != want {
		t.Fatalf("%v:\n%s\nwant:\n%s", err, got, want)
	}
}

// foundBlockRaw is what the first block of
// found_elisp_no_emacs_edits_found_block.org prints: an Emacs Lisp block
// changing the shell block after it, `echo a` to `echo ab`.
const foundBlockRaw = "#+begin_src emacs-lisp\n(save-excursion (search-forward \"echo a\\n\") (replace-match \"echo ab\\n\"))\n#+end_src\n#+begin_src sh\necho a\n#+end_src\n"

// runFoundBlockChanged runs found_elisp_no_emacs_edits_found_block.org
// (TestFoundEmacsLispNoEmacsEditsFoundBlock) until its document has
// finished: the engine, the document's id and Emacs's document. The
// block found after the Emacs Lisp block prints what it echoes.
func runFoundBlockChanged(t *testing.T) (*Engine, string, string) {
	t.Helper()
	doc, want := fixtureAndRef(t, "found_elisp_no_emacs_edits_found_block")
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundBlockRaw)
	runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1})
	found := launchOf(t, rb.fakeBackend, "block-1-found-2", 1)
	if !strings.Contains(found.Script, "echo ab") {
		t.Fatalf("the block found runs as the results written hold it, not as the Emacs Lisp block left it:\n%s", found.Script)
	}
	finishLaunch(rb.fakeBackend, found, "ab\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "#+begin_src sh\necho found-later\n#+end_src\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2-found-1", 1), "found-later\n")
	waitDocumentFinished(t, e, id)
	return e, id, want
}
