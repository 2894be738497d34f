package org

import "testing"

// TestNeedsEmacs: only a result Babel evaluates as a Lisp form Borges
// cannot evaluate needs Emacs to read it: Ruby's and Python's value, or
// output under :results output table; JavaScript's read by
// org-babel-js-read.
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
		{"a value", ReadRuby, "(+ 1 2)\n", "value table", true},
		{"a value: a call before text", ReadRuby, "(+ 1 2) x", "", true},
		{"a value: delimited", ReadRuby, "(+ 1 2)", "", false},
		{"a value: text", ReadRuby, "x (+ 1 2)", "", false},
		{"a value kept as text", ReadRuby, "(+ 1 2) x", "value scalar", false},
		{"python: delimited once trimmed", ReadPython, "(+ 1 2)\n", "output table", false},
		{"python: a call before text", ReadPython, "(+ 1 2) x\n", "output table", true},
		{"python: a backquote with commas", ReadPython, " `(1 ,x)\n", "output table", true},
		{"python: a quoted list", ReadPython, "'(1 None)\n", "output table", false},
		{"python: a quoted value", ReadPython, "'(1 ,x)\n", "value", false},
		{"python: a value with commas", ReadPython, "`(1 ,x)", "", true},
		{"python: a value kept as text", ReadPython, "`(1 ,x)", "verbatim", false},
		{"js: a call", ReadJS, "(+ 1 2)\n", "output table", true},
		{"js: output kept as text", ReadJS, "(+ 1 2)\n", "output", false},
		{"js: a string inspected", ReadJS, "'(+ 1 2)'", "", false},
		{"js: a string in backquotes", ReadJS, "`(1 ,x) it's \"`", "", true},
		{"js: an array", ReadJS, "[ 1, 2 ]", "", false},
		{"js: a vector and text", ReadJS, "[1 2] x\n", "output table", false},
		// An array Borges cannot read whole: a string of both quote
		// kinds leaves a string open once its quotes are double quotes
		// (Emacs fails: "End of file during parsing"); text after the
		// list, which the Lisp reader leaves.
		{"js: an array with a string of both quotes", ReadJS, "[ \"it's\", 'say \"hi\"' ]", "", true},
		{"js: arrays one after the other", ReadJS, "[ 1 ] [ 2 ]", "output table", true},
		// The Lisp reader ends a symbol at # ; and `, and reads what
		// follows as a reader macro or a comment: Emacs reads it, and
		// fails ("#b/": a bad binary integer; ";y/ )": the list left
		// open).
		{"js: a regular expression with #", ReadJS, "[ /a#b/ ]", "", true},
		{"js: a regular expression with ;", ReadJS, "[ /x;y/ ]", "", true},
		{"js: a regular expression with ?", ReadJS, "[ /c?d/ ]", "", false},
		// A raw byte, a character Borges cannot write as Emacs does.
		{"js: an array of a C1 control", ReadJS, `[ '\x85' ]`, "", true},
		{"js: an array of a surrogate", ReadJS, `[ '\ud83d' ]`, "", true},
		{"js: an array of a character from U+0080", ReadJS, `[ '\x085' ]`, "", false},
		{"js: an array kept as text", ReadJS, "[ 'a\"b' ]", "verbatim", false},
		{"js: an array of a string with a double quote", ReadJS, "[ 'a\"b' ]", "", true},
		// util.inspect of a string of blanks, or of one whose blanks
		// end in a ;: the Lisp reader finds no datum after the quote
		// ("End of file during parsing"), an error only Emacs gives.
		{"js: a string of blanks", ReadJS, "'   '", "", true},
		{"js: blanks then a comment", ReadJS, "'  ;x'", "", true},
		{"js: a comment", ReadJS, "';x'", "", true},
		{"js: a string with blanks around text", ReadJS, "' x '", "", false},
		{"js: a comment then a line (y read after it)", ReadJS, "';x\ny'", "", true},
		{"js: a character, read in Go", ReadJS, "'?x'", "", false},
		{"js: a character then a name, the reader's error", ReadJS, "'?ab'", "", true},
		{"js: a character Borges does not read", ReadJS, "'?\\M-a'", "", true},
		{"js: a question mark, ?' read in Go", ReadJS, "'?'", "", false},
		{"js: a no-break space in a symbol, ending it", ReadJS, "'a\u00a0b'", "", false},
		{"js: an escaped no-break space", ReadJS, "'\\\u00a0b'", "", true},
		{"js: ##, the empty symbol, read in Go", ReadJS, "'##'", "", false},
		{"js: a record", ReadJS, "'#s(a b)'", "", true},
		{"js: a radix", ReadJS, "'#x10'", "", true},
		{"js: a dot first, a number (Emacs 0.5)", ReadJS, "'.5'", "", false},
		{"js: a dot alone (Emacs: Invalid read syntax)", ReadJS, "'. a'", "", true},
		{"js: a list Borges does not read", ReadJS, "'(. a)'", "", true},
		{"js: a question mark inside a symbol", ReadJS, "'a?b'", "", false},
		{"js: a symbol ended by #", ReadJS, "'a#b'", "", false},
		{"js: output of blanks, no quote", ReadJS, "   \n", "output table", false},
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
