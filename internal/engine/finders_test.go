package engine

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// findersBetween is a document of n finders (blocks f0, f1… with header
// finder) each followed by a block of session s (s0, s1…).
func findersBetween(n int, finder string) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "#+name: f%d\n#+begin_src sh %s\necho f%d\n#+end_src\n\n", i, finder, i)
		fmt.Fprintf(&sb, "#+name: s%d\n#+begin_src sh :session s\necho s%d\n#+end_src\n\n", i, i)
	}
	return sb.String()
}

// TestFinderViewScales: a view of a document of finders that are blocks
// of a session (raw results, session t) between the blocks of another
// session grows with the document, not with a power of it (the view
// holds the engine's lock): twice the blocks, at most three times the
// allocations. It walked every finder's dependencies for every queued
// block and every finder before it.
func TestFinderViewScales(t *testing.T) {
	allocs := func(n int) float64 {
		e, rb, v := submitRoomy(t, findersBetween(n, ":session t :results raw"))
		waitLaunches(t, rb.fakeBackend, 1)
		waitState(t, e, v.ID, "f0", Staged)
		return testing.AllocsPerRun(2, func() { e.Document(v.ID) })
	}
	small, large := allocs(40), allocs(80)
	t.Logf("allocations of a view: %v at 80 blocks, %v at 160", small, large)
	if large > 3*small {
		t.Errorf("a view of twice the blocks allocates %.1f times as much", large/small)
	}
}

// TestFinderWiringIsLinear: the finders of a document wake, when they
// change, the blocks of a session waiting for them, not every block of a
// session after them: 300 finders between 300 blocks of a session make
// at most a few edges each. Each woke every later block of the session
// (45,150 edges).
func TestFinderWiringIsLinear(t *testing.T) {
	const n = 300
	e, rb, v := submitRoomy(t, findersBetween(n, ":results raw"))
	waitLaunches(t, rb.fakeBackend, 1)
	e.mu.Lock()
	ds := e.docs[v.ID]
	edges := 0
	for _, f := range ds.finders {
		edges += len(f.dependents)
	}
	known := ds.findersKnown
	e.mu.Unlock()
	if !known {
		t.Fatal("finders not known after a pass")
	}
	if edges > 4*n {
		t.Errorf("%d finders wake %d session blocks in all, want at most %d", n, edges, 4*n)
	}
}

// TestFinderPostWaited: the results written for a block with a :post are
// its :post task's, which may hold a block of a session: the session's
// later block (post) waits for that task, not only for the block, and the
// session runs once, the found block in its place. post launched while
// the :post task ran, and the session ran again for the found block.
func TestFinderPostWaited(t *testing.T) {
	e, rb, v := submitRoomy(t, "#+name: pre\n#+begin_src sh :session s\nx=1\n#+end_src\n\n"+
		"#+name: wrapper\n#+begin_src sh :results output :var t=\"\"\necho \"$t\"\n#+end_src\n\n"+
		"#+name: f\n#+begin_src sh :results raw :post wrapper(t=*this*)\necho hi\n#+end_src\nText.\n\n"+
		"#+name: post\n#+begin_src sh :session s\necho post $x\n#+end_src\n")
	postTask, done := holdUntilWaited(t, e, rb, v.ID, "post", func(a *Attempt) (string, bool) {
		if strings.HasPrefix(a.Block, "f :post") {
			return "#+begin_src sh :session s\necho found $x\n#+end_src\n", true
		}
		return "", false
	})
	sessionRanOnce(t, e, rb, v.ID, postTask, done, "f's :post task")
}

// sessionRanOnce checks that block post of document id has not launched
// while held (what names it) runs, then finishes held and the rest of the
// document (done: the launches answered so far), and checks that the
// blocks of the session, pre and post, launched once each.
func sessionRanOnce(t *testing.T, e *Engine, rb *reportBackend, id string, held *Attempt, done int, what string) {
	t.Helper()
	if held == nil {
		t.Fatalf("%s not launched", what)
	}
	if countLaunches(rb, "post") > 0 {
		t.Fatalf("post launched while %s, whose results may hold a block of its session, runs", what)
	}
	finish(rb.fakeBackend, held, Finished, 0)
	finishAll(t, e, rb, id, done)
	if n := countLaunches(rb, "pre"); n != 1 {
		t.Errorf("pre launched %d times, want 1", n)
	}
	if n := countLaunches(rb, "post"); n != 1 {
		t.Errorf("post launched %d times, want 1", n)
	}
}

