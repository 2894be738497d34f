package org

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file turns program output into the table Babel makes of it
// (org-babel-import-elisp-from-file, which goes through
// org-table-convert-region and org-table-to-lisp) and prints tables as
// org-table-align does.

// cell is one table cell after org-babel-string-read: its printed form.
type cell = string

// importTable is org-babel-import-elisp-from-file on text: rows of cells
// (empty rows dropped), or a single scalar when the table is one cell.
func importTable(text string) (rows [][]cell, scalar string, isScalar bool) {
	return importTableSep(text, "")
}

// importTableSep is importTable with the separator given ("tab", as
// ob-perl passes '(16)) or guessed ("").
func importTableSep(text, sep string) (rows [][]cell, scalar string, isScalar bool) {
	if text == "" {
		return nil, "", false
	}
	converted := convertRegion(text, sep)
	var raw [][]string
	cols := 0
	for _, ln := range splitKeep(converted) {
		r := tableRowCells(ln)
		if r == nil && isRuleLine(ln) {
			continue // an hline: dropped
		}
		raw = append(raw, r)
		cols = max(cols, len(r))
	}
	// org-table-convert-region aligns the table, which gives every row
	// as many cells as the widest (an empty line becomes a row of empty
	// cells); a table of no cells at all aligns to "||", one empty cell.
	if cols == 0 {
		cols = 1
	}
	for _, r := range raw {
		for len(r) < cols {
			r = append(r, "")
		}
		for i := range r {
			v, err := readCell(r[i])
			if err != nil {
				// org-babel-import-elisp-from-file catches the reader's
				// error (a cell that opens a string it does not close)
				// and returns nil for the whole output.
				return nil, "", false
			}
			r[i] = v
		}
		rows = append(rows, r)
	}
	if len(rows) == 1 && len(rows[0]) == 1 {
		return nil, rows[0][0], true
	}
	return rows, "", false
}

