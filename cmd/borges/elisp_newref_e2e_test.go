package main

import "testing"

// TestEmacsLispRefToLaterBlockE2E: an Emacs Lisp block rewrites a
// block's :var x=a into :var x=b, b standing after that block: Emacs
// runs b at the reference, and so does Borges, a run of its own before
// the referrer (where it refused the referrer before), byte for byte as
// in Emacs, and a server started again writes the document back alike.
func TestEmacsLispRefToLaterBlockE2E(t *testing.T) {
	t.Parallel()
	emacsLispDocE2E(t, elispLaterRefDoc, ": got [from-b]\n")
}

// elispLaterRefDoc's Emacs Lisp block turns ref's reference to a into
// one to b, which stands after it.
const elispLaterRefDoc = `* A reference to a later block
#+begin_src emacs-lisp :results silent
(save-excursion
  (goto-char (point-min))
  (when (re-search-forward (concat ":var x=" "a$") nil t)
    (replace-match ":var x=b")))
#+end_src

#+name: a
#+begin_src sh
echo from-a
#+end_src

#+name: ref
#+begin_src sh :cache yes :var x=a
echo "got [$x]"
#+end_src

#+name: b
#+begin_src sh
echo from-b
#+end_src
`
