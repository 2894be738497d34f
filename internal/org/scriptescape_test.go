package org

import "testing"

// TestScriptEscapeFails: a backslash outside a string in a Python or Ruby
// value between brackets is org-babel-script-escape's error; inside a
// string, in text not between brackets, or under :results verbatim it is
// not.
func TestScriptEscapeFails(t *testing.T) {
	for _, c := range []struct {
		name    string
		r       Reader
		raw     string
		results string
		want    bool
	}{
		{"outside a string", ReadPython, `(a x\,y)`, "replace", true},
		{"python trimmed", ReadPython, "  [a\\b]\n", "replace", true},
		{"ruby untrimmed", ReadRuby, "[a\\b]\n", "replace", false},
		{"ruby", ReadRuby, `[a\b]`, "replace", true},
		{"braces", ReadPython, `{a\b}`, "replace", true},
		{"inside double quotes", ReadPython, `["a\"b", 1]`, "replace", false},
		{"inside single quotes", ReadPython, `['a\'b', 1]`, "replace", false},
		{"after a string", ReadPython, `["a\\", \x]`, "replace", true},
		{"double quote inside single", ReadPython, `['"', \x]`, "replace", true},
		{"not between brackets", ReadPython, `a\b`, "replace", false},
		{"three characters", ReadPython, `[\]`, "replace", true},
		{"verbatim", ReadPython, `(a x\,y)`, "verbatim", false},
		{"javascript", ReadJS, `(a x\,y)`, "replace", false},
	} {
		if got := c.r.ScriptEscapeFails(c.raw, c.results); got != c.want {
			t.Errorf("%s: ScriptEscapeFails(%q, %q) = %v, want %v", c.name, c.raw, c.results, got, c.want)
		}
	}
}
