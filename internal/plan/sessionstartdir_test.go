package plan

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSessionStartDirHome: the harness starts a session whose first :dir
// names ~ in the home of the session's own environment (a fixture's
// HOME, as its Emacs and the session get it), as the local backend does
// (taskenv.Home), never in the test process's HOME, which it would also
// make directories in (review F2).
func TestSessionStartDirHome(t *testing.T) {
	home := t.TempDir()
	real, _ := os.UserHomeDir()
	name := "borges-" + filepath.Base(filepath.Dir(home))
	got := sessionStartDir(t, t.TempDir(), "~/"+name, append(os.Environ(), "HOME="+home))
	if real != "" {
		leaked := filepath.Join(real, name)
		t.Cleanup(func() { os.Remove(leaked) })
		if _, err := os.Stat(leaked); err == nil {
			t.Errorf("made %s in the test's own HOME", leaked)
		}
	}
	if want := filepath.Join(home, name); got != want {
		t.Fatalf("sessionStartDir = %q; want %q", got, want)
	}
	if fi, err := os.Stat(got); err != nil || !fi.IsDir() {
		t.Errorf("%s not made: %v", got, err)
	}
}
