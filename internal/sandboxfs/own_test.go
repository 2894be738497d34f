package sandboxfs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestOwn: Own sets the mode of a file or directory beneath its root,
// and refuses, changing nothing, a symbolic link at the name or on the
// way to it.
func TestOwn(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	target := filepath.Join(outside, "target")
	if err := os.WriteFile(target, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "sub"), 0o700))
	must(os.WriteFile(filepath.Join(root, "sub", "f"), []byte("x"), 0o600))
	must(os.Symlink(target, filepath.Join(root, "link")))
	must(os.Symlink(outside, filepath.Join(root, "dirlink")))
	for _, c := range []struct {
		name    string
		refused bool
		mode    os.FileMode
	}{
		{".", false, 0o755},
		{"sub", false, 0o777},
		{"sub/f", false, 0o644},
		{"link", true, 0o666},
		{"dirlink/target", true, 0o666},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := Own(root, c.name, -1, -1, c.mode)
			if c.refused {
				if !errors.Is(err, ErrRefused) {
					t.Fatalf("Own: %v, want refused", err)
				}
				if st, _ := os.Stat(target); st.Mode().Perm() != 0o600 {
					t.Fatalf("the link's target became %v", st.Mode().Perm())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st, _ := os.Lstat(filepath.Join(root, c.name)); st.Mode().Perm() != c.mode {
				t.Fatalf("mode %v, want %v", st.Mode().Perm(), c.mode)
			}
		})
	}
	if os.Geteuid() == 0 {
		must(Own(root, "sub/f", 65534, 65534, 0o600))
		var st os.FileInfo
		st, err := os.Lstat(filepath.Join(root, "sub", "f"))
		must(err)
		if uid := fileUID(st); uid != 65534 {
			t.Fatalf("owner %d, want 65534", uid)
		}
	}
}
