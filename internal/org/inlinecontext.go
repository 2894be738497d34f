package org

import (
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
// before is no word constituent of org-mode's syntax table, where letters,
// digits and marks of every script are words, and so is the apostrophe
// (text-mode's "w p"), but not "_" or "\".
func atWordStart(t string, at int) bool {
	if at == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(t[:at])
	return !(r == '\'' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// inScriptOrFragment reports whether t[at] (a word start) is inside a
// subscript or superscript (org-match-substring-regexp: a non-blank, "_"
// or "^", then [+-]?[[:alnum:].,\]*[[:alnum:]], which goes on over the
// letters at at) or a LaTeX fragment "\name" (a backslash right before).
func inScriptOrFragment(t string, at int) bool {
	if at > 0 && t[at-1] == '\\' {
		return true
	}
	k := at
	for k > 0 && strings.IndexByte(".,\\", t[k-1]) >= 0 {
		k--
	}
	if k > 0 && (t[k-1] == '+' || t[k-1] == '-') {
		k--
	}
	return k >= 2 && (t[k-1] == '_' || t[k-1] == '^') && !isSpaceByte(t[k-2])
}

// isSpaceByte is a character of whitespace syntax (\s-).
func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// objectSpans are the objects of a paragraph whose text holds no inline
// block: export snippets (@@back-end:…@@), targets (<<…>>, <<<…>>>) and
// LaTeX fragments (\(…\), \[…\], $…$, $$…$$), each [start, end).
func objectSpans(t string) [][2]int {
	var out [][2]int
	if !strings.ContainsAny(t, "@<\\$") {
		return out
	}
	for i := 0; i < len(t); i++ {
		end := -1
		switch {
		case strings.HasPrefix(t[i:], "@@"):
			end = snippetEnd(t, i)
		case strings.HasPrefix(t[i:], "<<"):
			end = targetEnd(t, i)
		case strings.HasPrefix(t[i:], `\(`):
			end = closeAfter(t, i+2, `\)`)
		case strings.HasPrefix(t[i:], `\[`):
			end = closeAfter(t, i+2, `\]`)
		case t[i] == '$':
			end = dollarEnd(t, i)
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
func snippetEnd(t string, i int) int {
	k := i + 2
	for k < len(t) && (isAlnum(t[k]) || t[k] == '-') {
		k++
	}
	if k == i+2 || k >= len(t) || t[k] != ':' {
		return -1
	}
	return closeAfter(t, k+1, "@@")
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

// closeAfter is the end of the first close at or after from, or -1.
func closeAfter(t string, from int, close string) int {
	if from > len(t) {
		return -1
	}
	k := strings.Index(t[from:], close)
	if k < 0 {
		return -1
	}
	return from + k + len(close)
}

// dollarEnd is org-element-latex-fragment-parser's $…$ and $$…$$: a
// single "$" not after another, not before a blank, ",", "." or ";", the
// next "$" not after a blank, "," or ".", and followed by no word
// character.
func dollarEnd(t string, i int) int {
	if strings.HasPrefix(t[i:], "$$") {
		return closeAfter(t, i+2, "$$")
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
	if j+1 < len(t) && !atWordStart(t[:j+2], j+1) {
		return -1
	}
	return j + 1
}
