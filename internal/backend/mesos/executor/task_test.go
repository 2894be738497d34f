package executor

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/executor"

	"github.com/wallyqs/borges/internal/proctest"
)

// fakeAgent takes every call (202) and records the task states updated.
type fakeAgent struct {
	mu     sync.Mutex
	states map[string][]mesos.TaskState
	ends   map[string]mesos.TaskStatus // each task's last status
	// onUpdate, when set, is called with each update before the agent
	// answers it.
	onUpdate func(mesos.TaskStatus)
}

func (a *fakeAgent) end(id string) mesos.TaskStatus {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ends[id]
}

func (a *fakeAgent) last(id string) mesos.TaskState {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.states[id]
	if len(s) == 0 {
		return -1
	}
	return s[len(s)-1]
}

// testExecutor is an executor whose agent is a fake that accepts every
// update, with its sandbox in a temporary directory.
func testExecutor(t *testing.T) (*Executor, *fakeAgent) {
	agent := &fakeAgent{states: map[string][]mesos.TaskState{}, ends: map[string]mesos.TaskStatus{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c := &executor.Call{}
		if c.Unmarshal(body) == nil && c.Update != nil {
			agent.mu.Lock()
			id := c.Update.Status.TaskID.Value
			agent.states[id] = append(agent.states[id], c.Update.Status.GetState())
			agent.ends[id] = c.Update.Status
			on := agent.onUpdate
			agent.mu.Unlock()
			if on != nil {
				on(c.Update.Status)
			}
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	cfg := Config{FrameworkID: "fw", ExecutorID: fmt.Sprintf("borges-executor-test%d", os.Getpid()), Sandbox: t.TempDir(),
		Agent: srv.Listener.Addr().String(), RecoveryTimeout: time.Minute, BackoffMax: time.Second,
		ShutdownGrace: 5 * time.Second, IdleTimeout: time.Minute}
	e := newExecutor(cfg, log.New(io.Discard, "", 0))
	if err := os.MkdirAll(filepath.Join(cfg.Sandbox, TasksDir), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.killAll(0); e.wg.Wait() })
	return e, agent
}

// startEscaping launches proctest.Escapes as a task and waits until its three
// processes run.
func startEscaping(t *testing.T, e *Executor, id string, deadline time.Duration) (*task, string) {
	t.Helper()
	m := proctest.Marker(t)
	info := mesos.TaskInfo{TaskID: mesos.TaskID{Value: id},
		Command: &mesos.CommandInfo{Value: &[]string{proctest.Escapes(m, "exit 0")}[0]},
		Labels:  &mesos.Labels{Labels: []mesos.Label{{Key: PidsLabel, Value: &[]string{"77"}[0]}}}}
	if deadline > 0 {
		info.MaxCompletionTime = &mesos.DurationInfo{Nanoseconds: int64(deadline)}
	}
	e.launch(context.Background(), info)
	e.mu.Lock()
	tk := e.tasks[id]
	e.mu.Unlock()
	if tk == nil {
		t.Fatal("task not launched")
	}
	proctest.WaitMarked(t, m, 3)
	if e.cgroups != nil {
		a := e.cgroups.Attempt(id)
		if got := len(a.Procs()); got < 4 {
			t.Fatalf("%d processes in the task's cgroup, want its shell and three sleeps", got)
		}
		d := a.Dirs["pids"]
		if e.cgroups.V2 {
			d = a.Dirs[""]
		}
		if e.cgroups.Has("pids") {
			if b, err := os.ReadFile(filepath.Join(d, "pids.max")); err != nil || string(bytes.TrimSpace(b)) != "77" {
				t.Fatalf("pids.max: %q, %v", b, err)
			}
		}
		t.Cleanup(func() {
			if !a.Gone() {
				t.Errorf("the task's cgroup is left: %v", a.Dirs)
			}
		})
	}
	return tk, m
}

// useCgroups gives the executor its cgroups, and makes it find a task's
// processes by them alone; it skips where the cgroup filesystem is not
// writable.
func useCgroups(t *testing.T, e *Executor) {
	e.setupCgroups()
	if e.cgroups == nil {
		t.Skip("no writable cgroup hierarchy")
	}
	e.cgroupsOnly = true
	t.Cleanup(e.releaseCgroups)
	listed, err := os.ReadFile(filepath.Join(e.cfg.Sandbox, CgroupsFile))
	for _, d := range e.cgroups.Dirs {
		if !bytes.Contains(listed, []byte(d+"\n")) {
			t.Fatalf("%s does not name %s (%v): %q", CgroupsFile, d, err, listed)
		}
	}
}

func waitDone(t *testing.T, tk *task) {
	t.Helper()
	select {
	case <-tk.done:
	case <-time.After(proctest.WaitTimeout(t)):
		t.Fatal("the task never ended")
	}
}

// TestNothingOutlivesItsTask: what a task started — processes in a session
// of their own, or orphaned by a double fork — is gone once the task is,
// however it ended: its program exited, it was killed, it ran past its
// max_completion_time (:timeout), the executor was shut down.
func TestNothingOutlivesItsTask(t *testing.T) {
	for _, mode := range []struct {
		name string
		use  func(*testing.T, *Executor)
	}{
		{"marker", func(*testing.T, *Executor) {}},
		{"cgroup", useCgroups},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Run("ends", func(t *testing.T) {
				e, agent := testExecutor(t)
				mode.use(t, e)
				tk, m := startEscaping(t, e, "d.ends.0.1", 0)
				if err := os.WriteFile(filepath.Join(e.cfg.Sandbox, TasksDir, "d.ends.0.1", "go"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
				waitDone(t, tk)
				if got := agent.last("d.ends.0.1"); got != mesos.TASK_FINISHED {
					t.Fatalf("state %v", got)
				}
				proctest.WaitGone(t, m)
			})
			t.Run("killed", func(t *testing.T) {
				e, agent := testExecutor(t)
				mode.use(t, e)
				tk, m := startEscaping(t, e, "d.killed.0.1", 0)
				e.kill(context.Background(), "d.killed.0.1", 3*time.Second)
				waitDone(t, tk)
				if got := agent.last("d.killed.0.1"); got != mesos.TASK_KILLED {
					t.Fatalf("state %v", got)
				}
				proctest.WaitGone(t, m)
			})
			t.Run("timed out", func(t *testing.T) {
				e, agent := testExecutor(t)
				mode.use(t, e)
				// Long enough for its processes to start on a loaded
				// machine: the program waits for "go", which never comes.
				tk, m := startEscaping(t, e, "d.timeout.0.1", 10*time.Second)
				waitDone(t, tk)
				st := agent.end("d.timeout.0.1")
				if st.GetState() != mesos.TASK_FAILED || st.GetReason() != mesos.REASON_MAX_COMPLETION_TIME_REACHED {
					t.Fatalf("status %v %v %q", st.GetState(), st.GetReason(), st.GetMessage())
				}
				proctest.WaitGone(t, m)
			})
			t.Run("shutdown", func(t *testing.T) {
				e, _ := testExecutor(t)
				mode.use(t, e)
				_, m := startEscaping(t, e, "d.shutdown.0.1", 0)
				e.killAll(time.Second) // as SHUTDOWN does
				e.wg.Wait()
				proctest.WaitGone(t, m)
			})
		})
	}
}
