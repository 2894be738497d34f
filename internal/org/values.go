package org

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsCommaBlank is ob-js's ",[[:space:]]", which it turns into a blank:
// in the Org buffer (Emacs 28) a blank is a tab, a newline, a form feed,
// a carriage return, a space, the no-break space and the Unicode spaces
// U+2000 to U+200B, U+202F, U+205F and U+3000 — no vertical tab.
var jsCommaBlank = regexp.MustCompile(`,[\t\n\f\r \x{a0}\x{2000}-\x{200b}\x{202f}\x{205f}\x{3000}]`)

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
	if hasWord(rp, "none") {
		// org-babel-result-cond: every language's value is nil
		// under :results none, whatever the block printed.
		return babelValue{kind: valueNone}
	}
	var v babelValue
	switch r {
	case ReadPython:
		known := false
		if s, ok := pythonForm(raw, rp); ok {
			v, known = evaluateLispForm(s, isPythonNone)
		}
		if !known {
			v = evaluateScript(raw, rp, "None")
		}
	case ReadRuby:
		// A value is read as output is: org-babel-ruby-table-or-string
		// of the text written, untrimmed (org-babel-read keeps a
		// string's blanks and blank lines).
		out, ok := evaluateRubyOutput(raw, rp)
		if ok && hasWord(rp, "output") {
			return out
		}
		if ok {
			v = out
		} else {
			v = evaluateScript(raw, rp, "nil")
		}
	case ReadJS:
		v = evaluateJS(raw, rp)
	case ReadPerl:
		v = evaluatePerl(raw, rp)
	case ReadLisp:
		v = evaluateLisp(raw, rp)
	default:
		return evaluate(raw, rp)
	}
	// org-babel-execute-src-block: a value (not output) that is not a
	// list, under :results vector or table, becomes a table of one cell.
	return oneCellTable(v, rp)
}

// hlineRow stands for a rule in a table of cells.
var hlineRow = []string{"\x00hline"}

func isHline(row []string) bool { return len(row) == 1 && row[0] == hlineRow[0] }

// IsRule reports whether a row of a table value is a rule (an hline).
func IsRule(row []string) bool { return isHline(row) }

// RuleRow is a rule (an hline) as a row of a table value.
func RuleRow() []string { return []string{hlineRow[0]} }

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
			if none == "nil" {
				// ob-ruby's nil-to: an element that reads as nil (nil,
				// or an empty list) becomes a rule.
				for i, it := range items {
					if it.isLst && len(it.list) == 0 {
						items[i] = pyItem{text: none, none: true}
					}
				}
			}
			return pyTable(items)
		}
		return babelValue{kind: valueString, str: s}
	}
	if len(s) > 2 && (s[0] == '\'' && s[len(s)-1] == '\'' || s[0] == '"' && s[len(s)-1] == '"') {
		// org-babel--script-escape-inner makes every quote a double
		// quote, and the Lisp reader reads the first string ('a' 'b'
		// is "a").
		if it, _, ok := (listReader{}).atom(s, 1); ok {
			return babelValue{kind: valueString, str: it.text}
		}
		return babelValue{kind: valueString, str: s[1 : len(s)-1]}
	}
	if n, ok := lispNumber(s); ok {
		return babelValue{kind: valueString, str: n, num: true}
	}
	return babelValue{kind: valueString, str: s}
}

