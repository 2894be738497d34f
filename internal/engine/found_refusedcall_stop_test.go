package engine

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// foundRefusedCallRawDoc has block a print a block :eval no refuses
// whose :var calls maker with an argument under which maker prints a raw
// byte, and a block after it (as testdata/stop_found_evalno_var_call_raw.org
// of package plan, checked against Emacs): Emacs runs the call resolving
// the :var values, is asked for a coding system writing its output, and
// stops at the refused block, never running the block found after it.
const foundRefusedCallRawDoc = "#+name: maker\n#+begin_src sh :var n=1\nif [ \"$n\" = 2 ]; then printf 'a\\377b'; else echo \"n=$n\"; fi\n#+end_src\n\n" +
	"#+name: a\n#+begin_src sh :results raw\nprintf '#+begin_src sh :eval no :var m=maker(n=2)\\necho skipped\\n#+end_src\\n\\n#+begin_src sh\\necho after\\n#+end_src\\n'\n#+end_src\n"

// foundRefusedCallRawOut is what a prints.
const foundRefusedCallRawOut = "#+begin_src sh :eval no :var m=maker(n=2)\necho skipped\n#+end_src\n\n#+begin_src sh\necho after\n#+end_src\n"

// TestFoundRefusedCallStops: the call of the refused block found in a's
// results prints a raw byte, which stops org-babel-execute-buffer at the
// refused block: the block found after it, which waits for the call (it
// stands after it in the buffer), is not run, saying why; the document
// says where it stopped, and a's results are written.
func TestFoundRefusedCallStops(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundRefusedCallRawDoc)
	endRefusedCall(t, rb, foundRefusedCallRawOut, "a-found-2", "a\xffb")
	d := waitDocumentEnded(t, e, id)
	if launchedBlock(rb, "a-found-2") {
		t.Error("the block found after the refused block ran, though the call's output stopped the document before it")
	}
	checkHeldByCall(t, d, "a-found-2", "End of file during parsing")
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if want := "\n#+RESULTS: a\n" + foundRefusedCallRawOut; !strings.HasSuffix(got, want) || strings.Contains(got, ": after") {
		t.Errorf("results document:\n%s\nwant it to end with a's results, the block found after the stop not run", got)
	}
}

// checkHeldByCall fails the test unless block name of d, one added or
// found, says why, the stop the call of a refused block made, and the
// document's notes say it stopped so.
func checkHeldByCall(t *testing.T, d *DocumentView, name, why string) {
	t.Helper()
	if msg := foundMessage(d, name); !strings.Contains(msg, why) {
		t.Errorf("%s says %q, want the stop the call made (%s)", name, msg, why)
	}
	if !strings.Contains(strings.Join(d.Notes, "\n"), why) {
		t.Errorf("the document's notes do not say it stopped: %q", d.Notes)
	}
}

// refusedCallDocBlocks has block a print (refusedCallDocOut) a block
// :eval never whose :var calls maker with an argument under which maker
// prints a raw byte, and a block of the document submitted after it,
// referring to a.
const refusedCallDocBlocks = "#+name: maker\n#+begin_src sh :var n=1\nif [ \"$n\" = 2 ]; then printf 'a\\377b'; else echo \"n=$n\"; fi\n#+end_src\n\n" +
	"#+name: a\n#+begin_src sh :results raw\nprintf x\n#+end_src\nText right after.\n\n" +
	"#+name: after\n#+begin_src sh :var x=a\necho after\n#+end_src\n"

// refusedCallDocOut is what a of refusedCallDocBlocks prints.
const refusedCallDocOut = "#+begin_src sh :eval never :var m=maker(n=2)\necho skipped\n#+end_src\n"

