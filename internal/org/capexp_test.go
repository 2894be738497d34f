package org

import "testing"

// TestReadNumberCapitalExponent: org-babel--string-to-number tests its
// pattern [0-9e.+ -] under case-fold-search, and the Lisp reader takes
// E for an exponent as it takes e: "1E3" is the float 1000.0, through
// :var, table cells and values read back alike; a lone E stays text.
func TestReadNumberCapitalExponent(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"1E3", "1000.0", true},
		{"1E+3", "1000.0", true},
		{"2.5E-1", "0.25", true},
		{"-1E2", "-100.0", true},
		{"1.E1", "10.0", true},
		{".5E1", "5.0", true},
		{"E", "", false},
		{"1E", "", false},
		{"1e", "", false},
	} {
		got, ok := ReadNumber(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ReadNumber(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
		if got, ok := babelStringNumber(c.in); ok != c.ok || got != c.want {
			t.Errorf("babelStringNumber(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
