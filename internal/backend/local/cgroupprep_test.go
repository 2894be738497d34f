package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// cgroupBackend is a backend with cgroups; the test skips elsewhere.
func cgroupBackend(t *testing.T) (*Backend, *recorder) {
	t.Helper()
	b, r := newBackend(t, t.TempDir())
	if b.cgroups == nil {
		t.Skipf("no cgroups here (%s)", b.Enforcement())
	}
	return b, r
}

// hasCgroup reports whether a cgroup named id exists in each of the
// instance's hierarchies (and fails if only some have it).
func hasCgroup(t *testing.T, b *Backend, id string) bool {
	t.Helper()
	n := 0
	for _, d := range b.cgroups.Dirs {
		if _, err := os.Stat(filepath.Join(d, id)); err == nil {
			n++
		}
	}
	if n != 0 && n != len(b.cgroups.Dirs) {
		t.Fatalf("cgroup %s in %d of %d hierarchies", id, n, len(b.cgroups.Dirs))
	}
	return n != 0
}

// A prepared attempt's cgroup is made ahead with its limits, and its
// launch runs it there: the cgroup its program reads in /proc is its
// own, limited as it asked.
func TestPreparedCgroupRunsTheAttempt(t *testing.T) {
	b, r := cgroupBackend(t)
	a := attempt("cat /proc/self/cgroup", func(task *plan.Task) {
		task.Resources = plan.Resources{CPUs: 0.5, MemMB: 48, Pids: 40}
	})
	b.Prepare(a.ID, a.Task)
	if !hasCgroup(t, b, a.ID) {
		t.Fatal("no cgroup made ahead")
	}
	mem := "memory.limit_in_bytes"
	if b.cgroups.V2 {
		mem = "memory.max"
	}
	memDir := b.cgroups.Dirs["memory"]
	if b.cgroups.V2 {
		memDir = b.cgroups.Dirs[""]
	}
	if b.cgroups.Has("memory") {
		if got := read(t, filepath.Join(memDir, a.ID, mem)); got != "50331648" {
			t.Errorf("%s made ahead: %s, want 50331648", mem, got)
		}
	}
	runOne(t, b, r, a)
	out, _, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 1<<16)
	if err != nil || !strings.Contains(string(out), "/"+a.ID+"\n") {
		t.Fatalf("the attempt did not run in its cgroup: %q %v", out, err)
	}
}

// A cgroup made ahead with other limits than the launch asks for is not
// the attempt's: the launch makes it anew with its own.
func TestPreparedCgroupOtherLimits(t *testing.T) {
	b, r := cgroupBackend(t)
	if !b.cgroups.Has("pids") {
		t.Skip("no pids controller")
	}
	a := attempt("true", func(task *plan.Task) {
		task.Resources = plan.Resources{Pids: 40}
	})
	b.Prepare(a.ID, a.Task)
	pidsDir := b.cgroups.Dirs["pids"]
	if b.cgroups.V2 {
		pidsDir = b.cgroups.Dirs[""]
	}
	if got := read(t, filepath.Join(pidsDir, a.ID, "pids.max")); got != "40" {
		t.Fatalf("pids.max made ahead: %s", got)
	}
	// The launch asks for 41: its cgroup has 41.
	task := *a.Task
	task.Resources.Pids = 41
	a.Task = &task
	a.Script = "cat " + filepath.Join(pidsDir, a.ID, "pids.max")
	runOne(t, b, r, a)
	if out, _, _ := b.ReadLog(context.Background(), a.ID, "stdout", 0, 100); string(out) != "41\n" {
		t.Fatalf("pids.max in the attempt's cgroup: %q, want 41", out)
	}
}

