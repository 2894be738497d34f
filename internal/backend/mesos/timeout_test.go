package mesos

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// executorWay is one of the two ways tasks run on Mesos.
type executorWay struct {
	name    string
	options []func(*Config)
}

// executorWays are a command executor per task, and Borges' executor
// (with more options).
func executorWays(t testing.TB, more ...func(*Config)) []executorWay {
	return []executorWay{{"command executors", nil}, {"Borges executor", append([]func(*Config){testExecutor(t)}, more...)}}
}

// timeoutDoc has a block that runs far past its :timeout, with a child,
// and one that ends well inside its own.
func timeoutDoc(mark string) string {
	return "#+name: slow\n#+begin_src sh :cpu 0.1 :mem 32 :timeout 2s\nsleep " + mark + " &\nsleep " + mark + "\n#+end_src\n\n" +
		"#+name: quick\n#+begin_src sh :cpu 0.1 :mem 32 :timeout 10m\necho in time\n#+end_src\n"
}

// checkTimedOut waits until slow has failed for its :timeout and quick
// has finished, and until nothing slow started is left.
func checkTimedOut(t *testing.T, b *borges, docID, mark string, wait func(*testing.T, string, func() bool)) {
	t.Helper()
	wait(t, "slow ended", func() bool { return blockState(t, b.eng, docID, "slow").State.Terminal() })
	wait(t, "quick ended", func() bool { return blockState(t, b.eng, docID, "quick").State.Terminal() })
	if in := blockState(t, b.eng, docID, "slow").Instances[0]; in.State != engine.Failed || in.Message != "timed out after 2s" {
		t.Fatalf("slow: %s %q", in.State, in.Message)
	}
	if s := blockState(t, b.eng, docID, "quick"); s.State != engine.Finished {
		t.Fatalf("quick: %s %q", s.State, s.Instances[0].Message)
	}
	proctest.WaitGone(t, mark)
}

// TestTimeout: a block's :timeout is its task's max_completion_time, which
// the executor enforces — a command executor per task, or Borges' own —
// killing the task and what it started: the block fails with "timed out
// after 2s", as on the other backends.
func TestTimeout(t *testing.T) {
	t.Parallel()
	for _, way := range executorWays(t) {
		t.Run(way.name, func(t *testing.T) {
			t.Parallel()
			m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Second})
			defer m.Close()
			b := startBorges(t, m.URL(), t.TempDir(), way.options...)
			defer b.stop()
			mark := proctest.Marker(t)
			v, err := b.eng.Submit(context.Background(), timeoutDoc(mark))
			if err != nil {
				t.Fatal(err)
			}
			checkTimedOut(t, b, v.ID, mark, waitFor)
		})
	}
}

// TestRealTimeout: as TestTimeout, on a real Mesos 1.12 agent: its
// command executor honours max_completion_time, and the agent hands it
// to Borges' executor in a task group, which enforces it itself.
func TestRealTimeout(t *testing.T) {
	t.Parallel()
	for _, way := range executorWays(t, shortIdle) {
		t.Run(way.name, func(t *testing.T) {
			t.Parallel()
			c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
			b := startBorges(t, c.Master(), t.TempDir(), way.options...)
			defer b.stop()
			mark := proctest.Marker(t)
			v, err := b.eng.Submit(context.Background(), timeoutDoc(mark))
			if err != nil {
				t.Fatal(err)
			}
			checkTimedOut(t, b, v.ID, mark, waitFor)
			waitFor(t, "no process left on the agent", func() bool { return len(c.TaskProcesses()) == 0 })
		})
	}
}

// TestTimeoutDockerized: a :dockerize block's :timeout, on the fake
// agent's Docker containerizer (as TestRealTimeoutDockerized on a real one).
func TestTimeoutDockerized(t *testing.T) {
	outside.Docker(t)
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, Docker: true}}, ResendInterval: time.Second})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	checkDockerizedTimeout(t, b, waitFor)
}

