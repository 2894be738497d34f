package main

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// elispStateDoc's Emacs Lisp blocks define what later blocks, and a Lisp
// :var value of a shell block, use. (No Emacs Lisp block takes a :var:
// ob-emacs-lisp prints its bindings on Emacs's standard output, which
// emacsRunner reads.)
const elispStateDoc = `#+name: defs
#+begin_src emacs-lisp
(defun borges-e2e-square (n) (* n n))
(defvar borges-e2e-runs 0)
(setq borges-e2e-runs (1+ borges-e2e-runs))
#+end_src

#+name: shell
#+begin_src sh :var x=(borges-e2e-square 9) :results output
echo "square: $x"
#+end_src

#+name: uses
#+begin_src emacs-lisp
(format "runs %d / %d" borges-e2e-runs (borges-e2e-square 3))
#+end_src
`

// TestEmacsLispStateE2E: the server runs a document's Emacs Lisp blocks
// (and Lisp :var values) in one Emacs, as Emacs does, byte for byte;
// restarting one of them runs them all again, from the first, in a new
// Emacs, to the same results; the shell block between is not run again.
func TestEmacsLispStateE2E(t *testing.T) {
	t.Parallel()
	emacs := emacsRunner(t)
	s := startServer(t, t.TempDir())
	v, want := submitLikeEmacs(t, s, elispStateDoc, emacs)
	if !strings.Contains(want, ": runs 1 / 9") {
		t.Fatalf("Emacs's results are not what the test expects:\n%s", want)
	}
	restartSession(t, s, v.ID, "uses", []string{"defs", "uses"}, until)
	if b := blockOf(s.doc(v.ID), "shell"); b.Instances[0].Attempts != 1 {
		t.Errorf("the shell block ran again: %+v", b.Instances[0])
	}
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("after the restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}

// TestEmacsLispErrorE2E: an Emacs Lisp block that signals an error fails,
// its message in its results; with :on-failure continue the blocks after
// it run in the same Emacs, seeing what was defined before it.
func TestEmacsLispErrorE2E(t *testing.T) {
	t.Parallel()
	emacsRunner(t) // Emacs is needed (an error ends org-babel-execute-buffer: nothing to compare)
	s := startServer(t, t.TempDir())
	v := s.submit("#+name: defs\n#+begin_src emacs-lisp\n(setq borges-e2e-kept 5)\n#+end_src\n\n" +
		"#+name: bad\n#+begin_src emacs-lisp :on-failure continue\n(car borges-e2e-kept)\n#+end_src\n\n" +
		"#+name: after\n#+begin_src emacs-lisp\n(* 2 borges-e2e-kept)\n#+end_src\n")
	until(t, "ended", func() bool { return s.doc(v.ID).State.Terminal() })
	d := s.doc(v.ID)
	if b := blockOf(d, "bad"); b.State != engine.Failed || b.Instances[0].Message != "Emacs Lisp error: Wrong type argument: listp, 5" {
		t.Errorf("bad: %+v", b.Instances[0])
	}
	_, res := s.get("/org/" + v.ID)
	for _, want := range []string{"#+RESULTS: bad\n:results:\nborges: failed — Emacs Lisp error: Wrong type argument: listp, 5\n", "#+RESULTS: after\n: 10\n"} {
		if !strings.Contains(res, want) {
			t.Errorf("results lack %q:\n%s", want, res)
		}
	}
}
