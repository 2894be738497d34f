package engine

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/proctest"
)

// TestJSReadStopHeldAgain: the JavaScript block whose value Emacs could
// not read runs again (a restart), and its new value cannot be read
// either: the block the stop held waits for the new attempt and its
// reading, and is held again, never launched.
func TestJSReadStopHeldAgain(t *testing.T) {
	e, rb, id := submitToReport(t, jsSlowAfter(""))
	js := heldThenRestarted(t, e, rb, id, true)
	rb.setOutput(js.ID, "'  '\n")
	finish(rb.fakeBackend, js, Finished, 0)
	failRan(rb, launchOf(t, rb.fakeBackend, "js output read by Emacs", 2))
	// At once, when the stop is lifted before the new value is known.
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after was launched: the stop was lifted before the new value was read")
	}
	d := waitDocumentEnded(t, e, id)
	// Six: the run of slow after's reference makes among them, started
	// before the stop was known.
	wantHeld(t, rb, d, 6, "after", "not run: org-babel-execute-buffer stopped before it, at the block at line 1, for block js, whose value Emacs could not read: End of file during parsing")
}

// heldThenRestarted has block js of document id (jsSlowAfter) end with a
// value Emacs cannot read (its reading, when reading, run and failed),
// then slow, checks that block after is held, restarts js and returns
// its second attempt.
func heldThenRestarted(t *testing.T, e *Engine, rb *reportBackend, id string, reading bool) *Attempt {
	t.Helper()
	slow := endJS(t, rb, "'   '\n")
	if reading {
		failRan(rb, launchOf(t, rb.fakeBackend, "js output read by Emacs", 1))
	}
	finish(rb.fakeBackend, slow, Finished, 0)
	// The run of slow after's :var s=slow makes, launched at once before
	// the stop was known, finished as slow is (endedOrLaunched).
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after launched past the stop")
	}
	if m, _ := blockMessage(waitDocumentEnded(t, e, id), "after"); !strings.HasPrefix(m, failStopAt) {
		t.Fatalf("after: %q, want held", m)
	}
	if err := e.RestartBlock(context.Background(), id, "js"); err != nil {
		t.Fatal(err)
	}
	return launchOf(t, rb.fakeBackend, "js", 2)
}

// launchedBlock reports whether rb launched an attempt of block name.
func launchedBlock(rb *reportBackend, name string) bool {
	for _, a := range rb.launches() {
		if a.Block == name {
			return true
		}
	}
	return false
}

// TestJSReadStopFoundSameCount: a block whose results hold a shell block
// runs again, and its results hold a JavaScript block instead, whose
// value Emacs cannot read: the document has as many blocks as before,
// and the JavaScript block found stops it all the same, holding the
// block after it that had not started.
func TestJSReadStopFoundSameCount(t *testing.T) {
	e, rb, id, slow, found := foundInOwner(t, "#+begin_src sh\necho x\n#+end_src\n")
	finish(rb.fakeBackend, found, Finished, 0)
	waitState(t, e, id, found.Block, Finished)
	// owner, the block found, slow, the run of slow after's :var s=slow
	// makes, and after.
	if d, _ := e.Document(id); d == nil || len(d.Blocks) != 5 {
		t.Fatalf("blocks before the restart: %+v, want 5", d)
	}
	if err := e.RestartBlock(context.Background(), id, "owner"); err != nil {
		t.Fatal(err)
	}
	owner := launchOf(t, rb.fakeBackend, "owner", 2)
	rb.setOutput(owner.ID, "#+begin_src js :results silent\nreturn '   '\n#+end_src\n")
	finish(rb.fakeBackend, owner, Finished, 0)
	js := launchOf(t, rb.fakeBackend, found.Block, 2)
	if js.Task.Lang != "js" || !js.Task.FailureStops {
		t.Fatalf("%s launched again: %s, want the JavaScript block found", js.Block, js.Task.Lang)
	}
	if stopThenSlow(t, e, rb, id, js, "'   '\n", slow) {
		t.Fatal("after was launched: the JavaScript block found did not stop the document")
	}
	d := waitDocumentEnded(t, e, id)
	if len(d.Blocks) != 5 {
		t.Errorf("%d blocks, want 5", len(d.Blocks))
	}
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt) {
		t.Errorf("after: %q, want held by the stop", m)
	}
}

