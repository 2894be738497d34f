package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestRemoveAttempts: an ended attempt's whole directory goes, with what
// its program made in it; symbolic links in it (or the directory being
// one) are removed as links, never followed; a running attempt's
// directory and ids that are not one directory name are refused.
func TestRemoveAttempts(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	precious := filepath.Join(outside, "precious")
	if err := os.WriteFile(precious, []byte("keep me\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, r := newBackend(t, dir)
	a := attempt("mkdir -p out/deep && echo x > out/deep/f && ln -s "+outside+" link && ln -s "+precious+" filelink && chmod 500 out/deep && echo done && echo warned >&2", nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	if _, err := os.Lstat(filepath.Join(b.SandboxDir(a.ID), "link")); err != nil {
		t.Fatalf("the program's link: %v", err)
	}
	// An attempt directory, and a sandbox, that are themselves links to
	// elsewhere.
	if err := os.Symlink(outside, b.AttemptDir("d.linked.0.1")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "sandboxes", "d.linked.0.2")); err != nil {
		t.Fatal(err)
	}
	running := attempt("sleep 1000", nil)
	if err := b.Launch(context.Background(), running); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Kill(context.Background(), running.ID); r.wait(t, running.ID) })
	r.wait(t, running.ID, engine.Running)

	err := b.RemoveAttempts(context.Background(), []string{a.ID, "d.linked.0.1", "d.linked.0.2", "d.never.0.1", running.ID, "../x", "a/b", "..", ""})
	if err == nil {
		t.Fatal("no error for a running attempt and bad ids")
	}
	for _, want := range []string{running.ID + ": still running", `"../x"`, `"a/b"`, `".."`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	for _, gone := range []string{a.ID, "d.linked.0.1", "d.linked.0.2"} {
		if left := madeFor(t, dir, gone); len(left) != 0 {
			t.Errorf("attempt %s: still there: %v", gone, left)
		}
	}
	if data, err := os.ReadFile(precious); err != nil || string(data) != "keep me\n" {
		t.Errorf("a file the links pointed to: %q, %v", data, err)
	}
	if _, err := os.Stat(b.SandboxDir(running.ID)); err != nil {
		t.Errorf("the running attempt's sandbox: %v", err)
	}
	for _, d := range []string{"attempts", "sandboxes", "outputs"} {
		if _, err := os.Stat(filepath.Join(dir, d)); err != nil {
			t.Errorf("the %s directory itself: %v", d, err)
		}
	}
}
