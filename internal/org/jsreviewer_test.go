package org

import (
	"reflect"
	"testing"
)

// TestJSReviewerValues: the values a reviewer found Borges reading
// otherwise than org-babel-js-read in an Org buffer (each checked with
// emacs --batch, org-mode's syntax table: ",[[:space:]]" matches a
// comma and a newline, and the no-break space): util.inspect's text of
// a no-break space in a list, a backslash before a dot, a comma and a
// dot, an array printed over several lines. The hunt16_jsread_reviewer
// fixture runs the same values through Emacs.
func TestJSReviewerValues(t *testing.T) {
	for _, c := range []struct {
		raw   string
		str   string     // a scalar's text, as written
		rows  [][]string // a table's cells
		needs bool       // Emacs reads it (the reader fails)
	}{
		{raw: "[ 'a\u00a0b', 'c' ]", rows: [][]string{{"a\u00a0b", "c"}}},
		{raw: "[ 'x', '\u00a0lead', 'trail\u00a0' ]", rows: [][]string{{"x", "\u00a0lead", "trail\u00a0"}}},
		{raw: "[ Symbol(p\u00a0q), 'r' ]", rows: [][]string{{"Symbol", "(p q)", "r"}}},
		{raw: "[\n  'a\u00a00', 'a\u00a01',\n  'a\u00a02'\n]", rows: [][]string{{"a\u00a00", "a\u00a01", "a\u00a02"}}},
		{raw: `'\\.0'`, str: `\\\.0`},
		{raw: `'\\0'`, str: `\\0`},
		{raw: `[ '\\.0', '\\1', 'a\\.b' ]`, rows: [][]string{{`\.0`, `\1`, `a\.b`}}},
		{raw: "[ ', .', 'a, .b' ]", rows: [][]string{{" .", "a .b"}}},
		{raw: "',.x'", rows: [][]string{{",", ".x"}}},
		{raw: "', .'", needs: true},
		{raw: "'(a , . b)'", needs: true},
		{raw: "[\n  -7, -4, -1,  2,\n  20, 23\n]", rows: [][]string{{"-7", "-4", "-1", "2", "20", "23"}}},
		{raw: "[\n  [ 0, 0, 'r0' ],\n  [ 1, 0.25, 'r1' ]\n]", rows: [][]string{{"0", "0", "r0"}, {"1", "0.25", "r1"}}},
	} {
		if got := ReadJS.NeedsEmacs(c.raw, ""); got != c.needs {
			t.Errorf("NeedsEmacs(%q) = %v, want %v", c.raw, got, c.needs)
			continue
		}
		if c.needs {
			continue
		}
		v := evaluateJS(c.raw, nil)
		if c.rows != nil {
			if !reflect.DeepEqual(v.rows(), c.rows) {
				t.Errorf("evaluateJS(%q) rows %q, want %q", c.raw, v.rows(), c.rows)
			}
			continue
		}
		if v.str != c.str {
			t.Errorf("evaluateJS(%q) = %q, want %q", c.raw, v.str, c.str)
		}
	}
}
