package outside

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
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

// SitelessPython puts first on PATH a virtual environment of the Python
// that "python3" on PATH runs, made without the interpreter's
// site-packages (python3 -m venv --without-pip): the same interpreter,
// its standard library, and none of what the machine installed beside
// it. A site-packages' .pth file runs at every start (one importing
// certifi costs three times the interpreter's own start), and the tests
// that compare Borges with Emacs start Python thousands of times, on both
// sides. The environment is made once, in the user's cache directory
// (borges-python/, one a base interpreter: its path, and the file it
// resolves to by size and time), and kept. Its bin holds python3 and, of
// the other names venv links there (python, python3.N), those that name
// the same interpreter on PATH already: what a name finds stays what it
// found. Returned: the environment's bin (put on PATH) and the base
// interpreter's path, as PATH found it (both "" without a python3 on
// PATH). Called from TestMain, after UnshimPython, before any test runs
// (it sets the process's environment).
func SitelessPython() (bin, base string, err error) {
	base, err = exec.LookPath("python3")
	if err != nil {
		return "", "", nil
	}
	real, err := filepath.EvalSymlinks(base)
	if err != nil {
		return "", "", err
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", "", err
	}
	// The names (besides python3) that already find this interpreter.
	same := map[string]bool{"python3": true}
	for _, name := range []string{"python", filepath.Base(real)} {
		if p, err := exec.LookPath(name); err == nil {
			if r, err := filepath.EvalSymlinks(p); err == nil && r == real {
				same[name] = true
			}
		}
	}
	var names []string
	for name := range same {
		names = append(names, name)
	}
	sort.Strings(names)
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", "", err
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\n%s\n%d %d\n%s", base, real, st.Size(), st.ModTime().UnixNano(), strings.Join(names, " "))))
	dir := filepath.Join(cache, "borges-python", hex.EncodeToString(sum[:8]))
	bin = filepath.Join(dir, "bin")
	if _, err := os.Stat(filepath.Join(dir, "pyvenv.cfg")); err != nil {
		if err := makeVenv(base, dir, same); err != nil {
			return "", "", err
		}
	}
	return bin, base, os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// makeVenv makes the environment of SitelessPython in dir: made beside
// it and renamed, so that tests started side by side see it whole or
// not at all; its bin keeps only the names in keep.
func makeVenv(base, dir string, keep map[string]bool) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "making-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if out, err := exec.Command(base, "-m", "venv", "--without-pip", tmp).CombinedOutput(); err != nil {
		return fmt.Errorf("%s -m venv --without-pip: %v\n%s", base, err, out)
	}
	entries, err := os.ReadDir(filepath.Join(tmp, "bin"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type()&os.ModeSymlink != 0 && !keep[e.Name()] {
			if err := os.Remove(filepath.Join(tmp, "bin", e.Name())); err != nil {
				return err
			}
		}
	}
	if _, err := os.Lstat(filepath.Join(tmp, "bin", "python3")); err != nil {
		return fmt.Errorf("the environment venv made has no bin/python3: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "pyvenv.cfg")); statErr == nil {
			// Made by another test binary meanwhile.
			return nil
		}
		return err
	}
	return nil
}
