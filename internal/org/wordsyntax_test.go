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
	againstEmacs(t, wordsyntax.FromEmacs, isWordRune, "word", "org-mode syntax table")
}

// TestAlnumRunesAgainstEmacs holds isAlnumRune (and so how far a
// subscript goes on before an inline block) to Emacs: for every code
// point, whether [[:alnum:]] matches it in an org-mode buffer.
func TestAlnumRunesAgainstEmacs(t *testing.T) {
	againstEmacs(t, wordsyntax.AlnumFromEmacs, isAlnumRune, "alnum", "[[:alnum:]]")
}

// againstEmacs compares is with the runs fromEmacs gets from Emacs, for
// every code point; what and whose name the class in messages.
func againstEmacs(t *testing.T, fromEmacs func(string) (string, []wordsyntax.Range, error), is func(rune) bool, what, whose string) {
	t.Helper()
	emacs := outside.Need(t, "emacs-nox", "emacs")
	version, ranges, err := fromEmacs(emacs)
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, rg := range ranges {
		for r := rg.Lo; r <= rg.Hi; r++ {
			if got := is(r); got != rg.Word {
				bad++
				if bad <= 20 {
					t.Errorf("U+%04X %q: %s %v, Emacs %s's %s %v (go generate ./internal/org)", r, r, what, got, version, whose, rg.Word)
				}
			}
		}
	}
	if bad > 20 {
		t.Errorf("%d code points differ in all", bad)
	}
}
