package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// TestRequeue is the rule a restart, a lost session and a session the
// server stopped during all queue their instances by: a staged or running
// attempt is returned to be killed, tracked apart from its instance,
// holding its resources until its end, and ends in the instance's
// history; whatever the instance was, it is queued afresh.
func TestRequeue(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	later := now.Add(time.Minute)
	for _, c := range []struct {
		state    State
		wantKill bool
	}{
		{Queued, false}, {Staged, true}, {Running, true},
		{Finished, false}, {Failed, false}, {Killed, false}, {Lost, false},
	} {
		t.Run(string(c.state), func(t *testing.T) {
			e := New(Config{})
			b := &blockState{name: "a", task: &plan.Task{Resources: plan.Resources{CPUs: 1, MemMB: 64}}}
			in := &instState{block: b, rec: store.Instance{Block: "a", State: string(c.state), Attempts: 1,
				AttemptID: "d.0-a.0.1", Killed: true, QuickExits: 2, NextRunAt: &later, Message: "before"}}
			live := c.state == Staged || c.state == Running
			if live {
				e.track(in.rec.AttemptID, in)
			}
			kills := e.requeue(in, now, "why")
			if got := len(kills) > 0; got != c.wantKill || (c.wantKill && !slices.Equal(kills, []string{"d.0-a.0.1"})) {
				t.Errorf("kills = %q", kills)
			}
			if live {
				if a := e.attempts["d.0-a.0.1"]; a == nil || a == in || e.usedResources() != b.task.Resources {
					t.Errorf("the killed attempt's resources: %v, %+v", e.attempts, e.usedResources())
				}
				e.onUpdate(Update{AttemptID: "d.0-a.0.1", State: Killed})
			}
			if len(e.attempts) != 0 || e.usedResources() != (plan.Resources{}) {
				t.Errorf("still tracked: %v, %+v", e.attempts, e.usedResources())
			}
			r := in.rec
			if State(r.State) != Queued || r.Killed || r.NextRunAt != nil || r.QuickExits != 0 || r.Message != "why" {
				t.Errorf("record = %+v", r)
			}
			if r.Attempts != 1 || r.AttemptID != "d.0-a.0.1" {
				t.Errorf("attempts changed: %+v", r)
			}
			past := in.past // the current attempt's end, until the next starts
			if live != (len(past) == 1) {
				t.Fatalf("history = %+v", past)
			}
			if live && (past[0].State != Killed || past[0].Message != "restarted" || !past[0].FinishedAt.Equal(now)) {
				t.Errorf("history = %+v", past[0])
			}
		})
	}
}

// TestRestartedAttemptHoldsResources: the running attempt of a block
// restarted holds the CPUs it claimed until its backend reports it ended,
// as a killed attempt does: the block's next attempt, which needs them
// too, waits until then. It launched at once, the old process still
// running: more CPUs taken than there are.
func TestRestartedAttemptHoldsResources(t *testing.T) {
	rb := newReportBackend()
	e, id, first := aRunning(t, lateKillBackend{rb}, rb, Config{}, "")
	if err := e.RestartBlock(context.Background(), id, "a"); err != nil {
		t.Fatal(err)
	}
	waitKilled(t, rb.fakeBackend, first.ID)
	waitNeeds(t, e, rb.fakeBackend, id, 1)
	rb.sink(Update{AttemptID: first.ID, State: Killed})
	if a := waitLaunches(t, rb.fakeBackend, 2)[1]; a.Block != "a" || a.ID == first.ID {
		t.Fatalf("launch 2 is %s (%s), want a's next attempt", a.Block, a.ID)
	}
}

