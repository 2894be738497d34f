package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// scheduled submits text to a pass engine (passEngine) and runs the
// first pass.
func scheduled(t *testing.T, text string) (*Engine, *fakeBackend, *DocumentView) {
	t.Helper()
	e, fb := passEngine(t)
	v, err := e.Submit(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	e.schedule(context.Background())
	return e, fb, v
}

// A wide document (issue 11): blocks waiting for capacity are looked at
// again only when resources are let go, and then only those that fit in
// what is free, not at every pass: with 100 independent blocks of one CPU
// each on two CPUs, each attempt's end has the next pass look at one
// waiting instance (the next in document order), which it launches; a
// pass with nothing let go looks at none. Over the whole document the
// passes look at 100 + 98 instances, where looking at every waiting one
// at every pass was 100 + 98 + 97 + … (about 5,000).
func TestSchedulePassLooksAtWaitingOnlyWhenFreed(t *testing.T) {
	const n = 100
	e, fb, v := scheduled(t, waitingText(n))
	ctx := context.Background()
	if e.examined != n {
		t.Fatalf("the first pass looked at %d instances, want all %d (all new)", e.examined, n)
	}
	total := e.examined
	e.schedule(ctx)
	if e.examined != 0 {
		t.Fatalf("a pass with nothing let go looked at %d instances, want none", e.examined)
	}
	for i := 0; i < n; i++ {
		a, st := current(e, v.ID, fmt.Sprintf("w%d", i))
		if st != Staged {
			t.Fatalf("w%d is %s, want staged (two run at a time, in order)", i, st)
		}
		if i+2 < n {
			if _, st := current(e, v.ID, fmt.Sprintf("w%d", i+2)); st != Queued {
				t.Fatalf("w%d is %s while w%d runs, want queued (no room)", i+2, st, i)
			}
		}
		finishAttempt(e, a)
		e.schedule(ctx)
		want := 1
		if i+2 >= n {
			want = 0 // none left waiting
		}
		if e.examined != want {
			t.Fatalf("after w%d ended, the pass looked at %d instances, want %d (w%d, the one that fits)", i, e.examined, want, i+2)
		}
		total += e.examined
	}
	if total != n+n-2 {
		t.Fatalf("the passes looked at %d instances in all, want %d", total, n+n-2)
	}
	d, _ := e.Document(v.ID)
	if d.State != Finished {
		t.Fatalf("document %s", d.State)
	}
	waitLaunches(t, fb, n)
}

// A pass after resources are let go goes through the entries of the
// waiting list in proportion to what changed (the instances that fit, the
// ones no longer waiting, one that does not fit for each resource need),
// not to how many wait: with 1,000 blocks of one CPU each on two CPUs,
// each end has the pass go through a few entries, where going through the
// whole list was 998 for the first end and one fewer each end after.
func TestSchedulePassWaitingCostsWhatChanged(t *testing.T) {
	const n = 1000
	e, _, v := scheduled(t, waitingText(n))
	ctx := context.Background()
	most, total := 0, 0
	for i := 0; i < n; i++ {
		a, st := current(e, v.ID, fmt.Sprintf("w%d", i))
		if st != Staged {
			t.Fatalf("w%d is %s, want staged (two run at a time, in order)", i, st)
		}
		finishAttempt(e, a)
		e.schedule(ctx)
		most = max(most, e.capWaiting.visited)
		total += e.capWaiting.visited
	}
	if most > 4 || total > 4*n {
		t.Fatalf("the passes went through up to %d entries of the waiting list after one end, %d in all; want at most 4 and %d",
			most, total, 4*n)
	}
	d, _ := e.Document(v.ID)
	if d.State != Finished {
		t.Fatalf("document %s", d.State)
	}
}

// wantStates fails the test unless each block of document id named in want
// is in the state want gives it.
func wantStates(t *testing.T, e *Engine, id, when string, want map[string]State) {
	t.Helper()
	for name, w := range want {
		if _, st := current(e, id, name); st != w {
			t.Fatalf("%s: %s is %s, want %s", when, name, st, w)
		}
	}
}

// Instances of different needs waiting together are admitted as the
// queue takes them, each taking its share of what is free in document
// order, one that does not fit skipped for one after it that does: on two
// CPUs, a (2 CPUs) runs alone; once it ends b (1) and d (1) fit, c (2)
// does not and f (1) finds nothing left; once b ends f takes its CPU
// ahead of c, which waits until two are free.
func TestSchedulePassWaitingNeedsInQueueOrder(t *testing.T) {
	block := func(name string, cpus int) string {
		return fmt.Sprintf("#+name: %s\n#+begin_src sh :cpu %d\necho %s\n#+end_src\n\n", name, cpus, name)
	}
	text := block("a", 2) + block("b", 1) + block("c", 2) + block("d", 1) + block("f", 1)
	e, fb, v := scheduled(t, text)
	ctx := context.Background()
	states := func(when string, want map[string]State) {
		t.Helper()
		wantStates(t, e, v.ID, when, want)
	}
	end := func(name string) {
		t.Helper()
		a, _ := current(e, v.ID, name)
		finishAttempt(e, a)
		e.schedule(ctx)
	}
	states("at first", map[string]State{"a": Staged, "b": Queued, "c": Queued, "d": Queued, "f": Queued})
	end("a")
	states("after a ended", map[string]State{"b": Staged, "c": Queued, "d": Staged, "f": Queued})
	end("b")
	states("after b ended", map[string]State{"c": Queued, "d": Staged, "f": Staged})
	end("d")
	states("after d ended", map[string]State{"c": Queued, "f": Staged})
	end("f")
	states("after f ended", map[string]State{"c": Staged})
	end("c")
	d, _ := e.Document(v.ID)
	if d.State != Finished {
		t.Fatalf("document %s", d.State)
	}
	allEndedNoneWaits(t, e, fb, v.ID, 5)
}

// allEndedNoneWaits fails the test unless nothing of document id waits
// for capacity (capWaitExact) and the backend had launches launches.
func allEndedNoneWaits(t *testing.T, e *Engine, fb *fakeBackend, id string, launches int) {
	t.Helper()
	e.mu.Lock()
	ds := e.docs[id]
	e.mu.Unlock()
	capWaitExact(t, e, ds, "all ended")
	waitLaunches(t, fb, launches)
}

// A block that becomes ready while others wait for capacity is admitted
// in queue order with those that fit: y (after x, before w0 and w1 in
// the document) takes the CPU that the run of x its :var v=x makes
// (yRun, Babel running x again at the reference, ready at once beside
// x) lets go, ahead of w0, which was looked at again for it; w0 takes
// the CPU x lets go, and w1 waits on until w0 ends. Each pass looks at
// what changed and at what fits.
func TestSchedulePassWaitingKeepsQueueOrder(t *testing.T) {
	text := "#+name: x\n#+begin_src sh :cpu 1\necho x\n#+end_src\n\n" +
		"#+name: y\n#+begin_src sh :cpu 1 :var v=x\necho $v\n#+end_src\n\n" +
		"#+name: w0\n#+begin_src sh :cpu 1\necho 0\n#+end_src\n\n" +
		"#+name: w1\n#+begin_src sh :cpu 1\necho 1\n#+end_src\n\n"
	const yRun = "y :var v=x"
	e, fb, v := scheduled(t, text)
	ctx := context.Background()
	states := func(when string, want map[string]State) {
		t.Helper()
		wantStates(t, e, v.ID, when, want)
	}
	states("at first", map[string]State{"x": Staged, yRun: Staged, "y": Queued, "w0": Queued, "w1": Queued})
	a, _ := current(e, v.ID, yRun)
	finishAttempt(e, a)
	e.schedule(ctx)
	// yRun's dependent y, and w0, which fits in the CPU yRun let go.
	if e.examined != 2 {
		t.Fatalf("after y's run of x ended, the pass looked at %d instances, want 2 (y, w0)", e.examined)
	}
	states("after y's run of x ended", map[string]State{"x": Staged, "y": Staged, "w0": Queued, "w1": Queued})
	e.schedule(ctx)
	if e.examined != 0 {
		t.Fatalf("a pass with nothing let go looked at %d instances, want none", e.examined)
	}
	a, _ = current(e, v.ID, "x")
	finishAttempt(e, a)
	e.schedule(ctx)
	if e.examined != 1 {
		t.Fatalf("after x ended, the pass looked at %d instances, want 1 (w0)", e.examined)
	}
	states("after x ended", map[string]State{"y": Staged, "w0": Staged, "w1": Queued})
	a, _ = current(e, v.ID, "w0")
	finishAttempt(e, a)
	e.schedule(ctx)
	if e.examined != 1 {
		t.Fatalf("after w0 ended, the pass looked at %d instances, want 1 (w1)", e.examined)
	}
	states("after w0 ended", map[string]State{"y": Staged, "w1": Staged})
	waitLaunches(t, fb, 5)
}

// A document whose instances wait for capacity says so to its watchers
// (the web page's long poll, changes.go) from the pass that found them
// waiting until none waits, whether or not a pass looks at them again.
func TestWaitingForCapacityKnownUntilAdmitted(t *testing.T) {
	e, _, v := scheduled(t, waitingText(3))
	ctx := context.Background()
	waits := func() bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		_, ok := e.waitForResources[v.ID]
		return ok
	}
	if !waits() {
		t.Fatal("w2 waits for capacity, the document is not known to")
	}
	e.schedule(ctx) // looks at none of them
	if !waits() {
		t.Fatal("after a pass that did not look at w2 again, the document is no longer known to wait for capacity")
	}
	a, _ := current(e, v.ID, "w0")
	finishAttempt(e, a)
	e.schedule(ctx)
	if _, st := current(e, v.ID, "w2"); st != Staged {
		t.Fatalf("w2 is %s once w0 ended, want staged", st)
	}
	if waits() {
		t.Fatal("nothing waits for capacity, the document is still known to")
	}
}

