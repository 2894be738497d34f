package org

import "strings"

// realignedTable is org-babel-insert-result putting a table next to the
// table results already there (:results table append or prepend): the
// rows inserted touch the old ones, so the org-table-align that follows
// the insertion aligns them all as one table, each line indented like
// its first line (the old table's first for append; for prepend the new
// row's, which indent-rigidly then indents like the keyword). ok is
// false when the old results are no table or the new rows would not
// touch it: the edit is then as it was.
func (p *parser) realignedTable(loc int, at int, body resultText, prepend bool, indent int) (edit, bool) {
	first := loc + 1
	last := first
	for last < len(p.lines) && isTableText(p.lines[last].Text) {
		last++
	}
	if last == first {
		return edit{}, false
	}
	start, end := p.lines[first].Start, p.lines[last-1].Next
	if prepend && at != start || !prepend && at != end || !p.lines[last-1].NL {
		return edit{}, false
	}
	var lines []string
	if prepend {
		lines = append(splitKeep(body.String()), p.tableLines(first, last)...)
	} else {
		lines = append(p.tableLines(first, last), splitKeep(body.String())...)
	}
	rows := make([][]cell, 0, len(lines))
	for _, ln := range lines {
		if isRuleLine(ln) {
			rows = append(rows, hlineRow)
			continue
		}
		rows = append(rows, tableRowCells(ln))
	}
	ind := indentString(indent)
	if !prepend {
		t := p.lines[first].Text
		ind = t[:skipBlanks(t)]
	}
	var b strings.Builder
	for _, ln := range alignTable(rows) {
		b.WriteString(ind)
		b.WriteString(ln)
		b.WriteString("\n")
	}
	return edit{Start: start, End: end, New: b.String()}, true
}

// isTableText is a line of a table: "|" after blanks.
func isTableText(ln string) bool {
	i := skipBlanks(ln)
	return i < len(ln) && ln[i] == '|'
}

// tableLines are the texts of lines [from, to).
func (p *parser) tableLines(from, to int) []string {
	out := make([]string, 0, to-from)
	for k := from; k < to; k++ {
		out = append(out, p.lines[k].Text)
	}
	return out
}
