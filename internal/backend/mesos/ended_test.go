package mesos

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

const keepRunning = "#+name: d\n#+begin_src sh :cpu 1 :mem 64 :ensure it-keeps-running\nwhile true; do echo tick; sleep 0.2; done\n#+end_src\n"

// statusEvent is an UPDATE as an agent sends it (reliable: with a uuid).
func statusEvent(task, agent string, state mesoslib.TaskState) *scheduler.Event {
	src := mesoslib.SOURCE_AGENT
	return &scheduler.Event{Type: scheduler.Event_UPDATE, Update: &scheduler.Event_Update{Status: mesoslib.TaskStatus{
		TaskID: mesoslib.TaskID{Value: task}, State: &state, Source: &src, AgentID: &mesoslib.AgentID{Value: agent}, UUID: []byte("0123456789abcdef")}}}
}

func killed(m *mesostest.Master, task string) bool {
	for _, c := range m.Calls() {
		if c.Type == scheduler.Call_KILL && c.Call.Kill.TaskID.Value == task {
			return true
		}
	}
	return false
}

// TestEndedAttemptReportingIsKilled: a task reports itself running for an
// attempt Borges has ended (lost, then run again), as after a master
// failover or a returning agent: Borges kills it, and the new attempt is
// the only one.
func TestEndedAttemptReportingIsKilled(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), keepRunning)
	waitFor(t, "d running", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Running })
	first := attemptOf(t, b.eng, v.ID, "d", 1)
	b.backend.mu.Lock()
	fw := b.backend.frameworkID
	b.backend.mu.Unlock()
	m.SendEvent(fw, statusEvent(first, m.AgentID(0), mesoslib.TASK_GONE))
	waitFor(t, "d run again", func() bool {
		in := blockState(t, b.eng, v.ID, "d").Instances[0]
		return in.Attempts == 2 && in.State == engine.Running
	})
	m.SendEvent(fw, statusEvent(first, m.AgentID(0), mesoslib.TASK_RUNNING))
	waitFor(t, "the first attempt's task killed", func() bool { return killed(m, first) })
	waitFor(t, "its process ended", func() bool { s, _ := m.TaskState(first); return s == mesoslib.TASK_KILLED })
	if killed(m, attemptOf(t, b.eng, v.ID, "d", 2)) {
		t.Fatal("the current attempt was killed")
	}
}

// TestUnknownIsNotFinal: a partition-aware framework hears TASK_UNKNOWN
// (the master has not seen the agent yet) or TASK_UNREACHABLE; the attempt
// is not run again while the grace lasts, and its task comes back running.
func TestUnknownIsNotFinal(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir(), func(c *Config) { c.UnsureInterval = 100 * time.Millisecond })
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), keepRunning)
	waitFor(t, "d running", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Running })
	info := m.Calls()[0].Call.Subscribe.FrameworkInfo
	aware := false
	for _, c := range info.Capabilities {
		aware = aware || c.Type == mesoslib.FrameworkInfo_Capability_PARTITION_AWARE
	}
	if !aware {
		t.Fatal("not subscribed PARTITION_AWARE")
	}
	b.backend.mu.Lock()
	fw := b.backend.frameworkID
	b.backend.mu.Unlock()
	first := attemptOf(t, b.eng, v.ID, "d", 1)
	before := len(m.Calls())
	for _, s := range []mesoslib.TaskState{mesoslib.TASK_UNKNOWN, mesoslib.TASK_UNREACHABLE} {
		m.SendEvent(fw, statusEvent(first, m.AgentID(0), s))
	}
	// Asked again (explicitly, for this task) until the master knows.
	waitFor(t, "the task reconciled again", func() bool {
		for _, c := range m.Calls()[before:] {
			if c.Type == scheduler.Call_RECONCILE && len(c.Call.Reconcile.Tasks) == 1 && c.Call.Reconcile.Tasks[0].TaskID.Value == first {
				return true
			}
		}
		return false
	})
	b.backend.mu.Lock()
	unsureNow := !b.backend.tasks[first].unsureSince.IsZero()
	b.backend.mu.Unlock()
	// The fake's reconciliation answers RUNNING: the wait is over.
	waitFor(t, "known again", func() bool {
		b.backend.mu.Lock()
		defer b.backend.mu.Unlock()
		return b.backend.tasks[first].unsureSince.IsZero()
	})
	if in := blockState(t, b.eng, v.ID, "d").Instances[0]; in.Attempts != 1 || in.State != engine.Running || len(m.Tasks()) != 1 {
		t.Fatalf("after unknown: %+v (waited: %v), %d tasks", in, unsureNow, len(m.Tasks()))
	}
}

