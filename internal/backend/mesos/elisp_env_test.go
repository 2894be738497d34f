package mesos

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestEmacsLispEnvironmentOnExecutor: with Borges' executor, the
// environment the document's Emacs (a session task) leaves reaches the
// block after it, a task of its own, as on the local backend.
func TestEmacsLispEnvironmentOnExecutor(t *testing.T) {
	t.Parallel() // waits on Emacs, with a fake master, store and sandbox of its own
	outside.Need(t, "emacs-nox", "emacs")
	doc := "#+name: set\n#+begin_src emacs-lisp\n(setenv \"BORGES_EXEC_TEST\" \"kept\")\n(setenv \"EXEC_TEST_FOO\" \"bar\")\n#+end_src\n\n" +
		"#+name: sh\n#+begin_src sh\necho \"foo=$EXEC_TEST_FOO test=$BORGES_EXEC_TEST\"\n#+end_src\n"
	_, _, got := likeLocallyOnExecutor(t, doc)
	if !strings.Contains(got, "#+RESULTS: sh\n: foo=bar test=\n") {
		t.Fatalf("results:\n%s", got)
	}
}
