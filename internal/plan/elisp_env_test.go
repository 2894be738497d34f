package plan

import (
	"testing"
)

// TestEmacsEnvironmentPlan: every task Emacs runs after a task of the
// document's Emacs, in the order Emacs evaluates them, gets the
// environment the last such task before it left (EnvironmentOf), and so
// waits for it: blocks before the first Emacs Lisp task, blocks in another
// container or placement, and every block of a document without Emacs
// Lisp get none. A block referred to before its place is evaluated
// there; a Lisp :var value is evaluated just before its block.
func TestEmacsEnvironmentPlan(t *testing.T) {
	_, _, byName := planned(t, `#+name: before
#+begin_src sh
echo $FOO
#+end_src

#+name: set
#+begin_src emacs-lisp
(setenv "FOO" "bar")
#+end_src

#+name: sh
#+begin_src sh :var x=later
echo $FOO $x
#+end_src

#+name: py
#+begin_src python :results output :session s
import os
print(os.environ.get("FOO"))
#+end_src

#+name: boxed
#+begin_src sh :dockerize t :image debian
echo $FOO
#+end_src

#+name: lispvar
#+begin_src sh :var n=(progn (setenv "N" "1") 2)
echo $N $n
#+end_src

#+name: later
#+begin_src sh
echo later
#+end_src

#+name: again
#+begin_src elisp
(setenv "FOO")
#+end_src

#+name: last
#+begin_src sh
echo $FOO
#+end_src
`)
	lisp := ""
	for name, task := range byName {
		if task.lispVar != nil {
			lisp = name
		}
	}
	if lisp == "" {
		t.Fatal("no task for the Lisp :var value")
	}
	for name, want := range map[string]string{
		"before": "", "set": "", "sh": "set", "py": "set", "boxed": "", "later": lisp,
		// The run sh's reference makes of later, at sh's place.
		"sh :var x=later": "set",
		lisp:              "set", "lispvar": lisp, "again": lisp, "last": "again",
	} {
		if got := byName[name].EnvironmentOf; got != want {
			t.Errorf("%s: environment of %q, want %q", name, got, want)
		}
	}

	_, p, _ := planned(t, "#+begin_src sh\necho a\n#+end_src\n\n#+begin_src python\nreturn 1\n#+end_src\n")
	for _, task := range p.Tasks {
		if task.EnvironmentOf != "" {
			t.Errorf("%s: environment of %q in a document without Emacs Lisp", task.Block, task.EnvironmentOf)
		}
	}
}
