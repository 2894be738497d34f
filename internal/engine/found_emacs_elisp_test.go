package engine

import (
	"strings"
	"testing"
)

// An Emacs Lisp block found in the results of a shell block, before the
// document's Emacs Lisp block: Emacs runs the found block there first
// and writes its results in the buffer, so the later block sees them
// (found_before_emacs_elisp.org of internal/plan, checked with Emacs
// 28.2: the later block counts 19 lines, not 16).

// foundElispDoc is found_before_emacs_elisp.org.
const foundElispDoc = "An Emacs Lisp block found in results before every Emacs Lisp block of the document.\n\n" +
	"#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(setq borges-found 42)' '#+end_src'\n#+end_src\nText right after.\n\n" +
	"#+begin_src emacs-lisp\n(list borges-found (count-lines (point-min) (point-max)))\n#+end_src\n"

// foundElispRaw is the shell block's output: the block found.
const foundElispRaw = "#+begin_src emacs-lisp\n(setq borges-found 42)\n#+end_src\n"

// foundElispWant is foundElispDoc as Emacs writes it.
const foundElispWant = "An Emacs Lisp block found in results before every Emacs Lisp block of the document.\n\n" +
	"#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(setq borges-found 42)' '#+end_src'\n#+end_src\n\n" +
	"#+RESULTS:\n" + foundElispRaw + "\n#+RESULTS:\n: 42\n\nText right after.\n\n" +
	"#+begin_src emacs-lisp\n(list borges-found (count-lines (point-min) (point-max)))\n#+end_src\n\n#+RESULTS:\n| 42 | 19 |\n"

// checkPutsFoundIn fails the test unless script, the later Emacs Lisp
// block's, puts the found block's results (": 42") in the buffer, at
// the found block's key, after marking it.
func checkPutsFoundIn(t *testing.T, script string) {
	t.Helper()
	mark := strings.Index(script, "(borges--found-mark 1073741824 ")
	put := strings.Index(script, "(borges--put-result 1073741824 \"\n#+RESULTS:\n: 42\n\"")
	if mark < 0 || put < mark {
		t.Errorf("the later Emacs Lisp block does not put the found block's results in the buffer after marking it (mark at %d, put at %d):\n%s", mark, put, script[max(0, len(script)-1500):])
	}
}

// runFoundElisp answers foundElispDoc's launches from the block found on
// (found, its attempt), checking that the later block waits for it and
// puts its results in the buffer, and checks the document is written as
// Emacs writes it, after n launches in all.
func runFoundElisp(t *testing.T, e *Engine, rb *reportBackend, id string, found *Attempt, n int) {
	t.Helper()
	if launchedBlock(rb, "block-2") {
		t.Fatal("the later Emacs Lisp block launched before the block found before it ended")
	}
	finishLaunch(rb.fakeBackend, found, "42")
	later := launchOf(t, rb.fakeBackend, "block-2", 1)
	checkPutsFoundIn(t, later.Script)
	finishLaunch(rb.fakeBackend, later, "(42 19)")
	finishedAs(t, e, rb.fakeBackend, id, foundElispWant, n)
}

// checkRestartedSame starts a server again on the store in dir (the
// first stopped) and checks it shows document id finished as want, after
// n launches in all: the start launched nothing.
func checkRestartedSame(t *testing.T, dir string, rb *reportBackend, id, want string, n int) {
	t.Helper()
	if again, l := restartedResults(t, dir, rb, id); again != want || l != n {
		t.Errorf("after a restart %d attempts and\n%s\nwant %d and\n%s", l, again, n, want)
	}
}

// TestFoundEmacsLispResultsPutIn: the Emacs Lisp block found runs first
// in the document's Emacs; the later block waits for it, puts its
// results in the buffer before it runs, and the document is written as
// Emacs writes it; a server started again shows the same, launching
// nothing.
func TestFoundEmacsLispResultsPutIn(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, foundElispDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundElispRaw)
	runFoundElisp(t, e, rb, id, launchOf(t, rb.fakeBackend, "block-1-found-1", 1), 3)
	stop()
	checkRestartedSame(t, dir, rb, id, foundElispWant, 3)
}

