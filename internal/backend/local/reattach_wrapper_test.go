package local

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/proctest"
)

// A task that daemonizes (a double fork and setsid: its daemon's parent
// ends, as ssh-agent, daemon(3), redis --daemonize do) while its wrapper
// runs: restarted, the server re-attaches to the wrapper, named on disk
// by pid and start, and leaves the daemon alone, naming it in its log.
func TestRecoverReattachesADaemonizingTasksWrapper(t *testing.T) {
	logged := &proctest.SyncBuffer{}
	first, r1 := newBackend(t, t.TempDir())
	a := attempt(`sh -c 'setsid sleep 1001 </dev/null >/dev/null 2>&1 &'; sleep 1000`, nil)
	wrapper := launchedRunning(t, first, r1, a)
	daemon := leaderCarrying(t, first, a.ID, wrapper)
	t.Cleanup(func() { syscall.Kill(-daemon, syscall.SIGKILL) })
	second, r2 := newBackendConfig(t, Config{DataDir: first.cfg.DataDir, KillGrace: first.cfg.KillGrace, CgroupParent: "borges-test", Logger: slog.New(slog.NewTextHandler(logged, nil))})
	if err := second.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r2.of(a.ID); len(u) != 1 || u[0].State != engine.Running || u[0].Message != "re-attached to pid "+strconv.Itoa(wrapper) {
		t.Errorf("Recover reported %+v, want it re-attached to the wrapper %d", u, wrapper)
	}
	if p, ok := proclist.Of(wrapper); !ok || p.Zombie() {
		t.Errorf("the attempt's wrapper %d was killed", wrapper)
	}
	if p, ok := proclist.Of(daemon); !ok || p.Zombie() {
		t.Errorf("the task's daemon %d was killed", daemon)
	}
	notWrapperLogged(t, logged, a.ID, daemon)
}

// The wrapper named on disk is taken, and no other process carrying the
// attempt's exit file, whenever it started: neither one older than the
// launch nor one started since (two candidates, neither the other's
// ancestor, which without the name are refused). Each other is named in
// the log, once, and lives on.
func TestRecoverTakesTheNamedWrapperOnly(t *testing.T) {
	b, r, logged := loggingNoCgroups(t)
	a := attempt("exit 0", nil)
	older, wrapper := olderThenWrapper(t, b, a)
	_, later := reattachable(t, b, a.ID)
	if err := b.recordWrapper(a.ID, wrapper); err != nil {
		t.Fatal(err)
	}
	if p := reattached(t, b, r, a); p.pid != wrapper {
		t.Fatalf("re-attached to pid %d, want the wrapper %d", p.pid, wrapper)
	}
	notWrapperLogged(t, logged, a.ID, older)
	notWrapperLogged(t, logged, a.ID, later)
	if strings.Contains(logged.String(), "started before the attempt's launch") || strings.Contains(logged.String(), "none is re-attached to") {
		t.Errorf("the rules for an attempt whose wrapper is not named were applied:\n%s", logged.String())
	}
	for _, pid := range []int{older, later} {
		if p, ok := proclist.Of(pid); !ok || p.Zombie() {
			t.Errorf("%d was killed", pid)
		}
	}
}

// Its wrapper named on disk gone, no status logged, one process carrying
// the attempt's exit file started since the launch: the attempt is lost,
// the process not re-attached to (it is named in the log).
func TestRecoverNamedWrapperGoneIsLost(t *testing.T) {
	b, r, logged := loggingNoCgroups(t)
	a := attempt("exit 0", nil)
	a.LaunchTicks = proclist.BootTicks()
	end, wrapper := reattachable(t, b, a.ID)
	if err := b.recordWrapper(a.ID, wrapper); err != nil {
		t.Fatal(err)
	}
	end()
	_, claimant := reattachable(t, b, a.ID)
	lostNotTo(t, b, r, logged, a, claimant)
}

