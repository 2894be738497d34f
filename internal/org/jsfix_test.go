package org

import "testing"

// TestJSArrayLispReader: an array util.inspect printed, read as
// org-babel-js-read reads it (Emacs 28's Lisp reader after ob-js's
// rewriting): each element as %S prints it; ok false where only Emacs
// reads it (NeedsEmacs).
func TestJSArrayLispReader(t *testing.T) {
	// Escapes Emacs reads its own way: a raw byte (two hex digits from
	// 80, an octal escape from 200), a character past U+10FFFF, a
	// surrogate, a modifier or a hex number out of range (the reader
	// fails), a named character, a modifier.
	for _, raw := range []string{
		`[ '\x85' ]`,         // a C1 control
		`[ 'x\x9fy' ]`,       // a C1 control among text
		`[ "\205" ]`,         // an octal raw byte
		`[ '\x1fffff' ]`,     // past U+10FFFF
		`[ '\ud83d' ]`,       // a lone surrogate
		`[ "\U0000dc00" ]`,   // a surrogate of eight digits
		`[ '\x01abcdef' ]`,   // a modifier
		`[ '\x01deadbeef' ]`, // out of range
		`[ "\u12" ]`,         // a short unicode escape
		`[ "\x" ]`,           // a lone x
		`[ "\N{U+41}" ]`,     // a named character
		`[ "\C-a" ]`,         // a control modifier
	} {
		if items, ok := jsArray(raw); ok {
			t.Errorf("jsArray(%q) read %d items, want none (Emacs reads it)", raw, len(items))
		}
	}
	cases := []struct {
		name, raw string
		want      []string // %S of each element; nil: not read (NeedsEmacs)
	}{
		// A backslash in a symbol quotes the next character, which
		// then neither ends the symbol nor opens a list; a symbol with
		// one is never a number.
		{"escapes in a regular expression", `[ /\d+/, /\(x\)/ ]`, []string{"/d+/", `/\(x\)/`}},
		{"an escaped digit", `[ /\1/, \1 ]`, []string{"/1/", `\1`}},
		{"escaped slashes", `[ /\//, /\\/ ]`, []string{"///", `/\\/`}},
		{"an escaped blank", `[ a\ b ]`, []string{`a\ b`}},
		{"a backslash at the end", `[ a\`, nil},
		// ob-js's ",[[:space:]]" in the Org buffer: the Unicode
		// spaces, not \v.
		{"a comma and Unicode spaces", "[ 'a,\u3000b', 'a,\u00a0b', 'a,\u2003b', 'a,\u200bb', 'a,\u202fb', 'a,\u205fb' ]",
			[]string{`"a b"`, `"a b"`, `"a b"`, `"a b"`, `"a b"`, `"a b"`}},
		// Every character up to the space, and the no-break space,
		// ends a symbol; a dot alone is a dotted pair's.
		{"a no-break space in a symbol", "[ Symbol(a\u00a0b), 'a\u00a0b' ]", []string{"Symbol", "(a b)", "\"a\u00a0b\""}},
		{"a control character in a symbol", "[ Symbol(a\x01b), \x1fc ]", []string{"Symbol", "(a b)", "c"}},
		{"a dotted pair", "[ Symbol(a . b) ]", nil},
		{"a dot before a string", "[ Symbol(a .\"b\") ]", nil},
		{"a dot as a symbol", "[ Symbol(.), x.y, .5 ]", []string{"Symbol", `(\.)`, `x\.y`, "0.5"}},
		{"three hex digits", `[ '\x085', '\x0Bb', '\x01ffff', '\u00e9', '\x7f' ]`,
			[]string{"\"\u0085\"", `"»"`, "\"\U0001ffff\"", `"é"`, "\"\x7f\""}},
		{"a comma and a vertical tab", "[ 'a,\vb', 'a,\u2028b' ]", []string{"\"a,\vb\"", "\"a,\u2028b\""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items, ok := jsArray(c.raw)
			if c.want == nil {
				if ok {
					t.Fatalf("jsArray(%q) read %d items, want none (Emacs reads it)", c.raw, len(items))
				}
				return
			}
			if !ok {
				t.Fatalf("jsArray(%q) not read", c.raw)
			}
			if len(items) != len(c.want) {
				t.Fatalf("jsArray(%q): %d items, want %d", c.raw, len(items), len(c.want))
			}
			for i, it := range items {
				if got := it.printS(); got != c.want[i] {
					t.Errorf("jsArray(%q)[%d] = %s, want %s", c.raw, i, got, c.want[i])
				}
			}
		})
	}
}
