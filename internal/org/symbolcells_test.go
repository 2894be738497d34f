package org

import (
	"reflect"
	"testing"
)

// TestSymbolCells: the bare words and the language's nothing inside the
// rows of a Ruby, Python or JavaScript list of lists are symbols; quoted
// strings and numbers are not, nor are a flat list's items (SymbolItems).
func TestSymbolCells(t *testing.T) {
	args := Args{{Key: "results", Value: "value"}}
	for _, c := range []struct {
		r    Reader
		raw  string
		want [][2]int
	}{
		{ReadRuby, `[[1, :x], [2, nil]]`, [][2]int{{0, 1}, {1, 1}}},
		{ReadRuby, `[[1, "x"], [true, 2]]`, [][2]int{{1, 0}}},
		{ReadPython, `[[True, None], [1, 'a']]`, [][2]int{{0, 0}, {0, 1}}},
		{ReadJS, `[[true, null], [1, "a"]]`, [][2]int{{0, 0}, {0, 1}}},
		{ReadRuby, `[:a, :b]`, nil},
	} {
		if got := c.r.SymbolCells(c.raw, args); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %s: %v, want %v", c.r, c.raw, got, c.want)
		}
	}
	if got := ReadRuby.SymbolItems(`[:a, "b", :c]`, args); !reflect.DeepEqual(got, []int{0, 2}) {
		t.Errorf("SymbolItems: %v", got)
	}
	// A rule among a flat list's items is the symbol hline.
	if got := ReadPython.SymbolItems(`[True, None, 'x']`, args); !reflect.DeepEqual(got, []int{0, 1}) {
		t.Errorf("SymbolItems with a rule: %v", got)
	}
}
