package local

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
	"github.com/wallyqs/borges/internal/terminal"
)

// sessionAttempt is an attempt of a block of session id (a shell session
// running shell, or Python).
func sessionAttempt(id, sessionID, kind, script string, cmd []string) *engine.Attempt {
	return &engine.Attempt{ID: id, Block: id, Script: script, Session: sessionID, Env: map[string]string{},
		Task: &plan.Task{Block: id, Resources: plan.Resources{CPUs: 0.1, MemMB: 64},
			Session: &plan.Session{Name: "s", Key: kind + ":s", Kind: kind, Command: cmd, Value: kind == "python"}}}
}

// runSession launches attempts one after the other, each once the one
// before it ended, and returns their updates.
func runSession(t *testing.T, b *Backend, r *recorder, attempts ...*engine.Attempt) []engine.Update {
	t.Helper()
	var out []engine.Update
	for _, a := range attempts {
		t.Cleanup(func() { b.CloseSession(context.Background(), a.Session) })
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		out = append(out, r.wait(t, a.ID))
	}
	return out
}

func readStream(t *testing.T, b *Backend, id, stream string) string {
	t.Helper()
	data, _, err := b.ReadLog(context.Background(), id, stream, 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestSessionBlocksShareAnInterpreter: the blocks of a session run in one
// shell, which keeps its variables and directory; each block's result is
// its standard output, read as ob-shell reads a session's output. A
// killed block takes its interpreter with it: the next block of that
// session id starts a fresh one.
func TestSessionBlocksShareAnInterpreter(t *testing.T) {
	// A HOME of no rc files: bash reads the server's (TestSessionStartFiles).
	t.Setenv("HOME", t.TempDir())
	b, r := newBackend(t, t.TempDir())
	cmd := session.Command(session.Shell, "bash", nil)
	outside.Need(t, "bash", "bash")
	u := runSession(t, b, r,
		sessionAttempt("d.1-a.0.1", "d/shell:s/1", "shell", "x=41\ncd /", cmd),
		sessionAttempt("d.2-b.0.1", "d/shell:s/1", "shell", "echo $((x+1)) $(pwd)", cmd))
	for _, x := range u {
		if x.State != engine.Finished {
			t.Fatalf("%+v", u)
		}
	}
	if got := readStream(t, b, "d.2-b.0.1", "stdout"); got != "42 /" {
		t.Fatalf("stdout %q", got)
	}
	// Standard error is the shell's transcript of the block, prompts
	// and all.
	if got := readStream(t, b, "d.2-b.0.1", "stderr"); !strings.HasPrefix(got, "42 /\n") || !strings.Contains(got, "org_babel_sh_eoe") {
		t.Fatalf("stderr %q", got)
	}

	slow := sessionAttempt("d.3-c.0.1", "d/shell:s/1", "shell", "sleep 600", cmd)
	if err := b.Launch(context.Background(), slow); err != nil {
		t.Fatal(err)
	}
	r.wait(t, slow.ID, engine.Running)
	b.mu.Lock()
	h := b.sessions["d/shell:s/1"]
	b.mu.Unlock()
	b.Kill(context.Background(), slow.ID)
	if got := r.wait(t, slow.ID); got.State != engine.Killed || got.Message != "killed on request" {
		t.Fatalf("killed block: %+v", got)
	}
	select {
	case <-h.done:
	case <-time.After(time.Minute):
		t.Fatal("the interpreter outlived the kill of its block")
	}
	u = runSession(t, b, r, sessionAttempt("d.4-e.0.1", "d/shell:s/1", "shell", "echo \"[$x]\"", cmd))
	if got := readStream(t, b, "d.4-e.0.1", "stdout"); u[0].State != engine.Finished || got != "\n[]" { // a fresh session: its first prompt, as in Emacs
		t.Fatalf("after the kill: %+v %q", u, got)
	}
}

// TestSessionTimeoutAndEnd: a block's :timeout stops its session; a block
// that ends the interpreter fails saying so; CloseSession ends it.
func TestSessionTimeoutAndEnd(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	cmd := session.Command(session.Shell, "sh", nil)
	slow := sessionAttempt("d.1-a.0.1", "d/shell:s/1", "shell", "sleep 600", cmd)
	slow.Task.Timeout = 300 * time.Millisecond
	u := runSession(t, b, r, slow)
	if u[0].State != engine.Failed || u[0].Message != "timed out after 300ms (its session's interpreter is stopped)" || !u[0].TimedOut {
		t.Fatalf("%+v", u[0])
	}
	u = runSession(t, b, r, sessionAttempt("d.2-b.0.1", "d/shell:s/2", "shell", "exit 3", cmd))
	if u[0].State != engine.Failed || !strings.HasPrefix(u[0].Message, "its session's interpreter ended (exit status 3)") {
		t.Fatalf("%+v", u[0])
	}
	runSession(t, b, r, sessionAttempt("d.3-c.0.1", "d/shell:s/3", "shell", "true", cmd))
	b.mu.Lock()
	h := b.sessions["d/shell:s/3"]
	b.mu.Unlock()
	b.CloseSession(context.Background(), "d/shell:s/3")
	select {
	case <-h.done:
	case <-time.After(time.Minute):
		t.Fatal("CloseSession left the interpreter running")
	}
}

// TestPythonSessionValue: a Python block's value goes to its value file,
// what it printed to its standard output.
func TestPythonSessionValue(t *testing.T) {
	py := outside.Need(t, "python3", "python3")
	b, r := newBackend(t, t.TempDir())
	cmd := session.Command(session.Python, "", []string{py})
	runSession(t, b, r,
		sessionAttempt("d.1-a.0.1", "d/python:s/1", "python", "import os\nx = [1, 2]\nprint('set')", cmd),
		sessionAttempt("d.2-b.0.1", "d/python:s/1", "python", "print('len')\nx + [len(x)]", cmd))
	if got := readStream(t, b, "d.2-b.0.1", "value"); got != "[1, 2, 2]" {
		t.Fatalf("value %q", got)
	}
	if got := readStream(t, b, "d.2-b.0.1", "stdout"); got != "len" {
		t.Fatalf("stdout %q", got)
	}
}

// TestSessionInContainer: with :dockerize, the session's interpreter is a
// container of its own, fed through its attached standard input; the
// same with the static helper (Config.UnsetHelper) first, which checks
// the mounts, then runs the terminal's step.
func TestSessionInContainer(t *testing.T) {
	cli := outside.Docker(t)
	for name, helper := range map[string]string{"shell": "", "helper": staticUnsetHelper(t)} {
		t.Run(name, func(t *testing.T) { sessionInContainer(t, cli, helper) })
	}
}

func sessionInContainer(t *testing.T, cli *client.Client, helper string) {
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: "borges-test", UnsetHelper: helper})
	cmd := session.Command(session.Shell, "sh", nil)
	mk := func(id, script string) *engine.Attempt {
		a := sessionAttempt(id, "d/shell:c/1", "shell", script, cmd)
		a.Task.Container = &plan.Container{Image: outside.TestImage, Kind: "docker"}
		return a
	}
	u := runSession(t, b, r, mk("d.1-a.0.1", "x=7"), mk("d.2-b.0.1", "echo x=$x in $BORGES_SANDBOX"))
	for _, x := range u {
		if x.State != engine.Finished {
			t.Fatalf("%+v", u)
		}
	}
	if got := readStream(t, b, "d.2-b.0.1", "stdout"); got != "x=7 in /mnt/borges" {
		t.Fatalf("stdout %q", got)
	}
	// It runs on the container's terminal, set as Emacs sets one (by
	// the image's stty), whose window has no size: BusyBox's stty,
	// which cannot say 0 0, fails to read it (COLUMNS, which it would
	// answer with, unset; what it says after the colon varies).
	probe := strings.Replace(terminalProbe, "stty size", "(unset COLUMNS; stty size 2>&1 | cut -d: -f1-2)", 1)
	runSession(t, b, r, mk("d.3-c.0.1", probe))
	if got, want := readStream(t, b, "d.3-c.0.1", "stdout"), "terminal\n"+terminal.Stty()+"\nstty: standard input\ndumb 80 []"; got != want {
		t.Fatalf("on its terminal: got %q, want %q", got, want)
	}
	b.CloseSession(context.Background(), "d/shell:c/1")
	for i := 0; len(containersOf(t, cli, b)) > 0; i++ {
		if i == 600 {
			t.Fatalf("the session's container is left: %+v", containersOf(t, cli, b))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// terminalProbe is a shell block that says whether its standard input,
// output and error are a terminal, the terminal's settings (stty -g) and
// window, and what the environment says of it.
const terminalProbe = `[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo terminal; stty -g; stty size; echo "$TERM $COLUMNS [$TERMCAP]"`

// TestSessionOnTerminal: a session's interpreter runs on a terminal set
// as Emacs sets it (package terminal), whose window has no size, with
// comint's environment; a Python block longer than a terminal's line is
// whole.
func TestSessionOnTerminal(t *testing.T) {
	py := outside.Need(t, "python3", "python3")
	b, r := newBackend(t, t.TempDir())
	sh := session.Command(session.Shell, "sh", nil)
	runSession(t, b, r,
		sessionAttempt("d.1-a.0.1", "d/shell:t/1", "shell", "true", sh),
		sessionAttempt("d.2-b.0.1", "d/shell:t/1", "shell", terminalProbe, sh))
	if got, want := readStream(t, b, "d.2-b.0.1", "stdout"), "terminal\n"+terminal.Stty()+"\n0 0\ndumb 80 []"; got != want {
		t.Fatalf("shell: got %q, want %q", got, want)
	}
	pyCmd := session.Command(session.Python, "", []string{py})
	long := strings.Repeat("y", 5000)
	a := sessionAttempt("d.3-c.0.1", "d/python:t/1", "python", "import os, sys\nprint(sys.stdin.isatty(), sys.stdout.isatty(), sys.stderr.isatty(), os.get_terminal_size())\nlen('"+long+"')", pyCmd)
	runSession(t, b, r, a)
	if got, want := readStream(t, b, a.ID, "stdout"), "True True True os.terminal_size(columns=0, lines=0)"; got != want {
		t.Fatalf("python: got %q, want %q", got, want)
	}
	if got := readStream(t, b, a.ID, "value"); got != "5000" {
		t.Fatalf("python: value %q", got)
	}
}