// holdUntilWaited answers document id's launches as answer says (their
// output; hold: left running, the first such one kept), finishing the
// others, until block waiter is queued waiting for the held one or has
// launched (bounded). It returns the held attempt (nil for none) and how
// many launches it answered or held.
func holdUntilWaited(t *testing.T, e *Engine, rb *reportBackend, id, waiter string, answer func(*Attempt) (string, bool)) (*Attempt, int) {
	t.Helper()
	var held *Attempt
	done := 0
	for range 2000 {
		l := rb.launches()
		for ; done < len(l); done++ {
			out, hold := answer(l[done])
			if out != "" {
				rb.setOutput(l[done].ID, out)
			}
			if hold {
				if held == nil {
					held = l[done]
				}
				continue
			}
			finish(rb.fakeBackend, l[done], Finished, 0)
		}
		if held != nil && queuedWaitingFor(e, id, waiter, held.Block) || countLaunches(rb, waiter) > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	return held, done
}

// queuedWaitingFor reports whether block name of document id is queued,
// waiting for block what.
func queuedWaitingFor(e *Engine, id, name, what string) bool {
	d, _ := e.Document(id)
	if d == nil {
		return false
	}
	for _, b := range d.Blocks {
		for _, in := range b.Instances {
			if b.Name == name && in.State == Queued && strings.Contains(in.Waiting, what+" (") {
				return true
			}
		}
	}
	return false
}

// TestWrapExampleIsNoFinder: output wrapped in an example block is
// escaped (",#+begin_src"), and Emacs finds no block in it: a later block
// of a session does not wait for it, and launches once the session's
// block before it has finished. It waited for the example's block.
func TestWrapExampleIsNoFinder(t *testing.T) {
	e, rb, v := submitRoomy(t, "#+name: pre\n#+begin_src sh :session s\nx=1\n#+end_src\n\n"+
		"#+name: f\n#+begin_src sh :results output :wrap example\necho slow\n#+end_src\n\n"+
		"#+name: post\n#+begin_src sh :session s\necho post $x\n#+end_src\n")
	pre := launchOf(t, rb.fakeBackend, "pre", 1)
	f := launchOf(t, rb.fakeBackend, "f", 1)
	rb.sink(Update{AttemptID: f.ID, State: Running})
	waitState(t, e, v.ID, "f", Running)
	finish(rb.fakeBackend, pre, Finished, 0)
	waitState(t, e, v.ID, "pre", Finished)
	for range 2000 {
		if queuedWaitingFor(e, v.ID, "post", "f") {
			t.Fatal("post waits for f, whose example block can hold no block")
		}
		if countLaunches(rb, "post") > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("post never launched")
}

// TestQueuedFinderLeavesSessionsToClose: a finder still queued (behind a
// dependency that runs, or for resources) does not keep the document's
// sessions open once their blocks have ended: an open session may hold
// what the finder waits for. Only one staged or running does, as a block
// it runs may write one. The session stayed open until the finder ended.
func TestQueuedFinderLeavesSessionsToClose(t *testing.T) {
	e, rb, v := submitRoomy(t, "#+name: dep\n#+begin_src sh\necho slow\n#+end_src\n\n"+
		"#+name: pre\n#+begin_src sh :session s\nx=1\n#+end_src\n\n"+
		"#+name: post\n#+begin_src sh :session s\necho post $x\n#+end_src\n\n"+
		"#+name: f\n#+begin_src sh :results raw :var d=dep\necho \"$d\"\n#+end_src\nText.\n")
	dep := launchOf(t, rb.fakeBackend, "dep", 1)
	pre := launchOf(t, rb.fakeBackend, "pre", 1)
	finish(rb.fakeBackend, pre, Finished, 0)
	post := launchOf(t, rb.fakeBackend, "post", 1)
	finish(rb.fakeBackend, post, Finished, 0)
	waitState(t, e, v.ID, "post", Finished)
	for i := 0; i < 2000 && !slices.Contains(rb.closedSessions(), pre.Session); i++ {
		time.Sleep(5 * time.Millisecond)
	}
	if !slices.Contains(rb.closedSessions(), pre.Session) {
		t.Fatalf("session %s kept open while f, queued behind dep, waits", pre.Session)
	}
	// f waits for the run of dep its :var d=dep makes (Babel runs dep
	// again at the reference), launched at once beside dep: both end.
	ref := launchOf(t, rb.fakeBackend, "f :var d=dep", 1)
	n := len(rb.launches())
	finish(rb.fakeBackend, dep, Finished, 0)
	finish(rb.fakeBackend, ref, Finished, 0)
	finishAll(t, e, rb, v.ID, n)
}

// TestStoppedDocumentLeavesNoFinderWaits: a document org-babel-execute-buffer
// stops at a block found in results ends: the finder after the stop and
// the session's block after it, never run, wait for nothing that does
// not end, and are not launched.
func TestStoppedDocumentLeavesNoFinderWaits(t *testing.T) {
	e, rb, v := submitRoomy(t, "#+name: pre\n#+begin_src sh :session s\nx=1\n#+end_src\n\n"+
		"#+name: owner\n#+begin_src sh :results raw\necho '#+begin_src nosuchlang'\necho '#+end_src'\n#+end_src\nAfter.\n\n"+
		"#+name: f2\n#+begin_src sh :results raw :var o=owner\necho f2\n#+end_src\nText.\n\n"+
		"#+name: post\n#+begin_src sh :session s\necho post $x\n#+end_src\n")
	owner := launchOf(t, rb.fakeBackend, "owner", 1)
	rb.setOutput(owner.ID, "#+begin_src nosuchlang\n#+end_src\n")
	done := 0
	for range 4000 {
		l := rb.launches()
		for ; done < len(l); done++ {
			finish(rb.fakeBackend, l[done], Finished, 0)
		}
		if d, _ := e.Document(v.ID); d != nil && d.State.Terminal() && done == len(rb.launches()) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if d, _ := e.Document(v.ID); d == nil || !d.State.Terminal() {
		t.Fatal("the stopped document did not end")
	}
	for _, b := range []string{"f2", "post"} {
		if n := countLaunches(rb, b); n != 0 {
			t.Errorf("%s, after the stop, launched %d times", b, n)
		}
	}
}

// TestFoundFinderWaited: the block f's raw results hold (f-found-1) has
// raw results too, which may hold a block of session s: the session's
// later block (post) waits for it, as Emacs runs it, and the block found
// in its results, before post, and the session runs once. post launched
// once f ended, and the session ran again for the block found in
// f-found-1's results.
func TestFoundFinderWaited(t *testing.T) {
	e, rb, v := submitRoomy(t, "#+name: pre\n#+begin_src sh :session s\nx=1\n#+end_src\n\n"+
		"#+name: f\n#+begin_src sh :results raw\ncat blocks\n#+end_src\nText.\n\n"+
		"#+name: post\n#+begin_src sh :session s\necho post $x\n#+end_src\n")
	outputs := map[string]string{
		"f":         "#+begin_src sh :results raw\ncat more-blocks\n#+end_src\nMore.\n",
		"f-found-1": "#+begin_src sh :session s\necho found $x\n#+end_src\n",
	}
	nested, done := holdUntilWaited(t, e, rb, v.ID, "post", func(a *Attempt) (string, bool) {
		// Left running: post must not launch meanwhile.
		return outputs[a.Block], a.Block == "f-found-1"
	})
	sessionRanOnce(t, e, rb, v.ID, nested, done, "f-found-1 (the block found in f's results)")
	if n := countLaunches(rb, "f-found-1-found-1"); n != 1 {
		t.Errorf("the block found in f-found-1's results launched %d times, want 1", n)
	}
}

// TestFinderPassScales: a scheduling pass over the blocks of a session
// between finders, all waiting, grows with the document, not with a
// power of it (the pass holds the engine's lock): twice the blocks, at
// most two and a half times the bytes allocated. Each queued block of
// the session found the finder it waits for, taking every finder before
// it (3.4 times), though it waits for the block before it in the
// session, not for a finder yet.
func TestFinderPassScales(t *testing.T) {
	ctx := context.Background()
	bytes := func(n int) float64 {
		e, _ := passEngine(t)
		v, err := e.Submit(ctx, findersBetween(n, ":results raw"))
		if err != nil {
			t.Fatal(err)
		}
		e.schedule(ctx)
		pass := func() {
			e.mu.Lock()
			for _, b := range e.docs[v.ID].blocks {
				e.touchBlock(b)
			}
			e.mu.Unlock()
			e.schedule(ctx)
		}
		pass()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 3 {
			pass()
		}
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc - before.TotalAlloc)
	}
	small, large := bytes(100), bytes(200)
	t.Logf("bytes allocated by a pass: %v at 200 blocks, %v at 400", small/3, large/3)
	if large > 2.5*small {
		t.Errorf("a pass over twice the blocks allocates %.1f times as much", large/small)
	}
}
