package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// stopSlowAfter has block stop, whose results (a table of special rows)
// stop Emacs, then slow, and after, which waits for slow.
const stopSlowAfter = "#+name: stop\n#+begin_src sh :results table\nprintf '/\\ta\\n'\n#+end_src\n\n" + slowAfter

// submitCounted submits doc to an engine over a countedReads backend,
// and returns them and the document's view.
func submitCounted(t *testing.T, doc string) (*Engine, *countedReads, *DocumentView) {
	t.Helper()
	e, _, c, v := submitCountedIn(t, t.TempDir(), doc)
	return e, c, v
}

// submitCountedIn is submitCounted with the engine's store in dir, and
// what stops the engine.
func submitCountedIn(t *testing.T, dir, doc string) (*Engine, func(), *countedReads, *DocumentView) {
	t.Helper()
	c := newCountedReads()
	e, stop := startEngine(t, dir, c, Config{})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return e, stop, c, v
}

// heldByRead reports whether a pass held block name of document id
// for a read of an output once its attempt ended (holdAtEnd).
func heldByRead(e *Engine, id, name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	ds := e.docs[id]
	if ds == nil {
		return false
	}
	for _, in := range ds.endReads {
		for b := range in.endHeld {
			if b.name == name {
				return true
			}
		}
	}
	return false
}

