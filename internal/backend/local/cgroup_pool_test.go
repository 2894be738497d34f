package local

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// v1Backend is a backend with v1 cgroups, where ended attempts' cgroups
// are kept for later ones (cgroup/pool.go); the test skips elsewhere.
func v1Backend(t *testing.T, dir string) (*Backend, *recorder) {
	t.Helper()
	b, r := newBackend(t, dir)
	if b.cgroups == nil || b.cgroups.V2 || b.cgroups.Dirs["memory"] == "" {
		t.Skipf("no v1 memory cgroup here (%s): cgroups are kept only on v1", b.Enforcement())
	}
	return b, r
}

// keptCgroups lists the cgroups of the instance in the memory hierarchy
// (those kept, once the test's attempts have ended), and checks that
// every hierarchy has the same.
func keptCgroups(t *testing.T, b *Backend) []string {
	t.Helper()
	var names []string
	for ctrl, d := range b.cgroups.Dirs {
		entries, err := os.ReadDir(d)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		var here []string
		for _, e := range entries {
			if e.IsDir() {
				here = append(here, e.Name())
			}
		}
		if ctrl == "memory" {
			names = here
		}
		if !slices.Equal(here, names) && names != nil {
			t.Errorf("hierarchy %s keeps %v, memory %v", ctrl, here, names)
		}
	}
	return names
}

