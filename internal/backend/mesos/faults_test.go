package mesos

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// TestStreamDrop: the master drops the subscription; the framework
// subscribes again with its id and goes on launching.
func TestStreamDrop(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: one\n#+begin_src sh\necho one\n#+end_src\n")
	waitFor(t, "one finished", func() bool { return blockState(t, b.eng, v.ID, "one").State == engine.Finished })
	b.backend.mu.Lock()
	fw := b.backend.frameworkID
	b.backend.mu.Unlock()
	m.DropStream()
	v2, _ := b.eng.Submit(context.Background(), "#+name: two\n#+begin_src sh\necho two\n#+end_src\n")
	waitFor(t, "two finished after the reconnection", func() bool { return blockState(t, b.eng, v2.ID, "two").State == engine.Finished })
	subscribes := 0
	for _, c := range m.Calls() {
		if c.Type.String() == "SUBSCRIBE" {
			subscribes++
			if subscribes == 2 && (c.Call.Subscribe.FrameworkInfo.ID == nil || c.Call.Subscribe.FrameworkInfo.ID.Value != fw) {
				t.Fatalf("re-subscribed without its framework id")
			}
		}
	}
	if subscribes != 2 {
		t.Fatalf("%d subscriptions", subscribes)
	}
}

// TestAgentLossRelaunches: a keep-running task's agent is lost; the task
// comes back on the other agent.
func TestAgentLossRelaunches(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{Hostname: "a0", CPUs: 1, MemMB: 512}, {Hostname: "a1", CPUs: 1, MemMB: 512}}})
	defer m.Close()
	// Unreachable (the framework is partition-aware) is waited for a
	// while, then taken as lost.
	b := startBorges(t, m.URL(), t.TempDir(), func(c *Config) {
		c.UnreachableGrace, c.UnsureInterval = 500*time.Millisecond, 100*time.Millisecond
	})
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: daemon\n#+begin_src sh :cpu 1 :mem 256 :ensure it-keeps-running\nwhile true; do sleep 1; done\n#+end_src\n")
	waitFor(t, "daemon running", func() bool { return blockState(t, b.eng, v.ID, "daemon").State == engine.Running })
	first := blockState(t, b.eng, v.ID, "daemon").Instances[0]
	lose := 0
	if first.Host == "a1" {
		lose = 1
	}
	m.LoseAgent(lose)
	waitFor(t, "daemon back on the other agent", func() bool {
		in := blockState(t, b.eng, v.ID, "daemon").Instances[0]
		return in.State == engine.Running && in.Attempts == 2 && in.Host != first.Host
	})
	if in := blockState(t, b.eng, v.ID, "daemon").Instances[0]; !strings.HasPrefix(in.Host, "a") {
		t.Fatalf("host %q", in.Host)
	}
}

// TestRedirectToLeader: given a list of masters, the first of which is not
// the leader, the framework follows the 307 to the leader.
func TestRedirectToLeader(t *testing.T) {
	leader := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer leader.Close()
	follower := mesostest.New(mesostest.Options{})
	defer follower.Close()
	follower.FollowLeader(leader)
	b := startBorges(t, follower.URL()+","+leader.URL(), t.TempDir())
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: x\n#+begin_src sh\necho x\n#+end_src\n")
	waitFor(t, "x finished through the leader", func() bool { return blockState(t, b.eng, v.ID, "x").State == engine.Finished })
	if len(leader.Tasks()) != 1 {
		t.Fatalf("leader ran %d tasks", len(leader.Tasks()))
	}
}

// TestAuthentication: a master that requires credentials accepts the
// framework's principal and secret.
func TestAuthentication(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}, Principal: "borges", Secret: "s3cret"})
	defer m.Close()
	b, err := New(Config{Master: m.URL(), Principal: "borges", Secret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	startAlone(t, ctx, b, func(engine.Update) {})
	waitFor(t, "subscribed with credentials", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.frameworkID != ""
	})
}

