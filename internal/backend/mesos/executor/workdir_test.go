package executor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
)

// inDir runs a task as Borges ships a block with the :dir dir onto the
// executor (WorkDirLabel, the shell entering it by WorkDirStep), printing
// where it runs; it returns that, or the task's end where it did not run.
func inDir(t *testing.T, e *Executor, agent *fakeAgent, id, dir string) (string, mesos.TaskStatus) {
	t.Helper()
	script := "echo sandbox > in-sandbox\n" + WorkDirStep + "pwd -P\n"
	info := mesos.TaskInfo{TaskID: mesos.TaskID{Value: id}, Command: &mesos.CommandInfo{Value: &script},
		Labels: &mesos.Labels{Labels: []mesos.Label{{Key: WorkDirLabel, Value: strp(dir)}}}}
	state, files := runBlock(t, e, agent, info)
	if state != mesos.TASK_FINISHED {
		return "", agent.end(id)
	}
	if _, err := os.Stat(filepath.Join(e.cfg.Sandbox, TasksDir, id, "in-sandbox")); err != nil {
		t.Fatalf("the command did not start in its sandbox: %v", err)
	}
	return strings.TrimSpace(files["stdout"]), agent.end(id)
}

// A block's relative :dir is made beneath its sandbox through no link,
// as the local backend makes it: a link a task left there is not
// followed, nothing is made where it leads, and the task fails naming
// its :dir.
func TestDirNotMadeThroughSandboxLink(t *testing.T) {
	e, agent := testExecutor(t)
	somewhere := t.TempDir()
	box := firstSandbox(t, e, "d.1-a.0.1")
	if err := os.Symlink(somewhere, filepath.Join(box, "x")); err != nil {
		t.Fatal(err)
	}
	where, end := inDir(t, e, agent, "d.1-a.0.1", "x/new")
	if _, err := os.Lstat(filepath.Join(somewhere, "new")); err == nil {
		t.Fatalf("%s/new made through the sandbox's link (ran in %q)", somewhere, where)
	}
	if where != "" || !strings.Contains(end.GetMessage(), ":dir x/new") {
		t.Fatalf("ran in %q; its end %v %q names not its :dir", where, end.GetState(), end.GetMessage())
	}
	where, _ = inDir(t, e, agent, "d.2-b.0.1", "made/deep")
	if want := filepath.Join(e.cfg.Sandbox, TasksDir, "d.2-b.0.1", "made", "deep"); where != evalSymlinks(t, want) {
		t.Fatalf("ran in %q, want %q", where, want)
	}
}

// A block's :dir that lands in the executor's own files, by its path, by
// a link, or by climbing out of its sandbox, is refused, naming the
// :dir and the executor's sandbox, and nothing is made there.
func TestDirIntoExecutorStateRefused(t *testing.T) {
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
			where, end := inDir(t, e, agent, "d.1-r"+string(rune('a'+i))+".0.1", tc.dir)
			if where != "" {
				t.Fatalf("ran in %q, in the executor's own files", where)
			}
			msg := end.GetMessage()
			if end.GetState() != mesos.TASK_FAILED || !strings.Contains(msg, ":dir "+tc.dir) || !strings.Contains(msg, "executor's sandbox") {
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

// A block's absolute :dir, or ~/…, follows the user's links as Emacs
// does, the missing part made where they lead.
func TestDirFollowsUsersLink(t *testing.T) {
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
		if where, end := inDir(t, e, agent, "d.1-u"+string(rune('a'+i))+".0.1", tc.dir); where != tc.want {
			t.Fatalf(":dir %s: ran in %q (%q), want %q", tc.dir, where, end.GetMessage(), tc.want)
		}
	}
}