// pyItem is one element of a Python literal list.
type pyItem struct {
	text  string   // printed as Emacs prints the read value
	list  []pyItem // a nested list
	isLst bool
	none  bool
	// sym: a bare word that reads as a Lisp symbol (:a, true, True):
	// Babel's variable conversions write it bare (%S).
	sym bool
	// quote is the reader shorthand a list of two elements was printed
	// with ("'" for (quote x), "#'", "`", ",", ",@"): Emacs prints it
	// so again, with %s and with %S.
	quote string
	// empty: Lisp's nil, which is also the empty list: among lists, a
	// row of no cells.
	empty bool
	// str: a Lisp string, which %S quotes even where it reads as a
	// number ("1").
	str bool
	// chars: the string was printed by Emacs (ReadLisp): a surrogate in
	// it is a character (emacsChar).
	chars bool
	// unibyte: the string is a unibyte string Emacs printed
	// (LispStringUnibyte): each of its bytes past ASCII a raw byte,
	// which a table's cell and prin1 write as an octal escape.
	unibyte bool
	// dot: the dot of a dotted pair read in a Lisp list, which %S
	// prints as a dot, not as a symbol named "." (\.).
	dot bool
}

// pyTable makes a table of a list: rows when every element is a list (None
// elements become rules), one row otherwise.
func pyTable(items []pyItem) babelValue {
	if len(items) == 0 {
		return babelValue{kind: valueNone} // (), nil
	}
	allLists := true
	for _, it := range items {
		if !it.isLst && !it.none && !it.empty {
			allLists = false
		}
	}
	var rows [][]string
	var nested map[[2]int]string
	var symbols, unibyte [][2]int
	if allLists {
		for i, it := range items {
			if it.none {
				rows = append(rows, hlineRow)
				continue
			}
			if it.empty {
				rows = append(rows, []string{})
				continue
			}
			for j, c := range it.list {
				// A list, a symbol (the language's nothing too: None,
				// nil), a string that reads as a number: what %S prints
				// is not what the cell shows.
				if c.isLst || c.sym || c.none || c.numericString() {
					if nested == nil {
						nested = map[[2]int]string{}
					}
					nested[[2]int{i, j}] = c.printS()
				}
			}
			for j, c := range it.list {
				// A bare word, or the language's nothing (nil, None),
				// inside a row is a symbol too.
				if !c.isLst && (c.sym || c.none) {
					symbols = append(symbols, [2]int{i, j})
				}
				if c.unibyte && !c.isLst {
					unibyte = append(unibyte, [2]int{i, j})
				}
			}
			rows = append(rows, cells(it.list))
		}
	} else {
		row := make([]string, len(items))
		for i, it := range items {
			switch {
			case it.none:
				// The symbol hline: a rule among a list's items.
				row[i] = "hline"
				symbols = append(symbols, [2]int{0, i})
			case it.isLst:
				if nested == nil {
					nested = map[[2]int]string{}
				}
				nested[[2]int{0, i}] = it.printS()
				row[i] = it.print()
			default:
				row[i] = it.print()
				if it.sym {
					symbols = append(symbols, [2]int{0, i})
				}
				if it.unibyte {
					unibyte = append(unibyte, [2]int{0, i})
				}
			}
		}
		rows = [][]string{row}
	}
	if len(rows) == 0 {
		return babelValue{kind: valueNone}
	}
	return babelValue{kind: valueTable, table: rows, flat: !allLists, nested: nested, symbols: symbols, unibyte: unibyte, items: items}
}

// Item is an element of a list value as Babel reads it: a list of
// items, or a string, number or symbol (Text as %s prints it).
type Item struct {
	Text   string
	List   []Item
	IsList bool
	Symbol bool
	// String: a Lisp string, even where it reads as a number.
	String bool
}

// item is the element as an Item; ok is false for one holding a list
// written with a reader shorthand, or nested deeper than maxItemDepth.
func (it pyItem) item(depth int) (Item, bool) {
	if depth > maxItemDepth || it.isLst && it.quote != "" {
		return Item{}, false
	}
	if !it.isLst {
		return Item{Text: it.text, Symbol: it.sym || it.none, String: it.str}, true
	}
	out := Item{IsList: true, List: make([]Item, len(it.list))}
	for i, x := range it.list {
		var ok bool
		if out.List[i], ok = x.item(depth + 1); !ok {
			return Item{}, false
		}
	}
	return out, true
}

