package cgroup

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestKillListedOnlyInTheCgroup: the first round of Kill signals the
// processes a listing found without freezing the cgroup, so a listed
// number may by then be a process outside it (the listed one exited and
// its number was reused). Such a process is never signalled; the
// cgroup's own are. A process outside the cgroup stands in for the
// reused number here.
func TestKillListedOnlyInTheCgroup(t *testing.T) {
	set, err := Setup(Discover(), fmt.Sprintf("borges-test-killlisted-%d", os.Getpid()))
	if err != nil {
		t.Skipf("no cgroups here: %v", err)
	}
	t.Cleanup(set.Release)
	g, err := set.Create("listed", plan.Resources{Pids: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Kill(); g.Remove() })
	start := func() *exec.Cmd {
		cmd := exec.Command("sleep", "300")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd
	}
	inside, outside := start(), start()
	if err := g.Add(inside.Process.Pid); err != nil {
		t.Fatal(err)
	}
	g.killListed([]int{inside.Process.Pid, outside.Process.Pid})
	if err := inside.Wait(); err == nil {
		t.Errorf("the cgroup's process was not killed")
	}
	// A SIGKILL sent to it earlier decides how it ends, whatever comes
	// after: the kernel drops signals to a process already exiting.
	outside.Process.Signal(syscall.SIGTERM)
	outside.Wait()
	if ws, ok := outside.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGTERM {
		t.Errorf("a process outside the cgroup was signalled: it ended with %v", outside.ProcessState)
	}
}
