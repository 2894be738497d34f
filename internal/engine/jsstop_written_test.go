package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// A JavaScript block found in results whose value is written (:results
// value) and one the Lisp reader finds nothing in: Emacs reads it with
// org-babel-js-read, stops there (End of file during parsing), writes
// nothing under it and runs no block after it (found_js_value_stop.org
// of internal/plan), as under :results silent (foundJSStops).

// foundJSWritten is what the owner of foundInOwner prints: a JavaScript
// block written as a value.
const foundJSWritten = "#+begin_src js\nreturn '   '\n#+end_src\n"

// TestFoundJSWrittenStops: the JavaScript block found stops the
// document at its end, its value's reader error known in Go
// (org.JSReadError; the reading of its value in Emacs, planned for a
// value only Emacs reads, is not run): the block after the owner that had
// not started is not run, and the results document has nothing under the
// JavaScript block, as Emacs writes it.
func TestFoundJSWrittenStops(t *testing.T) {
	foundJSWrittenStops(t, "", "\nAfter.\n")
}

// foundJSWrittenStops has foundInOwner's owner print the JavaScript
// block foundJSWritten, then more, and that block end with a value whose
// reader error is known in Go (foundJSReadFails): the document stops at
// its end, at line 7 (the block's #+begin_src, as its view gives it,
// TestFoundBlockViewLine, not the #+RESULTS: line above it), block after
// not run; the results document holds the owner's results with nothing
// under the JavaScript block (Emacs), then rest; and the JavaScript
// block's own message says why its results were not written: Emacs's
// reader error, not a :post (it has none).
func foundJSWrittenStops(t *testing.T, more, rest string) {
	t.Helper()
	e, rb, id, slow, _ := foundInOwner(t, foundJSWritten+more)
	js := launchOf(t, rb.fakeBackend, "owner-found-1", 1)
	if js.Task.Lang != "js" {
		t.Fatalf("%s (%s), want the JavaScript block found", js.Block, js.Task.Lang)
	}
	if more != "" {
		// The block found after the JavaScript one waits for its
		// value to be read, as Emacs runs it only after it.
		foundAfterWaits(t, e, id, js.Block)
	}
	if foundJSReadFails(t, e, rb, id, js, slow) {
		t.Fatal("after was launched: the JavaScript block found did not stop the document")
	}
	got := heldResults(t, e, id)
	d, _ := e.Document(id)
	if more != "" {
		foundAfterHeld(t, rb, d, "End of file during parsing")
	}
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"7, ") {
		t.Errorf("after: %q, want held by the stop at line 7", m)
	}
	if m, want := foundMessage(d, js.Block), "results kept as they were: org-babel-execute-buffer stopped at this block, Emacs could not read its value: End of file during parsing"; m != want {
		t.Errorf("%s: %q, want %q", js.Block, m, want)
	}
	if want := "#+name: owner\n#+begin_src sh :results raw\necho found\n#+end_src\n\n#+RESULTS: owner\n" + foundJSWritten + more + rest; !strings.HasPrefix(got, want) {
		t.Errorf("results document:\n%s\nwant it to begin (Emacs):\n%s", got, want)
	}
}

// TestFoundJSWrittenReads: the JavaScript block found prints a value
// the Lisp reader reads: nothing stops, and its value is written under
// it.
func TestFoundJSWrittenReads(t *testing.T) {
	foundJSReads(t, foundJSWritten, "'ok'\n", "#+begin_src js\nreturn '   '\n#+end_src\n\n#+RESULTS:\n: ok\n")
}

// addedInlineDoc's Emacs Lisp block adds this JavaScript block, written as
// a value, at "PLACE HERE" (reportAddedJS).
const addedJS = "#+begin_src js\nreturn '   '\n#+end_src\n"

// reportAddedJS has attempt a of addedInlineDoc's Emacs Lisp block end,
// having added js (addedJS, or another JavaScript block) to the buffer.
func reportAddedJS(t *testing.T, rb *reportBackend, a *Attempt, js string) {
	t.Helper()
	reportAddedIn(t, rb, a, strings.Replace(addedInlineDoc, "PLACE HERE\n", "PLACE HERE\n"+js, 1), "#+begin_src js")
}

// addedJSLaunch is the n-th launch of the JavaScript block added
// (reportAddedJS), which fails t unless its failure stops the document.
func addedJSLaunch(t *testing.T, rb *reportBackend, n int) *Attempt {
	t.Helper()
	a := launchOf(t, rb.fakeBackend, addedJSName, n)
	if a.Task.Lang != "js" || !a.Task.FailureStops {
		t.Fatalf("%s: %s, failure stops %v; want the JavaScript block added, its failure stopping the document", a.Block, a.Task.Lang, a.Task.FailureStops)
	}
	return a
}

// addedJSName is the name the JavaScript block added is given.
const addedJSName = "block-2"

