package executor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	mesos "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/session"
)

// sessionInDir launches session sid, whose first block is the task
// first, with its :dir dir (SessionWorkDirLabel), and runs `pwd -P` in
// it; it returns where the interpreter runs, or the session task's end
// where it could not start.
func sessionInDir(t *testing.T, e *Executor, agent *fakeAgent, sid, first, dir string) (string, mesos.TaskStatus) {
	t.Helper()
	info := sessionTask(t, sid, first, session.Shell, session.Command(session.Shell, "sh", nil), nil)
	info.Labels.Labels = append(info.Labels.Labels, mesos.Label{Key: SessionWorkDirLabel, Value: strp(dir)})
	e.launch(context.Background(), info)
	until(t, sid+" started or ended", func() bool {
		s := agent.last(sid)
		return s == mesos.TASK_RUNNING || isTerminal(s)
	})
	if s := agent.last(sid); s != mesos.TASK_RUNNING {
		return "", agent.end(sid)
	}
	state, files := runBlock(t, e, agent, blockTask(t, first, sid, SessionBlock{Body: "pwd -P"}))
	if state != mesos.TASK_FINISHED {
		t.Fatalf("the block in %s: %v %q", dir, state, files)
	}
	return strings.TrimSpace(files["stdout"]), agent.end(sid)
}

// firstSandbox makes the sandbox of the session's first block (its
// task's directory) ahead of it, as an earlier task could have filled
// it, and returns it.
func firstSandbox(t *testing.T, e *Executor, first string) string {
	t.Helper()
	box := filepath.Join(e.cfg.Sandbox, TasksDir, first)
	if err := os.MkdirAll(box, 0o755); err != nil {
		t.Fatal(err)
	}
	return box
}

// A link a task left in the sandbox of a session's first block is not
// followed to make that block's relative :dir: the directories are made
// beneath the sandbox through no link, as the local backend makes them,
// and nothing is made where the link leads.
func TestSessionDirNotMadeThroughSandboxLink(t *testing.T) {
	outside.Need(t, "sh", "sh")
	e, agent := testExecutor(t)
	somewhere := t.TempDir()
	box := firstSandbox(t, e, "d.1-a.0.1")
	if err := os.Symlink(somewhere, filepath.Join(box, "x")); err != nil {
		t.Fatal(err)
	}
	where, end := sessionInDir(t, e, agent, "sess-l", "d.1-a.0.1", "x/new")
	if _, err := os.Lstat(filepath.Join(somewhere, "new")); err == nil {
		t.Fatalf("%s/new made through the sandbox's link (the interpreter in %q)", somewhere, where)
	}
	if where != "" || !strings.Contains(end.GetMessage(), ":dir x/new") {
		t.Fatalf("the session ran in %q; its end %v %q names not its :dir", where, end.GetState(), end.GetMessage())
	}
	// A relative :dir with no link on its way is made and run in.
	where, _ = sessionInDir(t, e, agent, "sess-m", "d.2-b.0.1", "made/deep")
	if want := filepath.Join(e.cfg.Sandbox, TasksDir, "d.2-b.0.1", "made", "deep"); where != evalSymlinks(t, want) {
		t.Fatalf("ran in %q, want %q", where, want)
	}
}

// A session's :dir that lands in the executor's own files (its sandbox:
// its log, the tasks' directories with their stdout, stderr and value
// files, the list of its cgroups), by its path, by a link, or by
// climbing out of the first block's sandbox, is refused, saying so and
// naming the :dir, and nothing is made there.
func TestSessionDirIntoExecutorStateRefused(t *testing.T) {
	outside.Need(t, "sh", "sh")
	e, agent := testExecutor(t)
	top := t.TempDir()
	if err := os.Symlink(filepath.Join(e.cfg.Sandbox, TasksDir), filepath.Join(top, "intotasks")); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct{ name, dir, made string }{
		{"the executor's sandbox", e.cfg.Sandbox, ""},
		{"beneath it by its path", filepath.Join(e.cfg.Sandbox, "mine"), filepath.Join(e.cfg.Sandbox, "mine")},
		{"another task's files", filepath.Join(e.cfg.Sandbox, TasksDir, "other", "x"), filepath.Join(e.cfg.Sandbox, TasksDir, "other")},
		{"by a link", filepath.Join(top, "intotasks", "other2"), filepath.Join(e.cfg.Sandbox, TasksDir, "other2")},
		{"out of the sandbox", "../../up", filepath.Join(e.cfg.Sandbox, "up")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sid, first := "sess-r"+string(rune('a'+i)), "d.1-r"+string(rune('a'+i))+".0.1"
			where, end := sessionInDir(t, e, agent, sid, first, tc.dir)
			if where != "" {
				t.Fatalf("the session ran in %q, in the executor's own files", where)
			}
			msg := end.GetMessage()
			if !strings.Contains(msg, ":dir "+tc.dir) || !strings.Contains(msg, "executor's sandbox") {
				t.Fatalf("its end %v %q names neither its :dir nor the executor's sandbox", end.GetState(), msg)
			}
			if tc.made != "" {
				if _, err := os.Lstat(tc.made); err == nil {
					t.Fatalf("%s made", tc.made)
				}
			}
		})
	}
}

// A session's absolute :dir, or ~/…, follows the user's links as Emacs
// does (a home behind a link, a link on its way), the missing part made
// where they lead.
func TestSessionDirFollowsUsersLink(t *testing.T) {
	outside.Need(t, "sh", "sh")
	e, agent := testExecutor(t)
	top := t.TempDir()
	real := filepath.Join(top, "real")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, filepath.Join(top, "home")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", filepath.Join(top, "home"))
	real = evalSymlinks(t, real)
	for i, tc := range []struct{ dir, want string }{
		{"~/sub/deep", filepath.Join(real, "sub", "deep")},
		{"~", real},
		{filepath.Join(top, "home", "abs"), filepath.Join(real, "abs")},
	} {
		sid, first := "sess-u"+string(rune('a'+i)), "d.1-u"+string(rune('a'+i))+".0.1"
		if where, end := sessionInDir(t, e, agent, sid, first, tc.dir); where != tc.want {
			t.Fatalf(":dir %s: ran in %q (%q), want %q", tc.dir, where, end.GetMessage(), tc.want)
		}
	}
}

func evalSymlinks(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
