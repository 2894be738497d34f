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
			out = append(out, tableRowCells(printedRow(r)))
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
// printed text is read again and its first table kept (PrintedTable), so
// the rows from that cell's on are its lines up to the first one that is
// not a table line, and the lines after it are lost but the blank lines
// right after it (post, the table's post-blank).
func cutAtNewline(rows [][]string) (_ [][]string, post int) {
	for i, r := range rows {
		for _, c := range r {
			if strings.IndexByte(c, '\n') >= 0 {
				kept, post := PrintedTable(rows[i:])
				return append(rows[:i:i], kept...), post
			}
		}
	}
	return rows, 0
}

// printedRow is row as orgtbl-to-generic prints it before parsing the
// table again: "| " and each cell followed by " |" (no blank before a
// cell, so after a cell's newline the next cell starts its line).
func printedRow(row []string) string {
	n := 2
	for _, c := range row {
		n += len(c) + 2
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString("| ")
	for _, c := range row {
		b.WriteString(c)
		b.WriteString(" |")
	}
	return b.String()
}

// PrintedTable is what orgtbl-to-generic (and so orgtbl-to-orgtbl, and
// org-babel-sh-var-to-string) makes of rows before it writes them: each
// row printed as Emacs prints it (printedRow; a rule "|--", an empty row
// nothing), the text parsed again and its first table read: its lines up
// to the first that does not start with "|" after blanks, a rule
// (RuleRow) for a line starting "|-", else the line's cells (none for a
// line holding only "|"). post is how many blank lines follow the table
// in the text (its post-blank). A cell's newline is where that reading
// departs from rows: what follows it starts a line of its own.
func PrintedTable(rows [][]string) (table [][]string, post int) {
	var b strings.Builder
	for _, r := range rows {
		switch {
		case isHline(r):
			b.WriteString("|--\n")
		case len(r) > 0:
			b.WriteString(printedRow(r))
			b.WriteByte('\n')
		}
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	k := 0
	for ; k < len(lines); k++ {
		t := lines[k][skipBlanks(lines[k]):]
		if !strings.HasPrefix(t, "|") {
			break
		}
		if strings.HasPrefix(t, "|-") {
			table = append(table, RuleRow())
			continue
		}
		table = append(table, tableRowCells(lines[k]))
	}
	if k == 0 {
		return nil, 0 // no table: every row was empty
	}
	for ; k < len(lines) && strings.Trim(lines[k], " \t") == ""; k++ {
		post++
	}
	return table, post
}
