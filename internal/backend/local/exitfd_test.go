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
// says it. Where DATA/exits was replaced, the line is in the log the
// server holds open, in the directory moved away (a restart would not
// read it: a server whose DATA/exits is a link refuses to start); where
// the log was, it is in the deleted log the server holds open, and the
// test shows only that nothing was written outside.
func TestExitLineNotRedirectedByLink(t *testing.T) {
	const wait = `sh -c 'while [ ! -e go ]; do sleep 0.05; done; exit 5'`
	for _, replaced := range []string{"exits", "log"} {
		for _, k := range wrapperKinds {
			t.Run(replaced+"/"+k.name, func(t *testing.T) {
				b, r, _ := loggingNoCgroups(t)
				outside, untouched := outsideDir(t)
				a := attempt(wait, k.mod)
				if plain, want := launchRunning(t, b, r, a).plain, k.mod == nil && b.plainSh; plain != want {
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

// launchRunning launches a on b, recording to r, and returns its process
// once it runs.
func launchRunning(t *testing.T, b *Backend, r *recorder, a *engine.Attempt) *proc {
	t.Helper()
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID, engine.Running)
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.procs[a.ID]
}

// exitLogFile opens the file at path for appending, as a wrapper's exit log
// (its descriptor 8: logExit), closed when the test ends.
func exitLogFile(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// A wrapper that a restarted server finds only on its second look (in
// the middle of an exec at the first: settleMissing) appends its status
// to its exit log through its descriptor: the log, which holds no status
// the start needs yet, is not deleted under it, and the status is read
// from it once the wrapper ends.
func TestRecoverKeepsTheLogOfAWrapperFoundLate(t *testing.T) {
	dir := t.TempDir()
	first, r1 := noCgroups(t, dir)
	a := attempt(`sh -c 'while [ ! -e go ]; do sleep 0.05; done; exit 5'`, nil)
	midExec(t, launchRunning(t, first, r1, a).pid, 2)

	second, r2 := noCgroups(t, dir)
	reattached(t, second, r2, a)
	if _, err := os.Stat(first.exitLog); err != nil {
		t.Fatalf("the exit log of a wrapper found late was deleted: %v", err)
	}
	if err := os.WriteFile(filepath.Join(first.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, a.ID); u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 5 {
		t.Fatalf("update = %+v, want exit status 5", u)
	}
}

// A wrapper of a Borges before the descriptor, still running after an
// upgrade, appends its status to the exit log its environment names, by
// its path: the log is kept while it runs, and its status read there.
func TestRecoverOlderWrapperAppendsByPath(t *testing.T) {
	dir := t.TempDir()
	a := attempt("exit 6", nil)
	if err := os.MkdirAll(filepath.Join(dir, "exits"), 0o700); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "exits", "1-1")
	if err := os.WriteFile(log, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	goFile := filepath.Join(t.TempDir(), "go")
	// The older wrapper's tail (logExit as it was).
	startOlderWrapper(t, `while [ ! -e "$1" ]; do sleep 0.05; done; st=6; d=${BORGES_EXIT_FILE%/*}; echo "$st ${d##*/}" >>"$BORGES_EXIT_LOG"; exit $st`,
		[]string{goFile}, "BORGES_EXIT_FILE="+filepath.Join(dir, "attempts", a.ID, "exit"), "BORGES_EXIT_LOG="+log)

	b, r := noCgroups(t, dir)
	reattached(t, b, r, a)
	if _, err := os.Stat(log); err != nil {
		t.Fatalf("the exit log an older wrapper appends to was deleted: %v", err)
	}
	if err := os.WriteFile(goFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 6 {
		t.Fatalf("update = %+v, want exit status 6", u)
	}
}
