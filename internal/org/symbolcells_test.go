package org

import (
	"reflect"
	"testing"
)

// TestSymbolCells: the bare words and the language's nothing inside the
// rows of a Ruby, Python or JavaScript list of lists are symbols; quoted
// strings and numbers are not, nor are a flat list's items (row 0).
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
	} {
		if got := c.r.ReadMarked(c.raw, args); got.Flat || !reflect.DeepEqual(got.Symbols, c.want) {
			t.Errorf("%s %s: %v (flat %v), want %v", c.r, c.raw, got.Symbols, got.Flat, c.want)
		}
	}
	if got := ReadRuby.ReadMarked(`[:a, "b", :c]`, args); !got.Flat || !reflect.DeepEqual(got.Symbols, [][2]int{{0, 0}, {0, 2}}) {
		t.Errorf("flat list's symbols: %v (flat %v)", got.Symbols, got.Flat)
	}
	// A rule among a flat list's items is the symbol hline.
	if got := ReadPython.ReadMarked(`[True, None, 'x']`, args); !got.Flat || !reflect.DeepEqual(got.Symbols, [][2]int{{0, 0}, {0, 1}}) {
		t.Errorf("flat list's symbols with a rule: %v (flat %v)", got.Symbols, got.Flat)
	}
}

// TestReadMarked: one reading gives a value's strings that read as
// numbers and its lists, by row and column (a flat list's in row 0),
// beside its symbols; a list written with a reader shorthand is no list
// to a reference.
func TestReadMarked(t *testing.T) {
	args := Args{{Key: "results", Value: "value"}}
	m := ReadPython.ReadMarked(`["007", 7, [1, 'a'], None]`, args)
	if !m.Flat || !reflect.DeepEqual(m.Strings, [][2]int{{0, 0}}) || !reflect.DeepEqual(m.Symbols, [][2]int{{0, 3}}) {
		t.Errorf("flat: %+v", m)
	}
	want := Item{IsList: true, List: []Item{{Text: "1"}, {Text: "a", String: true}}}
	if got := m.Nested; len(got) != 1 || !reflect.DeepEqual(got[[2]int{0, 2}], want) {
		t.Errorf("flat list's lists: %+v", got)
	}
	m = ReadRuby.ReadMarked(`[["1e3", [2, 3]], nil, [4, "x"]]`, args)
	if m.Flat || !reflect.DeepEqual(m.Strings, [][2]int{{0, 0}}) || len(m.Table) != 3 || !IsRule(m.Table[1]) {
		t.Errorf("table: %+v", m)
	}
	want = Item{IsList: true, List: []Item{{Text: "2"}, {Text: "3"}}}
	if got := m.Nested; len(got) != 1 || !reflect.DeepEqual(got[[2]int{0, 1}], want) {
		t.Errorf("table's lists: %+v", got)
	}
	if m := ReadPython.ReadMarked(`'abc'`, args); m.Kind != valueString || m.Scalar != "abc" || m.Symbols != nil || m.Nested != nil {
		t.Errorf("scalar: %+v", m)
	}
}
