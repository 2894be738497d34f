package mesos

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/store"
)

// borges is an engine running on the Mesos backend, as the server builds it.
type borges struct {
	eng     *engine.Engine
	backend *Backend
	stop    func()
}

// startBorges starts it on dataDir as the server does (ended tasks'
// output kept under it); options change the framework's configuration.
func startBorges(t testing.TB, master, dataDir string, options ...func(*Config)) *borges {
	t.Helper()
	st, err := store.Open(filepath.Join(dataDir, "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Master: master, Store: st, RefuseSeconds: 0.1, Logger: testLogger(t), OutputDir: filepath.Join(dataDir, "mesos-output")}
	for _, o := range options {
		o(&cfg)
	}
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Config{Backend: b, Store: st})
	ctx, cancel := context.WithCancel(context.Background())
	if err := eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return &borges{eng: eng, backend: b, stop: func() { cancel(); awaitStopped(eng); st.Close() }}
}

// startAlone starts a backend without an engine as the engine starts
// one: Start, then Recover (with no attempts here), until which the
// backend holds its block tasks' updates.
func startAlone(t testing.TB, ctx context.Context, b *Backend, sink func(engine.Update)) {
	t.Helper()
	if err := b.Start(ctx, storeless(sink)); err != nil {
		t.Fatal(err)
	}
	if err := b.Recover(ctx, nil); err != nil {
		t.Fatal(err)
	}
}

// storeless is sink, telling each update stored once it has it, as an
// engine without a store does (Update.Stored).
func storeless(sink func(engine.Update)) func(engine.Update) {
	return func(u engine.Update) {
		sink(u)
		if u.Stored != nil {
			u.Stored()
		}
	}
}

// awaitStopped waits (a minute at most) for eng's last writes, so that the
// store is closed after them and another engine may open it.
func awaitStopped(eng *engine.Engine) {
	select {
	case <-eng.Stopped():
	case <-time.After(time.Minute):
	}
}

// waitFor polls cond until it holds, bounded by the test's own deadline
// (proctest.WaitDeadline) rather than a guess at how fast a loaded
// machine is.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := proctest.WaitDeadline(t)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// killUnsure waits until the master has said it does not know how the
// task of attempt id stands (the task unsure), then kills the block. A
// task not (or no longer) held is not unsure: the wait goes on rather than
// panicking, which would end the whole test binary.
func killUnsure(t *testing.T, b *borges, docID, block, id string) {
	t.Helper()
	waitFor(t, "the master answered that it does not know "+block, func() bool {
		b.backend.mu.Lock()
		defer b.backend.mu.Unlock()
		tk := b.backend.tasks[id]
		return tk != nil && !tk.unsureSince.IsZero()
	})
	if err := b.eng.KillBlock(context.Background(), docID, block); err != nil {
		t.Fatal(err)
	}
}

// wantKilledFirst waits until the block's first attempt has ended (or
// another has been launched) and fails the test unless the block was
// killed on that first attempt.
func wantKilledFirst(t *testing.T, b *borges, docID, block string) {
	t.Helper()
	waitFor(t, block+"'s first attempt ended", func() bool {
		in := blockState(t, b.eng, docID, block).Instances[0]
		return in.State.Terminal() || in.Attempts != 1
	})
	if in := blockState(t, b.eng, docID, block).Instances[0]; in.State != engine.Killed || in.Attempts != 1 {
		t.Fatalf("%s: %+v", block, in)
	}
}

func blockState(t *testing.T, e *engine.Engine, id, name string) engine.BlockView {
	v, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range v.Blocks {
		if b.Name == name {
			return b
		}
	}
	t.Fatalf("no block %s", name)
	return engine.BlockView{}
}

const doc = `#+name: hello
#+begin_src sh :cpu 0.5 :mem 64
echo hello from mesos
#+end_src

#+name: after
#+begin_src sh :var x=hello :cpu 0.5 :mem 64 :ports 1
echo "got $x on $PORT0"
#+end_src

#+name: forever
#+begin_src sh :cpu 0.5 :mem 64 :ensure it-keeps-running
while true; do echo tick; sleep 0.2; done
#+end_src
`

// TestFramework runs a document through the framework and the fake
// master: dependency order, values between blocks, host ports, logs from
// the agent's files API, results written back, kill; then a restart of
// Borges that re-subscribes with the same framework id and finds its task
// still running, launched once. With a command executor per task, and on
// Borges' executor (one for the three tasks, each in its directory of the
// executor's sandbox; the killed one leaves no process).
func TestFramework(t *testing.T) {
	t.Run("command executors", func(t *testing.T) { testFramework(t) })
	t.Run("Borges executor", func(t *testing.T) { testFramework(t, testExecutor(t)) })
}

func testFramework(t *testing.T, options ...func(*Config)) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024, Ports: [][2]uint64{{31000, 31010}}}},
		ResendInterval: time.Second})
	defer m.Close()
	dir := t.TempDir()
	b := startBorges(t, m.URL(), dir, options...)
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	// hello's own run and the run of hello after's :var makes are two
	// tasks: after may finish before hello's own run does.
	waitFor(t, "hello finished", func() bool { return blockState(t, b.eng, v.ID, "hello").State == engine.Finished })
	waitFor(t, "after finished", func() bool { return blockState(t, b.eng, v.ID, "after").State == engine.Finished })
	waitFor(t, "forever running", func() bool { return blockState(t, b.eng, v.ID, "forever").State == engine.Running })
	res, err := b.eng.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res, "#+RESULTS: hello\n: hello from mesos\n") || !strings.Contains(res, "#+RESULTS: after\n: got hello from mesos on 3100") {
		t.Fatalf("results:\n%s", res)
	}
	waitFor(t, "forever's output through the files API", func() bool {
		data, _, _, _ := b.eng.ReadLog(context.Background(), v.ID, "forever", 0, "stdout", 0, 1000)
		return strings.HasPrefix(string(data), "tick\ntick\n")
	})
	// hello, after, forever, and the run of hello after's :var x=hello
	// makes (Babel runs the block again at a reference).
	launched := len(m.Tasks())
	if launched != 4 {
		t.Fatalf("%d tasks launched, want 4", launched)
	}
	own := len(options) > 0
	executors := map[string]bool{}
	for id, ti := range m.Tasks() {
		switch {
		case own && (ti.Executor == nil || ti.Command != nil):
			t.Fatalf("task %s is not on Borges' executor: %+v", id, ti)
		case own:
			executors[ti.Executor.ExecutorID.Value] = true
		case ti.Executor != nil:
			t.Fatalf("task %s has an executor: %+v", id, ti.Executor)
		}
	}
	if own && len(executors) != 1 {
		t.Fatalf("executors: %v, want one", executors)
	}
	fw := b.backend.frameworkID

	// Borges goes away and comes back: same framework id, the task is
	// reconciled as running, nothing is launched again.
	b.stop()
	b2 := startBorges(t, m.URL(), dir, options...)
	defer b2.stop()
	waitFor(t, "re-subscribed", func() bool {
		b2.backend.mu.Lock()
		defer b2.backend.mu.Unlock()
		return b2.backend.frameworkID == fw
	})
	time.Sleep(500 * time.Millisecond)
	if s := blockState(t, b2.eng, v.ID, "forever"); s.State != engine.Running || s.Instances[0].Attempts != 1 {
		t.Fatalf("forever after restart: %+v", s.Instances[0])
	}
	if n := len(m.Tasks()); n != launched {
		t.Fatalf("%d tasks after restart, want %d", n, launched)
	}
	if err := b2.eng.KillBlock(context.Background(), v.ID, "forever"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "forever killed", func() bool { return blockState(t, b2.eng, v.ID, "forever").State == engine.Killed })
	for id := range m.Tasks() {
		if strings.Contains(id, "forever") {
			if st, _ := m.TaskState(id); st != mesoslib.TASK_KILLED {
				t.Fatalf("task %s is %v", id, st)
			}
			waitFor(t, "no process of the killed task left", func() bool { return len(processesOf(id)) == 0 })
		}
	}
}

