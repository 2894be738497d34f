package proctest

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
)

// PasswdHome is the home the password database gives the test's uid,
// where a block whose HOME the document's Emacs removed takes ~ (as
// Emacs's get_homedir); the test is skipped where there is none or it
// is not a directory here.
func PasswdHome(t testing.TB) string {
	t.Helper()
	u, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if err != nil || u.HomeDir == "" {
		t.Skipf("no home for uid %d in the password database: %v", os.Getuid(), err)
	}
	if fi, err := os.Stat(u.HomeDir); err != nil || !fi.IsDir() {
		t.Skipf("the user's home %s is not a directory here: %v", u.HomeDir, err)
	}
	return u.HomeDir
}

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
