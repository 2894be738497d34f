package local

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/sandboxfs"
)

// TestStagedFilesOwnedInContainer: the files placed in a container's
// sandbox, and the directories made for them, belong to the user the
// container runs as (nobody here), as the sandbox does: its program
// writes to one, makes a file beside it, and reads one whose :file-mode
// keeps others out (0600).
func TestStagedFilesOwnedInContainer(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	a := asNobody("cat secret.txt; echo new >> sub/w.txt; echo made > sub/new.txt; cat sub/w.txt sub/new.txt", func(task *plan.Task) {})
	a.Files = []engine.StagedFile{{Path: "secret.txt", Data: []byte("s\n"), Mode: 0o600}, {Path: "sub/w.txt", Data: []byte("old\n"), Mode: 0o644}}
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 1000)
		t.Fatalf("update = %+v, stderr %q", u, errOut)
	}
	if got, want := stdout(t, b, a.ID), "s\nold\nnew\nmade\n"; got != want {
		t.Fatalf("stdout = %q, want %q", got, want)
	}
	// Owned, not passed through the fallback that shares them with all.
	if os.Geteuid() != 0 || b.docker.remapsUsers(context.Background()) {
		t.Skip("Borges cannot give files away here (not root, or the engine remaps users)")
	}
	for _, p := range []string{"secret.txt", "sub", "sub/w.txt"} {
		st, err := os.Lstat(filepath.Join(b.SandboxDir(a.ID), p))
		if err != nil {
			t.Fatal(err)
		}
		if uid := st.Sys().(*syscall.Stat_t).Uid; uid != 65534 {
			t.Errorf("%s: owner %d, want 65534 (the container's user)", p, uid)
		}
	}
}

// TestStagedFilesSharedWhenNotOwned: where Borges cannot give the files
// away (an engine that remaps users), it does as for the sandbox: the
// directories made for them are writable by all, and each file gives
// everyone its owner's permissions.
func TestStagedFilesSharedWhenNotOwned(t *testing.T) {
	sandbox := t.TempDir()
	files := []engine.StagedFile{{Path: "a/b/secret", Data: []byte("s"), Mode: 0o600}, {Path: "a/run", Data: []byte("x"), Mode: 0o750}}
	if err := placeFiles(heldDir(t, sandbox), &engine.Attempt{ID: "x", Files: files}); err != nil {
		t.Fatal(err)
	}
	if err := ownStaged(heldDir(t, sandbox), files, 65534, 65534, true); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		mode os.FileMode
	}{{"a", 0o777}, {"a/b", 0o777}, {"a/b/secret", 0o666}, {"a/run", 0o777}} {
		st, err := os.Lstat(filepath.Join(sandbox, c.path))
		if err != nil || st.Mode().Perm() != c.mode {
			t.Errorf("%s: %v, %v, want %v", c.path, st.Mode().Perm(), err, c.mode)
		}
	}
}

// TestOwnStagedNoLinkFollowed: a link swapped in where a staged file or
// its directory was placed is refused by ownStaged, never followed: the
// link's target keeps its mode (and owner).
func TestOwnStagedNoLinkFollowed(t *testing.T) {
	for _, at := range []string{"sub", "sub/f"} {
		t.Run(at, func(t *testing.T) {
			sandbox, outside := t.TempDir(), t.TempDir()
			target := filepath.Join(outside, "f")
			if err := os.WriteFile(target, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			files := []engine.StagedFile{{Path: "sub/f", Data: []byte("s"), Mode: 0o644}}
			if err := placeFiles(heldDir(t, sandbox), &engine.Attempt{ID: "x", Files: files}); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(sandbox, at)
			if err := os.RemoveAll(link); err != nil {
				t.Fatal(err)
			}
			to := outside
			if at == "sub/f" {
				to = target
			}
			if err := os.Symlink(to, link); err != nil {
				t.Fatal(err)
			}
			if err := ownStaged(heldDir(t, sandbox), files, 65534, 65534, true); err == nil {
				t.Fatal("ownStaged went through a link")
			}
			if st, _ := os.Stat(target); st.Mode().Perm() != 0o600 {
				t.Fatalf("the link's target became %v", st.Mode().Perm())
			}
		})
	}
}

// heldDir opens the directory at path as a sandbox is held (closed when
// the test ends).
func heldDir(t *testing.T, path string) *sandboxfs.Dir {
	t.Helper()
	d, err := sandboxfs.OpenDir(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
