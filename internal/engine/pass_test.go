package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// chainText is n sh blocks c0…c(n-1), each taking the previous one's
// result through :var. Each reference is a run of its own (Babel runs the
// block again at it), so its tasks are n(n+1)/2 runs: orderedChain
// (intent_persist_test.go) is a chain of n tasks.
func chainText(n int) string {
	var sb strings.Builder
	sb.WriteString("#+name: c0\n#+begin_src sh\necho 0\n#+end_src\n\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&sb, "#+name: c%d\n#+begin_src sh :var x=c%d\necho $((x+1))\n#+end_src\n\n", i, i-1)
	}
	return sb.String()
}

// passEngine is an engine whose scheduling passes the test runs itself
// (no loop), over a backend that only records launches; on the test's
// clock if it gives one.
func passEngine(tb testing.TB, clock ...func() time.Time) (*Engine, *fakeBackend) {
	tb.Helper()
	fb := &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}}
	cfg := Config{Backend: fb}
	if len(clock) > 0 {
		cfg.Now = clock[0]
	}
	e := New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	if err := fb.Start(ctx, e.onUpdate); err != nil {
		tb.Fatal(err)
	}
	return e, fb
}

// current is the attempt id of a document's block's first instance.
func current(e *Engine, doc, block string) (string, State) {
	e.mu.Lock()
	defer e.mu.Unlock()
	in := e.docs[doc].byName[block].instances[0]
	return in.rec.AttemptID, State(in.rec.State)
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// finishAttempt reports an attempt finished, as a backend does.
func finishAttempt(e *Engine, attempt string) {
	code := 0
	e.onUpdate(Update{AttemptID: attempt, State: Finished, ExitCode: &code})
	// Its output read once it ended (readAtEnd), the blocks after it
	// and those referring to it waiting for that.
	waitReadsEnded(e)
}

// failAttempt reports an attempt failed with exit status 1, as a backend
// does.
func failAttempt(e *Engine, attempt string) {
	code := 1
	e.onUpdate(Update{AttemptID: attempt, State: Failed, ExitCode: &code})
}

// A scheduling pass looks at what changed since the last one, not at every
// instance tracked: with 20 chains of 100 blocks waiting (orderedChain: a
// chain of references would be 5,050 runs, each reference's own), an
// attempt's end has the next pass look at its block's dependent alone.
func TestSchedulePassLooksAtWhatChanged(t *testing.T) {
	e, _ := passEngine(t)
	ctx := context.Background()
	var ids []string
	for i := 0; i < 20; i++ {
		v, err := e.Submit(ctx, orderedChain(100))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	e.schedule(ctx)
	if e.examined != 20*100 {
		t.Fatalf("the first pass looked at %d instances, want all %d (all new)", e.examined, 20*100)
	}
	for k := 0; k < 5; k++ {
		a, st := current(e, ids[0], fmt.Sprintf("c%d", k))
		if st != Staged {
			t.Fatalf("c%d is %s, want staged", k, st)
		}
		finishAttempt(e, a)
		e.schedule(ctx)
		if e.examined != 1 {
			t.Fatalf("after c%d ended, the pass looked at %d instances, want 1 (c%d)", k, e.examined, k+1)
		}
		if _, st := current(e, ids[0], fmt.Sprintf("c%d", k+1)); st != Staged {
			t.Fatalf("c%d is %s once c%d finished, want staged", k+1, st, k)
		}
	}
	// A pass with nothing changed looks at nothing.
	e.schedule(ctx)
	if e.examined != 0 {
		t.Fatalf("an idle pass looked at %d instances", e.examined)
	}
}

// What is ready but does not fit stays in view: each attempt's end lets
// the next one in, in document order, until all have run.
func TestSchedulePassAdmitsWaitingInOrder(t *testing.T) {
	e, _ := passEngine(t)
	ctx := context.Background()
	var sb strings.Builder
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&sb, "#+name: w%d\n#+begin_src sh :cpu 1\necho %d\n#+end_src\n\n", i, i)
	}
	v, err := e.Submit(ctx, sb.String())
	if err != nil {
		t.Fatal(err)
	}
	e.schedule(ctx)
	for i := 0; i < 30; i++ {
		a, st := current(e, v.ID, fmt.Sprintf("w%d", i))
		if st != Staged {
			t.Fatalf("w%d is %s, want staged (two run at a time, in order)", i, st)
		}
		if i+2 < 30 {
			if _, st := current(e, v.ID, fmt.Sprintf("w%d", i+2)); st != Queued {
				t.Fatalf("w%d is %s while w%d runs, want queued (no room)", i+2, st, i)
			}
		}
		finishAttempt(e, a)
		e.schedule(ctx)
	}
	d, _ := e.Document(v.ID)
	if d.State != Finished {
		t.Fatalf("document %s", d.State)
	}
}

