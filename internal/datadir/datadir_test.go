package datadir

import (
	"os"
	"path/filepath"
	"testing"
)

// Make names DATA as the kernel reaches it, however it is
// spelled: relative to the working directory (itself reached through a
// link), through a link to it, with a ".." after a link (the parent of
// where the link leads), slashes doubled or trailing; it makes DATA,
// mode 0700, if it is not there.
func TestMakeSpellings(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"real/data", "inner/deeper", "work"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for link, to := range map[string]string{"link": "real/data", "sub": "inner/deeper", "wlink": "work"} {
		if err := os.Symlink(filepath.Join(root, to), filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	// The working directory through a link: wlink/.. is root, not the
	// directory wlink is in read lexically (also root here: see "../").
	t.Chdir(filepath.Join(root, "wlink"))
	for spelling, want := range map[string]string{
		root + "/link":             root + "/real/data",
		root + "//link/":           root + "/real/data",
		root + "/sub/../../new":    root + "/new",
		"../link":                  root + "/real/data",
		"made/here":                root + "/work/made/here",
		"./made//there/":           root + "/work/made/there",
		"../sub/../x":              root + "/inner/x",
		root + "/link/../../data2": root + "/data2",
	} {
		got, err := Make(spelling)
		if err != nil {
			t.Errorf("%s: %v", spelling, err)
			continue
		}
		if got != want {
			t.Errorf("Make(%q) = %q, want %q", spelling, got, want)
		}
		info, err := os.Stat(want)
		if err != nil || !info.IsDir() {
			t.Errorf("%s: %s not made (%v)", spelling, want, err)
		} else if info.Mode().Perm() != 0o700 {
			t.Errorf("%s: %s of mode %v, want 0700", spelling, want, info.Mode().Perm())
		}
	}
}