// stopThenSlow ends attempt a, which printed out, waits until its block
// has finished, then ends slow, and reports whether block after of
// document id was launched (endedOrLaunched).
func stopThenSlow(t *testing.T, e *Engine, rb *reportBackend, id string, a *Attempt, out string, slow *Attempt) bool {
	t.Helper()
	endWith(t, e, rb, id, a, out)
	finish(rb.fakeBackend, slow, Finished, 0)
	return endedOrLaunched(e, rb, id, "after")
}

// endWith ends attempt a of document id, which printed out, and waits
// until its block has finished.
func endWith(t *testing.T, e *Engine, rb *reportBackend, id string, a *Attempt, out string) {
	t.Helper()
	rb.setOutput(a.ID, out)
	finish(rb.fakeBackend, a, Finished, 0)
	waitState(t, e, id, a.Block, Finished)
}

// endedOrLaunched waits, bounded, until document id has ended or rb has
// launched block name, and reports whether it has launched it. The runs
// name's :var references make of the blocks they name (tasks "NAME :var
// x=b", Babel running b again at the reference), which name waits for,
// are finished as they are launched, as the blocks they run would be:
// name is held by nothing else than what the test means to see hold it.
func endedOrLaunched(e *Engine, rb *reportBackend, id, name string) bool {
	for range 4000 {
		if launchedBlock(rb, name) {
			return true
		}
		d, _ := e.Document(id)
		if d != nil && d.State != Running && d.State != Queued {
			break
		}
		finishRefRuns(rb, d, name)
		time.Sleep(5 * time.Millisecond)
	}
	return launchedBlock(rb, name)
}

// finishRefRuns finishes each attempt rb launched of a run block name's
// :var references make that has not ended in d.
func finishRefRuns(rb *reportBackend, d *DocumentView, name string) {
	if d == nil {
		return
	}
	for _, a := range rb.launches() {
		if !strings.HasPrefix(a.Block, name+" :var ") {
			continue
		}
		for _, b := range d.Blocks {
			if b.Name == a.Block && len(b.Instances) == 1 && b.Instances[0].AttemptID == a.ID && !b.Instances[0].State.Terminal() {
				finish(rb.fakeBackend, a, Finished, 0)
			}
		}
	}
}

// TestFoundStopBeforeJSStop: a block found in results stops the document
// before a JavaScript block whose value Emacs cannot read: Emacs stops
// at the first, and never reaches the second; the block after both that
// had not started says it stopped at the found block.
func TestFoundStopBeforeJSStop(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: owner\n#+begin_src sh :results raw\necho nosuch\n#+end_src\nAfter.\n\n"+
		"#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n")
	owner := launchOf(t, rb.fakeBackend, "owner", 1)
	js := launchOf(t, rb.fakeBackend, "js", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	endWith(t, e, rb, id, js, "'   '\n")
	endWith(t, e, rb, id, owner, "#+begin_src nosuch\n#+end_src\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	// The run of slow after's reference makes, if launched before the
	// stop was known, is finished as slow is.
	if endedOrLaunched(e, rb, id, "after") {
		t.Error("after launched past the stop at the block found")
	}
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, `"No org-babel-execute function for nosuch!"`) {
		t.Errorf("after: %q, want held by the stop at the block found", m)
	}
	if notes := strings.Join(d.Notes, "\n"); strings.Contains(notes, "whose value Emacs could not read") {
		t.Errorf("notes: %q, want only the stop at the block found", notes)
	}
}

// TestJSReadStopNewAttemptFails: the JavaScript block whose value Emacs
// could not read (its reading ran and failed) runs again, and its new
// attempt fails or is killed: Emacs reads org-babel-eval's nil, which
// stops nothing, so the block after it runs; the failed reading of the
// earlier attempt holds it no longer.
func TestJSReadStopNewAttemptFails(t *testing.T) {
	for _, kill := range []bool{false, true} {
		t.Run(map[bool]string{false: "failed", true: "killed"}[kill], func(t *testing.T) {
			e, rb, id := submitToReport(t, jsSlowAfter(""))
			js := heldThenRestarted(t, e, rb, id, true)
			if kill {
				if err := e.KillBlock(context.Background(), id, "js"); err != nil {
					t.Fatal(err)
				}
			} else {
				failRan(rb, js)
			}
			if !endedOrLaunched(e, rb, id, "after") {
				d, _ := e.Document(id)
				m, _ := blockMessage(d, "after")
				t.Fatalf("after not launched (%q): held by a JavaScript block whose new attempt failed", m)
			}
		})
	}
}

