package local

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/proctest"
	"golang.org/x/sys/unix"
)

// midExec shows process pid, for its first n reads of its environment
// through procFile, as the kernel shows a process in the middle of an
// exec (its parent's start has returned; its new memory has no
// environment yet): an empty environment, and 0 for the end of its
// environment in its stat line (field 51). reads says how many times its
// environment was read.
func midExec(t *testing.T, pid, n int) (reads func() int) {
	return showEmpty(t, pid, n, func(f []string) { f[48] = "0" })
}

// justExeced shows process pid, for its first n reads of its
// environment, as the kernel shows one a moment later in an exec: the end
// of its environment set, its environment still empty; and as started
// just now.
func justExeced(t *testing.T, pid, n int) {
	showEmpty(t, pid, n, func(f []string) { f[19] = strconv.FormatUint(proclist.BootTicks(), 10) })
}

// showEmpty shows process pid's environment as empty for its first n
// reads, and its stat line changed by edit (its fields from the third)
// meanwhile, through procFile and procAt (the hold scan's) alike.
func showEmpty(t *testing.T, pid, n int, edit func(f []string)) (reads func() int) {
	t.Helper()
	var mu sync.Mutex
	count := 0
	shown := func(p int, name string, data []byte, err error) ([]byte, error) {
		if p != pid || err != nil {
			return data, err
		}
		mu.Lock()
		defer mu.Unlock()
		if name == "environ" {
			count++
		}
		if count > n {
			return data, nil
		}
		switch name {
		case "environ":
			return nil, nil
		case "stat":
			return editedStat(t, data, edit), nil
		}
		return data, nil
	}
	oldFile, oldAt := procFile, procAt
	procFile = func(p int, name string) ([]byte, error) {
		data, err := oldFile(p, name)
		return shown(p, name, data, err)
	}
	procAt = func(pd, p int, name string) ([]byte, error) {
		data, err := oldAt(pd, p, name)
		return shown(p, name, data, err)
	}
	t.Cleanup(func() { procFile, procAt = oldFile, oldAt })
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return count
	}
}

// A wrapper caught by the scan in the middle of an exec (under load, a
// moment after its start returned: the flake of the keeper handover
// tests) has no environment yet: it is looked at again once its exec has
// set one up, and re-attached to, not reported lost.
func TestRecoverWaitsForAnExecToEnd(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	_, pid := reattachable(t, b, a.ID)
	midExec(t, pid, 2)
	reattached(t, b, r, a)
}

// editedStat is a /proc/PID/stat line with its fields from the third
// (after the command) changed by edit.
func editedStat(t *testing.T, data []byte, edit func(f []string)) []byte {
	i := bytes.LastIndexByte(data, ')')
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 49 {
		t.Errorf("stat line cut: %q", data)
		return data
	}
	edit(f)
	return []byte(string(data[:i+1]) + " " + strings.Join(f, " ") + "\n")
}

// shortExecWait has a scan wait a twentieth of a second for processes in
// the middle of an exec.
func shortExecWait(t *testing.T) {
	old := execSettleFor
	execSettleFor = 50 * time.Millisecond
	t.Cleanup(func() { execSettleFor = old })
}

// A process caught mid-exec a moment later — the end of its environment
// set, the environment itself not yet — reads as empty; one that young
// (started less than a second ago) is looked at again like one mid-exec,
// and a wrapper so caught re-attached to.
func TestRecoverWaitsForAYoungEmptyEnvironment(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	_, pid := reattachable(t, b, a.ID)
	justExeced(t, pid, 2)
	reattached(t, b, r, a)
}

// stuckStranger starts a process group leader that is no attempt's
// wrapper, shown in the middle of an exec for good (one whose exec is
// blocked: a binary on a hung network file system); reads counts the
// reads of its environment.
func stuckStranger(t *testing.T, b *Backend) (pid int, reads func() int) {
	_, pid = reattachable(t, b, "other")
	return pid, midExec(t, pid, math.MaxInt)
}