// splitKeep splits on "\n" keeping empty pieces but not a final empty one.
func splitKeep(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

// convertRegion is org-table-convert-region with SEPARATOR nil, the text
// of the region (the final newline, if any, is outside it).
func convertRegion(text, forced string) string {
	body := strings.TrimSuffix(text, "\n")
	lines := strings.Split(body, "\n")
	// The guess: every line has a TAB → TAB; else, searching on from the
	// first line without a TAB, no line without a comma → CSV; else
	// spaces.
	sep := "tab"
	for i, ln := range lines {
		if forced != "" {
			sep = forced
			break
		}
		if ln != "" && !strings.Contains(ln, "\t") {
			sep = "csv"
			for _, later := range lines[i+1:] {
				if later != "" && !strings.Contains(later, ",") {
					sep = "spaces"
					break
				}
			}
			// The search for a comma-free line starts at the end of the
			// tab-free line: that line itself is not looked at.
			break
		}
	}
	out := make([]string, len(lines))
	for i, ln := range lines {
		switch sep {
		case "tab":
			out[i] = "| " + strings.ReplaceAll(ln, "\t", "| ")
		case "spaces":
			// "^ *" turns the leading spaces (only spaces) into the first
			// "| "; then every " *\t *" or run of spaces.
			lead := 0
			for lead < len(ln) && ln[lead] == ' ' {
				lead++
			}
			out[i] = "| " + spacesRe.ReplaceAllString(ln[lead:], "| ")
		}
	}
	if sep == "csv" {
		return csvConvert(body)
	}
	return strings.Join(out, "\n")
}

// spacesRe is " *\t *\| \{1,\}" (the "^ *" alternative is handled by the
// caller: leading spaces become the first "| ").
var spacesRe = regexp.MustCompile(` *\t *| +`)

// csvConvert is the CSV loop of org-table-convert-region.
func csvConvert(body string) string {
	b := []byte(body)
	var out []byte
	i := 0
	bol := true
	for i < len(b) {
		if bol {
			out = append(out, "| "...)
			bol = false
			continue
		}
		// "[ \t]*$"
		j := i
		for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		if j == len(b) || b[j] == '\n' {
			out = append(out, " |"...)
			if j < len(b) {
				out = append(out, '\n')
				i = j + 1
				bol = true
			} else {
				i = j
			}
			continue
		}
		// "[ \t]*\"\([^\"\n]*\)\""
		if b[j] == '"' {
			k := j + 1
			for k < len(b) && b[k] != '"' && b[k] != '\n' {
				k++
			}
			if k < len(b) && b[k] == '"' {
				out = append(out, b[j+1:k]...)
				i = k + 1
				if i < len(b) && b[i] == '"' {
					out = append(out, '"')
				}
				continue
			}
		}
		// "[^,\n]+"
		if b[i] != ',' && b[i] != '\n' {
			k := i
			for k < len(b) && b[k] != ',' && b[k] != '\n' {
				k++
			}
			out = append(out, b[i:k]...)
			i = k
			continue
		}
		// "[ \t]*,"
		if b[j] == ',' {
			out = append(out, " | "...)
			i = j + 1
			continue
		}
		// Otherwise: to the next line.
		if b[i] == '\n' {
			out = append(out, '\n')
			i++
			bol = true
			continue
		}
		i++
	}
	return string(out)
}

// tableRowCells is org-table-to-lisp for one line: the cells of a table
// row, each without surrounding blanks; nil for a line that is not a row or
// is a rule.
func tableRowCells(ln string) []string {
	i := skipBlanks(ln)
	if i >= len(ln) || ln[i] != '|' {
		return nil
	}
	i++
	if i < len(ln) && ln[i] == '-' {
		return nil
	}
	var row []string
	for {
		i += skipBlanks(ln[i:])
		if i >= len(ln) {
			return row
		}
		// Up to "[ \t]*\(|\|$\)".
		k := strings.IndexByte(ln[i:], '|')
		end := len(ln)
		if k >= 0 {
			end = i + k
		}
		field := strings.TrimRight(ln[i:end], " \t")
		row = append(row, field)
		if k < 0 {
			return row
		}
		i = end + 1
	}
}

// readCell is stringRead, with the error Emacs's reader signals on an
// unterminated string.
func readCell(c string) (string, error) {
	if i := strings.IndexByte(c, '"'); i >= 0 {
		if j := strings.LastIndexByte(c, '"'); j > i+1 {
			c = c[i+1 : j]
		}
	}
	v, _, err := babelRead(c)
	return v, err
}

// numberRe is org-table-number-regexp (case-insensitive, as string-match
// runs with case-fold-search).
var numberRe = regexp.MustCompile(`(?i)^(?:[<>]?[-+^.0-9]*[0-9][-+^.0-9eEdDx()%:]*|[<>]?[-+]?0[xX][0-9a-fA-F.]+|[<>]?[-+]?[0-9]+#[0-9a-zA-Z.]+|nan|[-+u]?inf)$`)

// alignTable is org-table-align on rows (no rules): "| a | b |" lines,
// columns padded to their widest cell, numeric columns right-aligned.
func alignTable(rows [][]cell) []string {
	cols := 0
	var rules []bool
	var plain [][]cell
	for _, r := range rows {
		if isHline(r) {
			rules = append(rules, true)
			continue
		}
		rules = append(rules, false)
		plain = append(plain, r)
		cols = max(cols, len(r))
	}
	all := rows
	rows = plain
	widths := make([]int, cols)
	right := make([]bool, cols)
	for c := 0; c < cols; c++ {
		w, numbers, nonEmpty := 1, 0, 0
		fixed := ""
		for _, r := range rows {
			v := ""
			if c < len(r) {
				v = r[c]
			}
			w = max(w, stringWidth(v))
			switch {
			case fixed != "" || v == "":
			case fixedAlignRe.MatchString(v):
				fixed = fixedAlignRe.FindStringSubmatch(v)[1]
			default:
				nonEmpty++
				if numberRe.MatchString(v) {
					numbers++
				}
			}
		}
		widths[c] = w
		switch fixed {
		case "r":
			right[c] = true
		case "":
			right[c] = float64(numbers) >= 0.5*float64(nonEmpty)
		}
	}
	rule := "|"
	for c := 0; c < cols; c++ {
		if c > 0 {
			rule += "+"
		}
		rule += strings.Repeat("-", widths[c]+2)
	}
	rule += "|"
	out := make([]string, 0, len(all))
	k := 0
	for _, isRule := range rules {
		if isRule {
			out = append(out, rule)
			continue
		}
		r := rows[k]
		k++
		var b strings.Builder
		b.WriteByte('|')
		for c := 0; c < cols; c++ {
			v := ""
			if c < len(r) {
				v = r[c]
			}
			pad := strings.Repeat(" ", widths[c]-stringWidth(v))
			b.WriteByte(' ')
			if right[c] {
				b.WriteString(pad)
				b.WriteString(v)
			} else {
				b.WriteString(v)
				b.WriteString(pad)
			}
			b.WriteString(" |")
		}
		out = append(out, b.String())
	}
	return out
}

var fixedAlignRe = regexp.MustCompile(`^<([lrc])[0-9]*>$`)

// stringWidth approximates Emacs's string-width: East Asian wide and
// fullwidth characters take two columns, combining marks none.
func stringWidth(s string) int {
	w := 0
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case r < 0x300:
			w++
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		case isWide(r):
			w += 2
		default:
			w++
		}
	}
	return w
}

func isWide(r rune) bool {
	return r >= 0x1100 && r <= 0x115F || r >= 0x2E80 && r <= 0xA4CF && r != 0x303F ||
		r >= 0xAC00 && r <= 0xD7A3 || r >= 0xF900 && r <= 0xFAFF || r >= 0xFE30 && r <= 0xFE4F ||
		r >= 0xFF00 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6 || r >= 0x1F300 && r <= 0x1F64F ||
		r >= 0x1F900 && r <= 0x1F9FF || r >= 0x20000 && r <= 0x3FFFD
}

// isRuleLine reports whether ln is a table rule ("|-…").
func isRuleLine(ln string) bool {
	i := skipBlanks(ln)
	return strings.HasPrefix(ln[i:], "|-")
}
