package org

import "strings"

// This file says which results only Emacs can read as their language's
// Babel reads them: ob-ruby and ob-python hand a block's output under
// :results output table to org-babel-script-escape, whose org-babel-read
// evaluates text starting with ( ' ` or [ as Lisp. Borges reads the forms
// whose value it knows exactly (evalLispDatum); a call of a Lisp
// function, a backquote holding commas, is evaluated by Emacs, in a task
// of its own on the backend (never in the server), and only when the
// output holds one.

// MayNeedEmacs reports whether a result that r reads under the :results
// value results can hold a Lisp form that only Emacs evaluates: Ruby's
// and Python's output under :results output table, written somewhere.
func (r Reader) MayNeedEmacs(results string) bool {
	rp := splitString(results)
	return (r == ReadRuby || r == ReadPython) && hasWord(rp, "output") && !resultCondScalar(rp) &&
		!hasWord(rp, "none") && !hasWord(rp, "silent")
}

// NeedsEmacs reports whether raw, a result that r reads under the
// :results value results, is a Lisp form that its language's Babel
// evaluates and Borges cannot: Emacs must read it.
func (r Reader) NeedsEmacs(raw, results string) bool {
	if !r.MayNeedEmacs(results) {
		return false
	}
	rp := splitString(results)
	switch r {
	case ReadRuby:
		if scriptDelimited(raw) {
			return false
		}
		_, known := evaluateRubyOutput(raw, rp)
		return !known
	case ReadPython:
		s, ok := pythonForm(raw, rp)
		if !ok {
			return false
		}
		_, known := evaluateLispForm(s, isPythonNone)
		return !known
	}
	return false
}

// LispString reads raw, a value Emacs printed, as a string literal whole;
// ok is false for any other value.
func LispString(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if !strings.HasPrefix(s, `"`) {
		return "", false
	}
	str, n, ok := lispStringAt(s)
	if !ok || n != len(s) {
		return "", false
	}
	return str, true
}
