package org

import "testing"

func TestPrintSymbolLikeEmacs(t *testing.T) {
	// prin1 of symbols, as Emacs 28.2 prints them.
	for in, want := range map[string]string{
		"a.b?c,d#e;f`g[h]i\\j\"k(l)m ": `a\.b\?c\,d\#e\;f\` + "`" + `g\[h\]i\\j\"k\(l\)m\ `,
		"?x":                           `\?x`, "1": `\1`, "-1.5": `\-1\.5`, "1e3": `\1e3`, "x?": `x\?`,
	} {
		if got := printSymbol(in); got != want {
			t.Errorf("printSymbol(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"ab3.5x;c": "ab3.5x", "ab,c": "ab", "a#b": "a", "a`b": "a", "a[b": "a", "abc'": "abc"} {
		if got := readSymbol(in); got != want {
			t.Errorf("readSymbol(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestJSQuotedValues: ob-js reads a printed string ('…') as a quoted
// Lisp object: a number stays a number, a symbol is printed by %S.
func TestJSQuotedValues(t *testing.T) {
	for raw, want := range map[string]string{"'5 RULE b'": "5", "'ab3.5'": `ab3\.5`, "'1.50 x'": "1.5", "'hello world'": "hello"} {
		if got := evaluateJS(raw, nil); got.str != want {
			t.Errorf("%s: %q, want %q", raw, got.str, want)
		}
	}
}

// TestJSQuotedReaderSyntax: what Emacs 28's org-babel-js-read gives
// (checked with emacs --batch) for a character after the quote (its
// code; ? and a space or a tab is that character whatever follows), the
// symbol of no name (##) and a name the no-break space ends.
func TestJSQuotedReaderSyntax(t *testing.T) {
	for raw, want := range map[string]string{"'?'": "39", "'?x'": "120", "'?x?'": "120", "'?)'": "41", "'? x'": "32",
		"'?\\\\'": "92", "'?\\u00e9'": "233", "'?é'": "233", "'##'": "##", "'##a'": "##", "'a\u00a0b'": "a", "'5\u00a0x'": "5"} {
		if got := evaluateJS(raw, nil); got.str != want {
			t.Errorf("%q: %q, want %q", raw, got.str, want)
		}
		if ReadJS.NeedsEmacs(raw, "") {
			t.Errorf("%q: sent to Emacs, want it read in Go", raw)
		}
	}
	if msg, ok := JSReadError("'?ab'"); !ok || msg != `Invalid read syntax: "?"` {
		t.Errorf("'?ab': %q %v, want Emacs's Invalid read syntax: \"?\"", msg, ok)
	}
}

// TestJSQuotedNil: org-babel-read evaluates ob-js's 'nil' (util.inspect
// of the string "nil") to the symbol nil, no value, and '"nil"' to the
// string "nil".
func TestJSQuotedNil(t *testing.T) {
	for raw, want := range map[string]babelValue{
		"'nil'":      {kind: valueNone},
		"'nil x'":    {kind: valueNone},
		`'"nil"'`:    {kind: valueString, str: "nil"},
		`'"a\"b" x'`: {kind: valueString, str: `a"b`},
	} {
		got := evaluateJS(raw, nil)
		if got.kind != want.kind || got.str != want.str {
			t.Errorf("%s: kind %d %q, want kind %d %q", raw, got.kind, got.str, want.kind, want.str)
		}
	}
}

// TestJSQuotedAfterNoBreakSpace: the Lisp reader skips the no-break
// space after ob-js's quote (util.inspect prints it raw), as it does a
// space: the datum after it is the value, and with none the reader's
// error stops the document (JSReadError).
func TestJSQuotedAfterNoBreakSpace(t *testing.T) {
	for raw, want := range map[string]string{"'\u00a0abc'": "abc", "'\u00a0 two words'": "two", "' \u00a0x'": "x", "'\u00a0\u00a05'": "5"} {
		if got := evaluateJS(raw, nil); got.str != want {
			t.Errorf("%q: %q, want %q", raw, got.str, want)
		}
	}
	for _, raw := range []string{"'\u00a0'", "'\u00a0 \u00a0'", "'\u00a0;x'"} {
		if _, ok := JSReadError(raw); !ok {
			t.Errorf("%q: read, want the reader's error", raw)
		}
	}
}

// TestJSArrayEndsOpen: an array org-babel-js-read rewrites into a list
// the Lisp reader ends inside (every quote a double quote: ["'"] is
// ( """ )) stops the document with the reader's error (JSReadError),
// as Emacs 28 reads them (org-babel-js-read in emacs --batch); those it
// reads whole do not.
func TestJSArrayEndsOpen(t *testing.T) {
	for raw, stops := range map[string]bool{
		`[ "'" ]`:           true,
		`[ "a'b" ]`:         true,
		`[ [ "'" ], 1 ]`:    true,
		`[ a?" ]`:           true,
		`[ "a\\'" ]`:        true,
		`[ "it's", "x's" ]`: false,
		`[ ?" ]`:            false,
		`[ "\\" ]`:          false,
		`[ 'a', 'b' ]`:      false,
		`[ 1 ] [ "'" ]`:     false,
		"[ a ; \"\n ]":      false,
	} {
		if _, got := JSReadError(raw); got != stops {
			t.Errorf("%s: stops %v, want %v", raw, got, stops)
		}
	}
}

// TestJSQuotedDotAndRawByte: what Emacs 28's org-babel-js-read gives
// (checked with emacs --batch in an org-mode buffer) for a character
// escape of a raw byte (?\x3fff80 is 128, as read1 maps CHAR_BYTE8_P
// codes back to bytes) and a datum starting with a dot: a name or a
// number, or the reader's error where the dot stands alone.
func TestJSQuotedDotAndRawByte(t *testing.T) {
	for raw, want := range map[string]string{"'?\\x3fff80'": "128", "'?\\x3fffff'": "255", "'?\\x3fff7f'": "4194175",
		"'./run.sh'": `\./run\.sh`, "'.gitignore'": `\.gitignore`, "'..'": `\.\.`, "'.5'": "0.5", "'.a'": `\.a`, "'.)'": `\.`, "'.]'": `\.`, "'.\u00a0x'": `\.`} {
		if ReadJS.NeedsEmacs(raw, "") {
			t.Errorf("%q: sent to Emacs, want it read in Go", raw)
		}
		if got := evaluateJS(raw, nil); got.str != want {
			t.Errorf("%q: %q, want %q", raw, got.str, want)
		}
	}
	for _, raw := range []string{"'.'", "'. '", "'.\"'", "'.('", "'.;x'", "'.?'", "'.#'", "'.,'", "'.`'", "'.['"} {
		if msg, ok := JSReadError(raw); !ok || msg != `Invalid read syntax: "."` {
			t.Errorf("%s: %q %v, want Emacs's Invalid read syntax: \".\"", raw, msg, ok)
		}
	}
}

// TestJSQuotedListSymbols: a JavaScript value that org-babel-js-read
// evaluates as a quoted Lisp list ('(a b)', util.inspect of the string
// "(a b)") holds symbols, which the variable conversions write bare
// (org-babel-python-var-to-python's %S: Python gets [a, b] and fails,
// checked with Emacs 28.2 / Org 9.5.5, js_symbols_to_python_var.org),
// not strings; a string in it stays a string, a number a number.
func TestJSQuotedListSymbols(t *testing.T) {
	for raw, want := range map[string][][2]int{
		"'(a b)'":             {{0, 0}, {0, 1}},
		`'("a" b 1)'`:         {{0, 1}},
		"'((a 1) (b \"c\"))'": {{0, 0}, {1, 0}},
	} {
		got := evaluateJS(raw, nil)
		if len(got.symbols) != len(want) {
			t.Errorf("%s: symbols at %v, want %v", raw, got.symbols, want)
			continue
		}
		for i := range want {
			if got.symbols[i] != want[i] {
				t.Errorf("%s: symbols at %v, want %v", raw, got.symbols, want)
				break
			}
		}
	}
}
