package org

import "strings"

// This file says which results only Emacs can read as their language's
// Babel reads them: ob-ruby and ob-python hand a block's value, and its
// output under :results output table, to org-babel-script-escape, whose
// org-babel-read evaluates text starting with ( ' ` or [ as Lisp; ob-js's
// org-babel-js-read hands its result to org-babel-read too. (ob-shell and
// ob-perl read tables with org-babel-string-read, which evaluates
// nothing.) Borges reads the forms
// whose value it knows exactly (evalLispDatum); a call of a Lisp
// function, a backquote holding commas, is evaluated by Emacs, in a task
// of its own on the backend (never in the server), and only when the
// output holds one.

// MayNeedEmacs reports whether a result that r reads under the :results
// value results can hold a Lisp form that only Emacs evaluates: Ruby's,
// Python's and JavaScript's value, or output under :results output
// table, written somewhere.
func (r Reader) MayNeedEmacs(results string) bool {
	rp := splitString(results)
	return (r == ReadRuby || r == ReadPython || r == ReadJS) && !resultCondScalar(rp) &&
		!hasWord(rp, "none") && !hasWord(rp, "silent")
}

// ReadsUnwritten reports whether r's Babel reads a value it writes
// nowhere under the :results value results: ob-js's
// org-babel-result-cond reads it under :results silent as under any
// other (only none skips the read), and the reader's error stops the
// document there too.
func (r Reader) ReadsUnwritten(results string) bool {
	rp := splitString(results)
	return r == ReadJS && hasWord(rp, "silent") && !resultCondScalar(rp) && !hasWord(rp, "none")
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
		if scriptDelimited(raw) || !hasWord(rp, "output") && !startsLispForm(raw) {
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
	case ReadJS:
		if _, fails := JSReadError(raw); fails {
			// org-babel-read's (read cell) signals an error, which
			// ob-js does not catch: the block fails there, in Emacs.
			return true
		}
		if !jsQuotedKnown(raw) {
			return true
		}
		if isJSArray(raw) {
			_, known := jsArray(raw)
			return !known
		}
		_, known := jsLispForm(raw)
		return startsJSForm(raw) && !known
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

// startsLispForm reports whether org-babel-read evaluates text: it
// starts with ( ' ` or [.
func startsLispForm(s string) bool { return s != "" && strings.ContainsRune("('`[", rune(s[0])) }

// ResultCondScalar reports whether org-babel-result-cond keeps a block's
// result, under its :results, as text: the language's reading is skipped.
func ResultCondScalar(args Args) bool {
	v, _ := args.Get("results")
	return resultCondScalar(splitString(v))
}