// BenchmarkWideDocument: a document of 1,000 independent blocks run to its
// end two at a time (one CPU each, two CPUs), each attempt's end followed
// by a scheduling pass, as in BenchmarkThousandBlocks without processes:
// the CPU time of the passes and ends a block (cpu-us/block), the
// instances the passes looked at a block (looked/block) and the entries
// of the waiting lists they went through a block (visited/block).
func BenchmarkWideDocument(b *testing.B) {
	const n = 1000
	text := waitingText(n)
	for i := 0; i < b.N; i++ {
		e, _ := passEngine(b)
		ctx := context.Background()
		v, err := e.Submit(ctx, text)
		if err != nil {
			b.Fatal(err)
		}
		names := make([]string, n)
		for k := range names {
			names[k] = fmt.Sprintf("w%d", k)
		}
		cpu0 := cpuTime()
		e.schedule(ctx)
		looked, visited := e.examined, e.capWaiting.visited
		for k := 0; k < n; k++ {
			a, st := current(e, v.ID, names[k])
			if st != Staged {
				b.Fatalf("w%d is %s, want staged", k, st)
			}
			finishAttempt(e, a)
			e.schedule(ctx)
			looked += e.examined
			visited += e.capWaiting.visited
		}
		cpu := cpuTime() - cpu0
		b.ReportMetric(float64(cpu.Microseconds())/n, "cpu-us/block")
		b.ReportMetric(float64(looked)/n, "looked/block")
		b.ReportMetric(float64(visited)/n, "visited/block")
	}
}