// TestFoundEmacsLispResultsPutInRestartMidFound: the server stops while
// the block found runs; started again, the document's Emacs runs again
// from its first task there, the block found (its session was open), the
// later block waiting for it still, and putting its results in once it
// ended; the document is written as Emacs writes it.
func TestFoundEmacsLispResultsPutInRestartMidFound(t *testing.T) {
	dir, rb, _, stop, id := submitOnDisk(t, foundElispDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundElispRaw)
	launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	stop()
	e, _ := startEngine(t, dir, rb, Config{})
	// block-1, the block found twice, block-2.
	runFoundElisp(t, e, rb, id, launchOf(t, rb.fakeBackend, "block-1-found-1", 2), 4)
}

// TestFoundTwoEmacsLispResultsPutIn: two Emacs Lisp blocks found in one
// shell block's results run there in order, the second after the first,
// and the later block of the document puts both their results in the
// buffer (found_before_emacs_elisp_two.org of internal/plan).
func TestFoundTwoEmacsLispResultsPutIn(t *testing.T) {
	doc := "#+begin_src sh :results raw\necho two\n#+end_src\nText right after.\n\n" +
		"#+begin_src emacs-lisp\n(list borges-one borges-two)\n#+end_src\n"
	raw := "#+begin_src emacs-lisp\n(setq borges-one 1)\n#+end_src\n\n#+begin_src emacs-lisp\n(setq borges-two 2)\n#+end_src\n"
	want := "#+begin_src sh :results raw\necho two\n#+end_src\n\n#+RESULTS:\n" +
		"#+begin_src emacs-lisp\n(setq borges-one 1)\n#+end_src\n\n#+RESULTS:\n: 1\n\n" +
		"#+begin_src emacs-lisp\n(setq borges-two 2)\n#+end_src\n\n#+RESULTS:\n: 2\n\nText right after.\n\n" +
		"#+begin_src emacs-lisp\n(list borges-one borges-two)\n#+end_src\n\n#+RESULTS:\n| 1 | 2 |\n"
	_, rb, e, _, id := submitOnDisk(t, doc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), raw)
	first := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	if launchedBlock(rb, "block-1-found-2") || launchedBlock(rb, "block-2") {
		t.Fatal("a block after the first found launched before it ended")
	}
	finishLaunch(rb.fakeBackend, first, "1")
	second := launchOf(t, rb.fakeBackend, "block-1-found-2", 1)
	if launchedBlock(rb, "block-2") {
		t.Fatal("the later Emacs Lisp block launched before the second block found ended")
	}
	finishLaunch(rb.fakeBackend, second, "2")
	later := launchOf(t, rb.fakeBackend, "block-2", 1)
	for _, put := range []string{"(borges--put-result 1073741824 \"\n#+RESULTS:\n: 1\n\"", "(borges--put-result 1073741825 \"\n#+RESULTS:\n: 2\n\""} {
		if !strings.Contains(later.Script, put) {
			t.Errorf("the later Emacs Lisp block does not put in %q:\n%s", put, later.Script[max(0, len(later.Script)-1500):])
		}
	}
	finishLaunch(rb.fakeBackend, later, "(1 2)")
	finishedAs(t, e, rb.fakeBackend, id, want, 4)
}

// TestAddedEmacsLispResultsPutIn: an Emacs Lisp block that inserts
// another (setter) before a later Emacs Lisp block (reader): the setter
// runs in the document's Emacs, and the reader puts its results in the
// buffer before it runs, as org-babel-execute-buffer wrote them there
// before it went on (Emacs 28.2 shows "#+RESULTS: setter\n: 42" in the
// buffer the reader sees).
func TestAddedEmacsLispResultsPutIn(t *testing.T) {
	rb := adderInserts(t, "#+name: reader\n#+begin_src emacs-lisp\n(reads)\n#+end_src\n\n", "#+name: setter\n#+begin_src emacs-lisp\n(* 6 7)\n#+end_src\n\n",
		markAt{at: "#+begin_src emacs-lisp\n(reads)"}, markAt{at: "#+begin_src emacs-lisp\n(* 6"})
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "setter", 1), "42")
	reader := launchOf(t, rb.fakeBackend, "reader", 1)
	if !strings.Contains(reader.Script, "(borges--put-result 1073741824 \"\n#+RESULTS: setter\n: 42\n\"") {
		t.Errorf("the later Emacs Lisp block does not put the inserted block's results (: 42) in the buffer:\n%s", reader.Script[max(0, len(reader.Script)-1500):])
	}
}