// TestAddedJSWrittenStops: an Emacs Lisp block adds to the buffer a
// JavaScript block whose value, written, Emacs cannot read
// (jsstop_added_written.org of internal/plan): Emacs stops there, so the
// block after it that had not started is not run, and nothing is
// written under the JavaScript block.
func TestAddedJSWrittenStops(t *testing.T) {
	e, rb, id := submitToReport(t, addedInlineDoc)
	addedJSStopped(t, e, rb, id)
	got := heldResults(t, e, id)
	if !strings.Contains(got, "PLACE HERE\n"+addedJS+"\n#+name: slow") {
		t.Errorf("results document:\n%s\nwant nothing written under the JavaScript block added", got)
	}
}

// addedJSStopped runs addedInlineDoc, submitted as id, until the
// JavaScript block its Emacs Lisp block adds (reportAddedJS) has stopped
// it.
func addedJSStopped(t *testing.T, e *Engine, rb *reportBackend, id string) {
	t.Helper()
	reportAddedJS(t, rb, launchOf(t, rb.fakeBackend, "adder", 1), addedJS)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	if stopThenSlow(t, e, rb, id, addedJSLaunch(t, rb, 1), "'   '\n", slow) {
		t.Fatal("after was launched: the JavaScript block added did not stop the document")
	}
	waitDocumentEnded(t, e, id)
}

// TestAddedJSWrittenStopLifted: the JavaScript block added that stopped
// the document runs again, itself or as the Emacs Lisp block that added
// it runs again and adds it again, and its value reads now: the stop is
// lifted, and the block it held runs.
func TestAddedJSWrittenStopLifted(t *testing.T) {
	for _, restart := range []string{addedJSName, "adder"} {
		t.Run(restart, func(t *testing.T) {
			e, rb, id := submitToReport(t, addedInlineDoc)
			addedJSStopped(t, e, rb, id)
			if err := e.RestartBlock(context.Background(), id, restart); err != nil {
				t.Fatal(err)
			}
			if restart == "adder" {
				reportAddedJS(t, rb, launchOf(t, rb.fakeBackend, "adder", 2), "#+begin_src js\nreturn 'ok'\n#+end_src\n")
			}
			endWith(t, e, rb, id, addedJSLaunch(t, rb, 2), "'ok'\n")
			afterRuns(t, e, rb, id, "the JavaScript block's value read")
		})
	}
}

// heldResults waits until document id has ended, fails t unless its
// block after is held by a stop, and returns its results document.
func heldResults(t *testing.T, e *Engine, id string) string {
	t.Helper()
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt) {
		t.Errorf("after: %q, want held by the stop", m)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestFoundJSWrittenStopsAcrossRestart: the JavaScript block found that
// stopped the document, the server restarted on the same store: the
// results document still has nothing under it (no other write path, the
// search of the results for found blocks, writes its value).
func TestFoundJSWrittenStopsAcrossRestart(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, foundOwnerDoc)
	slow, js := ownerPrints(t, rb, foundJSWritten)
	if foundJSReadFails(t, e, rb, id, js, slow) {
		t.Fatal("after was launched: the JavaScript block found did not stop the document")
	}
	waitDocumentEnded(t, e, id)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	got := heldResults(t, e2, id)
	if want := "#+RESULTS: owner\n" + foundJSWritten + "\nAfter.\n"; !strings.Contains(got, want) {
		t.Errorf("results document after the restart:\n%s\nwant nothing under the JavaScript block found (Emacs):\n%s", got, want)
	}
}

// foundJSReadFails ends attempt js, a JavaScript block found in results
// (foundInOwner), with a value Emacs's reader finds nothing in, known in
// Go (org.JSReadError): the planned reading of its value by Emacs is not
// run. It then ends slow, and reports whether block after was launched.
func foundJSReadFails(t *testing.T, e *Engine, rb *reportBackend, id string, js, slow *Attempt) bool {
	t.Helper()
	if !js.Task.FailureStops {
		t.Errorf("%s: failure stops %v, want its value's reader error to stop the document", js.Block, js.Task.FailureStops)
	}
	endWith(t, e, rb, id, js, "'   '\n")
	if launchedBlock(rb, plan.ReaderOf(js.Block)) {
		t.Errorf("%s was launched: the reader error is known in Go", plan.ReaderOf(js.Block))
	}
	finish(rb.fakeBackend, slow, Finished, 0)
	return endedOrLaunched(e, rb, id, "after")
}

// TestFoundJSWrittenStopsBeforeFoundAfter: the owner's results hold the
// JavaScript block whose value Emacs cannot read and a shell block after
// it (found_js_value_stop.org of internal/plan): the value's reader error
// is known in Go when the JavaScript block ends (org.JSReadError), which
// stops the document there, no reading in Emacs run; nothing is written
// under the JavaScript block, and neither the block found after it, which
// waited for its value, nor the block after the owner is run, as Emacs
// runs neither.
func TestFoundJSWrittenStopsBeforeFoundAfter(t *testing.T) {
	foundJSWrittenStops(t, foundAfterSh, "\nAfter.\n")
}
