package org

import "strings"

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
// value (evaluateLispForm); ok is false for any other result. ob-js makes
// no element of a list a rule.
func jsLispForm(raw string) (babelValue, bool) {
	if !startsJSForm(raw) {
		return babelValue{}, false
	}
	return evaluateLispForm(raw, func(lispDatum) bool { return false })
}

// jsReadsNothing reports whether org-babel-read of raw, a quote and then
// only blanks, quotes and a ; comment running to the end (util.inspect of
// '   ' or of '  ;x'), finds no datum after the quote: the Lisp reader
// signals "End of file during parsing", which ob-js does not catch, and
// org-babel-execute-buffer stops there.
func jsReadsNothing(raw string) bool {
	rest, ok := strings.CutPrefix(raw, "'")
	if !ok {
		return false
	}
	// Each turn takes at least one byte off rest.
	for {
		rest = strings.TrimLeft(rest, " \t\n\r\f")
		switch {
		case rest == "":
			return true
		case rest[0] == '\'':
			rest = rest[1:]
		case rest[0] == ';':
			_, after, found := strings.Cut(rest, "\n")
			if !found {
				return true
			}
			rest = after
		default:
			return false
		}
	}
}

// JSReadError is the error org-babel-execute-buffer stops with reading
// raw, a JavaScript block's value, when the Lisp reader finds nothing
// after its quote (jsReadsNothing); ok is false for any other value.
func JSReadError(raw string) (msg string, ok bool) {
	if !jsReadsNothing(raw) {
		return "", false
	}
	return "End of file during parsing", true
}