// TestJSReadStopWaitAcrossRestart: the JavaScript block whose value
// Emacs could not read runs again, and the server restarts while the
// new attempt (or, for a value only Emacs's reader reads, its reading)
// runs: the block the stop held still waits for the new value to be
// read, and, that one unreadable too, is held again, never launched.
func TestJSReadStopWaitAcrossRestart(t *testing.T) {
	for _, silent := range []bool{true, false} {
		t.Run(map[bool]string{true: "silent", false: "reading"}[silent], func(t *testing.T) {
			header := ""
			if silent {
				header = " :results silent"
			}
			dir, rb, e, stop, id := submitOnDisk(t, jsSlowAfter(header))
			js := heldThenRestarted(t, e, rb, id, !silent)
			var reading *Attempt
			if !silent {
				rb.setOutput(js.ID, "'  '\n")
				finish(rb.fakeBackend, js, Finished, 0)
				reading = launchOf(t, rb.fakeBackend, "js output read by Emacs", 2)
			}
			stop()
			e2, _ := startEngine(t, dir, rb, Config{})
			if silent {
				rb.setOutput(js.ID, "'  '\n")
				finish(rb.fakeBackend, js, Finished, 0)
			} else {
				failRan(rb, reading)
			}
			if endedOrLaunched(e2, rb, id, "after") {
				t.Fatal("after was launched after the server restarted: its wait was lost")
			}
			d := waitDocumentEnded(t, e2, id)
			if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"1, ") {
				t.Errorf("after: %q, want held again by the stop at line 1", m)
			}
		})
	}
}

// foundInOwner submits a document whose block owner prints out, raw,
// then block slow, then block after, which refers to slow, has owner end
// and returns slow's attempt and the launch of the block found in out.
func foundInOwner(t *testing.T, out string) (e *Engine, rb *reportBackend, id string, slow, found *Attempt) {
	t.Helper()
	e, rb, id = submitToReport(t, foundOwnerDoc)
	slow, found = ownerPrints(t, rb, out)
	return e, rb, id, slow, found
}

// foundOwnerDoc is the document of foundInOwner: block owner, whose raw
// results hold the blocks found, then block slow, then block after,
// which refers to slow.
const foundOwnerDoc = "#+name: owner\n#+begin_src sh :results raw\necho found\n#+end_src\nAfter.\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"

// ownerPrints has block owner of foundOwnerDoc end, having printed out,
// and returns slow's attempt and the launch of the block found in out,
// the first there: known by its name (owner-found-1), not by its place
// among the launches, which the runs references make shift.
func ownerPrints(t *testing.T, rb *reportBackend, out string) (slow, found *Attempt) {
	t.Helper()
	owner := launchOf(t, rb.fakeBackend, "owner", 1)
	slow = launchOf(t, rb.fakeBackend, "slow", 1)
	rb.setOutput(owner.ID, out)
	finish(rb.fakeBackend, owner, Finished, 0)
	return slow, launchOf(t, rb.fakeBackend, firstFoundIn("owner"), 1)
}

// firstFoundIn is the name of the first block found in the results of
// block owner (plan's foundName).
func firstFoundIn(owner string) string {
	return owner + "-found-1"
}