// A failure blocks the whole chain behind it in one pass, however long
// (orderedChain: each block waits for the one before).
func TestSchedulePassBlocksTheChainBehindAFailure(t *testing.T) {
	e, _ := passEngine(t)
	ctx := context.Background()
	v, err := e.Submit(ctx, orderedChain(50))
	if err != nil {
		t.Fatal(err)
	}
	e.schedule(ctx)
	a, _ := current(e, v.ID, "c0")
	failAttempt(e, a)
	e.schedule(ctx)
	for i := 1; i < 50; i++ {
		if _, st := current(e, v.ID, fmt.Sprintf("c%d", i)); st != Failed {
			t.Fatalf("c%d is %s after c0 failed, want failed", i, st)
		}
	}
}

// BenchmarkSchedulePass: the cost of an attempt's end and the pass that
// launches its dependent, with 1,000, 10,000 and 100,000 task instances
// tracked (chains of 100 blocks whose first block runs and never ends).
// x-growth is the CPU time at 100,000 over that at 1,000 (goal: flat; the
// CPU time of the process, garbage collection included, for wall-clock
// time on a shared machine is mostly other programs').
func BenchmarkSchedulePass(b *testing.B) {
	const hops = 200
	for i := 0; i < b.N; i++ {
		var first, last time.Duration
		for _, tracked := range []int{1000, 10000, 100000} {
			e, fb := passEngine(b)
			fb.capacity = plan.Resources{CPUs: 1e6, MemMB: 1e9} // every first block runs
			ctx := context.Background()
			for d := 0; d < tracked/100; d++ {
				if _, err := e.Submit(ctx, orderedChain(100)); err != nil {
					b.Fatal(err)
				}
			}
			probe, err := e.Submit(ctx, orderedChain(hops+1))
			if err != nil {
				b.Fatal(err)
			}
			e.schedule(ctx)
			per, cpu := timeChainHops(b, ctx, e, fb, probe.ID, hops)
			b.ReportMetric(float64(per.Microseconds()), fmt.Sprintf("us/pass-%dk", tracked/1000))
			b.ReportMetric(float64(cpu.Microseconds()), fmt.Sprintf("cpu-us/pass-%dk", tracked/1000))
			if first == 0 {
				first = cpu
			}
			last = cpu
		}
		b.ReportMetric(float64(last)/float64(first), "x-growth")
	}
}

// preparingBackend is a fakeBackend that records the attempts it is asked
// to prepare.
type preparingBackend struct {
	*fakeBackend
	pmu      sync.Mutex
	prepared []string
}

func (p *preparingBackend) Prepare(id string, task *plan.Task) {
	p.pmu.Lock()
	p.prepared = append(p.prepared, id)
	p.pmu.Unlock()
}

func (p *preparingBackend) preparedIDs() []string {
	p.pmu.Lock()
	defer p.pmu.Unlock()
	return append([]string(nil), p.prepared...)
}

var _ Preparer = (*preparingBackend)(nil)

