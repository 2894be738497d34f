package engine

import (
	"context"
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
			kill := e.requeue(in, now, "why")
			if got := kill != ""; got != c.wantKill || (c.wantKill && kill != "d.0-a.0.1") {
				t.Errorf("kill = %q", kill)
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
	e, _ := startEngine(t, t.TempDir(), lateKillBackend{rb}, Config{})
	ctx := context.Background()
	v, err := e.Submit(ctx, "#+name: a\n#+begin_src sh :cpu 1.5\necho a\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	first := waitLaunches(t, rb.fakeBackend, 1)[0]
	rb.sink(Update{AttemptID: first.ID, State: Running})
	waitState(t, e, v.ID, "a", Running)
	if err := e.RestartBlock(ctx, v.ID, "a"); err != nil {
		t.Fatal(err)
	}
	waitKilled(t, rb.fakeBackend, first.ID)
	waitNeeds(t, e, rb.fakeBackend, v.ID, 1)
	rb.sink(Update{AttemptID: first.ID, State: Killed})
	if a := waitLaunches(t, rb.fakeBackend, 2)[1]; a.Block != "a" || a.ID == first.ID {
		t.Fatalf("launch 2 is %s (%s), want a's next attempt", a.Block, a.ID)
	}
}
