package org

import (
	"testing"

	"github.com/wallyqs/borges/internal/org/wordsyntax"
	"github.com/wallyqs/borges/internal/outside"
)

// TestWordRunesAgainstEmacs holds isWordRune (and so where an inline
// block may start) to Emacs: for every code point, whether char-syntax is
// ?w in an org-mode buffer (emacs -Q --batch). A difference means the
// table is to be generated again (go generate ./internal/org).
func TestWordRunesAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	version, ranges, err := wordsyntax.FromEmacs(emacs)
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, rg := range ranges {
		for r := rg.Lo; r <= rg.Hi; r++ {
			if got := isWordRune(r); got != rg.Word {
				bad++
				if bad <= 20 {
					t.Errorf("U+%04X %q: word %v, Emacs %s's org-mode syntax table %v (go generate ./internal/org)", r, r, got, version, rg.Word)
				}
			}
		}
	}
	if bad > 20 {
		t.Errorf("%d code points differ in all", bad)
	}
}
