package plan

import "testing"

// TestOrgtblGeneric holds orgtblGeneric to what org-babel-sh-var-to-string
// gave in Emacs 28.2 (Org 9.5.5) for these lists.
func TestOrgtblGeneric(t *testing.T) {
	row := func(cells ...string) genericRow { return genericRow{cells: cells} }
	str := genericRow{skip: true}
	rule := genericRow{rule: true}
	cases := []struct {
		rows []genericRow
		want string
	}{
		{[]genericRow{row("a\n"), row("b")}, "a\nb"},
		{[]genericRow{row("a\nc"), row("b")}, "a"},
		{[]genericRow{row("a\n|x"), row("b")}, "a\nx\nb"},
		{[]genericRow{row("a", "b|c"), row("d")}, "a\tb\tc\nd"},
		{[]genericRow{row("a\n"), row("b", "(c\n\nd\n)"), str}, "a\nb\t(c\n"},
		{[]genericRow{row("a"), str, row("b")}, "a\nb"},
		{[]genericRow{row("a"), row(""), row("b")}, "a\nb"},
		{[]genericRow{row("a", "c\n\n\nd")}, "a\tc\n\n"},
		{[]genericRow{row("a\n")}, "a"},
		{[]genericRow{row("a\n\n")}, "a\n"},
		{[]genericRow{row("a", ""), row("b")}, "a\t\nb"},
		{[]genericRow{row("a", "  "), row("b", "|")}, "a\t\nb\t\t"},
		{[]genericRow{rule, row("a")}, "a"},
		{[]genericRow{row(" a "), row("b\n")}, "a\nb"},
		{[]genericRow{row("a"), row("b\n"), row("|-x")}, "a\nb\n\t-x"},
	}
	for _, c := range cases {
		if got := orgtblGeneric(c.rows, shellForm{}); got != c.want {
			t.Errorf("%+v: %q, want %q", c.rows, got, c.want)
		}
	}
}