// checkDockerizedTimeout runs a dockerized block past its :timeout: it
// fails with "timed out after 3s".
func checkDockerizedTimeout(t *testing.T, b *borges, wait func(*testing.T, string, func() bool)) {
	t.Helper()
	v, err := b.eng.Submit(context.Background(), "#+name: boxed\n#+begin_src sh :dockerize t :image "+outside.TestImage+
		" :cpu 0.1 :mem 32 :timeout 3s\nsleep 600\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, "boxed ended", func() bool { return blockState(t, b.eng, v.ID, "boxed").State.Terminal() })
	if in := blockState(t, b.eng, v.ID, "boxed").Instances[0]; in.State != engine.Failed || in.Message != "timed out after 3s" {
		t.Fatalf("boxed: %s %q", in.State, in.Message)
	}
}

// TestRealTimeoutDockerized: a :dockerize block's :timeout on a real
// agent with the Docker containerizer: the docker executor honours
// max_completion_time, stopping the container; the block fails with
// "timed out after 3s" and no container is left.
func TestRealTimeoutDockerized(t *testing.T) {
	outside.Docker(t)
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{Flags: []string{"--containerizers=docker,mesos"}}}})
	b := startBorges(t, c.Master(), t.TempDir())
	defer b.stop()
	checkDockerizedTimeout(t, b, waitFor)
	waitFor(t, "no container and no process left", func() bool { return len(c.Containers()) == 0 && len(c.TaskProcesses()) == 0 })
}

// TestTimeoutInTaskInfo: :timeout travels as max_completion_time, exact
// to the nanosecond, on a task of its own and onto Borges' executor; no
// :timeout, none.
func TestTimeoutInTaskInfo(t *testing.T) {
	b, _ := New(Config{Master: "127.0.0.1:5050", Executor: "/usr/local/bin/borges"})
	offer := mesoslib.Offer{AgentID: mesoslib.AgentID{Value: "S0"}}
	a := &engine.Attempt{ID: "d.slow.0.1", Block: "slow", Script: "sleep 9",
		Task: &plan.Task{Resources: plan.Resources{CPUs: 0.1, MemMB: 32}, Timeout: 1500 * time.Millisecond}}
	ti := b.taskInfo(a, offer, nil)
	if got := ti.GetMaxCompletionTime().GetNanoseconds(); got != int64(1500*time.Millisecond) {
		t.Fatalf("max_completion_time %d", got)
	}
	onto(&ti, b.newExecutor())
	if got := ti.GetMaxCompletionTime().GetNanoseconds(); got != int64(1500*time.Millisecond) || ti.Command != nil {
		t.Fatalf("on Borges' executor: max_completion_time %d, command %v", got, ti.Command)
	}
	a.Task.Timeout = 0
	if ti := b.taskInfo(a, offer, nil); ti.MaxCompletionTime != nil {
		t.Fatalf("no :timeout, max_completion_time %v", ti.MaxCompletionTime)
	}
}

// TestTimedOutUpdate: TASK_FAILED for REASON_MAX_COMPLETION_TIME_REACHED
// (whoever's executor sent it) is "timed out after D", D the block's
// :timeout, flagged so (engine.Update.TimedOut); other failures keep
// their message, not flagged, one whose words begin "timed out" too.
func TestTimedOutUpdate(t *testing.T) {
	for _, c := range []struct {
		reason  mesoslib.TaskStatus_Reason
		msg     string
		timeout time.Duration
		want    string
	}{
		{mesoslib.REASON_MAX_COMPLETION_TIME_REACHED, "Command terminated with signal Terminated", 90 * time.Second, "timed out after 1m30s"},
		{mesoslib.REASON_MAX_COMPLETION_TIME_REACHED, "Command exceeded its maximum completion time of 2s and was killed (signal terminated)", 2 * time.Second, "timed out after 2s"},
		// A session block's, timed by Borges's executor, its words kept.
		{mesoslib.REASON_MAX_COMPLETION_TIME_REACHED, "timed out after 2s (its session's interpreter is stopped)", 2 * time.Second, "timed out after 2s (its session's interpreter is stopped)"},
		{mesoslib.REASON_COMMAND_EXECUTOR_FAILED, "Command exited with status 3", 2 * time.Second, "Command exited with status 3"},
		{mesoslib.REASON_COMMAND_EXECUTOR_FAILED, "timed out after 2s (its session's interpreter is stopped)", 2 * time.Second, "timed out after 2s (its session's interpreter is stopped)"},
		{mesoslib.REASON_COMMAND_EXECUTOR_FAILED, "timed out waiting for the lock", 2 * time.Second, "timed out waiting for the lock"},
	} {
		b, _ := New(Config{Master: "127.0.0.1:1"})
		updates := make(chan engine.Update, 1)
		b.SetSink(func(u engine.Update) { updates <- u })
		b.tasks["t"] = &taskInfo{attempt: &engine.Attempt{ID: "t", Task: &plan.Task{Timeout: c.timeout}}}
		st, msg, reason := mesoslib.TASK_FAILED, c.msg, c.reason
		b.taskUpdate(context.Background(), mesoslib.TaskStatus{TaskID: mesoslib.TaskID{Value: "t"}, State: &st, Message: &msg, Reason: &reason})
		select {
		case u := <-updates:
			if u.State != engine.Failed || u.Message != c.want {
				t.Errorf("%v %q: %s %q, want failed %q", c.reason, c.msg, u.State, u.Message, c.want)
			}
			if want := c.reason == mesoslib.REASON_MAX_COMPLETION_TIME_REACHED; u.TimedOut != want {
				t.Errorf("%v %q: timed out %v, want %v", c.reason, c.msg, u.TimedOut, want)
			}
		case <-time.After(proctest.WaitTimeout(t)):
			t.Fatalf("%v: no update", c.reason)
		}
	}
}

