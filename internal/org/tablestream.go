package org

import (
	"strings"
	"unicode/utf8"
)

// This file reads and prints tables a row at a time. A program's output
// made into a table (org-babel-import-elisp-from-file) is kept as its text
// and read again when walked; org-table-align's layout is computed in one
// walk and printed in a second, straight into the document. A table of
// millions of rows is so never held as rows, cells or lines: 16 MiB of
// short lines take their own size and the printed table's, not a
// hundred times more.

// rowSource is a table that can be walked: each row's cells (a slice that
// may be reused) or a rule.
type rowSource interface {
	each(f func(row []string, rule bool) error) error
}

// rowsTable is a table held as rows; rules are hlineRow.
type rowsTable [][]string

func (t rowsTable) each(f func([]string, bool) error) error {
	for _, r := range t {
		if err := f(r, isHline(r)); err != nil {
			return err
		}
	}
	return nil
}

// textTable is the table org-table-convert-region and org-table-to-lisp
// make of a text: for "tab" and "spaces" the region's lines themselves,
// for "csv" their conversion; cells read by org-babel-string-read.
type textTable struct {
	text   string // the lines, without the final newline
	mode   string
	rows   int
	cols   int
	layout *tableLayout // computed in the walk that counts the rows
	// asWritten: every cell reads as its own text (no number printed
	// otherwise, no Lisp string), set by newTextTable from its walk,
	// which reads them all, and never written after. Later walks
	// (printing the table) then split the lines without reading the
	// cells again, the dearest part of a short line's walk. Walks only
	// read the table, so several may run at once; printing it
	// (tableLayout.writeTo) may not, as it writes the layout's shown.
	asWritten bool
}

// newTextTable reads text as importTableSep does: nil when the text is
// empty or a cell cannot be read; scalar when the table is one cell, num
// when that cell read as a number.
func newTextTable(text, forced string) (t *textTable, scalar string, isScalar, num bool) {
	if text == "" {
		return nil, "", false, false
	}
	body := strings.TrimSuffix(text, "\n")
	t = &textTable{text: body, mode: guessSeparator(body, forced)}
	if t.mode == "csv" {
		t.text = strings.TrimSuffix(csvConvert(body), "\n")
	}
	var single string
	singleText := false // the first cell is text 1.0e+INF, a string
	t.layout = &tableLayout{src: alignedText{t}}
	asWritten, err := t.walk(func(row []string, _ bool) error {
		t.rows++
		t.cols = max(t.cols, len(row))
		if t.rows == 1 && len(row) == 1 {
			single = row[0]
		}
		for j, v := range row {
			row[j] = trimBlanks(v)
		}
		t.layout.add(row, false)
		return nil
	}, func(i, j int) { singleText = singleText || i == 0 && j == 0 }, false)
	if err != nil {
		// org-babel-import-elisp-from-file catches the reader's error (a
		// cell that opens a string it does not close) and returns nil for
		// the whole output.
		return nil, "", false, false
	}
	t.asWritten = asWritten
	// org-table-convert-region aligns the table, which gives every row as
	// many cells as the widest; a table of no cells at all aligns to "||",
	// one empty cell.
	if t.cols == 0 {
		t.cols = 1
	}
	t.layout.widen(t.cols)
	t.layout.finish()
	if t.rows == 1 && t.cols == 1 {
		// singleText is only ever set for text NonFinite, which
		// lispNumber never reads.
		return nil, single, true, PrintsAsNumber(single) && !singleText
	}
	return t, "", false, false
}

// guessSeparator is org-table-convert-region's guess: every line has a
// TAB → TAB; else, searching on from the first line without a TAB, no
// line without a comma → CSV; else spaces. The search for a comma-free
// line starts at the end of the tab-free line: that line itself is not
// looked at.
func guessSeparator(body, forced string) string {
	if forced != "" {
		return forced
	}
	for rest := body; ; {
		ln, after, more := strings.Cut(rest, "\n")
		if ln != "" && !strings.Contains(ln, "\t") {
			for more {
				ln, after, more = strings.Cut(after, "\n")
				if ln != "" && !strings.Contains(ln, ",") {
					return "spaces"
				}
			}
			return "csv"
		}
		if !more {
			return "tab"
		}
		rest = after
	}
}

// each walks the rows, cells read and padded to the table's width once
// that is known.
func (t *textTable) each(f func([]string, bool) error) error {
	_, err := t.walk(f, nil, false)
	return err
}

// alignedText is a textTable's rows as org-table-align writes them: each
// cell trimmed of blanks, as org-table-to-lisp reads the cells of the
// table orgtbl-to-orgtbl printed. A quoted cell keeps its blanks when
// read (org-babel-string-read: "\" a \"" is " a "), in the value, not in
// the written table ("| a |").
type alignedText struct{ t *textTable }

