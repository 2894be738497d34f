// Package outside finds the outside programs some tests need (Emacs, the
// Docker engine, Chromium). Where one is missing the test is skipped with a
// message saying what to install, except under BORGES_TEST_STRICT=1 (set by
// .ci/run), where a missing program is a failure: CI must not pass by
// skipping the tests that matter most.
package outside

import (
	"os"
	"os/exec"
	"testing"
)

// Strict reports whether missing outside programs fail tests.
func Strict() bool { return os.Getenv("BORGES_TEST_STRICT") == "1" }

// Need returns the path of the first of names found on PATH. If none is
// found it skips the test (or fails it in strict mode) naming the Debian
// package that provides it.
func Need(t testing.TB, debianPackage string, names ...string) string {
	t.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, "%v not found on PATH (install the Debian package %s)", names, debianPackage)
	return ""
}

// Missing skips the test with the message, or fails it in strict mode.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if Strict() {
		t.Fatalf("BORGES_TEST_STRICT=1: "+format, args...)
	}
	t.Skipf(format, args...)
}
