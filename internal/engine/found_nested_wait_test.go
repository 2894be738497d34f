package engine

import (
	"strings"
	"testing"
	"time"
)

// nestedTextAfterOut is what each shell block of
// found_nested_elisp_text_after.org of internal/plan prints: block-1 a
// shell block (raw) whose output is an Emacs Lisp block setting borges-x,
// text after each; block-2, later, an Emacs Lisp block reading borges-x.
var nestedTextAfterOut = map[string]string{
	"block-1":         "#+begin_src sh :results raw\nprintf \"\\043+begin_src emacs-lisp\\n(setq borges-x 1)\\n\\043+end_src\\nafter inner\\n\"\n#+end_src\nafter outer\n",
	"block-1-found-1": "#+begin_src emacs-lisp\n(setq borges-x 1)\n#+end_src\nafter inner\n",
	"block-2":         "#+begin_src emacs-lisp\n(list (bound-and-true-p borges-x) 2)\n#+end_src\n",
}

// blockNames are the names of the blocks of document id now.
func blockNames(e *Engine, id string) []string {
	d, _ := e.Document(id)
	var out []string
	if d != nil {
		for _, b := range d.Blocks {
			out = append(out, b.Name)
		}
	}
	return out
}

// waitingOn reports whether block name of document id is queued waiting
// for what the message has now.
func waitingOn(e *Engine, id, name, what string) bool {
	d, _ := e.Document(id)
	if d == nil {
		return false
	}
	for _, b := range d.Blocks {
		if b.Name == name && len(b.Instances) == 1 && strings.Contains(b.Instances[0].Waiting, what) {
			return true
		}
	}
	return false
}

