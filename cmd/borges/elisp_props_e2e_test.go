package main

import (
	"os"
	"strings"
	"testing"
)

// TestEmacsLispPropertiesE2E: blocks whose text is as submitted run
// under the header arguments and properties an Emacs Lisp block before
// them set (header-args, header-args:sh and header-args+ on a heading, a
// property a Lisp :var value reads inherited, a #+PROPERTY line once Org
// read it again), byte for byte as in Emacs, and a server started again
// writes the document back alike.
func TestEmacsLispPropertiesE2E(t *testing.T) {
	t.Parallel()
	emacsLispFixtureE2E(t, "../../internal/plan/testdata/elisp_props.org",
		": h=set by Lisp kw=keyword as submitted\n", "#+begin_example\nlang\n#+end_example\n", ": one appended\n",
		": owner=changed owner\n", ": kw=keyword as edited\n")
}

// TestEmacsLispDefaultsE2E: blocks run under Babel's default header
// arguments (Org's, a language's, inline blocks', calls') as an Emacs Lisp
// block before them set them, their :cache hashes included, byte for
// byte as in Emacs, and a server started again writes the document back
// alike.
func TestEmacsLispDefaultsE2E(t *testing.T) {
	emacsLispFixtureE2E(t, "../../internal/plan/testdata/elisp_defaults.org",
		"#+RESULTS:\n: 3 4\n", "#+begin_example\n3 4\n#+end_example\n", ": - 3 4\n",
		"#+begin_src text\n- x=1\n#+end_src\n", ": - cached again x=2\n", "{{{results(=y=inline=)}}}",
		"#+begin_quote\n- cached x=2\n#+end_quote\n", ": 3 4 x=unset\n")
}

// TestEmacsLispDefaultVarRestartE2E: a language's default :var an Emacs
// Lisp block set makes a :cache yes block depend on a block it does not
// name; its hash takes in that block's result, and a server started again
// writes the document back as Emacs does, the hash included.
func TestEmacsLispDefaultVarRestartE2E(t *testing.T) {
	emacsLispDocE2E(t, elispDefaultVarDoc, "#+RESULTS[", ": x=5\n")
}

// elispDefaultVarDoc's Emacs Lisp block gives sh blocks a :var naming
// the bash block data.
const elispDefaultVarDoc = `* A default :var
#+name: data
#+begin_src bash
echo 5
#+end_src

#+begin_src emacs-lisp :results silent
(setq org-babel-default-header-args:sh '((:var . "x=data")))
#+end_src

#+begin_src sh :cache yes
echo "x=$x"
#+end_src
`

// TestEmacsLispChangedResultsE2E: an Emacs Lisp block after blocks an
// earlier one changed (body, header arguments, moved) finds their
// results in its buffer where Emacs has them.
func TestEmacsLispChangedResultsE2E(t *testing.T) {
	t.Parallel()
	emacsLispFixtureE2E(t, "../../internal/plan/testdata/elisp_changed_results.org",
		",#+RESULTS: changed\n: body as changed\n", ",#+begin_example\nheader arguments changed\n,#+end_example\n",
		",#+RESULTS:\n| one   | more | line |\n")
}

// emacsLispFixtureE2E is emacsLispDocE2E of a fixture of the plan's
// Emacs tests.
func emacsLispFixtureE2E(t *testing.T, fixture string, wants ...string) {
	t.Helper()
	raw, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	emacsLispDocE2E(t, string(raw), wants...)
}

// emacsLispDocE2E runs doc on a server, compares the document written
// back with Emacs's (which must hold each of wants) and with what a
// server started again writes.
func emacsLispDocE2E(t *testing.T, doc string, wants ...string) {
	t.Helper()
	emacs := emacsRunner(t)
	s := startServer(t, t.TempDir())
	v, want := submitLikeEmacs(t, s, doc, emacs)
	for _, w := range wants {
		if !strings.Contains(want, w) {
			t.Fatalf("Emacs's results lack %q:\n%s", w, want)
		}
	}
	s.kill9()
	s2 := startServer(t, s.data)
	if _, got := s2.get("/org/" + v.ID); got != want {
		t.Fatalf("after the restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}
