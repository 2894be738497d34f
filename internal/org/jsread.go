package org

import (
	"strconv"
	"strings"
)

// This file reads what org-babel-js-read evaluates: a result (a value as
// util.inspect prints it, or output under :results output table) that is
// not between brackets, starting with ( ` [ or a quote before one of
// them, goes to org-babel-read, which evaluates it as Lisp (console.log
// of "(+ 1 2)" gives 3). A quote before a symbol or a number, ob-js's
// usual string, evaluateJS reads itself.

// startsJSForm reports whether org-babel-js-read evaluates raw as a Lisp
// form that evaluateJS does not read itself.
func startsJSForm(raw string) bool {
	if raw == "" || strings.HasPrefix(raw, "[") && strings.HasSuffix(raw, "]") {
		return false
	}
	switch raw[0] {
	case '(', '`', '[':
		return true
	case '\'':
		return len(raw) > 1 && strings.ContainsRune("('`[,", rune(raw[1]))
	}
	return false
}

// jsLispForm is org-babel-read of such a result, when Borges knows its
// value (evaluateLispForm); ok is false for any other result, and for
// text Borges does not read whole or whose evaluation fails: ob-js
// catches no error, and Emacs's reader may read what Borges's does not
// ('(. a) is a), so Emacs reads it (NeedsEmacs). ob-js makes no element
// of a list a rule.
func jsLispForm(raw string) (babelValue, bool) {
	if !startsJSForm(raw) {
		return babelValue{}, false
	}
	d, _, ok := readLispDatum(raw, 0)
	if !ok {
		return babelValue{}, false
	}
	val, err, known := evalLispDatum(d)
	if err || !known {
		return babelValue{}, false
	}
	return scriptTableOrString(val, func(lispDatum) bool { return false }), true
}

// JSReadError is the error org-babel-execute-buffer stops with reading
// raw, a JavaScript block's value, when the Lisp reader fails reading
// the one datum after its quote (lispReadFails: nothing there but
// blanks, quotes and a comment, as util.inspect prints '   ' or '  ;x',
// a list or string left open, a closing parenthesis, an empty #x) or an
// array left open (jsArrayEndsOpen); ok is false for
// any other value, and for one Borges does not know the reader fails
// on.
func JSReadError(raw string) (msg string, ok bool) {
	if rest, quoted := strings.CutPrefix(raw, "'"); quoted {
		if msg, ok := lispReadFails(rest); ok {
			return msg, true
		}
	}
	if !jsArrayEndsOpen(raw) {
		return "", false
	}
	// The reader may fail before the end, at a datum a string left
	// open lets it read as code ("it's" and then '#x': radix 16). Read
	// only up to jsReadErrorBound: the caller may hold a lock (the
	// engine's), and the rewrite and read cost some 10 to 30 times
	// jsArrayEndsOpen (BenchmarkJSReadErrorRatio); a longer array stops all the same, with End of
	// file.
	if len(raw) > jsReadErrorBound {
		return eofDuringParsing, true
	}
	if msg, ok := lispReadFails(jsArrayLisp(raw)); ok {
		return msg, true
	}
	return eofDuringParsing, true
}

// jsReadErrorBound is the length of the longest array left open whose
// datum the reader fails at JSReadError names (64 KiB); a longer one
// it stops with End of file.
const jsReadErrorBound = 64 << 10

// jsArrayLisp is the Lisp text org-babel-js-read reads for raw, an
// array: single quotes made double, a comma and a blank made a blank,
// brackets made parentheses.
func jsArrayLisp(raw string) string {
	lisp := strings.ReplaceAll(raw, "'", "\"")
	lisp = jsCommaBlank.ReplaceAllString(lisp, " ")
	return strings.NewReplacer("]", ")", "[", "(").Replace(lisp)
}

