package org

import (
	"strconv"
	"strings"
)

// This file reads a block's result as its language's Babel does. Python in
// value mode (org-babel-python-table-or-string): str(main()) of a list or
// tuple (or dict) is read into a table through org-babel-script-escape,
// None at the top level becomes a rule (org-babel-python-None-to), anything
// else is a scalar read as org-babel-read reads it. Ruby in value mode
// (org-babel-ruby-table-or-string) the same way, of results.inspect (a
// String as is), nil for None. JavaScript (org-babel-js-read) and Perl
// (a TAB-separated table) below.

// Reader names how a language's Babel reads a block's result.
type Reader string

const (
	ReadGeneric Reader = ""       // output, as org-babel-result-cond reads it
	ReadPython  Reader = "python" // ob-python's value
	ReadRuby    Reader = "ruby"   // ob-ruby's value
	ReadJS      Reader = "js"     // ob-js's value
	ReadPerl    Reader = "perl"   // ob-perl's value or output
	ReadLisp    Reader = "elisp"  // ob-emacs-lisp's value, printed by Emacs (elisp.go)
)

// Value is the Babel value of a result text under args: a string, or a
// table of printed cells (rows that are rules are marked by hlineRow).
func (r Reader) Value(raw string, args Args) (kind int, scalar string, table [][]string) {
	v, _ := args.Get("results")
	val := r.evaluate(raw, splitString(v))
	return val.kind, val.str, val.rows()
}

func (r Reader) evaluate(raw string, rp []string) babelValue {
	switch r {
	case ReadPython:
		return evaluateScript(raw, rp, "None")
	case ReadRuby:
		return evaluateScript(raw, rp, "nil")
	case ReadJS:
		return evaluateJS(raw, rp)
	case ReadPerl:
		return evaluatePerl(raw, rp)
	case ReadLisp:
		return evaluateLisp(raw, rp)
	}
	return evaluate(raw, rp)
}

// hlineRow stands for a rule in a table of cells.
var hlineRow = []string{"\x00hline"}

func isHline(row []string) bool { return len(row) == 1 && row[0] == hlineRow[0] }

// IsRule reports whether a row of a table value is a rule (an hline).
func IsRule(row []string) bool { return isHline(row) }

// evaluateScript reads a printed value through org-babel-script-escape;
// none is the language's name for nothing (None, nil), a rule at the top
// level of a list.
func evaluateScript(raw string, rp []string, none string) babelValue {
	if resultCondScalar(rp) {
		return babelValue{kind: valueString, str: raw}
	}
	s := orgTrim(raw)
	if len(s) > 2 && (s[0] == '[' && s[len(s)-1] == ']' || s[0] == '(' && s[len(s)-1] == ')' || s[0] == '{' && s[len(s)-1] == '}') {
		if items, rest, ok := parsePyList(s, none); ok && strings.TrimSpace(rest) == "" {
			return pyTable(items)
		}
		return babelValue{kind: valueString, str: s}
	}
	if len(s) > 2 && (s[0] == '\'' && s[len(s)-1] == '\'' || s[0] == '"' && s[len(s)-1] == '"') {
		return babelValue{kind: valueString, str: s[1 : len(s)-1]}
	}
	if n, ok := lispNumber(s); ok {
		return babelValue{kind: valueString, str: n}
	}
	return babelValue{kind: valueString, str: s}
}

// pyItem is one element of a Python literal list.
type pyItem struct {
	text  string   // printed as Emacs prints the read value
	list  []pyItem // a nested list
	isLst bool
	none  bool
}

// pyTable makes a table of a list: rows when every element is a list (None
// elements become rules), one row otherwise.
func pyTable(items []pyItem) babelValue {
	allLists := len(items) > 0
	for _, it := range items {
		if !it.isLst && !it.none {
			allLists = false
		}
	}
	var rows [][]string
	if allLists {
		for _, it := range items {
			if it.none {
				rows = append(rows, hlineRow)
				continue
			}
			rows = append(rows, cells(it.list))
		}
	} else {
		row := make([]string, len(items))
		for i, it := range items {
			if it.none {
				row[i] = "hline"
			} else {
				row[i] = it.print()
			}
		}
		rows = [][]string{row}
	}
	if len(rows) == 0 {
		return babelValue{kind: valueNone}
	}
	return babelValue{kind: valueTable, table: rows}
}

func cells(items []pyItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.print()
	}
	return out
}

// print is (format "%s" value) of the element once read.
func (it pyItem) print() string {
	if !it.isLst {
		return it.text
	}
	var b strings.Builder
	it.writeS(&b)
	return b.String()
}