// processesOf lists the processes of an attempt (BORGES_ATTEMPT in their
// environment).
func processesOf(attempt string) []int {
	var pids []int
	needle := []byte("BORGES_ATTEMPT=" + attempt + "\x00")
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil {
			if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
				continue
			}
		}
		if env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ")); err == nil && bytes.Contains(env, needle) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("BORGES_TEST_LOG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

func TestTaskInfo(t *testing.T) {
	b, _ := New(Config{Master: "127.0.0.1:5050"})
	offer := mesoslib.Offer{AgentID: mesoslib.AgentID{Value: "S0"}}
	a := &engine.Attempt{ID: "d.web.0.1", Block: "web", Script: "echo hi", Env: map[string]string{"A": "1"},
		Task: &plan.Task{Interpreter: []string{"python3"}, CmdLine: []string{"--x"},
			Resources: plan.Resources{CPUs: 0.5, MemMB: 128, DiskMB: 10, GPUs: 1},
			Container: &plan.Container{Image: "python:3", Kind: "mesos"}}}
	ti := b.taskInfo(a, offer, []uint64{31000, 31002})
	if ti.TaskID.Value != a.ID || ti.Name != "web" || ti.AgentID.Value != "S0" {
		t.Fatalf("ids: %+v", ti)
	}
	if c := ti.Container; c == nil || c.GetType() != mesoslib.ContainerInfo_MESOS || c.Mesos.Image.Docker.Name != "python:3" {
		t.Fatalf("container: %+v", ti.Container)
	}
	names := map[string]float64{}
	for _, r := range ti.Resources {
		names[r.Name] = r.GetScalar().GetValue()
	}
	if names["cpus"] != 0.5 || names["mem"] != 128 || names["disk"] != 10 || names["gpus"] != 1 {
		t.Fatalf("resources %v", names)
	}
	env := map[string]string{}
	for _, v := range ti.Command.Environment.Variables {
		env[v.Name] = v.GetValue()
	}
	if env["A"] != "1" || env["PORT0"] != "31000" || env["PORT1"] != "31002" || env["PORTS"] != "31000,31002" {
		t.Fatalf("env %v", env)
	}
	cmd := ti.Command.GetValue()
	if !strings.Contains(cmd, "\necho hi\n") || !strings.HasSuffix(cmd, "exec 'python3' ./borges-script '--x'") {
		t.Fatalf("command %q", cmd)
	}
	a.Task.Container = &plan.Container{Image: "redis", Kind: "docker", Network: "bridge"}
	ti = b.taskInfo(a, offer, nil)
	if ti.Container.GetType() != mesoslib.ContainerInfo_DOCKER || ti.Container.Docker.Image != "redis" || ti.Container.Docker.GetNetwork() != mesoslib.ContainerInfo_DockerInfo_BRIDGE {
		t.Fatalf("docker: %+v", ti.Container)
	}
}