// Once a block's attempt is launched, the next attempt of the block that
// waits on it alone is prepared, by the id it then runs as; a block that
// waits on another block too is not.
// The blocks wait :after one another (orderedChain), not through :var,
// whose references would be runs of their own, waited on in their
// stead.
func TestPreparesTheNextBlocksAttempt(t *testing.T) {
	fb := &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}}
	pb := &preparingBackend{fakeBackend: fb}
	e := New(Config{Backend: pb})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	doc := orderedChain(3) + "#+name: other\n#+begin_src sh\nsleep 1\n#+end_src\n\n" +
		"#+name: both\n#+begin_src sh :after c2 other\necho both\n#+end_src\n"
	v, err := e.Submit(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 3; k++ {
		l := waitLaunches(t, fb, k+2) // c0 and other, then c1, c2
		var a *Attempt
		for _, x := range l {
			if x.Block == fmt.Sprintf("c%d", k) {
				a = x
			}
		}
		if a == nil {
			t.Fatalf("c%d not launched: %v", k, l)
		}
		if k < 2 {
			want := AttemptID(v.ID, a.Task.Index+1, fmt.Sprintf("c%d", k+1), 0, 1)
			for i := 0; i < 2000 && !slices.Contains(pb.preparedIDs(), want); i++ {
				time.Sleep(5 * time.Millisecond)
			}
			if !slices.Contains(pb.preparedIDs(), want) {
				t.Fatalf("after c%d's launch, prepared %v, want %s among them", k, pb.preparedIDs(), want)
			}
		}
		finish(fb, a, Finished, 0)
		if k < 2 {
			next := waitLaunches(t, fb, k+3)
			if got, want := next[len(next)-1].ID, AttemptID(v.ID, a.Task.Index+1, fmt.Sprintf("c%d", k+1), 0, 1); got != want {
				t.Fatalf("c%d ran as %s, prepared as %s", k+1, got, want)
			}
		}
	}
	for _, id := range pb.preparedIDs() {
		if strings.Contains(id, "-both.") {
			t.Fatalf("%s was prepared while it also waits on other", id)
		}
	}
}

// A removed document's files include an attempt prepared for an instance
// that never ran.
func TestRemovalIncludesPreparedAttempts(t *testing.T) {
	e, _ := passEngine(t)
	v, err := e.Submit(context.Background(), orderedChain(2))
	if err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	ds := e.docs[v.ID]
	ds.byName["c0"].instances[0].rec.Attempts = 1
	e.toPrepare(ds.byName["c0"], nil)
	ids := attemptIDs(ds, nil)
	e.mu.Unlock()
	for _, want := range []string{AttemptID(v.ID, 0, "c0", 0, 1), AttemptID(v.ID, 1, "c1", 0, 1)} {
		if !slices.Contains(ids, want) {
			t.Fatalf("attempt ids %v lack %s", ids, want)
		}
	}
	// A later attempt prepared for a block that ran before (restarted
	// with its dependency) is removed too.
	e.mu.Lock()
	ds.byName["c1"].instances[0].rec.Attempts = 2
	e.toPrepare(ds.byName["c0"], nil)
	ids = attemptIDs(ds, nil)
	e.mu.Unlock()
	if want := AttemptID(v.ID, 1, "c1", 0, 3); !slices.Contains(ids, want) {
		t.Fatalf("attempt ids %v lack %s", ids, want)
	}
}

// A block that never ran may have had its first attempt prepared by a
// server that stopped since (which alone knew): its removal deletes it.
func TestRemovalIncludesFirstAttemptOfBlocksNeverRun(t *testing.T) {
	e, _ := passEngine(t)
	v, err := e.Submit(context.Background(), orderedChain(3))
	if err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	ids := attemptIDs(e.docs[v.ID], nil)
	e.mu.Unlock()
	for i := 0; i < 3; i++ {
		if want := AttemptID(v.ID, i, fmt.Sprintf("c%d", i), 0, 1); !slices.Contains(ids, want) {
			t.Fatalf("attempt ids %v lack %s", ids, want)
		}
	}
}

// journalCheck is a fakeBackend that, at each launch, looks for the
// attempt in the store's launch journal on disk, or in its database
// (whose values bbolt keeps as they are): once the database has it, the
// journal may start over and write over it (the intents it carries).
type journalCheck struct {
	*fakeBackend
	path    string
	jmu     sync.Mutex
	missing []string
}

