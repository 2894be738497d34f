package local

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// A start after an upgrade reads the attempts of an older Borges as they
// are: the exit file of one that ended while no server ran, and that of
// one still running under an older wrapper (no exit log in its
// environment), re-attached to.
func TestRecoverOldLayoutExits(t *testing.T) {
	dir := t.TempDir()
	ended := attempt("exit 7", nil)
	running := attempt("sleep 1; exit 5", nil)
	for _, a := range []*engine.Attempt{ended, running} {
		if err := os.MkdirAll(filepath.Join(dir, "attempts", a.ID, "sandbox"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "attempts", ended.ID, "exit"), []byte("7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// An older Borges' wrapper: its status into the exit file.
	startOlderWrapper(t, `sleep 1; echo 5 > "$BORGES_EXIT_FILE"`, nil, "BORGES_EXIT_FILE="+filepath.Join(dir, "attempts", running.ID, "exit"))

	b, r := newBackendConfig(t, Config{DataDir: dir, CgroupParent: "-"})
	if err := b.Recover(context.Background(), []*engine.Attempt{ended, running}); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, ended.ID); u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 7 {
		t.Fatalf("ended: %+v", u)
	}
	if u := r.wait(t, running.ID, engine.Running); !strings.Contains(u.Message, "re-attached") {
		t.Fatalf("running: %+v", u)
	}
	if u := r.wait(t, running.ID); u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 5 {
		t.Fatalf("running, once ended: %+v", u)
	}
}

// startOlderWrapper starts what an older Borges' wrapper is to a
// restarted server: a process group leader running script (with args)
// in env, killed with its group when the test ends.
func startOlderWrapper(t *testing.T, script string, args []string, env ...string) {
	t.Helper()
	cmd := exec.Command("/bin/sh", append([]string{"-c", script, "sh"}, args...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() { syscall.Kill(-pid, syscall.SIGKILL) })
	go cmd.Wait()
}

// A start deletes the exit logs nothing needs any more: none of the
// attempts it recovers is in them and no live process writes to them;
// it keeps those that hold an attempt it recovers, and its own.
// (One server a data directory: the second and third here stand for
// restarts.)
func TestExitLogsCleanedUp(t *testing.T) {
	dir := t.TempDir()
	first, r1 := newBackend(t, dir)
	done := attempt("exit 3", nil)
	if err := first.Launch(context.Background(), done); err != nil {
		t.Fatal(err)
	}
	r1.wait(t, done.ID)
	firstLog := first.exitLog
	if code, ok := loggedExit(firstLog, done.ID); !ok || code != 3 {
		t.Fatalf("first log: %d %v", code, ok)
	}

	// A start that recovers it keeps the log, and reads the status.
	second, r2 := newBackend(t, dir)
	if err := second.Recover(context.Background(), []*engine.Attempt{done}); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, done.ID); u.ExitCode == nil || *u.ExitCode != 3 {
		t.Fatalf("recovered: %+v", u)
	}
	if _, err := os.Stat(firstLog); err != nil {
		t.Fatalf("a log still needed was removed: %v", err)
	}

	// Stored since: the next start recovers nothing, and the log goes
	// (no process writes to it); the start's own stays.
	third, _ := newBackend(t, dir)
	if err := third.Recover(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(firstLog); !os.IsNotExist(err) {
		t.Fatalf("a log nothing needs was kept: %v", err)
	}
	if _, err := os.Stat(third.exitLog); err != nil {
		t.Fatalf("the start's own log: %v", err)
	}
}
