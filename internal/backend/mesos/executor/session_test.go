package executor

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/session"
	"github.com/wallyqs/borges/internal/terminal"
)

// sessionTask is the TaskInfo of a session's interpreter (a Borges task
// of its own) starting in the directory of its first block, dir.
func sessionTask(t *testing.T, id, dir string, kind session.Kind, argv []string, env map[string]string) mesos.TaskInfo {
	t.Helper()
	cmd := mesos.CommandInfo{Shell: &[]bool{false}[0], Value: &argv[0], Arguments: argv, Environment: &mesos.Environment{}}
	for k, v := range env {
		cmd.Environment.Variables = append(cmd.Environment.Variables, mesos.Environment_Variable{Name: k, Value: &v})
	}
	data, err := cmd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return mesos.TaskInfo{TaskID: mesos.TaskID{Value: id}, Data: data, Labels: &mesos.Labels{Labels: []mesos.Label{
		{Key: SessionKindLabel, Value: strp(string(kind))}, {Key: SessionDirLabel, Value: &dir}}}}
}

// blockTask is the TaskInfo of a block run in session sid.
func blockTask(t *testing.T, id, sid string, b SessionBlock) mesos.TaskInfo {
	t.Helper()
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return mesos.TaskInfo{TaskID: mesos.TaskID{Value: id}, Data: data,
		Labels: &mesos.Labels{Labels: []mesos.Label{{Key: SessionLabel, Value: &sid}}}}
}

func strp(s string) *string { return &s }

// runBlock launches a block and waits for its end; it returns its final
// state and its stdout, stderr and value files.
func runBlock(t *testing.T, e *Executor, agent *fakeAgent, info mesos.TaskInfo) (mesos.TaskState, map[string]string) {
	t.Helper()
	id := info.TaskID.Value
	e.launch(context.Background(), info)
	until(t, id+" ended", func() bool {
		s := agent.last(id)
		return s == mesos.TASK_FINISHED || s == mesos.TASK_FAILED || s == mesos.TASK_KILLED || s == mesos.TASK_DROPPED
	})
	files := map[string]string{}
	for _, f := range []string{"stdout", "stderr", "value"} {
		data, _ := os.ReadFile(filepath.Join(e.cfg.Sandbox, TasksDir, id, f))
		files[f] = string(data)
	}
	return agent.last(id), files
}

