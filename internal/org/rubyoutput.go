package org

import (
	"strconv"
	"strings"
)

// This file reads a Ruby block's output under :results output table as
// ob-ruby does: org-babel-ruby-table-or-string hands the output, as it
// came (its final newline kept), to org-babel-script-escape. Text between
// brackets or quotes at its very ends is read as a value is; anything
// else goes to org-babel-read, which reads a number, a string literal, or
// — for text starting with ( ' ` or [ — evaluates the first Lisp form:
// puts "[1, 2]" writes [1 (\, 2)], a vector of the Lisp reader's making.

// lispDatum is one form the Lisp reader read.
type lispDatum struct {
	kind  lispKind
	text  string      // a number as Emacs prints it, a string's text, a symbol's name
	items []lispDatum // a list's or a vector's elements
}

type lispKind int

const (
	lispNum lispKind = iota
	lispStr
	lispSym
	lispList
	lispVec
)

// maxRubyOutputDepth bounds the nesting the reader follows.
const maxRubyOutputDepth = maxPyDepth

// evaluateRubyOutput is org-babel-ruby-table-or-string of a block's
// output under result params rp; ok is false for a form Borges does not
// evaluate (a call of a Lisp function, a backquote with commas), which
// is then read as a value is.
func evaluateRubyOutput(raw string, rp []string) (babelValue, bool) {
	if resultCondScalar(rp) || scriptDelimited(raw) {
		return babelValue{}, false
	}
	// org-babel-read: blank text as is, then a number, then a form.
	if strings.TrimSpace(raw) == "" {
		return babelValue{kind: valueString, str: raw}, true
	}
	if n, ok := babelStringNumber(raw); ok {
		return babelValue{kind: valueString, str: n, num: true}, true
	}
	switch raw[0] {
	case '(', '\'', '`', '[':
		return evaluateLispForm(raw, isLispNil)
	case '"':
		if s, _, ok := lispStringAt(raw); ok {
			return babelValue{kind: valueString, str: s}, true
		}
		return babelValue{kind: valueString, str: raw}, true
	}
	return babelValue{kind: valueString, str: raw}, true
}

// scriptDelimited reports whether org-babel-script-escape reads text as a
// list or a quoted string: more than two characters, its first and last
// a pair of brackets or of quotes.
func scriptDelimited(s string) bool {
	if len(s) <= 2 {
		return false
	}
	first, last := s[0], s[len(s)-1]
	return first == '[' && last == ']' || first == '{' && last == '}' || first == '(' && last == ')' ||
		first == '\'' && last == '\'' || first == '"' && last == '"'
}

// babelStringNumber is org-babel--string-to-number: text that is one
// token once trimmed, of which some line of the text as it came is all
// digits, e, dots, signs and spaces ("^[0-9e.+ -]+$", tested under
// case-fold-search: E too), read as a number.
// The pattern is tested untrimmed: a tab on the number's line ("\t42")
// keeps the text a string.
func babelStringNumber(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if t == "" || strings.ContainsAny(t, " \t\n\r\f\v") {
		return "", false
	}
	if strings.Trim(t, "0123456789eE.+-") != "" {
		return "", false
	}
	lineMatches := false
	for line := range strings.SplitSeq(s, "\n") {
		if line != "" && strings.Trim(line, "0123456789eE.+ -") == "" {
			lineMatches = true
			break
		}
	}
	if !lineMatches {
		return "", false
	}
	return lispNumber(t)
}

// evaluateLispForm is org-babel-read of text that starts with ( ' ` or
// [, inside org-babel-script-escape: the first form read and evaluated,
// the text as it came when that fails; known is false for a form Borges
// does not evaluate (see evalLispDatum). none says which elements of a
// list the language's Babel makes rules.
func evaluateLispForm(text string, none func(lispDatum) bool) (v babelValue, known bool) {
	d, _, ok := readLispDatum(text, 0)
	if !ok {
		// A read error: org-babel-script-escape keeps the text.
		return babelValue{kind: valueString, str: text}, true
	}
	val, err, known := evalLispDatum(d)
	switch {
	case !known:
		return babelValue{}, false
	case err:
		return babelValue{kind: valueString, str: text}, true
	}
	return scriptTableOrString(val, none), true
}

// scriptTableOrString is the value Babel inserts: a list (the elements
// none says, rules) a table, nil nothing, another value printed as %S
// prints it.
func scriptTableOrString(d lispDatum, none func(lispDatum) bool) babelValue {
	switch {
	case d.kind == lispStr:
		return babelValue{kind: valueString, str: d.text}
	case d.kind == lispSym && d.text == "nil" || d.kind == lispList && len(d.items) == 0:
		return babelValue{kind: valueNone}
	case d.kind == lispVec:
		return babelValue{kind: valueString, str: printLispDatum(d, false), cell: princLispDatum(d)}
	case d.kind != lispList:
		return babelValue{kind: valueString, str: printLispDatum(d, false), num: d.kind == lispNum}
	}
	items := make([]pyItem, len(d.items))
	for i, it := range d.items {
		if none(it) {
			items[i] = pyItem{text: "nil", none: true}
			continue
		}
		items[i] = datumItem(it)
	}
	return pyTable(items)
}

