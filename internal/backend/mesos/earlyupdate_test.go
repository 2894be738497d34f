package mesos

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestUpdateBeforeRecoverIsKept: a task fails while Borges is away; the
// restarted Borges subscribes, and the master sends it the task's
// TASK_FAILED at once, before the engine's Recover has told the backend
// which attempts are Borges'. That update is not acknowledged then (an
// update acknowledged but not stored is lost for good: the master then
// forgets the task, and answers reconciliation "unknown", which the
// backend waits out for UnreachableGrace before it runs the attempt
// again); once Recover has told the attempt, it ends failed at once with
// the executor's message and exit status, and the update is acknowledged.
// The master's updates are ordered by a fake offer sent after the resent
// update: its DECLINE says the update has been handled.
func TestUpdateBeforeRecoverIsKept(t *testing.T) {
	r := failedWhileAway(t, "")
	r.recoverAndCheck(t)
}

// TestHeldUpdateOfAnEndedSubscription: the master fails over while a
// restarted Borges still holds the update of a task that ended while it
// was away (the engine still reading its store). The held copy came on
// the subscription that ended: replayed with it, its output could not be
// kept nor its failure read. It is not handled: never acknowledged, it is
// sent again on the new subscription, and that copy ends the attempt,
// its output kept, with the executor's exit status.
func TestHeldUpdateOfAnEndedSubscription(t *testing.T) {
	r := failedWhileAway(t, t.TempDir())
	b := r.b
	r.m.Failover()
	waitFor(t, "the resent update held too, from the new subscription", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		dead, live := false, false
		for _, h := range b.early {
			if h.st.TaskID.Value != r.a.ID || reconciled(h.st) {
				continue
			}
			if h.ctx.Err() != nil {
				dead = true
			} else {
				live = true
			}
		}
		return dead && live
	})
	r.recoverAndCheck(t)
	if _, err := os.Stat(b.keptDir(r.a.ID)); err != nil {
		t.Fatalf("output not kept: %v", err)
	}
}

// awayRun is a restarted Borges subscribed, before Recover, to a master
// that has the TASK_FAILED of an attempt that failed while Borges was
// away.
type awayRun struct {
	m        *mesostest.Master
	a        *engine.Attempt
	b        *Backend
	ctx      context.Context
	got      *sinkUpdates
	ackedNow func() []mesoslib.TaskState
}

