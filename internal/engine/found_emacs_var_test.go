package engine

import (
	"strings"
	"testing"
)

// A shell block found in results, before the document's Emacs Lisp block
// later, whose :var x=later names it: Emacs resolves the reference as it
// runs the found block, running later there for it (got 1), and runs
// later again at its own turn (: 2) (found_before_emacs_var.org of
// internal/plan, checked with Emacs 28.2).

// foundVarDoc is found_before_emacs_var.org.
const foundVarDoc = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh :var x=later' 'echo \"got $x\"' '#+end_src'\n#+end_src\nText right after.\n\n" +
	"#+name: later\n#+begin_src emacs-lisp\n(setq borges-n (1+ (if (boundp 'borges-n) borges-n 0)))\n#+end_src\n"

// foundVarRaw is the shell block's output: the block found.
const foundVarRaw = "#+begin_src sh :var x=later\necho \"got $x\"\n#+end_src\n"

// foundVarWant is foundVarDoc as Emacs writes it.
const foundVarWant = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh :var x=later' 'echo \"got $x\"' '#+end_src'\n#+end_src\n\n" +
	"#+RESULTS:\n" + foundVarRaw + "\n#+RESULTS:\n: got 1\n\nText right after.\n\n" +
	"#+name: later\n#+begin_src emacs-lisp\n(setq borges-n (1+ (if (boundp 'borges-n) borges-n 0)))\n#+end_src\n\n#+RESULTS: later\n: 2\n"

// foundVarRun is the task of the run of later the found block's
// reference makes.
const foundVarRun = "block-1-found-1 :var x=later"

// runFoundVar answers foundVarDoc's launches from the run of later for
// the reference on (the shell block answered), checking each waits for
// the one before it, and that later's own run puts the found block's
// results in the buffer, and checks the document is written as Emacs
// writes it, after n launches in all.
func runFoundVar(t *testing.T, e *Engine, rb *reportBackend, id string, run *Attempt, n int) {
	t.Helper()
	if launchedBlock(rb, "block-1-found-1") || launchedBlock(rb, "later") {
		t.Fatal("the block found, or later, launched before the run of later for the reference ended")
	}
	if !strings.Contains(run.Script, "(borges--goto ") {
		t.Errorf("the run for the reference is not in the document's Emacs:\n%s", run.Script)
	}
	finishLaunch(rb.fakeBackend, run, "d1")
	found := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	if !strings.Contains(found.Script, "x='1'") {
		t.Errorf("the block found does not get x=1 from the run for its reference:\n%s", found.Script)
	}
	if launchedBlock(rb, "later") {
		t.Fatal("later launched before the block found ended")
	}
	finishLaunch(rb.fakeBackend, found, "got 1\n")
	later := launchOf(t, rb.fakeBackend, "later", 1)
	if !strings.Contains(later.Script, "(borges--found-mark 1073741824 ") || !strings.Contains(later.Script, "(borges--put-result 1073741824 \"\n#+RESULTS:\n: got 1\n\"") {
		t.Errorf("later does not put the found block's results in the buffer:\n%s", later.Script[max(0, len(later.Script)-1500):])
	}
	finishLaunch(rb.fakeBackend, later, "2")
	finishedAs(t, e, rb.fakeBackend, id, foundVarWant, n)
}

// TestFoundVarRunsEmacsLispBlock: the run of later for the found block's
// reference is planned and runs in the document's Emacs before the found
// block, which gets its value, and later runs again at its own turn; the
// document is written as Emacs writes it, and a server started again
// shows the same, launching nothing.
func TestFoundVarRunsEmacsLispBlock(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, foundVarDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundVarRaw)
	runFoundVar(t, e, rb, id, launchOf(t, rb.fakeBackend, foundVarRun, 1), 4)
	stop()
	checkRestartedSame(t, dir, rb, id, foundVarWant, 4)
}

// TestFoundVarRunsEmacsLispBlockRestartMidRun: the server stops while
// the run for the reference runs; started again, the document's Emacs
// runs it again (its session was open), the found block and later
// waiting for it still.
func TestFoundVarRunsEmacsLispBlockRestartMidRun(t *testing.T) {
	dir, rb, _, stop, id := submitOnDisk(t, foundVarDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundVarRaw)
	launchOf(t, rb.fakeBackend, foundVarRun, 1)
	stop()
	e, _ := startEngine(t, dir, rb, Config{})
	// block-1, the run for the reference twice, the block found, later.
	runFoundVar(t, e, rb, id, launchOf(t, rb.fakeBackend, foundVarRun, 2), 5)
}
