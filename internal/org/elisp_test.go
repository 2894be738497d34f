package org

import (
	"reflect"
	"testing"
)

// TestReadLisp reads what the batch Emacs prints of an Emacs Lisp block's
// result (see plan's elisp program) as Babel's value.
func TestReadLisp(t *testing.T) {
	cases := []struct {
		raw    string
		kind   int
		scalar string
		table  [][]string
	}{
		{`nil`, valueNone, "", nil},
		{``, valueNone, "", nil},
		{`"3"`, valueString, "3", nil},
		{`"two\nlines \"q\" \\"`, valueString, "two\nlines \"q\" \\", nil},
		{"\"raw\nnewline\"", valueString, "raw\nnewline", nil},
		{`(1 2.5 "three" sym)`, valueTable, "", [][]string{{"1", "2.5", "three", "sym"}}},
		{`(("a" 1) hline ("b" nil))`, valueTable, "", [][]string{{"a", "1"}, hlineRow, {"b", "nil"}}},
		{`(1 hline)`, valueTable, "", [][]string{{"1", "hline"}}},
		{`(a\ b "c")`, valueTable, "", [][]string{{"a b", "c"}}},
		{`(1 "unterminated)`, valueString, `(1 "unterminated)`, nil},
		{`(1 2) trailing`, valueString, `(1 2) trailing`, nil},
	}
	for _, c := range cases {
		kind, scalar, table := ReadLisp.Value(c.raw, nil)
		if kind != c.kind || scalar != c.scalar || !reflect.DeepEqual(table, c.table) {
			t.Errorf("%q: got %d %q %q, want %d %q %q", c.raw, kind, scalar, table, c.kind, c.scalar, c.table)
		}
	}
}

// TestLispFlatList: a list of atoms is handed on through :var as a list.
func TestLispFlatList(t *testing.T) {
	cases := map[string][]string{
		`(1 2 3)`:      {"1", "2", "3"},
		`("a" b)`:      {"a", "b"},
		`((1 2))`:      nil,
		`(1 hline)`:    nil,
		`"(1 2)"`:      nil,
		`nil`:          nil,
		`(1 2) (3)`:    nil,
		`(1 "a\"b" 2)`: {"1", `a"b`, "2"},
	}
	for raw, want := range cases {
		got, ok := LispFlatList(raw)
		if ok != (want != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q %v, want %q", raw, got, ok, want)
		}
	}
}
