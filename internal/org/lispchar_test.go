package org

import "testing"

// TestConcatCharsReadSyntax: a :cmdline vector or list of characters in
// the reader's ? and # syntaxes is the string of those characters, as
// (concat " " cmdline) makes it; text the reader reads otherwise, or
// that Borges does not read, is left unread.
func TestConcatCharsReadSyntax(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{`[?a ?b]`, "ab", true},
		{`[#x61 ?\s #o142 #b1100011]`, "a bc", true},
		{`(?x ?\t ?\C-a ?\^b ?é ?\e ?\d ?\x41 ?\u00e9 ?\101 ?\( ?\C-?)`, "x\t\x01\x02é\x1b\x7fAéA(\x7f", true},
		{`[#24r41 #X-0]`, "a\x00", true},
		{`[?ab]`, "", false},
		{`[?\M-a]`, "", false},
		{`[?\s-a]`, "", false},
		{`[?\N{LATIN SMALL LETTER A}]`, "", false},
		{`[#'f]`, "", false},
		{`[#xg]`, "", false},
		// Emacs: "Invalid escape character syntax" (a modifier's
		// letter needs its -).
		{`[?\C]`, "", false},
		{`[?\M]`, "", false},
		{`[?\S]`, "", false},
		{`[?\H]`, "", false},
		{`[?\A]`, "", false},
		{`[?\Ca]`, "", false},
		// Emacs: "integer, radix 16" (one sign only).
		{`[#x++5]`, "", false},
		{`[#x+-5]`, "", false},
		{`[#x-+5]`, "", false},
		{`[#x--5]`, "", false},
		{`[#x+5 #x-0]`, "\x05\x00", true},
	} {
		got, stop, ok := ConcatChars(c.in)
		if ok != c.ok || got != c.want || stop != "" {
			t.Errorf("ConcatChars(%s) = %q, %q, %v; want %q, \"\", %v", c.in, got, stop, ok, c.want, c.ok)
		}
	}
}
