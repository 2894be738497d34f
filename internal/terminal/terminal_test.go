package terminal

import (
	"bytes"
	"io"
	"os/exec"
	"syscall"
	"testing"
)

// TestStart: a program started on the terminal has it as its standard
// input, output and error and as its controlling terminal, set as Emacs
// sets it (stty -g prints what Stty gives, which is what it printed in a
// session shell of emacs -Q --batch), its window 0×0; a newline it writes
// comes as a newline (no carriage return).
func TestStart(t *testing.T) {
	if _, err := exec.LookPath("stty"); err != nil {
		t.Skip("no stty")
	}
	cmd := exec.Command("sh", "-c", `stty -g; stty size; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo terminal; tty > /dev/null && echo controlling`)
	master, err := Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		Kill(cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		master.Close()
	})
	var out bytes.Buffer
	// The master reads what the program wrote, then fails (EIO) once
	// it has ended.
	io.Copy(&out, master)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %q", err, out.String())
	}
	const emacs = "500:1:bf:8a33:3:1c:0:0:4:0:1:0:11:13:1a:0:12:f:17:16:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0"
	if Stty() != emacs {
		t.Fatalf("Stty() = %s, Emacs's terminal is %s", Stty(), emacs)
	}
	if want := emacs + "\n0 0\nterminal\ncontrolling\n"; out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}

// TestStartRefusesAGroup: a session leader has its own process group.
func TestStartRefusesAGroup(t *testing.T) {
	cmd := exec.Command("true")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if _, err := Start(cmd); err == nil {
		cmd.Wait()
		t.Fatal("started")
	}
}
