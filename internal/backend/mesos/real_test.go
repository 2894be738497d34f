package mesos

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/proctest"
)

// These tests run Borges' framework against a real Mesos 1.12 master and
// agents (realmesos); without the build they skip, under
// BORGES_TEST_STRICT=1 they fail.

// completedExecutor reports whether the agent lists the executor among
// the completed ones (of a live or a completed framework).
func completedExecutor(t *testing.T, agentURL, id string) bool {
	resp, err := http.Get(agentURL + "/state")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var s struct {
		Frameworks, CompletedFrameworks []struct {
			CompletedExecutors []struct {
				ID string `json:"id"`
			} `json:"completed_executors"`
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&struct {
		F *[]struct {
			CompletedExecutors []struct {
				ID string `json:"id"`
			} `json:"completed_executors"`
		} `json:"frameworks"`
		C *[]struct {
			CompletedExecutors []struct {
				ID string `json:"id"`
			} `json:"completed_executors"`
		} `json:"completed_frameworks"`
	}{&s.Frameworks, &s.CompletedFrameworks}); err != nil {
		return false
	}
	for _, f := range append(s.Frameworks, s.CompletedFrameworks...) {
		for _, e := range f.CompletedExecutors {
			if strings.HasPrefix(e.ID, id) {
				return true
			}
		}
	}
	return false
}

// TestRealResultsOfCompletedExecutors: a finished block's result, and the
// value a dependent receives, survive the agent moving its executor to
// completed_executors (and the framework to completed_frameworks), and a
// restart of Borges: with a command executor per task, and on Borges'
// executor (which the agent completes once it has stayed idle).
func TestRealResultsOfCompletedExecutors(t *testing.T) {
	t.Parallel()
	t.Run("command executors", func(t *testing.T) { t.Parallel(); testResultsOfCompletedExecutors(t, false) })
	t.Run("Borges executor", func(t *testing.T) { t.Parallel(); testResultsOfCompletedExecutors(t, true) })
}

func testResultsOfCompletedExecutors(t *testing.T, own bool) {
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
	dir := t.TempDir()
	gate := filepath.Join(t.TempDir(), "go")
	var options []func(*Config)
	if own {
		options = append(options, testExecutor(t), func(c *Config) { c.ExecutorIdle = 2 * time.Second })
	}
	// The executor a block ran on: its own, or Borges'.
	executorOf := func(b *borges, id string) string {
		b.backend.mu.Lock()
		defer b.backend.mu.Unlock()
		if t := b.backend.tasks[id]; t != nil && t.executorID != "" {
			return t.executorID
		}
		return id
	}
	b := startBorges(t, c.Master(), dir, options...)
	doc := "#+name: hello\n#+begin_src sh :cpu 0.1 :mem 32\necho hello from mesos\n#+end_src\n\n" +
		"#+name: gate\n#+begin_src sh :cpu 0.1 :mem 32\nwhile [ ! -e " + gate + " ]; do sleep 0.1; done\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh :var x=hello :after gate :cpu 0.1 :mem 32\necho \"got $x\"\n#+end_src\n"
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "hello finished", func() bool { return blockState(t, b.eng, v.ID, "hello").State == engine.Finished })
	hello := executorOf(b, attemptOf(t, b.eng, v.ID, "hello", 1))
	if !own {
		// Its executor completed before its dependent starts.
		waitFor(t, "hello's executor completed at the agent", func() bool { return completedExecutor(t, c.AgentURL(0), hello) })
	}
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "after finished", func() bool { return blockState(t, b.eng, v.ID, "after").State == engine.Finished })
	after := executorOf(b, attemptOf(t, b.eng, v.ID, "after", 1))
	if own && !strings.HasPrefix(after, executorPrefix) {
		t.Fatalf("after ran on executor %s", after)
	}
	waitFor(t, "hello's and after's executors completed at the agent", func() bool {
		return completedExecutor(t, c.AgentURL(0), hello) && completedExecutor(t, c.AgentURL(0), after)
	})
	want := []string{"#+RESULTS: hello\n: hello from mesos\n", "#+RESULTS: after\n: got hello from mesos\n"}
	check := func(e *engine.Engine, when string) {
		t.Helper()
		res, err := e.ResultDocument(context.Background(), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(res, w) {
				t.Fatalf("%s: no %q in the results:\n%s", when, w, res)
			}
		}
	}
	check(b.eng, "executors completed")
	b.stop()
	b2 := startBorges(t, c.Master(), dir, options...)
	defer b2.stop()
	check(b2.eng, "after a restart of Borges")
}

