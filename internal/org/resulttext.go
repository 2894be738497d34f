package org

import "strings"

// resultText is a result's text before it goes into the document: head,
// then body or a table, then tail. Kept in parts, and the body escaped
// and indented only as it is written, a large result is copied once, into
// the document.
type resultText struct {
	head, body, tail string
	table            *tableLayout
	// escape: the body's lines get org-escape-code-in-region's comma.
	escape bool
	// indent: columns added before each line of the body
	// (indent-rigidly) or of the table.
	indent int
	// stop: Emacs stops writing it, the keyword written alone
	// (tableEmptied).
	stop bool
}

func (r resultText) size() int {
	n := len(r.head) + r.bodySize() + len(r.tail)
	if r.table != nil {
		n += r.table.size(len(indentString(r.indent)))
	}
	return n
}

func (r resultText) writeTo(b *strings.Builder) {
	b.WriteString(r.head)
	r.writeBody(b)
	if r.table != nil {
		r.table.writeTo(b, indentString(r.indent))
	}
	b.WriteString(r.tail)
}

// eachBodyLine calls f with each line of the body as written: the column
// of its indentation (-1 to keep the line's own), whether a comma goes
// after it, and the rest of the line.
func (r resultText) eachBodyLine(f func(col int, comma bool, text string)) {
	for rest := r.body; rest != ""; {
		ln, after := cutLine(rest)
		rest = after
		content := strings.TrimSuffix(ln, "\n")
		i := skipBlanks(content)
		comma := false
		if r.escape {
			j := i
			for j < len(ln) && ln[j] == ',' {
				j++
			}
			comma = strings.HasPrefix(ln[j:], "*") || strings.HasPrefix(ln[j:], "#+")
		}
		switch {
		case r.indent <= 0:
			f(-1, comma, ln)
		case i == len(content):
			// Blank: its blanks are deleted, nothing indented.
			f(-2, false, ln[len(content):])
		default:
			f(columns(content[:i])+r.indent, comma, ln[i:])
		}
	}
}

func (r resultText) bodySize() int {
	if !r.escape && r.indent <= 0 {
		return len(r.body)
	}
	n := 0
	r.eachBodyLine(func(col int, comma bool, text string) {
		if col >= 0 {
			n += col/tabWidth + col%tabWidth
		}
		if comma {
			n++
		}
		n += len(text)
	})
	return n
}

func (r resultText) writeBody(b *strings.Builder) {
	if !r.escape && r.indent <= 0 {
		b.WriteString(r.body)
		return
	}
	r.eachBodyLine(func(col int, comma bool, text string) {
		if col >= 0 {
			writeIndent(b, col)
		}
		if comma {
			if col == -1 {
				// The line as it stands: the comma after its blanks.
				k := skipBlanks(text)
				b.WriteString(text[:k])
				b.WriteByte(',')
				b.WriteString(text[k:])
				return
			}
			b.WriteByte(',')
		}
		b.WriteString(text)
	})
}

func (r resultText) String() string {
	if r.table == nil && r.head == "" && r.tail == "" && !r.escape && r.indent <= 0 {
		return r.body
	}
	var b strings.Builder
	b.Grow(r.size())
	r.writeTo(&b)
	return b.String()
}

// flat is r with its table printed and its body escaped and indented.
func (r resultText) flat() resultText {
	return resultText{body: r.String()}
}

// wrapped is r between a start and a finish line, escaped as
// org-escape-code-in-region does when escape is set (table lines, which
// start with "|", never are).
func (r resultText) wrapped(start, finish string, escape bool) resultText {
	if r.head != "" || r.tail != "" || r.escape || r.indent != 0 {
		r = r.flat()
	}
	if escape && r.table == nil {
		r.escape = true
	}
	r.head = start + "\n"
	r.tail = finish + "\n"
	return r
}

// indented is indentRigidly on r. When the parts split at line starts (a
// head before a table ends with a newline), each is indented alone.
func (r resultText) indented(n int, skip bool) resultText {
	if n <= 0 || skip {
		return r
	}
	if !(endsLine(r.head) && endsLine(r.body)) {
		return resultText{body: indentRigidly(r.String(), n, false)}
	}
	r.head, r.tail = indentRigidly(r.head, n, false), indentRigidly(r.tail, n, false)
	r.indent += n
	return r
}

// endsLine reports whether s is empty or ends with a newline: what follows
// it starts a line.
func endsLine(s string) bool { return s == "" || strings.HasSuffix(s, "\n") }
