package engine

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// TestFoundRefusalNotedAtEnd: a document whose results document Borges
// refuses (org.ErrFoundMarkNotFound: an Emacs Lisp block found in
// results, in a document with no Emacs Lisp block of its own, put a block
// after stale results of a later block, where the search of the results
// written keys the block found in that block's new results;
// found_elisp_no_emacs_edits_stale_after.org of internal/plan) says so in
// its notes once its last task has ended, before anyone asks for the
// document, so that its status shows why at once. The notes and the
// results document agree: the note is there exactly when the document is
// refused.
func TestFoundRefusalNotedAtEnd(t *testing.T) {
	e, id, want := runFoundRefused(t)
	noted := waitRefusalNoted(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	switch {
	case errors.Is(err, org.ErrFoundMarkNotFound) && !noted:
		t.Fatalf("the results document is refused (%v), and the document's notes did not say so before it was asked for", err)
	case errors.Is(err, org.ErrFoundMarkNotFound) && !strings.Contains(err.Error(), refusedLine):
		t.Errorf("not the error of the block put in the old results: %v", err)
	case err == nil && noted:
		t.Errorf("the notes say the results document is refused, and it was written")
	case err == nil && got != want:
		t.Errorf("a document other than Emacs's written, with no error:\n%s\nwant:\n%s", got, want)
	case err != nil && !errors.Is(err, org.ErrFoundMarkNotFound):
		t.Fatal(err)
	}
}

// refusedLine is where the block an Emacs Lisp block found in results
// put after the stale results of a later block is, in runFoundRefused's
// document.
const refusedLine = "the block at line 19 of its Org buffer"

// runFoundRefused runs found_elisp_no_emacs_edits_stale_after.org of
// internal/plan, whose results document Borges refuses (an Emacs Lisp
// block found in results puts a block after stale results of a later
// block, where the search of the results written keys the block found
// in that block's new results), until its document has finished: the
// engine, the document's id and Emacs's document. The shell blocks print
// what they echo, the raw ones the blocks they print.
func runFoundRefused(t *testing.T) (*Engine, string, string) {
	t.Helper()
	_, _, e, _, id, want := runFoundRawThenEchoes(t, "found_elisp_no_emacs_edits_stale_after", "#+begin_src emacs-lisp\n(save-excursion (goto-char (point-max)) (search-backward \"Text after.\\n\") (delete-region (point) (point-max)) (insert \"#+RESULTS:\\nstale\\n#+begin_src sh\\necho stale\\n#+end_src\\n\"))\n#+end_src\n")
	return e, id, want
}

// runFoundRawThenEchoes submits internal/plan's fixture to an engine
// storing in a new directory (submitOnDisk): its first raw block
// (block-1) prints first, an Emacs Lisp block run in real Emacs, its
// second (block-2) the shell block `echo found-later`, and every other
// block launched prints what it echoes, until the document has
// finished. It returns what submitOnDisk does and Emacs's document.
func runFoundRawThenEchoes(t *testing.T, fixture, first string) (dir string, rb *reportBackend, e *Engine, stop func(), id, want string) {
	t.Helper()
	doc, want := fixtureAndRef(t, fixture)
	dir, rb, e, stop, id = submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), first)
	runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1})
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "#+begin_src sh\necho found-later\n#+end_src\n")
	finishEchoes(t, e, rb, id, map[string]bool{"block-1": true, "block-1-found-1": true, "block-2": true}, 0)
	return dir, rb, e, stop, id, want
}