// An instance admitted that cannot start (here its attempt id already
// another's) never holds what it was admitted for: the instance turned
// away for that room is looked at again by a pass right after, not left
// waiting with the room free (a lost wake-up: nothing else runs to let
// resources go).
func TestSchedulePassAdmittedNotStartedWakesWaiting(t *testing.T) {
	text := "#+name: z\n#+begin_src sh :cpu 2\necho z\n#+end_src\n\n" +
		"#+name: y\n#+begin_src sh :cpu 2\necho y\n#+end_src\n\n"
	e, _ := passEngine(t)
	ctx := context.Background()
	v, err := e.Submit(ctx, text)
	if err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	ds := e.docs[v.ID]
	zb, yb := ds.byName["z"], ds.byName["y"]
	id := AttemptID(v.ID, zb.index, "z", 0, 1)
	e.attempts[id] = &instState{block: yb, rec: store.Instance{AttemptID: id}}
	e.mu.Unlock()
	for i := 0; i < 4; i++ {
		e.schedule(ctx)
	}
	if _, st := current(e, v.ID, "z"); st != Failed {
		t.Fatalf("z is %s, want failed (its attempt id taken)", st)
	}
	if _, st := current(e, v.ID, "y"); st != Staged {
		e.mu.Lock()
		used := e.used
		e.mu.Unlock()
		t.Fatalf("y is %s with %+v used of 2 CPUs, want staged", st, used)
	}
}