// aRunning submits a document of one block, a (sh, with header, needing
// 1.5 of 2 CPUs), to an engine on b (whose fake is rb) and has a's first
// attempt running: the engine, the document's id and that attempt.
func aRunning(t *testing.T, b Backend, rb *reportBackend, cfg Config, header string) (*Engine, string, *Attempt) {
	t.Helper()
	e, _ := startEngine(t, t.TempDir(), b, cfg)
	v, err := e.Submit(context.Background(), "#+name: a\n#+begin_src sh"+header+" :cpu 1.5\nsleep infinity\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	first := waitLaunches(t, rb.fakeBackend, 1)[0]
	rb.sink(Update{AttemptID: first.ID, State: Running})
	waitState(t, e, v.ID, "a", Running)
	return e, v.ID, first
}

// kills is how many times the backend was asked to kill attempt id.
func kills(f *fakeBackend, id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, k := range f.killed {
		if k == id {
			n++
		}
	}
	return n
}

// TestRestartWriteFailsStillKills: a restart whose database write fails
// still kills the running attempt it requeued in memory. It returned
// before the kill: the old attempt ran on, and its stand-in held its CPUs
// for as long as it did, the block's next attempt waiting for them.
func TestRestartWriteFailsStillKills(t *testing.T) {
	rb := newReportBackend()
	e, id, first := aRunning(t, lateKillBackend{rb}, rb, Config{}, "")
	e.cfg.Store.Close() // the database fails
	if err := e.RestartBlock(context.Background(), id, "a"); err == nil {
		t.Fatal("a restart that could not be stored reported no error")
	}
	if kills(rb.fakeBackend, first.ID) != 1 {
		t.Fatalf("%s, requeued by a restart that could not be stored, was not killed", first.ID)
	}
}

// TestKillWriteFailsStillKills: a kill of a block, or of a document,
// whose database write fails still asks the backend to kill the running
// attempt, and reports the failed write. It returned before the kill: the
// attempt ran on until a kill asked again.
func TestKillWriteFailsStillKills(t *testing.T) {
	for _, whole := range []bool{false, true} {
		rb := newReportBackend()
		e, id, first := aRunning(t, lateKillBackend{rb}, rb, Config{}, "")
		e.cfg.Store.Close() // the database fails
		var err error
		if whole {
			err = e.KillDocument(context.Background(), id)
		} else {
			err = e.KillBlock(context.Background(), id, "a")
		}
		if err == nil {
			t.Fatalf("a kill (of the document: %v) that could not be stored reported no error", whole)
		}
		if kills(rb.fakeBackend, first.ID) != 1 {
			t.Fatalf("%s, killed (the document: %v) by a request that could not be stored, was not asked to end", first.ID, whole)
		}
	}
}

// TestRemoveWriteFailsStillKills: a removal whose kill write fails keeps
// the document, and still asks the backend to kill its running attempt,
// which it has killed in memory. It returned before the kill: the attempt
// ran on.
func TestRemoveWriteFailsStillKills(t *testing.T) {
	rb := newReportBackend()
	e, id, first := aRunning(t, lateKillBackend{rb}, rb, Config{}, "")
	e.cfg.Store.Close() // the database fails
	if err := e.RemoveDocument(context.Background(), id); err == nil {
		t.Fatal("a removal whose kill could not be stored reported no error")
	}
	if _, err := e.Document(id); err != nil {
		t.Fatalf("the document of a removal that failed: %v; want it kept", err)
	}
	if kills(rb.fakeBackend, first.ID) != 1 {
		t.Fatalf("%s, killed by a removal that could not be stored, was not asked to end", first.ID)
	}
}

// failKillBackend is a lateKillBackend whose kills fail while fail is set.
type failKillBackend struct {
	lateKillBackend
	fail atomic.Bool
}

func (f *failKillBackend) Kill(ctx context.Context, id string) error {
	f.recordKill(id)
	if f.fail.Load() {
		return errors.New("kill failed")
	}
	return nil
}

// TestRestartKillsStandIns: a restart goes on through a kill that fails
// (its session is closed still), and the attempt it killed stays its
// instance's until it ends: a later restart or kill of the block kills it
// again. They saw a queued instance, and killed nothing.
func TestRestartKillsStandIns(t *testing.T) {
	rb := newReportBackend()
	fb := &failKillBackend{lateKillBackend: lateKillBackend{rb}}
	fb.fail.Store(true)
	e, id, first := aRunning(t, fb, rb, Config{}, " :session s")
	ctx := context.Background()
	if err := e.RestartBlock(ctx, id, "a"); err == nil {
		t.Fatal("a restart whose kill failed reported no error")
	}
	rb.mu.Lock()
	closed := len(rb.closed)
	rb.mu.Unlock()
	if closed != 1 {
		t.Errorf("sessions closed: %d, want the restarted one", closed)
	}
	fb.fail.Store(false)
	if err := e.RestartBlock(ctx, id, "a"); err != nil {
		t.Fatal(err)
	}
	if n := kills(rb.fakeBackend, first.ID); n != 2 {
		t.Errorf("%s asked to be killed %d times after a second restart, want 2", first.ID, n)
	}
	if err := e.KillBlock(ctx, id, "a"); err != nil {
		t.Fatal(err)
	}
	if n := kills(rb.fakeBackend, first.ID); n != 3 {
		t.Errorf("%s asked to be killed %d times after a kill of its block, want 3", first.ID, n)
	}
	// Once it has ended, it is no one's to kill.
	rb.sink(Update{AttemptID: first.ID, State: Killed})
	if err := e.RestartBlock(ctx, id, "a"); err != nil {
		t.Fatal(err)
	}
	if n := kills(rb.fakeBackend, first.ID); n != 3 {
		t.Errorf("%s, ended, asked to be killed again (%d times)", first.ID, n)
	}
}

// TestRemoveWaitsForRestartedAttempt: a document is removed once the
// attempts its restarts killed have ended, as its instances' have, and
// their files go with it. It was removed at once, the killed attempt
// still running (the local backend refused to remove its directory, an
// error after the document was gone, and nothing removed it after).
func TestRemoveWaitsForRestartedAttempt(t *testing.T) {
	rb := newReportBackend()
	b := &removingBackend{lateKillBackend: lateKillBackend{rb}}
	e, id, first := aRunning(t, b, rb, Config{RemoveWait: 100 * time.Millisecond}, "")
	ctx := context.Background()
	if err := e.RestartBlock(ctx, id, "a"); err != nil {
		t.Fatal(err)
	}
	if err := e.RemoveDocument(ctx, id); !errors.Is(err, ErrConflict) {
		t.Fatalf("removing the document while %s runs: %v, want it kept (ErrConflict)", first.ID, err)
	}
	if _, err := e.Document(id); err != nil || b.wasRemoved(first.ID) {
		t.Fatalf("the document was removed (%v), or the files of %s, still running", err, first.ID)
	}
	rb.sink(Update{AttemptID: first.ID, State: Killed})
	var err error
	for range 2000 {
		if err = e.RemoveDocument(ctx, id); !errors.Is(err, ErrConflict) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if !b.wasRemoved(first.ID) {
		t.Fatalf("the files of %s were not removed with its document", first.ID)
	}
}

// TestRestartedAttemptRecovered: an attempt a restart killed that had not
// ended when the server stopped is its instance's still at the next
// start (stored with it): recovered, killed again, and holding its
// resources until it ends, whether its instance runs again or was killed
// since. It was forgotten, its resources free, the block's next attempt
// launched beside it. It is recovered with its launch's boot ticks.
func TestRestartedAttemptRecovered(t *testing.T) {
	for _, killed := range []bool{false, true} {
		t.Run(fmt.Sprintf("killed=%v", killed), func(t *testing.T) {
			dir := t.TempDir()
			rb := newReportBackend()
			e, stop := startEngine(t, dir, lateKillBackend{rb}, Config{})
			ctx := context.Background()
			v, err := e.Submit(ctx, "#+name: b\n#+begin_src sh :cpu 1\necho b\n#+end_src\n\n#+name: a\n#+begin_src sh :cpu 1.5\nsleep infinity\n#+end_src\n")
			if err != nil {
				t.Fatal(err)
			}
			var first *Attempt
			for n := 1; n <= 2; n++ {
				// One at a time: they need 2.5 CPUs of 2.
				a := waitLaunches(t, rb.fakeBackend, n)[n-1]
				if a.Block == "a" {
					first = a
					rb.sink(Update{AttemptID: a.ID, State: Running})
				} else {
					finish(rb.fakeBackend, a, Finished, 0)
				}
			}
			waitState(t, e, v.ID, "a", Running)
			waitState(t, e, v.ID, "b", Finished)
			if err := e.RestartBlock(ctx, v.ID, "a"); err != nil {
				t.Fatal(err)
			}
			if killed {
				if err := e.KillBlock(ctx, v.ID, "a"); err != nil {
					t.Fatal(err)
				}
			}
			stop()
			rb2 := newReportBackend()
			e2, _ := startEngine(t, dir, lateKillBackend{rb2}, Config{})
			i := slices.IndexFunc(rb2.recover, func(a *Attempt) bool { return a.ID == first.ID })
			if i < 0 {
				t.Fatalf("%s, killed by a restart and not known ended, was not recovered", first.ID)
			}
			// With its launch's boot ticks: a process older than its
			// launch is not taken for its wrapper, nor its group killed.
			if got := rb2.recover[i].LaunchTicks; got != first.LaunchTicks || got == 0 {
				t.Errorf("%s recovered with launch boot ticks %d, want its launch's, %d", first.ID, got, first.LaunchTicks)
			}
			waitKilled(t, rb2.fakeBackend, first.ID)
			// b, restarted, needs a CPU the killed attempt holds.
			if err := e2.RestartBlock(ctx, v.ID, "b"); err != nil {
				t.Fatal(err)
			}
			waitNeeds(t, e2, rb2.fakeBackend, v.ID, 0)
			rb2.sink(Update{AttemptID: first.ID, State: Killed})
			waitLaunches(t, rb2.fakeBackend, 1)
		})
	}
}

// TestRetentionWaitsForStandIns: a document whose block was restarted,
// then killed, has every instance ended while the attempt the restart
// killed still runs (its stand-in). Retention leaves it alone until that
// attempt ends, then removes it. It took the document for ended, killed
// the stand-in again and waited the removal time for it, then gave up.
func TestRetentionWaitsForStandIns(t *testing.T) {
	rb := newReportBackend()
	cfg := Config{Keep: Retention{For: time.Nanosecond}, RetainEvery: time.Hour, RemoveWait: 50 * time.Millisecond}
	e, id, first := aRunning(t, lateKillBackend{rb}, rb, cfg, "")
	ctx := context.Background()
	if err := e.RestartBlock(ctx, id, "a"); err != nil {
		t.Fatal(err)
	}
	if err := e.KillBlock(ctx, id, "a"); err != nil {
		t.Fatal(err)
	}
	waitState(t, e, id, "a", Killed)
	asked := kills(rb.fakeBackend, first.ID)
	e.retain(ctx)
	if _, err := e.Document(id); err != nil {
		t.Fatalf("the document, whose restarted attempt runs, was removed by retention: %v", err)
	}
	if n := kills(rb.fakeBackend, first.ID); n != asked {
		t.Fatalf("retention asked %d kills of the restarted attempt; want none", n-asked)
	}
	rb.sink(Update{AttemptID: first.ID, State: Killed})
	e.retain(ctx)
	if _, err := e.Document(id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the document after its restarted attempt ended: %v; want it removed", err)
	}
}
