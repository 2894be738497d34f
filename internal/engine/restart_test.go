package engine

import (
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// TestRequeue is the rule a restart, a lost session and a session the
// server stopped during all queue their instances by: a staged or running
// attempt is returned to be killed, no longer tracked, and ends in the
// instance's history; whatever the instance was, it is queued afresh.
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
