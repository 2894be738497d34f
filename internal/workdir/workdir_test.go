package workdir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// ownOf is an Own holding the directory at path, by identity.
func ownOf(t *testing.T, path string) Own {
	t.Helper()
	d, err := sandboxfs.OpenDir(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	id, err := Of(d)
	if err != nil {
		t.Fatal(err)
	}
	return Own{Is: func(x ID) bool { return x == id }, Name: "the state " + path}
}

// Open: the sandbox and a relative :dir beneath it through no link; an
// absolute one through the user's links, the rest made through none,
// never into the state own names (by a link, by its path, by climbing).
func TestOpen(t *testing.T) {
	top := t.TempDir()
	state, box, elsewhere := filepath.Join(top, "state"), filepath.Join(top, "state", "box"), filepath.Join(top, "elsewhere")
	for _, d := range []string{box, elsewhere} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for link, to := range map[string]string{filepath.Join(box, "x"): elsewhere, filepath.Join(top, "way"): elsewhere,
		filepath.Join(top, "intostate"): state} {
		if err := os.Symlink(to, link); err != nil {
			t.Fatal(err)
		}
	}
	own := func() (Own, error) { return ownOf(t, state), nil }
	openBox := func() (*sandboxfs.Dir, error) { return sandboxfs.OpenDir(box) }
	for _, tc := range []struct{ work, ran, refused string }{
		{box, box, ""},
		{filepath.Join(box, "a", "b"), filepath.Join(box, "a", "b"), ""},
		{filepath.Join(box, "x", "new"), "", "symbolic link"},
		{filepath.Join(top, "way", "made"), filepath.Join(elsewhere, "made"), ""},
		{filepath.Join(top, "intostate", "other"), "", "the state " + state},
		{state, "", "the state " + state},
		{filepath.Join(box, "..", "up"), "", "the state " + state},
	} {
		d, err := Open(openBox, box, filepath.Clean(tc.work), own)
		if tc.refused != "" {
			if err == nil || !strings.Contains(err.Error(), tc.refused) {
				t.Errorf("%s: %v, want refused (%s)", tc.work, err, tc.refused)
			}
			d.Close()
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.work, err)
			continue
		}
		var want unix.Stat_t
		if err := unix.Stat(tc.ran, &want); err != nil {
			t.Fatal(err)
		}
		if got, err := Of(d); err != nil || got != (ID{uint64(want.Dev), want.Ino}) {
			t.Errorf("%s: opened %v (%v), not %s", tc.work, got, err, tc.ran)
		}
		d.Close()
	}
	for _, p := range []string{filepath.Join(elsewhere, "new"), filepath.Join(state, "other"), filepath.Join(state, "up")} {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s made (%v)", p, err)
		}
	}
}
