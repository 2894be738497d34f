package mesos

import (
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
)

// TestGuardScript: the guard, run by dash, bash and busybox's ash, waits
// while the task's shell lives, then kills every process carrying its
// marker — wherever they moved — and no other, not even one whose marker
// differs in its last character, and exits.
func TestGuardScript(t *testing.T) {
	shells := map[string][]string{
		"dash":    {outside.Need(t, "dash", "dash")},
		"bash":    {outside.Need(t, "bash", "bash")},
		"busybox": {outside.Need(t, "busybox-static", "busybox"), "sh"},
	}
	for name, sh := range shells {
		t.Run(name, func(t *testing.T) {
			marker := strings.Repeat("ab", 16)
			mine, other := proctest.Marker(t), proctest.Marker(t)
			start := func(env []string, m string) {
				// A session of its own, whose parent has exited.
				c := exec.Command("/bin/sh", "-c", "(setsid sleep "+m+" &)")
				c.Env = append(os.Environ(), env...)
				if err := c.Run(); err != nil {
					t.Fatal(err)
				}
			}
			start([]string{EnvMesosTask + "=" + marker}, mine)
			start([]string{EnvMesosTask + "=" + marker[:31] + "c"}, other)
			start([]string{"OTHER=" + marker}, other)
			proctest.WaitMarked(t, mine, 1)
			proctest.WaitMarked(t, other, 2)
			task := exec.Command("sleep", "600")
			if err := task.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { task.Process.Kill(); task.Wait() })
			args := append(append([]string{}, sh[1:]...), "-c", guardScript, "borges-guard", strconv.Itoa(task.Process.Pid))
			guard := exec.Command(sh[0], args...)
			guard.Env = append(os.Environ(), EnvMesosTask+"="+marker)
			out, err := guard.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			guard.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
			if err := guard.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { guard.Process.Kill(); guard.Wait() })
			// The guard closes its output once it holds the task's start.
			if _, err := io.ReadAll(out); err != nil {
				t.Fatal(err)
			}
			if n := len(proctest.WithMarker(mine)); n != 1 {
				t.Fatalf("the guard killed while the task ran: %d left", n)
			}
			task.Process.Kill()
			task.Wait()
			proctest.WaitGone(t, mine)
			if err := guard.Wait(); err != nil {
				t.Fatalf("guard: %v", err)
			}
			if n := len(proctest.WithMarker(other)); n != 2 {
				t.Fatalf("the guard killed %d processes not of its task", 2-n)
			}
		})
	}
}
