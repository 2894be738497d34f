package local

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/cgroup"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// cgroupNames makes the names of the tests' own cgroup directories unique.
var cgroupNames atomic.Int64

// TestNothingOutlivesItsBlock: what a block started is gone when the block
// is, however it ended: its program exited, it was killed, it timed out.
func TestNothingOutlivesItsBlock(t *testing.T) {
	for _, h := range []struct {
		name string
		use  func(*testing.T, *Backend)
	}{
		{"default", func(*testing.T, *Backend) {}},
		{"v2 without controllers", useBareV2},
	} {
		t.Run(h.name, func(t *testing.T) { nothingOutlives(t, h.use) })
	}
}

// escapedBeforeEnd waits until the three escapes of marker m run (true)
// or attempt id has ended first (false).
func escapedBeforeEnd(t *testing.T, r *recorder, m, id string) bool {
	t.Helper()
	for deadline := proctest.WaitDeadline(t); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if len(proctest.WithMarker(m)) >= 3 {
			return true
		}
		if r.ended(id) {
			return false
		}
	}
	t.Fatalf("3 processes with %s never ran (%d do)", m, len(proctest.WithMarker(m)))
	return false
}

// checkEnded checks that attempt id ended in state want and that nothing
// of it is left: no process with marker m, no cgroup.
func checkEnded(t *testing.T, b *Backend, r *recorder, id, m string, want engine.State) {
	t.Helper()
	if u := r.wait(t, id); u.State != want {
		t.Fatalf("update = %+v", u)
	}
	if left := proctest.WithMarker(m); len(left) > 0 {
		t.Fatalf("processes %v outlived their block", left)
	}
	if cg := b.cgroups.Attempt(id); leftBehind(b, id) {
		t.Fatalf("cgroup %v left behind", cg.Dirs)
	}
}

// useBareV2 makes b use the unified hierarchy of a hybrid machine, which
// has no controllers but holds and kills tasks all the same; where it is
// not there, or is the default, the test is skipped.
func useBareV2(t *testing.T, b *Backend) {
	l := discoverLayout()
	if l.Unified == "" {
		t.Skip("no unified cgroup hierarchy")
	}
	if ctrl, _ := os.ReadFile(filepath.Join(l.Unified, "cgroup.controllers")); slices.Contains(strings.Fields(string(ctrl)), "memory") && slices.Contains(strings.Fields(string(ctrl)), "cpu") {
		t.Skip("the unified hierarchy has controllers: the default case runs on it")
	}
	c, err := setupV2(l.Unified, fmt.Sprintf("borges-test-%d-%d", os.Getpid(), cgroupNames.Add(1)))
	if err != nil {
		t.Skipf("no rights on the unified hierarchy: %v", err)
	}
	t.Cleanup(c.Release)
	b.cgroups = c
}

func nothingOutlives(t *testing.T, use func(*testing.T, *Backend)) {
	for _, c := range []struct {
		name    string
		end     string
		timeout time.Duration
		kill    bool
		want    engine.State
	}{
		{name: "program exits", end: "exit 0", want: engine.Finished},
		{name: "killed", end: "sleep 300", kill: true, want: engine.Killed},
		// The timeout must end the block after the escapes started:
		// short first, longer while a loaded machine has not started
		// them before it (escapedBeforeEnd).
		{name: "timed out", end: "sleep 300", timeout: 2 * time.Second, want: engine.Failed},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, r := newBackend(t, t.TempDir())
			use(t, b)
			if b.cgroups == nil {
				t.Skipf("no cgroups here: %s", b.Enforcement())
			}
			var m string
			var a *engine.Attempt
			for timeout := c.timeout; ; timeout *= 2 {
				m = proctest.Marker(t)
				a = attempt(proctest.Escapes(m, c.end), func(task *plan.Task) { task.Timeout = timeout })
				if err := b.Launch(context.Background(), a); err != nil {
					t.Fatal(err)
				}
				if c.timeout == 0 {
					proctest.WaitMarked(t, m, 3)
					break
				}
				if escapedBeforeEnd(t, r, m, a.ID) {
					break
				}
				// Timed out before the escapes ran: nothing of the block
				// may be left all the same, and a longer timeout is tried
				// (2, 4, 8, 16, 32 s).
				checkEnded(t, b, r, a.ID, m, c.want)
				if timeout >= 30*time.Second {
					t.Fatalf("the escapes never ran within a timeout of %v", timeout)
				}
				t.Logf("timed out after %v before the escapes ran; again with a longer timeout", timeout)
			}
			switch {
			case c.kill:
				b.Kill(context.Background(), a.ID)
			case c.timeout == 0:
				os.WriteFile(filepath.Join(b.SandboxDir(a.ID), "go"), nil, 0o644)
			}
			checkEnded(t, b, r, a.ID, m, c.want)
		})
	}
}

