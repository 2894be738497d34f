package plan

import (
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// genericRow is a row orgtbl-to-generic is given: a rule, or cells as
// princ prints them; skip marks an item that is neither (a string, nil),
// which it leaves out.
type genericRow struct {
	rule, skip bool
	cells      []string
}

// shellForm is how org-babel-sh-var-to-string writes a table's rules and
// cells, from the block's header arguments: hline is what a kept rule is
// written as (:hline-string, else "hline", under :hlines yes; "" writes
// none), sep what goes between cells (:separator; "" is its default, a
// tab).
type shellForm struct {
	hline, sep string
}

// cellSep is the text between a row's cells.
func (f shellForm) cellSep() string {
	if f.sep == "" {
		return "\t"
	}
	return f.sep
}

// orgtblGeneric is orgtbl-to-generic as org-babel-sh-var-to-string calls
// it (:sep the form's cellSep, :hline its hline, nothing written for a
// rule when that is ""): the rows printed as an Org table ("| " and each cell followed by
// " |"), that text parsed again and the first table in it written out.
// A cell holding a newline ends that table at its line (the blank lines
// after it, its post-blank, each written as a newline), a "|" divides a
// cell, blanks around a cell go, and a row left with no text is not
// written.
func orgtblGeneric(rows []genericRow, form shellForm) string {
	var b strings.Builder
	for _, r := range rows {
		switch {
		case r.skip:
		case r.rule:
			b.WriteString("|--\n")
		default:
			b.WriteString("| ")
			for _, c := range r.cells {
				b.WriteString(c)
				b.WriteString(" |")
			}
			b.WriteByte('\n')
		}
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	var out []string
	k := 0
	for ; k < len(lines); k++ {
		r := strings.TrimLeft(lines[k], " \t")
		if !strings.HasPrefix(r, "|") {
			break
		}
		r = r[1:]
		if strings.HasPrefix(r, "-") {
			if form.hline != "" {
				out = append(out, form.hline)
			}
			continue
		}
		contents := strings.TrimRight(r, " \t")
		if contents == "" {
			continue // no cells
		}
		cells := strings.Split(contents, "|")
		if cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		for j, c := range cells {
			cells[j] = strings.Trim(c, " \t")
		}
		if row := strings.Join(cells, form.cellSep()); row != "" {
			out = append(out, row)
		}
	}
	if len(out) == 0 {
		return ""
	}
	post := 0
	for ; k < len(lines) && strings.Trim(lines[k], " \t") == "" && k > 0; k++ {
		post++
	}
	return strings.Join(out, "\n") + strings.Repeat("\n", post)
}

// tableRows are the rows of v's table for orgtblGeneric, their cells as
// princ prints them (a vector's elements unquoted: princCells).
func tableRows(v Value) []genericRow {
	rows := make([]genericRow, len(v.Table))
	for i, r := range v.Table {
		if org.IsRule(r) {
			rows[i].rule = true
			continue
		}
		rows[i].cells = v.princCells(i)
	}
	return rows
}

// listRows are the items of list v for orgtblGeneric: a list's elements
// as princ prints them.
func listRows(v Value) []genericRow {
	rows := make([]genericRow, len(v.List))
	for i, it := range v.List {
		switch {
		case it.Rule:
			rows[i].rule = true
		case it.IsList && len(it.List) > 0:
			cells := make([]string, len(it.List))
			for j, c := range it.List {
				cells[j] = princValue(c)
			}
			rows[i].cells = cells
		default:
			rows[i].skip = true
		}
	}
	return rows
}
