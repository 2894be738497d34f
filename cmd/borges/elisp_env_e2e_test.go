package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// elispEnvDoc sets a variable and removes HOME in Emacs Lisp blocks; the
// shell and Python blocks after them see it, the one before does not.
const elispEnvDoc = `#+name: before
#+begin_src sh
echo "foo=$E2E_ENV_FOO"
#+end_src

#+name: set
#+begin_src emacs-lisp
(setenv "E2E_ENV_FOO" "bar")
#+end_src

#+name: shell
#+begin_src sh
echo "foo=$E2E_ENV_FOO home=${HOME+set}"
#+end_src

#+name: py
#+begin_src python :results output
import os
print(os.environ.get("E2E_ENV_FOO"))
#+end_src

#+name: unhome
#+begin_src emacs-lisp
(setenv "HOME")
(getenv "E2E_ENV_FOO")
#+end_src

#+name: after
#+begin_src sh
echo "foo=$E2E_ENV_FOO home=${HOME-unset}"
#+end_src
`

// TestEmacsLispEnvironmentE2E: through the server, the environment the
// document's Emacs leaves reaches the blocks after it, byte for byte as
// in Emacs (a removed HOME included); a block run again on request gets
// it again, from what was kept; the Emacs Lisp blocks run again (a new
// Emacs) leave it again, and the blocks after them are not run again.
func TestEmacsLispEnvironmentE2E(t *testing.T) {
	t.Parallel()
	emacs := emacsRunner(t, "(shell . t)", "(python . t)", "(emacs-lisp . t)")
	s := startServer(t, t.TempDir())
	v, want := submitLikeEmacs(t, s, elispEnvDoc, emacs)
	for _, line := range []string{": foo=\n", ": foo=bar home=set\n", ": bar\n", ": foo=bar home=unset\n"} {
		if !strings.Contains(want, line) {
			t.Fatalf("Emacs's results lack %q:\n%s", line, want)
		}
	}
	restartSession(t, s, v.ID, "after", []string{"after"}, until)
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("after a restart of a block after them, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
	restartSession(t, s, v.ID, "set", []string{"set", "unhome"}, until)
	for _, name := range []string{"before", "shell", "py"} {
		if b := blockOf(s.doc(v.ID), name); b.Instances[0].Attempts != 1 {
			t.Errorf("%s ran again: %+v", name, b.Instances[0])
		}
	}
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("after a restart of the Emacs Lisp blocks, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}

// TestEmacsLispEnvironmentProtectedE2E: an Emacs Lisp block cannot give
// the blocks after it Borges' own variables: a Python block's value
// still goes to its own value file, and BORGES_BLOCK names it.
func TestEmacsLispEnvironmentProtectedE2E(t *testing.T) {
	t.Parallel()
	emacsRunner(t)
	s := startServer(t, t.TempDir())
	v := s.submit("#+name: steal\n#+begin_src emacs-lisp\n(setenv \"BORGES_BLOCK\" \"stolen\")\n(setenv \"BORGES_VALUE_FILE\" \"/dev/null\")\n(setenv \"BORGES_DOCUMENT\")\n#+end_src\n\n" +
		"#+name: mine\n#+begin_src python\nimport os\nreturn os.environ[\"BORGES_BLOCK\"] + \" \" + str(bool(os.environ.get(\"BORGES_DOCUMENT\")))\n#+end_src\n")
	until(t, "ended", func() bool { return s.doc(v.ID).State.Terminal() })
	_, res := s.get("/org/" + v.ID)
	if !strings.Contains(res, "#+RESULTS: mine\n: mine True\n") {
		t.Fatalf("results:\n%s", res)
	}
}

// TestEmacsLispEnvironmentServerRestartE2E: a block launched after the
// server was killed and started again gets the environment an Emacs Lisp
// block reported before it, from what was kept: the results are those of
// one run, uninterrupted.
func TestEmacsLispEnvironmentServerRestartE2E(t *testing.T) {
	t.Parallel()
	emacsRunner(t)
	gate := filepath.Join(t.TempDir(), "go")
	doc := "#+name: set\n#+begin_src emacs-lisp\n(setenv \"E2E_ENV_FOO\" \"bar\")\n#+end_src\n\n" +
		"#+name: w\n#+begin_src sh\nn=0; while [ ! -e " + gate + " ] && [ $n -lt 3000 ]; do sleep 0.05; n=$((n+1)); done; echo open\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh :var o=w\necho \"$o foo=$E2E_ENV_FOO\"\n#+end_src\n"
	s := startServer(t, t.TempDir())
	v := s.submit(doc)
	until(t, "w runs", func() bool {
		return blockOf(s.doc(v.ID), "w").State == engine.Running && blockOf(s.doc(v.ID), "set").State == engine.Finished
	})
	s.kill9()
	s2 := startServer(t, s.data)
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	until(t, "ended", func() bool { return s2.doc(v.ID).State.Terminal() })
	if _, got := s2.get("/org/" + v.ID); !strings.Contains(got, "#+RESULTS: after\n: open foo=bar\n") {
		t.Fatalf("after the server's restart:\n%s", got)
	}
}

// TestEmacsLispEnvironmentGivenE2E: what an Emacs Lisp block removes from
// the environment is gone for the blocks after it (HOME here), but for
// what Borges gives a block itself: its ports (:ports), and a session's
// terminal (TERM, COLUMNS), which comint gives a session in Emacs
// whatever process-environment holds. The session's results are Emacs
// 28.2's for this document (the blank row too: the shell, without HOME,
// says nothing for it but a newline), checked by hand.
func TestEmacsLispEnvironmentGivenE2E(t *testing.T) {
	t.Parallel()
	emacsRunner(t)
	s := startServer(t, t.TempDir())
	v := s.submit("#+name: unset\n#+begin_src emacs-lisp\n(dolist (name '(\"HOME\" \"PORT0\" \"PORTS\" \"TERM\" \"COLUMNS\"))\n  (setenv name))\n#+end_src\n\n" +
		"#+name: ports\n#+begin_src sh :ports 1\necho \"home=${HOME-unset} port=${PORT0:+set} ports=${PORTS:+set}\"\n#+end_src\n\n" +
		"#+name: term\n#+begin_src sh :session s\necho \"home=${HOME-unset} term=$TERM columns=$COLUMNS\"\n#+end_src\n")
	until(t, "ended", func() bool { return s.doc(v.ID).State.Terminal() })
	_, res := s.get("/org/" + v.ID)
	if !strings.Contains(res, "#+RESULTS: ports\n: home=unset port=set ports=set\n") ||
		!strings.Contains(res, "#+RESULTS: term\n|                                 |\n| home=unset term=dumb columns=80 |\n") {
		t.Fatalf("results:\n%s", res)
	}
}
