package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// These tests are of a launch intent whose attempt was never launched:
// its block ended without it (its :cache yes results stood), or its
// backend did not know it after a reboot.

// cachedChain is a chain c0, c1 (:cache yes) with the results a run
// in which c0 printed 0 and c1 printed 1 wrote: c1's stand while c0
// prints 0 again.
func cachedChain(t *testing.T) string {
	t.Helper()
	text := strings.Replace(orderedChain(2), ":after c0", ":after c0 :cache yes", 1)
	return cachedResults(t, text, "c1", "0\n", "1\n")
}

// cachedResults is text with the results of a run in which its k-th
// launch printed outs[k], last the block that ends it; they hold cached
// ones (:cache yes).
func cachedResults(t *testing.T, text, last string, outs ...string) string {
	t.Helper()
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	for k, out := range outs {
		l := waitLaunches(t, fb, k+1)
		fb.setOutput(l[k].ID, out)
		finish(fb, l[k], Finished, 0)
	}
	waitState(t, e, v.ID, last, Finished)
	res, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res, "#+RESULTS[") {
		t.Fatalf("no cached results in:\n%s", res)
	}
	return res
}

// c1's intent is written while c0 runs; c0 ends, and c1 with it without
// a launch (its :cache yes results stand), in a document still running
// (c2). A start after a reboot leaves c1 finished: the intent's attempt
// was never launched.
func TestIntentOfABlockEndedUnlaunched(t *testing.T) {
	text := cachedChain(t) + "\n#+name: c2\n#+begin_src sh\nsleep 100\n#+end_src\n"
	dir, crashed := t.TempDir(), t.TempDir()
	e, fb, stop, v := startDoc(t, dir, text)
	first := launchOf(t, fb, "c0", 1)
	launchOf(t, fb, "c2", 1)
	next := nextAttempt(e, v.ID, "c1")
	waitIntent(t, e, dir, next)
	fb.setOutput(first.ID, "0\n")
	finish(fb, first, Finished, 0)
	waitState(t, e, v.ID, "c1", Finished)
	if r := stored(e, v.ID, "c1"); r.Attempts != 0 || r.NotLaunched != next {
		t.Fatalf("c1 after c0 ended: %+v; want finished unlaunched, its intent's attempt %s passed over", r, next)
	}
	// A copy of the disk once c1's end is in the database.
	var c1 *store.Instance
	for i := 0; i < 2000 && (c1 == nil || State(c1.State) != Finished); i++ {
		if err := copyDisk(dir, crashed); err != nil {
			t.Fatal(err)
		}
		probe := t.TempDir()
		if err := copyDisk(crashed, probe); err != nil {
			t.Fatal(err)
		}
		withStored(t, filepath.Join(probe, "borges.db"), v.ID, func(st *store.Store, recs []*store.Instance) {
			for _, r := range recs {
				if r.Block == "c1" {
					c1 = r
				}
			}
		})
		time.Sleep(5 * time.Millisecond)
	}
	if c1 == nil || State(c1.State) != Finished {
		t.Fatalf("c1 stored: %+v; want finished", c1)
	}
	// Passed over before the pass that ended c1 stored it.
	if e.store.IntentOpen(next) {
		t.Fatalf("c1's intent %s still open once c1 ended without it", next)
	}
	stop()
	fb2 := intentBackend()
	e2, _ := startEngine(t, crashed, fb2, Config{BootID: func() (string, error) { return "another boot", nil }})
	if r := stored(e2, v.ID, "c1"); State(r.State) != Finished || r.FromIntent || r.Attempts != 0 {
		t.Fatalf("c1 after a reboot: %+v; want finished as stored, never launched", r)
	}
	for _, a := range fb2.recover {
		if a.Block == "c1" {
			t.Fatalf("c1's attempt %s recovered; want none", a.ID)
		}
	}
}