func (a alignedText) each(f func([]string, bool) error) error {
	_, err := a.t.walk(f, nil, true)
	return err
}

// nonFiniteText are the cells (row, column) org-babel-read leaves strings
// though they read as Emacs prints an infinity or NaN: the text 1.0e+INF
// printed by the block itself, whose letters are no number to Babel,
// where a cell 1e999 is the number, printed so.
func (t *textTable) nonFiniteText() [][2]int {
	if !strings.Contains(t.text, "e+INF") && !strings.Contains(t.text, "e+NaN") {
		// No cell can be one: spare the second read of every cell.
		return nil
	}
	var out [][2]int
	_, _ = t.walk(func([]string, bool) error { return nil }, func(i, j int) { out = append(out, [2]int{i, j}) }, false)
	return out
}

// walk is each, telling text (when not nil) of each cell nonFiniteText
// holds, each cell read trimmed of blanks when trim (see alignedText);
// asWritten when every cell read as its own text (or was known to from
// t.asWritten; a cell as written has no blanks around it). It writes
// nothing of t.
func (t *textTable) walk(f func([]string, bool) error, text func(i, j int), trim bool) (asWritten bool, err error) {
	read := text != nil || !t.asWritten
	asWritten = true
	var row []string
	for rest, more, i := t.text, true, 0; more; i++ {
		ln := rest
		if k := lineEnd(rest); k >= 0 {
			ln, rest = rest[:k], rest[k+1:]
		} else {
			more = false
		}
		row = t.cells(ln, row[:0])
		for j := 0; read && j < len(row); j++ {
			v, num, err := readCellNumber(row[j])
			if err != nil {
				return false, err
			}
			if text != nil && !num && NonFinite(v) {
				text(i, j)
			}
			asWritten = asWritten && v == row[j]
			if trim {
				v = trimBlanks(v)
			}
			row[j] = v
		}
		for len(row) < t.cols {
			row = append(row, "")
		}
		if err := f(row, false); err != nil {
			return false, err
		}
	}
	return asWritten, nil
}

// lineEnd is the index of the first newline in s, -1 for none. Most
// lines of a table are short: a loop over their first bytes finds its end
// sooner than strings.IndexByte's call, which pays for itself on the
// rest.
func lineEnd(s string) int {
	const short = 16
	for i := 0; i < len(s) && i < short; i++ {
		if s[i] == '\n' {
			return i
		}
	}
	if len(s) <= short {
		return -1
	}
	if k := strings.IndexByte(s[short:], '\n'); k >= 0 {
		return short + k
	}
	return -1
}

// cells are line ln's cells as written, appended to row.
func (t *textTable) cells(ln string, row []string) []string {
	if t.mode == "csv" {
		return rowCellsInto(ln, row)
	}
	return convertedCells(ln, t.mode == "tab", row)
}

// rows is the table held as rows (for a caller of Value).
func (t *textTable) rowsOf() [][]string {
	out := make([][]string, 0, t.rows)
	_ = t.each(func(row []string, _ bool) error {
		out = append(out, append([]string(nil), row...))
		return nil
	})
	return out
}

// convertedCells are the cells org-table-to-lisp reads from line ln once
// org-table-convert-region has turned it into a row ("| " before it, each
// separator made "| "): the pieces of ln between separators and "|",
// trimmed, the last one dropped when blank. Separators are TABs, or for
// "spaces" (leading spaces dropped) runs matching " *\t *\| +".
func convertedCells(ln string, tab bool, row []string) []string {
	if !tab {
		for ln != "" && ln[0] == ' ' {
			ln = ln[1:]
		}
	}
	start := 0
	for i := 0; i < len(ln); {
		n := 0
		switch c := ln[i]; {
		case c == '|':
			n = 1
		case c != '\t' && c != ' ':
			// Most bytes: no separator starts here.
		case tab:
			if c == '\t' {
				n = 1
			}
		default:
			n = spacesSeparator(ln, i)
		}
		if n == 0 {
			i++
			continue
		}
		row = append(row, trimBlanks(ln[start:i]))
		i += n
		start = i
	}
	if last := trimBlanks(ln[start:]); last != "" {
		row = append(row, last)
	}
	return row
}

// spacesSeparator is the length of the match of " *\t *\| +" at ln[i] (0
// for none), the first alternative preferred as Go's regexp does.
func spacesSeparator(ln string, i int) int {
	j := i
	for j < len(ln) && ln[j] == ' ' {
		j++
	}
	if j < len(ln) && ln[j] == '\t' {
		j++
		for j < len(ln) && ln[j] == ' ' {
			j++
		}
		return j - i
	}
	return j - i
}

func trimBlanks(s string) string {
	s = s[skipBlanks(s):]
	j := len(s)
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	return s[:j]
}

