package org

import "strings"

// orgtblRows are a table value's rows as org-babel-insert-result leaves
// them once orgtbl-to-orgtbl has printed them and org-table-align has read
// the printed lines back: an empty row prints nothing and is gone, and a
// "|" inside a cell (printed as it is) divides it into cells. Rows
// without either are returned as they are (no copy).
func orgtblRows(rows [][]string) [][]string {
	rows = cutAtNewline(rows)
	changed := false
	for _, r := range rows {
		if len(r) == 0 || reread(r) {
			changed = true
			break
		}
	}
	if !changed {
		return rows
	}
	out := make([][]string, 0, len(rows))
	for _, r := range rows {
		switch {
		case len(r) == 0:
		case reread(r) && !isHline(r):
			out = append(out, tableRowCells("| "+strings.Join(r, " | ")+" |"))
		default:
			out = append(out, r)
		}
	}
	return out
}

// reread reports whether org-table-align reads row's printed line into
// other cells: a cell holds a "|", or starts or ends with a blank.
func reread(row []string) bool {
	for _, c := range row {
		if strings.IndexByte(c, '|') >= 0 || c != "" && (isBlankByte(c[0]) || isBlankByte(c[len(c)-1])) {
			return true
		}
	}
	return false
}

// cutAtNewline is what is left of a table printed by orgtbl-to-orgtbl when
// a cell holds a newline (a string result under :results table): the
// table ends there, the cell cut at the newline, and the lines after it
// are lost.
func cutAtNewline(rows [][]string) [][]string {
	for i, r := range rows {
		for j, c := range r {
			if k := strings.IndexByte(c, '\n'); k >= 0 {
				last := append(append([]string{}, r[:j]...), c[:k])
				return append(rows[:i:i], last)
			}
		}
	}
	return rows
}
