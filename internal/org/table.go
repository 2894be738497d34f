package org

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file turns program output into the table Babel makes of it
// (org-babel-import-elisp-from-file, which goes through
// org-table-convert-region and org-table-to-lisp) and prints tables as
// org-table-align does.

// cell is one table cell after org-babel-string-read: its printed form.
type cell = string

// splitKeep splits on "\n" keeping empty pieces but not a final empty one.
func splitKeep(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

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

// readCellNumber is stringRead, with the error Emacs's reader signals on
// an unterminated string, and whether the cell read as a number.
func readCellNumber(c string) (string, bool, error) {
	if i := strings.IndexByte(c, '"'); i >= 0 {
		if j := strings.LastIndexByte(c, '"'); j > i+1 {
			c = c[i+1 : j]
		}
	}
	return babelRead(c)
}

// numberRe is org-table-number-regexp (case-insensitive, as string-match
// runs with case-fold-search).
var numberRe = regexp.MustCompile(`(?i)^(?:[<>]?[-+^.0-9]*[0-9][-+^.0-9eEdDx()%:]*|[<>]?[-+]?0[xX][0-9a-fA-F.]+|[<>]?[-+]?[0-9]+#[0-9a-zA-Z.]+|nan|[-+u]?inf)$`)

// alignTable is org-table-align on rows: "| a | b |" lines, columns
// padded to their widest cell, numeric columns right-aligned, rules
// (hlineRow) drawn across.
func alignTable(rows [][]cell) []string {
	if len(rows) == 0 {
		return nil
	}
	var b strings.Builder
	layoutTable(rowsTable(rows)).writeTo(&b, "")
	return splitKeep(b.String())
}

var fixedAlignRe = regexp.MustCompile(`(?i)^<([lrc])[0-9]*>$`)

//go:generate go run ./charwidth/gen

// stringWidth is Emacs's string-width (org-string-width of text with no
// invisible or display properties): the sum of each character's width in
// columns as Emacs 28 gives it (char-width), from the table generated
// from Emacs itself: East Asian wide and fullwidth characters and many
// emoji take two columns, combining marks and zero-width characters none,
// ambiguous-width ones one (in a UTF-8 locale not CJK's), a control
// character two (^A), a tab tab-width (8).
func stringWidth(s string) int {
	// Printable ASCII, most of any cell, takes a column a byte.
	w := 0
	for w < len(s) && s[w] >= 0x20 && s[w] < 0x7F {
		w++
	}
	s = s[w:]
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n == 1 && IsSurrogate(s) {
			// A surrogate read as a character (emacsChar), one
			// column as char-width has it.
			r, n = 0xd800, 3
		}
		s = s[n:]
		w += charWidth(r)
	}
	return w
}

// inRanges reports whether byte offset i is in one of the ranges.
func inRanges(ranges [][2]int, i int) bool {
	for _, r := range ranges {
		if r[0] <= i && i < r[1] {
			return true
		}
	}
	return false
}

// widthRange is a run of characters of one width: see charWidths.
type widthRange struct {
	lo, hi rune
	width  uint8
}

// charWidth is Emacs's char-width of r.
func charWidth(r rune) int {
	if r >= 0x20 && r < 0x7F {
		return 1
	}
	i, j := 0, len(charWidths)
	for i < j {
		h := int(uint(i+j) >> 1)
		if charWidths[h].hi < r {
			i = h + 1
		} else {
			j = h
		}
	}
	if i < len(charWidths) && charWidths[i].lo <= r {
		return int(charWidths[i].width)
	}
	return 1
}

// isRuleLine reports whether ln is a table rule ("|-…").
func isRuleLine(ln string) bool {
	i := skipBlanks(ln)
	return strings.HasPrefix(ln[i:], "|-")
}
