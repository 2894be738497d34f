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

// TestLispListText: a list no table holds (a cons, an alist), printed as
// #<borges-list-text>"TEXT", is the text Babel writes for it, which
// :results table or vector does not make a table of one cell, as it is a
// list (checked against Emacs 28.2 / Org 9.5.5:
// TestAgainstEmacs/hunt11_elisp_words).
func TestLispListText(t *testing.T) {
	for _, rp := range []string{"", "table", "vector"} {
		kind, scalar, table := ReadLisp.Value(lispListText+`"(a . b)"`, Args{{Key: "results", Value: rp}})
		if kind != valueString || scalar != "(a . b)" || table != nil {
			t.Errorf("%q: got %d %q %q, want the string (a . b)", rp, kind, scalar, table)
		}
	}
	// A block's own list headed by the symbol is a table.
	if kind, _, table := ReadLisp.Value(`(borges--list-text "x")`, nil); kind != valueTable || len(table) != 1 {
		t.Errorf("a list of the symbol: got %d %q", kind, table)
	}
	// A string is still made a table of one cell.
	if kind, _, table := ReadLisp.Value(`"(a . b)"`, Args{{Key: "results", Value: "table"}}); kind != valueTable || len(table) != 1 {
		t.Errorf("a string under :results table: got %d %q", kind, table)
	}
}

// TestLispListStop: under :results list an Emacs Lisp cons (printed as
// #<borges-list-stop>"TEXT") stops Emacs once it has written the keyword,
// with the error a table left empty gives (checked against Emacs 28.2 /
// Org 9.5.5: TestAgainstEmacs/stop:_hunt11_elisp_cons_list).
func TestLispListStop(t *testing.T) {
	doc, err := Parse("#+begin_src emacs-lisp :results list\n'(a . b)\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	b := doc.Blocks[0]
	r := Result{Output: lispListStop + `"(a . b)"`, Reader: ReadLisp}
	if why := doc.ResultStop(b, r); why != TableStopError {
		t.Errorf("stop %q, want %q", why, TableStopError)
	}
	r.Output = lispListItems + `("(a . 1)" "(b . 2)")`
	if why := doc.ResultStop(b, r); why != "" {
		t.Errorf("an alist: stop %q", why)
	}
}
