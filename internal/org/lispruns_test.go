package org

import "testing"

// TestHeaderLispRuns: a document's Emacs Lisp that may define a function
// a header value calls (an Emacs Lisp block, a Lisp form Borges does not
// know, a local variable's eval:) is found; text, bodies, constants and
// forms that stop at a function Emacs lacks are none.
func TestHeaderLispRuns(t *testing.T) {
	for doc, want := range map[string]bool{
		"#+begin_src emacs-lisp\n(defun f () 1)\n#+end_src\n":                            true,
		"#+BEGIN_SRC elisp :results silent\n1\n#+END_SRC\n":                              true,
		"Text src_emacs-lisp{(defun f () 1)} here.\n":                                    true,
		"#+begin_src sh :var x=(f 1)\ntrue\n#+end_src\n":                                 true,
		"#+call: a(x=(f 1))\n":                                                           true,
		"#+begin_src sh :foo (concat \"a\" \"b\")\ntrue\n#+end_src\n":                    true,
		"* H\n:PROPERTIES:\n:header-args: :foo (require 'x)\n:END:\n":                    true,
		"# -*- eval: (defun f () 1) -*-\n":                                               true,
		"#+begin_src sh :foo (my-fn) :bar (lambda () (g))\narr=(a b)\n#+end_src\n":       false,
		"#+TITLE: A (b)\n#+begin_src sh :var x=a(n=1) :foo '(a b)\nx=(1 2)\n#+end_src\n": false,
		"#+begin_src sh :cache yes :foo (lambda () 2) :bar 'max\ntrue\n#+end_src\n":      false,
		"Text (with parens) and :colons: (too).\n":                                       false,
	} {
		if got := newParser(doc).lispRuns(); got != want {
			t.Errorf("%q: lispRuns %v, want %v", doc, got, want)
		}
	}
}