// foundJSStops submits a document whose block owner prints a JavaScript
// block whose value Emacs cannot read, found in its results, that stops
// the document, holding block after; it returns the found block's name.
func foundJSStops(t *testing.T) (*Engine, *reportBackend, string, string) {
	t.Helper()
	e, rb, id, slow, js := foundInOwner(t, "#+begin_src js :results silent\nreturn '   '\n#+end_src\n")
	rb.setOutput(js.ID, "'   '\n")
	finish(rb.fakeBackend, js, Finished, 0)
	waitState(t, e, id, js.Block, Finished)
	finish(rb.fakeBackend, slow, Finished, 0)
	// The run of slow after's :var s=slow makes, started before the
	// stop was known, finished as slow is (endedOrLaunched).
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after launched past the stop")
	}
	if m, _ := blockMessage(waitDocumentEnded(t, e, id), "after"); !strings.HasPrefix(m, failStopAt) {
		t.Fatalf("after: %q, want held by the JavaScript block found", m)
	}
	return e, rb, id, js.Block
}

// TestJSStopWaitByDropped: the block a found JavaScript block's stop held
// waits for that block to run again, and the owner runs again first, its
// new results a block of no language: the JavaScript block is gone, and
// the block after, which Emacs now stops before at the new block found,
// is decided again (held), never launched unchecked nor left waiting.
func TestJSStopWaitByDropped(t *testing.T) {
	e, rb, id, js := foundJSStops(t)
	if err := e.RestartBlock(context.Background(), id, js); err != nil {
		t.Fatal(err)
	}
	launchOf(t, rb.fakeBackend, js, 2)
	if err := e.RestartBlock(context.Background(), id, "owner"); err != nil {
		t.Fatal(err)
	}
	owner := launchOf(t, rb.fakeBackend, "owner", 2)
	rb.setOutput(owner.ID, "#+begin_src nosuch\n#+end_src\n")
	finish(rb.fakeBackend, owner, Finished, 0)
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after launched though Emacs stops at the block found before it")
	}
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, `"No org-babel-execute function for nosuch!"`) {
		t.Errorf("after: %q, want held by the stop at the block found", m)
	}
}

// TestJSStopDropped: the found JavaScript block that stopped the
// document is gone, its owner run again printing no block: the block it
// held runs, as in Emacs, which never meets a stop.
func TestJSStopDropped(t *testing.T) {
	e, rb, id, _ := foundJSStops(t)
	rerunLifts(t, e, rb, id, "owner", "plain\n", "the block that stopped the document is gone")
}

// rerunLifts runs block name of document id again, its new attempt
// printing out, and fails t unless block after, held by the stop it
// made, then runs: its stop lifted because of what because says.
func rerunLifts(t *testing.T, e *Engine, rb *reportBackend, id, name, out, because string) {
	t.Helper()
	if err := e.RestartBlock(context.Background(), id, name); err != nil {
		t.Fatal(err)
	}
	again := launchOf(t, rb.fakeBackend, name, 2)
	rb.setOutput(again.ID, out)
	finish(rb.fakeBackend, again, Finished, 0)
	if !endedOrLaunched(e, rb, id, "after") {
		d, _ := e.Document(id)
		m, _ := blockMessage(d, "after")
		t.Fatalf("after: %q, notes %q: still held though %s", m, d.Notes, because)
	}
}

// TestJSStopBeforeFoundStop: a JavaScript block whose value Emacs cannot
// read stops the document before a block found in the results of a block
// after it: Emacs stops at the first and never reaches the second; the
// notes give that stop only, and the block after both says it.
func TestJSStopBeforeFoundStop(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
		"#+name: owner\n#+begin_src sh :results raw\necho nosuch\n#+end_src\nAfter.\n\n"+
		"#+name: after\n#+begin_src sh :var s=owner\necho after\n#+end_src\n")
	// Both launched before either ends (arguments are evaluated in order).
	js, owner := launchOf(t, rb.fakeBackend, "js", 1), launchOf(t, rb.fakeBackend, "owner", 1)
	// The run of owner after's :var s=owner makes (Babel runs owner
	// again at the reference), launched at once, before any stop was
	// known, runs on. It is finished only once js's stop is known
	// (endedOrLaunched finishes it): finished before, it lets after
	// start at once, which a loaded machine does before js ends, and
	// after, started before the stop was known, runs on past it.
	endWith(t, e, rb, id, js, "'   '\n")
	rb.setOutput(owner.ID, "#+begin_src nosuch\n#+end_src\n")
	finish(rb.fakeBackend, owner, Finished, 0)
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after was launched past the stop at the JavaScript block")
	}
	d := waitDocumentEnded(t, e, id)
	if notes := strings.Join(d.Notes, "\n"); strings.Contains(notes, "found in results") || !strings.Contains(notes, "whose value Emacs could not read") {
		t.Errorf("notes: %q, want only the stop at the JavaScript block", notes)
	}
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"1, ") {
		t.Errorf("after: %q, want held by the stop at the JavaScript block", m)
	}
}

