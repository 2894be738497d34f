package engine

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
)

// runBatchEmacs runs attempt a, a task reading a block's output in a
// batch Emacs of its own (plan.Task.ReadsOutput, no session), in real
// Emacs as the local backend runs it (its interpreter, the program a
// file, the value written where BORGES_VALUE_FILE says), and finishes it
// with that value.
func runBatchEmacs(t *testing.T, fb *fakeBackend, a *Attempt) {
	t.Helper()
	if !a.Task.ReadsOutput || a.Task.Session != nil {
		t.Fatalf("%s is not a task reading a block's output in a batch Emacs of its own", a.Block)
	}
	dir := t.TempDir()
	prog, value := filepath.Join(dir, "program.el"), filepath.Join(dir, "value")
	if err := os.WriteFile(prog, []byte(a.Script), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append(slices.Clone(a.Task.Interpreter[1:]), prog)
	cmd := exec.CommandContext(ctx, a.Task.Interpreter[0], args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "BORGES_VALUE_FILE=" + value}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", a.Block, err, out)
	}
	v, err := os.ReadFile(value)
	if err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, a, string(v))
}

// TestFoundValueReadByEmacs: a Ruby, Python or JavaScript block found in
// results whose value only Emacs reads as its Babel does
// (org.Reader.NeedsEmacs) has it read by a task of its own in a batch
// Emacs (real Emacs here), as for a block of the document: the value is
// written as Emacs 28.2 writes it (checked with emacs --batch, and
// TestAgainstEmacs/found_ruby_output_table..., found_python...,
// found_js...), and the document runs on, where it stopped before.
func TestFoundValueReadByEmacs(t *testing.T) {
	outside.Need(t, "emacs-nox", "emacs")
	for _, c := range []struct{ found, out, want string }{
		{"#+begin_src ruby :results output table\nputs \"(+ 1 2)\"\n#+end_src\n", "(+ 1 2)\n", ": 3\n"},
		{"#+begin_src python :results output table\nprint(\"`(1 ,(+ 1 2))\")\n#+end_src\n", "`(1 ,(+ 1 2))\n", "| 1 | 3 |\n"},
		{"#+begin_src js :on-failure continue\nreturn \"?\"\n#+end_src\n", "'?\\M-a'\n", ": 134217825\n"},
	} {
		t.Run(c.out, func(t *testing.T) {
			e, rb, id, slow, found := foundInOwner(t, c.found)
			endWith(t, e, rb, id, found, c.out)
			reader := launchOf(t, rb.fakeBackend, plan.ReaderOf(found.Block), 1)
			runBatchEmacs(t, rb.fakeBackend, reader)
			finish(rb.fakeBackend, slow, Finished, 0)
			afterRunsWriting(t, e, rb, id, c.found+"\n#+RESULTS:\n"+c.want)
		})
	}
}

// TestFoundValueReadByEmacsAcrossRestart: the server restarts while the
// reading in a batch Emacs of a found Ruby block's value
// (TestFoundValueReadByEmacs) is pending: the new engine waits for it,
// writes the value Emacs read, and runs the block after the owner, as
// without the restart.
func TestFoundValueReadByEmacsAcrossRestart(t *testing.T) {
	outside.Need(t, "emacs-nox", "emacs")
	const found = "#+begin_src ruby :results output table\nputs \"(+ 1 2)\"\n#+end_src\n"
	dir, rb, e, stop, id := submitOnDisk(t, foundOwnerDoc)
	slow, blk := ownerPrints(t, rb, found)
	endWith(t, e, rb, id, blk, "(+ 1 2)\n")
	reader := launchOf(t, rb.fakeBackend, plan.ReaderOf(blk.Block), 1)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	runBatchEmacs(t, rb.fakeBackend, reader)
	finish(rb.fakeBackend, slow, Finished, 0)
	afterRunsWriting(t, e2, rb, id, found+"\n#+RESULTS:\n: 3\n")
}