// shortPings make agents notice a master gone within seconds (they take
// the ping timeout from the master) and register again with the new one.
var shortPings = []string{"--agent_ping_timeout=1secs", "--max_agent_ping_timeouts=3"}

// holdAcknowledgements keeps b from acknowledging updates until the
// function it returns is called (or the test ends): it takes every slot
// of the acknowledgements in flight.
func holdAcknowledgements(t *testing.T, b *Backend) (release func()) {
	for range cap(b.acks) {
		b.acks <- struct{}{}
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			for range cap(b.acks) {
				<-b.acks
			}
		})
	}
	t.Cleanup(release)
	return release
}

// frameworkTasks are the tasks of framework fw at the master, by id.
func frameworkTasks(c *realmesos.Cluster, fw string) map[string]realmesos.Task {
	out := map[string]realmesos.Task{}
	for id, t := range c.State().Tasks() {
		if t.FrameworkID == fw {
			out[id] = t
		}
	}
	return out
}

// TestRealMasterRestart: the master is killed and started again (its
// registry in memory) while a keep-running block runs. Borges subscribes
// again with its id; the new master first answers that it does not know
// the task, then the agent registers again with it: the task is the same,
// nothing runs twice; DELETE then kills it (TASK_KILLED at the master) and
// no process is left on the agent.
func TestRealMasterRestart(t *testing.T) {
	t.Parallel()
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}, MasterFlags: shortPings})
	b := startBorges(t, c.Master(), t.TempDir(), testExecutor(t), shortIdle, func(c *Config) { c.UnsureInterval = 500 * time.Millisecond })
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), keepRunning)
	if err != nil {
		t.Fatal(err)
	}
	first := attemptOf(t, b.eng, v.ID, "d", 1)
	waitFor(t, "d running", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Running })
	b.backend.mu.Lock()
	fw := b.backend.frameworkID
	b.backend.mu.Unlock()

	c.RestartMaster()
	waitFor(t, "the agent registered again with d running", func() bool {
		return frameworkTasks(c, fw)[first].State == "TASK_RUNNING"
	})
	waitFor(t, "Borges subscribed again, nothing unknown, d running", func() bool {
		for _, f := range c.State().Frameworks {
			if f.ID == fw && f.Active {
				b.backend.mu.Lock()
				defer b.backend.mu.Unlock()
				for _, t := range b.backend.tasks {
					if !t.unsureSince.IsZero() {
						return false
					}
				}
				return blockState(t, b.eng, v.ID, "d").State == engine.Running
			}
		}
		return false
	})
	if in := blockState(t, b.eng, v.ID, "d").Instances[0]; in.Attempts != 1 || in.State != engine.Running {
		t.Fatalf("d after the master's restart: %+v", in)
	}
	if tasks := frameworkTasks(c, fw); len(tasks) != 1 {
		t.Fatalf("tasks at the master after its restart: %+v", tasks)
	}

	if err := b.eng.KillBlock(context.Background(), v.ID, "d"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "d killed", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Killed })
	waitFor(t, "TASK_KILLED at the master", func() bool { return frameworkTasks(c, fw)[first].State == "TASK_KILLED" })
	waitFor(t, "no process left on the agent", func() bool { return len(c.TaskProcesses()) == 0 })
}

// TestRealAgentLost: the agent under a keep-running block is killed with
// its tasks; a second agent is there. The master (short ping timeouts)
// reports the task unreachable; once UnreachableGrace has passed Borges
// runs the block again, on the other agent.
func TestRealAgentLost(t *testing.T) {
	t.Parallel()
	c := realmesos.Start(t, realmesos.Options{
		// Room for the block and Borges' executor.
		Agents:      []realmesos.AgentOptions{{Resources: "cpus:1.5;mem:256;disk:64"}, {Resources: "cpus:1.5;mem:256;disk:64"}},
		MasterFlags: shortPings})
	b := startBorges(t, c.Master(), t.TempDir(), testExecutor(t), func(c *Config) {
		c.UnreachableGrace, c.UnsureInterval = 2*time.Second, 500*time.Millisecond
	})
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), keepRunning)
	if err != nil {
		t.Fatal(err)
	}
	first := attemptOf(t, b.eng, v.ID, "d", 1)
	waitFor(t, "d running", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Running })
	b.backend.mu.Lock()
	fw, agent := b.backend.frameworkID, b.backend.tasks[first].agentID
	b.backend.mu.Unlock()
	c.KillAgent(agentIndex(t, c, agent))
	waitFor(t, "d running again", func() bool {
		in := blockState(t, b.eng, v.ID, "d").Instances[0]
		return in.Attempts == 2 && in.State == engine.Running
	})
	second := frameworkTasks(c, fw)[attemptOf(t, b.eng, v.ID, "d", 2)]
	if second.State != "TASK_RUNNING" || second.AgentID == agent || !strings.HasPrefix(second.ExecutorID, executorPrefix) ||
		!strings.HasPrefix(frameworkTasks(c, fw)[first].ExecutorID, executorPrefix) {
		t.Fatalf("the second attempt at the master: %+v (the lost agent was %s)", second, agent)
	}
}