// launchEndingIn returns the first attempt fb launched of a block whose
// name ends in suffix, waiting for it, bounded.
func launchEndingIn(t *testing.T, fb *fakeBackend, suffix string) *Attempt {
	t.Helper()
	return launchMatching(t, fb, fmt.Sprintf("no block ending in %q launched", suffix), func(a *Attempt) bool {
		return strings.HasSuffix(a.Block, suffix)
	})
}

// TestEvalRefusedJSStopBeforeFoundStop: a block :eval refuses names a
// JavaScript block whose value Emacs cannot read, and a block found in
// the results of a block between the two stands before the JavaScript
// block: Emacs runs the JavaScript block at the refused block's turn
// (plan.Task.RefusedReaders) and stops there, never reaching the block
// found (plan's TestAgainstEmacs/stop_evalno_js_found_between).
// Whichever ends first here, the notes give the stop at the refused
// block only, and the block after all says it: the stop found in
// results is weighed against the refused block, where the document
// stops, not the JavaScript block it names.
func TestEvalRefusedJSStopBeforeFoundStop(t *testing.T) {
	refusedJSFound(t, "#+begin_src sh :eval no :var x=js\necho \"$x\"\n#+end_src\n\n"+
		"#+name: owner\n#+begin_src sh :results raw\necho nosuch\n#+end_src\nAfter.\n\n", "nosuch", failStopAt+"1, ")
}

// TestFoundStopBeforeEvalRefusedJSStop: the same, the block found
// standing before the refused block: Emacs stops there and never
// reaches the refused block, nor runs the JavaScript block (plan's
// TestAgainstEmacs/stop_evalno_js_found_before). The notes give the stop
// at the block found only, and the block after all says it.
func TestFoundStopBeforeEvalRefusedJSStop(t *testing.T) {
	refusedJSFound(t, "#+name: owner\n#+begin_src sh :results raw\necho nosuch\n#+end_src\nAfter.\n\n"+
		"#+begin_src sh :eval no :var x=js\necho \"$x\"\n#+end_src\n\n", "which :eval refuses", `"No org-babel-execute function for nosuch!"`)
}

// refusedJSFound runs first, then a JavaScript block js whose value
// Emacs cannot read and a block after all, both orders of the ends of
// js and of block owner (of first, printing a block of a language Emacs
// has no function for); it fails t when the notes hold notNoted, or the
// block after does not say held, holding it.
func refusedJSFound(t *testing.T, first, notNoted, held string) {
	t.Helper()
	for _, jsFirst := range []bool{false, true} {
		t.Run(map[bool]string{false: "found first", true: "js first"}[jsFirst], func(t *testing.T) {
			e, rb, id := submitToReport(t, first+
				"#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
				"#+name: after\n#+begin_src sh :var s=owner\necho after\n#+end_src\n")
			owner, js := launchOf(t, rb.fakeBackend, "owner", 1), launchOf(t, rb.fakeBackend, "js", 1)
			// The value Emacs cannot read is that of the run of js the
			// refused block's reference makes (Babel runs js again
			// there); js's own run ends as it.
			jsRef := launchEndingIn(t, rb.fakeBackend, " :var x=js")
			if jsFirst {
				endWith(t, e, rb, id, js, "'   '\n")
				endWith(t, e, rb, id, jsRef, "'   '\n")
				endWith(t, e, rb, id, owner, "#+begin_src nosuch\n#+end_src\n")
			} else {
				endWith(t, e, rb, id, owner, "#+begin_src nosuch\n#+end_src\n")
				endWith(t, e, rb, id, js, "'   '\n")
				endWith(t, e, rb, id, jsRef, "'   '\n")
			}
			// The reading by Emacs of that run's value, when launched,
			// fails (Emacs cannot read it); after's run of owner, if
			// launched before a stop was known, is finished as owner
			// is; after itself is not run.
			read := map[string]bool{}
			for range 4000 {
				d, _ := e.Document(id)
				if d == nil || d.State != Running && d.State != Queued || launchedBlock(rb, "after") {
					break
				}
				for _, a := range rb.launches() {
					if strings.HasSuffix(a.Block, " :var x=js output read by Emacs") && !read[a.ID] {
						read[a.ID] = true
						failRan(rb, a)
					}
				}
				finishRefRuns(rb, d, "after")
				time.Sleep(5 * time.Millisecond)
			}
			if launchedBlock(rb, "after") {
				t.Error("after launched past the stop")
			}
			d := waitDocumentEnded(t, e, id)
			if notes := strings.Join(d.Notes, "\n"); notNoted != "" && strings.Contains(notes, notNoted) || !strings.Contains(notes, "stops this document") {
				t.Errorf("notes: %q, want one stop, not %q", notes, notNoted)
			}
			if m, _ := blockMessage(d, "after"); !strings.Contains(m, held) {
				t.Errorf("after: %q, want held by %q", m, held)
			}
		})
	}
}

