package local

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
)

// A directory put at DATA/sandboxes/ID (the flat layout's name) before a
// container attempt launches is not its sandbox: the container's is
// DATA/attempts/ID/sandbox, made for it, and nothing of it goes to the
// other.
func TestContainerFlatSandboxNotTaken(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	a := inContainer("cat planted 2>/dev/null; echo mine > made; echo ran", nil)
	a.Files = []engine.StagedFile{{Path: "in.txt", Data: []byte("data"), Mode: 0o644}}
	flat := filepath.Join(b.cfg.DataDir, sandboxesDir, a.ID)
	if err := os.Mkdir(flat, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(flat, "planted"), []byte("planted by another\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	u := r.wait(t, a.ID)
	for _, name := range []string{"made", "in.txt"} {
		if _, err := os.Stat(filepath.Join(flat, name)); err == nil {
			t.Errorf("%s is in the directory another put at DATA/sandboxes/ID: it was taken for the container's sandbox", name)
		}
	}
	if _, err := os.Stat(filepath.Join(b.cfg.DataDir, "attempts", a.ID, sandboxName, "made")); err != nil {
		t.Errorf("the container did not write in the sandbox made for it: %v", err)
	}
	if u.State != engine.Finished {
		t.Errorf("update = %+v, want finished", u)
	}
}

// The program mounted is checked, as the sandbox is, to be the file
// written for the attempt: one put at its name since is refused.
func TestCheckMountsRefusesAProgramReplaced(t *testing.T) {
	b, _ := noCgroups(t, t.TempDir())
	a := inContainer("echo ours", nil)
	script, written := writeScript(t, b, a.ID, "echo ours\n")
	_, host := containerConfig(a, b.nestedPaths(a.ID).sandboxDir(), script, mountIDs{}, nil, nil, b.cfg.DataDir, b.cfg.MaxOutput, "")
	if err := b.checkMounts(a, host, written); err != nil {
		t.Fatalf("the mounts made for the attempt refused: %v", err)
	}
	forged := filepath.Join(t.TempDir(), "forged")
	if err := os.WriteFile(forged, []byte("echo forged\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(forged, script); err != nil {
		t.Fatal(err)
	}
	if err := b.checkMounts(a, host, written); err == nil {
		t.Errorf("a program put at DATA/attempts/ID/script since it was written would be mounted")
	}
}

// writeScript makes attempt id's directories and writes its program, as
// a launch does; it returns the program's path and identity.
func writeScript(t *testing.T, b *Backend, id, script string) (string, fileID) {
	t.Helper()
	if err := b.makeAttemptDirs(id); err != nil {
		t.Fatal(err)
	}
	path := b.attemptFile(id, "script")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	var written fileID
	var err error
	if written.dev, written.ino, err = b.roots.dir("attempts").IdentityOf(id + "/script"); err != nil {
		t.Fatal(err)
	}
	return path, written
}