// capWaitExact fails the test unless nothing of document doc waits for
// capacity: its count 0, not known to wait, the engine's list empty.
func capWaitExact(t *testing.T, e *Engine, ds *docState, when string) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	_, known := e.waitForResources[ds.id]
	w := &e.capWaiting
	if ds.capWaiting != 0 || known || w.total != 0 || len(w.classes) != 0 || len(w.order) != 0 {
		t.Fatalf("%s: the document's waiting count %d, known to wait %v, %d listed in %d classes; want 0, false, 0, 0",
			when, ds.capWaiting, known, w.total, len(w.classes))
	}
	for _, c := range w.order[:cap(w.order)] {
		if c != nil {
			t.Fatalf("%s: the list of classes still reaches one", when)
		}
	}
	for _, c := range w.live[:cap(w.live)] {
		if c != nil {
			t.Fatalf("%s: the list a pass keeps of the classes it goes through still reaches one", when)
		}
	}
}

// A block waiting for capacity killed, or its document removed, no longer
// waits: counted out at once, not at the next pass that looks again.
func TestWaitingForCapacityEndsWithKillAndRemoval(t *testing.T) {
	ctx := context.Background()
	t.Run("kill", func(t *testing.T) {
		e, _, v := scheduled(t, waitingText(3))
		e.mu.Lock()
		ds := e.docs[v.ID]
		e.mu.Unlock()
		if err := e.KillBlock(ctx, v.ID, "w2"); err != nil {
			t.Fatal(err)
		}
		capWaitExact(t, e, ds, "w2 killed")
		e.schedule(ctx)
		capWaitExact(t, e, ds, "a pass after")
	})
	t.Run("removal", func(t *testing.T) {
		e, _, v := scheduled(t, waitingText(3))
		e.mu.Lock()
		ds := e.docs[v.ID]
		e.mu.Unlock()
		if err := e.RemoveDocument(ctx, v.ID); err != nil {
			t.Fatal(err)
		}
		capWaitExact(t, e, ds, "document removed")
	})
}

// capless has a backend's Capacity say at will that it admits (ok false).
type capless struct {
	*fakeBackend
	admits bool
}

func (c *capless) Capacity() (plan.Resources, bool) {
	if c.admits {
		return plan.Resources{}, false
	}
	return c.fakeBackend.Capacity()
}

// A backend that turns to admitting itself while many instances wait for
// capacity (more than the list's compaction leaves): none waits any more,
// and each is looked at again and launched.
func TestWaitingForCapacityBackendAdmits(t *testing.T) {
	const n = 100
	fb := &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}}
	cb := &capless{fakeBackend: fb}
	e := New(Config{Backend: cb})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := fb.Start(ctx, e.onUpdate); err != nil {
		t.Fatal(err)
	}
	v, err := e.Submit(ctx, waitingText(n))
	if err != nil {
		t.Fatal(err)
	}
	e.schedule(ctx)
	e.mu.Lock()
	ds := e.docs[v.ID]
	waiting := ds.capWaiting
	e.mu.Unlock()
	if waiting != n-2 {
		t.Fatalf("%d wait for capacity, want %d", waiting, n-2)
	}
	e.mu.Lock()
	cb.admits = true
	e.mu.Unlock()
	for i := 0; i < 3; i++ {
		e.schedule(ctx)
	}
	capWaitExact(t, e, ds, "the backend admits")
	for i := 0; i < n; i++ {
		if _, st := current(e, v.ID, fmt.Sprintf("w%d", i)); st != Staged {
			t.Fatalf("w%d is %s, want staged (the backend admits)", i, st)
		}
	}
	waitLaunches(t, fb, n)
}

