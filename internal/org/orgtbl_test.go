package org

import (
	"slices"
	"testing"
)

// tableCase is rows and what Emacs 28.2 (Org 9.5.5) read back from them:
// the first table's rows (a rule RuleRow) and its post-blank.
type tableCase struct {
	rows [][]string
	want [][]string
	post int
}

func checkTables(t *testing.T, name string, f func([][]string) ([][]string, int), cases []tableCase) {
	t.Helper()
	for _, c := range cases {
		got, post := f(c.rows)
		if !slices.EqualFunc(got, c.want, slices.Equal) || post != c.post {
			t.Errorf("%s(%q) = %q, %d; want %q, %d", name, c.rows, got, post, c.want, c.post)
		}
	}
}

// TestPrintedTable holds PrintedTable to what Emacs made of each table:
// the rows printed as orgtbl-to-generic prints them and the first table
// of that text as org-element-parse-buffer reads it (its rows' cells,
// :post-blank).
func TestPrintedTable(t *testing.T) {
	rule := RuleRow()
	checkTables(t, "PrintedTable", PrintedTable, []tableCase{
		{[][]string{{"a\n", "-b"}, {"c", "d"}}, [][]string{{"a"}, rule, {"c", "d"}}, 0},
		{[][]string{{"a\n", "-b", "c"}}, [][]string{{"a"}, rule}, 0},
		{[][]string{{"a\n", "b"}, {"c", "d"}}, [][]string{{"a"}, {"b"}, {"c", "d"}}, 0},
		{[][]string{{"a\n\n", "b"}, {"c"}}, [][]string{{"a"}}, 1},
		{[][]string{{"a\n", "|-b"}, {"c", "d"}}, [][]string{{"a"}, {"", "-b"}, {"c", "d"}}, 0},
		{[][]string{{"a\n", " -b"}, {"c", "d"}}, [][]string{{"a"}, {"-b"}, {"c", "d"}}, 0},
		{[][]string{{"a\nc", "b"}, {"d"}}, [][]string{{"a"}}, 0},
		{[][]string{{"a", "b|c"}, {"d"}}, [][]string{{"a", "b", "c"}, {"d"}}, 0},
		{[][]string{{"x", "a\n", "-", "y"}, {"c", "d", "e", "f"}}, [][]string{{"x", "a"}, rule, {"c", "d", "e", "f"}}, 0},
		{[][]string{{"a\n|\nb"}, {"c"}}, [][]string{{"a"}, nil}, 0},
		{[][]string{{"a", "c\n\n\nd"}}, [][]string{{"a", "c"}}, 2},
		{[][]string{rule, {"a"}, nil, {"b"}}, [][]string{rule, {"a"}, {"b"}}, 0},
		{[][]string{nil}, nil, 0},
		{[][]string{{"a\n", "b"}, rule, {"c"}}, [][]string{{"a"}, {"b"}, rule, {"c"}}, 0},
		{[][]string{{"a\n", " | b"}, {"c"}}, [][]string{{"a"}, {"", "b"}, {"c"}}, 0},
	})
}

// TestCutAtNewline holds cutAtNewline, and orgtblRows around it, to what
// Emacs read back from each table: the rows before the first cell
// holding a newline are kept as they are (orgtblRows reads those holding
// a "|" or blanks around a cell again), the rest printed and read back.
func TestCutAtNewline(t *testing.T) {
	rule := RuleRow()
	checkTables(t, "cutAtNewline", cutAtNewline, []tableCase{
		{[][]string{{"a", "b"}, {"c\n", "-d"}, {"e"}}, [][]string{{"a", "b"}, {"c"}, rule, {"e"}}, 0},
		{[][]string{{"a"}, {"b"}}, [][]string{{"a"}, {"b"}}, 0},
		{[][]string{{"a"}, {"c\n\n", "d"}, {"e"}}, [][]string{{"a"}, {"c"}}, 1},
	})
	checkTables(t, "orgtblRows", func(rows [][]string) ([][]string, int) { return orgtblRows(rows, false, nil) }, []tableCase{
		{[][]string{{"a", " b"}, rule, {"c\n\n", "d"}, {"e"}}, [][]string{{"a", "b"}, rule, {"c"}}, 1},
		{[][]string{{"a|b"}, {"c\nx", "d"}}, [][]string{{"a", "b"}, {"c"}}, 0},
		{[][]string{{"a"}, nil, {"b"}}, [][]string{{"a"}, {"b"}}, 0},
	})
}
