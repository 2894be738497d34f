package engine

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// foundSameElisp is what block-1 of found_elisp_no_emacs_edits_same.org
// of internal/plan prints: the Emacs Lisp block that replaces the text
// after block-2 with old results holding the shell block block-2's new
// results hold.
const foundSameElisp = "#+begin_src emacs-lisp\n(save-excursion (goto-char (point-max)) (search-backward \"Text after.\\n\") (delete-region (point) (point-max)) (insert \"#+RESULTS:\\n#+begin_src sh\\necho found-later\\n#+end_src\\n\"))\n#+end_src\n"

// foundSameLater is what block-2 of that fixture prints.
const foundSameLater = "#+begin_src sh\necho found-later\n#+end_src\n"

// TestFoundAddedInOldResultsNotRun: in found_elisp_no_emacs_edits_same
// .org of internal/plan, the engine takes the end of the Emacs Lisp
// block found in block-1's results, which puts a shell block in
// block-2's old results (block-4, added to the buffer of the Emacs
// blocks found in results run in), while block-2 still runs. Emacs runs
// block-2 before it walks on to its results, whose new text replaces
// block-4: block-4 waits for block-2 and never launches, and the block
// found in block-2's new results (block-2-found-1), keyed past block-4's
// mark, runs once, as Emacs runs it; the document is written as Emacs
// writes it. Before, block-4 ran, and held the key of block-2-found-1,
// which never ran.
func TestFoundAddedInOldResultsNotRun(t *testing.T) {
	_, rb, e, _, id, want, owner := addedInOldResults(t)
	finishLaunch(rb.fakeBackend, owner, foundSameLater)
	foundOldResultsWritten(t, e, rb, id, want)
}

// addedInOldResults submits found_elisp_no_emacs_edits_same.org of
// internal/plan on disk (submitOnDisk), has block-1 print foundSameElisp
// and the block found in its results run in real Emacs while block-2
// runs, and waits (bounded) until block-4 is added. It returns what
// submitOnDisk does, Emacs's document and block-2's launch, running.
func addedInOldResults(t *testing.T) (dir string, rb *reportBackend, e *Engine, stop func(), id, want string, owner *Attempt) {
	t.Helper()
	doc, want := fixtureAndRef(t, "found_elisp_no_emacs_edits_same")
	dir, rb, e, stop, id, owner = addedInOldResultsOf(t, doc)
	return dir, rb, e, stop, id, want, owner
}

// addedInOldResultsOf is addedInOldResults for doc, a variant of that
// fixture, without Emacs's document.
func addedInOldResultsOf(t *testing.T, doc string) (dir string, rb *reportBackend, e *Engine, stop func(), id string, owner *Attempt) {
	t.Helper()
	dir, rb, e, stop, id = submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	owner = launchOf(t, rb.fakeBackend, "block-2", 1)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundSameElisp)
	runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1})
	waitBlockListed(t, e, id, "block-4", true)
	return dir, rb, e, stop, id, owner
}

// TestFoundAddedInOldResultsAfterOwner: the other order of
// TestFoundAddedInOldResultsNotRun's race, block-2 ending (its new
// results written, the block found in them launched) before the engine
// takes the end of the Emacs Lisp block found in block-1's results,
// which puts block-4 in block-2's old results in the buffer of the Emacs
// it ran in, where block-2's new results are not put in yet: block-4 is
// not run, and the block found in block-2's new results runs once, keyed
// past block-4's mark there; the document is written as Emacs writes it.
func TestFoundAddedInOldResultsAfterOwner(t *testing.T) {
	doc, want := fixtureAndRef(t, "found_elisp_no_emacs_edits_same")
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundSameElisp)
	found := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), foundSameLater)
	waitBlockListed(t, e, id, "block-2-found-1", true)
	if msg := em.run(found); msg != "" {
		t.Fatalf("block-1-found-1 signalled: %s", msg)
	}
	foundOldResultsWritten(t, e, rb, id, want)
}

// foundOldResultsWritten finishes every launch of document id but those
// of block-1, block-1-found-1 and block-2 (finishEchoes), and checks
// that block-4 never launched, block-2-found-1 launched once, and the
// results document is want.
func foundOldResultsWritten(t *testing.T, e *Engine, rb *reportBackend, id, want string) {
	t.Helper()
	finishEchoes(t, e, rb, id, map[string]bool{"block-1": true, "block-1-found-1": true, "block-2": true}, 0)
	if launchedBlock(rb, "block-4") {
		t.Errorf("block-4, put in block-2's old results, launched, where block-2's new results replace it: %v", launchedBlocks(rb.fakeBackend))
	}
	if n := countLaunches(rb, "block-2-found-1"); n != 1 {
		t.Errorf("block-2-found-1, found in block-2's new results, launched %d times, want once: %v", n, launchedBlocks(rb.fakeBackend))
	}
	// block-1, block-1-found-1, block-2, block-2-found-1.
	finishedAs(t, e, rb.fakeBackend, id, want, 4)
}