// cgroupIno is the inode of a cgroup of the instance (memory hierarchy),
// which a rename keeps.
func cgroupIno(t *testing.T, b *Backend, name string) uint64 {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Stat(filepath.Join(b.cgroups.Dirs["memory"], name), &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

// memoryCgroupOf is the name of the memory cgroup an attempt that printed
// its /proc/self/cgroup ran in.
func memoryCgroupOf(t *testing.T, b *Backend, id string) string {
	t.Helper()
	out, _, err := b.ReadLog(context.Background(), id, "stdout", 0, 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if parts := strings.SplitN(line, ":", 3); len(parts) == 3 && slices.Contains(strings.Split(parts[1], ","), "memory") {
			return filepath.Base(parts[2])
		}
	}
	t.Fatalf("no memory cgroup in %q", out)
	return ""
}

// An ended attempt's empty cgroup is kept under its name (never renamed),
// and the next attempt runs in it with its own limits, not the first
// one's: no memory limit, the default CPU share and no quota where it
// asked for none.
func TestCgroupKeptForTheNextAttempt(t *testing.T) {
	b, r := v1Backend(t, t.TempDir())
	first := attempt("echo first", func(task *plan.Task) {
		task.Resources = plan.Resources{CPUs: 0.5, MemMB: 64, CPULimit: 0.5, Pids: 50}
	})
	runOne(t, b, r, first)
	kept := keptCgroups(t, b)
	if !slices.Equal(kept, []string{first.ID}) {
		t.Fatalf("kept cgroups %v, want the first attempt's, under its name %s", kept, first.ID)
	}
	ino := cgroupIno(t, b, kept[0])
	// The second asks for no memory limit, no CPU share or quota.
	second := attempt("cat /proc/self/cgroup", func(task *plan.Task) { task.Resources = plan.Resources{Pids: 70} })
	runOne(t, b, r, second)
	kept = keptCgroups(t, b)
	if !slices.Equal(kept, []string{first.ID}) || cgroupIno(t, b, kept[0]) != ino {
		t.Fatalf("kept cgroups %v: not the one the first attempt left, which the second was to run in", kept)
	}
	if in := memoryCgroupOf(t, b, second.ID); in != first.ID {
		t.Errorf("the second attempt ran in cgroup %q, want the first's, %s", in, first.ID)
	}
	d := func(ctrl, file string) string { return read(t, filepath.Join(b.cgroups.Dirs[ctrl], kept[0], file)) }
	if limit, err := strconv.ParseInt(d("memory", "memory.limit_in_bytes"), 10, 64); err != nil || limit < 1<<40 {
		t.Errorf("memory limit %d: the first attempt's 64 MB stayed", limit)
	}
	if b.cgroups.Dirs["cpu"] != "" {
		if shares, quota := d("cpu", "cpu.shares"), d("cpu", "cpu.cfs_quota_us"); shares != "1024" || quota != "-1" {
			t.Errorf("cpu.shares %s, cpu.cfs_quota_us %s; want 1024 and -1", shares, quota)
		}
	}
	if b.cgroups.Dirs["pids"] != "" {
		if pids := d("pids", "pids.max"); pids != "70" {
			t.Errorf("pids.max %s, want 70", pids)
		}
	}
	// The backend's end removes what it keeps.
	b.Close()
	if kept := keptCgroups(t, b); len(kept) != 0 {
		t.Errorf("kept after Close: %v", kept)
	}
}

// A cgroup whose attempt ran out of memory, or that is charged for more
// than a little memory the ended program left (a file it wrote), is
// removed, not kept: its counters and charges would be the next
// attempt's.
func TestCgroupNotKeptWithMemoryLeft(t *testing.T) {
	b, r := v1Backend(t, t.TempDir())
	big := attempt("head -c 8000000 /dev/zero > big; echo wrote", nil)
	runOne(t, b, r, big)
	if kept := keptCgroups(t, b); len(kept) != 0 {
		t.Errorf("kept the cgroup of a program that left 8 MB of its file charged: %v", kept)
	}
	oom := attempt(`x=$(head -c 300000000 /dev/zero | tr '\0' a); echo survived ${#x}`, func(task *plan.Task) {
		task.Resources.MemMB = 50
	})
	if err := b.Launch(context.Background(), oom); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, oom.ID); u.State != engine.Failed || !strings.Contains(u.Message, "out of memory") {
		t.Fatalf("update = %+v", u)
	}
	if kept := keptCgroups(t, b); len(kept) != 0 {
		t.Errorf("kept cgroups %v, want none", kept)
	}
	for _, id := range []string{big.ID, oom.ID} {
		if _, err := os.Stat(filepath.Join(b.cgroups.Dirs["memory"], id)); !os.IsNotExist(err) {
			t.Errorf("attempt %s's cgroup not removed: %v", id, err)
		}
	}
}

// A frozen cgroup is not kept: its next attempt's processes would not run.
func TestFrozenCgroupNotKept(t *testing.T) {
	b, _ := v1Backend(t, t.TempDir())
	if b.cgroups.Dirs["freezer"] == "" {
		t.Skip("no v1 freezer here")
	}
	cg, err := b.cgroups.Create("d.frozen.0.1", plan.Resources{MemMB: 64})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cg.Thaw(); cg.Remove() })
	cg.Freeze()
	if b.cgroups.Recycle(cg) {
		t.Fatal("a frozen cgroup was kept")
	}
	if _, err := os.Stat(cg.Dirs["memory"]); err != nil {
		t.Errorf("the frozen cgroup: %v", err)
	}
}

