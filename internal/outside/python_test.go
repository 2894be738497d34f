package outside

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnshimPython: a "python3" that is a script naming another
// interpreter (as a pyenv shim does) gives way to that interpreter's
// directory, first on PATH; an interpreter that is no script leaves PATH
// as it is.
func TestUnshimPython(t *testing.T) {
	shims, real := t.TempDir(), t.TempDir()
	// The interpreter: any executable that is no script.
	elf, err := os.ReadFile("/bin/true")
	if err != nil {
		t.Skipf("no /bin/true to stand for an interpreter: %v", err)
	}
	if err := os.WriteFile(filepath.Join(real, "python3"), elf, 0o755); err != nil {
		t.Fatal(err)
	}
	shim := "#!/bin/sh\necho " + filepath.Join(real, "python3") + "\n"
	if err := os.WriteFile(filepath.Join(shims, "python3"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", shims+string(os.PathListSeparator)+"/usr/bin:/bin")
	if err := UnshimPython(); err != nil {
		t.Fatal(err)
	}
	if got := os.Getenv("PATH"); !strings.HasPrefix(got, real+string(os.PathListSeparator)+shims) {
		t.Fatalf("PATH %q does not start with the interpreter's directory %s", got, real)
	}
	// Again: the python3 found now is the interpreter, PATH stays.
	before := os.Getenv("PATH")
	if err := UnshimPython(); err != nil {
		t.Fatal(err)
	}
	if got := os.Getenv("PATH"); got != before {
		t.Fatalf("PATH changed to %q where python3 is no script", got)
	}
}

// TestSitelessPython: python3 on PATH becomes a virtual environment of
// the same interpreter whose sys.path holds none of the interpreter's
// site-packages, made once in the user's cache directory and found there
// the next time; a name that found another program (or none) finds it
// still.
func TestSitelessPython(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3 on PATH")
	}
	exe, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		t.Fatal(err)
	}
	// python3, alone in a directory of its own: the interpreter (a
	// link to it, as a distribution's /usr/bin/python3 is).
	dir := t.TempDir()
	base := filepath.Join(dir, "python3")
	if err := os.Symlink(strings.TrimSpace(string(exe)), base); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	// "python" finds another program (no Python) in a directory after
	// python3's.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "python"), []byte("#!/bin/sh\necho other\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := dir + string(os.PathListSeparator) + other + string(os.PathListSeparator) + "/usr/bin:/bin"
	t.Setenv("PATH", path)
	bin, gotBase, err := SitelessPython()
	if err != nil {
		t.Fatal(err)
	}
	if gotBase != base {
		t.Errorf("base interpreter %q, want %q", gotBase, base)
	}
	if got := os.Getenv("PATH"); got != bin+string(os.PathListSeparator)+path {
		t.Fatalf("PATH %q does not start with the environment's bin %s", got, bin)
	}
	if p := mustLook(t, "python3"); p != filepath.Join(bin, "python3") {
		t.Fatalf("python3 is %s, not the environment's", p)
	}
	if p := mustLook(t, "python"); p != filepath.Join(other, "python") {
		t.Errorf("python is %s now, was %s", p, filepath.Join(other, "python"))
	}
	out, err := exec.Command("python3", "-c", `import sys, site; print(sys.prefix != sys.base_prefix, any(p.endswith("-packages") and p.startswith(sys.base_prefix) for p in sys.path), sys.version)`).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	baseVersion, err := exec.Command(base, "-c", "import sys; print(sys.version)").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "True False " + string(baseVersion); string(out) != want {
		t.Errorf("in the environment: %q, want %q (a venv, no site-packages of the interpreter, its version)", out, want)
	}
	// Again: the same environment, kept.
	cfg := filepath.Join(filepath.Dir(bin), "pyvenv.cfg")
	before, err := os.Stat(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", path)
	again, _, err := SitelessPython()
	if err != nil {
		t.Fatal(err)
	}
	if after, err := os.Stat(cfg); again != bin || err != nil || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("made again: %s (was %s), %v", again, bin, err)
	}
}

func mustLook(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
