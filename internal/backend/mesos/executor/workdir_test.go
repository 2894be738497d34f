package executor

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
)

// runInDir runs, on e, a block whose sandbox is the directory of task
// first with the :dir dir, as how says, and prints where it runs: it
// returns that, or the end of the task that failed to start it (a
// block's task, or its session's).
type runInDir func(t *testing.T, e *Executor, agent *fakeAgent, first, dir string, how how) (string, mesos.TaskStatus)

// how a block is run by a runInDir: show (the block's body) prints where
// it runs (`pwd -P` if empty); env is the block's environment (the
// task's, as the document's Emacs left it).
type how struct {
	show  string
	env   map[string]string
	unset []string // the names the document's Emacs removed (UnsetLabel)
}

func (h how) body() string {
	if h.show == "" {
		return "pwd -P"
	}
	return h.show
}

// inDir runs a task as Borges ships a block with the :dir dir onto the
// executor (WorkDirLabel, the shell entering it by WorkDirStep).
func inDir(t *testing.T, e *Executor, agent *fakeAgent, id, dir string, h how) (string, mesos.TaskStatus) {
	t.Helper()
	script := "echo sandbox > in-sandbox\n" + WorkDirStep + h.body() + "\n"
	info := mesos.TaskInfo{TaskID: mesos.TaskID{Value: id}, Command: &mesos.CommandInfo{Value: &script, Environment: &mesos.Environment{}},
		Labels: &mesos.Labels{Labels: []mesos.Label{{Key: WorkDirLabel, Value: strp(dir)}}}}
	for k, v := range h.env {
		info.Command.Environment.Variables = append(info.Command.Environment.Variables, mesos.Environment_Variable{Name: k, Value: strp(v)})
	}
	if h.unset != nil {
		names, _ := json.Marshal(h.unset)
		info.Labels.Labels = append(info.Labels.Labels, mesos.Label{Key: UnsetLabel, Value: strp(string(names))})
	}
	state, files := runBlock(t, e, agent, info)
	if state != mesos.TASK_FINISHED {
		return "", agent.end(id)
	}
	if _, err := os.Stat(filepath.Join(e.cfg.Sandbox, TasksDir, id, "in-sandbox")); err != nil {
		t.Fatalf("the command did not start in its sandbox: %v", err)
	}
	return strings.TrimSpace(files["stdout"]), agent.end(id)
}

// firstSandbox makes the sandbox of a block (its task's directory)
// ahead of it, as an earlier task could have filled it, and returns it.
func firstSandbox(t *testing.T, e *Executor, first string) string {
	t.Helper()
	box := filepath.Join(e.cfg.Sandbox, TasksDir, first)
	if err := os.MkdirAll(box, 0o755); err != nil {
		t.Fatal(err)
	}
	return box
}

// A block's relative :dir is made beneath its sandbox through no link,
// as the local backend makes it: a link a task left there is not
// followed, nothing is made where it leads, and the task fails naming
// its :dir; one with no link on its way is made and run in. A task's own
// sandbox cannot have been filled before it (makeTaskDir): one already
// there fails its launch, saying so, before its :dir is looked at; a
// session's first block's can (its interpreter may have made it).
func TestDirNotMadeThroughSandboxLink(t *testing.T) {
	notMadeThroughSandboxLink(t, inDir, "already there")
}

func notMadeThroughSandboxLink(t *testing.T, run runInDir, refused string) {
	outside.Need(t, "sh", "sh")
	e, agent := testExecutor(t)
	somewhere := t.TempDir()
	box := firstSandbox(t, e, "d.1-a.0.1")
	if err := os.Symlink(somewhere, filepath.Join(box, "x")); err != nil {
		t.Fatal(err)
	}
	where, end := run(t, e, agent, "d.1-a.0.1", "x/new", how{})
	if _, err := os.Lstat(filepath.Join(somewhere, "new")); err == nil {
		t.Fatalf("%s/new made through the sandbox's link (ran in %q)", somewhere, where)
	}
	if where != "" || !strings.Contains(end.GetMessage(), refused) {
		t.Fatalf("ran in %q; its end %v %q says not %q", where, end.GetState(), end.GetMessage(), refused)
	}
	where, _ = run(t, e, agent, "d.2-b.0.1", "made/deep", how{})
	if want := filepath.Join(e.cfg.Sandbox, TasksDir, "d.2-b.0.1", "made", "deep"); where != evalSymlinks(t, want) {
		t.Fatalf("ran in %q, want %q", where, want)
	}
}

