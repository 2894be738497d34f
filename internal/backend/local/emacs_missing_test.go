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
	"github.com/wallyqs/borges/internal/plan/plantest"
)

// pathWithout sets PATH, for the test, to a directory of its own holding
// links to the tools the wrappers use, and no Emacs.
func pathWithout(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for _, tool := range []string{"sh", "cat", "sleep", "rm", "mkdir", "chmod"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("no %s here", tool)
		}
		if err := os.Symlink(p, filepath.Join(dir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
}

// TestEmacsNotInstalled: where emacs is not installed, a task run in a
// batch Emacs (the reading of a Python block's value, as Babel reads it)
// fails saying so, "borges: emacs is not installed here", as the program
// of a shell block whose shell is missing says it, not a bare exit
// status 127; and the document's Emacs, which runs the emacs-lisp
// blocks, does not start, saying the same.
func TestEmacsNotInstalled(t *testing.T) {
	pathWithout(t)
	b, r := newBackend(t, t.TempDir())
	_, p := plantest.Planned(t, "#+begin_src python :results value\nreturn [1]\n#+end_src\n")
	var read *plan.Task
	for _, task := range p.Tasks {
		if task.ReadsOutput {
			read = task
		}
	}
	if read == nil {
		t.Fatalf("no task reads the value in Emacs: %+v", p.Tasks)
	}
	// Its program (which reads the block's output) is never loaded.
	a := &engine.Attempt{ID: "d.read.1", Block: read.Block, Task: read, Script: "(message \"never\")\n", Env: map[string]string{}}
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	const said = "borges: emacs is not installed here"
	u := r.wait(t, a.ID)
	if u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 127 || u.Message != "exit status 127: emacs is not installed here" {
		t.Errorf("update %+v, want it failed saying emacs is not installed", u)
	}
	if got := readStream(t, b, a.ID, "stderr"); !strings.Contains(got, said) {
		t.Errorf("stderr %q, want %q", got, said)
	}
	attempts := emacsAttempts(t, "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n")
	t.Cleanup(func() { b.CloseSession(context.Background(), attempts[0].Session) })
	if err := b.Launch(context.Background(), attempts[0]); err == nil || !strings.Contains(err.Error(), said) {
		t.Errorf("the document's Emacs started: %v, want %q", err, said)
	}
}
