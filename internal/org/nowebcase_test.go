package org

import "testing"

// TestNowebNameIgnoresCase: a plain noweb reference finds the first block
// whose #+name: is the reference in any case, as Emacs's search for
// org-babel-named-src-block-regexp-for-name does under case-fold-search;
// a :noweb-ref is compared as it stands (a hash table of its values).
func TestNowebNameIgnoresCase(t *testing.T) {
	doc, err := Parse(`#+name: lowblock
#+begin_src sh
echo low
#+end_src

#+name: LowBlock
#+begin_src sh
echo second
#+end_src

#+begin_src sh :noweb-ref PartRef
echo part
#+end_src

#+begin_src sh :noweb yes
<<LOWBLOCK>>
<<partref>>
<<PartRef>>
#+end_src
`)
	expandsLast(t, doc, err, 4, "echo low\n\necho part")
}

// TestNowebNameFoldsAsEmacs: names are folded as every other name match
// is (foldKey), which agrees with Emacs's case-fold-search where
// lower-casing does not: final sigma matches sigma in any case, and a
// dotted capital I does not match "i" (checked against Emacs 28.2).
func TestNowebNameFoldsAsEmacs(t *testing.T) {
	doc, err := Parse(`#+name: σx
#+begin_src sh
echo sigma
#+end_src

#+name: i
#+begin_src sh
echo dotless
#+end_src

#+begin_src sh :noweb yes
<<ςX>>
<<İ>>
#+end_src
`)
	expandsLast(t, doc, err, 3, "echo sigma\n")
}

// expandsLast checks that doc, parsed with err, has n blocks and that the
// last one's body expands to want.
func expandsLast(t *testing.T, doc *Document, err error, n int, want string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Blocks) != n {
		t.Fatalf("%d blocks", len(doc.Blocks))
	}
	got, err := doc.NowebBody(doc.Blocks[n-1], map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("expanded %q, want %q", got, want)
	}
}
