package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWrite: the file holds what was written, with its mode, over an
// older one, and nothing is left beside it; into a directory that is
// not there it fails.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	for _, data := range []string{"old", "new, longer"} {
		if err := Write(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != data {
			t.Fatalf("read %q, %v; want %q", got, err, data)
		}
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", st.Mode(), err)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 1 {
		t.Fatalf("directory holds %v (%v), want the file alone", entries, err)
	}
	if err := Write(filepath.Join(dir, "missing", "r.json"), []byte("x"), 0o600); err == nil {
		t.Fatal("wrote into a directory that is not there")
	}
}