// jsQuotedKnown reports whether evaluateJS reads raw as Emacs 28's
// reader reads the datum after its quote, where raw is a quote and then
// no Lisp form (startsJSForm), as util.inspect prints a string: a symbol,
// a number or a "string" whose escapes Borges knows (lispEscapesKnown).
// It does for a character evaluateJS reads (readCharOrRadix: ?x is 120,
// ?' 39), ## (the symbol of no name), a name the reader ends at a
// no-break space ('a\u00a0b' is a), and a name or a number starting
// with a dot (./run.sh, .5; a dot alone fails: JSReadError); not for
// another datum starting with ? or # (#x10 16, #'a a list, #s(a) a
// record) or ; (a comment, the datum after it read), nor for a name with
// an escaped no-break space in it (prin1 escapes it): Emacs reads those
// (NeedsEmacs). It is true for any other raw, read elsewhere.
func jsQuotedKnown(raw string) bool {
	rest, ok := strings.CutPrefix(raw, "'")
	if !ok {
		return true
	}
	if rest = trimLispBlanks(rest); rest == "" || startsJSForm("'"+rest) {
		return true
	}
	switch rest[0] {
	case '?':
		// A character, or a reader's error after it (?ab):
		// lispReadOne knows both, or leaves it to Emacs.
		_, st, _ := lispReadOne(rest)
		return st != readUnknown
	case '#':
		return strings.HasPrefix(rest, "##")
	case ';':
		return false
	case '"':
		after, st, _ := lispReadOne(rest)
		return st != readsDatum || lispEscapesKnown(rest[:len(rest)-len(after)])
	}
	n := 0
	for n < len(rest) && rest[n] > ' ' && strings.IndexByte("\"';()[]#`,", rest[n]) < 0 {
		switch {
		case rest[n] == '\\':
			if n++; strings.HasPrefix(rest[n:], "\u00a0") {
				return false // in the name, escaped by prin1
			}
		case strings.HasPrefix(rest[n:], "\u00a0"):
			return true // the reader ends the name there (readSymbol)
		}
		n++
	}
	return true
}

// jsArrayEndsOpen reports whether an array as org-babel-js-read rewrites
// it (jsArray: every quote a double quote, brackets parentheses) leaves
// the Lisp reader inside a string or a list at its end (["'"] reads as
// ( """ ), a string left open): the reader signals "End of file during
// parsing", as it does under :results silent too, and
// org-babel-execute-buffer stops there. A backslash takes the next
// character, in a string or out of one; "?" starting a datum reads the
// character after it (?" is no string); a ";" outside strings comments
// out the rest of its line. The reader stops at the list's end.
func jsArrayEndsOpen(raw string) bool {
	if !isJSArray(raw) {
		return false
	}
	lisp := strings.NewReplacer("'", "\"", "]", ")", "[", "(").Replace(raw)
	depth, in := 0, false
	// Each turn takes one byte at least.
	for i := 0; i < len(lisp); i++ {
		c := lisp[i]
		switch {
		case c == '\\':
			i++
		case in:
			in = c != '"'
		case c == '"':
			in = true
		case c == '(':
			depth++
		case c == ')':
			if depth--; depth == 0 {
				return false // the datum read: the rest is not
			}
		case c == ';':
			for i+1 < len(lisp) && lisp[i+1] != '\n' {
				i++
			}
		case c == '?' && (i == 0 || strings.IndexByte(" \t\n\r\f()\"", lisp[i-1]) >= 0):
			if i+1 < len(lisp) && lisp[i+1] == '\\' {
				i++
			}
			i++
		}
	}
	return in || depth > 0
}

// isJSArray reports whether org-babel-js-read rewrites raw and reads it
// as a list: it starts with [ and ends with ].
func isJSArray(raw string) bool {
	return strings.HasPrefix(raw, "[") && strings.HasSuffix(raw, "]")
}

// jsArray reads an array as org-babel-js-read does: quotes become
// double quotes, a comma and a blank a blank, brackets parentheses —
// inside strings too — and the Lisp reader reads the rest. ok is false
// for text that is no array, or that Borges cannot read whole (a string
// of both quote kinds, `both ' and "`, leaves a string open): Emacs
// reads that (NeedsEmacs), and where its reader fails the block fails.
func jsArray(raw string) ([]pyItem, bool) {
	if !isJSArray(raw) {
		return nil, false
	}
	lisp := jsArrayLisp(raw)
	items, rest, ok := (listReader{lisp: true}).list(lisp, 1)
	return items, ok && strings.TrimSpace(rest) == ""
}

