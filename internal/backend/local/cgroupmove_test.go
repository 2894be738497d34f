package local

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestProgramStartsInItsCgroup: the program's first process (the sh
// block's subshell, reading its own /proc entry with a builtin) is in
// the attempt's cgroup in every hierarchy Borges uses: the wrapper was
// moved there before it started anything.
func TestProgramStartsInItsCgroup(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	if b.cgroups == nil {
		t.Skipf("no cgroups here: %s", b.Enforcement())
	}
	a := attempt(`while read -r l; do echo "$l"; done </proc/self/cgroup`, nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	out, _, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	// "4:memory:/…/borges-test-X/d.bPID.0.N", "0::/…" on v2.
	in := map[string]bool{}
	for _, ln := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(ln, ":", 3)
		if len(parts) != 3 || !strings.HasSuffix(parts[2], "/"+a.ID) {
			continue
		}
		if parts[1] == "" {
			in[""] = true
		}
		for _, ctrl := range strings.Split(parts[1], ",") {
			in[ctrl] = true
		}
	}
	for ctrl := range b.cgroups.Dirs {
		if !in[ctrl] {
			t.Errorf("the program is not in its cgroup of hierarchy %q:\n%s", ctrl, out)
		}
	}
}

// TestNotInItsCgroupRunsNothing: a wrapper that cannot be moved into its
// cgroup (here a hierarchy standing for a real one, whose tasks and
// cgroup.procs cannot be written) starts nothing, and the attempt fails
// saying so: nothing runs outside its limits (it ran, unlimited, before).
func TestNotInItsCgroupRunsNothing(t *testing.T) {
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), CgroupParent: "-"})
	l := fakeV1(t)
	set, err := setupCgroups(l, "borges-x")
	if err != nil {
		t.Fatal(err)
	}
	b.cgroups = set
	a := attempt(`echo ran; echo ran > "$BORGES_SANDBOX/ran"`, nil)
	for _, f := range []string{"tasks", "cgroup.procs"} {
		if err := os.MkdirAll(filepath.Join(l.V1["memory"], "borges-x", a.ID, f), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	failedHavingRunNothing(t, b, r, a.ID, "could not enter its cgroup")
}

// failedHavingRunNothing waits for attempt id to fail saying why (the
// message holds each of why), its program (`echo ran`, then the file
// ran in its sandbox) having run nothing.
func failedHavingRunNothing(t *testing.T, b *Backend, r *recorder, id string, why ...string) {
	t.Helper()
	u := r.wait(t, id)
	if u.State != engine.Failed {
		t.Errorf("update = %+v, want a failure: %q", u, why)
	}
	for _, w := range why {
		if !strings.Contains(u.Message, w) {
			t.Errorf("update = %+v, want a failure: %q", u, why)
		}
	}
	if out, _, _ := b.ReadLog(context.Background(), id, "stdout", 0, 100); len(out) != 0 {
		t.Errorf("the program ran: stdout %q", out)
	}
	if _, err := os.Stat(filepath.Join(b.SandboxDir(id), "ran")); err == nil {
		t.Error("the program ran: it wrote its file")
	}
}

// TestDyingLeaveWaitsOnlyForTheDying: dyingLeave waits on the processes
// of an ended attempt's cgroup that its process group's kill hit, not on
// one that left the group (here a process of a group of its own, alive),
// which is left to the cgroup's kill; that empties the cgroup.
func TestDyingLeaveWaitsOnlyForTheDying(t *testing.T) {
	b, _ := newBackend(t, t.TempDir())
	if b.cgroups == nil {
		t.Skipf("no cgroups here: %s", b.Enforcement())
	}
	cg, err := b.cgroups.Create("d.dying.0.1", plan.Resources{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cg.Kill(); cg.Remove() })
	var cmds []*exec.Cmd
	for i := 0; i < 2; i++ {
		cmd := exec.Command("sleep", "1000")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		if err := cg.Add(cmd.Process.Pid); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	// The first is killed as its group (and reaped at once), the second,
	// of another group, lives on.
	syscall.Kill(-cmds[0].Process.Pid, syscall.SIGKILL)
	cmds[0].Wait()
	dyingLeave(cg, cmds[0].Process.Pid)
	if procs := cg.Procs(); len(procs) != 1 || procs[0] != cmds[1].Process.Pid {
		t.Fatalf("procs %v, want the living one, %d", procs, cmds[1].Process.Pid)
	}
	if !cg.Kill() {
		t.Fatalf("not emptied: %v", cg.Procs())
	}
}

// TestNotLetInRunsNothing: a wrapper that could not be told "in" at its
// gate (the write failed) starts nothing and ends, without a cgroup as
// with one, and its attempt fails saying so: it must not wait at its
// gate for ever, its attempt never ending.
func TestNotLetInRunsNothing(t *testing.T) {
	t.Cleanup(func() {
		letIn = func(life *os.File) error {
			_, err := life.Write([]byte("in\n"))
			return err
		}
	})
	letIn = func(*os.File) error { return errors.New("the write failed") }
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), CgroupParent: "-"})
	a := attempt(`echo ran; echo ran > "$BORGES_SANDBOX/ran"`, nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Kill(context.Background(), a.ID) })
	failedHavingRunNothing(t, b, r, a.ID, "could not start", "the write failed")
}

// TestGateHoldsWithoutItsVariable: the wrapper runs nothing until told
// "in" on fd 6, whatever its environment holds: a wrapper that skipped
// its gate would leave the "in" to its stand-in, which would take it for
// the server's end and copy the outputs alongside the server. Told
// nothing (the pipe ends), it exits 125 having run nothing.
func TestGateHoldsWithoutItsVariable(t *testing.T) {
	dir := t.TempDir()
	var ends []*os.File
	t.Cleanup(func() {
		for _, f := range ends {
			f.Close()
		}
	})
	var standIns [2]*os.File
	for i := range standIns {
		r, w, err := pipe()
		if err != nil {
			t.Fatal(err)
		}
		ends = append(ends, r, w)
		standIns[i] = r
	}
	lr, lw, err := pipe()
	if err != nil {
		t.Fatal(err)
	}
	ends = append(ends, lr)
	ran := filepath.Join(dir, "ran")
	cmd := exec.Command("/bin/sh", "-c", wrapper, "borges-run", filepath.Join(dir, "out"), "/bin/sh", "-c", `echo ran >"$1"`, "sh", ran)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "BORGES_EXIT_FILE=" + filepath.Join(dir, "a", "exit"),
		"BORGES_EXIT_LOG=" + filepath.Join(dir, "exit.log"), "BORGES_MAX_OUTPUT=100"}
	cmd.ExtraFiles = []*os.File{nil, standIns[0], standIns[1], lr}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		lw.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	lw.Close()
	err = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 125 {
		t.Errorf("the wrapper told nothing exited %d (%v), want 125", code, err)
	}
	if _, err := os.Stat(ran); err == nil {
		t.Error("the wrapper told nothing ran its program")
	}
}