// needChangedText is r0 and r1, of one CPU each, then b of cpus CPUs: on
// two CPUs, b waits for capacity while r0 and r1 run.
func needChangedText(cpus int) string {
	return "#+name: r0\n#+begin_src sh :cpu 1\necho 0\n#+end_src\n\n" +
		"#+name: r1\n#+begin_src sh :cpu 1\necho 1\n#+end_src\n\n" +
		fmt.Sprintf("#+name: b\n#+begin_src sh :cpu %d\necho b\n#+end_src\n\n", cpus)
}

// changeNeed gives block name of document id a task that needs cpus CPUs,
// as an edit taken from the buffer (applyEdit) or a restart's decideAgain
// does, and touches it: the next pass looks at it again.
func changeNeed(e *Engine, id, name string, cpus float64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	b := e.docs[id].byName[name]
	task := *b.task
	task.Resources.CPUs = cpus
	b.task = &task
	e.touch(b)
}

// passesUntilQuiet runs passes as the loop does, one more each time a pass
// asks for one (poke), at most limit, and returns how many ran.
func passesUntilQuiet(e *Engine, limit int) int {
	select {
	case <-e.wake: // an end's poke: the first pass is for it
	default:
	}
	for n := 1; ; n++ {
		e.schedule(context.Background())
		select {
		case <-e.wake:
			if n < limit {
				continue
			}
		default:
		}
		return n
	}
}

// waitingNeedChanged submits needChangedText(from) to a pass engine, where
// b waits for capacity, then gives b a task that needs to CPUs
// (changeNeed), and runs passes until none asks for another: b still
// waits, r0 and r1 run. It returns how many passes ran.
func waitingNeedChanged(t *testing.T, from int, to float64) (*Engine, *fakeBackend, *DocumentView, int) {
	t.Helper()
	e, fb, v := scheduled(t, needChangedText(from))
	wantStates(t, e, v.ID, "at first", map[string]State{"r0": Staged, "r1": Staged, "b": Queued})
	changeNeed(e, v.ID, "b", to)
	n := passesUntilQuiet(e, 10)
	wantStates(t, e, v.ID, "b's need changed", map[string]State{"r0": Staged, "r1": Staged, "b": Queued})
	return e, fb, v, n
}

// An instance waiting for capacity whose task comes to need more (here
// one CPU, then two) waits for what it needs now: once r0 ends and one CPU
// is free, passes do not run one after the other for it (it does not fit,
// however often one looks), and once r1 ends too it is admitted.
func TestSchedulePassWaitingNeedGrows(t *testing.T) {
	e, fb, v, n := waitingNeedChanged(t, 1, 2)
	if n != 1 {
		t.Fatalf("b's need changed: %d passes ran, want 1", n)
	}
	a, _ := current(e, v.ID, "r0")
	finishAttempt(e, a)
	if n := passesUntilQuiet(e, 10); n > 2 {
		t.Fatalf("after r0 ended, %d passes ran one after the other (limit 10), want at most 2: b needs 2 CPUs, 1 is free", n)
	}
	wantStates(t, e, v.ID, "after r0 ended", map[string]State{"r1": Staged, "b": Queued})
	a, _ = current(e, v.ID, "r1")
	finishAttempt(e, a)
	passesUntilQuiet(e, 10)
	wantStates(t, e, v.ID, "after r1 ended", map[string]State{"b": Staged})
	a, _ = current(e, v.ID, "b")
	finishAttempt(e, a)
	e.schedule(context.Background())
	allEndedNoneWaits(t, e, fb, v.ID, 3)
}

// An instance waiting for capacity whose task comes to need less (here
// two CPUs, then one) is admitted once what it needs now is free: when r0
// ends, not when two CPUs are.
func TestSchedulePassWaitingNeedShrinks(t *testing.T) {
	e, fb, v, _ := waitingNeedChanged(t, 2, 1)
	a, _ := current(e, v.ID, "r0")
	finishAttempt(e, a)
	passesUntilQuiet(e, 10)
	wantStates(t, e, v.ID, "after r0 ended", map[string]State{"r1": Staged, "b": Staged})
	for _, name := range []string{"r1", "b"} {
		a, _ := current(e, v.ID, name)
		finishAttempt(e, a)
		passesUntilQuiet(e, 10)
	}
	allEndedNoneWaits(t, e, fb, v.ID, 3)
}
