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

// TestNowebHeading: a plain noweb reference that is a heading's
// CUSTOM_ID takes in the heading's body, before a block of that name
// (org-babel-ref-goto-headline-id is tried first); a block expanding one
// and writing its results stops the document (NowebHeadingStops), one
// with :results silent does not; a heading whose subtree holds a block
// is an error.
func TestNowebHeading(t *testing.T) {
	doc, err := Parse(`#+name: shared
#+begin_src sh
echo block
#+end_src

#+begin_src sh :noweb yes
<<shared>>
<<plain>>
#+end_src

#+begin_src sh :noweb yes :results silent
<<shared>>
#+end_src

#+begin_src sh :noweb yes
<<live>>
#+end_src

* Shared
:PROPERTIES:
:CUSTOM_ID: shared
:END:
echo heading

* Live
:PROPERTIES:
:CUSTOM_ID: live
:END:
#+begin_src sh
echo in
#+end_src
`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := doc.ExpandedBody(doc.Blocks[1], nil)
	if want := "echo heading\n\n"; err != nil || got != want {
		t.Errorf("expansion %q, %v; want %q", got, err, want)
	}
	for i, want := range []bool{false, true, false, true} {
		if got := doc.NowebHeadingStops(doc.Blocks[i]); got != want {
			t.Errorf("block %d: NowebHeadingStops %v, want %v", i, got, want)
		}
	}
	if _, err := doc.ExpandedBody(doc.Blocks[3], nil); err == nil || !strings.Contains(err.Error(), "CUSTOM_ID") {
		t.Errorf("a live heading's body: error %v", err)
	}
}
