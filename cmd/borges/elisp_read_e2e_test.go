package main

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// elispReadDoc has Ruby output read as Lisp by Emacs: a form calling a
// function an Emacs Lisp block defined, and one Borges reads itself;
// an Emacs Lisp block after both.
const elispReadDoc = `#+name: defs
#+begin_src emacs-lisp :results silent
(defun borges-e2e-half (n) (/ n 2))
#+end_src

#+name: needs-emacs
#+begin_src ruby :results output table
puts "(borges-e2e-half 42)"
#+end_src

#+name: needs-none
#+begin_src ruby :results output table
puts "(1 2)"
#+end_src

#+name: after
#+begin_src emacs-lisp
(borges-e2e-half 10)
#+end_src
`

// TestEmacsLispReadsOutputE2E: through the server, the task reading a
// block's output in Emacs runs in the document's Emacs, where what its
// Emacs Lisp blocks defined is seen, as in Emacs; one whose output needs
// no Emacs does not run, and the Emacs Lisp block after it still does.
func TestEmacsLispReadsOutputE2E(t *testing.T) {
	outside.Need(t, "ruby", "ruby")
	emacs := emacsRunner(t, "(emacs-lisp . t)", "(ruby . t)")
	s := startServer(t, t.TempDir())
	_, want := submitLikeEmacs(t, s, elispReadDoc, emacs)
	if !strings.Contains(want, "#+RESULTS: needs-emacs\n: 21\n") {
		t.Fatalf("Emacs's results are not what the test expects:\n%s", want)
	}
}
