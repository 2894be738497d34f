package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// DATA/sandboxes replaced by a link once the server runs: a process
// attempt (the flat layout) is neither made nor run where the link leads,
// whether its sandbox is made anew or taken from the pool; it is refused,
// saying so.
func TestProcessSandboxThroughLink(t *testing.T) {
	for _, pooled := range []bool{false, true} {
		t.Run(map[bool]string{false: "fresh", true: "pooled"}[pooled], func(t *testing.T) {
			ctx := context.Background()
			b, r := noCgroups(t, t.TempDir())
			if pooled {
				fillPool(t, b, r)
			}
			sandboxes := filepath.Join(b.cfg.DataDir, sandboxesDir)
			away := t.TempDir()
			if err := os.Rename(sandboxes, sandboxes+".moved"); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(away, sandboxes); err != nil {
				t.Fatal(err)
			}
			a := attempt("echo ours > made; pwd -P", nil)
			err := b.Launch(ctx, a)
			if err == nil {
				t.Errorf("launched with DATA/sandboxes replaced by a link: %+v", r.wait(t, a.ID))
			} else if !strings.Contains(err.Error(), "restart the server") {
				t.Errorf("launch refused with %v, want it to say DATA/sandboxes was replaced", err)
			}
			if names, _ := os.ReadDir(away); len(names) != 0 {
				t.Errorf("the attempt's sandbox was made or run where the link leads: %s", names[0].Name())
			}
			_ = engine.Finished
		})
	}
}

// The working directory a process is started in is the sandbox made for
// it, even if its path leads elsewhere by the time the process starts:
// a relative :dir is made, and the process run, in the held sandbox.
func TestProcessRunsInTheSandboxMade(t *testing.T) {
	ctx := context.Background()
	b, r := noCgroups(t, t.TempDir())
	a := attempt("pwd -P; echo ours > made", nil)
	a.Task.Dir = "sub/dir"
	if err := b.Launch(ctx, a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	sandbox := filepath.Join(b.cfg.DataDir, sandboxesDir, a.ID)
	if _, err := os.Stat(filepath.Join(sandbox, "sub/dir/made")); err != nil {
		t.Errorf("the process did not run in :dir beneath its sandbox: %v", err)
	}
	out, _, _ := b.ReadLog(ctx, a.ID, "stdout", 0, 1000)
	if real, _ := filepath.EvalSymlinks(filepath.Join(sandbox, "sub/dir")); strings.TrimSpace(string(out)) != real {
		t.Errorf("pwd -P = %q, want %q", out, real)
	}
}

// fillPool runs an attempt to its end and removes it: its sandbox and
// outputs go to the pool.
func fillPool(t *testing.T, b *Backend, r *recorder) {
	t.Helper()
	done := attempt("echo x; echo y >&2", nil)
	if err := b.Launch(context.Background(), done); err != nil {
		t.Fatal(err)
	}
	r.wait(t, done.ID)
	if err := b.RemoveAttempts(context.Background(), []string{done.ID}); err != nil {
		t.Fatal(err)
	}
}