func (j *journalCheck) Launch(ctx context.Context, a *Attempt) error {
	want := []byte(`"attempt_id":"` + a.ID + `"`)
	data, err := os.ReadFile(j.path + "-journal")
	if err == nil && !bytes.Contains(data, want) {
		data, err = os.ReadFile(j.path)
	}
	if err != nil || !bytes.Contains(data, want) {
		j.jmu.Lock()
		j.missing = append(j.missing, a.ID)
		j.jmu.Unlock()
	}
	return j.fakeBackend.Launch(ctx, a)
}

// A launch is on disk, in the launch journal, before the backend is asked
// to start it (the store's tests show a restart finds it there).
func TestLaunchIsJournaledFirst(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "borges.db")
	fb := &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}}
	jb := &journalCheck{fakeBackend: fb, path: path}
	e, stop := startEngine(t, dir, jb, Config{})
	v, err := e.Submit(context.Background(), orderedChain(3))
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 3; k++ {
		l := waitLaunches(t, fb, k+1)
		finish(fb, l[k], Finished, 0)
	}
	waitState(t, e, v.ID, "c2", Finished)
	stop()
	jb.jmu.Lock()
	defer jb.jmu.Unlock()
	if len(jb.missing) > 0 {
		t.Fatalf("launched before journaled: %v", jb.missing)
	}
}

// earlyJournalCheck is a journalCheck that is an EarlyLauncher: it is
// given each attempt before its launch is on disk, and looks for it in
// the journal once Durable says it is.
type earlyJournalCheck struct {
	*journalCheck
}

func (j *earlyJournalCheck) LaunchesEarly() bool { return true }

func (j *earlyJournalCheck) Launch(ctx context.Context, a *Attempt) error {
	if a.Durable == nil {
		return errors.New("no Durable")
	}
	a.WaitDurable()
	return j.journalCheck.Launch(ctx, a)
}

// An EarlyLauncher is given its launches before the write-ahead's sync
// ends, and Durable closes once they are in the journal; more launches
// in one pass than launch slots (five independent blocks) wait for none
// of them forever.
func TestEarlyLaunchJournaledFirst(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "borges.db")
	fb := &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}}
	jb := &earlyJournalCheck{journalCheck: &journalCheck{fakeBackend: fb, path: path}}
	e, stop := startEngine(t, dir, jb, Config{})
	var doc strings.Builder
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&doc, "#+name: w%d\n#+begin_src sh\necho %d\n#+end_src\n\n", i, i)
	}
	v, err := e.Submit(context.Background(), doc.String()+orderedChain(3))
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 6)
	for _, a := range l {
		finish(fb, a, Finished, 0)
	}
	for k := 1; k < 3; k++ {
		l := waitLaunches(t, fb, 6+k)
		finish(fb, l[5+k], Finished, 0)
	}
	waitState(t, e, v.ID, "c2", Finished)
	for i := 0; i < 5; i++ {
		waitState(t, e, v.ID, fmt.Sprintf("w%d", i), Finished)
	}
	stop()
	jb.jmu.Lock()
	defer jb.jmu.Unlock()
	if len(jb.missing) > 0 {
		t.Fatalf("run before journaled: %v", jb.missing)
	}
}

// timeChainHops ends, one after the other, the blocks c0 … c(hops-1) of
// document id's chain (chainText), each with its number as output (found
// at once, not looked for), and schedules after each end: the wall-clock
// and CPU time of an end and the pass that launches the next, on average.
// Block c(hops) is staged by then, or the benchmark fails.
func timeChainHops(b *testing.B, ctx context.Context, e *Engine, fb *fakeBackend, id string, hops int) (per, cpu time.Duration) {
	b.Helper()
	runtime.GC()
	start, cpu0 := time.Now(), cpuTime()
	for k := 0; k < hops; k++ {
		a, _ := current(e, id, fmt.Sprintf("c%d", k))
		fb.mu.Lock()
		fb.outputs[a] = fmt.Sprintln(k)
		fb.mu.Unlock()
		finishAttempt(e, a)
		e.schedule(ctx)
	}
	per = time.Since(start) / time.Duration(hops)
	cpu = (cpuTime() - cpu0) / time.Duration(hops)
	if _, st := current(e, id, fmt.Sprintf("c%d", hops)); st != Staged {
		b.Fatalf("the chain's last block c%d is %s", hops, st)
	}
	return per, cpu
}