// A wrapper named on disk in another boot of the machine ended with it:
// a process now carrying the attempt's exit file, with the pid and start
// its wrapper log's line (or its file of the layout before the logs)
// names (both counted again from the boot), is not re-attached to; the
// attempt is lost.
func TestRecoverWrapperOfAnotherBootIsGone(t *testing.T) {
	if machineBoot() == "" {
		t.Skip("no boot id here")
	}
	for _, inLog := range []bool{true, false} {
		t.Run(map[bool]string{true: "log", false: "file"}[inLog], func(t *testing.T) {
			b, r, logged := loggingNoCgroups(t)
			a := attempt("exit 0", nil)
			_, claimant := reattachable(t, b, a.ID)
			start, err := processStart(claimant)
			if err != nil {
				t.Fatal(err)
			}
			if inLog {
				writeWrapperLog(t, b, "1-1", fmt.Sprintf("%d %d another-boot %s\n", claimant, start, a.ID))
			} else {
				root, name := b.wrapperFile(a.ID)
				if err := os.WriteFile(filepath.Join(root, name), []byte(fmt.Sprintf("%d %d another-boot\n", claimant, start)), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			lostNotTo(t, b, r, logged, a, claimant)
		})
	}
}

// The wrapper gone, its status logged (3); one process started since
// the launch carries its exit file, and the wrapper is not named on disk
// (an older Borges' attempt): the logged status wins, the process is not
// re-attached to (its end would be taken for the attempt's), and it
// lives on.
func TestRecoverLoggedStatusWinsOverALateClaimant(t *testing.T) {
	b, r, logged := loggingNoCgroups(t)
	a := attempt("exit 0", nil)
	a.LaunchTicks = proclist.BootTicks()
	if err := os.MkdirAll(exitsDir(b.cfg.DataDir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(exitsDir(b.cfg.DataDir), "old"), []byte("3 "+a.ID+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, claimant := reattachable(t, b, a.ID)
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r.of(a.ID); len(u) != 1 || u[0].State != engine.Failed || u[0].ExitCode == nil || *u[0].ExitCode != 3 {
		t.Errorf("Recover reported %+v, want it failed (exit 3, logged), not re-attached to %d", u, claimant)
	}
	if p, ok := proclist.Of(claimant); !ok || p.Zombie() {
		t.Errorf("the claimant %d was killed", claimant)
	}
	if log := logged.String(); !strings.Contains(log, "whose status is logged") || !strings.Contains(log, "pid="+strconv.Itoa(claimant)) {
		t.Errorf("the log does not name the claimant %d:\n%s", claimant, log)
	}
}

// Attempt B's task claims ended attempt A's identity (started after A's
// launch, in B's cgroup). Restarted, the server reports A's logged end
// (exit 3) and re-attaches B to its wrapper: nothing of B is killed, as
// it was when A was re-attached to the claimant and A's end killed the
// cgroup it found it in, B's.
func TestRecoverClaimantOfAnEndedAttemptIsNotReattached(t *testing.T) {
	first, r1 := newBackend(t, t.TempDir())
	if first.cgroups == nil {
		t.Skip("no cgroups")
	}
	a := attempt("exit 3", nil)
	a.LaunchTicks = proclist.BootTicks()
	if err := first.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r1.wait(t, a.ID, engine.Failed)
	bb := attempt(fmt.Sprintf(`BORGES_EXIT_FILE=%s setsid sleep 1002 & sleep 1000`, first.exitFile(a.ID)), nil)
	wrapperB := launchedRunning(t, first, r1, bb)
	claimant := leaderCarrying(t, first, a.ID, 0)
	second, r2 := newBackend(t, first.cfg.DataDir)
	if err := second.Recover(context.Background(), []*engine.Attempt{a, bb}); err != nil {
		t.Fatal(err)
	}
	second.mu.Lock()
	pa := second.procs[a.ID]
	second.mu.Unlock()
	if pa != nil {
		t.Fatalf("A (ended, status 3 logged) re-attached to pid %d (B's claimant %d)", pa.pid, claimant)
	}
	until(t, "A's end is reported", func() bool { return len(r2.of(a.ID)) > 0 })
	if u := r2.of(a.ID); len(u) != 1 || u[0].State != engine.Failed || u[0].ExitCode == nil || *u[0].ExitCode != 3 {
		t.Errorf("A: %+v, want it failed, exit 3", u)
	}
	if u := r2.of(bb.ID); len(u) != 1 || u[0].State != engine.Running {
		t.Errorf("B: %+v, want it re-attached", u)
	}
	for _, pid := range []int{wrapperB, claimant} {
		if p, ok := proclist.Of(pid); !ok || p.Zombie() {
			t.Errorf("B's process %d was killed", pid)
		}
	}
}

// Launch names the wrapper in its run's wrapper log, by pid, start and
// boot id, with the identity of the exit log it is given (which marks
// it flat), and makes no file of its own for it (the layout before the
// logs had ID.wrapper beside the outputs).
func TestLaunchNamesItsWrapper(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	a := attempt("sleep 1000", nil)
	pid := launchedRunning(t, b, r, a)
	start, err := processStart(pid)
	if err != nil {
		t.Fatal(err)
	}
	if w, ok := b.recordedWrapper(a.ID); !ok || w != (wrapperID{pid: pid, start: start, exit: b.exitID, flat: true}) {
		t.Errorf("the wrapper named on disk is %+v (%v), want pid %d start %d", w, ok, pid, start)
	}
	logs, _ := filepath.Glob(filepath.Join(b.cfg.DataDir, "wrappers", "*"))
	boot := machineBoot()
	if boot == "" {
		boot = "-"
	}
	want := fmt.Sprintf("%d %d %s %s %d %d\n", pid, start, boot, a.ID, b.exitID.dev, b.exitID.ino)
	if len(logs) != 1 {
		t.Fatalf("wrapper logs %v, want this run's", logs)
	}
	if data, err := os.ReadFile(logs[0]); err != nil || string(data) != want {
		t.Errorf("the wrapper log holds %q (%v), want %q", data, err, want)
	}
	root, name := b.wrapperFile(a.ID)
	for _, n := range []string{name, name + ".new"} {
		if _, err := os.Lstat(filepath.Join(root, n)); !os.IsNotExist(err) {
			t.Errorf("a file %s was made for the wrapper (%v)", n, err)
		}
	}
	if err := b.Kill(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID, engine.Killed)
}

// Restarted, the server takes the wrapper a previous run's wrapper log
// names, and no other process carrying the attempt's exit file (one
// older than the launch, one started since); a line cut short (a crash
// of the machine while it was written, the last) names none.
func TestRecoverTakesTheWrapperTheLogNames(t *testing.T) {
	b, r, logged := loggingNoCgroups(t)
	a := attempt("exit 0", nil)
	older, wrapper := olderThenWrapper(t, b, a)
	_, later := reattachable(t, b, a.ID)
	start, err := processStart(wrapper)
	if err != nil {
		t.Fatal(err)
	}
	olderStart, err := processStart(older)
	if err != nil {
		t.Fatal(err)
	}
	lines := fmt.Sprintf("%d %d %s %s\n%d %d %s %s", wrapper, start, machineBoot(), a.ID, older, olderStart, machineBoot(), a.ID)
	writeWrapperLog(t, b, "1-1", lines)
	if p := reattached(t, b, r, a); p.pid != wrapper {
		t.Fatalf("re-attached to pid %d, want the wrapper %d", p.pid, wrapper)
	}
	notWrapperLogged(t, logged, a.ID, older)
	notWrapperLogged(t, logged, a.ID, later)
}

// An attempt of the Borges before the wrapper logs has its wrapper named
// in ID.wrapper beside its outputs (a restart across an upgrade): it is
// taken, and no other process carrying the attempt's exit file; removing
// the attempt removes the file.
func TestRecoverTakesTheWrapperAnOldFileNames(t *testing.T) {
	b, r, logged := loggingNoCgroups(t)
	a := attempt("exit 0", nil)
	older, wrapper := olderThenWrapper(t, b, a)
	start, err := processStart(wrapper)
	if err != nil {
		t.Fatal(err)
	}
	root, name := b.wrapperFile(a.ID)
	if err := os.WriteFile(filepath.Join(root, name), []byte(fmt.Sprintf("%d %d %s\n", wrapper, start, machineBoot())), 0o600); err != nil {
		t.Fatal(err)
	}
	if p := reattached(t, b, r, a); p.pid != wrapper {
		t.Fatalf("re-attached to pid %d, want the wrapper %d", p.pid, wrapper)
	}
	notWrapperLogged(t, logged, a.ID, older)
	if err := b.Kill(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID, engine.Killed)
	if err := b.RemoveAttempts(context.Background(), []string{a.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(root, name)); !os.IsNotExist(err) {
		t.Errorf("the wrapper's file is left after the removal (%v)", err)
	}
}

// The wrapper logs do not grow with the attempts: at a start, a previous
// run's log that names none of the attempts recovered is deleted (they
// ended and were stored, or were removed), one that names one is kept,
// and this run's is kept.
func TestRecoverDropsWrapperLogsNothingNeeds(t *testing.T) {
	b, _, _ := loggingNoCgroups(t)
	a := attempt("exit 0", nil)
	writeWrapperLog(t, b, "1-1", "1234 5 - d.gone.0.1\n")
	writeWrapperLog(t, b, "2-2", "1234 5 - d.gone.0.2\n1235 6 - "+a.ID+"\n")
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	logs, _ := filepath.Glob(filepath.Join(wrappersDir(b.cfg.DataDir), "*"))
	want := []string{filepath.Join(wrappersDir(b.cfg.DataDir), "2-2"), b.wrappers.path}
	slices.Sort(want)
	if !slices.Equal(logs, want) {
		t.Errorf("wrapper logs left %v, want %v", logs, want)
	}
}

// A wrapper whose name could not be appended to the wrapper log is held
// at its gate: its attempt fails, having started nothing.
func TestWrapperUnnamedStartsNothing(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	ro, err := os.Open(b.wrappers.path) // writes to it fail
	if err != nil {
		t.Fatal(err)
	}
	b.wrappers.mu.Lock()
	b.wrappers.f.Close()
	b.wrappers.f = ro
	b.wrappers.mu.Unlock()
	a := attempt("echo ran > ran", nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Failed || !strings.Contains(u.Message, "could not start") {
		t.Errorf("the attempt ended %+v, want it failed, held at its gate", u)
	}
	if _, err := os.Stat(filepath.Join(b.SandboxDir(a.ID), "ran")); err == nil {
		t.Error("the program ran")
	}
}

// A link where an old layout's wrapper file is read names no wrapper
// (the rules of an unnamed one apply).
func TestWrapperFileRefusesLinks(t *testing.T) {
	b, _ := newBackend(t, t.TempDir())
	c := attempt("exit 0", nil)
	_, other := reattachable(t, b, c.ID)
	start, err := processStart(other)
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "target")
	if err := os.WriteFile(target, []byte(fmt.Sprintf("%d %d\n", other, start)), 0o600); err != nil {
		t.Fatal(err)
	}
	croot, cname := b.wrapperFile(c.ID)
	if err := os.MkdirAll(croot, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(croot, cname)); err != nil {
		t.Fatal(err)
	}
	if w, ok := b.recordedWrapper(c.ID); ok {
		t.Errorf("a link names the wrapper %+v", w)
	}
}

// writeWrapperLog writes a previous run's wrapper log, name, holding
// lines.
func writeWrapperLog(t *testing.T, b *Backend, name, lines string) {
	t.Helper()
	if err := os.MkdirAll(wrappersDir(b.cfg.DataDir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wrappersDir(b.cfg.DataDir), name), []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
}

// recordedWrapper is attempt id's wrapper as Recover finds it named: in
// a wrapper log, else in its file of the layout before the logs.
func (b *Backend) recordedWrapper(id string) (wrapperID, bool) {
	var w wrapperID
	found := false
	logs, _ := filepath.Glob(filepath.Join(wrappersDir(b.cfg.DataDir), "*"))
	for _, path := range logs {
		scanWrapperLog(path, func(got string, named wrapperID) {
			if got == id {
				w, found = named, true
			}
		})
	}
	if found {
		return w, true
	}
	return b.recordedWrapperFile(id)
}

// notWrapperLogged checks that the log names pid, once, as a process
// carrying attempt id's identity that is not its wrapper.
func notWrapperLogged(t *testing.T, logged *proctest.SyncBuffer, id string, pid int) {
	t.Helper()
	n := 0
	for _, line := range strings.Split(logged.String(), "\n") {
		if strings.Contains(line, "is not its wrapper") && strings.Contains(line, "attempt="+id) && strings.Contains(line, " pid="+strconv.Itoa(pid)+" ") {
			n++
			if !strings.Contains(line, "level=WARN") {
				t.Errorf("not a warning: %s", line)
			}
		}
	}
	if n != 1 {
		t.Errorf("the log names %d as not the wrapper %d times, want once:\n%s", pid, n, logged.String())
	}
}

// removeWrapperFile forgets where attempt id's wrapper is named, as for
// an attempt of an older Borges: its lines in the wrapper logs (rewritten
// without them) and its file of the layout before the logs, if any.
func removeWrapperFile(b *Backend, id string) error {
	logs, _ := filepath.Glob(filepath.Join(wrappersDir(b.cfg.DataDir), "*"))
	for _, path := range logs {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var kept []string
		for _, line := range strings.SplitAfter(string(data), "\n") {
			// PID START BOOT ID [DEV INO]
			if f := strings.Fields(line); len(f) < 4 || f[3] != id {
				kept = append(kept, line)
			}
		}
		if err := os.WriteFile(path, []byte(strings.Join(kept, "")), 0o600); err != nil {
			return err
		}
	}
	root, name := b.wrapperFile(id)
	if err := os.Remove(filepath.Join(root, name)); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

// launchedRunning launches a, its launch's ticks stamped first, waits
// until it runs, and returns its wrapper's pid.
func launchedRunning(t *testing.T, b *Backend, r *recorder, a *engine.Attempt) int {
	t.Helper()
	a.LaunchTicks = proclist.BootTicks()
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID, engine.Running)
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.procs[a.ID].pid
}

// leaderCarrying waits for a process-group leader other than except
// that carries attempt id's exit file and runs sleep (a task's "setsid
// sleep"), and returns its pid. setsid leads its group before it execs
// sleep: listed in the middle of the exec, its environment is not read,
// and Recover would put it off as a process not yet known, not name it.
// Its command line is set with its environment, at the end of the exec.
func leaderCarrying(t *testing.T, b *Backend, id string, except int) int {
	t.Helper()
	var found int
	until(t, "a process carrying the exit file of "+id+" leads a group and runs sleep", func() bool {
		for _, pid := range proctest.WithEnv("BORGES_EXIT_FILE=" + b.exitFile(id)) {
			cmdline, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
			if !strings.HasPrefix(string(cmdline), "sleep\x00") {
				continue
			}
			if pg, err := syscall.Getpgid(pid); err == nil && pg == pid && pid != except {
				found = pid
				return true
			}
		}
		return false
	})
	return found
}

// olderThenWrapper starts a process carrying attempt a's exit file,
// stamps a's launch a tick later, and starts another, its wrapper to be.
func olderThenWrapper(t *testing.T, b *Backend, a *engine.Attempt) (older, wrapper int) {
	t.Helper()
	_, older = reattachable(t, b, a.ID)
	waitTick(t, older)
	a.LaunchTicks = proclist.BootTicks()
	_, wrapper = reattachable(t, b, a.ID)
	return older, wrapper
}

// lostNotTo recovers a and checks that it is reported lost, claimant
// not re-attached to but named in the log as not its wrapper.
func lostNotTo(t *testing.T, b *Backend, r *recorder, logged *proctest.SyncBuffer, a *engine.Attempt, claimant int) {
	t.Helper()
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r.of(a.ID); len(u) != 1 || u[0].State != engine.Lost {
		t.Errorf("Recover reported %+v, want it lost, not re-attached to %d", u, claimant)
	}
	notWrapperLogged(t, logged, a.ID, claimant)
}

// An older Borges' attempt (its wrapper not named on disk) whose status
// is logged while its wrapper still runs, or while its stand-in (in its
// process group) still copies its outputs: restarted, the server reports
// the end once the wrapper and its group have ended, its outputs whole,
// and neither kills the wrapper nor re-attaches to it.
func TestRecoverWaitsForAnUnnamedWrapperFinishing(t *testing.T) {
	for _, tc := range []struct{ name, script string }{
		{"the wrapper copies", `read -r _; echo tail >>"$1"; exit 3`},
		// The stand-in appends once the wrapper has exited (and been
		// reaped: kill -0 fails).
		{"its stand-in copies", `exec 3<&0; (read -r _ <&3; while kill -0 $$ 2>/dev/null; do sleep 0.01; done; echo tail >>"$1") & read -r _; exit 3`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The wait ends with the wrapper's group: its bound, made
			// long, is never reached on a loaded machine.
			boundEnds(t, time.Minute)
			b, r, _ := loggingNoCgroups(t)
			a := attempt("exit 3", nil)
			a.LaunchTicks = proclist.BootTicks()
			stdout, log := olderEnded(t, b, a.ID, 3)
			release, pid, exited := finishingWrapper(t, b, a.ID, log, stdout, tc.script)
			oldHook := waitingForEnds
			waitingForEnds = func(pids []int) {
				if slices.Contains(pids, pid) {
					release()
				}
			}
			t.Cleanup(func() { waitingForEnds = oldHook })
			if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
				t.Fatal(err)
			}
			if u := r.of(a.ID); len(u) != 1 || u[0].State != engine.Failed || u[0].ExitCode == nil || *u[0].ExitCode != 3 {
				t.Errorf("Recover reported %+v, want it failed (exit 3, logged)", u)
			}
			if data, _ := os.ReadFile(stdout); string(data) != "head\ntail\n" {
				t.Errorf("the end was reported with stdout %q, before its wrapper %d had finished (want %q)", data, pid, "head\ntail\n")
			}
			b.mu.Lock()
			p := b.procs[a.ID]
			b.mu.Unlock()
			if p != nil {
				t.Errorf("re-attached to pid %d", p.pid)
			}
			if ok, err := exited(); !ok {
				t.Errorf("the end was reported while its wrapper %d ran", pid)
			} else if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 3 {
				t.Errorf("the wrapper ended %v, want exit status 3 (not killed)", err)
			}
		})
	}
}

// A process carrying the identity of an older Borges' attempt whose
// status it logged (by its environment), that does not end (a daemon of
// the task): past the wait, the attempt's end is reported, the process
// named in the log, not re-attached to and not killed. Where it has
// ended, leaving a job of its task in its process group, the log names
// the group, not the process gone.
func TestRecoverUnnamedProcessThatDoesNotEndIsLeft(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		ends         bool
	}{
		{"the process runs on", `read -r _; exit 3`, false},
		{"its group has processes", `sleep 1000 & read -r _; exit 3`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			boundEnds(t, 50*time.Millisecond)
			b, r, logged := loggingNoCgroups(t)
			a := attempt("exit 3", nil)
			a.LaunchTicks = proclist.BootTicks()
			stdout, log := olderEnded(t, b, a.ID, 3)
			release, pid, exited := finishingWrapper(t, b, a.ID, log, stdout, tc.script)
			if tc.ends {
				oldHook := waitingForEnds
				waitingForEnds = func([]int) {
					release()
					until(t, "the process exited", func() bool { ok, _ := exited(); return ok })
				}
				t.Cleanup(func() { waitingForEnds = oldHook })
			}
			if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
				t.Fatal(err)
			}
			if u := r.of(a.ID); len(u) != 1 || u[0].State != engine.Failed || u[0].ExitCode == nil || *u[0].ExitCode != 3 {
				t.Errorf("Recover reported %+v, want it failed (exit 3, logged), not re-attached to %d", u, pid)
			}
			text := logged.String()
			if tc.ends {
				if strings.Contains(text, "did not end") || !strings.Contains(text, "process group still has processes") || !strings.Contains(text, "pgid="+strconv.Itoa(pid)+" ") {
					t.Errorf("the log does not name the group %d (its leader ended) alone:\n%s", pid, text)
				}
				return
			}
			if ok, err := exited(); ok {
				t.Errorf("the process %d ended (%v): killed", pid, err)
			}
			if !strings.Contains(text, "did not end") || !strings.Contains(text, "pid="+strconv.Itoa(pid)) {
				t.Errorf("the log does not name the process %d:\n%s", pid, text)
			}
		})
	}
}

// olderEnded makes attempt id an older Borges' that ended with status
// code, logged: its sandbox and its stdout ("head\n"), no wrapper file,
// its status in an exit log. It returns the paths of its stdout and of
// the log.
func olderEnded(t *testing.T, b *Backend, id string, code int) (stdout, log string) {
	t.Helper()
	if err := b.makeSandbox(id); err != nil {
		t.Fatal(err)
	}
	dir, name := b.locate(id, "stdout")
	stdout = dir.Join(name)
	if err := os.MkdirAll(filepath.Dir(stdout), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stdout, []byte("head\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(exitsDir(b.cfg.DataDir), 0o700); err != nil {
		t.Fatal(err)
	}
	log = filepath.Join(exitsDir(b.cfg.DataDir), "old")
	if err := os.WriteFile(log, []byte(fmt.Sprintf("%d %s\n", code, id)), 0o600); err != nil {
		t.Fatal(err)
	}
	return stdout, log
}

// finishingWrapper starts what a restarted server takes for attempt id's
// wrapper, having logged its status in log: a process group leader with
// the wrapper's environment running script ($1 is stdout), which is
// released by the end of its standard input. exited gives its end.
func finishingWrapper(t *testing.T, b *Backend, id, log, stdout, script string) (release func(), pid int, exited func() (bool, error)) {
	t.Helper()
	cmd := exec.Command("sh", "-c", script, "sh", stdout, proctest.Marker(t))
	cmd.Env = append(os.Environ(), "BORGES_EXIT_FILE="+b.exitFile(id), "BORGES_EXIT_LOG="+log)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }() // reaped at once, as by the init a dead server's orphans go to
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		in.Close()
		<-done
	})
	// Listed in the middle of its exec, it would not be seen as carrying
	// the exit file (Recover looks again only for an attempt missing).
	// Its command line is set with its environment, at the end of the
	// exec (its name, earlier).
	until(t, "the wrapper runs its shell", func() bool {
		cmdline, _ := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/cmdline")
		return strings.HasPrefix(string(cmdline), "sh\x00-c\x00")
	})
	var once sync.Once
	return func() { once.Do(func() { in.Close() }) }, cmd.Process.Pid, func() (bool, error) {
		select {
		case <-done:
			return true, waitErr
		default:
			return false, nil
		}
	}
}

