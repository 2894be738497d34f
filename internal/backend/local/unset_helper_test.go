package local

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/taskenv"
)

// staticUnsetHelper builds a statically linked program that runs as
// taskenv.UnsetMain (internal/taskenv/unsetexec, CGO_ENABLED=0), what a
// static borges is to its containers, in a directory removed in
// t.Cleanup.
func staticUnsetHelper(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build the helper with")
	}
	path := filepath.Join(t.TempDir(), taskenv.UnsetName)
	cmd := exec.Command("go", "build", "-o", path, "github.com/wallyqs/borges/internal/taskenv/unsetexec")
	cmd.Env = append(cmd.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the helper: %v\n%s", err, out)
	}
	if !taskenv.Static(path) {
		t.Fatalf("%s is not statically linked", path)
	}
	return path
}