// TestFreezeAndKill kills a cgroup the way kernels without cgroup.kill
// need it done: frozen, every process signalled, thawed, until empty.
func TestFreezeAndKill(t *testing.T) {
	for _, h := range []struct {
		name string
		use  func(*testing.T, *Backend)
	}{
		{"default", func(*testing.T, *Backend) {}},
		{"v2 without controllers", useBareV2},
	} {
		t.Run(h.name, func(t *testing.T) {
			b, _ := newBackend(t, t.TempDir())
			h.use(t, b)
			if b.cgroups == nil {
				t.Skipf("no cgroups here: %s", b.Enforcement())
			}
			cg, err := b.cgroups.Create("d.freeze.0.1", plan.Resources{CPUs: 0.1, Pids: 300})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cg.Kill(); cg.Remove() })
			// A shell that keeps forking while it is being killed.
			m := startInCgroup(t, cg, `read _; setsid sleep %[1]s & (sleep %[1]s &) & i=0; while [ $i -lt 250 ]; do sleep %[1]s & i=$((i+1)); done`, 10)
			for i := 0; i < 200 && len(cg.Procs()) > 0; i++ {
				cg.SignalFrozen(syscall.SIGKILL)
				time.Sleep(5 * time.Millisecond)
			}
			if left := cg.Procs(); len(left) > 0 {
				t.Fatalf("%d processes left in the cgroup", len(left))
			}
			if left := proctest.WithMarker(m); len(left) > 0 {
				t.Fatalf("processes %v survived", left)
			}
			cg.Remove()
			if !cg.Gone() {
				t.Fatalf("cgroup %v not removed", cg.Dirs)
			}
		})
	}
}

// TestForkBombIsContained: a block that forks without end under :pids 50
// fails when it can fork no more, and nothing of it is left.
func TestForkBombIsContained(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	if b.cgroups == nil || !b.cgroups.Has("pids") {
		t.Skipf("no pids controller here: %s", b.Enforcement())
	}
	m := proctest.Marker(t)
	// Bounded, in case the limit did not hold.
	a := attempt(fmt.Sprintf(`i=0; while [ $i -lt 1000 ]; do sleep %s & i=$((i+1)); done; wait`, m), func(task *plan.Task) {
		task.Resources.Pids = 50
	})
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	u := r.wait(t, a.ID)
	errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 4096)
	if u.State != engine.Failed || !strings.Contains(string(errOut), "fork") {
		t.Fatalf("update = %+v, stderr %q", u, errOut)
	}
	if left := proctest.WithMarker(m); len(left) > 0 {
		t.Fatalf("%d processes outlived the block", len(left))
	}
	if leftBehind(b, a.ID) {
		t.Fatal("cgroup left behind")
	}
}

