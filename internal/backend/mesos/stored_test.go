package mesos

import (
	"context"
	"sync"
	"testing"
	"time"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestEndAcknowledgedOnceStored: a task's end is acknowledged only once
// the engine has stored it (Update.Stored). A Borges that goes away
// before (its engine never said so) leaves the update unacknowledged:
// the master sends it again to the restarted Borges, whose attempt ends
// failed with the executor's exit status, rather than being unknown to
// the master and run again after UnreachableGrace. Once stored, it is
// acknowledged.
func TestEndAcknowledgedOnceStored(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}, ResendInterval: time.Hour})
	t.Cleanup(m.Close)
	a := &engine.Attempt{ID: "d.0-fails.0.1", DocID: "d", Block: "fails", Script: "exit 3\n",
		Task: &plan.Task{Interpreter: []string{"sh"}, Resources: plan.Resources{CPUs: 0.1, MemMB: 32}}}
	newBackend := func() *Backend {
		b, err := New(Config{Master: m.URL(), RefuseSeconds: 0.1, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ended := func(s *sinkUpdates) (engine.Update, bool) {
		for _, u := range s.list() {
			if u.State.Terminal() {
				return u, true
			}
		}
		return engine.Update{}, false
	}

	// The first Borges's engine never stores the end: it goes away first.
	first := newBackend()
	ctx1, away := context.WithCancel(context.Background())
	t.Cleanup(away)
	got1 := &sinkUpdates{}
	if err := first.Start(ctx1, got1.add); err != nil {
		t.Fatal(err)
	}
	if err := first.Recover(ctx1, nil); err != nil {
		t.Fatal(err)
	}
	if err := first.Launch(ctx1, a); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "fails reported failed", func() bool { _, ok := ended(got1); return ok })
	first.mu.Lock()
	fw := first.frameworkID
	first.mu.Unlock()
	away()
	waitFor(t, "the first Borges gone from the master", func() bool { return m.Connected() == 0 })

	// The restarted Borges learns the end, and stores it.
	b := newBackend()
	b.frameworkID = fw
	var mu sync.Mutex
	acked := false
	b.acking = func(st mesoslib.TaskStatus) {
		if st.TaskID.Value == a.ID && st.GetState() == mesoslib.TASK_FAILED {
			mu.Lock()
			acked = true
			mu.Unlock()
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	got := &sinkUpdates{}
	if err := b.Start(ctx, storeless(got.add)); err != nil {
		t.Fatal(err)
	}
	if err := b.Recover(ctx, []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	end := waitRecoveredEnd(t, b, a.ID, got)
	if end.State != engine.Failed || end.ExitCode == nil || *end.ExitCode != 3 {
		t.Fatalf("fails: %s %q exit %v", end.State, end.Message, end.ExitCode)
	}
	waitFor(t, "its TASK_FAILED acknowledged, once stored", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return acked
	})
}
