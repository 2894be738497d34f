package local

import (
	"os"
	"path/filepath"
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

// TestCgroupV2Files checks what Borges writes into a cgroup v2 hierarchy
// (a directory standing for /sys/fs/cgroup; the kernel's enforcement is
// TestMemoryLimit's business where a hierarchy is writable).
func TestCgroupV2Files(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "cgroup.controllers"), []byte("cpuset cpu io memory pids\n"), 0o644)
	c := detectCgroupsAt(root, "borges")
	if c == nil || !c.v2 {
		t.Fatalf("v2 not detected: %+v", c)
	}
	if got := read(t, filepath.Join(root, "borges", "cgroup.subtree_control")); got != "+memory +cpu" {
		t.Fatalf("subtree_control %q", got)
	}
	name, err := c.create("d.b.0.1", plan.Resources{CPUs: 0.5, MemMB: 64})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "borges", name)
	if read(t, filepath.Join(dir, "memory.max")) != "67108864" || read(t, filepath.Join(dir, "cpu.max")) != "50000 100000" ||
		read(t, filepath.Join(dir, "memory.swap.max")) != "0" {
		t.Fatal("limits not written")
	}
	if err := c.add(name, 4242); err != nil || read(t, filepath.Join(dir, "cgroup.procs")) != "4242" {
		t.Fatalf("add: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "memory.events"), []byte("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n"), 0o644)
	if !c.oomKilled(name) {
		t.Fatal("oom_kill not seen")
	}
	if !strings.Contains(c.describe(), "cgroup v2") {
		t.Fatal(c.describe())
	}
}

func TestCgroupV1Files(t *testing.T) {
	root := t.TempDir()
	c := detectCgroupsAt(root, "borges")
	if c == nil || c.v2 {
		t.Fatalf("v1 not detected: %+v", c)
	}
	name, err := c.create("d.b.0.1", plan.Resources{CPUs: 2, MemMB: 100})
	if err != nil {
		t.Fatal(err)
	}
	if read(t, filepath.Join(root, "memory", "borges", name, "memory.limit_in_bytes")) != "104857600" ||
		read(t, filepath.Join(root, "cpu", "borges", name, "cpu.cfs_quota_us")) != "200000" {
		t.Fatal("limits not written")
	}
}