// agentIndex finds which of the cluster's agents has the id.
func agentIndex(t *testing.T, c *realmesos.Cluster, id string) int {
	t.Helper()
	for i := 0; i < 2; i++ {
		resp, err := http.Get(c.AgentURL(i) + "/state")
		if err != nil {
			continue
		}
		var s struct {
			ID string `json:"id"`
		}
		json.NewDecoder(resp.Body).Decode(&s)
		resp.Body.Close()
		if s.ID == id {
			return i
		}
	}
	t.Fatalf("no agent with id %s", id)
	return -1
}

// TestRealAuthentication: a master that authenticates frameworks (HTTP
// basic, credentials file) runs Borges' blocks with the right secret;
// with a wrong one Borges logs a clear error and stops subscribing.
func TestRealAuthentication(t *testing.T) {
	t.Parallel()
	creds := filepath.Join(t.TempDir(), "credentials.json")
	if err := os.WriteFile(creds, []byte(`{"credentials":[{"principal":"borges","secret":"s3cret"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}, MasterFlags: []string{
		"--authenticate_http_frameworks", "--http_framework_authenticators=basic", "--credentials=" + creds}})

	var logged syncLog
	wrong, err := New(Config{Master: c.Master(), Principal: "borges", Secret: "wrong", Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wrong.SetSink(func(engine.Update) {})
	done := make(chan struct{})
	go func() { wrong.run(ctx); close(done) }()
	select {
	case <-done:
	case <-time.After(proctest.WaitTimeout(t)):
		t.Fatalf("still subscribing with a wrong secret; log:\n%s", logged.String())
	}
	if !strings.Contains(logged.String(), "refused the framework's credentials") {
		t.Fatalf("log:\n%s", logged.String())
	}

	b := startBorges(t, c.Master(), t.TempDir(), func(c *Config) { c.Principal, c.Secret = "borges", "s3cret" })
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), "#+name: hi\n#+begin_src sh :cpu 0.1 :mem 32\necho authenticated\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "hi finished", func() bool { return blockState(t, b.eng, v.ID, "hi").State == engine.Finished })
	if res, _ := b.eng.ResultDocument(context.Background(), v.ID); !strings.Contains(res, ": authenticated\n") {
		t.Fatalf("results:\n%s", res)
	}
}

// TestRealZooKeeper: the master is found through ZooKeeper (zk://), as a
// real master started with --zk registers itself there.
func TestRealZooKeeper(t *testing.T) {
	t.Parallel()
	zkAddr := startZooKeeper(t)
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}},
		MasterFlags: []string{"--zk=zk://" + zkAddr + "/mesos", "--quorum=1"}})
	b := startBorges(t, "zk://"+zkAddr+"/mesos", t.TempDir())
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), "#+name: found\n#+begin_src sh :cpu 0.1 :mem 32\necho found through zookeeper\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "found finished", func() bool { return blockState(t, b.eng, v.ID, "found").State == engine.Finished })
	if res, _ := b.eng.ResultDocument(context.Background(), v.ID); !strings.Contains(res, ": found through zookeeper\n") {
		t.Fatalf("results:\n%s", res)
	}
	if n := len(c.State().Tasks()); n != 1 {
		t.Fatalf("%d tasks at the master", n)
	}
}

// TestRealKillWhileUnknown: a keep-running block is killed while a
// restarted master does not know its task yet (its agent has not
// registered again): once the agent is back, the task is killed, not left
// running, and Borges reports the block killed on its first attempt.
func TestRealKillWhileUnknown(t *testing.T) {
	t.Parallel()
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}},
		MasterFlags: []string{"--agent_ping_timeout=3secs", "--max_agent_ping_timeouts=3"}})
	b := startBorges(t, c.Master(), t.TempDir(), testExecutor(t), shortIdle, func(c *Config) { c.UnsureInterval = 500 * time.Millisecond })
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), keepRunning)
	if err != nil {
		t.Fatal(err)
	}
	first := attemptOf(t, b.eng, v.ID, "d", 1)
	waitFor(t, "d running", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Running })
	b.backend.mu.Lock()
	fw := b.backend.frameworkID
	b.backend.mu.Unlock()
	// The agent is held while the master starts again, so that the new
	// master answers before the agent registers with it, however the
	// machine's load orders the two.
	resume := c.HoldAgent(0)
	c.RestartMaster()
	killUnsure(t, b, v.ID, "d", first)
	// The master's state of a task is the latest its agent reports, while
	// the agent forwards the task's updates one at a time, each once the
	// one before is acknowledged: the master says TASK_KILLED while
	// Borges' TASK_KILLED waits behind TASK_KILLING (and then for the
	// task's output to be kept). Borges' acknowledgements are held until
	// the master says so, so that it comes first however the machine's
	// load orders the two; d's end at Borges is then waited for.
	release := holdAcknowledgements(t, b.backend)
	defer release()
	resume()
	waitFor(t, "TASK_KILLED at the master once the agent is back", func() bool { return frameworkTasks(c, fw)[first].State == "TASK_KILLED" })
	waitFor(t, "no process left on the agent", func() bool { return len(c.TaskProcesses()) == 0 })
	release()
	wantKilledFirst(t, b, v.ID, "d")
}

// TestRealAgentRestart: the agent under Borges' executor is killed and
// started again (its executors run on, in sessions of their own, and the
// framework checkpoints). Meanwhile one block ends: its TASK_FINISHED,
// held by the executor, reaches Borges once the executor has subscribed
// to the new agent; the keep-running block runs on as the same task and
// attempt; DELETE then kills it and leaves no process on the agent.
func TestRealAgentRestart(t *testing.T) {
	t.Parallel()
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
	gate := filepath.Join(t.TempDir(), "go")
	b := startBorges(t, c.Master(), t.TempDir(), testExecutor(t), shortIdle)
	defer b.stop()
	doc := keepRunning + "\n#+name: w\n#+begin_src sh :cpu 0.1 :mem 32\nwhile [ ! -e " + gate + " ]; do sleep 0.1; done; echo gate open\n#+end_src\n"
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "d and w running", func() bool {
		return blockState(t, b.eng, v.ID, "d").State == engine.Running && blockState(t, b.eng, v.ID, "w").State == engine.Running
	})
	d, w := attemptOf(t, b.eng, v.ID, "d", 1), attemptOf(t, b.eng, v.ID, "w", 1)
	b.backend.mu.Lock()
	fw := b.backend.frameworkID
	onExecutor := b.backend.tasks[d].executor != nil && b.backend.tasks[w].executor == b.backend.tasks[d].executor
	b.backend.mu.Unlock()
	if !onExecutor {
		t.Fatal("d and w are not on one Borges executor")
	}
	before := c.TaskProcesses()

	c.RestartAgent(0)
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "w finished, told after the agent's restart", func() bool { return blockState(t, b.eng, v.ID, "w").State == engine.Finished })
	if res, _ := b.eng.ResultDocument(context.Background(), v.ID); !strings.Contains(res, ": gate open\n") {
		t.Fatalf("results:\n%s", res)
	}
	if in := blockState(t, b.eng, v.ID, "d").Instances[0]; in.Attempts != 1 || in.State != engine.Running {
		t.Fatalf("d after the agent's restart: %+v", in)
	}
	if st := frameworkTasks(c, fw)[d]; st.State != "TASK_RUNNING" {
		t.Fatalf("d at the master: %+v", st)
	}
	if len(before) == 0 {
		t.Fatal("no process of the executor seen before the restart")
	}

	if err := b.eng.KillBlock(context.Background(), v.ID, "d"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "TASK_KILLED at the master", func() bool { return frameworkTasks(c, fw)[d].State == "TASK_KILLED" })
	waitFor(t, "d killed", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Killed })
	waitFor(t, "no process left on the agent (the idle executor gone too)", func() bool { return len(c.TaskProcesses()) == 0 })
}

// shortIdle makes Borges' executor exit 2 s after its last task: tests
// then see the agent left with no process at all.
func shortIdle(c *Config) { c.ExecutorIdle = 2 * time.Second }
