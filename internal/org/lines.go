package org

import "strings"

// line is one line of the document: Text excludes the newline; Start is the
// byte offset of its first character; Next the offset of the following line
// (Start+len(Text)+1, or len(doc) for a last line without newline).
type line struct {
	Start, Next int
	Text        string
	NL          bool // ends with "\n"
}

// splitLines cuts text into lines. A text ending in "\n" has no empty last
// line, as Emacs counts lines.
func splitLines(text string) []line {
	n := strings.Count(text, "\n") + 1
	lines := make([]line, 0, n)
	for start := 0; start < len(text); {
		i := strings.IndexByte(text[start:], '\n')
		if i < 0 {
			lines = append(lines, line{Start: start, Next: len(text), Text: text[start:]})
			break
		}
		lines = append(lines, line{Start: start, Next: start + i + 1, Text: text[start : start+i], NL: true})
		start += i + 1
	}
	return lines
}

// isBlank reports whether s is only spaces and tabs: Org's "[ \t]*$".
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return false
		}
	}
	return true
}

// skipBlanks returns the index of the first byte of s that is not a space or
// a tab.
func skipBlanks(s string) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// isSpaceSyntax reports whether c has whitespace syntax in Org buffers
// (Emacs's "\s-"): space, tab, newline, carriage return and form feed.
func isSpaceSyntax(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// isBabelSpace is the class Babel writes as [ \f\t\n\r\v].
func isBabelSpace(c byte) bool {
	return c == ' ' || c == '\f' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		a, b := s[i], prefix[i]
		if a == b {
			continue
		}
		// ASCII letters only: Org's keywords are ASCII.
		if a|0x20 != b|0x20 || a|0x20 < 'a' || a|0x20 > 'z' {
			return false
		}
	}
	return true
}

// orgTrim is org-trim: strip [ \t\n\r] at both ends.
func orgTrim(s string) string {
	i, j := 0, len(s)
	for i < j && isTrimByte(s[i]) {
		i++
	}
	for j > i && isTrimByte(s[j-1]) {
		j--
	}
	return s[i:j]
}

// isTrimByte is a byte org-trim removes: space, tab, newline, return.
func isTrimByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// chomp is org-babel-chomp: strip trailing [ \f\t\n\r\v].
func chomp(s string) string {
	j := len(s)
	for j > 0 && isBabelSpace(s[j-1]) {
		j--
	}
	return s[:j]
}

// hasNonWhite is org-string-nw-p: s has a character that is not
// whitespace.
func hasNonWhite(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSpaceSyntax(s[i]) && s[i] != '\v' {
			return true
		}
	}
	return false
}