// maxItemDepth bounds the nesting ReadMarked follows (the reader bounds
// it already; this keeps the recursion bounded on its own).
const maxItemDepth = 1000

func cells(items []pyItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.print()
	}
	return out
}

// print is (format "%s" value) of the element once read, as a table's
// cell shows it: strings inside a list lose their quotes.
func (it pyItem) print() string {
	if !it.isLst {
		return it.text
	}
	var b strings.Builder
	it.writePrinc(&b)
	return b.String()
}

// printS is (format "%S" value) of the element once read, as an item of
// :results list shows a list.
func (it pyItem) printS() string {
	if !it.isLst && !it.sym && !it.str {
		return it.text
	}
	var b strings.Builder
	it.writeS(&b)
	return b.String()
}

// writePrinc writes the element as princ prints it: lists in
// parentheses, strings without quotes.
func (it pyItem) writePrinc(b *strings.Builder) {
	if !it.isLst {
		b.WriteString(it.text)
		return
	}
	if len(it.list) == 0 {
		b.WriteString("nil") // the empty list ([]), which is nil
		return
	}
	if it.quote != "" {
		b.WriteString(it.quote)
		it.list[1].writePrinc(b)
		return
	}
	b.WriteByte('(')
	for i, x := range it.list {
		if i > 0 {
			b.WriteByte(' ')
		}
		x.writePrinc(b)
	}
	b.WriteByte(')')
}

// writeS writes the element as %S prints it inside a list: strings keep
// their quotes, lists their parentheses. (One buffer for a whole nested
// list: printing each level into a string of its own copied the
// innermost text once per level.)
func (it pyItem) writeS(b *strings.Builder) {
	if it.isLst && it.quote != "" {
		b.WriteString(it.quote)
		it.list[1].writeS(b)
		return
	}
	if it.isLst && len(it.list) == 0 {
		b.WriteString("nil")
		return
	}
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
	if _, ok := lispNumber(it.text); (ok || it.none) && !it.str && !it.sym {
		b.WriteString(it.text)
		return
	}
	if it.dot {
		b.WriteByte('.')
		return
	}
	if it.sym {
		// A symbol, as prin1 prints it: bare, escaped where it must be
		// ((\, d)).
		b.WriteString(PrintSymbolText(it.text))
		return
	}
	if it.unibyte {
		b.WriteString(Prin1Unibyte(it.text))
		return
	}
	writePrin1String(b, it.text, it.chars)
}

// Prin1Unibyte is s, a unibyte string, as prin1 prints it: between
// double quotes, a backslash before each " and \, each byte past ASCII
// a backslash and three octal digits (raw bytes, even where they form
// UTF-8: "\303\251").
func Prin1Unibyte(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	writeUnibyte(&b, s, true)
	b.WriteByte('"')
	return b.String()
}

