package proctest

import (
	"io"
	"os/exec"
	"syscall"
	"testing"

	"github.com/wallyqs/borges/internal/terminal"
)

// StartOnTerminal starts argv in dir with env on a terminal set as Emacs
// sets it (terminal.Start), as the local backend starts a session's
// interpreter; it is killed with whatever it runs, waited for and its
// terminal closed when the test ends. It gives the terminal's master, to
// write the interpreter's input to and read its output from.
func StartOnTerminal(t testing.TB, dir string, env, argv []string) io.ReadWriter {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	master, err := terminal.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		terminal.Kill(cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		master.Close()
	})
	return master
}
