package executor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	mesos "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/session"
)

// A task can plant, in the executor's sandbox, a link at a later task's
// directory (tasks/ID, its id predictable) or at a file in it: the
// executor makes that task's directory and files through no link. A task
// whose directory is already there fails to launch, saying so, nothing
// made or written where a link leads; a session's block (whose directory
// its session's interpreter may have made first) writes its stdout and
// stderr through no link.
func TestTaskDirNotMadeThroughLink(t *testing.T) {
	outside.Need(t, "sh", "sh")
	e, agent := testExecutor(t)
	tasks := filepath.Join(e.cfg.Sandbox, TasksDir)
	echo := func(id string) mesos.TaskInfo {
		return mesos.TaskInfo{TaskID: mesos.TaskID{Value: id}, Command: &mesos.CommandInfo{Value: strp("echo hello; echo oops >&2")}}
	}
	empty := func(t *testing.T, dir string) {
		t.Helper()
		names, err := os.ReadDir(dir)
		if err != nil || len(names) != 0 {
			t.Fatalf("%s: %v %v: something made or written through the link", dir, names, err)
		}
	}

	t.Run("link at the task's directory", func(t *testing.T) {
		elsewhere := t.TempDir()
		if err := os.Symlink(elsewhere, filepath.Join(tasks, "d.1-next.0.1")); err != nil {
			t.Fatal(err)
		}
		state, _ := runBlock(t, e, agent, echo("d.1-next.0.1"))
		end := agent.end("d.1-next.0.1")
		if state != mesos.TASK_FAILED || !strings.Contains(end.GetMessage(), "Failed to launch") || !strings.Contains(end.GetMessage(), "already there") {
			t.Fatalf("%v %q, want it failed to launch, its directory already there", state, end.GetMessage())
		}
		empty(t, elsewhere)
	})

	t.Run("link at the task's stdout", func(t *testing.T) {
		elsewhere := t.TempDir()
		dir := filepath.Join(tasks, "d.2-next.0.1")
		plantLinks(t, dir, elsewhere)
		state, _ := runBlock(t, e, agent, echo("d.2-next.0.1"))
		end := agent.end("d.2-next.0.1")
		if state != mesos.TASK_FAILED || !strings.Contains(end.GetMessage(), "Failed to launch") {
			t.Fatalf("%v %q, want it failed to launch", state, end.GetMessage())
		}
		empty(t, elsewhere)
	})

	t.Run("a session block's stdout and stderr", func(t *testing.T) {
		outside.Need(t, "bash", "bash")
		elsewhere := t.TempDir()
		e.launch(t.Context(), sessionTask(t, "sess-link", "d.3-first.0.1", session.Shell, session.Command(session.Shell, "bash", nil), nil))
		state, _ := runBlock(t, e, agent, blockTask(t, "d.3-first.0.1", "sess-link", SessionBlock{Body: "echo first"}))
		if state != mesos.TASK_FINISHED {
			end := agent.end("d.3-first.0.1")
			t.Fatalf("the first block: %v %q", state, end.GetMessage())
		}
		dir := filepath.Join(tasks, "d.4-next.0.1")
		plantLinks(t, dir, elsewhere)
		state, _ = runBlock(t, e, agent, blockTask(t, "d.4-next.0.1", "sess-link", SessionBlock{Body: "echo second"}))
		if state == mesos.TASK_FINISHED {
			t.Fatal("a block whose stdout is a link finished")
		}
		empty(t, elsewhere)
	})

	t.Run("a session's first block's stdout and stderr", func(t *testing.T) {
		outside.Need(t, "bash", "bash")
		elsewhere := t.TempDir()
		dir := filepath.Join(tasks, "d.5-first.0.1")
		plantLinks(t, dir, elsewhere)
		e.launch(t.Context(), sessionTask(t, "sess-link2", "d.5-first.0.1", session.Shell, session.Command(session.Shell, "bash", nil), nil))
		state, _ := runBlock(t, e, agent, blockTask(t, "d.5-first.0.1", "sess-link2", SessionBlock{Body: "echo first"}))
		if state == mesos.TASK_FINISHED {
			t.Fatal("a block whose stdout is a link finished")
		}
		empty(t, elsewhere)
	})
}

// plantLinks makes the directory dir, as a task could at a later task's
// name, with its stdout and stderr links into elsewhere.
func plantLinks(t *testing.T, dir, elsewhere string) {
	t.Helper()
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"stdout", "stderr"} {
		if err := os.Symlink(filepath.Join(elsewhere, f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
}