// writeUnibyte writes s, a unibyte string, as Emacs prints it: each byte
// past ASCII as three octal digits after a backslash, and, with quoted,
// '"' and '\\' after one too.
func writeUnibyte(b *strings.Builder, s string, quoted bool) {
	for k := 0; k < len(s); k++ {
		switch c := s[k]; {
		case c >= 0x80:
			fmt.Fprintf(b, "\\%03o", c)
		case quoted && (c == '"' || c == '\\'):
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
}

// writePrin1String writes s as prin1 prints a string (print-escape-newlines
// and the others nil, as Babel prints): between double quotes, a
// backslash before each " and \, a raw byte (a byte of no UTF-8
// character, as the Lisp reader reads "\x85") a backslash and three octal
// digits, every other character (newlines, tabs, control characters) as
// it is.
func writePrin1String(b *strings.Builder, s string, chars bool) {
	b.WriteByte('"')
	writeEmacsChars(b, s, true, chars)
	b.WriteByte('"')
}

// Prin1String is s as prin1 prints a string (writePrin1String): what
// format's %S makes of it, as Babel writes a string value into the
// program of Python, Ruby or JavaScript. With chars, a surrogate is a
// character, as in a value Emacs printed (emacsChar).
func Prin1String(s string, chars bool) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	writePrin1String(&b, s, chars)
	return b.String()
}

// writeEmacsChars writes s to b as Emacs prints its characters: each raw
// byte (emacsChar, chars as there) as three octal digits after a
// backslash, and, with quoted (inside a printed string), '"' and '\\'
// after one too.
func writeEmacsChars(b *strings.Builder, s string, quoted, chars bool) {
	for k := 0; k < len(s); {
		n, raw := emacsChar(s[k:], chars)
		switch {
		case raw:
			fmt.Fprintf(b, "\\%03o", s[k])
		case quoted && (s[k] == '"' || s[k] == '\\'):
			b.WriteByte('\\')
			b.WriteByte(s[k])
		default:
			b.WriteString(s[k : k+n])
		}
		k += n
	}
}

// emacsChar is the length of the character s starts with as Emacs
// decodes a program's output in UTF-8 (decode_coding_utf_8): UTF-8's
// shapes, the characters past U+10FFFF included (F4 90 and after, F5 to
// F7 and then three bytes, F8 and then four: "\x1fffff" read is F7 BF
// BF BF), or 1 and raw for a byte that starts none, a raw byte (the Lisp
// reader's "\x85" or "\205"). An overlong sequence (C0 and C1, E0 then
// 80-9F, F0 then 80-8F, F8 then 80-87) or a surrogate (ED then A0-BF)
// Emacs rejects: its first byte is raw (checked with Emacs 28.2: a
// shell's "\340\200\200" is three raw bytes, "\355\240\200" too;
// fixture surrogate_printed). With chars, a surrogate (ED, A0-BF and a
// continuation byte) is one character, as in text Emacs printed of its
// own values (ReadLisp): prin1 writes a raw byte of a string as an
// octal escape and a character (a surrogate the Lisp reader made of
// "\ud83d", a JavaScript array's lone surrogate; fixtures jsfix_reader,
// surrogate_read) as itself.
func emacsChar(s string, chars bool) (n int, raw bool) {
	c := s[0]
	switch {
	case c < 0x80:
		return 1, false
	case c >= 0xc2 && c <= 0xdf:
		n = 2
	case c >= 0xe0 && c <= 0xef:
		n = 3
	case c >= 0xf0 && c <= 0xf7:
		n = 4
	case c == 0xf8:
		n = 5
	default:
		return 1, true
	}
	if len(s) < n {
		return 1, true
	}
	for i := 1; i < n; i++ {
		if s[i]&0xc0 != 0x80 {
			return 1, true
		}
	}
	switch c2 := s[1]; {
	case c == 0xe0 && c2 < 0xa0, c == 0xed && c2 >= 0xa0 && !chars, c == 0xf0 && c2 < 0x90, c == 0xf8 && c2 < 0x88:
		return 1, true
	}
	return n, false
}

// IsSurrogate reports whether s starts with a surrogate's three bytes:
// ED, A0-BF and a continuation byte.
func IsSurrogate(s string) bool {
	return len(s) >= 3 && s[0] == 0xed && s[1] >= 0xa0 && s[1] <= 0xbf && s[2]&0xc0 == 0x80
}

// HoldsSurrogate reports whether s holds a surrogate's bytes
// (IsSurrogate).
func HoldsSurrogate(s string) bool {
	for {
		i := strings.IndexByte(s, 0xed)
		if i < 0 {
			return false
		}
		if IsSurrogate(s[i:]) {
			return true
		}
		s = s[i+1:]
	}
}

// pastUnicode reports whether the character s starts with (emacsChar,
// not raw) is past U+10FFFF: a character of Emacs's that no Unicode
// coding system encodes.
func pastUnicode(s string) bool {
	c := s[0]
	return c == 0xf4 && s[1] >= 0x90 || c >= 0xf5
}

// Unencodable reports whether s, text a program printed, holds what
// utf-8-unix cannot encode as Emacs decodes it: a raw byte (emacsChar)
// or a character past U+10FFFF. Emacs asks for a coding system before
// it writes such text to a file (select-safe-coding-system). A
// surrogate is three raw bytes here: text a program printed holds no
// character of one (a value Emacs printed may: holdsRaw with chars).
func Unencodable(s string) bool { return holdsRaw(s, true, false) }

// holdsRaw reports whether s holds a raw byte (emacsChar, chars as
// there) or, with pastToo, a character past U+10FFFF (pastUnicode).
func holdsRaw(s string, pastToo, chars bool) bool {
	if utf8.ValidString(s) {
		return false
	}
	for k := 0; k < len(s); {
		n, raw := emacsChar(s[k:], chars)
		if raw || pastToo && pastUnicode(s[k:]) {
			return true
		}
		k += n
	}
	return false
}

// maxPyDepth bounds the nesting of a list read as a value: Python itself
// cannot print lists nested much deeper (its recursion limit is 1,000),
// and reading deeper would exhaust the reader's stack. A deeper value is
// kept as text.
const maxPyDepth = 1000

// parsePyList reads "[a, b, ...]" (or () / {}) of Python (or Ruby)
// literals as org-babel-script-escape turns them into Lisp and reads
// them: commas outside strings are blanks, any closing bracket closes,
// a string's backslash escapes are kept as that function keeps them
// ("\n" stays a backslash and an n), and what is neither a string nor a
// list is a Lisp atom up to the next blank, bracket or quote (so a dict's
// ":" and a Ruby hash's "=>1" are elements of their own); none is the
// literal for nothing.
func parsePyList(s, none string) ([]pyItem, string, bool) {
	return listReader{none: none}.list(s, 1)
}

// listReader reads a list as Babel reads a language's printed value:
// Python and Ruby through org-babel-script-escape, JavaScript (lisp set)
// after ob-js's rewriting, as the Lisp reader reads strings.
type listReader struct {
	none string
	lisp bool // strings read with the Lisp reader's escapes
}

// readSyntax is what a listReader reads a list by. openers and closers
// are the brackets that open and close a list: org-babel-script-escape
// makes each of Python's and Ruby's a parenthesis; ob-js rewrites square
// brackets only, and to the Lisp reader braces are part of a symbol
// (util.inspect's "{ a: 1 }" is the symbols {, a: and } and the number
// 1). blanks separate the elements: for Python and Ruby the commas too,
// which org-babel-script-escape makes blanks; ob-js has made each comma
// before a blank a blank, and to the Lisp reader another comma is no
// blank. ends are the characters besides blanks and brackets that end
// an atom: quotes and commas, and for the Lisp reader also # ; and `
// (Emacs 28's read1 ends a symbol at any of "';()[]#`,); its blanks are
// every character up to the space and the no-break space (isLispBlank).
type readSyntax struct{ openers, closers, blanks, ends string }

var (
	scriptSyntax = readSyntax{openers: "([{", closers: ")]}", blanks: " \t\n,", ends: ",\"'"}
	lispSyntax   = readSyntax{openers: "(", closers: ")", ends: "\"';#`,"} // blanks: isLispBlank
)

func (lr listReader) syntax() readSyntax {
	if lr.lisp {
		return lispSyntax
	}
	return scriptSyntax
}

// list reads a list opening at s[0], at nesting depth.
func (lr listReader) list(s string, depth int) ([]pyItem, string, bool) {
	if depth > maxPyDepth {
		return nil, "", false
	}
	s = s[1:]
	var items []pyItem
	for {
		if lr.lisp {
			s = trimLispBlanks(s)
		} else {
			s = strings.TrimLeft(s, lr.syntax().blanks)
		}
		if s == "" {
			return nil, "", false
		}
		if strings.IndexByte(lr.syntax().closers, s[0]) >= 0 {
			return items, s[1:], true
		}
		it, rest, ok := lr.atom(s, depth)
		if !ok {
			return nil, "", false
		}
		items = append(items, it)
		s = rest
	}
}

func (lr listReader) atom(s string, depth int) (pyItem, string, bool) {
	switch {
	case strings.IndexByte(lr.syntax().openers, s[0]) >= 0:
		items, rest, ok := lr.list(s, depth+1)
		return pyItem{list: items, isLst: true}, rest, ok
	case lr.lisp && strings.IndexByte("#;`,?'", s[0]) >= 0:
		// A reader macro, a comment, a character: Emacs reads them
		// (NeedsEmacs), or fails there ("#b/" is a bad binary
		// integer).
		return pyItem{}, "", false
	case lr.lisp && s[0] == '"':
		// The Lisp reader's string, with its escapes ("\x01", "\f").
		str, n, ok := lispStringAt(s)
		if !ok || !lispEscapesKnown(s[:n]) {
			return pyItem{}, "", false
		}
		return pyItem{text: str, str: true}, s[n:], true
	case s[0] == '\'' || s[0] == '"':
		q := s[0]
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				if i+1 >= len(s) {
					return pyItem{}, "", false
				}
				i++
				b.WriteString(lr.escape(q, s[i]))
			case q:
				// A string stays one where it reads as a number
				// ("007"): Babel reads it as a Lisp string.
				return pyItem{text: b.String(), str: true}, s[i+1:], true
			default:
				b.WriteByte(s[i])
			}
		}
		return pyItem{}, "", false
	}
	if lr.lisp {
		return lispReaderAtom(s)
	}
	n := 0
	syn := lr.syntax()
	for n < len(s) && strings.IndexByte(syn.blanks, s[n]) < 0 && strings.IndexByte(syn.ends, s[n]) < 0 &&
		strings.IndexByte(syn.openers, s[n]) < 0 && strings.IndexByte(syn.closers, s[n]) < 0 {
		n++
	}
	tok := s[:n]
	if tok == "" {
		return pyItem{}, "", false
	}
	if tok == lr.none {
		return pyItem{text: lr.none, none: true}, s[n:], true
	}
	if num, ok := lispNumber(tok); ok {
		return pyItem{text: num}, s[n:], true
	}
	return pyItem{text: tok, sym: true}, s[n:], true
}