// Kept cgroups a previous run left (in memory only, so unknown to the
// next) are removed at the next start, with the other cgroups of no
// running attempt.
func TestKeptCgroupsRemovedAtStart(t *testing.T) {
	dir := t.TempDir()
	b, r := v1Backend(t, dir)
	runOne(t, b, r, attempt("echo hi", nil))
	if kept := keptCgroups(t, b); len(kept) != 1 {
		t.Fatalf("kept cgroups %v, want one", kept)
	}
	r.stop()
	again, _ := newBackend(t, dir)
	if err := again.Recover(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if kept := keptCgroups(t, again); len(kept) != 0 {
		t.Errorf("kept cgroups after a restart: %v", kept)
	}
}

// TestKeptCgroupLimitsRewritten: a kept cgroup's limits are written once
// each for the next attempt, whichever way they move: a memory limit
// raised past the ended attempt's memory and swap limit, lowered below
// it, and removed; a share and a quota set and then removed.
func TestKeptCgroupLimitsRewritten(t *testing.T) {
	b, r := v1Backend(t, t.TempDir())
	type want struct{ mem, shares, quota string }
	noLimit := func(v string) bool { n, err := strconv.ParseInt(v, 10, 64); return err == nil && n >= 1<<40 }
	for _, c := range []struct {
		r    plan.Resources
		want want
	}{
		{plan.Resources{CPUs: 0.5, MemMB: 64, CPULimit: 0.5}, want{"67108864", "512", "50000"}},
		{plan.Resources{CPUs: 0.1, MemMB: 128}, want{"134217728", "102", "-1"}},
		{plan.Resources{MemMB: 32, CPULimit: 1}, want{"33554432", "1024", "100000"}},
		{plan.Resources{}, want{"", "1024", "-1"}},
	} {
		a := attempt("echo hi", func(task *plan.Task) {
			task.Resources = c.r
		})
		runOne(t, b, r, a)
		kept := keptCgroups(t, b)
		if len(kept) != 1 {
			t.Fatalf("%+v: kept cgroups %v, want %s's", c.r, kept, a.ID)
		}
		d := func(ctrl, file string) string { return read(t, filepath.Join(b.cgroups.Dirs[ctrl], kept[0], file)) }
		mem := d("memory", "memory.limit_in_bytes")
		if c.want.mem == "" && !noLimit(mem) || c.want.mem != "" && mem != c.want.mem {
			t.Errorf("%+v: memory.limit_in_bytes %s, want %q", c.r, mem, c.want.mem)
		}
		if sw, err := os.ReadFile(filepath.Join(b.cgroups.Dirs["memory"], kept[0], "memory.memsw.limit_in_bytes")); err == nil {
			if got := strings.TrimSpace(string(sw)); c.want.mem == "" && !noLimit(got) || c.want.mem != "" && got != c.want.mem {
				t.Errorf("%+v: memory.memsw.limit_in_bytes %s, want %q", c.r, got, c.want.mem)
			}
		}
		if b.cgroups.Dirs["cpu"] != "" {
			if shares, quota := d("cpu", "cpu.shares"), d("cpu", "cpu.cfs_quota_us"); shares != c.want.shares || quota != c.want.quota {
				t.Errorf("%+v: cpu.shares %s, cpu.cfs_quota_us %s; want %s and %s", c.r, shares, quota, c.want.shares, c.want.quota)
			}
		}
	}
}

// An attempt running in a cgroup kept from an earlier one, and so named
// after that one, outlives a restart of the server: the restarted backend
// finds its cgroup from its process, leaves it to it (the start's sweep
// removes only the cgroups no running attempt is in), and kills the
// attempt through it.
func TestKeptCgroupRecovered(t *testing.T) {
	dir := t.TempDir()
	first, r1 := v1Backend(t, dir)
	earlier := attempt("echo earlier", nil)
	runOne(t, first, r1, earlier)
	long := attempt("sleep 1000", nil)
	if err := first.Launch(context.Background(), long); err != nil {
		t.Fatal(err)
	}
	r1.wait(t, long.ID, engine.Running)
	if kept := keptCgroups(t, first); !slices.Equal(kept, []string{earlier.ID}) {
		t.Fatalf("cgroups %v, want the earlier attempt's, which the long one runs in", kept)
	}

	second, r2 := v1Backend(t, dir)
	if err := second.Recover(context.Background(), []*engine.Attempt{long}); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, long.ID, engine.Running); !strings.Contains(u.Message, "re-attached") {
		t.Fatalf("long: %+v", u)
	}
	if kept := keptCgroups(t, second); !slices.Equal(kept, []string{earlier.ID}) {
		t.Fatalf("cgroups after the restart %v: the running attempt's, %s, swept", kept, earlier.ID)
	}
	if procs := read(t, filepath.Join(second.cgroups.Dirs["memory"], earlier.ID, "cgroup.procs")); procs == "" {
		t.Fatal("the running attempt's cgroup holds no process after the restart")
	}
	if err := second.Kill(context.Background(), long.ID); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, long.ID); u.State != engine.Killed {
		t.Fatalf("long after kill: %+v", u)
	}
}