// A block's :dir that lands in the executor's own files (its sandbox:
// its log, the tasks' directories with their stdout, stderr and value
// files, the list of its cgroups), by its path, by a link, or by
// climbing out of its sandbox, is refused, naming the :dir and the
// executor's sandbox, and nothing is made there.
func TestDirIntoExecutorStateRefused(t *testing.T) { intoExecutorStateRefused(t, inDir) }

func intoExecutorStateRefused(t *testing.T, run runInDir) {
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
			where, end := run(t, e, agent, "d.1-r"+string(rune('a'+i))+".0.1", tc.dir, how{})
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
// does (a home behind a link, a link on its way), the missing part made
// where they lead; and the block is told the :dir as written, as Emacs
// tells it (its process's PWD the :dir, links not resolved): `pwd` and
// $PWD print the path through the user's link, `pwd -P` where it leads.
func TestDirFollowsUsersLink(t *testing.T) { followsUsersLink(t, inDir) }

func followsUsersLink(t *testing.T, run runInDir) {
	outside.Need(t, "sh", "sh")
	e, agent := testExecutor(t)
	top := t.TempDir()
	real := filepath.Join(top, "real")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(top, "home")
	if err := os.Symlink(real, home); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	real = evalSymlinks(t, real)
	for i, tc := range []struct{ dir, want, written string }{
		{"~/sub/deep", filepath.Join(real, "sub", "deep"), filepath.Join(home, "sub", "deep")},
		{"~", real, home},
		{filepath.Join(top, "home", "abs"), filepath.Join(real, "abs"), filepath.Join(home, "abs")},
	} {
		where, end := run(t, e, agent, "d.1-u"+string(rune('a'+i))+".0.1", tc.dir, how{show: `pwd -P; pwd; echo "$PWD"`})
		if want := tc.want + "\n" + tc.written + "\n" + tc.written; where != want {
			t.Fatalf(":dir %s: ran in (pwd -P, pwd, $PWD) %q (%q), want %q", tc.dir, where, end.GetMessage(), want)
		}
	}
}

// A block's ~ in its :dir is its own environment's HOME (the task's, as
// the document's Emacs left it), as Emacs expands it and a Mesos command
// executor's shell does, not the executor's.
func TestDirHomeOfTheBlock(t *testing.T) { homeOfTheBlock(t, inDir) }

func homeOfTheBlock(t *testing.T, run runInDir) {
	top := t.TempDir()
	block := filepath.Join(evalSymlinks(t, top), "block")
	where, end, _ := withExecutorHome(t, top, func(e *Executor, agent *fakeAgent) (string, mesos.TaskStatus) {
		return run(t, e, agent, "d.1-h.0.1", "~/x", how{env: map[string]string{"HOME": block}})
	})
	if want := filepath.Join(block, "x"); where != want {
		t.Fatalf(":dir ~/x with HOME %s: ran in %q (%q), want %q", block, where, end.GetMessage(), want)
	}
}

// withExecutorHome runs a block by do on an executor whose HOME is
// beneath top, and fails if anything was made there.
func withExecutorHome(t *testing.T, top string, do func(*Executor, *fakeAgent) (string, mesos.TaskStatus)) (string, mesos.TaskStatus, *Executor) {
	t.Helper()
	outside.Need(t, "sh", "sh")
	e, agent := testExecutor(t)
	home := filepath.Join(top, "executor")
	t.Setenv("HOME", home)
	where, end := do(e, agent)
	if _, err := os.Lstat(home); err == nil {
		t.Fatal("made in the executor's HOME")
	}
	return where, end, e
}

// A block whose environment has HOME empty has no home for its :dir
// ~/x: the task fails saying so, nothing made beneath its sandbox as a
// directory named "~" (where the executor once ran it) nor in the
// executor's HOME (where the local backend once ran it).
func TestDirHomeEmpty(t *testing.T) { homeEmpty(t, inDir) }

func homeEmpty(t *testing.T, run runInDir) {
	where, end, e := withExecutorHome(t, t.TempDir(), func(e *Executor, agent *fakeAgent) (string, mesos.TaskStatus) {
		return run(t, e, agent, "d.1-e.0.1", "~/x", how{env: map[string]string{"HOME": ""}})
	})
	if where != "" || !strings.Contains(end.GetMessage(), ":dir ~/x") || !strings.Contains(end.GetMessage(), "HOME is empty") {
		t.Fatalf(":dir ~/x with HOME empty: ran in %q (%q), want a failure naming the :dir and the empty HOME", where, end.GetMessage())
	}
	if _, err := os.Lstat(filepath.Join(e.cfg.Sandbox, TasksDir, "d.1-e.0.1", "~")); err == nil {
		t.Fatal(`made "~" in the sandbox`)
	}
}

// A block whose environment has no HOME (the document's Emacs removed
// it, UnsetLabel) takes ~ as Emacs then does: the home of its user in
// the password database (here the executor's uid), not the executor's
// HOME, as the local backend does (local TestDirHomeUnset).
func TestDirHomeUnset(t *testing.T) {
	home := proctest.PasswdHome(t)
	where, end, _ := withExecutorHome(t, t.TempDir(), func(e *Executor, agent *fakeAgent) (string, mesos.TaskStatus) {
		return inDir(t, e, agent, "d.1-u.0.1", "~", how{unset: []string{"HOME", "LOGNAME", "USER"}})
	})
	if want := evalSymlinks(t, home); where != want {
		t.Fatalf(":dir ~ with HOME removed: ran in %q (%q), want %q", where, end.GetMessage(), want)
	}
}

// The directory the executor opened for a block's :dir reaches not the
// block's program: no descriptor of a directory is left open to it, and
// BORGES_WORKDIR_FD (and the path Borges passes with it) is not in its
// environment (where `env` would show it, as Emacs' would not).
func TestDirNotLeakedToProgram(t *testing.T) {
	outside.Need(t, "sh", "sh")
	e, agent := testExecutor(t)
	dir := evalSymlinks(t, t.TempDir())
	show := `for f in /proc/$$/fd/*; do [ -d "$f" ] && echo "directory fd $f"; done; env | grep '^BORGES_WORKDIR' || echo none`
	where, end := inDir(t, e, agent, "d.1-l.0.1", dir, how{show: show})
	if where != "none" {
		t.Fatalf("the program got %q (%q)", where, end.GetMessage())
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

// The executor's sandbox given by a path through a link (MESOS_SANDBOX
// as the agent names it) is its own state all the same: a :dir there by
// its real path is refused, and one elsewhere runs.
func TestDirExecutorSandboxBehindLink(t *testing.T) {
	outside.Need(t, "sh", "sh")
	e, agent := testExecutor(t)
	real := e.cfg.Sandbox
	e.cfg.Sandbox = filepath.Join(t.TempDir(), "sandbox")
	if err := os.Symlink(real, e.cfg.Sandbox); err != nil {
		t.Fatal(err)
	}
	if where, end := inDir(t, e, agent, "d.1-a.0.1", filepath.Join(real, "mine"), how{}); where != "" || !strings.Contains(end.GetMessage(), "executor's sandbox") {
		t.Fatalf("ran in %q (%q), in the executor's sandbox", where, end.GetMessage())
	}
	elsewhere := evalSymlinks(t, t.TempDir())
	if where, end := inDir(t, e, agent, "d.2-b.0.1", elsewhere, how{}); where != elsewhere {
		t.Fatalf("ran in %q (%q), want %q", where, end.GetMessage(), elsewhere)
	}
}

// The directories Borges makes for a block's :dir, relative or the
// missing part of an absolute one, have one mode (workdir.Perm, 0755 as
// umask 022 leaves it), as on the local backend and as a command
// executor's `mkdir -p` makes them.
func TestDirMode(t *testing.T) { dirMode(t, inDir) }

func dirMode(t *testing.T, run runInDir) {
	outside.Need(t, "sh", "sh")
	old := unix.Umask(0o022)
	t.Cleanup(func() { unix.Umask(old) })
	e, agent := testExecutor(t)
	top := evalSymlinks(t, t.TempDir())
	box := filepath.Join(e.cfg.Sandbox, TasksDir, "d.1-m.0.1")
	for i, tc := range []struct{ dir, at, deep string }{
		{"made/deep", box, filepath.Join(box, "made", "deep")},
		{filepath.Join(top, "new", "deep"), top, filepath.Join(top, "new", "deep")},
	} {
		if where, end := run(t, e, agent, "d.1-m.0."+string(rune('1'+i)), tc.dir, how{}); where == "" {
			t.Fatalf(":dir %s: %q", tc.dir, end.GetMessage())
		}
		for d := tc.deep; d != tc.at; d = filepath.Dir(d) {
			fi, err := os.Stat(d)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o755 {
				t.Errorf(":dir %s: %s made %v, want 0755", tc.dir, d, fi.Mode().Perm())
			}
		}
	}
}

// A block shipped with its :dir to an executor older than its scheduler
// (one that knows no WorkDirLabel: it opens no :dir, and the task comes
// to it as if unlabelled) fails, running nothing, saying the executor is
// older than the server and what to do.
func TestDirOnOlderExecutor(t *testing.T) {
	outside.Need(t, "sh", "sh")
	e, agent := testExecutor(t)
	script := WorkDirStep + "echo ran\n"
	state, files := runBlock(t, e, agent, mesos.TaskInfo{TaskID: mesos.TaskID{Value: "d.1-o.0.1"}, Command: &mesos.CommandInfo{Value: &script}})
	if state != mesos.TASK_FAILED || files["stdout"] != "" {
		t.Fatalf("ran: %v %q", state, files["stdout"])
	}
	if msg := files["stderr"]; !strings.Contains(msg, "older than the Borges server") || !strings.Contains(msg, "#+mesos_executor") {
		t.Fatalf("its stderr %q says not that the executor is older than the server", msg)
	}
}

// The step, and its message to an older executor, read alike where an
// agent's /bin/sh is bash (as on Red Hat's systems), in its POSIX mode.
func TestDirStepUnderBash(t *testing.T) {
	bash := outside.Need(t, "bash", "bash")
	cmd := exec.Command(bash, "--posix", "-c", WorkDirStep+"echo ran")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), olderExecutor) {
		t.Fatalf("bash --posix: %v %q, want it to fail with %q", err, out, olderExecutor)
	}
	// And it enters the directory held, named as written.
	top := evalSymlinks(t, t.TempDir())
	real, link := filepath.Join(top, "real"), filepath.Join(top, "link")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	held, err := os.Open(real)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	cmd = exec.Command(bash, "--posix", "-c", WorkDirStep+`pwd; echo "$PWD"; pwd -P; if [ -e /proc/self/fd/3 ]; then echo open; else echo closed; fi`)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "BORGES_WORKDIR_FD=3", "BORGES_WORKDIR=" + link}
	cmd.ExtraFiles = []*os.File{held}
	out, err = cmd.CombinedOutput()
	// (pwd -P last: bash's sets PWD to the real path.) Descriptor 3 is
	// looked at by the shell itself, with its test builtin: a pipeline's
	// pipe would take the lowest free descriptor, 3 once closed, in the
	// shell while it forks.
	if want := link + "\n" + link + "\n" + real + "\nclosed\n"; err != nil || string(out) != want {
		t.Fatalf("bash --posix: %v %q, want %q", err, out, want)
	}
}

// A task with a :dir (WorkDirLabel) is a shell's, which enters it and
// closes its descriptor (WorkDirStep): one that is no shell command
// would get the descriptor unclosed, and is refused, nothing made.
func TestDirOnlyForShell(t *testing.T) {
	e, agent := testExecutor(t)
	dir := filepath.Join(evalSymlinks(t, t.TempDir()), "new")
	prog := "/bin/true"
	info := mesos.TaskInfo{TaskID: mesos.TaskID{Value: "d.1-s.0.1"}, Command: &mesos.CommandInfo{Shell: &[]bool{false}[0], Value: &prog},
		Labels: &mesos.Labels{Labels: []mesos.Label{{Key: WorkDirLabel, Value: strp(dir)}}}}
	state, _ := runBlock(t, e, agent, info)
	end := agent.end("d.1-s.0.1")
	if msg := end.GetMessage(); state != mesos.TASK_FAILED || !strings.Contains(msg, ":dir "+dir) || !strings.Contains(msg, "shell") {
		t.Fatalf("%v %q: not refused as no shell command", state, msg)
	}
	if _, err := os.Lstat(dir); err == nil {
		t.Fatalf("%s made", dir)
	}
}