// A cgroup made ahead for an attempt that never runs is removed with the
// attempt's files, and at the backend's end; none is made for an attempt
// that has run already (a late request), which would be left behind with
// its name (its own cgroup, kept, is another's to take).
func TestPreparedCgroupNotLeft(t *testing.T) {
	b, r := cgroupBackend(t)
	removed := attempt("echo never", nil)
	b.Prepare(removed.ID, removed.Task)
	if !hasCgroup(t, b, removed.ID) {
		t.Fatal("no cgroup made ahead")
	}
	if err := b.RemoveAttempts(context.Background(), []string{removed.ID}); err != nil {
		t.Fatal(err)
	}
	if hasCgroup(t, b, removed.ID) {
		t.Error("the cgroup made ahead of an attempt removed unlaunched is left")
	}

	ran := attempt("echo ran", nil)
	runOne(t, b, r, ran)
	keptAlready := hasCgroup(t, b, ran.ID) // on v1, kept for a later attempt under its name
	b.Prepare(ran.ID, ran.Task)
	b.mu.Lock()
	prepared := b.cgPrepared[ran.ID] != nil
	b.mu.Unlock()
	if prepared || hasCgroup(t, b, ran.ID) != keptAlready {
		t.Error("a cgroup made for an attempt that had ended")
	}

	closed := attempt("echo never", nil)
	b.Prepare(closed.ID, closed.Task)
	b.Close()
	if hasCgroup(t, b, closed.ID) {
		t.Error("the cgroup made ahead is left at the backend's end")
	}
}

// At most maxPreparedCgroups wait for their launches: the oldest goes.
func TestPreparedCgroupsBounded(t *testing.T) {
	b, r := cgroupBackend(t)
	var ids []string
	for range maxPreparedCgroups + 2 {
		a := attempt("echo never", nil)
		b.Prepare(a.ID, a.Task)
		ids = append(ids, a.ID)
	}
	for i, id := range ids {
		if want := i >= 2; hasCgroup(t, b, id) != want {
			t.Errorf("prepared %d: cgroup kept %v, want %v", i, !want, want)
		}
	}
	// One evicted still runs, in a cgroup made at its launch.
	a := attempt("echo ran", nil)
	a.ID = ids[0]
	runOne(t, b, r, a)
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
}

// launchHeld launches a, a program that runs "sleep m", as the engine
// does before its launch is on disk (a.Durable), and returns once its
// wrapper runs (its pid, the first), with what lets it in: that checks
// that nothing of the program ran before, marks the launch durable and
// returns once the program runs.
func launchHeld(t *testing.T, b *Backend, a *engine.Attempt, m string) (let func(), wrapper int) {
	t.Helper()
	durable := make(chan struct{})
	a.Durable = durable
	launched := make(chan error, 1)
	go func() { launched <- b.Launch(context.Background(), a) }()
	marker := "BORGES_EXIT_FILE=" + b.exitFile(a.ID)
	var pids []int
	for i := 0; len(pids) == 0; i++ {
		if i == 6000 {
			t.Fatal("the wrapper never started")
		}
		time.Sleep(10 * time.Millisecond)
		pids = proctest.WithEnv(marker)
	}
	return func() {
		t.Helper()
		if left := proctest.WithMarker(m); len(left) != 0 {
			t.Fatalf("the program runs before its launch is on disk: %v", left)
		}
		close(durable)
		if err := <-launched; err != nil {
			t.Fatal(err)
		}
		proctest.WaitMarked(t, m, 1)
	}, pids[0]
}

// A launch given before it is on disk (engine.EarlyLauncher) starts the
// wrapper (moved into its cgroup, where there are cgroups) but runs
// nothing of the program until Durable is closed.
func TestEarlyLaunchRunsNothingBeforeDurable(t *testing.T) {
	for _, parent := range []string{"borges-test", "-"} {
		t.Run("cgroups "+parent, func(t *testing.T) {
			b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: parent})
			m := proctest.Marker(t)
			a := attempt("sleep "+m, nil)
			let, _ := launchHeld(t, b, a, m)
			if b.cgroups != nil {
				cg := b.cgroups.Attempt(a.ID)
				for i := 0; len(cg.Procs()) == 0; i++ {
					if i == 6000 {
						t.Fatal("the wrapper never entered its cgroup")
					}
					time.Sleep(10 * time.Millisecond)
				}
			}
			let()
			if err := b.Kill(context.Background(), a.ID); err != nil {
				t.Fatal(err)
			}
			if u := r.wait(t, a.ID); u.State != engine.Killed {
				t.Fatalf("update = %+v", u)
			}
		})
	}
}
