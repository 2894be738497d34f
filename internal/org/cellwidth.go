package org

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// This file measures table cells as org-table-align does after Org's
// fontification (org-font-lock-ensure) made parts of a row invisible.

// rowWidths are the widths of a row's cells as org-table-align measures
// them (org-string-width): a bracket link shows only its description, or
// its target where it has none (org-activate-links; org-link-descriptive),
// unless it is inside verbatim or code markup (=…=, ~…~), which shows
// everything (org-do-emphasis-faces). The rest counts as stringWidth.
//
// Links are found as font-lock finds them, over the row's line as Babel
// inserts it ("| a | b |"): a bar inside a link's brackets splits the
// cells but not the link (| [[a | b]] | hides "[[" in one cell and "]]"
// in the next). Verbatim markup never spans cells (org-do-emphasis-faces
// refuses a match holding a bar in a table row), so it is found in each
// cell, which stands between blanks in its row.
//
// The widths are appended to dst[:0] (a row without links allocates
// nothing then).
func rowWidths(dst []int, row []string) []int {
	widths := dst[:0]
	linked := false
	for _, v := range row {
		if w, ok := plainWidth(v); ok {
			widths = append(widths, w)
			continue
		}
		if strings.Contains(v, "[[") {
			linked = true
		}
		widths = append(widths, stringWidth(v))
	}
	if !linked {
		return widths
	}
	// The row's line, and where each cell starts in it.
	var line strings.Builder
	starts := make([]int, len(row))
	line.WriteString("|")
	for c, v := range row {
		line.WriteString(" ")
		starts[c] = line.Len()
		line.WriteString(v)
		line.WriteString(" |")
	}
	// hidden are the byte ranges of the line made invisible.
	var hidden [][2]int
	for _, m := range linkRe.FindAllStringSubmatchIndex(line.String(), -1) {
		if m[2] < 0 {
			continue // an angle link, which hides nothing
		}
		visible := [2]int{m[2], m[3]}
		if m[4] >= 0 {
			visible = [2]int{m[4], m[5]}
		}
		hidden = append(hidden, [2]int{m[0], visible[0]}, [2]int{visible[1], m[1]})
	}
	for c, v := range row {
		widths[c] = shownWidth(v, starts[c], hidden)
	}
	return widths
}

// plainWidth is the width of v when it is printable ASCII without "[[",
// which holds no link and takes a column a byte: most cells, measured in
// one pass where a search for "[[" and stringWidth take two.
func plainWidth(v string) (int, bool) {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c >= 0x7F || c == '[' && i+1 < len(v) && v[i+1] == '[' {
			return 0, false
		}
	}
	return len(v), true
}

// cellWidth is the width of a cell alone in its row (see rowWidths).
func cellWidth(v string) int {
	return rowWidths(nil, []string{v})[0]
}

// shownWidth is the width of what shows of cell v, which starts at byte
// at of its row, where hidden are the ranges of the row made invisible:
// verbatim and code markup in the cell show them again.
func shownWidth(v string, at int, hidden [][2]int) int {
	shown := verbatimRanges(v)
	w := 0
	for i := 0; i < len(v); {
		r, n := utf8.DecodeRuneInString(v[i:])
		if !inRanges(hidden, at+i) || inRanges(shown, i) {
			w += charWidth(r)
		}
		i += n
	}
	return w
}

// bracketLinkRe is org-link-bracket-re: "[[target]]" or
// "[[target][description]]".
var bracketLinkRe = regexp.MustCompile(`\[\[((?:[^\[\]\\]|\\(?:\\\\)*[\[\]]|\\+[^\[\]])+)\](?:\[((?s:.+?))\])?\]`)

// linkRe is as much of org-link-any-re as decides what a row's bracket
// links are: a bracket link (bracketLinkRe's groups) or an angle link
// (org-link-angle-re), which holds any bracket link inside it
// ("<https://a [[b]]>" shows whole). A plain link holds no brackets nor
// "<": it changes no bracket link. The link types are those Emacs -Q
// knows in an Org buffer ((org-link-types)), case counting, as font-lock
// searches.
var linkRe = regexp.MustCompile(`(?:` + bracketLinkRe.String() + `)|<(?:` + linkTypesAlternation() + `):[^>\n]*>`)

// linkTypesAlternation is linkTypes as a regexp's alternatives, longer
// names before their prefixes (https before http), since the first that
// matches is taken.
func linkTypesAlternation() string {
	types := slices.Clone(linkTypes)
	slices.SortStableFunc(types, func(a, b string) int { return len(b) - len(a) })
	for i, t := range types {
		types[i] = regexp.QuoteMeta(t)
	}
	return strings.Join(types, "|")
}

// orgSpace is [:space:] in Org's buffers: the characters of whitespace
// syntax in org-mode's syntax table (no-break, en to zero-width, narrow
// no-break, medium mathematical and ideographic spaces as well as ASCII's
// blanks), for a regexp's character class. TestOrgSpaceAgainstEmacs holds
// it to Emacs.
const orgSpace = `\t\n\f\r \x{A0}\x{2000}-\x{200B}\x{202F}\x{205F}\x{3000}`

// emphasisStartRe is org-do-emphasis-faces's quick search: a markup
// character after a character that may precede markup; group 1 is the
// marker.
var emphasisStartRe = regexp.MustCompile(`[-` + orgSpace + `('"{]([~=*/_+])`)

// verbatimRe is org-verbatim-re for each of its markers, at the character
// before the markup: group 1 is the markup, markers included.
var verbatimRe = map[byte]*regexp.Regexp{'=': verbatimOf("="), '~': verbatimOf("~")}

func verbatimOf(marker string) *regexp.Regexp {
	border := `[^` + orgSpace + `]`
	return regexp.MustCompile(`^[-` + orgSpace + `('"{](` + marker + `(?:` + border + `|` + border + `.*?` + border + `)` + marker + `)(?:[-` + orgSpace + `.,:!?;'")}\\\[]|$)`)
}