// failedWhileAway starts a Borges that runs a block, goes away, and a
// new one that subscribes while the block fails; it checks nothing of the
// task was acknowledged or reported before Recover (outputDir: the
// backends' Config.OutputDir).
func failedWhileAway(t *testing.T, outputDir string) *awayRun {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}, ResendInterval: time.Hour})
	t.Cleanup(m.Close)
	gate := filepath.Join(t.TempDir(), "go")
	a := &engine.Attempt{ID: "d.0-fails.0.1", DocID: "d", Block: "fails",
		Script: "n=0; while [ ! -e " + gate + " ] && [ $n -lt 3000 ]; do sleep 0.02; n=$((n+1)); done\nexit 3\n",
		Task:   &plan.Task{Interpreter: []string{"sh"}, Resources: plan.Resources{CPUs: 0.1, MemMB: 32}}}
	newBackend := func() *Backend {
		b, err := New(Config{Master: m.URL(), RefuseSeconds: 0.1, Logger: testLogger(t), OutputDir: outputDir})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	// The first Borges runs the block, and goes away.
	first := newBackend()
	ctx1, away := context.WithCancel(context.Background())
	t.Cleanup(away)
	got1 := &sinkUpdates{}
	startAlone(t, ctx1, first, got1.add)
	if err := first.Launch(ctx1, a); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "fails running", func() bool {
		for _, u := range got1.list() {
			if u.State == engine.Running {
				return true
			}
		}
		return false
	})
	first.mu.Lock()
	fw := first.frameworkID
	first.mu.Unlock()
	away()
	waitFor(t, "the first Borges gone from the master", func() bool { return m.Connected() == 0 })
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "fails failed at the master, Borges away", func() bool {
		s, ok := m.TaskState(a.ID)
		return ok && s == mesoslib.TASK_FAILED
	})

	// The restarted Borges subscribes before it knows its attempts.
	b := newBackend()
	b.frameworkID = fw
	var mu sync.Mutex
	var acked []mesoslib.TaskState // of the task's updates
	b.acking = func(st mesoslib.TaskStatus) {
		if st.TaskID.Value == a.ID {
			mu.Lock()
			acked = append(acked, st.GetState())
			mu.Unlock()
		}
	}
	ackedNow := func() []mesoslib.TaskState {
		mu.Lock()
		defer mu.Unlock()
		return append([]mesoslib.TaskState(nil), acked...)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	got := &sinkUpdates{}
	if err := b.Start(ctx, storeless(got.add)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the restarted Borges subscribed", func() bool { return m.Connected() == 1 })
	// Subscribed: the task's update is on the stream already; the fake
	// offer comes after it.
	syncOffer := "sync-offer"
	m.SendEvent(fw, &scheduler.Event{Type: scheduler.Event_OFFERS, Offers: &scheduler.Event_Offers{Offers: []mesoslib.Offer{{
		ID: mesoslib.OfferID{Value: syncOffer}, FrameworkID: mesoslib.FrameworkID{Value: fw},
		AgentID: mesoslib.AgentID{Value: m.AgentID(0)}, Hostname: "localhost"}}}})
	waitFor(t, "the fake offer declined, the update before it handled", func() bool {
		for _, c := range m.Calls() {
			if c.Type == scheduler.Call_DECLINE {
				for _, id := range c.Call.Decline.OfferIDs {
					if id.Value == syncOffer {
						return true
					}
				}
			}
		}
		return false
	})
	if s := ackedNow(); len(s) > 0 {
		t.Fatalf("acknowledged before Borges knew its attempts: %v", s)
	}
	if u := got.list(); len(u) > 0 {
		t.Fatalf("reported before Recover: %+v", u)
	}

	return &awayRun{m: m, a: a, b: b, ctx: ctx, got: got, ackedNow: ackedNow}
}

// recoverAndCheck tells the attempt, and checks it ends failed with the
// executor's message and exit status, its TASK_FAILED acknowledged.
func (r *awayRun) recoverAndCheck(t *testing.T) {
	a, b, ctx, got, ackedNow := r.a, r.b, r.ctx, r.got, r.ackedNow
	if err := b.Recover(ctx, []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	end := waitRecoveredEnd(t, b, a.ID, got)
	if end.State != engine.Failed || end.Message != "Command exited with status 3" || end.ExitCode == nil || *end.ExitCode != 3 {
		t.Fatalf("fails: %s %q exit %v", end.State, end.Message, end.ExitCode)
	}
	waitFor(t, "its TASK_FAILED acknowledged, once reported", func() bool {
		for _, s := range ackedNow() {
			if s == mesoslib.TASK_FAILED {
				return true
			}
		}
		return false
	})
}

// waitRecoveredEnd waits until a restarted Borges reports the end of the
// attempt id it recovered, failing should the master not know its task
// (its final update acknowledged, and lost).
func waitRecoveredEnd(t *testing.T, b *Backend, id string, got *sinkUpdates) engine.Update {
	t.Helper()
	var end engine.Update
	waitFor(t, "the attempt ended, for the restarted Borges", func() bool {
		b.mu.Lock()
		unsure := !b.tasks[id].unsureSince.IsZero()
		b.mu.Unlock()
		if unsure {
			t.Fatal("the master does not know the task: its final update was acknowledged and lost")
		}
		for _, u := range got.list() {
			if u.State.Terminal() {
				end = u
				return true
			}
		}
		return false
	})
	return end
}

// TestHeldUpdateWithoutData: an update held until Recover is held without
// its data (the Docker executor's TASK_RUNNING carries docker inspect's
// JSON, several KB, which taskUpdate never reads): thousands held do not
// hold tens of MB.
func TestHeldUpdateWithoutData(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}, ResendInterval: time.Hour})
	t.Cleanup(m.Close)
	b, err := New(Config{Master: m.URL(), RefuseSeconds: 0.1, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := b.Start(ctx, storeless(func(engine.Update) {})); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "subscribed", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.subscribed
	})
	b.mu.Lock()
	fw := b.frameworkID
	b.mu.Unlock()
	ev := reconciledEvent("d.0-a.0.1", m.AgentID(0), mesoslib.TASK_RUNNING)
	ev.Update.Status.Data = []byte(`[{"Id":"inspect"}]`)
	m.SendEvent(fw, ev)
	waitFor(t, "the update held", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		if len(b.early) == 0 {
			return false
		}
		if d := b.early[0].st.Data; d != nil {
			t.Fatalf("held with its data: %q", d)
		}
		return true
	})
}
