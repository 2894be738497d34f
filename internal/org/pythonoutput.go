package org

import "strings"

// This file reads a Python block's output under :results output table
// where ob-python's org-babel-python-table-or-string, through
// org-babel-script-escape, has org-babel-read evaluate it: trimmed text
// that starts with ( ' ` or [ and is not between brackets. Borges
// evaluates the forms whose value it knows (evaluateLispForm); the others
// Emacs reads (NeedsEmacs). A None element of a list is a rule.

// pythonForm is the text of raw, output or value (ob-python reads both
// alike), that org-babel-read evaluates, under result params rp; ok is
// false when it evaluates none.
func pythonForm(raw string, rp []string) (string, bool) {
	if resultCondScalar(rp) {
		return "", false
	}
	s := orgTrim(raw)
	if s == "" || !strings.ContainsRune("('`[", rune(s[0])) || scriptDelimited(s) {
		return "", false
	}
	return s, true
}

// isPythonNone reports whether an element of a list is what ob-python
// makes a rule: the symbol None.
func isPythonNone(d lispDatum) bool { return d.kind == lispSym && d.text == "None" }
