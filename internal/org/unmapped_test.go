package org

import (
	"slices"
	"strings"
	"testing"
)

// TestUnmappedBlocks holds the blocks of bare #+begin_src lines (nothing
// but blanks after it) to Emacs: org-babel-execute-buffer visits them
// (org-babel-map-executables asks org-element), so they are blocks of
// the document, of no language, in document order; org-babel-map-src-blocks
// and the noweb references do not (org-babel-src-block-regexp needs a
// language), so a noweb reference to the name finds the next block so
// named, and a :noweb-ref of theirs is no part of an expansion. A block
// whose body holds a NUL (which the regexp's body cannot cross) is one
// too, of its language.
func TestUnmappedBlocks(t *testing.T) {
	text := "#+begin_src sh :noweb yes\necho <<bare>> <<part>>\n#+end_src\n\n" +
		"#+name: bare\n#+header: :noweb-ref part\n#+begin_src \t\necho unmapped\n#+end_src\n\n" +
		"- item\n  #+begin_src\n  echo in item\n  #+end_src\n\n" +
		"#+name: bare\n#+begin_src sh\necho mapped\n#+end_src\n\n" +
		"#+begin_src sh\necho nul \x00\n#+end_src\n"
	doc, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for i, b := range doc.Blocks {
		if b.Index != i {
			t.Errorf("block at line %d: index %d, want %d", b.BeginLine, b.Index, i)
		}
		if b.Unmapped != (b.Lang == "" || strings.Contains(b.Body, "\x00")) {
			t.Errorf("block at line %d: Unmapped %v, language %q", b.BeginLine, b.Unmapped, b.Lang)
		}
		lines = append(lines, b.BeginLine)
	}
	if want := []int{1, 7, 12, 17, 21}; !slices.Equal(lines, want) {
		t.Fatalf("blocks at lines %v, want %v", lines, want)
	}
	if b := doc.Callee("bare"); b == nil || b.BeginLine != 7 {
		t.Errorf("a reference to bare finds %+v, want the bare block at line 7 (org-element's names)", b)
	}
	if got, err := doc.NowebBody(doc.Blocks[0], nil); err != nil || got != "echo echo mapped " {
		t.Errorf("expansion %q (%v), want %q", got, err, "echo echo mapped ")
	}
}