// Older Borges' attempts whose wrappers have ended, each leaving a
// background job of its task in its process group: awaitEnds reads the
// list of processes once a pass for them all, not once an attempt.
func TestRecoverAwaitsGroupsWithOneScanAPass(t *testing.T) {
	boundEnds(t, 200*time.Millisecond)
	b, r, _ := loggingNoCgroups(t)
	const n = 4
	var as []*engine.Attempt
	var releases []func()
	var exits []func() (bool, error)
	for i := 0; i < n; i++ {
		a := attempt("exit 3", nil)
		a.LaunchTicks = proclist.BootTicks()
		stdout, log := olderEnded(t, b, a.ID, 3)
		release, _, exited := finishingWrapper(t, b, a.ID, log, stdout, `sleep 1000 & read -r _; exit 3`)
		as, releases, exits = append(as, a), append(releases, release), append(exits, exited)
	}
	// All the statuses in the one log (olderEnded writes it anew).
	var lines string
	for _, a := range as {
		lines += "3 " + a.ID + "\n"
	}
	if err := os.WriteFile(filepath.Join(exitsDir(b.cfg.DataDir), "old"), []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	scans, passes, counting := 0, 0, false
	oldWaiting, oldPassed, oldScanning := waitingForEnds, endsPassed, scanningGroups
	t.Cleanup(func() { waitingForEnds, endsPassed, scanningGroups = oldWaiting, oldPassed, oldScanning })
	waitingForEnds = func([]int) {
		for _, f := range releases {
			f()
		}
		for _, exited := range exits {
			until(t, "a wrapper exited", func() bool { ok, _ := exited(); return ok })
		}
		mu.Lock()
		counting = true
		mu.Unlock()
	}
	endsPassed = func(pass int) {
		mu.Lock()
		passes = pass
		mu.Unlock()
	}
	scanningGroups = func() {
		mu.Lock()
		if counting {
			scans++
		}
		mu.Unlock()
	}
	if err := b.Recover(context.Background(), as); err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if u := r.of(a.ID); len(u) != 1 || u[0].State != engine.Failed {
			t.Errorf("Recover reported %+v for %s, want it failed (exit 3, logged)", u, a.ID)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if passes == 0 || scans > passes {
		t.Errorf("%d attempts waited for: %d scans of the processes in %d passes, want one a pass at most", n, scans, passes)
	}
}

// A process that runs is one not a zombie, or a zombie thread-group
// leader (it called pthread_exit) whose other threads run.
func TestRunsTellsZombies(t *testing.T) {
	for _, tc := range []struct {
		p    proclist.Proc
		want bool
	}{
		{proclist.Proc{State: 'S', Threads: 1}, true},
		{proclist.Proc{State: 'R', Threads: 3}, true},
		{proclist.Proc{State: 'Z', Threads: 1}, false},
		{proclist.Proc{State: 'Z', Threads: 0}, false},
		{proclist.Proc{State: 'Z', Threads: 2}, true},
	} {
		if got := runs(tc.p); got != tc.want {
			t.Errorf("runs(state %c, %d threads) = %v, want %v", tc.p.State, tc.p.Threads, got, tc.want)
		}
	}
}

// An older Borges' unnamed wrapper that has ended, leaving in its
// process group only a zombie its parent has not reaped yet (a stand-in
// that has copied all, an orphan waiting for init): the group counts as
// gone at the first pass that looks at it, not at the wait's bound.
func TestRecoverCountsAnUnreapedZombieGone(t *testing.T) {
	boundEnds(t, time.Minute) // never reached: the passes are counted
	b, r, _ := loggingNoCgroups(t)
	a := attempt("exit 3", nil)
	a.LaunchTicks = proclist.BootTicks()
	stdout, log := olderEnded(t, b, a.ID, 3)
	release, pid, exited := finishingWrapper(t, b, a.ID, log, stdout, `read -r _; exit 3`)
	// The zombie: a child of this test (which reaps it only at the
	// end) put in the wrapper's group.
	z := exec.Command("true")
	z.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pgid: pid}
	if err := z.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { z.Wait() })
	until(t, "a zombie in the wrapper's group", func() bool {
		p, ok := proclist.Of(z.Process.Pid)
		return ok && p.Zombie() && p.PGID == pid
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const most = 10
	passes := 0
	oldWaiting, oldPassed := waitingForEnds, endsPassed
	t.Cleanup(func() { waitingForEnds, endsPassed = oldWaiting, oldPassed })
	waitingForEnds = func([]int) {
		release()
		until(t, "the wrapper exited", func() bool { ok, _ := exited(); return ok })
	}
	endsPassed = func(pass int) {
		if passes = pass; pass >= most {
			cancel()
		}
	}
	if err := b.Recover(ctx, []*engine.Attempt{a}); err != nil {
		t.Fatalf("Recover: %v, after %d passes waiting for a group holding only a zombie", err, passes)
	}
	if u := r.of(a.ID); len(u) != 1 || u[0].State != engine.Failed {
		t.Errorf("Recover reported %+v, want it failed (exit 3, logged)", u)
	}
}

// boundEnds sets awaitEnds' bound to d for the test.
func boundEnds(t *testing.T, d time.Duration) {
	old := endsFor
	endsFor = d
	t.Cleanup(func() { endsFor = old })
}
