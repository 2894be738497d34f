package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// An absolute :dir is made, and the process started in it, with no link
// followed: a link a task put on its way (it runs as the server's user)
// is refused, the launch failing with the block's line and its :dir,
// and nothing is made, nor run, where the link leads.
func TestAbsoluteDirFollowsNoLink(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	top := t.TempDir()
	elsewhere := filepath.Join(top, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, link, dir string }{
		{"on its way", "way", "way/sub"},
		{"at its end", "end", "end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.Symlink(elsewhere, filepath.Join(top, tc.link)); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(top, tc.dir)
			a := attempt("echo ran > here", func(task *plan.Task) { task.Dir = dir; task.Line = 42 })
			err := b.Launch(context.Background(), a)
			if err == nil {
				r.wait(t, a.ID)
				t.Fatalf("launched in %s, a link on its way followed", dir)
			}
			if msg := err.Error(); !strings.Contains(msg, "line 42") || !strings.Contains(msg, dir) || !strings.Contains(msg, "symbolic link") {
				t.Fatalf("error %q names neither the block's line, its :dir, nor the link", msg)
			}
			names, _ := os.ReadDir(elsewhere)
			if len(names) != 0 {
				t.Fatalf("made where the link leads: %v", names)
			}
		})
	}
	// A directory of its own is made and run in, as before.
	dir := filepath.Join(top, "made", "deep")
	a := attempt("pwd -P > where", func(task *plan.Task) { task.Dir = dir })
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	got, err := os.ReadFile(filepath.Join(dir, "where"))
	if err != nil || strings.TrimSpace(string(got)) != dir {
		t.Fatalf("ran in %q (%v), want %q", got, err, dir)
	}
}