// TestTLS: an https master and agents, trusted through the configured CA.
func TestTLS(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}, TLS: true})
	defer m.Close()
	b, err := New(Config{Master: m.URL(), TLS: &tls.Config{RootCAs: m.CertPool()}})
	if err != nil {
		t.Fatal(err)
	}
	updates := make(chan engine.Update, 100)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	startAlone(t, ctx, b, func(u engine.Update) { updates <- u })
	a := &engine.Attempt{ID: "d.tls.0.1", Block: "tls", Task: &plan.Task{Interpreter: []string{"sh"}, Resources: plan.Resources{CPUs: 0.1, MemMB: 32}}, Script: "echo over tls"}
	b.Launch(ctx, a)
	for u := range updates {
		if u.State == engine.Finished {
			break
		}
		if u.State.Terminal() {
			t.Fatalf("update %+v", u)
		}
	}
	data, _, err := b.ReadLog(ctx, a.ID, "stdout", 0, 100)
	if err != nil || string(data) != "over tls\n" {
		t.Fatalf("log %q %v", data, err)
	}
}

// TestRescindedOffer: the offer a launch used was rescinded meanwhile; the
// master refuses the launch (TASK_DROPPED, invalid offers) and the task runs
// from a later offer.
func TestRescindedOffer(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer m.Close()
	m.RescindBeforeAccept(1)
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: r\n#+begin_src sh\necho r\n#+end_src\n")
	waitFor(t, "r finished after the rescind", func() bool { return blockState(t, b.eng, v.ID, "r").State == engine.Finished })
	if in := blockState(t, b.eng, v.ID, "r").Instances[0]; in.Attempts != 2 {
		t.Fatalf("attempts %d, want 2 (one refused, one run)", in.Attempts)
	}
}

// TestMasterFailover: the master fails over while a keep-running task
// runs; Borges subscribes again with its framework id, reconciliation says
// the task still runs, nothing is launched twice, and kill still works.
func TestMasterFailover(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: d\n#+begin_src sh :ensure it-keeps-running\nwhile true; do sleep 1; done\n#+end_src\n")
	waitFor(t, "d running", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Running })
	m.Failover()
	waitFor(t, "subscribed again", func() bool {
		n := 0
		for _, c := range m.Calls() {
			if c.Type.String() == "SUBSCRIBE" {
				n++
			}
		}
		return n == 2
	})
	time.Sleep(500 * time.Millisecond)
	if in := blockState(t, b.eng, v.ID, "d").Instances[0]; in.State != engine.Running || in.Attempts != 1 || len(m.Tasks()) != 1 {
		t.Fatalf("after failover: %+v, %d tasks", in, len(m.Tasks()))
	}
	b.eng.KillBlock(context.Background(), v.ID, "d")
	waitFor(t, "d killed", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Killed })
}

// TestHeartbeatsStop: a stream that stays open but falls silent for three
// heartbeat intervals is given up, and the framework subscribes again.
func TestHeartbeatsStop(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}, HeartbeatInterval: 300 * time.Millisecond})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	waitFor(t, "subscribed", func() bool { return subscriptions(m) == 1 })
	m.StopHeartbeats()
	waitFor(t, "subscribed again after the silence", func() bool { return subscriptions(m) >= 2 })
}

func subscriptions(m *mesostest.Master) int {
	n := 0
	for _, c := range m.Calls() {
		if c.Type.String() == "SUBSCRIBE" {
			n++
		}
	}
	return n
}

// TestSuppressReviveAndInstances: with nothing queued the framework
// suppresses offers; a document revives them; :instances 2 makes two
// tasks.
func TestSuppressReviveAndInstances(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	sent := func(typ string) bool {
		for _, c := range m.Calls() {
			if c.Type.String() == typ {
				return true
			}
		}
		return false
	}
	waitFor(t, "SUPPRESS while idle", func() bool { return sent("SUPPRESS") })
	v, _ := b.eng.Submit(context.Background(), "#+name: twice\n#+begin_src sh :instances 2\necho $BORGES_INSTANCE\n#+end_src\n")
	waitFor(t, "both instances finished", func() bool { return blockState(t, b.eng, v.ID, "twice").State == engine.Finished })
	if !sent("REVIVE") {
		t.Fatal("no REVIVE after queueing")
	}
	if n := len(m.Tasks()); n != 2 {
		t.Fatalf("%d tasks for :instances 2", n)
	}
}

