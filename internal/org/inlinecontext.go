package org

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Where "src_" or "call_" in a paragraph starts no inline block, because
// org-element-context finds another object there (Org 9.5.5): the parsers
// of inline blocks and calls want "\<" before them, and the objects the
// lexer reaches first (a subscript, a LaTeX fragment, an export snippet,
// a target) hold the text.

// atWordStart is Emacs's "\<" at t[at] in an Org buffer: the character
// before is no word constituent of org-mode's syntax table.
func atWordStart(t string, at int) bool {
	if at == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(t[:at])
	return !isWordRune(r)
}

// isWordRune is a word constituent of org-mode's syntax table, as Emacs
// 28.2 has it (wordsyntax_table.go, generated from Emacs): letters and
// digits, "$", "%" and "'" (text-mode's "w p"), but also "²", "·", "¥"
// and every code point Emacs gives no other syntax, and not "ª" or "ː";
// not "_", "\" or punctuation such as an em dash.
func isWordRune(r rune) bool {
	return unicode.Is(wordSyntax, r)
}

// isAlnumRune is a character [[:alnum:]] matches in Emacs 28.2
// (alnum_table.go, generated from Emacs): Unicode's letters, marks,
// decimal digits and letter numbers as Emacs's tables have them
// (alphanumericp), so a Tibetan mark or "Ⅻ" too, where Go's letters and
// digits have neither.
func isAlnumRune(r rune) bool {
	return unicode.Is(alnumClass, r)
}

// isSymbolByte is a character of symbol syntax in org-mode's table.
func isSymbolByte(c byte) bool { return strings.IndexByte("&*+-/=\\_|~", c) >= 0 }

// inScriptOrFragment reports whether t[at] (a word start) is inside a
// subscript or superscript (org-match-substring-regexp: a non-blank, "_"
// or "^", then [+-]?[[:alnum:].,\]*[[:alnum:]], which goes on over the
// letters at at) or a LaTeX fragment "\name" (a backslash right before).
func inScriptOrFragment(t string, at int) bool {
	if at > 0 && t[at-1] == '\\' {
		return true
	}
	k := at
	for k > 0 {
		r, n := utf8.DecodeLastRuneInString(t[:k])
		if r != '.' && r != ',' && r != '\\' && !isAlnumRune(r) {
			break
		}
		k -= n
	}
	if k > 0 && (t[k-1] == '+' || t[k-1] == '-') {
		k--
	}
	return k >= 2 && (t[k-1] == '_' || t[k-1] == '^') && !isSpaceByte(t[k-2])
}

// isSpaceByte is a character of whitespace syntax (\s-).
func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// objectSpans are the objects of a paragraph whose text holds no inline
// block: export snippets (@@back-end:…@@), targets (<<…>>, <<<…>>>),
// LaTeX fragments (\(…\), \[…\], $…$, $$…$$), links' paths ([[path]],
// <type:path>, type:path; a bracket link's description holds objects),
// each [start, end). first are the spans of macros and verbatim text,
// found by their own parsers: Org's lexer goes left to right, and the
// first object found holds its text, so one of them is kept where it
// begins outside every span before it, and the objects found here begin
// outside them (a "$" in `~$x~` opens no LaTeX fragment). All are
// returned, sorted. With pr (the text's brackets), inline blocks and
// calls are objects too, taken whole where the lexer comes to them (a
// "$" in src_sh{echo $x} opens no fragment), though none is returned:
// the caller reads those itself.
func objectSpans(t string, first [][2]int, pr *pairs) [][2]int {
	sort.Slice(first, func(i, j int) bool { return first[i][0] < first[j][0] })
	var out [][2]int
	sc := &closes{t: t, none: map[string]int{}}
	f := 0
	for i := 0; i < len(t); i++ {
		for f < len(first) && first[f][0] < i {
			f++ // begun inside an object before it: none
		}
		if f < len(first) && first[f][0] == i && first[f][1] > i {
			out = append(out, first[f])
			i = first[f][1] - 1
			f++
			continue
		}
		if pr != nil && (t[i] == 's' || t[i] == 'c') {
			if end := inlineAt(t, i, *pr); end > i {
				i = end - 1
				continue
			}
		}
		end := -1
		switch {
		case strings.HasPrefix(t[i:], "@@"):
			end = snippetEnd(sc, i)
		case strings.HasPrefix(t[i:], "<<"):
			end = targetEnd(t, i)
		case strings.HasPrefix(t[i:], `\(`):
			end = sc.after(i+2, `\)`)
		case strings.HasPrefix(t[i:], `\[`):
			end = sc.after(i+2, `\]`)
		case t[i] == '$':
			end = dollarEnd(sc, i)
		case strings.HasPrefix(t[i:], "[["):
			end = bracketPathEnd(t, i)
		case t[i] == '<':
			end = angleLinkEnd(sc, i)
		case isAlnum(t[i]) && atWordStart(t, i):
			end = plainLinkEnd(t, i)
		}
		if end > i {
			out = append(out, [2]int{i, end})
			i = end - 1
		}
	}
	return out
}

