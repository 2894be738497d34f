package local

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// wrapperKinds are attempts each wrapper runs: a plain script in its own
// shell (where /bin/sh is dash), a script in a subshell, and a program of
// another interpreter.
var wrapperKinds = []struct {
	name string
	mod  func(*plan.Task)
}{
	{"plain sh", nil},
	{"sh with arguments", func(task *plan.Task) { task.CmdLine = []string{"arg"} }},
	{"another interpreter", func(task *plan.Task) { task.Interpreter = []string{"/bin/sh"} }},
}

// A wrapper appends its status to the exit log through the descriptor
// the server opened it with (through no link), not by its path: a link
// put at DATA/exits, or at the log, once the task runs does not carry
// the line out of DATA. The status is still seen: the server's wait
// says it, and the log the server holds open holds it where DATA/exits
// was replaced (a restart reads it there).
func TestExitLineNotRedirectedByLink(t *testing.T) {
	const wait = `sh -c 'while [ ! -e go ]; do sleep 0.05; done; exit 5'`
	for _, replaced := range []string{"exits", "log"} {
		for _, k := range wrapperKinds {
			t.Run(replaced+"/"+k.name, func(t *testing.T) {
				b, r, _ := loggingNoCgroups(t)
				outside, untouched := outsideDir(t)
				a := attempt(wait, k.mod)
				if err := b.Launch(context.Background(), a); err != nil {
					t.Fatal(err)
				}
				r.wait(t, a.ID, engine.Running)
				b.mu.Lock()
				plain := b.procs[a.ID].plain
				b.mu.Unlock()
				if want := k.mod == nil && b.plainSh; plain != want {
					t.Fatalf("the wrapper runs the script in its own shell: %v, want %v", plain, want)
				}
				exits := exitsDir(b.cfg.DataDir)
				switch replaced {
				case "exits":
					if err := os.Rename(exits, exits+".moved"); err != nil {
						t.Fatal(err)
					}
					if err := os.Symlink(outside, exits); err != nil {
						t.Fatal(err)
					}
				case "log":
					if err := os.Remove(b.exitLog); err != nil {
						t.Fatal(err)
					}
					if err := os.Symlink(filepath.Join(outside, "notes.txt"), b.exitLog); err != nil {
						t.Fatal(err)
					}
				}
				if err := os.WriteFile(filepath.Join(b.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
					t.Fatal(err)
				}
				if u := r.wait(t, a.ID); u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 5 {
					t.Fatalf("update = %+v, want exit status 5", u)
				}
				untouched(t)
				if replaced == "exits" {
					if code, ok := loggedExit(filepath.Join(exits+".moved", filepath.Base(b.exitLog)), a.ID); !ok || code != 5 {
						t.Errorf("the status in the log the server opened: %d %v, want 5", code, ok)
					}
				}
			})
		}
	}
}
