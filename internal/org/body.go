package org

import "strings"

// unescapeCode is org-unescape-code-in-string: on lines that start with
// optional blanks, commas, then ",*" or ",#+", remove one comma.
func unescapeCode(s string) string {
	if !strings.Contains(s, ",") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		nl := strings.IndexByte(s, '\n')
		ln := s
		if nl >= 0 {
			ln = s[:nl+1]
		}
		i := skipBlanks(ln)
		j := i
		for j < len(ln) && ln[j] == ',' {
			j++
		}
		if j > i && (strings.HasPrefix(ln[j:], "*") || strings.HasPrefix(ln[j:], "#+")) {
			// "^[ \t]*,*\(,\)…": the comma removed is the last one.
			b.WriteString(ln[:j-1])
			b.WriteString(ln[j:])
		} else {
			b.WriteString(ln)
		}
		s = s[len(ln):]
	}
	return b.String()
}

const tabWidth = 8

// removeIndentation is org-remove-indentation: remove the common
// indentation of the non-blank lines, measured in columns (tabs to 8). If a
// non-blank line has none, the code is returned as is. Blank lines are
// emptied.
func removeIndentation(code string) string {
	lines := strings.SplitAfter(code, "\n")
	minInd := -1
	for _, ln := range lines {
		content := strings.TrimRight(ln, "\n")
		i, col := indentation(content)
		// "^[ \t]*\S-": a line with a non-whitespace character.
		if i < len(content) && !isSpaceSyntax(content[i]) {
			if col == 0 {
				return code
			}
			if minInd < 0 || col < minInd {
				minInd = col
			}
		}
	}
	if minInd < 0 {
		// No non-blank line: Emacs's minimum is the buffer size, so every
		// line is blank-deleted.
		minInd = 1 << 30
	}
	var b strings.Builder
	b.Grow(len(code))
	for _, ln := range lines {
		content := ln
		nl := ""
		if strings.HasSuffix(content, "\n") {
			content, nl = content[:len(content)-1], "\n"
		}
		i, col := indentation(content)
		if i == len(content) {
			// Only blanks (eolp): delete them.
			b.WriteString(nl)
			continue
		}
		if col < minInd {
			// Only a line whose first non-blank is other whitespace
			// (form feed, CR) gets here: Emacs gives up.
			return code
		}
		b.WriteString(reindent(content[:i], col-minInd))
		b.WriteString(content[i:])
		b.WriteString(nl)
	}
	return b.String()
}

// reindent is indent-line-to for a smaller column: keep the indentation
// up to column target; a tab that straddles it becomes spaces
// (move-to-column with FORCE).
func reindent(indent string, target int) string {
	var b strings.Builder
	col := 0
	for i := 0; i < len(indent); i++ {
		if col >= target {
			break
		}
		if indent[i] == '\t' {
			next := (col/tabWidth + 1) * tabWidth
			if next > target {
				b.WriteString(strings.Repeat(" ", target-col))
				col = target
				break
			}
			b.WriteByte('\t')
			col = next
		} else {
			b.WriteByte(' ')
			col++
		}
	}
	return b.String()
}

// indentation returns the length of s's leading blanks and the column they
// reach, tabs counting to the next multiple of 8.
func indentation(s string) (int, int) {
	i, col := 0, 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		if s[i] == '\t' {
			col = (col/tabWidth + 1) * tabWidth
		} else {
			col++
		}
		i++
	}
	return i, col
}