// snippetEnd is org-element-export-snippet-parser: "@@", a back-end name
// of letters, digits and "-", ":", then the text up to the next "@@".
func snippetEnd(sc *closes, i int) int {
	t := sc.t
	k := i + 2
	for k < len(t) && (isAlnum(t[k]) || t[k] == '-') {
		k++
	}
	if k == i+2 || k >= len(t) || t[k] != ':' {
		return -1
	}
	return sc.after(k+1, "@@")
}

// targetEnd is the target and radio target parsers: "<<" (or "<<<"), text
// of no "<", ">" or newline neither starting nor ending with a blank,
// then ">>" (">>>").
func targetEnd(t string, i int) int {
	open := 2
	if strings.HasPrefix(t[i:], "<<<") {
		open = 3
	}
	k := i + open
	j := k
	for j < len(t) && t[j] != '<' && t[j] != '>' && t[j] != '\n' {
		j++
	}
	if j == k || isSpaceByte(t[k]) || isSpaceByte(t[j-1]) || !strings.HasPrefix(t[j:], strings.Repeat(">", open)) {
		return -1
	}
	return j + open
}

// closes finds closing strings in a paragraph, remembering from where
// each has none left, so that many openings without a close cost one
// search, not one each.
type closes struct {
	t    string
	none map[string]int
}

// after is the end of the first close at or after from, or -1.
func (c *closes) after(from int, close string) int {
	if n, ok := c.none[close]; from > len(c.t) || ok && from >= n {
		return -1
	}
	k := strings.Index(c.t[from:], close)
	if k < 0 {
		c.none[close] = from
		return -1
	}
	return from + k + len(close)
}

// dollarEnd is org-element-latex-fragment-parser's $…$ and $$…$$: a
// single "$" not after another, not before a blank, ",", "." or ";", the
// next "$" not after a blank, "," or ".", and followed by no word
// or symbol constituent (an apostrophe may follow).
func dollarEnd(sc *closes, i int) int {
	t := sc.t
	if strings.HasPrefix(t[i:], "$$") {
		return sc.after(i+2, "$$")
	}
	if i > 0 && t[i-1] == '$' || i+1 >= len(t) || strings.IndexByte(" \t\n,.;$", t[i+1]) >= 0 {
		return -1
	}
	k := strings.IndexByte(t[i+1:], '$')
	if k < 0 {
		return -1
	}
	j := i + 1 + k
	if strings.IndexByte(" \t\n,.", t[j-1]) >= 0 {
		return -1
	}
	if j+1 < len(t) && t[j+1] != '\'' {
		// Punctuation, a blank, a bracket or a quote: not a word or
		// symbol constituent.
		if r, _ := utf8.DecodeRuneInString(t[j+1:]); isWordRune(r) || isSymbolByte(t[j+1]) {
			return -1
		}
	}
	return j + 1
}

// bracketPathEnd is the end of a bracket link's path ("[[" up to the
// first "]" no backslash escapes, which "]" or "][" follows).
func bracketPathEnd(t string, i int) int {
	for k := i + 2; k < len(t); k++ {
		switch t[k] {
		case '\\':
			k++
		case '[', '\n':
			return -1
		case ']':
			if k == i+2 || k+1 >= len(t) || t[k+1] != ']' && t[k+1] != '[' {
				return -1
			}
			return k + 1
		}
	}
	return -1
}

// angleLinkEnd is org-link-angle-re: "<", a link type, ":", then the
// text up to ">" (on this line or, in Org, lines after it).
func angleLinkEnd(sc *closes, i int) int {
	t := sc.t
	k := i + 1
	for k < len(t) && (isAlnum(t[k]) || t[k] == '+') {
		k++
	}
	if k >= len(t) || t[k] != ':' || linkType(t[i+1:k+1]) == "" {
		return -1
	}
	return sc.after(k, ">")
}

// plainLinkEnd is org-link-plain-re at a word start: a link type, ":",
// then characters but brackets, parentheses, angle brackets and blanks,
// ending at the last that is no punctuation (or a "/").
func plainLinkEnd(t string, i int) int {
	// The type's letters first: linkType alone would look for the
	// colon through the rest of the paragraph at every word.
	k := i
	for k < len(t) && (isAlnum(t[k]) || t[k] == '+') {
		k++
	}
	if k >= len(t) || t[k] != ':' || linkType(t[i:k+1]) == "" {
		return -1
	}
	from := k + 1
	k = from
	for k < len(t) && strings.IndexByte("[]()<> \t\n", t[k]) < 0 {
		k++
	}
	// [:punct:] of ASCII is every graphic character but letters and
	// digits.
	for k > from && t[k-1] > ' ' && t[k-1] < 0x7f && t[k-1] != '/' && !isAlnum(t[k-1]) {
		k--
	}
	if k == from {
		return -1
	}
	return k
}