// rowCellsInto is tableRowCells appending to row.
func rowCellsInto(ln string, row []string) []string {
	i := skipBlanks(ln)
	if i >= len(ln) || ln[i] != '|' {
		return row
	}
	i++
	if i < len(ln) && ln[i] == '-' {
		return row
	}
	for {
		i += skipBlanks(ln[i:])
		if i >= len(ln) {
			return row
		}
		k := strings.IndexByte(ln[i:], '|')
		end := len(ln)
		if k >= 0 {
			end = i + k
		}
		row = append(row, trimBlanks(ln[i:end]))
		if k < 0 {
			return row
		}
		i = end + 1
	}
}

// tableLayout is org-table-align's layout of a table: column widths and
// alignment, and the size of the printed table.
type tableLayout struct {
	src    rowSource
	widths []int
	right  []bool
	center []bool
	rows   int   // rows and rules
	data   int   // rows
	extra  int   // bytes of the cells beyond their widths in columns
	shown  []int // the widths of the row at hand (see rowWidths)
	// Per column, while rows are added: the first alignment cookie
	// ("<r>"…), then how many cells are numbers and how many are not
	// empty, before that cookie.
	fixed             []string
	numbers, nonEmpty []int
	// What the exporter leaves out of the table (see specialRow),
	// known from the same walk: whether a row is special of itself (or
	// may hold an export snippet), and
	// what the first cells say of a special column (firstCellKind: the
	// greatest so far).
	specialRows bool
	firstKind   int
}

// layoutTable computes the layout in one walk of src.
func layoutTable(src rowSource) *tableLayout {
	l := &tableLayout{src: src}
	_ = src.each(func(row []string, rule bool) error {
		l.add(row, rule)
		return nil
	})
	l.finish()
	return l
}

// add accounts for one row (or rule).
func (l *tableLayout) add(row []string, rule bool) {
	l.rows++
	if rule {
		return
	}
	l.data++
	if specialRow(row, false) || hasSnippet(row) {
		l.specialRows = true
	}
	l.firstKind = max(l.firstKind, firstCellKind(row))
	l.widen(len(row))
	l.shown = rowWidths(l.shown, row)
	for c, w := range l.shown {
		v := row[c]
		l.extra += len(v) - w
		l.widths[c] = max(l.widths[c], w)
		switch {
		case l.fixed[c] != "" || v == "":
		case v[0] == '<' && fixedAlignRe.MatchString(v):
			l.fixed[c] = fixedAlignRe.FindStringSubmatch(v)[1]
		default:
			l.nonEmpty[c]++
			if isTableNumber(v) {
				l.numbers[c]++
			}
		}
	}
}

// widen gives the table at least cols columns: a row short of cells is
// padded with empty ones, which count for nothing else.
func (l *tableLayout) widen(cols int) {
	for len(l.widths) < cols {
		l.widths = append(l.widths, 1)
		l.fixed, l.numbers, l.nonEmpty = append(l.fixed, ""), append(l.numbers, 0), append(l.nonEmpty, 0)
	}
}

// finish decides each column's alignment once every row is added. A
// table of rules only (a value of only hlines, written "|-") or of rows
// of no cells (a special column's, the only one, left out) has one
// column of width 1, as org-table-align gives it (one more than the "+"
// on its first line).
func (l *tableLayout) finish() {
	if l.rows > 0 && len(l.widths) == 0 {
		l.widen(1)
	}
	l.right = make([]bool, len(l.widths))
	l.center = make([]bool, len(l.widths))
	for c := range l.widths {
		// org-table--align-field knows "l", "r" and "c": a cookie's
		// letter in capitals (string-match found it ignoring case)
		// aligns left.
		switch l.fixed[c] {
		case "r":
			l.right[c] = true
		case "c":
			l.center[c] = true
		case "":
			l.right[c] = float64(l.numbers[c]) >= 0.5*float64(l.nonEmpty[c])
		}
	}
}

// exported is the layout of what the exporter leaves of l's table (see
// specialRow), laid out anew: l itself when it leaves all of it.
func (l *tableLayout) exported() *tableLayout {
	column := l.firstKind == markSpecial
	if !column && !l.specialRows {
		return l
	}
	return layoutTable(exportedSource{l.src, column})
}

// size is the length of the printed table, each line indented by indent
// bytes and ended by a newline.
func (l *tableLayout) size(indent int) int {
	line := 1
	for _, w := range l.widths {
		line += w + 3
	}
	return l.rows*(indent+line+1) + l.extra
}

