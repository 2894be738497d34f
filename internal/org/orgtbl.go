package org

import "strings"

// orgtblRows are a table value's rows as org-babel-insert-result leaves
// them once orgtbl-to-orgtbl has printed them and org-table-align has read
// the printed lines back: an empty row prints nothing and is gone, and a
// "|" inside a cell (printed as it is) divides it into cells. Rows
// without either are returned as they are (no copy). post is the number
// of blank lines the printed text has after the table it keeps (see
// cutAtNewline), which Babel's result keeps after it.
func orgtblRows(rows [][]string) (_ [][]string, post int) {
	rows, post = cutAtNewline(rows)
	changed := false
	for _, r := range rows {
		if len(r) == 0 || reread(r) {
			changed = true
			break
		}
	}
	if !changed {
		return rows, post
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
	return out, post
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
// printed text is read again and its first table kept, so the rows from
// that cell's on are its lines up to the first one that is not a table
// line. What follows a cell's newline on its line starts a row of its
// own when it is blank or starts with "|" (the rest of the printed row,
// " | b |", a row of the cells after it), else ends the table there, and
// the lines after it are lost but the blank lines right after it (post,
// the table's post-blank).
func cutAtNewline(rows [][]string) (_ [][]string, post int) {
	for i, r := range rows {
		for _, c := range r {
			if strings.IndexByte(c, '\n') >= 0 {
				kept, post := firstPrintedTable(rows[i:])
				return append(rows[:i:i], kept...), post
			}
		}
	}
	return rows, 0
}

// firstPrintedTable is rows printed as orgtbl-to-orgtbl prints them ("| a
// | b |" a row, "|-" a rule, nothing for an empty row) and read back as
// the first table of that text: its lines up to the first that does not
// start with "|" after blanks, and how many blank lines follow them.
func firstPrintedTable(rows [][]string) (_ [][]string, post int) {
	var b strings.Builder
	for _, r := range rows {
		switch {
		case isHline(r):
			b.WriteString("|-\n")
		case len(r) > 0:
			b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		}
	}
	var out [][]string
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for k, ln := range lines {
		t := strings.TrimLeft(ln, " \t")
		if !strings.HasPrefix(t, "|") {
			for ; k < len(lines) && strings.Trim(lines[k], " \t") == ""; k++ {
				post++
			}
			break
		}
		if strings.HasPrefix(t, "|-") {
			out = append(out, RuleRow())
			continue
		}
		out = append(out, tableRowCells(ln))
	}
	return out, post
}