// escape is what a backslash and c inside a string quoted by q read as.
// For Python and Ruby, org-babel--script-escape-inner's rewriting then
// the Lisp reader: an escaped quote of the string's own kind is the
// quote, an escaped backslash a backslash, an escaped double quote in a
// single-quoted string a backslash and the quote, anything else the
// backslash and the character.
func (lr listReader) escape(q, c byte) string {
	switch {
	case c == q, c == '\\':
		return string(c)
	case c == '"':
		return "\\\""
	}
	return "\\" + string(c)
}

func evaluateJS(raw string, rp []string) babelValue {
	if resultCondScalar(rp) {
		return babelValue{kind: valueString, str: raw}
	}
	if rest, ok := strings.CutPrefix(raw, "'"); ok {
		if rest = trimLispBlanks(rest); len(rest) < len(raw)-1 && rest != "" {
			// util.inspect of a string with leading blanks (' x ',
			// a no-break space, which it prints raw, included):
			// the Lisp reader skips the blanks after the quote and
			// reads the datum there, as if they were not. Text not
			// starting with a quote (output under :results output
			// table) goes to org-babel-read, which keeps it as it came.
			// No datum after the quote (JSReadError) is a read
			// error Emacs gives: NeedsEmacs sends such text to Emacs,
			// where the block fails.
			return evaluateJS("'"+rest, rp)
		}
	}
	if v, ok := jsLispForm(raw); ok {
		return v
	}
	if items, ok := jsArray(raw); ok {
		return pyTable(items)
	}
	// org-babel-read with evaluation: a quoted symbol reads as itself, a
	// "string" as its text, a number as a number.
	switch {
	case strings.HasPrefix(raw, "'\""):
		// A quoted string (util.inspect of '"nil"'): the string.
		if s, ok := readLispString(raw[1:]); ok {
			return babelValue{kind: valueString, str: s}
		}
	case strings.HasPrefix(raw, "'?"):
		// A character: its code (?' is 39, util.inspect's '?').
		if n, _, ok := readCharOrRadix(raw[1:]); ok {
			return babelValue{kind: valueString, str: strconv.FormatInt(n, 10), num: true}
		}
	case strings.HasPrefix(raw, "'##"):
		// The symbol of no name, which %S prints ## (princ nothing).
		return babelValue{kind: valueString, str: "##"}
	case strings.HasPrefix(raw, "'"):
		// The symbol, as insert-result prints it (%S); a token that
		// reads as a number is that number, and nil (util.inspect of
		// "nil") is nil: no value (escaped or not, the name is nil's).
		tok := readSymbol(raw[1:])
		if tok == "nil" {
			return babelValue{kind: valueNone}
		}
		if n, ok, _ := readerNumber(tok); ok && !strings.Contains(raw[1:1+len(tok)], "\\") {
			return babelValue{kind: valueString, str: n, num: true}
		}
		// A table's one cell is princ'd: the name itself.
		return babelValue{kind: valueString, str: printSymbol(tok), cell: tok}
	case strings.HasPrefix(raw, "\""):
		if s, ok := readLispString(raw); ok {
			return babelValue{kind: valueString, str: s}
		}
	}
	if n, ok := lispNumber(raw); ok {
		return babelValue{kind: valueString, str: n, num: true}
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
	t, scalar, isScalar, num := newTextTable(raw, "tab")
	switch {
	case isScalar:
		return babelValue{kind: valueString, str: scalar, num: num}
	case t == nil:
		return babelValue{kind: valueNone}
	}
	return babelValue{kind: valueTable, text: t}
}

// readSymbol is the name of the symbol the Lisp reader reads at the start
// of s: up to a blank or a delimiter, a backslash quoting the next
// character.
func readSymbol(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			b.WriteByte(s[i])
			continue
		}
		if c <= ' ' || strings.IndexByte("'\"()[];,`#", c) >= 0 || strings.HasPrefix(s[i:], "\u00a0") {
			break // a blank (the no-break space too) or a delimiter
		}
		b.WriteByte(c)
	}
	return b.String()
}