// TestTimeoutWhileBorgesIsAway: Borges stops while a block runs; its
// :timeout is enforced all the same (the clock is the executor's, on the
// agent), and the restarted Borges finds the block failed, "timed out
// after 5s" (read from the master's statuses of the task: its answer to
// reconciliation does not say why). Both ways.
func TestTimeoutWhileBorgesIsAway(t *testing.T) {
	t.Parallel()
	for _, way := range executorWays(t) {
		t.Run(way.name, func(t *testing.T) {
			t.Parallel()
			m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Second})
			defer m.Close()
			timeoutWhileAway(t, m.URL(), func(id string) bool {
				s, ok := m.TaskState(id)
				return ok && s == mesoslib.TASK_FAILED
			}, waitFor, way.options...)
		})
	}
}

// TestTimeoutWhileBorgesIsAwayUnacknowledged: as
// TestTimeoutWhileBorgesIsAway, but Borges goes away before its
// acknowledgement of the task's TASK_RUNNING reaches the agent. The agent
// holds the task's TASK_FAILED behind that update until it is
// acknowledged (after a back-off): the master has the task failed, but
// answers reconciliation with the update it forwarded last, TASK_RUNNING,
// and holds no final status of it yet. The restarted Borges waits for the
// agent's own, which says the block timed out.
func TestTimeoutWhileBorgesIsAwayUnacknowledged(t *testing.T) {
	t.Parallel()
	for _, way := range executorWays(t) {
		t.Run(way.name, func(t *testing.T) {
			t.Parallel()
			m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}, ResendInterval: 5 * time.Second})
			defer m.Close()
			m.LoseAcknowledgements(true)
			timeoutWhileAway(t, m.URL(), func(id string) bool {
				s, ok := m.TaskState(id)
				if ok && s == mesoslib.TASK_FAILED {
					// Borges is away: the restarted one's acknowledgements
					// get through.
					m.LoseAcknowledgements(false)
				}
				return ok && s == mesoslib.TASK_FAILED
			}, waitFor, way.options...)
		})
	}
}

// TestReconciledFailureNoAgentStatus: a task the master says failed, of
// which it holds no final status and whose agent sends none (the update
// ahead of it never acknowledged, not sent again in time), is reported
// failed as reconciliation tells it once UnreachableGrace has passed.
// Mesos 1.12 answers reconciliation with the state of the update it last
// forwarded to the framework (TASK_RUNNING for a task that failed behind
// its unacknowledged TASK_RUNNING), with the task's latest state only
// while it has forwarded none: so Borges goes away before the task's
// first update reaches the master (held), the task fails meanwhile, and
// the agent then sends that first update to a master that has no
// framework to forward it to, telling the task's latest state. When
// Borges subscribes again the agent's messages are held again (lost on
// the way): the update it sends again at once, as agents do when a
// framework comes back, does not reach the master, and its next try is
// an hour off.
func TestReconciledFailureNoAgentStatus(t *testing.T) {
	_, b2, id := failWhileAwayUnsent(t, time.Second)
	waitFor(t, "slow ended, for the restarted Borges", func() bool { return blockState(t, b2.eng, id, "slow").State.Terminal() })
	if in := blockState(t, b2.eng, id, "slow").Instances[0]; in.State != engine.Failed || in.Message != "Reconciliation: Latest task state" {
		t.Fatalf("slow: %s %q", in.State, in.Message)
	}
}

