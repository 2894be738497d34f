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
	t.Parallel()
	outside.Need(t, "ruby", "ruby")
	emacs := emacsRunner(t, "(emacs-lisp . t)", "(ruby . t)")
	s := startServer(t, t.TempDir())
	_, want := submitLikeEmacs(t, s, elispReadDoc, emacs)
	if !strings.Contains(want, "#+RESULTS: needs-emacs\n: 21\n") {
		t.Fatalf("Emacs's results are not what the test expects:\n%s", want)
	}
}

// readBufferDoc has output read by Emacs in the document's buffer: the
// first task of the document's Emacs is a reading that needs no Emacs (it
// does not run, and the reading after it starts the buffer), then a form
// that goes to a result put in before it, and an Emacs Lisp block that
// counts the results.
const readBufferDoc = `#+name: first
#+begin_src ruby :results output table
puts "(1 2)"
#+end_src

#+name: word
#+begin_src sh
echo hello
#+end_src

#+name: reads
#+begin_src python :results output table
print('(save-excursion (org-babel-goto-named-result "word") (forward-line 1) (list (point) (buffer-substring-no-properties (point) (line-end-position)))) .')
#+end_src

#+name: count
#+begin_src emacs-lisp
(count-matches "^#\\+RESULTS" (point-min) (point))
#+end_src
`

// TestOutputReadInBufferE2E: through the server, the task reading a
// block's output in Emacs reads it in the document's Emacs's buffer, with
// the results of the blocks before it, as Emacs does, also when the task
// of that Emacs before it did not run.
func TestOutputReadInBufferE2E(t *testing.T) {
	t.Parallel()
	outside.Need(t, "ruby", "ruby")
	outside.Need(t, "python3", "python3")
	emacs := emacsRunner(t, "(emacs-lisp . t)", "(ruby . t)", "(python . t)", "(shell . t)")
	s := startServer(t, t.TempDir())
	_, want := submitLikeEmacs(t, s, readBufferDoc, emacs)
	if !strings.Contains(want, "#+RESULTS: reads\n| 170 | : hello |\n") {
		t.Fatalf("Emacs's results are not what the test expects:\n%s", want)
	}
}

// cachedFirstDoc's first task in the document's Emacs is a :cache yes
// Emacs Lisp block whose results stand (it does not run); the ones after
// it read the buffer.
const cachedFirstDoc = `#+name: cached
#+begin_src emacs-lisp :cache yes
(+ 1 2)
#+end_src

#+name: word
#+begin_src sh
echo hello
#+end_src

#+name: count
#+begin_src emacs-lisp
(count-matches "^#\\+RESULTS" (point-min) (point))
#+end_src

#+name: reads
#+begin_src ruby :results output table
puts '(save-excursion (org-babel-goto-named-result "count") (forward-line 1) (buffer-substring-no-properties (point) (line-end-position)))'
#+end_src
`

// TestBufferAfterCachedBlockE2E: through the server, when the first task
// of the document's Emacs does not run (its cached results stand), the
// next one puts the document in that Emacs's buffer in its place.
func TestBufferAfterCachedBlockE2E(t *testing.T) {
	t.Parallel()
	outside.Need(t, "ruby", "ruby")
	emacs := emacsRunner(t, "(emacs-lisp . t)", "(ruby . t)", "(shell . t)")
	// Emacs's own first run writes the hash the cached block then
	// stands on, in Emacs and in Borges.
	doc := emacs(cachedFirstDoc)
	if !strings.Contains(doc, "#+RESULTS[") {
		t.Fatalf("Emacs wrote no hash:\n%s", doc)
	}
	s := startServer(t, t.TempDir())
	v, want := submitLikeEmacs(t, s, doc, emacs)
	if !strings.Contains(want, "#+RESULTS: reads\n: : 2\n") {
		t.Fatalf("Emacs's results are not what the test expects:\n%s", want)
	}
	for _, b := range s.doc(v.ID).Blocks {
		if b.Name == "cached" && len(b.Instances) > 0 && b.Instances[0].AttemptID != "" {
			t.Fatalf("the cached block ran: %+v", b.Instances[0])
		}
	}
}
