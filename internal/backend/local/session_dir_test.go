package local

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/session"
)

// A session's :dir follows the rule of a process block's (workDir):
// where it lands in Borges' data directory, or beneath it (by a link a
// task could put outside it, by its path, or by climbing out of the
// sandbox), the session is not started, the launch failing with the
// block's line and its :dir, and nothing is made there.
func TestSessionDirIntoDataRefused(t *testing.T) {
	data := t.TempDir()
	b, _ := noCgroups(t, data)
	cmd := session.Command(session.Shell, "sh", nil)
	n := 0
	refusesDirIntoData(t, data, []dirIntoData{
		// Its sandbox is DATA/attempts/ID/sandbox.
		{"out of the sandbox", "../../../exits/x", filepath.Join(data, "exits", "x")},
		{"into DATA/attempts", "../../exits/x", filepath.Join(data, "attempts", "exits")},
	}, func(t *testing.T, dir string) error {
		n++
		id := fmt.Sprintf("d.1-a.0.%d", n)
		a := sessionAttempt(id, "d/shell:s/"+id, "shell", "echo ran > here", cmd)
		a.Task.Dir, a.Task.Line = dir, 42
		t.Cleanup(func() { b.CloseSession(context.Background(), a.Session) })
		return b.Launch(context.Background(), a)
	})
}

// A session's :dir follows the user's links as Emacs does: the session
// runs where the link leads, the missing components made there, told
// its :dir as written (`pwd`, $PWD), as Emacs tells it.
func TestSessionDirFollowsUsersLink(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	top := t.TempDir()
	elsewhere := filepath.Join(top, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(top, "way")); err != nil {
		t.Fatal(err)
	}
	cmd := session.Command(session.Shell, "sh", nil)
	a := sessionAttempt("d.1-a.0.1", "d/shell:s/1", "shell", `{ pwd -P; pwd; echo "$PWD"; } > where`, cmd)
	a.Task.Dir = filepath.Join(top, "way", "sub", "deep")
	if u := runSession(t, b, r, a); u[0].State != engine.Finished {
		t.Fatalf("update = %+v", u[0])
	}
	real := filepath.Join(elsewhere, "sub", "deep")
	got, err := os.ReadFile(filepath.Join(real, "where"))
	if want := real + "\n" + a.Task.Dir + "\n" + a.Task.Dir + "\n"; err != nil || string(got) != want {
		t.Fatalf("ran in (pwd -P, pwd, $PWD) %q (%v), want %q", got, err, want)
	}
}

// A session's "~" is its first block's environment's HOME, as a process
// block's (TestDirHomeOfTheBlock).
func TestSessionDirHomeOfTheBlock(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	top := t.TempDir()
	t.Setenv("HOME", filepath.Join(top, "server"))
	block := filepath.Join(top, "block")
	cmd := session.Command(session.Shell, "sh", nil)
	a := sessionAttempt("d.1-a.0.1", "d/shell:s/1", "shell", `pwd > "`+block+`/where"`, cmd)
	a.Task.Dir = "~/x"
	if a.Env == nil {
		a.Env = map[string]string{}
	}
	a.Env["HOME"] = block
	if u := runSession(t, b, r, a); u[0].State != engine.Finished {
		t.Fatalf("update = %+v", u[0])
	}
	got, err := os.ReadFile(filepath.Join(block, "where"))
	if want := filepath.Join(block, "x") + "\n"; err != nil || string(got) != want {
		t.Fatalf(":dir ~/x with the block's HOME %s: ran in %q (%v), want %q", block, got, err, want)
	}
	if _, err := os.Lstat(filepath.Join(top, "server")); err == nil {
		t.Fatal("made in the server's HOME")
	}
}

// TestSessionDirHomeEmpty: a session whose first block's :dir names ~
// and whose environment's HOME is empty is refused before its
// interpreter starts, naming the line, the :dir and the empty HOME, as a
// process block is (TestDirHomeEmpty); nothing is made in the server's
// HOME or as "~" in the sandbox.
func TestSessionDirHomeEmpty(t *testing.T) {
	b, _ := noCgroups(t, t.TempDir())
	top := t.TempDir()
	t.Setenv("HOME", filepath.Join(top, "server"))
	cmd := session.Command(session.Shell, "sh", nil)
	a := sessionAttempt("d.1-a.0.1", "d/shell:s/1", "shell", "echo ran > here", cmd)
	a.Task.Dir, a.Task.Line = "~/x", 9
	if a.Env == nil {
		a.Env = map[string]string{}
	}
	a.Env["HOME"] = ""
	t.Cleanup(func() { b.CloseSession(context.Background(), a.Session) })
	err := b.Launch(context.Background(), a)
	if err == nil || !strings.Contains(err.Error(), "line 9") || !strings.Contains(err.Error(), ":dir ~/x") || !strings.Contains(err.Error(), "HOME is empty") {
		t.Fatalf("Launch = %v, want a refusal naming line 9, :dir ~/x and the empty HOME", err)
	}
	if _, err := os.Lstat(filepath.Join(top, "server")); err == nil {
		t.Fatal("made in the server's HOME")
	}
	if _, err := os.Lstat(filepath.Join(b.SandboxDir(a.ID), "~")); err == nil {
		t.Fatal(`made "~" in the sandbox`)
	}
}
