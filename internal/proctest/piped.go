package proctest

import (
	"io"
	"os"
	"os/exec"
	"testing"
)

// StartPiped starts argv in dir with env, its standard input a pipe and
// its standard output and error one pipe, as a backend that has no
// terminal to give starts a session's interpreter; it is killed, waited
// for and its pipe closed when the test ends. It gives the interpreter's
// input and its output.
func StartPiped(t testing.TB, dir string, env, argv []string) (io.WriteCloser, io.Reader) {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		w.Close()
		r.Close()
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		r.Close()
	})
	return in, r
}