// TestPeriodicReconciliation: besides at subscription, the framework
// reconciles on its interval.
func TestPeriodicReconciliation(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer m.Close()
	b, err := New(Config{Master: m.URL(), ReconcileInterval: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	startAlone(t, ctx, b, func(engine.Update) {})
	waitFor(t, "several reconciliations", func() bool {
		n := 0
		for _, c := range m.Calls() {
			if c.Type.String() == "RECONCILE" {
				n++
			}
		}
		return n >= 4
	})
}

// syncLog is a log destination tests read while the framework writes.
type syncLog = proctest.SyncBuffer

// TestFailedSubscriptionsLogged: while no master answers, each failed
// subscription is logged (mesos-go alone would retry silently for
// minutes).
func TestFailedSubscriptionsLogged(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := l.Addr().String()
	l.Close() // nothing listens there any more
	var logged syncLog
	b, err := New(Config{Master: down, Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	startAlone(t, ctx, b, func(engine.Update) {})
	waitFor(t, "two failed subscriptions logged", func() bool {
		return strings.Count(logged.String(), "subscribing again") >= 2 && strings.Contains(logged.String(), "connection refused")
	})
}

// TestWrongSecretStops: a master that refuses the framework's credentials
// (401) gets a clear error in the log, and Borges stops subscribing
// instead of retrying forever.
func TestWrongSecretStops(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}, Principal: "borges", Secret: "s3cret"})
	defer m.Close()
	var logged syncLog
	b, err := New(Config{Master: m.URL(), Principal: "borges", Secret: "wrong", Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.SetSink(func(engine.Update) {})
	done := make(chan struct{})
	go func() { b.run(ctx); close(done) }()
	select {
	case <-done:
	case <-time.After(proctest.WaitTimeout(t)):
		t.Fatalf("still subscribing after a refusal of the credentials; log:\n%s", logged.String())
	}
	if !strings.Contains(logged.String(), `refused the framework's credentials (principal \"borges\")`) {
		t.Fatalf("log:\n%s", logged.String())
	}
}

// TestMasterRestartNothingTwice: the master is restarted with its registry
// in memory while a keep-running block runs; the new master first does
// not know the task (TASK_UNKNOWN), then its agent registers again and it
// reports the task running. Borges waits instead of running the block
// again: one task, one attempt, and kill still works.
func TestMasterRestartNothingTwice(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 512}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir(), func(c *Config) { c.UnsureInterval = 100 * time.Millisecond })
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: d\n#+begin_src sh :ensure it-keeps-running\nwhile true; do sleep 1; done\n#+end_src\n")
	waitFor(t, "d running", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Running })
	before := len(m.Calls())
	m.RestartMaster()
	waitFor(t, "Borges asked the new master about d", func() bool {
		for _, c := range m.Calls()[before:] {
			if c.Type.String() == "RECONCILE" && len(c.Call.Reconcile.Tasks) == 1 {
				return true
			}
		}
		return false
	})
	// The answer (TASK_UNKNOWN) is on its way; the agent comes back.
	waitFor(t, "Borges heard the answer", func() bool {
		b.backend.mu.Lock()
		tk := b.backend.tasks[attemptOf(t, b.eng, v.ID, "d", 1)]
		waiting := tk != nil && !tk.unsureSince.IsZero()
		b.backend.mu.Unlock()
		return waiting || blockState(t, b.eng, v.ID, "d").Instances[0].Attempts > 1
	})
	m.AgentReregisters(0)
	waitFor(t, "d known again", func() bool {
		b.backend.mu.Lock()
		defer b.backend.mu.Unlock()
		return b.backend.tasks[attemptOf(t, b.eng, v.ID, "d", 1)].unsureSince.IsZero() && blockState(t, b.eng, v.ID, "d").State == engine.Running
	})
	if in := blockState(t, b.eng, v.ID, "d").Instances[0]; in.State != engine.Running || in.Attempts != 1 || len(m.Tasks()) != 1 {
		t.Fatalf("after the master's restart: %+v, %d tasks", in, len(m.Tasks()))
	}
	b.eng.KillBlock(context.Background(), v.ID, "d")
	waitFor(t, "d killed", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Killed })
}
