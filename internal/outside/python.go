package outside

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// UnshimPython puts first on PATH the directory of the Python interpreter
// that "python3" on PATH runs, where that is a version manager's shim (a
// script, as pyenv's are) and not the interpreter itself. Every Python a
// test starts — its own, Emacs's, a shell block's "python3" — is then the
// interpreter the shim would have chosen, started at once: a pyenv shim
// runs bash and a chain of pyenv's scripts first, ten times the
// interpreter's own start on a loaded 2-core machine, and the tests that
// compare Borges with Emacs start Python thousands of times. pyenv puts
// the same directory first on the PATH of what it runs, so the programs
// see the environment they saw through the shim. Without a Python, or
// where "python3" is the interpreter, PATH stays as it is. Called from
// TestMain, before any test runs (it sets the process's environment).
func UnshimPython() error {
	shim, err := exec.LookPath("python3")
	if err != nil || !isScript(shim) {
		return nil
	}
	out, err := exec.Command(shim, "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		return fmt.Errorf("asking %s for its interpreter: %w", shim, err)
	}
	exe := strings.TrimSpace(string(out))
	if exe == "" || isScript(exe) {
		return fmt.Errorf("%s names no interpreter of its own (%q)", shim, exe)
	}
	dir := filepath.Dir(exe)
	if _, err := os.Stat(filepath.Join(dir, "python3")); err != nil {
		return fmt.Errorf("the interpreter %s has no python3 beside it: %w", exe, err)
	}
	return os.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// isScript reports whether the file at path starts with "#!": a script
// that runs another program, not an executable of its own.
func isScript(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	n, _ := f.Read(head)
	return bytes.Equal(head[:n], []byte("#!"))
}
