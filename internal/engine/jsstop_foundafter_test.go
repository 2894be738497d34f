package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// A block found in results after a JavaScript block found there, whose
// value may stop the document (found_js_value_stop.org,
// jsread_found_open_list.org of internal/plan, checked with Emacs 28.2):
// org-babel-execute-buffer runs it only after the JavaScript block, and
// not at all when Emacs's reader fails on that value. Borges knows that
// order as it finds them: the block found after waits for the value to
// be read (jsValuesBefore), then runs, or is held by the stop.

// foundAfterSh is the shell block the owner of foundInOwner prints after
// the JavaScript block found: owner-found-2.
const foundAfterSh = "#+begin_src sh\necho foundafter\n#+end_src\n"

// foundAfterName is the name of the block found after the JavaScript one.
const foundAfterName = "owner-found-2"

// foundAfterWaits waits, bounded, until the block found after the
// JavaScript block js of document id is in its view, and fails t unless
// it is queued, waiting for js (not started with it, as Emacs runs it
// only after js's value is read).
func foundAfterWaits(t *testing.T, e *Engine, id, js string) {
	t.Helper()
	foundAfterWaitsFor(t, e, id, js)
}

// foundAfterWaitsFor is foundAfterWaits, the wait named what (the
// JavaScript block, or the reading of its value in Emacs).
func foundAfterWaitsFor(t *testing.T, e *Engine, id, what string) {
	t.Helper()
	var last string
	for range 12000 {
		d, _ := e.Document(id)
		for _, b := range d.Blocks {
			if b.Name != foundAfterName || len(b.Instances) != 1 {
				continue
			}
			in := b.Instances[0]
			if in.State != Queued {
				t.Fatalf("%s: %s (%q), want it queued until the value of the JavaScript block found before it is read", foundAfterName, in.State, in.Message)
			}
			if strings.Contains(in.Waiting, what+" (") {
				return
			}
			last = in.Waiting
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s never said it waits for %s: %q", foundAfterName, what, last)
}

// foundAfterHeld fails t unless the block found after the JavaScript one
// was never launched and says the stop (with msg) held it, at line 7
// (foundJSWrittenStops).
func foundAfterHeld(t *testing.T, rb *reportBackend, d *DocumentView, msg string) {
	t.Helper()
	if launchedBlock(rb, foundAfterName) {
		t.Errorf("%s was launched: Emacs stops at the JavaScript block found before it", foundAfterName)
	}
	if m := foundMessage(d, foundAfterName); !strings.HasPrefix(m, failStopAt+"7, ") || !strings.Contains(m, msg) {
		t.Errorf("%s: %q, want held by the stop at line 7 (%s)", foundAfterName, m, msg)
	}
}

// TestFoundJSReadsFoundAfterRuns: the JavaScript block found prints a
// value the Lisp reader reads: the block found after it waits for it
// alone, then runs, and both values are written.
func TestFoundJSReadsFoundAfterRuns(t *testing.T) {
	e, rb, id, slow, _ := foundInOwner(t, foundJSWritten+foundAfterSh)
	js := launchOf(t, rb.fakeBackend, "owner-found-1", 1)
	foundAfterWaits(t, e, id, js.Block)
	endWith(t, e, rb, id, js, "'ok'\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, foundAfterName, 1), "foundafter\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	afterRunsWriting(t, e, rb, id, "#+RESULTS: owner\n"+foundJSWritten+"\n#+RESULTS:\n: ok\n\n"+foundAfterSh+"\n#+RESULTS:\n: foundafter\n\nAfter.\n")
}

// TestFoundJSStopsFoundAfterAcrossRestart: the server restarts on the
// same store while the JavaScript block found runs, the block found
// after it waiting: the new server keeps it waiting, and the value, an
// open list Emacs's reader fails on ('(foo', End of file during
// parsing), stops the document there, the block found after it not run.
func TestFoundJSStopsFoundAfterAcrossRestart(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, foundOwnerDoc)
	slow, _ := ownerPrints(t, rb, foundJSWritten+foundAfterSh)
	js := launchOf(t, rb.fakeBackend, "owner-found-1", 1)
	foundAfterWaits(t, e, id, js.Block)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	foundAfterWaits(t, e2, id, js.Block)
	if foundJSEndsWith(t, e2, rb, id, js, "'(foo'\n", slow) {
		t.Fatal("after was launched: the JavaScript block found did not stop the document")
	}
	got := heldResults(t, e2, id)
	d, _ := e2.Document(id)
	foundAfterHeld(t, rb, d, "End of file during parsing")
	if want := "#+RESULTS: owner\n" + foundJSWritten + foundAfterSh + "\nAfter.\n"; !strings.Contains(got, want) {
		t.Errorf("results document:\n%s\nwant nothing under the blocks found (Emacs):\n%s", got, want)
	}
}

// foundJSEndsWith is foundJSReadFails, the JavaScript block ending with
// value out.
func foundJSEndsWith(t *testing.T, e *Engine, rb *reportBackend, id string, js *Attempt, out string, slow *Attempt) bool {
	t.Helper()
	endWith(t, e, rb, id, js, out)
	if launchedBlock(rb, plan.ReaderOf(js.Block)) {
		t.Errorf("%s was launched: the reader error is known in Go", plan.ReaderOf(js.Block))
	}
	finish(rb.fakeBackend, slow, Finished, 0)
	return endedOrLaunched(e, rb, id, "after")
}

// TestFoundJSReadInEmacsHoldsFoundAfter: the JavaScript block found
// prints a value only Emacs's reader reads, which a batch Emacs reads
// (the document has no Emacs Lisp block): the block found after it
// waits for that reading too, and is held by the stop its failure makes.
func TestFoundJSReadInEmacsHoldsFoundAfter(t *testing.T) {
	e, rb, id, slow, _ := foundInOwner(t, foundJSWritten+foundAfterSh)
	js := launchOf(t, rb.fakeBackend, "owner-found-1", 1)
	endWith(t, e, rb, id, js, "'#s(a b)'\n")
	read := launchOf(t, rb.fakeBackend, plan.ReaderOf(js.Block), 1)
	if !read.Task.ReadsOutput || !read.Task.FailureStops {
		t.Fatalf("%s: reads %v, failure stops %v; want the reading of the JavaScript value, its failure stopping the document", read.Block, read.Task.ReadsOutput, read.Task.FailureStops)
	}
	foundAfterWaitsFor(t, e, id, read.Block)
	failRan(rb, read)
	finish(rb.fakeBackend, slow, Finished, 0)
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after was launched: the reading of the JavaScript value found did not stop the document")
	}
	foundAfterHeld(t, rb, waitDocumentEnded(t, e, id), "")
}

// TestFoundJSNotWaitedBeforeIt: the owner's results hold a raw block
// whose results hold a block, then the JavaScript block: the block found
// in the raw block's results stands before the JavaScript block in the
// buffer, where Emacs runs it first, so it waits for no JavaScript value
// (its line, past the line the JavaScript block was found at, is not
// weighed against it: results were written above that block since), and
// runs, the JavaScript block still running; the JavaScript value that
// stops the document then leaves its results written. Whichever ends
// first, the raw block or the JavaScript one (stop known before the
// block found under the raw block is), that block runs and is written.
func TestFoundJSNotWaitedBeforeIt(t *testing.T) {
	for _, jsFirst := range []bool{false, true} {
		t.Run(map[bool]string{false: "raw block first", true: "stop first"}[jsFirst], func(t *testing.T) {
			e, rb, id, slow, _ := foundInOwner(t, "#+begin_src sh :results raw\necho deep\n#+end_src\n"+foundJSWritten)
			raw := launchOf(t, rb.fakeBackend, "owner-found-1", 1)
			js := launchOf(t, rb.fakeBackend, "owner-found-2", 1)
			if js.Task.Lang != "js" {
				t.Fatalf("%s: %s, want the JavaScript block", js.Block, js.Task.Lang)
			}
			if jsFirst {
				endWith(t, e, rb, id, js, "'   '\n")
			}
			endWith(t, e, rb, id, raw, "#+begin_src sh\necho deep\n#+end_src\n")
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "owner-found-1-found-1", 1), "deep\n")
			waitState(t, e, id, "owner-found-1-found-1", Finished)
			if !jsFirst {
				endWith(t, e, rb, id, js, "'   '\n")
			}
			finish(rb.fakeBackend, slow, Finished, 0)
			// The run of slow after's reference makes, if launched
			// before the stop was known, is finished as slow is.
			if endedOrLaunched(e, rb, id, "after") {
				t.Error("after launched past the stop")
			}
			got := heldResults(t, e, id)
			if want := "#+begin_src sh\necho deep\n#+end_src\n\n#+RESULTS:\n: deep\n"; !strings.Contains(got, want) {
				t.Errorf("results document:\n%s\nwant the block found before the JavaScript block written (Emacs):\n%s", got, want)
			}
		})
	}
}

