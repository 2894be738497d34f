package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// A link put at the sandbox's path, or at the program's, after the
// mounts were checked and before the engine starts the container (the
// engine resolves the paths itself then) is caught from inside the
// started container, before the program runs: the attempt fails, saying
// which mount, and no program runs, neither the block's in the directory
// the link leads to nor one the link leads to. The static helper
// (Config.UnsetHelper) makes the check.
func TestContainerMountSwappedBeforeStart(t *testing.T) {
	cli := outside.Docker(t)
	helper := staticUnsetHelper(t)
	for _, tc := range []struct {
		name  string
		mount string // SandboxPath or ScriptPath: the one swapped
	}{
		{"sandbox", SandboxPath},
		{"program", ScriptPath},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: "borges-test", UnsetHelper: helper})
			elsewhere := t.TempDir()
			if err := os.WriteFile(filepath.Join(elsewhere, "secret"), []byte("not the sandbox's\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			forged := filepath.Join(elsewhere, "forged")
			if err := os.WriteFile(forged, []byte("echo forged > /mnt/borges/forged-ran\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			a := inContainer("cat secret; echo written > ran", nil)
			removeAtEnd(t, a.ID)
			b.beforeStart = func(id string) {
				if id != a.ID {
					return
				}
				from, to := b.nestedPaths(id).sandboxDir(), elsewhere
				if tc.mount == ScriptPath {
					from, to = b.attemptFile(id, "script"), forged
				}
				linkInPlace(t, from, to)
			}
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			u := r.wait(t, a.ID)
			for _, ran := range []string{
				filepath.Join(elsewhere, "ran"),
				filepath.Join(elsewhere, "forged-ran"),
				filepath.Join(b.nestedPaths(a.ID).sandboxDir()+".moved", "forged-ran"),
				filepath.Join(b.nestedPaths(a.ID).sandboxDir(), "forged-ran"),
				filepath.Join(b.nestedPaths(a.ID).sandboxDir(), "ran"),
			} {
				if _, err := os.Stat(ran); err == nil {
					t.Errorf("a program ran (%s written) though %s was not the one made for the attempt", ran, tc.mount)
				}
			}
			if out := stdout(t, b, a.ID); strings.Contains(out, "not the sandbox's") {
				t.Errorf("the program read the directory the link leads to: stdout %q", out)
			}
			if want := tc.mount + " is not the one Borges made for the attempt"; u.State != engine.Failed || !strings.Contains(u.Message, want) {
				t.Errorf("update = %+v, want failed: %s", u, want)
			}
			if left := containersOf(t, cli, b); len(left) != 0 {
				t.Errorf("containers left behind: %d", len(left))
			}
		})
	}
}

// A session's container checks its mounts as a block's does: a link put
// at the sandbox's path before the engine starts it fails the block, the
// interpreter never run in the directory the link leads to (the static
// helper checks, then runs the session's terminal step).
func TestSessionContainerSandboxSwappedBeforeStart(t *testing.T) {
	cli := outside.Docker(t)
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), CgroupParent: "borges-test", UnsetHelper: staticUnsetHelper(t)})
	elsewhere := t.TempDir()
	a := sessionAttempt("d.1-a.0.1", "d/shell:c/1", "shell", "echo written > ran", session.Command(session.Shell, "sh", nil))
	a.Task.Container = &plan.Container{Image: outside.TestImage, Kind: "docker"}
	removeAtEnd(t, a.ID+".session")
	t.Cleanup(func() { b.CloseSession(context.Background(), a.Session) })
	b.beforeStart = func(id string) {
		linkInPlace(t, b.nestedPaths(id).sandboxDir(), elsewhere)
	}
	u := runSession(t, b, r, a)[0]
	if _, err := os.Stat(filepath.Join(elsewhere, "ran")); err == nil {
		t.Errorf("the session's block ran in the directory the link leads to")
	}
	if want := SandboxPath + " is not the one Borges made for the attempt"; u.State != engine.Failed || !strings.Contains(u.Message, want) {
		t.Errorf("update = %+v, want failed: %s", u, want)
	}
	b.CloseSession(context.Background(), a.Session)
	until(t, "the session's container is removed", func() bool { return len(containersOf(t, cli, b)) == 0 })
}

// linkInPlace moves path aside (to path.moved) and puts a link to target
// in its place, as a process of the server's own user can.
func linkInPlace(t *testing.T, path, target string) {
	if err := os.Rename(path, path+".moved"); err != nil {
		t.Error(err)
		return
	}
	if err := os.Symlink(target, path); err != nil {
		t.Error(err)
	}
}

// With the helper the engine starts the container in "/" and the helper
// makes and enters the block's :dir after its checks: the engine made it
// before them, as root, through a link put at the sandbox's path. Without
// a link, the program runs in the :dir made in the sandbox; a :dir it
// cannot make fails the block, naming it.
func TestContainerDirNotMadeThroughSwappedLink(t *testing.T) {
	outside.Docker(t)
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: "borges-test", UnsetHelper: staticUnsetHelper(t)})
	elsewhere := t.TempDir()
	withDir := func(task *plan.Task) { task.Dir = "made/by/engine" }
	swapped := inContainer("pwd", withDir)
	removeAtEnd(t, swapped.ID)
	blocked := inContainer("pwd", func(task *plan.Task) { task.Dir = "file/sub" })
	removeAtEnd(t, blocked.ID)
	b.beforeStart = func(id string) {
		switch id {
		case swapped.ID:
			linkInPlace(t, b.nestedPaths(id).sandboxDir(), elsewhere)
		case blocked.ID:
			// Borges made :dir in the sandbox; a file put in its place.
			file := filepath.Join(b.nestedPaths(id).sandboxDir(), "file")
			if err := os.RemoveAll(file); err != nil {
				t.Error(err)
			}
			if err := os.WriteFile(file, nil, 0o644); err != nil {
				t.Error(err)
			}
		}
	}
	if err := b.Launch(context.Background(), swapped); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, swapped.ID); u.State != engine.Failed || !strings.Contains(u.Message, SandboxPath+" is not the one Borges made for the attempt") {
		t.Errorf("swapped: update = %+v", u)
	}
	if _, err := os.Lstat(filepath.Join(elsewhere, "made")); err == nil {
		t.Errorf(":dir made in the directory the link leads to")
	}
	plain := inContainer("pwd", withDir)
	removeAtEnd(t, plain.ID)
	if err := b.Launch(context.Background(), plain); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, plain.ID); u.State != engine.Finished {
		t.Errorf("update = %+v", u)
	}
	if out := stdout(t, b, plain.ID); out != SandboxPath+"/made/by/engine\n" {
		t.Errorf("stdout %q", out)
	}
	if err := b.Launch(context.Background(), blocked); err != nil {
		t.Fatal(err)
	}
	if u, want := r.wait(t, blocked.ID), "could not start: the container's working directory "+SandboxPath+"/file/sub: "; u.State != engine.Failed || !strings.HasPrefix(u.Message, want) {
		t.Errorf("update = %+v, want failed: %s...", u, want)
	}
	if out := stdout(t, b, blocked.ID); out != "" {
		t.Errorf("the program ran: stdout %q", out)
	}
}