// An intent's attempt staged after a reboot and unknown to its backend
// never ran: a :cache yes block whose results stand once its dependency
// ends finishes cached, not launched.
func TestIntentLostThenCached(t *testing.T) {
	crashed, doc, first := crashBeforeLaunchOf(t, cachedChain(t))
	fb := intentBackend()
	e, _ := startEngine(t, crashed, fb, Config{BootID: func() (string, error) { return "another boot", nil }})
	r := stored(e, doc, "c1")
	if State(r.State) != Staged || !r.FromIntent {
		t.Fatalf("c1 after a reboot: %+v; want staged from its intent", r)
	}
	fb.sink(Update{AttemptID: r.AttemptID, State: Lost, Message: "unknown"})
	waitState(t, e, doc, "c1", Queued)
	fb.setOutput(first.ID, "0\n")
	finish(fb, first, Finished, 0)
	waitState(t, e, doc, "c1", Finished)
	if r := stored(e, doc, "c1"); !strings.HasPrefix(r.Message, "cached") {
		t.Fatalf("c1 ended as %+v; want cached", r)
	}
	for _, a := range fb.launches() {
		if a.Block == "c1" {
			t.Fatalf("c1 launched as %s; want its cached results standing", a.ID)
		}
	}
}

// An intent's attempt staged after a reboot and unknown to its backend
// is no attempt of the block's: its record, notes and status say again
// how the attempt launched before it ended, not "unknown". So too when
// the server is started again (stopped first, or killed after storing the
// staged record) before its backend tells: what the record said before
// the intent's attempt was staged is in the database with it.
func TestIntentLostKeepsTheLastTry(t *testing.T) {
	for _, restarts := range []int{0, 1, 2} {
		t.Run(fmt.Sprintf("%d starts again", restarts), func(t *testing.T) { testIntentLostKeepsTheLastTry(t, restarts) })
	}
}

func testIntentLostKeepsTheLastTry(t *testing.T, restarts int) {
	// c1's first attempt failed, and it waits to run again.
	code := 3
	dir := t.TempDir()
	e2, stop, doc, c1, next := rebootAfterEndsIn(t, dir, func(c1 *store.Instance) {
		c1.State, c1.Message, c1.ExitCode, c1.FinishedAt = string(Queued), "exit status 3", &code, nil
	})
	if r := stored(e2, doc, "c1"); State(r.State) != Staged || r.AttemptID != next {
		t.Fatalf("c1 after a reboot: %+v; want staged as %s", r, next)
	}
	for i := 0; i < restarts; i++ {
		stop()
		e2, stop = startEngine(t, dir, intentBackend(), Config{BootID: func() (string, error) { return "another boot", nil }})
		if r := stored(e2, doc, "c1"); State(r.State) != Staged || r.AttemptID != next || !r.FromIntent {
			t.Fatalf("c1 after %d starts again: %+v; want staged from its intent as %s", i+1, r, next)
		}
	}
	e2.backend.(*fakeBackend).sink(Update{AttemptID: next, State: Lost, Message: "unknown"})
	waitState(t, e2, doc, "c1", Queued)
	r := stored(e2, doc, "c1")
	if r.Tries() != 1 || r.AttemptID != c1.AttemptID || r.Message != "exit status 3" || r.ExitCode == nil || *r.ExitCode != 3 {
		t.Fatalf("c1 after its intent's attempt was unknown: %+v; want its first attempt %s, exit status 3", r, c1.AttemptID)
	}
	res, err := e2.ResultDocument(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res, "borges: restarting (attempt 1 ended: exit status 3)") {
		t.Fatalf("results document:\n%s\nwant c1's note naming its first attempt", res)
	}
}

// A record staged from an intent (A: attempt 2, never known to be
// launched) whose block was restarted: the intent of its next attempt
// (B: attempt 3) is on disk, and the server died before B's record was
// stored. Staged from B, the record keeps what it said before A, the last
// attempt that did run (not A, which may never have): when the backend
// does not know B either, the record names attempt 1 again.
func TestIntentAfterAnIntentsStaging(t *testing.T) {
	dir := t.TempDir()
	var first store.Instance
	var second string
	e2, stop, doc, _, third := rebootWithIntentIn(t, dir, 3, func(c1 *store.Instance) {
		first = *c1
		second = strings.TrimSuffix(c1.AttemptID, ".1") + ".2"
		c1.BeforeIntent = lastAttempt(*c1)
		c1.State, c1.AttemptID, c1.Attempts, c1.FromIntent = string(Staged), second, 2, true
		c1.Message, c1.Host, c1.ExitCode, c1.StartedAt, c1.FinishedAt = "", "", nil, nil, nil
	})
	defer stop()
	if !strings.HasSuffix(first.AttemptID, ".1") {
		t.Fatalf("c1's first attempt is %s", first.AttemptID)
	}
	r := stored(e2, doc, "c1")
	if State(r.State) != Staged || r.AttemptID != third || !r.FromIntent {
		t.Fatalf("c1 after the start: %+v; want staged from its intent as %s", r, third)
	}
	if r.BeforeIntent == nil || r.BeforeIntent.AttemptID != first.AttemptID {
		t.Fatalf("c1 staged from intent %s keeps %+v as its last attempt; want %s (not %s, itself staged from an intent)",
			third, r.BeforeIntent, first.AttemptID, second)
	}
	e2.backend.(*fakeBackend).sink(Update{AttemptID: third, State: Lost, Message: "unknown"})
	waitState(t, e2, doc, "c1", Queued)
	if r := stored(e2, doc, "c1"); r.AttemptID != first.AttemptID || r.FinishedAt == nil {
		t.Fatalf("c1 after its intent's attempt was unknown: %+v; want its first attempt %s", r, first.AttemptID)
	}
}

