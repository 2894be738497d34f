package mesos

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestEmacsLispOnExecutor: with Borges' executor, a document's Emacs
// Lisp blocks and Lisp :var values run in one Emacs, a session task, to
// the local backend's results: a later block sees an earlier one's defun
// (what a batch Emacs of its own could not), and a property a block sets
// is in the document written back, its Emacs's report of its buffer
// read from the executor's sandbox.
func TestEmacsLispOnExecutor(t *testing.T) {
	t.Parallel() // waits on Emacs, with a fake master, store and sandbox of its own
	outside.Need(t, "emacs-nox", "emacs")
	doc := "* On the executor\n#+name: prop\n#+begin_src emacs-lisp :results silent\n(org-set-property \"SEEN\" \"yes\")\n#+end_src\n\n" +
		"#+name: defs\n#+begin_src emacs-lisp\n(defun borges-tenfold (n) (* 10 n))\n#+end_src\n\n" +
		"#+name: sh\n#+begin_src sh :var x=(borges-tenfold 4)\necho $x\n#+end_src\n\n" +
		"#+name: use\n#+begin_src emacs-lisp\n(borges-tenfold 5)\n#+end_src\n"
	m, _, got := likeLocallyOnExecutor(t, doc)
	if !strings.Contains(got, "#+RESULTS: sh\n: 40\n") || !strings.Contains(got, "#+RESULTS: use\n: 50\n") || !strings.Contains(got, ":SEEN:     yes\n") {
		t.Fatalf("results:\n%s", got)
	}
	if sessions, blocks := sessionTasks(m); len(sessions) != 1 || len(blocks) != 4 {
		t.Fatalf("%d session tasks and %d block tasks, want 1 and 4", len(sessions), len(blocks))
	}
}