// TestReconciledFailureAgentStatusLater: as
// TestReconciledFailureNoAgentStatus, but the agent's update sent again
// when Borges subscribes reaches it after Borges has been told by
// reconciliation that the task failed (as in Mesos 1.12, where that
// update goes master, agent, master and races Borges's RECONCILE): Borges
// waits for the agent's own final status and reports the block timed
// out, not the master's answer.
func TestReconciledFailureAgentStatusLater(t *testing.T) {
	m, b2, id := failWhileAwayUnsent(t, time.Hour)
	waitToldFailed(t, b2)
	m.ReleaseUpdates()
	waitFor(t, "slow ended, for the restarted Borges", func() bool { return blockState(t, b2.eng, id, "slow").State.Terminal() })
	if in := blockState(t, b2.eng, id, "slow").Instances[0]; in.State != engine.Failed || in.Message != "timed out after 2s" {
		t.Fatalf("slow: %s %q", in.State, in.Message)
	}
}

// TestReconciledFailureToldAgainAgentUpdates: the master says again, by
// reconciliation, that a task failed while its agent's own updates (held
// until then) reach Borges, and Borges is still asking the master for the
// task's final status: the agent's updates are taken meanwhile, and its
// final one ends the block at once, why it failed with it. They used to be
// dropped unacknowledged while the master was asked, and then waited for
// the agent's next resend (up to ten minutes on Mesos, an hour here).
func TestReconciledFailureToldAgainAgentUpdates(t *testing.T) {
	m, b2, docID := failWhileAwayUnsent(t, time.Hour)
	waitToldFailed(t, b2)
	asking, answer := make(chan struct{}, 8), make(chan struct{})
	t.Cleanup(func() { close(answer) }) // before b2 stops (cleanups run last first)
	b2.backend.mu.Lock()
	b2.backend.askingFinal = func() { asking <- struct{}{}; <-answer }
	fw := b2.backend.frameworkID
	b2.backend.mu.Unlock()
	task := attemptOf(t, b2.eng, docID, "slow", 1)
	m.SendEvent(fw, reconciledEvent(task, m.AgentID(0), mesoslib.TASK_FAILED))
	select {
	case <-asking:
	case <-time.After(proctest.WaitTimeout(t)):
		t.Fatal("timed out waiting until Borges asks the master for the task's final status again")
	}
	m.ReleaseUpdates()
	waitFor(t, "slow ended while the master is asked", func() bool { return blockState(t, b2.eng, docID, "slow").State.Terminal() })
	if in := blockState(t, b2.eng, docID, "slow").Instances[0]; in.State != engine.Failed || in.Message != "timed out after 2s" {
		t.Fatalf("slow: %s %q", in.State, in.Message)
	}
}

// reconciledEvent is the master's answer to reconciliation for a task.
func reconciledEvent(task, agent string, state mesoslib.TaskState) *scheduler.Event {
	src, reason, message := mesoslib.SOURCE_MASTER, mesoslib.REASON_RECONCILIATION, "Reconciliation: Latest task state"
	return &scheduler.Event{Type: scheduler.Event_UPDATE, Update: &scheduler.Event_Update{Status: mesoslib.TaskStatus{
		TaskID: mesoslib.TaskID{Value: task}, State: &state, Source: &src, Reason: &reason, Message: &message,
		AgentID: &mesoslib.AgentID{Value: agent}}}}
}

// waitToldFailed waits until b, told by reconciliation that a task
// failed, waits for the agent's final status of it (toldFailed).
func waitToldFailed(t *testing.T, b *borges) {
	t.Helper()
	waitFor(t, "the restarted Borges waiting for the agent's final status", func() bool {
		b.backend.mu.Lock()
		defer b.backend.mu.Unlock()
		for _, ti := range b.backend.tasks {
			if ti.toldFailed != nil {
				return true
			}
		}
		return false
	})
}