// writeTo prints the table as org-table-align does, each line after
// indent and ended by a newline. Lines are made in a buffer and written
// to b some KiB at a time: a strings.Builder's call for each byte, or
// each line, cost more than the rest of the printing.
func (l *tableLayout) writeTo(b *strings.Builder, indent string) {
	const flushAt = 4 << 10
	buf := make([]byte, 0, flushAt+256)
	var rule []byte
	_ = l.src.each(func(row []string, isRule bool) error {
		if isRule {
			if rule == nil {
				rule = l.appendRule(append([]byte(indent), '|'))
			}
			buf = append(buf, rule...)
		} else {
			buf = l.appendRow(append(append(buf, indent...), '|'), row)
		}
		if len(buf) >= flushAt {
			b.Write(buf)
			buf = buf[:0]
		}
		return nil
	})
	b.Write(buf)
}

// appendRule appends a rule's line after its first "|": every rule of
// the table prints the same.
func (l *tableLayout) appendRule(line []byte) []byte {
	for c, w := range l.widths {
		if c > 0 {
			line = append(line, '+')
		}
		line = appendRepeat(line, '-', w+2)
	}
	return append(line, "|\n"...)
}

// appendRow appends row's line after its first "|", each cell padded to
// its column's width as the column aligns.
func (l *tableLayout) appendRow(line []byte, row []string) []byte {
	l.shown = rowWidths(l.shown, row)
	for c, w := range l.widths {
		v, vw := "", 0
		if c < len(row) {
			v, vw = row[c], l.shown[c]
		}
		pad := w - vw
		line = append(line, ' ')
		switch {
		case l.right[c]:
			line = appendRepeat(line, ' ', pad)
			line = append(line, v...)
		case l.center[c]:
			line = appendRepeat(line, ' ', pad/2)
			line = append(line, v...)
			line = appendRepeat(line, ' ', pad-pad/2)
		default:
			line = append(line, v...)
			line = appendRepeat(line, ' ', pad)
		}
		line = append(line, " |"...)
	}
	return append(line, '\n')
}

// appendRepeat appends n bytes c (none for n ≤ 0).
func appendRepeat(line []byte, c byte, n int) []byte {
	for ; n > 0; n-- {
		line = append(line, c)
	}
	return line
}

func writeRepeat(b *strings.Builder, c byte, n int) {
	for ; n > 0; n-- {
		b.WriteByte(c)
	}
}

// isTableNumber is numberRe (org-table-number-regexp, case-insensitive)
// without the regexp, which cost more than the rest of the table.
func isTableNumber(v string) bool {
	if v == "" || !numberStart(v[0]) {
		return false // no alternative starts so
	}
	s := v
	if s[0] == '<' || s[0] == '>' {
		s = s[1:]
	}
	// The longest of "nan" and "[-+u]?inf" is four bytes: no other
	// character folds to n, a, i or f but their ASCII cases.
	return numberA(s) || numberB(s) || numberC(s) || len(v) <= 4 && isNanOrInf(v)
}

// numberStart reports whether a cell starting with c may be a number:
// c is in "<>-+^.0123456789nNuUiI". A switch, where strings.IndexByte's
// call cost more than the rest for a cell of a few bytes.
func numberStart(c byte) bool {
	switch c {
	case '<', '>', '-', '+', '^', '.', 'n', 'N', 'u', 'U', 'i', 'I':
		return true
	}
	return c >= '0' && c <= '9'
}

// isNanOrInf is numberRe's last alternatives, "nan" and "[-+u]?inf".
func isNanOrInf(v string) bool {
	if strings.EqualFold(v, "nan") {
		return true
	}
	if v[0] == '-' || v[0] == '+' || v[0] == 'u' || v[0] == 'U' {
		v = v[1:]
	}
	return strings.EqualFold(v, "inf")
}

// numberA is "[-+^.0-9]*[0-9][-+^.0-9eEdDx()%:]*": every byte in the
// second class, and a digit before the first byte outside the first.
func numberA(s string) bool {
	digit := false
	inFirst := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		first := c >= '0' && c <= '9' || c == '-' || c == '+' || c == '^' || c == '.'
		if !first {
			inFirst = false
			if !(c == 'e' || c == 'E' || c == 'd' || c == 'D' || c == 'x' || c == 'X' || c == '(' || c == ')' || c == '%' || c == ':') {
				return false
			}
		}
		if inFirst && c >= '0' && c <= '9' {
			digit = true
		}
	}
	return digit
}

// numberB is "[-+]?0[xX][0-9a-fA-F.]+".
func numberB(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if len(s) < 3 || s[0] != '0' || s[1] != 'x' && s[1] != 'X' {
		return false
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.') {
			return false
		}
	}
	return true
}

// numberC is "[-+]?[0-9]+#[0-9a-zA-Z.]+", where case folding lets the
// letters also match U+017F and U+212A (folding to s and k).
func numberC(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 || n >= len(s) || s[n] != '#' {
		return false
	}
	rest := s[n+1:]
	if rest == "" {
		return false
	}
	for _, r := range rest {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '.' || r == 0x17F || r == 0x212A) {
			return false
		}
	}
	return utf8.ValidString(rest)
}