// TestAddedJSStopsAddedAfter: an Emacs Lisp block adds a JavaScript
// block whose value Emacs cannot read, then a shell block after it
// (jsstop_added_then_added.org of internal/plan): the shell block waits
// for the JavaScript value, and the stop it makes holds it, as Emacs
// never runs it.
func TestAddedJSStopsAddedAfter(t *testing.T) {
	e, rb, id := submitToReport(t, addedInlineDoc)
	adder := launchOf(t, rb.fakeBackend, "adder", 1)
	buffer := strings.Replace(addedInlineDoc, "PLACE HERE\n", "PLACE HERE\n"+addedJS+"#+begin_src sh\necho addedafter\n#+end_src\n", 1)
	rb.rmu.Lock()
	rb.reports[adder.ID] = addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var"},
		markAt{at: "#+begin_src js"}, markAt{at: "#+begin_src sh\necho addedafter"})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, adder, Finished, 0)
	js := addedJSLaunch(t, rb, 1)
	const addedAfter = "block-3"
	waited := false
	for i := 0; i < 12000 && !waited; i++ {
		d, _ := e.Document(id)
		in, ok := oneInstance(d, addedAfter)
		if ok && in.State != Queued {
			t.Fatalf("%s: %s, want it queued until the JavaScript value added before it is read", addedAfter, in.State)
		}
		if waited = ok && strings.Contains(in.Waiting, js.Block+" ("); !waited {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if !waited {
		t.Fatalf("%s never said it waits for %s", addedAfter, js.Block)
	}
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	if stopThenSlow(t, e, rb, id, js, "'   '\n", slow) {
		t.Fatal("after was launched: the JavaScript block added did not stop the document")
	}
	d := waitDocumentEnded(t, e, id)
	if launchedBlock(rb, addedAfter) {
		t.Errorf("%s was launched: Emacs stops at the JavaScript block added before it", addedAfter)
	}
	if in, _ := oneInstance(d, addedAfter); !strings.HasPrefix(in.Message, failStopAt) {
		t.Errorf("%s: %q, want held by the stop", addedAfter, in.Message)
	}
}

// oneInstance is the one instance of block name in d, if it has one.
func oneInstance(d *DocumentView, name string) (InstanceView, bool) {
	for _, b := range d.Blocks {
		if b.Name == name && len(b.Instances) == 1 {
			return b.Instances[0], true
		}
	}
	return InstanceView{}, false
}
