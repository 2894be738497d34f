package proctest

import (
	"os"
	"path/filepath"
	"testing"
)

// CopyDotFiles copies the files of dir whose names begin with a dot (rc
// files, start files) into home, a HOME made for a test.
func CopyDotFiles(t testing.TB, dir, home string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, ".*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in %s: %v", dir, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
