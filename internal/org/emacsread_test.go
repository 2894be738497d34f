package org

import "testing"

// TestNeedsEmacs: only Ruby output under :results output table that is
// a form Borges cannot evaluate needs Emacs to read it.
func TestNeedsEmacs(t *testing.T) {
	cases := []struct {
		name    string
		r       Reader
		raw     string
		results string
		want    bool
	}{
		{"a call", ReadRuby, "(+ 1 2)\n", "output table", true},
		{"a backquote with commas", ReadRuby, "`(1 ,x)\n", "replace output table", true},
		{"a call after a quote", ReadRuby, "'(1 2) (+ 1 2)\n", "output table", false},
		{"a quoted list", ReadRuby, "'(1 2)\n", "output table", false},
		{"a backquote without commas", ReadRuby, "`(1 2)\n", "output table", false},
		{"a number", ReadRuby, "42\n", "output table", false},
		{"text", ReadRuby, "foo bar\n", "output table", false},
		{"delimited: read, not evaluated", ReadRuby, "(+ 1 2)", "output table", false},
		{"a read error", ReadRuby, "(+ 1\n", "output table", false},
		{"output kept as text", ReadRuby, "(+ 1 2)\n", "output", false},
		{"verbatim", ReadRuby, "(+ 1 2)\n", "output table verbatim", false},
		{"silent", ReadRuby, "(+ 1 2)\n", "output table silent", false},
		{"a value", ReadRuby, "(+ 1 2)\n", "value table", false},
		{"python: delimited once trimmed", ReadPython, "(+ 1 2)\n", "output table", false},
		{"python: a call before text", ReadPython, "(+ 1 2) x\n", "output table", true},
		{"python: a backquote with commas", ReadPython, " `(1 ,x)\n", "output table", true},
		{"python: a quoted list", ReadPython, "'(1 None)\n", "output table", false},
		{"python: a value", ReadPython, "'(1 ,x)\n", "value", false},
		{"perl", ReadPerl, "(+ 1 2) x\n", "output table", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.r.NeedsEmacs(c.raw, c.results); got != c.want {
				t.Fatalf("NeedsEmacs(%q, %q) = %v, want %v", c.raw, c.results, got, c.want)
			}
		})
	}
}
