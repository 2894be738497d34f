package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// TestStagedFilesInSandbox: the files an attempt reads that Babel wrote
// for earlier blocks (engine.Attempt.Files) are in its sandbox, with
// their modes, before its program runs, under its :dir as the block
// reads them. A mode of 0 is one too (Emacs's set-file-modes makes it
// ----------), not the mode the file was made with.
func TestStagedFilesInSandbox(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	a := attempt("cat out.txt ../top.txt; stat -c %a out.txt ../top.txt ../none.txt", func(task *plan.Task) { task.Dir = "sub" })
	a.Files = []engine.StagedFile{{Path: "sub/out.txt", Data: []byte("in sub\n"), Mode: 0o600}, {Path: "top.txt", Data: []byte("top\x00\n"), Mode: 0o644},
		{Path: "none.txt", Data: []byte("none\n"), Mode: 0}}
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	out, _, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if want := "in sub\ntop\x00\n600\n644\n0\n"; string(out) != want {
		t.Fatalf("stdout %q, want %q", out, want)
	}
}

// TestStagedFilesNoLinkFollowed: a link in the sandbox where a staged
// file's directory goes is refused, never followed out of it, and the
// attempt does not start.
func TestStagedFilesNoLinkFollowed(t *testing.T) {
	b, _ := newBackend(t, t.TempDir())
	outside := t.TempDir()
	a := attempt("cat sub/out.txt", nil)
	if err := b.makeSandbox(a.ID); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(b.SandboxDir(a.ID), "sub")); err != nil {
		t.Fatal(err)
	}
	a.Files = []engine.StagedFile{{Path: "sub/out.txt", Data: []byte("x"), Mode: 0o644}}
	err := b.Launch(context.Background(), a)
	if err == nil || !strings.Contains(err.Error(), "sub/out.txt") {
		t.Fatalf("Launch = %v, want a refusal naming the file", err)
	}
	if _, err := os.Stat(filepath.Join(outside, "out.txt")); !os.IsNotExist(err) {
		t.Fatalf("a file was written through the link: %v", err)
	}
}

// TestStagedFilesOverBound: files over engine.MaxStagedFiles refuse the
// launch, saying so.
func TestStagedFilesOverBound(t *testing.T) {
	b, _ := newBackend(t, t.TempDir())
	a := attempt("true", nil)
	a.Files = []engine.StagedFile{{Path: "big", Data: make([]byte, engine.MaxStagedFiles+1), Mode: 0o644}}
	if err := b.Launch(context.Background(), a); err == nil || !strings.Contains(err.Error(), "over") {
		t.Fatalf("Launch = %v, want a refusal over the bound", err)
	}
}

// TestDirHome: :dir ~ is the home directory (plan.WorkDir), as Emacs's
// default-directory, not a directory named "~" in the sandbox.
func TestDirHome(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	a := attempt(`[ "$PWD" = "$(cd ~ && pwd)" ] && echo home || echo "$PWD"`, func(task *plan.Task) { task.Dir = "~" })
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	out, _, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 1<<20)
	if err != nil || string(out) != "home\n" {
		t.Fatalf("stdout %q, %v", out, err)
	}
}

// TestDirHomeOfTheBlock: "~" in a :dir is the HOME of the block's
// environment (the one the document's Emacs left, engine.Attempt.Env), as
// Emacs expands it and as the Mesos executor takes it, not the server's:
// nothing is made in the server's HOME.
func TestDirHomeOfTheBlock(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	top := t.TempDir()
	t.Setenv("HOME", filepath.Join(top, "server"))
	block := filepath.Join(top, "block")
	a := attempt(`pwd > "$HOME/where"`, func(task *plan.Task) { task.Dir = "~/x" })
	a.Env["HOME"] = block
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	got, err := os.ReadFile(filepath.Join(block, "where"))
	if want := filepath.Join(block, "x") + "\n"; err != nil || string(got) != want {
		t.Fatalf(":dir ~/x with the block's HOME %s: ran in %q (%v), want %q", block, got, err, want)
	}
	if _, err := os.Lstat(filepath.Join(top, "server")); err == nil {
		t.Fatal("made in the server's HOME")
	}
}

// TestDirHomeEmpty: a block whose environment has HOME empty has no home
// for its :dir ~/x: the launch is refused, naming the block's line, its
// :dir and HOME, and nothing is made, neither in the server's HOME (where
// it once ran, as the Mesos executor did not) nor beneath the sandbox as
// a directory named "~" (where the Mesos executor ran it).
func TestDirHomeEmpty(t *testing.T) {
	b, _ := newBackend(t, t.TempDir())
	top := t.TempDir()
	t.Setenv("HOME", filepath.Join(top, "server"))
	a := attempt(`pwd`, func(task *plan.Task) { task.Dir = "~/x"; task.Line = 7 })
	a.Env["HOME"] = ""
	err := b.Launch(context.Background(), a)
	if err == nil || !strings.Contains(err.Error(), "line 7") || !strings.Contains(err.Error(), ":dir ~/x") || !strings.Contains(err.Error(), "HOME is empty") {
		t.Fatalf("Launch = %v, want a refusal naming line 7, :dir ~/x and the empty HOME", err)
	}
	if _, err := os.Lstat(filepath.Join(top, "server")); err == nil {
		t.Fatal("made in the server's HOME")
	}
	if _, err := os.Lstat(filepath.Join(b.SandboxDir(a.ID), "~")); err == nil {
		t.Fatal(`made "~" in the sandbox`)
	}
}

// TestDirHomeUnset: a block whose environment has no HOME (the document's
// Emacs removed it, engine.Attempt.Unset) takes ~ as Emacs then does: the
// home of its user in the password database, not the server's HOME.
func TestDirHomeUnset(t *testing.T) {
	home := proctest.PasswdHome(t)
	b, r := newBackend(t, t.TempDir())
	t.Setenv("HOME", filepath.Join(t.TempDir(), "server"))
	a := attempt(`pwd`, func(task *plan.Task) { task.Dir = "~" })
	a.Unset = []string{"HOME"}
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	out, _, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 1<<20)
	if want := home + "\n"; err != nil || string(out) != want {
		t.Fatalf(":dir ~ with HOME unset: ran in %q (%v), want %q", out, err, want)
	}
}