// TestFoundRefusedCallStopsDocumentBlocks: as TestFoundRefusedCallStops,
// the refused block :eval never, followed by a block of the document
// submitted (as testdata/stop_found_evalnever_var_call_raw.org of
// package plan), which refers to a: that block waits for the call, which
// stops the document before it; it is not run. A call whose output makes
// no stop lets it run.
//
// after waits for nothing but its run of a for the reference (it does
// not wait for a itself: Borges starts at once what waits for nothing,
// and a block started before a stop is known runs on, its results not
// written), so that run is ended only once the refused block is found:
// ended before, after may start at once, before a has even ended (it
// did, now and then, under load: the test's own race, not the
// engine's).
func TestFoundRefusedCallStopsDocumentBlocks(t *testing.T) {
	for _, tc := range refusedCallOutputs {
		t.Run(tc.name, func(t *testing.T) {
			_, rb, e, _, id := submitOnDisk(t, refusedCallDocBlocks)
			// after's :var x=a runs a again (Babel runs the block at
			// the reference): a run of its own, started at once with a
			// (nothing known to wait for), that after waits for; ended
			// once the call is found, after waits for the call alone.
			ref := launchOf(t, rb.fakeBackend, "after :var x=a", 1)
			endRefusedCall(t, rb, refusedCallDocOut, "after", tc.callOut, func() { finishLaunch(rb.fakeBackend, ref, "x") })
			checkAfterDecided(t, rb, e, id, tc.stops)
		})
	}
}

// endRefusedCall ends maker and a (printing out), then, the call of the
// refused block found in a's results launched, has found (each) end what
// else the test ends then, then ends the call with callOut, failing the
// test when block after, which stands after that block in the buffer,
// launched before the call ended: before the call launched, or as the
// backend launched it while the call had not ended (not only as seen at
// one moment, as a launch comes off the engine's lock).
func endRefusedCall(t *testing.T, rb *reportBackend, out, after, callOut string, found ...func()) {
	t.Helper()
	var ended, early atomic.Bool
	rb.mu.Lock()
	rb.duringLaunch = func(a *Attempt) {
		if a.Block == after && !ended.Load() {
			early.Store(true)
		}
	}
	rb.mu.Unlock()
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "maker", 1), "n=1\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), out)
	call := launchOf(t, rb.fakeBackend, foundRefusedCall, 1)
	for _, f := range found {
		f()
	}
	if launchedBlock(rb, after) || early.Load() {
		t.Fatalf("block %s launched before the call of the refused block before it ended", after)
	}
	ended.Store(true)
	finishLaunch(rb.fakeBackend, call, callOut)
	if early.Load() {
		t.Fatalf("block %s launched before the call of the refused block before it ended", after)
	}
}

// TestFoundRefusedCallStopsDocumentBlocksValueRead: as
// TestFoundRefusedCallStopsDocumentBlocks, the last thing after waits
// for, the read of the value of its run of a for its reference (off the
// engine's lock), held until a has ended and the refused block is found
// in its results (found under the lock, as a's end is taken): after
// then waits for the call, and the call's stop holds it: it is not
// launched before the call ended, nor at all when the call stops the
// document.
func TestFoundRefusedCallStopsDocumentBlocksValueRead(t *testing.T) {
	for _, tc := range refusedCallOutputs {
		t.Run(tc.name, func(t *testing.T) {
			g := newGatedReads()
			e, _ := startEngine(t, t.TempDir(), g, Config{})
			v, err := e.Submit(context.Background(), refusedCallDocBlocks)
			if err != nil {
				t.Fatal(err)
			}
			ref := launchOf(t, g.fakeBackend, "after :var x=a", 1)
			g.mu.Lock()
			g.held = ref.ID
			g.mu.Unlock()
			finishLaunch(g.fakeBackend, ref, "x")
			enteredRead(t, g)
			endRefusedCall(t, g.reportBackend, refusedCallDocOut, "after", tc.callOut, func() {
				close(g.output)
				waitWaitingFor(t, e, v.ID, "after", foundRefusedCall)
			})
			checkAfterDecided(t, g.reportBackend, e, v.ID, tc.stops)
		})
	}
}

// enteredRead waits, bounded, for a read g holds to begin.
func enteredRead(t *testing.T, g *gatedReads) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(heldReadLimit):
		t.Fatal("the held read never began")
	}
}

// checkAfterDecided finishes block after when the call's output does
// not stop the document, and checks, the document ended, that after ran
// only then, and says the stop the call made otherwise.
func checkAfterDecided(t *testing.T, rb *reportBackend, e *Engine, id string, stops bool) {
	t.Helper()
	if !stops {
		finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), "after\n")
	}
	d := waitDocumentEnded(t, e, id)
	if got := launchedBlock(rb, "after"); got == stops {
		t.Errorf("block after launched: %v, want %v", got, !stops)
	}
	if msg, _ := blockMessage(d, "after"); stops && !strings.Contains(msg, "End of file during parsing") {
		t.Errorf("block after says %q, want the stop the call made", msg)
	}
}
