package org

import "strings"

// This file reads the result of an Emacs Lisp block. The block runs in a
// batch Emacs (see plan's elisp program), which returns what
// org-babel-execute:emacs-lisp returns, printed with prin1 after the
// few changes org-babel-insert-result makes before it looks at a value:
// an atom that is not a string is printed with %S, a list that cannot be a
// table with %s (both then strings), anything unreadable inside a table
// princ'ed into a string. What is left is nil, a string, or a list of
// numbers, strings, symbols and lists, read here into Babel's value.

// maxLispDepth bounds the nesting of a printed value read back: deeper
// nesting is kept as text, as parsePyList does.
const maxLispDepth = maxPyDepth

// evaluateLisp reads a printed Emacs Lisp value under result params rp:
// a value that is no list becomes a table of one cell for :results table
// or vector (oneCellTable).
func evaluateLisp(raw string, rp []string) babelValue {
	v := readLispValue(raw)
	// prin1 writes a surrogate character as itself, a raw byte as an
	// octal escape: surrogates read of escapes alone are raw bytes.
	v.chars = HoldsSurrogate(raw)
	return oneCellTable(v, rp)
}

// oneCellTable is org-babel-execute-src-block's wrapping of a value
// (not output) that is no list, a string, under :results vector or table:
// a table of one cell (oneCell: after the language's function put back
// column and row names, which it gets none of), that cell unibyte where
// the string is; v as it is otherwise. A Lisp list no table holds
// (listText) is a list, and stays as it is.
func oneCellTable(v babelValue, rp []string) babelValue {
	if v.kind != valueString || v.listText || hasWord(rp, "output") || !hasWord(rp, "vector") && !hasWord(rp, "table") {
		return v
	}
	cell := v.str
	if v.cell != "" {
		// A vector or symbol read as Lisp: its cell as Emacs princs it.
		cell = v.cell
	}
	return babelValue{kind: valueTable, table: [][]string{{cell}}, oneCell: true, chars: v.chars, unibyte: unibyteCell(v.unibyteStr)}
}

// unibyteCell is the one cell of a table made of a string, among the
// table's unibyte cells when the string is unibyte.
func unibyteCell(unibyte bool) [][2]int {
	if unibyte {
		return [][2]int{{0, 0}}
	}
	return nil
}

// lispListText marks what the printer of Emacs Lisp values prints for a
// list no table can hold: #<borges-list-text>"TEXT", TEXT the list as
// org-babel-insert-result writes it (see plan's elispPrinter). No
// printed value starts with "#<" (a value prints as nil, a string or a
// list), so no value of a block is taken for a mark.
const lispListText = "#<borges-list-text>"

// lispListItems marks what it prints under :results list for a proper
// list no table can hold: #<borges-list-items>("E1" "E2" ...), each
// element as its item writes it (a string as it is, else %S).
const lispListItems = "#<borges-list-items>"

// lispListStop marks what it prints under :results list for a list that
// is no proper list (a cons): #<borges-list-stop>"TEXT". Babel's making
// of items fails on it: Emacs stops once it has written the keyword
// (ListStopError).
const lispListStop = "#<borges-list-stop>"

// readLispValue reads a printed Emacs Lisp value.
func readLispValue(raw string) babelValue {
	s := strings.TrimSpace(raw)
	switch {
	case s == "" || s == "nil" || s == "()":
		return babelValue{kind: valueNone}
	case s[0] == '"':
		if str, ok := readLispString(s); ok {
			return babelValue{kind: valueString, str: str, unibyteStr: LispStringUnibyte(s)}
		}
	case strings.HasPrefix(s, lispListText):
		if str, ok := readLispString(s[len(lispListText):]); ok {
			return babelValue{kind: valueString, str: str, listText: true}
		}
	case strings.HasPrefix(s, lispListStop):
		if str, ok := readLispString(s[len(lispListStop):]); ok {
			return babelValue{kind: valueString, str: str, listText: true, listStop: true}
		}
	case strings.HasPrefix(s, lispListItems):
		if items, rest, ok := readLispList(s[len(lispListItems):], 1); ok && strings.TrimSpace(rest) == "" {
			v := babelValue{kind: valueString, listText: true, listItems: []string{}}
			for _, it := range items {
				v.listItems = append(v.listItems, it.text)
			}
			v.str = strings.Join(v.listItems, "\n")
			return v
		}
	case s[0] == '(':
		if items, rest, ok := readLispList(s, 1); ok && strings.TrimSpace(rest) == "" {
			return pyTable(items)
		}
	case lispQuote(s) != "":
		// (quote x) printed 'x: a list of two elements.
		if it, rest, ok := readLispItem(s, 1); ok && strings.TrimSpace(rest) == "" {
			return pyTable(it.list)
		}
	}
	return babelValue{kind: valueString, str: s}
}

