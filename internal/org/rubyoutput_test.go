package org

import (
	"strings"
	"testing"
)

// TestRubyOutputTable reads Ruby output under :results output table as
// ob-ruby does (what Emacs wrote for these is in the plan package's
// ruby.org differential fixture); here the reader's own edges.
func TestRubyOutputTable(t *testing.T) {
	rp := []string{"replace", "output", "table"}
	cases := []struct {
		name, raw string
		kind      int
		str       string
		known     bool
	}{
		{"vector with commas", "[1, 2]\n", valueString, `[1 (\, 2)]`, true},
		{"quoted symbol", "'foo\n", valueString, "foo", true},
		{"comment before the form", "'(;c\n)\n", valueNone, "", true},
		{"unterminated vector", "[1, 2\n", valueString, "[1, 2\n", true},
		{"number", "42\n", valueString, "42", true},
		{"list headed by a number", "(1 2)\n", valueString, "(1 2)\n", true},
		{"void variable", "foo bar\n", valueString, "foo bar\n", true},
		{"backquote with commas", "`(1 ,x)\n", 0, "", false},
		{"a call", "(+ 1 2)\n", 0, "", false},
		{"too deep", strings.Repeat("[", 2*maxRubyOutputDepth) + "\n", valueString, strings.Repeat("[", 2*maxRubyOutputDepth) + "\n", true},
		{"delimited: read as a value", "[1, 2]", 0, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, known := evaluateRubyOutput(c.raw, rp)
			if known != c.known {
				t.Fatalf("known = %v, want %v", known, c.known)
			}
			if known && (v.kind != c.kind || v.str != c.str) {
				t.Fatalf("got kind %d %q, want kind %d %q", v.kind, v.str, c.kind, c.str)
			}
		})
	}
}
