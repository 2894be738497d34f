package org

import (
	"testing"

	"github.com/wallyqs/borges/internal/org/charwidth"
	"github.com/wallyqs/borges/internal/outside"
)

// TestCharWidthsAgainstEmacs holds the width table tables are aligned by
// (charwidth_table.go) to Emacs: every code point's char-width in
// emacs -Q --batch, in a UTF-8 locale, is charWidth's. A difference means
// the table is to be generated again (go generate ./internal/org).
func TestCharWidthsAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	version, ranges, err := charwidth.FromEmacs(emacs)
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, rg := range ranges {
		for r := rg.Lo; r <= rg.Hi && bad < 20; r++ {
			if got := charWidth(r); got != rg.Width {
				t.Errorf("U+%04X: width %d, Emacs %s's char-width %d (go generate ./internal/org)", r, got, version, rg.Width)
				bad++
			}
		}
	}
}

// TestStringWidth checks stringWidth on strings whose widths Emacs gives
// as string-width (emacs -Q --batch, LC_ALL=C.UTF-8), and cellWidth on
// cells whose widths org-table-align gives in Emacs (the results of
// testdata/table_widths.org in package plan): bracket links count as what
// shows of them.
func TestStringWidth(t *testing.T) {
	for _, c := range []struct {
		name  string
		width func(string) int
		cases map[string]int
	}{
		{"stringWidth", stringWidth, map[string]int{
			"abc": 3, "日本語": 6, "ＡＢＣ": 6, "ｶﾀｶﾅ": 4, "e\u0301": 1, "a\u200bb": 2,
			"😀": 2, "❤": 1, "⌚": 2, "🇫🇷": 2, "±→°…": 4, "a\tb": 10, "\x01": 2, "\u00ad": 1,
			"👨\u200d👩": 4,
		}},
		{"cellWidth", cellWidth, map[string]int{
			"[[https://example.com][ex]]": 2, "[[file:a.org]]": 10, "=[[a][b]]=": 10,
			"~[[a][bc]]~": 11, "*[[a][b]]*": 3, "x [[a][b]] [[cc]] y": 8, "[[a][b]c]]": 3,
			"https://x.com [[y]]": 15, "[[日本][語]]": 2, "[[a][]]": 7, "[[]]": 4,
			"a=[[x][y]]=": 4, "(=[[x][y]]=)": 12, "= [[x][y]]=": 4, "日本": 4,
		}},
	} {
		for s, want := range c.cases {
			if got := c.width(s); got != want {
				t.Errorf("%s(%q) = %d, Emacs's %d", c.name, s, got, want)
			}
		}
	}
}