// lispQuotes are the reader shorthands prin1 prints (with print-quoted,
// as Babel's values are printed) for lists of two elements, by the
// symbol heading the list; the longest first.
var lispQuotes = []struct{ short, name string }{
	{"#'", "function"}, {",@", ",@"}, {"'", "quote"}, {"`", "`"}, {",", ","},
}

// lispQuote is the shorthand s starts with, or "".
func lispQuote(s string) string {
	for _, q := range lispQuotes {
		if strings.HasPrefix(s, q.short) {
			return q.short
		}
	}
	return ""
}

// readLispItem reads one element at the start of s: a list, a string, a
// number or symbol token, or a shorthand and the element it quotes (read
// as the list (quote x), printed again as 'x).
func readLispItem(s string, depth int) (pyItem, string, bool) {
	if depth > maxLispDepth || s == "" {
		return pyItem{}, "", false
	}
	if q := lispQuote(s); q != "" {
		x, rest, ok := readLispItem(strings.TrimLeft(s[len(q):], " \t\n"), depth+1)
		if !ok {
			return pyItem{}, "", false
		}
		name := ""
		for _, l := range lispQuotes {
			if l.short == q {
				name = l.name
			}
		}
		head := pyItem{text: name, sym: true}
		return pyItem{list: []pyItem{head, x}, isLst: true, quote: q}, rest, true
	}
	switch s[0] {
	case '(':
		list, rest, ok := readLispList(s, depth+1)
		if !ok {
			return pyItem{}, "", false
		}
		return pyItem{list: list, isLst: true}, rest, true
	case '"':
		str, n, ok := lispStringAt(s)
		if !ok {
			return pyItem{}, "", false
		}
		// A surrogate written as itself is a character, one of
		// octal escapes raw bytes (evaluateLisp).
		return pyItem{text: str, str: true, chars: HoldsSurrogate(s[:n]), unibyte: LispStringUnibyte(s[:n])}, s[n:], true
	}
	tok, n := lispSymbolAt(s)
	if n == 0 {
		return pyItem{}, "", false
	}
	// A cell prints as princ prints it: nil as "nil". A token that is
	// no number is a symbol (an escaped one always: \1), which the
	// variable conversions write as %S writes it (PrintSymbol). Its text
	// is princ's: the name, ## for the empty one (PrintSymbolText).
	name, escaped := ReadSymbol(tok)
	if name == "" {
		name = "##"
	}
	_, num := lispNumber(tok)
	num = num && !escaped
	// The dot of a dotted pair (b . c) nested in a list is no symbol
	// (prin1 prints a symbol named "." as \.): %S prints it as a dot.
	dot := tok == "."
	return pyItem{text: name, none: tok == "hline", sym: !num && tok != "hline", dot: dot && !escaped, empty: tok == "nil"}, s[n:], true
}

// readLispList reads "(a b ...)" at the start of s into items: numbers as
// Emacs prints them, strings, symbols (hline is a rule at the top level,
// as Python's None), nested lists.
func readLispList(s string, depth int) ([]pyItem, string, bool) {
	if depth > maxLispDepth {
		return nil, "", false
	}
	s = s[1:]
	var items []pyItem
	for {
		s = strings.TrimLeft(s, " \t\n")
		if s == "" {
			return nil, "", false
		}
		if s[0] == ')' {
			return items, s[1:], true
		}
		it, rest, ok := readLispItem(s, depth)
		if !ok {
			return nil, "", false
		}
		items = append(items, it)
		s = rest
	}
}

// lispStringAt reads the string literal at the start of s, returning its
// text and the bytes it took.
func lispStringAt(s string) (string, int, bool) {
	end := 1
	for end < len(s) && s[end] != '"' {
		if s[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(s) {
		return "", 0, false
	}
	str, ok := readLispString(s[:end+1])
	return str, end + 1, ok
}

// lispSymbolAt reads a number or symbol token at the start of s, as
// printed (a backslash quotes the next character), returning it as it
// stands (ReadSymbol gives a symbol's name) and the bytes it took.
func lispSymbolAt(s string) (string, int) {
	n := 0
	for n < len(s) && !strings.ContainsRune(" \t\n()\"", rune(s[n])) {
		if s[n] == '\\' && n+1 < len(s) {
			n++
		}
		n++
	}
	return s[:n], n
}

// LispFlatList reads a printed Emacs Lisp result that is a list of atoms
// (no nested list, no hline), as a block referring to it through :var
// receives it: a list, not a table of one row. ok is false for anything
// else.
func LispFlatList(raw string) (items []string, ok bool) {
	s := strings.TrimSpace(raw)
	if s == "" || s[0] != '(' {
		return nil, false
	}
	list, rest, ok := readLispList(s, 1)
	if !ok || strings.TrimSpace(rest) != "" || len(list) == 0 {
		return nil, false
	}
	items = make([]string, len(list))
	for i, it := range list {
		if it.isLst || it.none {
			return nil, false
		}
		items[i] = it.text
	}
	return items, true
}
