package plan

import (
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// shellForm is how org-babel-sh-var-to-string writes a table's rules and
// cells, from the block's header arguments: hline is what a kept rule is
// written as (:hline-string, else "hline", under :hlines yes; "" writes
// none), sep what goes between cells when sepGiven (:separator with a
// value; "" is a value, true in Lisp, and joins cells with nothing),
// else a tab.
type shellForm struct {
	hline, sep string
	sepGiven   bool
}

// cellSep is the text between a row's cells: (or sep "\t").
func (f shellForm) cellSep() string {
	if !f.sepGiven {
		return "\t"
	}
	return f.sep
}

// orgtblGeneric is orgtbl-to-generic as org-babel-sh-var-to-string calls
// it (:sep the form's cellSep, :hline its hline, nothing written for a
// rule when that is ""): the rows (a rule org.RuleRow, an item that is
// not a list no row) printed and read back as org.PrintedTable does,
// less what the exporter leaves out (org.ExportedRows: rows of cookies,
// a special column), then written out. A cell holding a newline ends
// that table at its line (the blank lines after it, its post-blank, each
// written as a newline), a "|" divides a cell, blanks around a cell go,
// and a row left with no text is not written.
func orgtblGeneric(rows [][]string, form shellForm) string {
	table, post := org.PrintedTable(rows)
	table = org.ExportedRows(table)
	out := make([]string, 0, len(table))
	for _, r := range table {
		if org.IsRule(r) {
			if form.hline != "" {
				out = append(out, form.hline)
			}
			continue
		}
		if row := strings.Join(r, form.cellSep()); row != "" {
			out = append(out, row)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + strings.Repeat("\n", post)
}

// tableRows are the rows of v's table for orgtblGeneric, their cells as
// princ prints them (a vector's elements unquoted: princCells).
func tableRows(v Value) [][]string {
	rows := make([][]string, len(v.Table))
	for i, r := range v.Table {
		if org.IsRule(r) {
			rows[i] = r
			continue
		}
		rows[i] = v.princCells(i)
	}
	return rows
}

// listRows are the items of list v for orgtblGeneric: a list's elements
// as princ prints them (a string's raw bytes, a unibyte string's bytes
// past ASCII, octal escapes: princString), a rule, and no row (nil,
// which prints nothing) for an item that is not a list.
func listRows(v Value) [][]string {
	rows := make([][]string, len(v.List))
	for i, it := range v.List {
		switch {
		case it.Rule:
			rows[i] = org.RuleRow()
		case it.IsList && len(it.List) > 0:
			cells := make([]string, len(it.List))
			for j, c := range it.List {
				cells[j] = princString(c)
			}
			rows[i] = cells
		}
	}
	return rows
}

// princString is c as princ prints it into a buffer, as orgtbl-to-generic
// prints a cell: princValue, a string's raw bytes (a unibyte string's
// bytes past ASCII) octal escapes (org.Princ). Strings inside a list in
// a cell are left as princValue has them.
func princString(c Value) string {
	if c.IsList || len(c.Pair) > 0 || c.Symbol || c.Number {
		return princValue(c)
	}
	return org.Princ(c.Scalar, c.Chars, c.Unibyte)
}