// TestRestartedHeldBlockViewedAsScheduled: block after, held unrun by
// stop's results, is restarted while stop runs again, the backend full:
// run as asked, it is no block that has not started, and the pass does
// not hold it while stop's new output is read. Its view says so: it waits
// for resources, not for the read (the view and the scheduler decide
// "not started" alike), as does the run of slow its :var s=slow makes
// again, which after waits for.
func TestRestartedHeldBlockViewedAsScheduled(t *testing.T) {
	e, c, v := submitCounted(t, stopSlowAfter)
	d := stopThenSlowEnded(t, e, c.reportBackend, v.ID, launchOf(t, c.fakeBackend, "stop", 1), launchOf(t, c.fakeBackend, "slow", 1), "/\ta\n", Finished)
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, "stopped before it") {
		t.Fatalf("after, before the restarts: %q", m)
	}
	ctx := context.Background()
	if err := e.RestartBlock(ctx, v.ID, "stop"); err != nil {
		t.Fatal(err)
	}
	stop := launchOf(t, c.fakeBackend, "stop", 2)
	c.setFull(true)
	if err := e.RestartBlock(ctx, v.ID, "after"); err != nil {
		t.Fatal(err)
	}
	endHeld(t, c, stop, "/\ta\n")
	// Sampled a while: passes come and go meanwhile.
	for range 100 {
		d, _ := e.Document(v.ID)
		var waiting string
		for _, b := range d.Blocks {
			if b.Name == "after" && len(b.Instances) == 1 {
				waiting = b.Instances[0].Waiting
			}
		}
		if waiting == "" {
			t.Fatalf("after not waiting: %+v", d)
		}
		// after, and the run of slow its :var s=slow makes again as it
		// is restarted (Babel runs slow again at the reference), which
		// after waits for.
		for _, name := range []string{"after", afterSlowRun} {
			for _, b := range d.Blocks {
				if b.Name != name || len(b.Instances) != 1 {
					continue
				}
				w := b.Instances[0].Waiting
				viewed := strings.Contains(w, "stop"+outputRead)
				if held := heldByRead(e, v.ID, name); viewed != held {
					t.Fatalf("%s viewed waiting %q, held by the read: %v", name, w, held)
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Capacity freed before the read ends: the read's end wakes the pass
	// that launches after. Freed after it, the pass woken could run first,
	// see the backend full, and nothing would wake the engine again
	// (setFull does not; a real backend's capacity is its total, the free
	// part changing only with attempts' ends, each of which wakes it).
	c.setFull(false)
	c.release()
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, afterSlowRun, 2), Finished, 0)
	launchOf(t, c.fakeBackend, "after", 1)
}

// TestEndReadPlaceFoundOnce: while tbl's output is read, the many
// blocks after it that have not started wait for it, looked at by pass
// after pass and by views: where a stop tbl's read may find would be made
// (endReadPlace) is found for that read, not for every block at every
// look: as often for 30 blocks waiting as for 10 (900 times for 30
// before).
func TestEndReadPlaceFoundOnce(t *testing.T) {
	const n, m = 10, 30
	few, many := endReadPlaceFinds(t, n), endReadPlaceFinds(t, m)
	// A find or two more (a pass that changed what places are made of)
	// is not growth; one more for every block more is.
	if many-few >= m-n {
		t.Errorf("tbl's hold place found %d times while %d blocks waited for its read, %d times while %d did: want about as often", few, n, many, m)
	}
}

// endReadPlaceFinds is how many times the place tbl's read holds blocks
// from is found while n blocks after it wait for that read, looked at by
// passes and views.
func endReadPlaceFinds(t *testing.T, n int) int {
	t.Helper()
	var doc strings.Builder
	doc.WriteString("#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
		"#+name: tbl\n#+begin_src sh :results table\nprintf '1\\t2\\n'\n#+end_src\n\n")
	for i := range n {
		fmt.Fprintf(&doc, "#+name: after%d\n#+begin_src sh :var s=slow\necho %d\n#+end_src\n\n", i, i)
	}
	e, _, c, id, slow := heldAtEnd(t, t.TempDir(), doc.String(), "tbl", "1\t2\n")
	finish(c.fakeBackend, slow, Finished, 0)
	// Each after's :var s=slow runs slow again, a run of its own,
	// which after waits for: launched before tbl ended, or, at after's
	// turn, held as after is, waiting for tbl's output too.
	held := map[int]bool{}
	for i := range n {
		run := fmt.Sprintf("after%d :var s=slow", i)
		waiting := ""
		for range 4000 {
			if slices.Contains(launchedBlocks(c.fakeBackend), run) {
				finish(c.fakeBackend, launchOf(t, c.fakeBackend, run, 1), Finished, 0)
				waiting = fmt.Sprintf("after%d", i)
				break
			}
			if queuedWaitingFor(e, id, run, "tbl") {
				held[i], waiting = true, run
				break
			}
			time.Sleep(time.Millisecond)
		}
		if waiting == "" || !waitsOn(e, id, waiting, "tbl"+outputRead) {
			t.Fatalf("%s neither launched nor waiting for tbl's output", run)
		}
	}
	e.mu.Lock()
	found := e.docs[id].endPlacesFound
	e.mu.Unlock()
	c.release()
	for i := range n {
		if held[i] {
			finish(c.fakeBackend, launchOf(t, c.fakeBackend, fmt.Sprintf("after%d :var s=slow", i), 1), Finished, 0)
		}
		finish(c.fakeBackend, launchOf(t, c.fakeBackend, fmt.Sprintf("after%d", i), 1), Finished, 0)
	}
	if d := waitDocumentEnded(t, e, id); d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
	return found
}

// TestReaderRunAgainHeldByRead: block ev's output is read in Emacs by
// a task of its own (a reader, which runs as not started whenever it is
// queued: runsUnstarted). ev runs again, and so does its reader, queued
// again after it ran: while ev's new output is read once it ended (its
// results, a table, may stop Emacs), the reader, which refers to it,
// waits, launched only once the read has ended.
func TestReaderRunAgainHeldByRead(t *testing.T) {
	const doc = "#+name: ev\n#+begin_src ruby :results output table\nputs x\n#+end_src\n"
	reader := plan.ReaderOf("ev")
	e, c, v := submitCounted(t, doc)
	ev := launchOf(t, c.fakeBackend, "ev", 1)
	c.setOutput(ev.ID, "(+ 1 2)\n")
	finish(c.fakeBackend, ev, Finished, 0)
	r := launchOf(t, c.fakeBackend, reader, 1)
	c.setOutput(r.ID, "3")
	finish(c.fakeBackend, r, Finished, 0)
	waitDocumentEnded(t, e, v.ID)
	if err := e.RestartBlock(context.Background(), v.ID, "ev"); err != nil {
		t.Fatal(err)
	}
	ev = launchOf(t, c.fakeBackend, "ev", 2)
	endHeld(t, c, ev, "(+ 1 2)\n")
	if !waitsOn(e, v.ID, reader, "ev"+outputRead) {
		d, _ := e.Document(v.ID)
		t.Fatalf("the reader, queued again, not waiting for ev's output: %+v", d)
	}
	for range 50 {
		if n := countLaunches(c.reportBackend, reader); n != 1 {
			c.release()
			t.Fatalf("the reader launched %d times while ev's new output was read, want once (before)", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.release()
	r = launchOf(t, c.fakeBackend, reader, 2)
	c.setOutput(r.ID, "3")
	finish(c.fakeBackend, r, Finished, 0)
	if d := waitDocumentEnded(t, e, v.ID); d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
}

// TestValueReadOffLock: block a, whose results cannot stop Emacs
// (:results output), has its value read for block b, which refers to it,
// once the attempt of the run of a b's :var x=a makes (aRun: Babel runs
// a again at the reference, b taking that run's value) ended, off the
// engine's lock: while that read takes long, views answer, b waits for
// it, not launched, and runs once it is known with its value. That
// run's output is read once.
func TestValueReadOffLock(t *testing.T) {
	const doc = "#+name: a\n#+begin_src sh :results output\necho value\n#+end_src\n\n" +
		"#+name: b\n#+begin_src sh :var x=a\necho \"$x\"\n#+end_src\n"
	const aRun = "b :var x=a"
	e, c, v := submitCounted(t, doc)
	a := launchOf(t, c.fakeBackend, "a", 1)
	endWith(t, e, c.reportBackend, v.ID, a, "value\n")
	r := launchOf(t, c.fakeBackend, aRun, 1)
	endHeld(t, c, r, "value\n")
	viewedWhileHeld(t, e, c, v.ID, aRun)
	if !waitsOn(e, v.ID, "b", aRun+outputRead) {
		d, _ := e.Document(v.ID)
		t.Fatalf("b not waiting for its run of a's output: %+v", d)
	}
	if launchedBlock(c.reportBackend, "b") {
		t.Fatal("b launched while its run of a's value was read")
	}
	c.release()
	b := launchOf(t, c.fakeBackend, "b", 1)
	if !strings.Contains(b.Script, "value") {
		t.Errorf("b's program, without a's value: %q", b.Script)
	}
	finish(c.fakeBackend, b, Finished, 0)
	waitDocumentEnded(t, e, v.ID)
	if n := c.reads(r.ID); n != 1 {
		t.Errorf("the output of b's run of a read %d times, want once", n)
	}
}