// TestFoundAddedInOldResultsServerRestarted: a server started again on
// the store of TestFoundAddedInOldResultsNotRun's document while block-4
// waits for block-2 (block-2 running) adds block-4 again from the report
// of the Emacs that added it, waiting for block-2 again: block-2 ends on
// the new server, block-4 never launches, block-2-found-1 runs once, and
// the document is written as Emacs writes it.
func TestFoundAddedInOldResultsServerRestarted(t *testing.T) {
	dir, rb, _, stop, id, want, owner := addedInOldResults(t)
	stop()
	e, _ := startEngine(t, dir, rb, Config{})
	waitBlockListed(t, e, id, "block-4", true)
	finishLaunch(rb.fakeBackend, owner, foundSameLater)
	foundOldResultsWritten(t, e, rb, id, want)
}

// TestFoundAddedInOldResultsNoBlock: found_elisp_no_emacs_edits_same_
// plain.org of internal/plan, TestFoundAddedInOldResultsNotRun's
// document with block-2 printing no block ("plain"): block-4, put in
// block-2's old results, waits for block-2 and never launches, and
// block-2's new results, which replace it, are written once, as Emacs
// writes them. Before, they were written twice.
func TestFoundAddedInOldResultsNoBlock(t *testing.T) {
	doc, _ := fixtureAndRef(t, "found_elisp_no_emacs_edits_same")
	doc = strings.Replace(doc, "printf '%s\\n' '#+begin_src sh' 'echo found-later' '#+end_src'\n", "echo plain\n", 1)
	first, rest, _ := strings.Cut(doc, "#+end_src\n")
	rest, _, _ = strings.Cut(rest, "Text after.\n")
	want := first + "#+end_src\n\n#+RESULTS:\n" + foundSameElisp + "\n#+RESULTS:\n\n" + rest + "#+RESULTS:\nplain\n"
	_, rb, e, _, id, owner := addedInOldResultsOf(t, doc)
	finishLaunch(rb.fakeBackend, owner, "plain\n")
	finishEchoes(t, e, rb, id, map[string]bool{"block-1": true, "block-1-found-1": true, "block-2": true}, 0)
	if launchedBlock(rb, "block-4") {
		t.Errorf("block-4, put in block-2's old results, launched, where block-2's new results replace it: %v", launchedBlocks(rb.fakeBackend))
	}
	// block-1, block-1-found-1, block-2.
	finishedAs(t, e, rb.fakeBackend, id, want, 3)
}

// TestFoundAddedInOldResultsContainerRefused: TestFoundAddedInOldResults
// NotRun's document with block-2 `:results drawer`, `append` or
// `prepend` (found_elisp_no_emacs_edits_same_drawer.org, _append.org,
// _prepend.org of internal/plan), whose results are not a plain
// #+RESULTS: replacing the old ones holding block-4: the results
// document is refused (org.ErrFoundMarkNotFound, naming block-4's line),
// as before the search from the report of the Emacs that added block-4
// went on past block-2's old results, never written wrong. Before, the
// drawer lost the results of the block found in it, and append and
// prepend wrote three copies of the block.
func TestFoundAddedInOldResultsContainerRefused(t *testing.T) {
	doc, _ := fixtureAndRef(t, "found_elisp_no_emacs_edits_same")
	for _, words := range []string{"drawer", "append", "prepend"} {
		t.Run(words, func(t *testing.T) {
			d := strings.Replace(doc, "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh'", "#+begin_src sh :results raw "+words+"\nprintf '%s\\n' '#+begin_src sh'", 1)
			if d == doc {
				t.Fatal("block-2's header not found")
			}
			_, rb, e, _, id, owner := addedInOldResultsOf(t, d)
			finishLaunch(rb.fakeBackend, owner, foundSameLater)
			finishEchoes(t, e, rb, id, map[string]bool{"block-1": true, "block-1-found-1": true, "block-2": true}, 0)
			waitDocumentFinished(t, e, id)
			got, err := e.ResultDocument(context.Background(), id)
			if !errors.Is(err, org.ErrFoundMarkNotFound) || !strings.Contains(err.Error(), "the block at line 18 of its Org buffer") {
				t.Errorf("want the refusal naming block-4's line, got error %v, document:\n%s", err, got)
			}
		})
	}
}

// TestFoundAddedInOldResultsOwnerFails: TestFoundAddedInOldResultsNotRun's
// document with block-2 printing its block and exiting 1
// (found_elisp_no_emacs_edits_same_fail.org of internal/plan): block-4,
// in block-2's old results, never launches, and the document is written,
// block-2's failure drawer (Borges's known form for a failing block,
// where Emacs writes an empty #+RESULTS:) in place of its old results,
// block-4 gone with them. Before, the document was refused.
func TestFoundAddedInOldResultsOwnerFails(t *testing.T) {
	doc, _ := fixtureAndRef(t, "found_elisp_no_emacs_edits_same")
	_, rb, e, _, id, owner := addedInOldResultsOf(t, doc)
	rb.setOutput(owner.ID, foundSameLater)
	finish(rb.fakeBackend, owner, Failed, 1)
	waitDocumentEnded(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatalf("the results document is refused: %v", err)
	}
	if launchedBlock(rb, "block-4") {
		t.Errorf("block-4, put in block-2's old results, launched: %v", launchedBlocks(rb.fakeBackend))
	}
	drawer := "'#+end_src'\n#+end_src\n#+RESULTS:\n:results:\nborges: failed — exit status 1\n" + foundSameLater + ":end:\n"
	if !strings.HasSuffix(got, drawer) || strings.Count(got, foundSameLater) != 1 {
		t.Errorf("block-2's failure drawer is not alone in place of its old results:\n%s", got)
	}
}
