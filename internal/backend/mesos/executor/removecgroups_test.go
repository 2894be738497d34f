package executor

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/wallyqs/borges/internal/cgroup"
	"github.com/wallyqs/borges/internal/plan"
)

// TestRemoveCgroupsFrozenTask: what an executor killed while one of its
// tasks' cgroups was frozen (Kill freezes a cgroup for a round) leaves is
// removed whole, whatever the order of the hierarchies in CgroupsFile: a
// frozen process dies only once its freezer cgroup is thawed, and the
// other hierarchies' cgroups go only once it is dead.
func TestRemoveCgroupsFrozenTask(t *testing.T) {
	e, _ := testExecutor(t)
	useCgroups(t, e)
	if !e.cgroups.V2 && !e.cgroups.Has("freezer") {
		t.Skip("no freezer")
	}
	a, err := e.cgroups.Create("d.frozen.0.1.session", plan.Resources{Pids: plan.DefaultPids})
	if err != nil {
		t.Skip(err)
	}
	sleepIn(t, a)
	a.Freeze() // and never thawed: the executor is gone
	// The freezer hierarchy last, as a map's order may put it.
	var dirs []string
	for ctrl, d := range e.cgroups.Dirs {
		if ctrl != "freezer" {
			dirs = append(dirs, d)
		}
	}
	if d := e.cgroups.Dirs["freezer"]; d != "" {
		dirs = append(dirs, d)
	}
	if err := os.WriteFile(filepath.Join(e.cfg.Sandbox, CgroupsFile), []byte(strings.Join(dirs, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	RemoveCgroups(e.cfg.Sandbox)
	for _, d := range dirs {
		if _, err := os.Stat(d); err == nil {
			t.Errorf("%s left", d)
		}
	}
}

// TestCgroupsNamedBeforeMade: CgroupsFile names, before Setup makes them,
// every directory Setup makes, so that an executor killed meanwhile leaves
// none that RemoveCgroups does not find.
func TestCgroupsNamedBeforeMade(t *testing.T) {
	e, _ := testExecutor(t)
	useCgroups(t, e)
	var instance string
	for _, d := range e.cgroups.Dirs {
		instance = filepath.Base(d)
	}
	named := map[string]bool{}
	for _, d := range cgroup.Candidates(cgroup.Discover(), instance) {
		named[d] = true
	}
	for _, d := range e.cgroups.Dirs {
		if !named[d] {
			t.Errorf("%s made but not a candidate: %v", d, named)
		}
	}
}

// TestRemoveCgroupDirsByID: an executor's cgroups, its CgroupsFile lost,
// are found and removed from its id alone (cgroup.Candidates), a task's
// with its process in it included.
func TestRemoveCgroupDirsByID(t *testing.T) {
	e, _ := testExecutor(t)
	useCgroups(t, e)
	a, err := e.cgroups.Create("d.lost.0.1.session", plan.Resources{Pids: plan.DefaultPids})
	if err != nil {
		t.Skip(err)
	}
	sleepIn(t, a)
	if err := os.Remove(filepath.Join(e.cfg.Sandbox, CgroupsFile)); err != nil {
		t.Fatal(err)
	}
	var instance string
	for _, d := range e.cgroups.Dirs {
		instance = filepath.Base(d)
	}
	RemoveCgroupDirs(cgroup.Candidates(cgroup.Discover(), instance))
	for _, d := range e.cgroups.Dirs {
		if _, err := os.Stat(d); err == nil {
			t.Errorf("%s left", d)
		}
	}
}

// sleepIn starts a process in cgroup a; it is killed and a removed at
// cleanup, a thawed first.
func sleepIn(t *testing.T, a *cgroup.Group) {
	t.Helper()
	cmd := exec.Command("sleep", "1000")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan struct{})
	go func() { cmd.Wait(); close(waited) }()
	t.Cleanup(func() {
		a.Thaw()
		cmd.Process.Signal(syscall.SIGKILL)
		<-waited
		a.Remove()
	})
	if err := a.Add(cmd.Process.Pid); err != nil {
		t.Fatal(err)
	}
}