// An attempt that has its status is reported ended, whatever process is
// stuck in an exec: a stuck stranger never fails the server's start.
func TestRecoverPastAStuckExecReportsEnds(t *testing.T) {
	shortExecWait(t)
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	if err := b.makeAttemptDirs(a.ID); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b.exitFile(a.ID), []byte("3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stuckStranger(t, b)
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r.of(a.ID); len(u) != 1 || u[0].State != engine.Failed || u[0].ExitCode == nil || *u[0].ExitCode != 3 {
		t.Errorf("Recover reported %+v, want it failed with status 3", u)
	}
}

// Where every attempt is decided without it, a process stuck in an exec
// is not waited for: its environment is read once.
func TestRecoverDoesNotWaitForAStuckStranger(t *testing.T) {
	shortExecWait(t)
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	reattachable(t, b, a.ID)
	_, reads := stuckStranger(t, b)
	reattached(t, b, r, a)
	if n := reads(); n != 1 {
		t.Errorf("the stuck process's environment was read %d times, want once", n)
	}
}

// An attempt with no wrapper found and no status, while a process stays
// stuck in an exec past the wait, is reported lost, as it was before the
// wait: the server's log names the process, its command, and what to do.
func TestRecoverPastAStuckExecReportsLost(t *testing.T) {
	shortExecWait(t)
	b, r, logged := loggingNoCgroups(t)
	a := attempt("exit 0", nil)
	pid, reads := stuckStranger(t, b)
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r.of(a.ID); len(u) != 1 || u[0].State != engine.Lost {
		t.Errorf("Recover reported %+v, want it lost", u)
	}
	if reads() < 2 {
		t.Errorf("the stuck process's environment was read %d times, want it looked at again", reads())
	}
	log := logged.String()
	for _, want := range []string{strconv.Itoa(pid) + " (sleep)", a.ID, "kill"} {
		if !strings.Contains(log, want) {
			t.Errorf("the server's log does not say %q:\n%s", want, log)
		}
	}
}

// Recover's wait for a process stuck in an exec ends with its context:
// it reports nothing then.
func TestRecoverWaitEndsWithContext(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	stuckStranger(t, b)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Recover(ctx, []*engine.Attempt{a}); !errors.Is(err, context.Canceled) {
		t.Errorf("Recover: %v, want the context's end", err)
	}
	if u := r.of(a.ID); len(u) != 0 {
		t.Errorf("Recover reported %+v, want nothing", u)
	}
}

// Where every attempt's wrapper is found, a process in the middle of an
// exec for good is no one's it could be: Recover re-attaches. (This
// guards against waiting too broadly; it passes as well without any
// wait.)
func TestRecoverPastAnExecThatDoesNotEnd(t *testing.T) {
	shortExecWait(t)
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	reattachable(t, b, a.ID)
	stuckStranger(t, b)
	reattached(t, b, r, a)
}

// A process an attempt started that leads a process group of its own
// (setsid, a shell's job control) carries its wrapper's exit file too:
// the scan takes the wrapper, the oldest, even where it lists the other
// after it.
func TestRecoverTakesTheWrapperNotItsDescendant(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	_, wrapper := reattachable(t, b, a.ID)
	waitTick(t, wrapper)
	_, descendant := reattachable(t, b, a.ID)
	listed(t, descendant, false)
	if p := reattached(t, b, r, a); p.pid != wrapper {
		t.Errorf("re-attached to pid %d, want the wrapper, %d (not %d)", p.pid, wrapper, descendant)
	}
}

// waitTick returns once the boot clock is past process pid's start: what
// starts (or reads the clock) after it does so a clock tick later at
// least (the unit of a start time).
func waitTick(t *testing.T, pid int) {
	t.Helper()
	for i := 0; ; i++ {
		start, err := processStart(pid)
		if err != nil {
			t.Fatal(err)
		}
		if proclist.BootTicks() > start {
			return
		}
		if i == 1000 {
			t.Fatal("the clock did not tick within a few seconds")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// withSetsidChild starts what a restarted server takes for attempt id's
// wrapper, having started a process that leads a session of its own
// (setsid): both group leaders carrying the exit file. It returns both
// pids.
func withSetsidChild(t *testing.T, b *Backend, id string) (wrapper, child int) {
	t.Helper()
	marker := proctest.Marker(t)
	cmd := exec.Command("sh", "-c", `setsid sleep "$1" & echo $!; wait`, "sh", marker)
	cmd.Env = append(os.Environ(), "BORGES_EXIT_FILE="+b.exitFile(id))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if child > 0 {
			syscall.Kill(-child, syscall.SIGKILL)
		}
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if child, err = strconv.Atoi(strings.TrimSpace(line)); err != nil {
		t.Fatal(err)
	}
	// setsid, in the background of a shell, is no group leader: it
	// makes its session itself (no fork), then runs sleep.
	until(t, "the child leads its session", func() bool {
		sid, err := unix.Getsid(child)
		if err != nil {
			t.Fatal(err)
		}
		return sid == child
	})
	return cmd.Process.Pid, child
}

// listed has /proc list pid first, or last (as it may after the pids
// wrap).
func listed(t *testing.T, pid int, first bool) {
	old := listProcesses
	listProcesses = func() ([]os.DirEntry, error) {
		entries, err := old()
		var it []os.DirEntry
		rest := entries[:0:0]
		for _, e := range entries {
			if e.Name() == strconv.Itoa(pid) {
				it = append(it, e)
			} else {
				rest = append(rest, e)
			}
		}
		if first {
			return append(it, rest...), err
		}
		return append(rest, it...), err
	}
	t.Cleanup(func() { listProcesses = old })
}

// startedAs shows process pid's start time (stat field 22) as that of
// process as.
func startedAs(t *testing.T, pid, as int) {
	start, err := processStart(as)
	if err != nil {
		t.Fatal(err)
	}
	startedAt(t, pid, start)
}

// startedAt shows process pid's start time (stat field 22) as start.
func startedAt(t *testing.T, pid int, start uint64) {
	old := procFile
	procFile = func(p int, name string) ([]byte, error) {
		data, err := old(p, name)
		if p != pid || name != "stat" || err != nil {
			return data, err
		}
		return editedStat(t, data, func(f []string) { f[19] = strconv.FormatUint(start, 10) }), nil
	}
	t.Cleanup(func() { procFile = old })
}

// A process the wrapper started in a session of its own in the same
// clock tick as the wrapper (start times tie), listed first: the scan
// takes the wrapper, its ancestor.
func TestRecoverTakesTheWrapperNotItsDescendantInOneTick(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	wrapper, child := withSetsidChild(t, b, a.ID)
	startedAs(t, child, wrapper)
	listed(t, child, true)
	if p := reattached(t, b, r, a); p.pid != wrapper {
		t.Errorf("re-attached to pid %d, want the wrapper, %d (not %d)", p.pid, wrapper, child)
	}
}

// A process older than an attempt's launch that carries its exit file
// (a task's, its environment rewritten) is no wrapper of it, however
// old: the scan takes the wrapper, started after the launch. A record of
// an older Borges, without the launch's boot ticks, keeps the rule before
// it: the oldest.
func TestRecoverPassesOverAnImpostorOlderThanTheLaunch(t *testing.T) {
	for _, known := range []bool{true, false} {
		t.Run(map[bool]string{true: "launch known", false: "older record"}[known], func(t *testing.T) {
			b, r := noCgroups(t, t.TempDir())
			a := attempt("exit 0", nil)
			_, impostor := reattachable(t, b, a.ID)
			waitTick(t, impostor)
			if known {
				a.LaunchTicks = proclist.BootTicks()
			}
			_, wrapper := reattachable(t, b, a.ID)
			want := wrapper
			if !known {
				want = impostor
			}
			if p := reattached(t, b, r, a); p.pid != want {
				t.Errorf("re-attached to pid %d, want %d (the wrapper %d, the impostor %d)", p.pid, want, wrapper, impostor)
			}
		})
	}
}

// A process alone carrying an attempt's exit file that started before
// the attempt's launch (its start shown so) is not re-attached to: the
// attempt, with no status, is lost.
func TestRecoverReattachesToNothingStartedBeforeTheLaunch(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	a := attempt("exit 0", nil)
	_, pid := reattachable(t, b, a.ID)
	start, err := processStart(pid)
	if err != nil {
		t.Fatal(err)
	}
	a.LaunchTicks = start + 1
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r.of(a.ID); len(u) != 1 || u[0].State != engine.Lost {
		t.Errorf("Recover reported %+v, want it lost (not re-attached to pid %d)", u, pid)
	}
	// Shown as started in the launch's tick, it is taken.
	b2, r2 := noCgroups(t, t.TempDir())
	a2 := attempt("exit 0", nil)
	_, pid2 := reattachable(t, b2, a2.ID)
	startedAt(t, pid2, start+1)
	a2.LaunchTicks = start + 1
	if p := reattached(t, b2, r2, a2); p.pid != pid2 {
		t.Errorf("re-attached to pid %d, want %d", p.pid, pid2)
	}
}

// A candidate passed over for starting before its attempt's launch is
// named in the server's log, once, at warn level: its pid, its start and
// the launch, in ticks. The wrapper re-attached to is not.
func TestRecoverLogsAnImpostorOlderThanTheLaunch(t *testing.T) {
	b, r, logged := loggingNoCgroups(t)
	a := attempt("exit 0", nil)
	impostor, wrapper := olderThenWrapper(t, b, a)
	start, err := processStart(impostor)
	if err != nil {
		t.Fatal(err)
	}
	if p := reattached(t, b, r, a); p.pid != wrapper {
		t.Fatalf("re-attached to pid %d, want the wrapper %d", p.pid, wrapper)
	}
	var lines []string
	for _, line := range strings.Split(logged.String(), "\n") {
		if strings.Contains(line, "started before the attempt's launch") {
			lines = append(lines, line)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("the log has %d lines on a candidate passed over, want 1:\n%s", len(lines), logged.String())
	}
	for _, want := range []string{"level=WARN", "attempt=" + a.ID, "pid=" + strconv.Itoa(impostor),
		"start_ticks=" + strconv.FormatUint(start, 10), "launch_ticks=" + strconv.FormatUint(a.LaunchTicks, 10)} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("the log line does not say %q: %s", want, lines[0])
		}
	}
	if strings.Contains(lines[0], "pid="+strconv.Itoa(wrapper)+" ") {
		t.Errorf("the log names the wrapper, %d: %s", wrapper, lines[0])
	}
}

// Two processes carrying an attempt's exit file, both started no earlier
// than its launch, neither the other's ancestor: one is no wrapper of it
// (a task's, its environment rewritten, or a descendant whose parent
// chain to the wrapper is broken), and neither their starts nor their
// pids tell which. None is re-attached to: the attempt, with no status,
// is lost, and the log names both.
func TestRecoverRefusesToGuessBetweenTwoStartedAfterTheLaunch(t *testing.T) {
	b, r, logged := loggingNoCgroups(t)
	a := attempt("exit 0", nil)
	a.LaunchTicks = proclist.BootTicks()
	_, first := reattachable(t, b, a.ID)
	_, second := reattachable(t, b, a.ID)
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r.of(a.ID); len(u) != 1 || u[0].State != engine.Lost {
		t.Errorf("Recover reported %+v, want it lost (re-attached to neither %d nor %d)", u, first, second)
	}
	b.mu.Lock()
	p := b.procs[a.ID]
	b.mu.Unlock()
	if p != nil {
		t.Errorf("re-attached to pid %d", p.pid)
	}
	log := logged.String()
	for _, want := range []string{"level=WARN", a.ID, strconv.Itoa(first), strconv.Itoa(second), "kill -- -"} {
		if !strings.Contains(log, want) {
			t.Errorf("the server's log does not say %q:\n%s", want, log)
		}
	}
}

// The wrapper and a process it started in a session of its own, both
// after the launch: the wrapper, the other's ancestor, is re-attached to,
// with no warning.
func TestRecoverTakesTheWrapperNotItsDescendantAfterTheLaunch(t *testing.T) {
	b, r, logged := loggingNoCgroups(t)
	a := attempt("exit 0", nil)
	a.LaunchTicks = proclist.BootTicks()
	wrapper, child := withSetsidChild(t, b, a.ID)
	listed(t, child, true)
	if p := reattached(t, b, r, a); p.pid != wrapper {
		t.Errorf("re-attached to pid %d, want the wrapper, %d (not %d)", p.pid, wrapper, child)
	}
	if log := logged.String(); strings.Contains(log, "level=WARN") {
		t.Errorf("the server's log warns:\n%s", log)
	}
}

// Refused (two rivals carry its exit file, and its wrapper is not named
// on disk: its file is removed, as for an older Borges' attempt), an
// attempt running in a cgroup is not left running unwatched: the start's
// sweep kills what its cgroup holds, its wrapper. The other process, in
// no cgroup of the server's, is not Borges' to kill, and lives on.
func TestRecoverRefusedKillsTheAttemptsCgroupOnly(t *testing.T) {
	first, r1 := newBackend(t, t.TempDir())
	if first.cgroups == nil {
		t.Skipf("no cgroups here (%s)", first.Enforcement())
	}
	a := attempt("sleep 1000", nil)
	wrapper := launchedRunning(t, first, r1, a)
	_, impostor := reattachable(t, first, a.ID)
	if err := removeWrapperFile(first, a.ID); err != nil {
		t.Fatal(err)
	}

	second, r2 := newBackend(t, first.cfg.DataDir) // the server restarted
	if err := second.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r2.of(a.ID); len(u) != 1 || u[0].State != engine.Lost {
		t.Errorf("Recover reported %+v, want it lost", u)
	}
	until(t, "the wrapper is killed", func() bool {
		p, ok := proclist.Of(wrapper)
		return !ok || p.Zombie()
	})
	if p, ok := proclist.Of(impostor); !ok || p.Zombie() {
		t.Errorf("the process outside the server's cgroups, %d, was killed", impostor)
	}
}

// loggingNoCgroups is a backend without cgroups whose log is kept.
func loggingNoCgroups(t *testing.T) (*Backend, *recorder, *proctest.SyncBuffer) {
	t.Helper()
	logged := &proctest.SyncBuffer{}
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), CgroupParent: "-",
		Logger: slog.New(slog.NewTextHandler(logged, nil))})
	return b, r, logged
}
