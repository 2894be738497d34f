package terminal_test

import (
	"bufio"
	"os/exec"
	"syscall"
	"testing"

	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/terminal"
)

// TestKill: Kill ends the jobs that a shell with job control (as a shell
// on a terminal has) runs in process groups of their own, with the shell.
func TestKill(t *testing.T) {
	m := proctest.Marker(t)
	cmd := exec.Command("sh", "-c", "set -m; sleep "+m+" & echo started; wait")
	tty, err := terminal.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		terminal.Kill(cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		tty.Close()
	})
	if line, err := bufio.NewReader(tty).ReadString('\n'); err != nil || line != "started\n" {
		t.Fatalf("%q %v", line, err)
	}
	proctest.WaitMarked(t, m, 1)
	pids := proctest.WithMarker(m)
	if pgid, _ := syscall.Getpgid(pids[0]); pgid == cmd.Process.Pid {
		t.Fatalf("the job is in the shell's process group: the test shows nothing")
	}
	terminal.Kill(cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	proctest.WaitGone(t, m)
}