// writeS writes the element as %S prints it inside a list: strings keep
// their quotes, lists their parentheses. (One buffer for a whole nested
// list: printing each level into a string of its own copied the
// innermost text once per level.)
func (it pyItem) writeS(b *strings.Builder) {
	if it.isLst {
		b.WriteByte('(')
		for i, x := range it.list {
			if i > 0 {
				b.WriteByte(' ')
			}
			x.writeS(b)
		}
		b.WriteByte(')')
		return
	}
	if _, ok := lispNumber(it.text); ok || it.none {
		b.WriteString(it.text)
		return
	}
	b.WriteString(strconv.Quote(it.text))
}

// maxPyDepth bounds the nesting of a list read as a value: Python itself
// cannot print lists nested much deeper (its recursion limit is 1,000),
// and reading deeper would exhaust the reader's stack. A deeper value is
// kept as text.
const maxPyDepth = 1000

// parsePyList reads "[a, b, ...]" (or () / {}) of Python (or Ruby)
// literals; none is the literal for nothing.
func parsePyList(s, none string) ([]pyItem, string, bool) {
	return parsePyListAt(s, none, 1)
}

// parsePyListAt is parsePyList at nesting depth.
func parsePyListAt(s, none string, depth int) ([]pyItem, string, bool) {
	if depth > maxPyDepth {
		return nil, "", false
	}
	closeCh := map[byte]byte{'[': ']', '(': ')', '{': '}'}[s[0]]
	s = s[1:]
	var items []pyItem
	for {
		s = strings.TrimLeft(s, " \t\n")
		if s == "" {
			return nil, "", false
		}
		if s[0] == closeCh {
			return items, s[1:], true
		}
		it, rest, ok := parsePyAtom(s, none, depth)
		if !ok {
			return nil, "", false
		}
		items = append(items, it)
		s = strings.TrimLeft(rest, " \t\n")
		switch {
		case strings.HasPrefix(s, ","), strings.HasPrefix(s, ":"):
			s = s[1:]
		case s != "" && s[0] == closeCh:
		default:
			return nil, "", false
		}
	}
}

func parsePyAtom(s, none string, depth int) (pyItem, string, bool) {
	switch s[0] {
	case '[', '(', '{':
		items, rest, ok := parsePyListAt(s, none, depth+1)
		return pyItem{list: items, isLst: true}, rest, ok
	case '\'', '"':
		q := s[0]
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				if i+1 < len(s) {
					i++
					b.WriteByte(s[i])
				}
			case q:
				return pyItem{text: b.String()}, s[i+1:], true
			default:
				b.WriteByte(s[i])
			}
		}
		return pyItem{}, "", false
	}
	n := 0
	for n < len(s) && !strings.ContainsRune(",:)]} \t\n", rune(s[n])) {
		n++
	}
	tok := s[:n]
	if tok == "" {
		return pyItem{}, "", false
	}
	if tok == none {
		return pyItem{text: none, none: true}, s[n:], true
	}
	if num, ok := lispNumber(tok); ok {
		return pyItem{text: num}, s[n:], true
	}
	return pyItem{text: tok}, s[n:], true
}

func evaluateJS(raw string, rp []string) babelValue {
	if resultCondScalar(rp) {
		return babelValue{kind: valueString, str: raw}
	}
	if strings.HasPrefix(raw, "[") && strings.HasSuffix(raw, "]") {
		if items, rest, ok := parsePyList(raw, "None"); ok && strings.TrimSpace(rest) == "" {
			for i := range items {
				items[i].none = false // null is not Python's None
			}
			return pyTable(items)
		}
	}
	// org-babel-read with evaluation: a quoted symbol reads as itself, a
	// "string" as its text, a number as a number.
	switch {
	case strings.HasPrefix(raw, "'"):
		n := 1
		for n < len(raw) && !strings.ContainsRune(" \t\n'\"()", rune(raw[n])) {
			n++
		}
		return babelValue{kind: valueString, str: raw[1:n]}
	case strings.HasPrefix(raw, "\""):
		if s, ok := readLispString(raw); ok {
			return babelValue{kind: valueString, str: s}
		}
	}
	if n, ok := lispNumber(raw); ok {
		return babelValue{kind: valueString, str: n}
	}
	return babelValue{kind: valueString, str: raw}
}

// evaluatePerl is ob-perl's reading of a block's result (its value, or
// its output): the text as is for scalar :results, else a table imported
// with TAB as the separator.
func evaluatePerl(raw string, rp []string) babelValue {
	if resultCondScalar(rp) {
		return babelValue{kind: valueString, str: raw}
	}
	t, scalar, isScalar := newTextTable(raw, "tab")
	switch {
	case isScalar:
		return babelValue{kind: valueString, str: scalar}
	case t == nil:
		return babelValue{kind: valueNone}
	}
	return babelValue{kind: valueTable, text: t}
}