func TestUpdateMapping(t *testing.T) {
	cases := []struct {
		state mesoslib.TaskState
		msg   string
		want  engine.State
		code  int
		asked bool // Borges asked for the task's end
		group bool // killed with its task group before delivery
		// intent: recovered, staged from a launch intent (the master
		// may never have been given it)
		intent bool
	}{
		{state: mesoslib.TASK_STAGING, msg: "", want: engine.Staged, code: -1},
		{state: mesoslib.TASK_STARTING, msg: "", want: engine.Staged, code: -1},
		{state: mesoslib.TASK_RUNNING, msg: "", want: engine.Running, code: -1},
		{state: mesoslib.TASK_KILLING, msg: "", want: engine.Running, code: -1},
		{state: mesoslib.TASK_FINISHED, msg: "Command exited with status 0", want: engine.Finished, code: 0},
		{state: mesoslib.TASK_FAILED, msg: "Command exited with status 3", want: engine.Failed, code: 3},
		{state: mesoslib.TASK_ERROR, msg: "Total resources …", want: engine.Failed, code: -1},
		{state: mesoslib.TASK_KILLED, want: engine.Killed, code: -1, asked: true},
		{state: mesoslib.TASK_KILLED, want: engine.Killed, code: -1}, // by an operator, or a Borges before a restart
		// Killed by the agent with its task group: run again.
		{state: mesoslib.TASK_KILLED, want: engine.Lost, code: -1, group: true},
		{state: mesoslib.TASK_LOST, msg: "", want: engine.Lost, code: -1},
		{state: mesoslib.TASK_DROPPED, msg: "", want: engine.Lost, code: -1},
		{state: mesoslib.TASK_GONE, msg: "", want: engine.Lost, code: -1},
		{state: mesoslib.TASK_GONE_BY_OPERATOR, msg: "", want: engine.Lost, code: -1},
		// Not final: reconciled again, lost only after UnreachableGrace.
		{state: mesoslib.TASK_UNREACHABLE, msg: "", want: "", code: -1},
		{state: mesoslib.TASK_UNKNOWN, msg: "", want: "", code: -1},
		// Unknown, of an attempt staged from an intent: lost at once.
		{state: mesoslib.TASK_UNKNOWN, msg: "", want: engine.Lost, code: -1, intent: true},
		{state: mesoslib.TASK_UNREACHABLE, msg: "", want: "", code: -1, intent: true},
	}
	for _, c := range cases {
		b, _ := New(Config{Master: "127.0.0.1:1"})
		updates := make(chan engine.Update, 1)
		b.SetSink(func(u engine.Update) { updates <- u })
		b.tasks["t"] = &taskInfo{attempt: &engine.Attempt{ID: "t"}, killed: c.asked, fromIntent: c.intent}
		st := c.state
		msg := c.msg
		status := mesoslib.TaskStatus{TaskID: mesoslib.TaskID{Value: "t"}, State: &st, Message: &msg}
		if c.group {
			r := mesoslib.REASON_TASK_KILLED_DURING_LAUNCH
			status.Reason = &r
		}
		b.taskUpdate(context.Background(), status)
		if c.want == "" {
			// Handled at once, without a report.
			select {
			case u := <-updates:
				t.Errorf("%v: reported %v", c.state, u.State)
			default:
			}
			if b.tasks["t"].unsureSince.IsZero() {
				t.Errorf("%v: not waited for", c.state)
			}
			continue
		}
		var got engine.Update
		select {
		case got = <-updates:
		case <-time.After(proctest.WaitTimeout(t)):
			t.Fatalf("%v: no update", c.state)
		}
		if got.State != c.want {
			t.Errorf("%v: %v, want %v", c.state, got.State, c.want)
		}
		if c.code >= 0 && (got.ExitCode == nil || *got.ExitCode != c.code) {
			t.Errorf("%v: exit code %v, want %d", c.state, got.ExitCode, c.code)
		}
	}
}

