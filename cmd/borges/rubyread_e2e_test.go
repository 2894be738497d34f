package main

import (
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
)

// rubyReadDoc has Ruby output under :results output table that ob-ruby
// evaluates as Lisp: a call (read by a batch Emacs task after the block),
// a form that fails (the text as it came), a quoted list Borges reads
// itself (no Emacs run), a block referring to one read by Emacs, and
// :post given the value read, or the block's own; a value evaluated (a
// string returned, read as output is), and a value Borges reads itself.
const rubyReadDoc = `* Heading
:PROPERTIES:
:P: from the heading
:END:

#+begin_src ruby :results output table
puts "(list (list 1 (* 2 3)) (list (org-entry-get nil \"P\" t) 'z))"
#+end_src

#+begin_src ruby :results output table
puts "(car 5)"
#+end_src

#+begin_src ruby :results output table
puts "'(1 2)"
#+end_src

#+name: ev
#+begin_src ruby :results output table
puts "(concat \"4\" \"2\")"
#+end_src

#+begin_src sh :var x=ev :results output
echo "[$x]"
#+end_src

#+name: wrap
#+begin_src sh :var s="" :results output
echo "<$s>"
#+end_src

#+begin_src ruby :results output table :post wrap(s=*this*)
puts "(concat \"a\" \"b\")"
#+end_src

#+begin_src ruby :results output table :post wrap(s=*this*)
puts "7"
#+end_src

#+begin_src ruby
"(list 1 (+ 1 1)) "
#+end_src

#+begin_src ruby
[1, 2]
#+end_src
`

// TestRubyOutputReadByEmacs runs rubyReadDoc in Emacs and through the
// server: the documents must be equal, and the block whose output Borges
// reads itself has its Emacs task finish without running.
func TestRubyOutputReadByEmacs(t *testing.T) {
	t.Parallel()
	outside.Need(t, "ruby", "ruby")
	want := emacsRunner(t, "(ruby . t)", "(shell . t)")(rubyReadDoc)

	s := startServer(t, t.TempDir())
	v := s.submit(rubyReadDoc)
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	_, got := s.get("/org/" + v.ID)
	if got != want {
		t.Fatalf("differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
	ran := map[string]int{}
	for _, b := range s.doc(v.ID).Blocks {
		for _, in := range b.Instances {
			ran[b.Name] += in.Attempts
		}
	}
	if ran["block-1 output read by Emacs"] != 1 || ran["block-2 output read by Emacs"] != 1 || ran["block-3 output read by Emacs"] != 0 ||
		ran["ev output read by Emacs"] != 1 || ran["block-9 output read by Emacs"] != 1 || ran["block-10 output read by Emacs"] != 0 {
		t.Fatalf("Emacs runs: %v, want one for each call and none for the quoted list or the array", ran)
	}
}
