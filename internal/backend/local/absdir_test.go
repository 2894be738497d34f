package local

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// An absolute :dir is made, and the process started in it, following the
// user's links as Emacs does (a link on its way, or at its end, outside
// Borges' data directory): the block runs where the links lead, the
// missing components made there.
func TestAbsoluteDirFollowsUsersLink(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	top := t.TempDir()
	elsewhere := filepath.Join(top, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, link, dir, want string }{
		{"on its way", "way", "way/sub/deep", "sub/deep"},
		{"at its end", "end", "end", "."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.Symlink(elsewhere, filepath.Join(top, tc.link)); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(top, tc.dir)
			a := attempt("pwd -P > where", func(task *plan.Task) { task.Dir = dir; task.Line = 42 })
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			if u := r.wait(t, a.ID); u.State != engine.Finished {
				t.Fatalf("update = %+v", u)
			}
			want := filepath.Join(elsewhere, tc.want)
			got, err := os.ReadFile(filepath.Join(want, "where"))
			if err != nil || strings.TrimSpace(string(got)) != want {
				t.Fatalf("ran in %q (%v), want %q", got, err, want)
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

// A system's own link, as /var/run -> /run on merged-/usr systems, is
// followed too.
func TestAbsoluteDirFollowsSystemLink(t *testing.T) {
	target, err := filepath.EvalSymlinks("/var/run")
	if err != nil || target == "/var/run" {
		t.Skip("/var/run is no link here")
	}
	b, r := noCgroups(t, t.TempDir())
	a := attempt("pwd -P", func(task *plan.Task) { task.Dir = "/var/run" })
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	if out, _, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 4096); err != nil || strings.TrimSpace(string(out)) != target {
		t.Fatalf("ran in %q (%v), want %q", out, err, target)
	}
}

// `:dir ~` runs in the home directory where HOME is a link (a home
// behind a link, as /home -> var/home on some systems), told it as
// written, as Emacs tells it (PWD the :dir, links not resolved): `pwd`
// and $PWD print the path through the link, `pwd -P` where it leads.
func TestDirHomeBehindLink(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	top := t.TempDir()
	real := filepath.Join(top, "real")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(top, "home")
	if err := os.Symlink(real, home); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	a := attempt(`{ pwd -P; pwd; echo "$PWD"; } > where`, func(task *plan.Task) { task.Dir = "~" })
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	got, err := os.ReadFile(filepath.Join(real, "where"))
	if want := real + "\n" + home + "\n" + home + "\n"; err != nil || string(got) != want {
		t.Fatalf("ran in (pwd -P, pwd, $PWD) %q (%v), want %q", got, err, want)
	}
}

// A :dir that lands in Borges' data directory, or beneath it (by a link
// a task could put outside it, by its path, or by climbing out of the
// sandbox), is refused, the launch failing with the block's line and its
// :dir, and nothing is made there.
func TestAbsoluteDirIntoDataRefused(t *testing.T) {
	data := t.TempDir()
	b, r := noCgroups(t, data)
	refusesDirIntoData(t, data, []dirIntoData{
		{"out of the sandbox", "../../exits/x", filepath.Join(data, "exits", "x")},
	}, func(t *testing.T, dir string) error {
		a := attempt("echo ran > here", func(task *plan.Task) { task.Dir = dir; task.Line = 42 })
		err := b.Launch(context.Background(), a)
		if err == nil {
			r.wait(t, a.ID)
		}
		return err
	})
}

// dirIntoData is a :dir that lands in Borges' data directory, and what
// launching a block there would make (nothing to check: "").
type dirIntoData struct{ name, dir, made string }

// refusesDirIntoData checks that launch (of a block at line 42 with the
// :dir given) refuses each :dir into the data directory data (those of
// every kind of block, and the kind's own, climbing out of its sandbox),
// naming the block's line and its :dir, and makes nothing.
func refusesDirIntoData(t *testing.T, data string, own []dirIntoData, launch func(t *testing.T, dir string) error) {
	top := t.TempDir()
	if err := os.Symlink(filepath.Join(data, "sandboxes"), filepath.Join(top, "intodata")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range append([]dirIntoData{
		{"a link into DATA", filepath.Join(top, "intodata", "other"), filepath.Join(data, "sandboxes", "other")},
		{"DATA/outputs", filepath.Join(data, "outputs"), ""},
		{"beneath DATA", filepath.Join(data, "attempts", "x"), filepath.Join(data, "attempts", "x")},
	}, own...) {
		t.Run(tc.name, func(t *testing.T) {
			err := launch(t, tc.dir)
			if err == nil {
				t.Fatalf("launched in %s, in Borges' data directory", tc.dir)
			}
			if msg := err.Error(); !strings.Contains(msg, "line 42") || !strings.Contains(msg, tc.dir) || !strings.Contains(msg, "data directory") {
				t.Fatalf("error %q names neither the block's line, its :dir, nor the data directory", msg)
			}
			if tc.made != "" {
				if _, err := os.Lstat(tc.made); err == nil {
					t.Fatalf("%s made", tc.made)
				}
			}
		})
	}
}

// A relative :dir is started in as the directory workDir opened beneath
// the sandbox, not by its name at the start: a link a task swaps into
// its place between the opening and the start is not followed.
func TestRelativeDirStartedAsOpened(t *testing.T) {
	b, _ := noCgroups(t, t.TempDir())
	id := "d.1-a.0.1"
	if err := b.makeSandbox(id); err != nil {
		t.Fatal(err)
	}
	paths := b.flatPaths(id)
	sandbox := paths.sandboxDir()
	dir, err := b.workDir(paths, sandbox, filepath.Join(sandbox, "rel"))
	if err != nil {
		t.Fatal(err)
	}
	defer dir.File.Close()
	opened, elsewhere := filepath.Join(sandbox, "opened"), t.TempDir()
	if err := os.Rename(filepath.Join(sandbox, "rel"), opened); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(sandbox, "rel")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", "-c", "pwd -P")
	cmd.Dir = dir.Path
	out, err := cmd.Output()
	if want, _ := filepath.EvalSymlinks(opened); err != nil || strings.TrimSpace(string(out)) != want {
		t.Fatalf("started in %q (%v), want %q, the directory opened", out, err, want)
	}
}