// TestLogsFromAgentWithoutOffers: after a restart of Borges, a running
// task's log is read from an agent that makes no offer (its resources all
// used): the agent is known from the master.
func TestLogsFromAgentWithoutOffers(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 64}}})
	defer m.Close()
	dir := t.TempDir()
	b := startBorges(t, m.URL(), dir)
	v, _ := b.eng.Submit(context.Background(), keepRunning)
	waitFor(t, "d running", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Running })
	b.stop()
	b2 := startBorges(t, m.URL(), dir)
	defer b2.stop()
	waitFor(t, "d's log after the restart", func() bool {
		data, _, _, _ := b2.eng.ReadLog(context.Background(), v.ID, "d", 0, "stdout", 0, 100)
		return strings.HasPrefix(string(data), "tick\n")
	})
}

// TestLogOfCompletedExecutor: without kept output, a finished task's
// output is still found at the agent among completed executors of a
// completed framework, as a real agent lists them.
func TestLogOfCompletedExecutor(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir(), func(c *Config) { c.OutputDir = "" })
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: one\n#+begin_src sh\necho one\n#+end_src\n")
	waitFor(t, "one finished", func() bool { return blockState(t, b.eng, v.ID, "one").State == engine.Finished })
	data, _, _, err := b.eng.ReadLog(context.Background(), v.ID, "one", 0, "stdout", 0, 100)
	if err != nil || string(data) != "one\n" {
		t.Fatalf("log %q, %v", data, err)
	}
}

// TestLaunchQueueFollowsDocumentOrder: the engine launches side by side,
// so attempts of one document may reach the backend out of order; the
// queue (first fit) takes them in document order, instances in order,
// while documents keep their order of arrival.
func TestLaunchQueueFollowsDocumentOrder(t *testing.T) {
	b, err := New(Config{Master: "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	attempt := func(doc, block string, line, instance int) *engine.Attempt {
		return &engine.Attempt{ID: fmt.Sprintf("%s.%s.%d.1", doc, block, instance), DocID: doc, Block: block,
			Instance: instance, Task: &plan.Task{Block: block, Line: line}}
	}
	arrivals := []*engine.Attempt{
		attempt("d1", "second", 10, 0),
		attempt("d2", "other", 1, 0),
		attempt("d1", "first", 1, 1),
		attempt("d1", "first", 1, 0),
		attempt("d1", "third", 20, 0),
	}
	for _, a := range arrivals {
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, a := range b.queue {
		got = append(got, a.ID)
	}
	want := []string{"d1.first.0.1", "d1.first.1.1", "d1.second.0.1", "d2.other.0.1", "d1.third.0.1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("queue %v, want %v", got, want)
	}
}

// TestKilledUnaskedIsRunAgain: TASK_KILLED for a task Borges did not ask
// to kill, killed during launch (the agent kills a whole queued task
// group when one of its tasks is killed before delivery): the attempt is
// lost and run again, not recorded as killed.
func TestKilledUnaskedIsRunAgain(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: w\n#+begin_src sh :cpu 0.1 :mem 32\nsleep 1; echo done\n#+end_src\n")
	waitFor(t, "w running", func() bool { return blockState(t, b.eng, v.ID, "w").State == engine.Running })
	first := attemptOf(t, b.eng, v.ID, "w", 1)
	b.backend.mu.Lock()
	fw := b.backend.frameworkID
	b.backend.mu.Unlock()
	ev := statusEvent(first, m.AgentID(0), mesoslib.TASK_KILLED)
	reason := mesoslib.REASON_TASK_KILLED_DURING_LAUNCH
	ev.Update.Status.Reason = &reason
	m.SendEvent(fw, ev)
	waitFor(t, "w finished, on a second attempt", func() bool {
		in := blockState(t, b.eng, v.ID, "w").Instances[0]
		return in.Attempts == 2 && in.State == engine.Finished
	})
}

// TestExecutorFallsBackWhenItCannotFit: an offer that cannot hold Borges'
// executor besides the task (its least resources: 0.01 CPU, 32 MB, 16 MB
// of disk) runs the task on a command executor, as without one.
func TestExecutorFallsBackWhenItCannotFit(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 0.5, MemMB: 64, DiskMB: 64}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir(), testExecutor(t))
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: full\n#+begin_src sh :cpu 0.5 :mem 64\necho fits\n#+end_src\n")
	waitFor(t, "full finished", func() bool { return blockState(t, b.eng, v.ID, "full").State == engine.Finished })
	for id, ti := range m.Tasks() {
		if ti.Executor != nil || ti.Command == nil {
			t.Fatalf("task %s on an executor: %+v", id, ti.Executor)
		}
	}
	if res, _ := b.eng.ResultDocument(context.Background(), v.ID); !strings.Contains(res, ": fits\n") {
		t.Fatalf("results:\n%s", res)
	}
}
