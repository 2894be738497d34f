package org

import (
	"regexp"
	"slices"
	"strings"
)

// orgtblRows are a table value's rows as org-babel-insert-result leaves
// them once orgtbl-to-orgtbl has printed them and org-table-align has read
// the printed lines back: an empty row prints nothing and is gone, and a
// "|" inside a cell (printed as it is) divides it into cells. Rows
// without either are returned as they are (no copy). post is the number
// of blank lines the printed text has after the table it keeps (see
// cutAtNewline), which Babel's result keeps after it.
func orgtblRows(rows [][]string, chars bool, unibyte [][2]int) (_ [][]string, post int) {
	rows = rawBytesEscaped(rows, chars, unibyte)
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

// rawBytesEscaped is rows with each raw byte of a cell (emacsChar: a
// string the Lisp reader read with "\x85" or "\205" holds one) written as
// Emacs writes it in a table cell, a backslash and three octal digits
// ("\205"), and aligned as four characters; rows itself when no cell
// holds one. orgtbl-to-generic princs each cell into its buffer, and
// printing to a multibyte buffer escapes raw bytes so (print-escape-
// nonascii is bound there). chars is emacsChar's: the rows are of a
// value Emacs printed, whose surrogates are characters. The cells in
// unibyte (row, column) are unibyte strings, every byte past ASCII of
// which is a raw byte, written so even where they form UTF-8 ("\303\251";
// checked with Emacs 28.2).
func rawBytesEscaped(rows [][]string, chars bool, unibyte [][2]int) [][]string {
	var out [][]string
	// cloned says, by row index, which rows of out are copies, which
	// a cell can be set in (rows is not changed).
	var cloned []bool
	set := func(i, j int, c string) {
		if out == nil {
			out = slices.Clone(rows)
			cloned = make([]bool, len(rows))
		}
		if !cloned[i] {
			out[i] = slices.Clone(rows[i])
			cloned[i] = true
		}
		out[i][j] = c
	}
	for i, r := range rows {
		for j, c := range r {
			if holdsRaw(c, false, chars) {
				set(i, j, Princ(c, chars, false))
			}
		}
	}
	for _, at := range unibyte {
		i, j := at[0], at[1]
		if i < len(rows) && j < len(rows[i]) && !isHline(rows[i]) {
			set(i, j, Princ(rows[i][j], chars, true))
		}
	}
	if out == nil {
		return rows
	}
	return out
}

// Princ is s as princ prints a string into a multibyte buffer, as
// orgtbl-to-generic prints a table's cells (print-escape-nonascii is
// bound there; checked with Emacs 28.2): each raw byte (emacsChar, chars
// as there) a backslash and three octal digits, every other character
// as it is; with unibyte (s is a unibyte string, LispStringUnibyte),
// every byte past ASCII, even where they form UTF-8 ("\303\251").
func Princ(s string, chars, unibyte bool) string {
	if !unibyte && !holdsRaw(s, false, chars) {
		return s
	}
	var b strings.Builder
	if unibyte {
		writeUnibyte(&b, s, false)
	} else {
		writeEmacsChars(&b, s, false, chars)
	}
	return b.String()
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

// Org's exporter, which orgtbl-to-generic (and so orgtbl-to-orgtbl, and
// org-babel-sh-var-to-string) runs over the table it parsed again, leaves
// out what it calls special (org-export-table-row-is-special-p,
// org-export-table-has-special-column-p): a row of alignment and width
// cookies and empty cells (one cookie at least), a row whose first cell
// is "/"; where the table has a special column (every row's first cell
// empty or one of / # ! $ * _ ^, one at least not empty), that column,
// and then the rows starting with ^ _ $ or !. Rules stay.

// cookieRe is the cookie org-export-table-row-is-special-p matches, as
// string-match does there (case-fold-search: "<R>", "<L10>"; "<>" too).
var cookieRe = regexp.MustCompile(`(?i)^<[lrc]?[0-9]*>$`)

// specialRow reports whether the exporter leaves out row (not a rule), in
// a table with a special column when column.
func specialRow(row []string, column bool) bool {
	if len(row) > 0 {
		switch row[0] {
		case "/":
			return true
		case "^", "_", "$", "!":
			if column {
				return true
			}
		}
	}
	cookie := false
	for _, c := range row {
		switch {
		case c == "":
		case c[0] == '<' && cookieRe.MatchString(c):
			cookie = true
		default:
			return false
		}
	}
	return cookie
}

// firstCellKind is what a row's first cell says of a special column:
// nothing (empty), for one (a mark), or against one.
func firstCellKind(row []string) int {
	if len(row) == 0 || row[0] == "" {
		return markNone
	}
	switch row[0] {
	case "/", "#", "!", "$", "*", "_", "^":
		return markSpecial
	}
	return markAgainst
}

const (
	markNone = iota
	markSpecial
	markAgainst
)

// exportedSource is src as the exporter leaves it (see specialRow):
// special rows left out, and the first cell of every row when column.
type exportedSource struct {
	src    rowSource
	column bool
}

func (e exportedSource) each(f func([]string, bool) error) error {
	var cells []string
	return e.src.each(func(row []string, rule bool) error {
		switch {
		case rule:
			return f(row, true)
		case specialRow(row, e.column):
			return nil
		case e.column && len(row) > 0:
			row = row[1:]
		}
		if hasSnippet(row) {
			cells = cells[:0]
			for _, c := range row {
				cells = append(cells, dropSnippets(c))
			}
			row = cells
		}
		return f(row, false)
	})
}

// hasSnippet reports whether a cell of row may hold an export snippet.
func hasSnippet(row []string) bool {
	for _, c := range row {
		if strings.Contains(c, "@@") {
			return true
		}
	}
	return false
}

// dropSnippets is t without its export snippets (@@back-end:…@@), which
// the exporter leaves out whatever their back-end; those inside verbatim
// or code stay, as Org's lexer finds them there (objectSpans).
func dropSnippets(t string) string {
	if !strings.Contains(t, "@@") {
		return t
	}
	var b strings.Builder
	last := 0
	for _, s := range objectSpans(t, append(macroSpans(t), verbatimSpans(t)...), nil) {
		if strings.HasPrefix(t[s[0]:], "@@") {
			b.WriteString(t[last:s[0]])
			last = s[1]
		}
	}
	if last == 0 {
		return t
	}
	b.WriteString(t[last:])
	return b.String()
}

// ExportedRows are table's rows (rules RuleRow) as the exporter leaves
// them (see specialRow): table itself when it leaves all.
func ExportedRows(table [][]string) [][]string {
	column, special := exportedKind(rowsTable(table))
	if !special {
		return table
	}
	out := make([][]string, 0, len(table))
	_ = exportedSource{rowsTable(table), column}.each(func(row []string, rule bool) error {
		out = append(out, row)
		return nil
	})
	return out
}

// exportedKind walks src: column when it has a special column, special
// when the exporter leaves anything of it out (a snippet perhaps).
func exportedKind(src rowSource) (column, special bool) {
	kind := markNone
	_ = src.each(func(row []string, rule bool) error {
		if rule {
			return nil
		}
		if specialRow(row, false) || hasSnippet(row) {
			special = true
		}
		kind = max(kind, firstCellKind(row))
		return nil
	})
	column = kind == markSpecial
	return column, special || column
}