// isLispBlank reports whether s starts with a character Emacs 28's
// read1 skips between data and ends a symbol at: any character up to
// the space, and the no-break space.
func isLispBlank(s string) bool {
	return s[0] <= ' ' || strings.HasPrefix(s, "\u00a0")
}

// trimLispBlanks is s without the blanks (isLispBlank) it starts with.
func trimLispBlanks(s string) string {
	for s != "" && isLispBlank(s) {
		if s[0] <= ' ' {
			s = s[1:]
		} else {
			s = s[len("\u00a0"):]
		}
	}
	return s
}

// lispReaderAtom reads a number or a symbol at the start of s as Emacs
// 28's read1 does: up to a blank or one of "';()[]#`, — a backslash
// takes the next character, whatever it is, into the name (util.inspect
// prints a regular expression's source raw: /\d+/ is the symbol /d+/),
// and a token with a backslash in it is a symbol, never a number (\1).
func lispReaderAtom(s string) (pyItem, string, bool) {
	if isLoneDot(s) {
		// A dot alone: a dotted pair's, or the reader fails (". in
		// wrong context"). Emacs reads it.
		return pyItem{}, "", false
	}
	n := 0
	for n < len(s) && !isLispBlank(s[n:]) && strings.IndexByte("\"';()[]#`,", s[n]) < 0 {
		if s[n] == '\\' {
			if n++; n == len(s) {
				return pyItem{}, "", false // End of file during parsing
			}
		}
		n++
	}
	tok := s[:n]
	if tok == "" {
		return pyItem{}, "", false
	}
	name, escaped := ReadSymbol(tok)
	if num, ok := lispNumber(tok); ok && !escaped {
		return pyItem{text: num}, s[n:], true
	}
	return pyItem{text: name, sym: true}, s[n:], true
}

// lispEscapesKnown reports whether readLispString gives of lit, a string
// literal, the text Emacs 28's reader gives. It does not for a \x of one
// or two hex digits from 80 or an octal escape from 200 (a raw byte), a
// \x with no digit, a character past U+10FFFF or a surrogate (\x, \u,
// \U), a \u or \U short of its digits or a number past U+10FFFF (the
// reader fails: "Invalid modifier in string", "Hex character out of
// range"), a named character (\N{...}) or a modifier (\C-, \M-, \^,
// \S-, \H-, \A-, \s-): Emacs reads those.
func lispEscapesKnown(lit string) bool {
	for i := 0; i+1 < len(lit); i++ {
		if lit[i] != '\\' {
			continue
		}
		i++
		e := lit[i]
		digits, max := 0, 0
		switch {
		case e == 'x':
			max = 9 // past 8 digits is past U+10FFFF
		case e == 'u':
			digits, max = 4, 4
		case e == 'U':
			digits, max = 8, 8
		case e >= '0' && e <= '7':
			n := 0
			for j := i; j < len(lit) && j < i+3 && lit[j] >= '0' && lit[j] <= '7'; j++ {
				n = n*8 + int(lit[j]-'0')
			}
			if n >= 0o200 {
				return false
			}
			continue
		case strings.IndexByte("NCMSHA^", e) >= 0, e == 's' && i+1 < len(lit) && lit[i+1] == '-':
			return false
		default:
			continue
		}
		j := i + 1
		for j < len(lit) && j < i+1+max && isHex(lit[j]) {
			j++
		}
		n, _ := strconv.ParseUint(lit[i+1:j], 16, 64)
		switch {
		case j == i+1, digits > 0 && j-i-1 != digits, j-i-1 > 8,
			e == 'x' && j-i-1 < 3 && n >= 0x80,
			n > 0x10ffff, n >= 0xd800 && n <= 0xdfff:
			return false
		}
		i = j - 1
	}
	return true
}