// A record an older Borges staged from an intent (FromIntent, with no
// before_intent) whose attempt its backend does not know: the record
// names no attempt, rather than one that may never have run, and the
// block waits to run.
func TestIntentStagedByAnOlderBorges(t *testing.T) {
	dir := t.TempDir()
	var second string
	e2, stop, doc, _, _ := rebootWithIntentIn(t, dir, 2, func(c1 *store.Instance) {
		second = strings.TrimSuffix(c1.AttemptID, ".1") + ".2"
		c1.State, c1.AttemptID, c1.Attempts, c1.FromIntent, c1.BeforeIntent = string(Staged), second, 2, true, nil
		c1.Message, c1.Host, c1.ExitCode, c1.StartedAt, c1.FinishedAt = "", "", nil, nil, nil
	})
	defer stop()
	if r := stored(e2, doc, "c1"); State(r.State) != Staged || r.AttemptID != second || !r.FromIntent || r.BeforeIntent != nil {
		t.Fatalf("c1 after the start: %+v; want staged from its intent as %s, no attempt before it", r, second)
	}
	e2.backend.(*fakeBackend).sink(Update{AttemptID: second, State: Lost, Message: "unknown"})
	waitState(t, e2, doc, "c1", Queued)
	r := stored(e2, doc, "c1")
	if r.AttemptID != "" || r.Message != "" || r.ExitCode != nil || r.FinishedAt != nil || r.Unlaunched != 1 || r.FromIntent {
		t.Fatalf("c1 after its intent's attempt was unknown: %+v; want no attempt named, one unlaunched", r)
	}
}

// An intent's attempt unknown to its backend restores the last attempt
// launched before it with its timed-out flag (store.Instance.TimedOut),
// as its backend said it, not as its message reads: an attempt its
// :timeout ended stays a timeout (its exit status the kill's, no
// failure that stops), and one whose program's words begin "timed
// out" stays none.
func TestIntentLostKeepsTimedOut(t *testing.T) {
	for _, c := range []struct {
		message  string
		code     int
		timedOut bool
	}{
		{"timed out after 1s", 143, true},
		{"timed out waiting for the lock", 3, false},
	} {
		t.Run(c.message, func(t *testing.T) {
			code, flag := c.code, c.timedOut
			e2, stop, doc, c1, next := rebootAfterEndsIn(t, t.TempDir(), func(c1 *store.Instance) {
				c1.State, c1.Message, c1.ExitCode, c1.TimedOut, c1.FinishedAt = string(Queued), c.message, &code, &flag, nil
			})
			defer stop()
			if r := stored(e2, doc, "c1"); State(r.State) != Staged || r.AttemptID != next || r.AttemptTimedOut() {
				t.Fatalf("c1 after a reboot: %+v; want staged as %s, not timed out", r, next)
			}
			e2.backend.(*fakeBackend).sink(Update{AttemptID: next, State: Lost, Message: "unknown"})
			waitState(t, e2, doc, "c1", Queued)
			r := stored(e2, doc, "c1")
			if r.AttemptID != c1.AttemptID || r.Message != c.message || r.TimedOut == nil || *r.TimedOut != c.timedOut || r.AttemptTimedOut() != c.timedOut {
				t.Fatalf("c1 after its intent's attempt was unknown: %+v (timed out %v); want its first attempt %s, timed out %v",
					r, r.AttemptTimedOut(), c1.AttemptID, c.timedOut)
			}
		})
	}
}