func isLispNil(d lispDatum) bool {
	return d.kind == lispSym && d.text == "nil" || d.kind == lispList && len(d.items) == 0
}

// datumItem is a list element as a table's cell or row.
func datumItem(d lispDatum) pyItem {
	switch {
	case d.kind == lispList && isReaderMacro(d):
		// 'x, #'f, `x: a cell printed as prin1 abbreviates them.
		return pyItem{text: printLispDatum(d, false)}
	case d.kind == lispList:
		items := make([]pyItem, len(d.items))
		for i, it := range d.items {
			items[i] = datumItem(it)
		}
		return pyItem{list: items, isLst: true}
	case d.kind == lispSym && d.text != "nil" && d.text != "hline":
		// A symbol the form evaluated to: the variable conversions
		// write it bare (%S), as the Lisp reader's (elisp.go).
		return pyItem{text: d.text, sym: true}
	case d.kind != lispVec:
		return pyItem{text: d.text, str: d.kind == lispStr}
	}
	return pyItem{text: printLispDatum(d, false)}
}

// isReaderMacro reports whether a list is printed abbreviated: (quote x),
// (function x), (\` x).
func isReaderMacro(d lispDatum) bool {
	if len(d.items) != 2 || d.items[0].kind != lispSym {
		return false
	}
	switch d.items[0].text {
	case "quote", "function", "`":
		return true
	}
	return false
}

// readLispDatum reads the first form of s from i, as the Lisp reader
// does, returning it and where it ends.
func readLispDatum(s string, depth int) (lispDatum, string, bool) {
	if depth > maxRubyOutputDepth {
		return lispDatum{}, "", false
	}
	s = skipLispBlanks(s)
	if s == "" {
		return lispDatum{}, "", false
	}
	switch c := s[0]; c {
	case '(', '[':
		closer, kind := byte(')'), lispList
		if c == '[' {
			closer, kind = ']', lispVec
		}
		d := lispDatum{kind: kind}
		rest := s[1:]
		for {
			rest = skipLispBlanks(rest)
			if rest == "" {
				return lispDatum{}, "", false
			}
			if rest[0] == closer {
				return d, rest[1:], true
			}
			if rest[0] == ')' || rest[0] == ']' || rest[0] == '.' && (len(rest) == 1 || isLispDelimiter(rest[1])) {
				// A stray closer or a dotted pair: not read here.
				return lispDatum{}, "", false
			}
			it, r, ok := readLispDatum(rest, depth+1)
			if !ok {
				return lispDatum{}, "", false
			}
			d.items = append(d.items, it)
			rest = r
		}
	case '\'', '`', ',':
		name := map[byte]string{'\'': "quote", '`': "`", ',': ","}[c]
		rest := s[1:]
		if c == ',' && strings.HasPrefix(rest, "@") {
			name, rest = ",@", rest[1:]
		}
		it, r, ok := readLispDatum(rest, depth+1)
		if !ok {
			return lispDatum{}, "", false
		}
		return lispDatum{kind: lispList, items: []lispDatum{{kind: lispSym, text: name}, it}}, r, true
	case '"':
		str, n, ok := lispStringAt(s)
		if !ok {
			return lispDatum{}, "", false
		}
		return lispDatum{kind: lispStr, text: str}, s[n:], true
	case '?', '#':
		// A character (?a, ?\s) or an integer in a radix (#x61): the
		// integer the reader reads. Other # syntaxes are not read here.
		if n, rest, ok := readCharOrRadix(s); ok {
			return lispDatum{kind: lispNum, text: strconv.FormatInt(n, 10)}, rest, true
		}
		return lispDatum{}, "", false
	case ')', ']':
		// Closers out of place: not read here.
		return lispDatum{}, "", false
	}
	var b strings.Builder
	n, escaped := 0, false
	for n < len(s) && !isLispDelimiter(s[n]) {
		if s[n] == '\\' && n+1 < len(s) {
			n++
			escaped = true
		}
		b.WriteByte(s[n])
		n++
	}
	tok := b.String()
	if n == 0 {
		// Nothing read (a delimiter the cases above do not take): no
		// datum, rather than an empty symbol that never moves on.
		return lispDatum{}, "", false
	}
	if !escaped {
		if num, ok, number := readerNumber(tok); number {
			if !ok {
				return lispDatum{}, "", false
			}
			return lispDatum{kind: lispNum, text: num}, s[n:], true
		}
	}
	return lispDatum{kind: lispSym, text: tok}, s[n:], true
}