// TestSessionOnExecutor: a session's interpreter is a task of the
// executor, started in its first block's directory; the blocks sent to it
// share its state, each block's stdout its result as Babel reads it (a
// Python value in its value file, the output in stdout), its stderr the
// transcript. A block whose session is not on the executor is dropped, not
// run in a fresh interpreter.
func TestSessionOnExecutor(t *testing.T) {
	outside.Need(t, "bash", "bash")
	python := outside.Need(t, "python3", "python3")
	e, agent := testExecutor(t)

	e.launch(context.Background(), sessionTask(t, "sess-sh", "d.1-a.0.1", session.Shell, session.Command(session.Shell, "bash", nil),
		map[string]string{"GREETING": "hello"}))
	state, files := runBlock(t, e, agent, blockTask(t, "d.1-a.0.1", "sess-sh", SessionBlock{Body: "x=41\necho $GREETING; echo \"$BORGES_SANDBOX\""}))
	if state != mesos.TASK_FINISHED {
		t.Fatalf("a: %v %q", state, files)
	}
	first := filepath.Join(e.cfg.Sandbox, TasksDir, "d.1-a.0.1")
	if want := "hello\n" + first; !strings.HasSuffix(files["stdout"], want) {
		t.Fatalf("a's stdout %q, want it to end with %q", files["stdout"], want)
	}
	state, files = runBlock(t, e, agent, blockTask(t, "d.2-b.0.1", "sess-sh", SessionBlock{Body: "echo $((x+1)) $(pwd)"}))
	if state != mesos.TASK_FINISHED || files["stdout"] != "42 "+first {
		t.Fatalf("b: %v %q", state, files)
	}
	if !strings.HasPrefix(files["stderr"], "42 ") || !strings.Contains(files["stderr"], "org_babel_sh_eoe") {
		t.Fatalf("b's transcript %q", files["stderr"])
	}
	if agent.last("sess-sh") != mesos.TASK_RUNNING {
		t.Fatalf("the session's task: %v", agent.last("sess-sh"))
	}
	// The interpreter runs on a terminal set as Emacs sets one, as on
	// the local backend.
	probe := `[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo terminal; stty -g; stty size; echo "$TERM $COLUMNS [$TERMCAP]"`
	state, files = runBlock(t, e, agent, blockTask(t, "d.2-t.0.1", "sess-sh", SessionBlock{Body: probe}))
	if want := "terminal\n" + terminal.Stty() + "\n0 0\ndumb 80 []"; state != mesos.TASK_FINISHED || files["stdout"] != want {
		t.Fatalf("on a terminal: %v %q, want %q", state, files["stdout"], want)
	}

	e.launch(context.Background(), sessionTask(t, "sess-py", "d.3-p.0.1", session.Python, session.Command(session.Python, "", []string{python}), nil))
	state, files = runBlock(t, e, agent, blockTask(t, "d.3-p.0.1", "sess-py", SessionBlock{Body: "data = [1, 2]\nprint('set')"}))
	if state != mesos.TASK_FINISHED || files["stdout"] != "set" {
		t.Fatalf("p: %v %q", state, files)
	}
	state, files = runBlock(t, e, agent, blockTask(t, "d.4-q.0.1", "sess-py", SessionBlock{Body: "print('summing')\nsum(data) * 10", Value: true}))
	if state != mesos.TASK_FINISHED || files["value"] != "30" || files["stdout"] != "summing" {
		t.Fatalf("q: %v %q", state, files)
	}

	state, files = runBlock(t, e, agent, blockTask(t, "d.5-z.0.1", "sess-gone", SessionBlock{Body: "echo no"}))
	if state != mesos.TASK_DROPPED || files["stdout"] != "" {
		t.Fatalf("a block of a session not on the executor: %v %q", state, files)
	}
}