// printSymbol is prin1 of a symbol named name (Emacs 28): a backslash
// before each character the reader would take otherwise, and before a
// name that reads as a number.
func printSymbol(name string) string {
	var b strings.Builder
	if _, num := lispNumber(name); num {
		b.WriteByte('\\')
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || strings.IndexByte("\"\\';#()[],.`?", c) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// UnencodableScan tells, from pieces of a text read in turn, whether the
// whole holds what utf-8-unix cannot encode (Unencodable), holding back
// across each cut the bytes of a sequence it may split.
type UnencodableScan struct {
	carry []byte
	found bool
}

// Add reads the next piece of the text.
func (u *UnencodableScan) Add(p []byte) {
	if u.found {
		return
	}
	s := append(u.carry, p...)
	// Cut before the last byte that begins a character (no
	// continuation byte): the text decodes from there as it does whole.
	cut := len(s)
	for i := len(s) - 1; i >= 0 && i >= len(s)-8; i-- {
		if s[i]&0xC0 != 0x80 {
			cut = i
			break
		}
	}
	u.found = Unencodable(string(s[:cut]))
	u.carry = append([]byte(nil), s[cut:]...)
}

// Found reports whether the text read so far, the bytes held back
// included (its end), holds what utf-8-unix cannot encode.
func (u *UnencodableScan) Found() bool {
	return u.found || Unencodable(string(u.carry))
}