// isLispDelimiter reports whether c ends a symbol for the Lisp reader.
func isLispDelimiter(c byte) bool {
	return c <= ' ' || strings.IndexByte("\"';()[]#`,", c) >= 0
}

// skipLispBlanks skips blanks and comments. Every character up to the
// space is a blank to Emacs's reader (`c <= 040`), control characters too.
func skipLispBlanks(s string) string {
	for {
		s = strings.TrimLeftFunc(s, func(r rune) bool { return r <= ' ' })
		if !strings.HasPrefix(s, ";") {
			return s
		}
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[i:]
		} else {
			return ""
		}
	}
}

// evalLispDatum evaluates a form as eval does, for the forms Borges
// knows (known): self-evaluating ones, nil, t, keywords, quote, a
// backquote without commas, and calls that fail (an unbound variable, a
// list whose head is no function); err says evaluation signalled.
func evalLispDatum(d lispDatum) (v lispDatum, err, known bool) {
	switch d.kind {
	case lispNum, lispStr, lispVec:
		return d, false, true
	case lispSym:
		if d.text == "nil" || d.text == "t" || strings.HasPrefix(d.text, ":") {
			return d, false, true
		}
		return lispDatum{}, true, true // void-variable
	}
	if len(d.items) == 0 {
		return d, false, true
	}
	head := d.items[0]
	switch {
	case head.kind == lispSym && head.text == "quote" && len(d.items) == 2:
		return d.items[1], false, true
	case head.kind == lispSym && head.text == "`" && len(d.items) == 2 && !hasComma(d.items[1]):
		return d.items[1], false, true
	case head.kind == lispNum || head.kind == lispStr || head.kind == lispVec:
		return lispDatum{}, true, true // invalid-function
	case head.kind == lispList && len(head.items) > 0 && head.items[0].kind != lispSym:
		return lispDatum{}, true, true // invalid-function
	}
	return lispDatum{}, false, false
}

// hasComma reports whether a backquoted form holds a comma.
func hasComma(d lispDatum) bool {
	if d.kind != lispList && d.kind != lispVec {
		return false
	}
	if d.kind == lispList && len(d.items) == 2 && d.items[0].kind == lispSym && (d.items[0].text == "," || d.items[0].text == ",@") {
		return true
	}
	for _, it := range d.items {
		if hasComma(it) {
			return true
		}
	}
	return false
}

// princLispDatum is princ of a form (Emacs 28, print-quoted t): as
// printLispDatum, but strings and symbols as their text, unquoted and
// unescaped.
func princLispDatum(d lispDatum) string {
	switch d.kind {
	case lispNum:
		return d.text
	case lispStr, lispSym:
		return d.text
	}
	if d.kind == lispList && len(d.items) == 0 {
		return "nil"
	}
	if d.kind == lispList && len(d.items) == 2 && d.items[0].kind == lispSym {
		switch d.items[0].text {
		case "quote":
			return "'" + princLispDatum(d.items[1])
		case "function":
			return "#'" + princLispDatum(d.items[1])
		case "`":
			return "`" + princLispDatum(d.items[1])
		}
	}
	open, closer := "(", ")"
	if d.kind == lispVec {
		open, closer = "[", "]"
	}
	parts := make([]string, len(d.items))
	for i, it := range d.items {
		parts[i] = princLispDatum(it)
	}
	return open + strings.Join(parts, " ") + closer
}

// printLispDatum is prin1 of a form (Emacs 28, print-quoted t): quote,
// function and backquote abbreviated, commas only inside a backquote.
func printLispDatum(d lispDatum, inBackquote bool) string {
	switch d.kind {
	case lispNum:
		return d.text
	case lispStr:
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(d.text) + `"`
	case lispSym:
		return printSymbol(d.text)
	}
	if d.kind == lispList && len(d.items) == 0 {
		return "nil"
	}
	if d.kind == lispList && len(d.items) == 2 && d.items[0].kind == lispSym {
		switch name := d.items[0].text; {
		case name == "quote":
			return "'" + printLispDatum(d.items[1], inBackquote)
		case name == "function":
			return "#'" + printLispDatum(d.items[1], inBackquote)
		case name == "`":
			return "`" + printLispDatum(d.items[1], true)
		case inBackquote && (name == "," || name == ",@"):
			return name + printLispDatum(d.items[1], inBackquote)
		}
	}
	open, closer := "(", ")"
	if d.kind == lispVec {
		open, closer = "[", "]"
	}
	parts := make([]string, len(d.items))
	for i, it := range d.items {
		parts[i] = printLispDatum(it, inBackquote)
	}
	return open + strings.Join(parts, " ") + closer
}
