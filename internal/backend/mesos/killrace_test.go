package mesos

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/mesos/mesos-go/api/v1/lib/scheduler"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// sinkUpdates collects a backend's updates.
type sinkUpdates struct {
	mu  sync.Mutex
	all []engine.Update
}

func (s *sinkUpdates) add(u engine.Update) {
	s.mu.Lock()
	s.all = append(s.all, u)
	s.mu.Unlock()
}

// list is what was reported so far (the test's one attempt's updates).
func (s *sinkUpdates) list() []engine.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]engine.Update(nil), s.all...)
}

// TestKillWhilePlacing: an attempt is killed after an offer's placement
// has read the queue and before it launches what it placed (a hook runs
// the kill there): the attempt is reported killed once and never launched
// (nor, for a session's block, its session's task); the offer is declined.
// A task of its own, and a block of a session on Borges' executor.
func TestKillWhilePlacing(t *testing.T) {
	sh := &plan.Session{Name: "s", Key: "shell:s", Kind: string(session.Shell), Command: session.Command(session.Shell, "", []string{"sh"})}
	for _, tc := range []struct {
		name    string
		session *plan.Session
		options []func(*Config)
	}{
		{name: "task"},
		{name: "session block", session: sh, options: []func(*Config){testExecutor(t)}},
	} {
		t.Run(tc.name, func(t *testing.T) { testKillWhilePlacing(t, tc.session, tc.options...) })
	}
}

func testKillWhilePlacing(t *testing.T, sess *plan.Session, options ...func(*Config)) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}})
	defer m.Close()
	cfg := Config{Master: m.URL(), RefuseSeconds: 0.1, Logger: testLogger(t)}
	for _, o := range options {
		o(&cfg)
	}
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := &engine.Attempt{ID: "d.0-k.0.1", DocID: "d", Block: "k", Script: "sleep 30",
		Task: &plan.Task{Resources: plan.Resources{CPUs: 0.5, MemMB: 64}, Session: sess}}
	if sess != nil {
		a.Session = "d/" + sess.Key + "/1"
		if !b.inSession(a) {
			t.Fatal("the block does not run in its session")
		}
	}
	calls := make(chan int, 1) // the master's calls when the kill was made
	b.placing = func(queue []*engine.Attempt) {
		for _, q := range queue {
			if q.ID == a.ID && len(calls) == 0 {
				if err := b.Kill(ctx, a.ID); err != nil {
					t.Errorf("kill: %v", err)
				}
				calls <- len(m.Calls())
				return
			}
		}
	}
	var got sinkUpdates
	if err := b.Start(ctx, got.add); err != nil {
		t.Fatal(err)
	}
	if err := b.Launch(ctx, a); err != nil {
		t.Fatal(err)
	}
	var before int
	select {
	case before = <-calls:
	case <-time.After(time.Minute):
		t.Fatal("no offer placed the attempt")
	}
	// The offer the kill raced with is answered (accepted or declined)
	// once its placement is over.
	waitFor(t, "the offer answered", func() bool {
		for _, c := range m.Calls()[before:] {
			if c.Type == scheduler.Call_ACCEPT || c.Type == scheduler.Call_DECLINE {
				return true
			}
		}
		return false
	})
	if launched := m.Tasks(); len(launched) != 0 {
		t.Fatalf("a killed attempt was launched: %d tasks", len(launched))
	}
	b.mu.Lock()
	tracked, queued, sessions := b.tasks[a.ID] != nil, len(b.queue), len(b.sessions)
	b.mu.Unlock()
	if tracked || queued != 0 || sessions != 0 {
		t.Fatalf("after the kill: tracked %v, %d queued, %d sessions", tracked, queued, sessions)
	}
	ups := got.list()
	if len(ups) != 1 || ups[0].AttemptID != a.ID || ups[0].State != engine.Killed {
		t.Fatalf("updates: %+v", ups)
	}
}
