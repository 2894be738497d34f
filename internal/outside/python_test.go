package outside

import (
	"os"
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
