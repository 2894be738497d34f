package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// instanceOf is the first instance of a document's block, read under e.mu.
func instanceOf(e *Engine, doc, block string) (attempts int, st State) {
	e.mu.Lock()
	defer e.mu.Unlock()
	in := e.docs[doc].byName[block].instances[0]
	return in.rec.Attempts, State(in.rec.State)
}

// A block looked at twice in one pass is launched once: c's :cache yes
// results stand, so the pass ends c unlaunched and looks at its
// dependent d twice (in the round that ended c, then in the next,
// touched by c's end). d's instance is ready once in the pass (readyIn),
// so it has one attempt, launched once.
func TestSchedulePassReadyOnceWhenLookedAtTwice(t *testing.T) {
	text := cachedResults(t, "#+name: c\n#+begin_src sh :cache yes\necho c\n#+end_src\n", "c", "c\n") +
		"\n#+name: d\n#+begin_src sh :var x=c\necho $x\n#+end_src\n"
	e, fb, v := scheduled(t, text)
	if _, st := instanceOf(e, v.ID, "c"); st != Finished {
		t.Fatalf("c is %s, want finished unlaunched (cached)", st)
	}
	// Both looked at in the first round, d again in the second.
	if e.examined != 3 {
		t.Fatalf("the pass looked at %d instances, want 3 (c, d, d again)", e.examined)
	}
	if n, st := instanceOf(e, v.ID, "d"); n != 1 || st != Staged {
		t.Fatalf("d has %d attempts and is %s, want 1 attempt, staged", n, st)
	}
	var ds []string
	for _, a := range waitLaunches(t, fb, 1) {
		ds = append(ds, a.Block)
	}
	if len(ds) != 1 || ds[0] != "d" {
		t.Fatalf("launched %v, want d once", ds)
	}
}

// waitingText is n sh blocks w0…w(n-1) of one CPU each, independent.
func waitingText(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "#+name: w%d\n#+begin_src sh :cpu 1\necho %d\n#+end_src\n\n", i, i)
	}
	return sb.String()
}

// passBufsHoldNothing fails the test if a list a pass keeps for the next
// reaches a block or an instance, anywhere up to its capacity.
func passBufsHoldNothing(t *testing.T, e *Engine, after string) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	p := &e.passBufs
	if len(p.ready) != 0 || len(p.again) != 0 || len(p.blocks) != 0 || len(p.cands) != 0 || len(p.looked) != 0 {
		t.Fatalf("after %s the kept lists are not empty: ready %d, again %d, blocks %d, cands %d, looked %d",
			after, len(p.ready), len(p.again), len(p.blocks), len(p.cands), len(p.looked))
	}
	for name, l := range map[string][]*instState{"ready": p.ready, "looked": p.looked} {
		for i, in := range l[:cap(l)] {
			if in != nil {
				t.Fatalf("after %s the kept %s list holds an instance at %d of %d", after, name, i, cap(l))
			}
		}
	}
	for name, l := range map[string][]*blockState{"again": p.again, "blocks": p.blocks} {
		for i, b := range l[:cap(l)] {
			if b != nil {
				t.Fatalf("after %s the kept %s list holds a block at %d of %d", after, name, i, cap(l))
			}
		}
	}
}

// The lists a pass keeps for the next are emptied, so that no block or
// instance of a document stays reachable through them: after a pass
// that found instances ready, admitted some and left others waiting,
// after a shorter pass, and after an idle one.
func TestSchedulePassKeptListsHoldNothing(t *testing.T) {
	e, fb := passEngine(t)
	ctx := context.Background()
	v, err := e.Submit(ctx, waitingText(6))
	if err != nil {
		t.Fatal(err)
	}
	e.schedule(ctx)
	p := &e.passBufs
	if cap(p.ready) < 6 || cap(p.blocks) < 6 {
		t.Fatalf("the first pass kept lists of capacity ready %d, blocks %d: want at least 6, 6 (they were used)",
			cap(p.ready), cap(p.blocks))
	}
	passBufsHoldNothing(t, e, "a pass that left 4 of 6 waiting")
	a, _ := current(e, v.ID, "w0")
	finishAttempt(e, a)
	e.schedule(ctx)
	passBufsHoldNothing(t, e, "a pass over the 4 left waiting")
	e.schedule(ctx)
	passBufsHoldNothing(t, e, "a pass over the 3 left waiting")
	waitLaunches(t, fb, 3)
	// Every block run to its end, a pass at a time (two run at once: at
	// most 5 more passes), then a pass with nothing to look at.
	left := 5
	for pass := 0; pass < 6 && left > 0; pass++ {
		left = 0
		for i := 1; i < 6; i++ {
			a, st := current(e, v.ID, fmt.Sprintf("w%d", i))
			switch st {
			case Staged, Running:
				finishAttempt(e, a)
			case Finished:
				continue
			}
			left++
		}
		e.schedule(ctx)
	}
	for i := 0; i < 6; i++ {
		if _, st := instanceOf(e, v.ID, fmt.Sprintf("w%d", i)); st != Finished {
			t.Fatalf("w%d is %s once every block was run, want finished", i, st)
		}
	}
	e.schedule(ctx)
	if e.examined != 0 {
		t.Fatalf("the idle pass looked at %d instances, want none", e.examined)
	}
	passBufsHoldNothing(t, e, "an idle pass")
}

// A block waiting for capacity stays queued pass after pass while the
// backend is full, looked at by none of them (nothing changed), and is
// launched by the first pass after capacity is free again.
func TestSchedulePassLaunchesWaitingOnceCapacityFrees(t *testing.T) {
	e, fb := passEngine(t)
	ctx := context.Background()
	v, err := e.Submit(ctx, waitingText(3))
	if err != nil {
		t.Fatal(err)
	}
	fb.setFull(true)
	for k := 0; k < 5; k++ {
		e.schedule(ctx)
		want := 0
		if k == 0 {
			want = 3 // new
		}
		if e.examined != want {
			t.Fatalf("pass %d looked at %d instances, want %d", k+1, e.examined, want)
		}
		for i := 0; i < 3; i++ {
			if _, st := instanceOf(e, v.ID, fmt.Sprintf("w%d", i)); st != Queued {
				t.Fatalf("pass %d: w%d is %s with the backend full, want queued", k+1, i, st)
			}
		}
	}
	fb.setFull(false)
	e.schedule(ctx)
	// Two CPUs: w0 and w1 run, w2 waits for one of them.
	for i, want := range []struct {
		st       State
		attempts int
	}{{Staged, 1}, {Staged, 1}, {Queued, 0}} {
		if n, st := instanceOf(e, v.ID, fmt.Sprintf("w%d", i)); st != want.st || n != want.attempts {
			t.Fatalf("once capacity was free, w%d is %s with %d attempts, want %s with %d", i, st, n, want.st, want.attempts)
		}
	}
	a, _ := current(e, v.ID, "w1")
	finishAttempt(e, a)
	e.schedule(ctx)
	if n, st := instanceOf(e, v.ID, "w2"); st != Staged || n != 1 {
		t.Fatalf("once w1 ended, w2 is %s with %d attempts, want staged with 1", st, n)
	}
	waitLaunches(t, fb, 3)
}