// TestFoundEmacsLispWaitsForEarlierFoundFinder: in a document with no
// Emacs Lisp block of its own, the later owner (block-2) ends first, then
// the earlier (block-1), whose results hold a shell block that prints an
// Emacs Lisp block (block-1-found-1, :results raw, which may hold blocks).
// The Emacs Lisp block found in block-2's results stands after that shell
// block and what its results hold in the buffer, and Emacs runs them
// first: it waits (the view says for what) until that shell block has
// ended and its results been searched (the Emacs Lisp block found there
// is in the document, and ran, when it launches). Launched while the
// shell block ran, it ran first in the document's Emacs and wrote
// | nil | 2 | where Emacs writes | 1 | 2 |, with no error. The nested
// block's task does not mark block-2-found-1 (found first, block-2 having
// ended first, so keyed below it), which stands after it in the buffer,
// in its owner's results, not in that Emacs's buffer yet: the task of
// block-2-found-1 marks it, its owner's results put in by then (it once
// stopped the document with Borges's own error, that the block is not
// there). Run in real Emacs, the document is written byte for byte as
// Emacs 28.2 writes it (the fixture's committed reference), the text
// after the printed block once, and no task signals.
func TestFoundEmacsLispWaitsForEarlierFoundFinder(t *testing.T) {
	doc, want := fixtureAndRef(t, "found_nested_elisp_text_after")
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	fb := rb.fakeBackend
	for _, b := range []string{"block-2", "block-1"} {
		finishLaunch(fb, launchOf(t, fb, b, 1), nestedTextAfterOut[b])
	}
	inner := launchOf(t, fb, "block-1-found-1", 1)
	waited := false
	for range 4000 {
		if launchedBlock(rb, "block-2-found-1") {
			t.Fatal("block-2-found-1 launched while block-1-found-1, before it in the buffer and :results raw, runs")
		}
		if waitingOn(e, id, "block-2-found-1", "block-1-found-1") {
			waited = true
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !waited {
		t.Fatal("block-2-found-1 does not say it waits for block-1-found-1")
	}
	finishLaunch(fb, inner, nestedTextAfterOut["block-1-found-1"])
	// Run the document's Emacs tasks as they launch, in real Emacs.
	nested := "none"
	signalled := runEmacsLaunches(e, fb, em, id, func(a *Attempt, ran map[string]bool) {
		if a.Block == "block-2-found-1" && !ran[nested] {
			t.Errorf("block-2-found-1 launched before the Emacs Lisp block found in block-1-found-1's results ran: blocks %v", blockNames(e, id))
		}
		if a.Block == "block-1-found-1-found-1" {
			nested = a.ID
		}
	})
	waitDocumentEnded(t, e, id)
	got, err := e.ResultDocument(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "| nil | 2 |") {
		t.Errorf("the later found block ran before the nested one:\n%s", got)
	}
	if len(signalled) > 0 {
		t.Errorf("tasks of the document's Emacs signalled: %v", signalled)
	}
	if got != want {
		t.Errorf("the document is not Emacs's:\n%s\nwant:\n%s", got, want)
	}
}

// editsFoundLaterTwoOut is what the blocks of
// found_elisp_no_emacs_edits_found_later_two.org of internal/plan print:
// block-1 an Emacs Lisp block inserting text at the end of the buffer,
// block-2 and block-3 a shell block each, which print in turn.
var editsFoundLaterTwoOut = map[string]string{
	"block-1":         "#+begin_src emacs-lisp\n" + foundEditsProg + "\n#+end_src\n",
	"block-2":         "#+begin_src sh\necho found-second\n#+end_src\n",
	"block-3":         "#+begin_src sh\necho found-third\n#+end_src\n",
	"block-2-found-1": "found-second\n",
	"block-3-found-1": "found-third\n",
}

// TestFoundEmacsLispNoEmacsEditsLaterOwnerFirst: in a document with no
// Emacs Lisp block of its own, the later owners (block-3, block-2) and
// the shell blocks found in their results end before the first owner,
// whose results hold an Emacs Lisp block inserting text at the end of
// the buffer, or while that block runs; run in real Emacs, the document
// is written byte for byte as Emacs 28.2 writes it (the fixture's
// committed reference), each block launched once.
func TestFoundEmacsLispNoEmacsEditsLaterOwnerFirst(t *testing.T) {
	doc, want := fixtureAndRef(t, "found_elisp_no_emacs_edits_found_later_two")
	for name, order := range map[string][]string{
		"later_found_ended":  {"block-3", "block-3-found-1", "block-2", "block-2-found-1", "block-1", "elisp"},
		"later_owners_ended": {"block-3", "block-2", "block-1", "elisp", "block-2-found-1", "block-3-found-1"},
		"elisp_first_later":  {"block-3", "block-1", "block-3-found-1", "elisp", "block-2", "block-2-found-1"},
	} {
		t.Run(name, func(t *testing.T) {
			_, rb, e, _, id := submitOnDisk(t, doc)
			em := newEmacsRunner(t, rb)
			fb := rb.fakeBackend
			for _, b := range order {
				if b == "elisp" {
					if msg := em.run(launchOf(t, fb, "block-1-found-1", 1)); msg != "" {
						t.Fatalf("block-1-found-1 signalled: %s", msg)
					}
					continue
				}
				a := launchOf(t, fb, b, 1)
				finishLaunch(fb, a, editsFoundLaterTwoOut[b])
				waitStored(t, e, id, b, Finished)
			}
			finishedAs(t, e, fb, id, want, 6)
		})
	}
}

// TestFoundEmacsLispDeferredMarkEditStops: as
// TestFoundEmacsLispWaitsForEarlierFoundFinder, the nested Emacs Lisp
// block editing the buffer (text put in at its end) while the block found
// in the later owner's results, keyed before it, is not marked in the
// document's Emacs yet: that Emacs cannot report the buffer (its marks are
// read by key), and the nested block stops the document with that error,
// never writing a block's results at another's place.
func TestFoundEmacsLispDeferredMarkEditStops(t *testing.T) {
	doc, _ := fixtureAndRef(t, "found_nested_elisp_text_after")
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	fb := rb.fakeBackend
	out := map[string]string{
		"block-1":         nestedTextAfterOut["block-1"],
		"block-2":         nestedTextAfterOut["block-2"],
		"block-1-found-1": "#+begin_src emacs-lisp\n(progn (setq borges-x 1) (save-excursion (goto-char (point-max)) (insert \"Z\\n\")))\n#+end_src\nafter inner\n",
	}
	for _, b := range []string{"block-2", "block-1"} {
		finishLaunch(fb, launchOf(t, fb, b, 1), out[b])
	}
	finishLaunch(fb, launchOf(t, fb, "block-1-found-1", 1), out["block-1-found-1"])
	signalled := runEmacsLaunches(e, fb, em, id, nil)
	waitDocumentEnded(t, e, id)
	if msg := signalled["block-1-found-1-found-1"]; !strings.Contains(msg, "is not marked in this Emacs's buffer: Borges cannot report the buffer") {
		t.Errorf("the nested block signalled %q, not that the buffer cannot be reported (all: %v)", msg, signalled)
	}
	if ran := launchedBlock(rb, "block-2-found-1"); ran {
		t.Error("block-2-found-1 launched after the nested block stopped the document")
	}
	got, err := e.ResultDocument(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "| nil | 2 |") || strings.Contains(got, "| 1 | 2 |") {
		t.Errorf("the later found block's results written:\n%s", got)
	}
}

// runEmacsLaunches runs the tasks of the document's Emacs of document id
// in real Emacs as they launch (each once, seen first by before, with the
// launches run so far), until the document ends (bounded); it returns
// the errors they signalled, by block.
func runEmacsLaunches(e *Engine, fb *fakeBackend, em *emacsRunner, id string, before func(a *Attempt, ran map[string]bool)) map[string]string {
	ran := map[string]bool{}
	signalled := map[string]string{}
	for range 2000 {
		more := false
		for _, a := range fb.launches() {
			if ran[a.ID] || a.Task.Session == nil || !inEmacs(&blockState{task: a.Task}) {
				continue
			}
			if before != nil {
				before(a, ran)
			}
			ran[a.ID], more = true, true
			if msg := em.run(a); msg != "" {
				signalled[a.Block] = msg
			}
		}
		if !more {
			if d, _ := e.Document(id); d != nil && d.State.Terminal() {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return signalled
}
