package local

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// TestParseLayout finds the server's own cgroups from /proc/self/cgroup and
// the mounts.
func TestParseLayout(t *testing.T) {
	const v1Mounts = `32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`
	for _, c := range []struct {
		name, own, mounts string
		want              cgroupLayout
	}{
		{"hybrid", "9:name=systemd:/\n8:pids:/\n6:freezer:/\n4:memory:/svc/a\n1:cpu,cpuacct:/svc\n0::/svc\n", v1Mounts,
			cgroupLayout{Unified: "/sys/fs/cgroup/unified/svc", V1: map[string]string{"pids": "/sys/fs/cgroup/pids",
				"freezer": "/sys/fs/cgroup/freezer", "memory": "/sys/fs/cgroup/memory/svc/a",
				"cpu": "/sys/fs/cgroup/cpu,cpuacct/svc", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct/svc", "name=systemd": "/sys/fs/cgroup/systemd"}}},
		{"v2", "0::/system.slice/borges.service\n", "29 23 0:26 / /sys/fs/cgroup rw shared:4 - cgroup2 cgroup2 rw,nsdelegate\n",
			cgroupLayout{Unified: "/sys/fs/cgroup/system.slice/borges.service", V1: map[string]string{}}},
		// A container sees its own cgroup as the root of the mount.
		{"v2 mounted from a subtree", "0::/docker/abc/sub\n", "29 23 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			cgroupLayout{Unified: "/sys/fs/cgroup/sub", V1: map[string]string{}}},
		{"outside the mounted subtree", "0::/docker/abcd\n", "29 23 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
			cgroupLayout{V1: map[string]string{}}},
		{"escaped mount point", "0::/\n", `29 23 0:26 / /mnt/cg\040two rw - cgroup2 cgroup2 rw` + "\n",
			cgroupLayout{Unified: "/mnt/cg two", V1: map[string]string{}}},
		{"none", "0::/\n", "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n", cgroupLayout{V1: map[string]string{}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := parseLayout(c.own, c.mounts); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("layout = %+v, want %+v", got, c.want)
			}
		})
	}
}

// fakeV1 is a directory standing for /sys/fs/cgroup with v1 hierarchies;
// the server's own cgroup is "own" in each.
func fakeV1(t *testing.T) cgroupLayout {
	root := t.TempDir()
	l := cgroupLayout{V1: map[string]string{}}
	for _, ctrl := range v1Controllers {
		l.V1[ctrl] = filepath.Join(root, ctrl, "own")
		os.MkdirAll(l.V1[ctrl], 0o755)
	}
	return l
}

// fakeV2 is the same for a unified hierarchy with the memory, cpu and pids
// controllers.
func fakeV2(t *testing.T) cgroupLayout {
	own := filepath.Join(t.TempDir(), "own")
	os.MkdirAll(own, 0o755)
	os.WriteFile(filepath.Join(own, "cgroup.controllers"), []byte("cpuset cpu io memory pids\n"), 0o644)
	return cgroupLayout{Unified: own}
}

// TestCgroupFiles checks what Borges writes into a cgroup hierarchy (a
// directory standing for /sys/fs/cgroup; the kernel's enforcement is the
// business of the tests of a running attempt): :cpu is a share, and a
// quota only under :cpu-limit.
func TestCgroupFiles(t *testing.T) {
	request := plan.Resources{CPUs: 0.5, MemMB: 64, Pids: 50}
	capped := request
	capped.CPULimit = 1.5
	for _, c := range []struct {
		name   string
		layout func(*testing.T) cgroupLayout
		r      plan.Resources
		want   map[string]string // file (under the controller's directory) → content
		absent []string
	}{
		{"v2 request", fakeV2, request, map[string]string{"memory.max": "67108864", "memory.swap.max": "0",
			"cpu.weight": "20", "cpu.max": "max 100000", "pids.max": "50"}, nil},
		{"v2 limit", fakeV2, capped, map[string]string{"cpu.weight": "20", "cpu.max": "150000 100000"}, nil},
		{"v2 default pids", fakeV2, plan.Resources{CPUs: 0.1}, map[string]string{"pids.max": "4096", "cpu.weight": "4"}, []string{"memory.max"}},
		{"v1 request", fakeV1, request, map[string]string{"memory/memory.limit_in_bytes": "67108864",
			"cpu/cpu.shares": "512", "pids/pids.max": "50"}, []string{"cpu/cpu.cfs_quota_us"}},
		{"v1 limit", fakeV1, capped, map[string]string{"cpu/cpu.shares": "512", "cpu/cpu.cfs_quota_us": "150000",
			"cpu/cpu.cfs_period_us": "100000"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := c.layout(t)
			cg, err := setupCgroups(l, "borges-x")
			if err != nil {
				t.Fatal(err)
			}
			a, err := cg.Create("d.b.0.1", c.r)
			if err != nil {
				t.Fatal(err)
			}
			dir := func(file string) string {
				if cg.V2 {
					return filepath.Join(l.Unified, "borges-x", "d.b.0.1", file)
				}
				ctrl, f, _ := strings.Cut(file, "/")
				return filepath.Join(l.V1[ctrl], "borges-x", "d.b.0.1", f)
			}
			for file, want := range c.want {
				if got := read(t, dir(file)); got != want {
					t.Errorf("%s = %q, want %q", file, got, want)
				}
			}
			for _, file := range c.absent {
				if _, err := os.Stat(dir(file)); err == nil {
					t.Errorf("%s written", file)
				}
			}
			if err := a.Add(4242); err != nil {
				t.Fatal(err)
			}
			if got := a.Procs(); !reflect.DeepEqual(got, []int{4242}) {
				t.Fatalf("procs = %v", got)
			}
		})
	}
}

func TestCgroupV2Setup(t *testing.T) {
	l := fakeV2(t)
	c, err := setupCgroups(l, "borges-x")
	if err != nil || !c.V2 {
		t.Fatalf("v2 not chosen: %+v, %v", c, err)
	}
	for _, d := range []string{l.Unified, filepath.Join(l.Unified, "borges-x")} {
		if got := read(t, filepath.Join(d, "cgroup.subtree_control")); got != "+memory +cpu +pids" {
			t.Fatalf("%s: subtree_control %q", d, got)
		}
	}
	a := c.Attempt("d.b.0.1")
	os.MkdirAll(a.Dirs[""], 0o755)
	os.WriteFile(filepath.Join(a.Dirs[""], "memory.events"), []byte("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n"), 0o644)
	if !a.OOMKilled() {
		t.Fatal("oom_kill not seen")
	}
	if d := c.Describe(); !strings.Contains(d, "cgroup v2") || !strings.Contains(d, "pids.max") {
		t.Fatal(d)
	}
	// A second instance in a process the first moved into its leaf goes
	// beside the first, not under the leaf.
	c2, err := setupCgroups(cgroupLayout{Unified: filepath.Join(l.Unified, serverLeaf)}, "borges-y")
	if err != nil || c2.Dirs[""] != filepath.Join(l.Unified, "borges-y") {
		t.Fatalf("second instance: %+v, %v", c2, err)
	}
}

func TestCgroupChoice(t *testing.T) {
	v1 := fakeV1(t)
	if c, err := setupCgroups(v1, "borges-x"); err != nil || c.V2 || len(c.Controllers) != 4 {
		t.Fatalf("v1: %+v, %v", c, err)
	}
	// A unified hierarchy without controllers (a hybrid machine's) is
	// not taken over v1; alone, it still holds and kills tasks.
	bare := filepath.Join(t.TempDir(), "own")
	os.MkdirAll(bare, 0o755)
	os.WriteFile(filepath.Join(bare, "cgroup.controllers"), nil, 0o644)
	v1.Unified = bare
	if c, err := setupCgroups(v1, "borges-x"); err != nil || c.V2 {
		t.Fatalf("hybrid: %+v, %v", c, err)
	}
	c, err := setupCgroups(cgroupLayout{Unified: bare}, "borges-x")
	if err != nil || !c.V2 || len(c.Controllers) != 0 || !strings.Contains(c.Describe(), "no limits") {
		t.Fatalf("bare v2: %+v, %v", c, err)
	}
	if _, err := setupCgroups(cgroupLayout{}, "borges-x"); err == nil {
		t.Fatal("nothing mounted, yet cgroups")
	}
	if _, err := setupCgroups(cgroupLayout{V1: map[string]string{"memory": "/nonexistent/m", "cpu": "/nonexistent/c"}}, "borges-x"); err == nil {
		t.Fatal("unwritable v1, yet cgroups")
	}
}

func TestCPUWeight(t *testing.T) {
	// The values Kubernetes gives (cgroup v2 conversion of shares).
	for cpus, want := range map[float64]int64{0.001: 1, 0.1: 4, 1: 39, 2: 79, 256: 10000, 1000: 10000} {
		if got := cpuWeight(cpus); got != want {
			t.Errorf("cpuWeight(%v) = %d, want %d", cpus, got, want)
		}
	}
}

// TestCgroupV1OOMKilled: on v1 a cgroup counts as out of memory when the
// kernel killed a process of it for memory (memory.oom_control's
// oom_kill); a limit hit that reclaim answered (memory.failcnt) does not,
// where the kernel has that counter. Older kernels have none: there a hit
// limit tells. Once the cgroup's Kill found it empty, the counters are
// read once (they can no longer change).
func TestCgroupV1OOMKilled(t *testing.T) {
	c, err := setupCgroups(fakeV1(t), "borges-x")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		control, failcnt string
		want             bool
	}{
		{"oom_kill_disable 0\nunder_oom 0\noom_kill 0\n", "7\n", false},
		{"oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", "7\n", true},
		{"oom_kill_disable 0\nunder_oom 0\n", "7\n", true},
		{"oom_kill_disable 0\nunder_oom 0\n", "0\n", false},
	} {
		a := c.Attempt("d.oom.0.1")
		for _, d := range a.Dirs {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		d := a.Dirs["memory"]
		os.WriteFile(filepath.Join(d, "memory.oom_control"), []byte(tc.control), 0o644)
		os.WriteFile(filepath.Join(d, "memory.failcnt"), []byte(tc.failcnt), 0o644)
		if got := a.OOMKilled(); got != tc.want {
			t.Errorf("oom_control %q, failcnt %q: OOMKilled %v, want %v", tc.control, tc.failcnt, got, tc.want)
		}
	}
}

// TestCgroupProcsLong: a cgroup.procs longer than one read (the file is
// read with plain system calls, a buffer at a time) lists every process.
func TestCgroupProcsLong(t *testing.T) {
	c, err := setupCgroups(fakeV1(t), "borges-x")
	if err != nil {
		t.Fatal(err)
	}
	a := c.Attempt("d.long.0.1")
	var want []int
	var list strings.Builder
	for pid := 100000; pid < 100400; pid++ {
		want = append(want, pid)
		fmt.Fprintf(&list, "%d\n", pid)
	}
	for _, d := range a.Dirs {
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "cgroup.procs"), []byte(list.String()), 0o644)
	}
	got := a.Procs()
	sort.Ints(got)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("procs: %d of %d", len(got), len(want))
	}
}
