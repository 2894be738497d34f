package org

import (
	"strings"
	"testing"
)

// TestNowebComments: a block whose :comments is "noweb" has each block a
// plain reference takes in wrapped in comment lines of its own language
// (checked against Emacs 28.2); a language Borges knows no comment
// syntax of, or a document visiting a file (whose link Borges does not
// make), is an error, not a body Emacs would not run.
func TestNowebComments(t *testing.T) {
	const src = `#+name: inner
#+begin_src sh
echo inner
#+end_src

#+begin_src LANG :noweb yes :comments noweb
x <<inner>>
<<missing>>
#+end_src
`
	cases := []struct {
		lang, want, err string
		visit           bool
	}{
		{"sh", "x # [[][inner]]\nx echo inner\nx # inner ends here\n", "", false},
		{"js", "x // [[][inner]]\nx echo inner\nx // inner ends here\n", "", false},
		{"emacs-lisp", "x ;; [[][inner]]\nx echo inner\nx ;; inner ends here\n", "", false},
		{"zsh", "", "no comment syntax", false},
		{"sh", "", "visiting a file", true},
	}
	for _, c := range cases {
		doc, err := Parse(strings.Replace(src, "LANG", c.lang, 1))
		if err != nil {
			t.Fatal(err)
		}
		if c.visit {
			doc.Visit = Visit{Dir: "dir"}
		}
		got, err := doc.ExpandedBody(doc.Blocks[1], nil)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one saying %q", c.lang, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.lang, got, err, c.want)
		}
	}
}
