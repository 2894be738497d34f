package org

// ScriptEscapeError is the error org-babel--script-escape-inner signals
// turning a Python or Ruby value between brackets into Lisp: a backslash
// outside a string. org-babel-script-escape does not catch it (only
// org-babel-read's errors), so org-babel-execute-buffer stops at the
// block, writing nothing.
const ScriptEscapeError = "Can’t handle backslash outside string in ‘org-babel-script-escape’"

// ScriptEscapeFails reports whether org-babel-script-escape signals
// ScriptEscapeError reading raw, a Python or Ruby block's value or output
// under :results results: text of more than two characters between a
// pair of brackets ((), [], {}), org-trimmed for Python (ob-python trims
// it), as it came for Ruby, with a backslash outside a string, as
// org-babel--script-escape-inner tells strings: a single or double quote
// opens one the same quote closes, a backslash inside one takes the
// character after it. Never for other readers, nor under :results that
// org-babel-result-cond keeps as text.
func (r Reader) ScriptEscapeFails(raw, results string) bool {
	if r != ReadPython && r != ReadRuby || resultCondScalar(splitString(results)) {
		return false
	}
	s := raw
	if r == ReadPython {
		s = orgTrim(raw)
	}
	if len(s) <= 2 {
		return false
	}
	if first, last := s[0], s[len(s)-1]; !(first == '[' && last == ']' || first == '{' && last == '}' || first == '(' && last == ')') {
		return false
	}
	inSingle, inDouble, escaped := false, false, false
	for i := 0; i < len(s); i++ {
		if escaped {
			escaped = false
			continue
		}
		switch s[i] {
		case '\'':
			if !inDouble {
				inSingle = !inSingle
			}
		case '"':
			if !inSingle {
				inDouble = !inDouble
			}
		case '\\':
			if !inSingle && !inDouble {
				return true
			}
			escaped = true
		}
	}
	return false
}