// TestInstancesHaveDisjointCgroups: two servers on one machine (here two
// backends of one process) never touch each other's cgroups, even when
// one cleans up at start.
func TestInstancesHaveDisjointCgroups(t *testing.T) {
	b1, r1 := newBackend(t, t.TempDir())
	b2, r2 := newBackend(t, t.TempDir())
	if b1.cgroups == nil {
		t.Skipf("no cgroups here: %s", b1.Enforcement())
	}
	for k, d1 := range b1.cgroups.Dirs {
		d2 := b2.cgroups.Dirs[k]
		if d1 == d2 || strings.HasPrefix(d1, d2+"/") || strings.HasPrefix(d2, d1+"/") {
			t.Fatalf("instances share %s and %s", d1, d2)
		}
	}
	m1, m2 := proctest.Marker(t), proctest.Marker(t)
	a1 := attempt("sleep "+m1, nil)
	a2 := attempt("sleep "+m2, nil)
	b1.Launch(context.Background(), a1)
	b2.Launch(context.Background(), a2)
	proctest.WaitMarked(t, m1, 1)
	proctest.WaitMarked(t, m2, 1)
	for k, d := range b1.cgroups.Dirs {
		if got := b1.cgroups.Attempt(a1.ID).Dirs[k]; filepath.Dir(got) != d {
			t.Fatalf("attempt cgroup %s not under its instance's %s", got, d)
		}
	}
	// b2 starting over clears its own stale cgroups, not b1's.
	if err := b2.Recover(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(proctest.WithMarker(m1)) != 1 {
		t.Fatal("another instance's start killed a running attempt")
	}
	b2.Kill(context.Background(), a2.ID)
	r2.wait(t, a2.ID)
	if len(proctest.WithMarker(m1)) != 1 {
		t.Fatal("killing an attempt killed another instance's")
	}
	b1.Kill(context.Background(), a1.ID)
	r1.wait(t, a1.ID)
}

// TestRestartCleansUp: after a restart of the server, what attempts left
// in their cgroups while it was down is killed and the cgroups removed,
// and a re-attached attempt is still killed whole.
func TestRestartCleansUp(t *testing.T) {
	dir := t.TempDir()
	first, r1 := newBackend(t, dir)
	if first.cgroups == nil {
		t.Skipf("no cgroups here: %s", first.Enforcement())
	}
	running := proctest.Marker(t)
	long := attempt(proctest.Escapes(running, "sleep 300"), nil)
	first.Launch(context.Background(), long)
	r1.wait(t, long.ID, engine.Running)
	proctest.WaitMarked(t, running, 3)
	// An attempt whose program ended while the server was down but left
	// a process in its cgroup; and a cgroup no attempt owns any more.
	lost := attempt("true", nil)
	left := proctest.Marker(t)
	for _, id := range []string{lost.ID, "d.gone.0.1"} {
		cg, err := first.cgroups.Create(id, plan.Resources{CPUs: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("setsid", "sleep", left)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go cmd.Wait()
		if err := cg.Add(cmd.Process.Pid); err != nil {
			t.Fatal(err)
		}
	}
	proctest.WaitMarked(t, left, 2)
	// The first server died in the middle of a kill round: what it had
	// frozen stays frozen (its processes cannot even die) until thawed.
	for _, id := range []string{long.ID, lost.ID, "d.gone.0.1"} {
		first.cgroups.Attempt(id).Freeze()
	}

	second, r2 := newBackend(t, dir)
	if err := second.Recover(context.Background(), []*engine.Attempt{long, lost}); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, lost.ID); u.State != engine.Lost {
		t.Fatalf("lost: %+v", u)
	}
	if n := len(proctest.WithMarker(left)); n > 0 {
		t.Fatalf("%d processes of ended attempts survived the restart", n)
	}
	for _, id := range []string{lost.ID, "d.gone.0.1"} {
		if leftBehind(second, id) {
			t.Fatalf("cgroup of %s left behind", id)
		}
	}
	if u := r2.wait(t, long.ID, engine.Running); !strings.Contains(u.Message, "re-attached") {
		t.Fatalf("long: %+v", u)
	}
	if second.cgroups.Attempt(long.ID).Frozen() {
		t.Fatal("the re-attached attempt is still frozen")
	}
	second.Kill(context.Background(), long.ID)
	if u := r2.wait(t, long.ID); u.State != engine.Killed {
		t.Fatalf("long after kill: %+v", u)
	}
	if n := len(proctest.WithMarker(running)); n > 0 {
		t.Fatalf("%d processes of a re-attached attempt survived its kill", n)
	}
	if leftBehind(second, long.ID) {
		t.Fatal("cgroup of the re-attached attempt left behind")
	}
}

// TestCloseKeepsRunningAttempts: a server that stops leaves its running
// attempts and their cgroups for its next start, and removes its cgroup
// directories once nothing is in them.
func TestCloseKeepsRunningAttempts(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	if b.cgroups == nil {
		t.Skipf("no cgroups here: %s", b.Enforcement())
	}
	m := proctest.Marker(t)
	a := attempt("sleep "+m, nil)
	b.Launch(context.Background(), a)
	proctest.WaitMarked(t, m, 1)
	b.Close()
	if b.cgroups.Attempt(a.ID).Gone() || len(proctest.WithMarker(m)) != 1 {
		t.Fatal("closing removed a running attempt's cgroup or killed it")
	}
	b.Kill(context.Background(), a.ID)
	r.wait(t, a.ID)
	b.Close()
	for _, d := range b.cgroups.Dirs {
		if _, err := os.Stat(d); err == nil {
			t.Fatalf("instance cgroup %s left behind", d)
		}
	}
}

// startInCgroup runs script (its %[1]s a marker, returned) in cg from
// its start, and waits until marked of its processes carry the marker.
func startInCgroup(t *testing.T, cg *cgroup.Group, script string, marked int) string {
	t.Helper()
	m := proctest.Marker(t)
	cmd := exec.Command("sh", "-c", fmt.Sprintf(script, m))
	stdin, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go cmd.Wait()
	if err := cg.Add(cmd.Process.Pid); err != nil {
		t.Fatal(err)
	}
	stdin.Close() // it starts once in its cgroup
	proctest.WaitMarked(t, m, marked)
	return m
}

// TestKillFreezesOnlyForForks: a cgroup whose processes do not fork is
// killed without being frozen (they die of the first round's SIGKILL);
// of one whose process forks while it is killed (frozen for a later
// round, when a fork escaped the first) nothing is left either.
func TestKillFreezesOnlyForForks(t *testing.T) {
	b, _ := newBackend(t, t.TempDir())
	if b.cgroups == nil {
		t.Skipf("no cgroups here: %s", b.Enforcement())
	}
	run := func(name, script string, marked int) int64 {
		t.Helper()
		cg, err := b.cgroups.Create("d."+name+".0.1", plan.Resources{Pids: 300})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cg.Kill(); cg.Remove() })
		m := startInCgroup(t, cg, script, marked)
		before := cg.Freezes()
		if !cg.Kill() {
			t.Fatalf("%s: processes left in the cgroup: %v", name, cg.Procs())
		}
		if left := proctest.WithMarker(m); len(left) > 0 {
			t.Fatalf("%s: processes %v survived", name, left)
		}
		return cg.Freezes() - before
	}
	if n := run("still", `read _; sleep %[1]s & sleep %[1]s & wait`, 2); n != 0 {
		t.Errorf("processes that do not fork: the cgroup was frozen %d times", n)
	}
	run("forking", `read _; while :; do sleep %[1]s & done`, 5)
}

// leftBehind reports whether attempt id's cgroup outlived it: it exists
// and is not kept, empty, for a later attempt (cgroup's pool.go).
func leftBehind(b *Backend, id string) bool {
	cg := b.cgroups.Attempt(id)
	return !cg.Gone() && !(b.cgroups.Keeps(id) && len(cg.Procs()) == 0)
}