// finishEchoes finishes every launch of document id from the from-th
// but those of skip, each printing the word its script echoes, until the
// document has finished (bounded).
func finishEchoes(t *testing.T, e *Engine, rb *reportBackend, id string, skip map[string]bool, from int) {
	t.Helper()
	done := map[string]bool{}
	for range 4000 {
		for _, a := range rb.launches()[from:] {
			if !skip[a.Block] && !done[a.ID] {
				done[a.ID] = true
				_, word, _ := strings.Cut(a.Script, "echo ")
				word, _, _ = strings.Cut(word, "\n")
				finishLaunch(rb.fakeBackend, a, word+"\n")
			}
		}
		if d, _ := e.Document(id); d != nil && d.State == Finished {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("document %s has not finished", id)
}

// refusalNoted is whether the notes of document id say that its results
// document is refused for the block refusedLine names.
func refusalNoted(t *testing.T, e *Engine, id string) bool {
	t.Helper()
	v, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range v.Notes {
		if strings.Contains(n, "results document is not written") && strings.Contains(n, refusedLine) {
			return true
		}
	}
	return false
}

// waitRefusalNoted is refusalNoted, waited for (bounded): the end check
// runs off the lock once the document has ended.
func waitRefusalNoted(t *testing.T, e *Engine, id string) bool {
	t.Helper()
	return waitNoted(t, e, id, refusedLine)
}

// TestFoundRefusalClearedAtRestart: a document whose results document is
// refused, and noted so, is restarted at the block whose results had the
// Emacs Lisp block found in them, which now writes plain text: once it
// has run again, its notes say nothing of the refusal of the run before,
// and its results document is written.
func TestFoundRefusalClearedAtRestart(t *testing.T) {
	e, id, _ := runFoundRefused(t)
	if !waitRefusalNoted(t, e, id) {
		t.Fatal("the refusal is not noted at the document's end")
	}
	rb := e.backend.(*reportBackend)
	from := len(rb.launches())
	if err := e.RestartBlock(context.Background(), id, "block-1"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 2), "plain\n")
	// block-2-found-1 runs now too when the first run, taking the Emacs
	// Lisp block's end while block-2 still ran, kept it unrun under the
	// key of block-4, which that Emacs marks (keyIsTaken): whatever the
	// restart launches past block-1 prints what it echoes.
	finishEchoes(t, e, rb, id, map[string]bool{"block-1": true}, from)
	if refusalNoted(t, e, id) {
		t.Errorf("run again with nothing found in its results, the document's notes still say its results document is refused")
	}
	if _, err := e.ResultDocument(context.Background(), id); err != nil {
		t.Errorf("run again with nothing found in its results: %v", err)
	}
}

// TestFoundRefusalNotedNotAfterRestart: a write-back made of the
// document as it was before a restart (resultDocument, off the lock)
// notes nothing once it ends: the refusal it finds is of the run before,
// and the document, restarted, would show it during its new run.
func TestFoundRefusalNotedNotAfterRestart(t *testing.T) {
	e, id, _ := runFoundRefused(t)
	if !waitRefusalNoted(t, e, id) {
		t.Fatal("the refusal is not noted at the document's end")
	}
	// This test's write-back alone: the end check (its loop idle, the
	// document's end checked) takes no more documents.
	e.mu.Lock()
	e.endChecks = nil
	e.mu.Unlock()
	var restarted atomic.Bool
	afterWriteBackSnapshot = func(e *Engine, doc string) {
		if doc != id || !restarted.CompareAndSwap(false, true) {
			return
		}
		if err := e.RestartBlock(context.Background(), id, "block-1"); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(func() { afterWriteBackSnapshot = nil })
	_, err := e.ResultDocument(context.Background(), id)
	if !restarted.Load() {
		t.Fatal("the write-back made no snapshot of the document")
	}
	if !errors.Is(err, org.ErrFoundMarkNotFound) {
		t.Fatalf("the write-back of the document before its restart: %v, not its refusal", err)
	}
	if refusalNoted(t, e, id) {
		t.Errorf("restarted during a write-back of the run before, the document's notes say its results document is refused")
	}
}

// TestFoundRefusalNotedAfterTouch: the end check's write-back, the
// document touched meanwhile (a report read again, say: docChanged) with
// its end the same, finds nothing it may note (noteWriteBack); the end
// is checked again, not taken as checked, so that the refusal is noted
// at once all the same.
func TestFoundRefusalNotedAfterTouch(t *testing.T) {
	var touched atomic.Bool
	afterWriteBackSnapshot = func(e *Engine, id string) {
		if !touched.CompareAndSwap(false, true) {
			return
		}
		if ds, err := e.lockedDoc(id); err == nil {
			e.docChanged(ds)
			e.mu.Unlock()
		}
	}
	t.Cleanup(func() { afterWriteBackSnapshot = nil })
	e, id, _ := runFoundRefused(t)
	if !waitRefusalNoted(t, e, id) {
		t.Fatal("the document touched during the end check's write-back, its refusal is not noted")
	}
	if !touched.Load() {
		t.Fatal("no write-back at the document's end")
	}
}