// TestSessionBlockKilled: killing a block of a session kills its
// interpreter and every process it started; the session's task ends
// killed. A block that fails (its interpreter exits) takes the session
// down too, saying what it printed last; a block over its :timeout stops
// the interpreter.
func TestSessionBlockKilled(t *testing.T) {
	outside.Need(t, "sh", "sh")
	for _, mode := range []struct {
		name string
		use  func(*testing.T, *Executor)
	}{
		{"marker", func(*testing.T, *Executor) {}},
		{"cgroup", useCgroups},
	} {
		t.Run(mode.name, func(t *testing.T) {
			e, agent := testExecutor(t)
			mode.use(t, e)
			m := proctest.Marker(t)
			e.launch(context.Background(), sessionTask(t, "sess-k", "d.1-a.0.1", session.Shell, session.Command(session.Shell, "sh", nil), nil))
			e.launch(context.Background(), blockTask(t, "d.1-a.0.1", "sess-k", SessionBlock{Body: "(setsid sleep " + m + " &) ; sleep " + m}))
			until(t, "the block runs", func() bool { return agent.last("d.1-a.0.1") == mesos.TASK_RUNNING && len(proctest.WithMarker(m)) >= 2 })
			e.kill(context.Background(), "d.1-a.0.1", time.Minute)
			until(t, "the block killed", func() bool { return agent.last("d.1-a.0.1") == mesos.TASK_KILLED })
			until(t, "the session's task killed", func() bool { return agent.last("sess-k") == mesos.TASK_KILLED })
			until(t, "nothing of the session is left", func() bool { return len(proctest.WithMarker(m)) == 0 })
		})
	}
	t.Run("executor shut down", func(t *testing.T) {
		e, agent := testExecutor(t)
		m := proctest.Marker(t)
		e.launch(context.Background(), sessionTask(t, "sess-s", "d.1-a.0.1", session.Shell, session.Command(session.Shell, "sh", nil), nil))
		e.launch(context.Background(), blockTask(t, "d.1-a.0.1", "sess-s", SessionBlock{Body: "(setsid sleep " + m + " &) ; sleep " + m}))
		until(t, "the block runs", func() bool { return agent.last("d.1-a.0.1") == mesos.TASK_RUNNING && len(proctest.WithMarker(m)) >= 2 })
		e.killAll(time.Second) // as SHUTDOWN does
		e.wg.Wait()
		until(t, "nothing of the session is left", func() bool { return len(proctest.WithMarker(m)) == 0 })
		// Killed, or dropped when its session's task was killed first.
		if got := agent.last("d.1-a.0.1"); got != mesos.TASK_KILLED && got != mesos.TASK_DROPPED {
			t.Fatalf("the block: %v", got)
		}
	})
	t.Run("session task killed", func(t *testing.T) {
		// Borges kills a session's task it does not know (after its own
		// restart): the block running in it is dropped, to be run again
		// with its whole session.
		e, agent := testExecutor(t)
		e.launch(context.Background(), sessionTask(t, "sess-d", "d.1-a.0.1", session.Shell, session.Command(session.Shell, "sh", nil), nil))
		e.launch(context.Background(), blockTask(t, "d.1-a.0.1", "sess-d", SessionBlock{Body: "sleep 600"}))
		until(t, "the block runs", func() bool { return agent.last("d.1-a.0.1") == mesos.TASK_RUNNING })
		e.kill(context.Background(), "sess-d", time.Minute)
		until(t, "the block dropped", func() bool { return agent.last("d.1-a.0.1") == mesos.TASK_DROPPED })
		until(t, "the session's task killed", func() bool { return agent.last("sess-d") == mesos.TASK_KILLED })
	})
	t.Run("exit", func(t *testing.T) {
		e, agent := testExecutor(t)
		e.launch(context.Background(), sessionTask(t, "sess-x", "d.1-a.0.1", session.Shell, session.Command(session.Shell, "sh", nil), nil))
		state, _ := runBlock(t, e, agent, blockTask(t, "d.1-a.0.1", "sess-x", SessionBlock{Body: "echo bye; exit 3"}))
		if st := agent.end("d.1-a.0.1"); state != mesos.TASK_FAILED || st.Reason != nil {
			t.Fatalf("state %v, reason %v %q", state, st.GetReason(), st.GetMessage())
		}
		until(t, "the session's task ended", func() bool { return agent.last("sess-x") == mesos.TASK_FAILED })
	})
	t.Run("timeout", func(t *testing.T) {
		e, agent := testExecutor(t)
		e.launch(context.Background(), sessionTask(t, "sess-t", "d.1-a.0.1", session.Shell, session.Command(session.Shell, "sh", nil), nil))
		// Its end says its :timeout ended it by its reason, as a
		// task's past its max_completion_time does (the scheduler
		// flags it so, engine.Update.TimedOut), not by words a
		// block's output could say too.
		state, _ := runBlock(t, e, agent, blockTask(t, "d.1-a.0.1", "sess-t", SessionBlock{Body: "sleep 600", Timeout: "300ms"}))
		if st := agent.end("d.1-a.0.1"); state != mesos.TASK_FAILED || st.GetReason() != mesos.REASON_MAX_COMPLETION_TIME_REACHED {
			t.Fatalf("state %v, reason %v %q", state, st.GetReason(), st.GetMessage())
		}
		until(t, "the session's task ended", func() bool { return agent.last("sess-t") == mesos.TASK_KILLED })
	})
}

// TestSessionHostGone: a block that finds its session's task still listed
// after the interpreter has ended (its task's end not yet reported) is
// not made to wait for an interpreter that will never start.
func TestSessionHostGone(t *testing.T) {
	e, _ := testExecutor(t)
	e.mu.Lock()
	defer e.mu.Unlock()
	begun := &task{stop: func() {}}
	if h := e.sessionHostLocked("sess-gone", begun); h != nil {
		t.Fatalf("an interpreter made for a session task that has begun and ended: %+v", h)
	}
	if h := e.sessionHostLocked("sess-new", &task{}); h == nil || h != e.sessionHostLocked("sess-new", &task{}) {
		t.Fatal("a session task not begun yet has no interpreter to wait for, or two")
	}
}

// until polls cond until it holds, bounded by the test's deadline
// (proctest.WaitDeadline) rather than a guess at a loaded machine's speed.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := proctest.WaitDeadline(t); time.Now().Before(deadline); {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting until %s", what)
}
