package main

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// elispBufferDoc's Emacs Lisp blocks read the results of the blocks
// before them, and a property an earlier one set, from the document's
// buffer, as org-babel-execute-buffer leaves them there. (The property is
// deleted again: the document Borges writes back carries no block's edits.)
const elispBufferDoc = `* Tables
#+name: tbl
#+begin_src sh :results table
printf '1 2\n3 4\n'
#+end_src

#+name: cell
#+begin_src emacs-lisp
(org-table-get-remote-range "tbl" "@2$2")
#+end_src

#+name: set
#+begin_src emacs-lisp :results silent
(org-set-property "SEEN" "yes")
#+end_src

#+name: seen
#+begin_src sh :var seen=(org-entry-get nil "SEEN" t)
echo "seen $seen"
#+end_src

#+name: unset
#+begin_src emacs-lisp :results silent
(org-delete-property "SEEN")
#+end_src
`

// TestEmacsLispBufferE2E: the server's document's Emacs keeps one Org
// buffer: the Emacs Lisp block sees the shell block's table, the Lisp
// :var value the property a block set, byte for byte as in Emacs.
func TestEmacsLispBufferE2E(t *testing.T) {
	emacs := emacsRunner(t)
	s := startServer(t, t.TempDir())
	_, want := submitLikeEmacs(t, s, elispBufferDoc, emacs)
	for _, w := range []string{"#+RESULTS: cell\n: 4\n", "#+RESULTS: seen\n: seen yes\n"} {
		if !strings.Contains(want, w) {
			t.Fatalf("Emacs's results lack %q:\n%s", w, want)
		}
	}
}

// TestEmacsLispBufferAfterFailureE2E: an Emacs Lisp block after a shell
// block that fails waits for it, is not held back by its failure, and
// sees its results as Borges writes them (its drawer).
func TestEmacsLispBufferAfterFailureE2E(t *testing.T) {
	emacsRunner(t)
	s := startServer(t, t.TempDir())
	v := s.submit("#+name: bad\n#+begin_src sh\necho partial\nexit 3\n#+end_src\n\n" +
		"#+name: look\n#+begin_src emacs-lisp\n(save-excursion (goto-char (point-min)) (if (search-forward \"borges: failed\" nil t) \"drawer seen\" \"no drawer\"))\n#+end_src\n")
	until(t, "ended", func() bool { return s.doc(v.ID).State.Terminal() })
	d := s.doc(v.ID)
	if b := blockOf(d, "look"); b.State != engine.Finished {
		t.Fatalf("look: %+v", b.Instances[0])
	}
	if _, res := s.get("/org/" + v.ID); !strings.Contains(res, "#+RESULTS: look\n: drawer seen\n") {
		t.Fatalf("results:\n%s", res)
	}
}