// TestEndedDocumentHeldByStopLearnedAtEnd: the end of an attempt that
// makes a stop earlier in the buffer than the one holding the blocks
// ended unrun (here the reading of the run of the JavaScript block a
// block :eval refuses names, after a block found in results stopped the
// document) has them held by it as the attempt's end is applied, not at the next pass: the document
// seen ended between the two (its blocks all ended) says the stop Emacs
// makes, not the one it never reaches. The pass is held back (beforePass)
// while the end is applied and the document read.
func TestEndedDocumentHeldByStopLearnedAtEnd(t *testing.T) {
	holdPass, release := holdNextPass(t)
	e, rb, id := submitToReport(t, "#+begin_src sh :eval no :var x=js\necho \"$x\"\n#+end_src\n\n"+
		"#+name: owner\n#+begin_src sh :results raw\necho nosuch\n#+end_src\nAfter.\n\n"+
		"#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :var s=owner\necho after\n#+end_src\n")
	defer close(release)
	owner, js := launchOf(t, rb.fakeBackend, "owner", 1), launchOf(t, rb.fakeBackend, "js", 1)
	// The value Emacs cannot read is that of the run of js the refused
	// block's reference makes, which Emacs reads (its reading, run
	// here, fails); js's own run ends as it.
	jsRef := launchOf(t, rb.fakeBackend, "block-1 :var x=js", 1)
	endWith(t, e, rb, id, owner, "#+begin_src nosuch\n#+end_src\n")
	// after's run of owner, launched before the stop was known, is
	// finished as owner is.
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after :var s=owner", 1), Finished, 0)
	waitMessage(t, e, id, "after", `"No org-babel-execute function for nosuch!"`)
	endWith(t, e, rb, id, js, "'   '\n")
	endWith(t, e, rb, id, jsRef, "'   '\n")
	reading := launchOf(t, rb.fakeBackend, "block-1 :var x=js output read by Emacs", 1)
	holdPass(e)
	failRan(rb, reading) // applied here, the pass held back
	d, _ := e.Document(id)
	if d.State == Running || d.State == Queued {
		t.Fatalf("document %s, want ended once its last block ended", d.State)
	}
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"1, ") {
		t.Errorf("after: %q, want held by the stop at the refused block (line 1)", m)
	}
}

// holdNextPass returns holdPass, which has the engine start a pass and
// waits until that pass is held at its start, and release, which lets
// it go on once closed: a test reads the document between an attempt's
// end and the pass that follows it. The hook is set before the engine
// starts and cleared once it has stopped (cleanups run last first): its
// loop reads it.
func holdNextPass(t *testing.T) (holdPass func(*Engine), release chan struct{}) {
	var armed atomic.Bool
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	beforePass = func(*Engine) {
		if armed.Load() {
			once.Do(func() { close(entered); <-release })
		}
	}
	t.Cleanup(func() { beforePass = nil })
	return func(e *Engine) {
		t.Helper()
		armed.Store(true)
		e.poke()
		select {
		case <-entered:
		case <-time.After(proctest.WaitTimeout(t)):
			t.Fatal("no pass started")
		}
	}, release
}
