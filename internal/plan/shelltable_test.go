package plan

import (
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestOrgtblGeneric holds orgtblGeneric to what org-babel-sh-var-to-string
// gave in Emacs 28.2 (Org 9.5.5) for these lists.
func TestOrgtblGeneric(t *testing.T) {
	row := func(cells ...string) []string { return cells }
	var str []string // an item that is not a list: no row
	rule := org.RuleRow()
	cases := []struct {
		rows [][]string
		want string
	}{
		{[][]string{row("a\n"), row("b")}, "a\nb"},
		{[][]string{row("a\nc"), row("b")}, "a"},
		{[][]string{row("a\n|x"), row("b")}, "a\nx\nb"},
		{[][]string{row("a", "b|c"), row("d")}, "a\tb\tc\nd"},
		{[][]string{row("a\n"), row("b", "(c\n\nd\n)"), str}, "a\nb\t(c\n"},
		{[][]string{row("a"), str, row("b")}, "a\nb"},
		{[][]string{row("a"), row(""), row("b")}, "a\nb"},
		{[][]string{row("a", "c\n\n\nd")}, "a\tc\n\n"},
		{[][]string{row("a\n")}, "a"},
		{[][]string{row("a\n\n")}, "a\n"},
		{[][]string{row("a", ""), row("b")}, "a\t\nb"},
		{[][]string{row("a", "  "), row("b", "|")}, "a\t\nb\t\t"},
		{[][]string{rule, row("a")}, "a"},
		{[][]string{row(" a "), row("b\n")}, "a\nb"},
		{[][]string{row("a"), row("b\n"), row("|-x")}, "a\nb\n\t-x"},
		// After a cell's newline the next cell starts its line: a rule
		// when it starts with "-".
		{[][]string{row("a\n", "-b"), row("c", "d")}, "a\nc\td"},
		{[][]string{row("a\n", "b"), row("c", "d")}, "a\nb\nc\td"},
		// What the exporter leaves out (org.ExportedRows): rows of
		// cookies, rows starting "/", a special column.
		{[][]string{row("<r>", "<c>"), row("a", "bb")}, "a\tbb"},
		{[][]string{row("/", "x"), row("a", "b")}, "a\tb"},
		{[][]string{row("#", "x"), row("", "y"), row("^", "z")}, "x\ny"},
		{[][]string{row("#"), row("*")}, ""},
		{[][]string{row("<r>", "x"), row("a", "b")}, "<r>\tx\na\tb"},
	}
	for _, c := range cases {
		if got := orgtblGeneric(c.rows, shellForm{}); got != c.want {
			t.Errorf("%+v: %q, want %q", c.rows, got, c.want)
		}
	}
}
