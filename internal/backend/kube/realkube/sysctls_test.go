package realkube

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestSysctlsOfAKilledClusterAreRestored: a cluster whose test binary was
// killed left the kubelet's kernel values in place and the machine's
// values in the file beside the lock; the next cluster restores the
// machine's, not the killed kubelet's.
func TestSysctlsOfAKilledClusterAreRestored(t *testing.T) {
	if os.Geteuid() != 0 {
		outside.Missing(t, "real Kubernetes: writing kernel parameters needs root")
		return
	}
	// Another test binary's cluster saves and restores the same values:
	// the machine's cluster lock keeps it from saving this test's.
	held := &Cluster{t: t}
	held.takeLock()
	t.Cleanup(func() { held.lock.Close() })
	const key = "kernel/panic"
	read := func() string {
		data, err := os.ReadFile("/proc/sys/" + key)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(data))
	}
	machine := read()
	t.Cleanup(func() { os.WriteFile("/proc/sys/"+key, []byte(machine), 0o644) })
	// What a killed kubelet set, and the machine's value it had saved.
	killedKubelets := "17"
	if machine == killedKubelets {
		killedKubelets = "18"
	}
	if err := os.WriteFile("/proc/sys/"+key, []byte(killedKubelets), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(t.TempDir(), "sysctls.saved")
	if err := os.WriteFile(saved, []byte(key+" "+machine+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &Cluster{t: t, sysctls: map[string]string{}, sysctlsFile: saved}
	c.saveSysctls()
	if got := c.sysctls[key]; got != machine {
		t.Fatalf("the machine's %s taken as %q, want %q (what the killed cluster saved)", key, got, machine)
	}
	c.restoreSysctls()
	if got := read(); got != machine {
		t.Fatalf("%s after the cluster: %s, want the machine's %s", key, got, machine)
	}
	if _, err := os.Stat(saved); !os.IsNotExist(err) {
		t.Fatalf("the saved values are still beside the lock: %v", err)
	}
}