// failWhileAwayUnsent runs a block timing out after 2s while Borges is
// away and the task's first update is held, lets that update reach the
// master (with no framework to forward it to), holds the agents' updates
// again and starts Borges again with the given UnreachableGrace. It
// returns the master, the restarted Borges and the document's id.
func failWhileAwayUnsent(t *testing.T, grace time.Duration) (*mesostest.Master, *borges, string) {
	t.Helper()
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}, ResendInterval: time.Hour})
	t.Cleanup(m.Close)
	options := func(c *Config) { c.UnreachableGrace, c.UnsureInterval = grace, 100*time.Millisecond }
	dir := t.TempDir()
	b := startBorges(t, m.URL(), dir, options)
	m.HoldUpdates()
	mark := proctest.Marker(t)
	v, err := b.eng.Submit(context.Background(), "#+name: slow\n#+begin_src sh :cpu 0.1 :mem 32 :timeout 2s\nsleep "+mark+"\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	proctest.WaitMarked(t, mark, 1)
	id := attemptOf(t, b.eng, v.ID, "slow", 1)
	b.stop()
	waitFor(t, "Borges gone from the master", func() bool { return m.Connected() == 0 })
	waitFor(t, "slow failed on its agent, Borges away", func() bool {
		s, ok := m.TaskState(id)
		return ok && s == mesoslib.TASK_FAILED
	})
	proctest.WaitGone(t, mark)
	m.ReleaseUpdates() // the agent's first update reaches the master
	m.HoldUpdates()
	b2 := startBorges(t, m.URL(), dir, options)
	t.Cleanup(b2.stop)
	return m, b2, v.ID
}

// TestRealTimeoutWhileBorgesIsAway: as TestTimeoutWhileBorgesIsAway, on a
// real master and agent.
func TestRealTimeoutWhileBorgesIsAway(t *testing.T) {
	t.Parallel()
	for _, way := range executorWays(t, shortIdle) {
		t.Run(way.name, func(t *testing.T) {
			t.Parallel()
			c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
			timeoutWhileAway(t, c.Master(), func(id string) bool { return c.State().Tasks()[id].State == "TASK_FAILED" },
				waitFor, way.options...)
		})
	}
}

// timeoutWhileAway stops Borges once its block runs, waits until the
// master has the task failed (failedAtMaster) and nothing of it is left,
// then starts Borges again, which must say the block timed out.
func timeoutWhileAway(t *testing.T, masterURL string, failedAtMaster func(id string) bool,
	wait func(*testing.T, string, func() bool), options ...func(*Config)) {
	t.Helper()
	dir := t.TempDir()
	b := startBorges(t, masterURL, dir, options...)
	mark := proctest.Marker(t)
	v, err := b.eng.Submit(context.Background(), "#+name: slow\n#+begin_src sh :cpu 0.1 :mem 32 :timeout 5s\nsleep "+mark+" &\nsleep "+mark+"\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	proctest.WaitMarked(t, mark, 2)
	id := attemptOf(t, b.eng, v.ID, "slow", 1)
	b.stop()
	wait(t, "slow failed at the master, Borges away", func() bool { return failedAtMaster(id) })
	proctest.WaitGone(t, mark)
	b2 := startBorges(t, masterURL, dir, options...)
	defer b2.stop()
	wait(t, "slow ended, for the restarted Borges", func() bool { return blockState(t, b2.eng, v.ID, "slow").State.Terminal() })
	if in := blockState(t, b2.eng, v.ID, "slow").Instances[0]; in.State != engine.Failed || in.Message != "timed out after 5s" {
		t.Fatalf("slow: %s %q", in.State, in.Message)
	}
}

// TestFailureWhileBorgesIsAway: a block that fails while Borges is away is
// reported by the restarted Borges with its exit status and the
// executor's message, not the master's answer to reconciliation.
func TestFailureWhileBorgesIsAway(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}, ResendInterval: time.Hour})
	defer m.Close()
	dir := t.TempDir()
	gate := filepath.Join(t.TempDir(), "go")
	b := startBorges(t, m.URL(), dir)
	v, err := b.eng.Submit(context.Background(), "#+name: fails\n#+begin_src sh :cpu 0.1 :mem 32\nn=0; while [ ! -e "+gate+" ] && [ $n -lt 3000 ]; do sleep 0.02; n=$((n+1)); done\nexit 3\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "fails running", func() bool { return blockState(t, b.eng, v.ID, "fails").State == engine.Running })
	id := attemptOf(t, b.eng, v.ID, "fails", 1)
	b.stop()
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "fails failed at the master, Borges away", func() bool {
		s, ok := m.TaskState(id)
		return ok && s == mesoslib.TASK_FAILED
	})
	b2 := startBorges(t, m.URL(), dir)
	defer b2.stop()
	waitFor(t, "fails ended, for the restarted Borges", func() bool { return blockState(t, b2.eng, v.ID, "fails").State.Terminal() })
	in := blockState(t, b2.eng, v.ID, "fails").Instances[0]
	if in.State != engine.Failed || in.Message != "Command exited with status 3" || in.ExitCode == nil || *in.ExitCode != 3 {
		t.Fatalf("fails: %s %q exit %v", in.State, in.Message, in.ExitCode)
	}
}