// TestPythonValueOnMesos: the value of a Python block comes back from the
// task's sandbox.
func TestPythonValueOnMesos(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: p\n#+begin_src python\nreturn [1, 2, 3]\n#+end_src\n")
	waitFor(t, "p finished", func() bool { return blockState(t, b.eng, v.ID, "p").State == engine.Finished })
	res, _ := b.eng.ResultDocument(context.Background(), v.ID)
	if !strings.Contains(res, "#+RESULTS: p\n| 1 | 2 | 3 |\n") {
		t.Fatalf("results:\n%s", res)
	}
}

// attemptOf is the id of attempt n of instance 0 of a document's block.
func attemptOf(t *testing.T, e *engine.Engine, docID, block string, n int) string {
	t.Helper()
	b := blockState(t, e, docID, block)
	if b.Task == nil {
		t.Fatalf("block %s has no task", block)
	}
	return engine.AttemptID(docID, b.Task.Index, block, 0, n)
}

// TestExecutorUpdatesSentAgain: an agent too busy to take a task's
// updates (RUNNING, FINISHED refused) while the executor's subscription
// stays open: the executor sends them again and the block finishes.
func TestExecutorUpdatesSentAgain(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Second})
	defer m.Close()
	m.FailExecutorUpdates(2)
	b := startBorges(t, m.URL(), t.TempDir(), testExecutor(t))
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), "#+name: quick\n#+begin_src sh :cpu 0.1 :mem 32\necho done\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "quick finished", func() bool { return blockState(t, b.eng, v.ID, "quick").State == engine.Finished })
	if res, _ := b.eng.ResultDocument(context.Background(), v.ID); !strings.Contains(res, "#+RESULTS: quick\n: done\n") {
		t.Fatalf("results:\n%s", res)
	}
}
