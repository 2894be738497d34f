package org

import (
	"strings"
	"testing"
	"time"
)

// TestJSReadOneDatum: JSReadError reads one Lisp datum after
// util.inspect's quote, as org-babel-read's (read cell) does, and gives
// the error Emacs 28's reader signals where it fails (each checked with
// emacs --batch: (condition-case e (read "...") (error e))); where it
// reads a datum, or where Borges's reading is unsure, no stop.
func TestJSReadOneDatum(t *testing.T) {
	for raw, want := range map[string]string{
		"'(foo'":     "End of file during parsing",
		"')'":        `Invalid read syntax: ")"`,
		"']'":        `Invalid read syntax: "]"`,
		"'#'":        "End of file during parsing",
		`'"'`:        "End of file during parsing",
		"'#":         `Invalid read syntax: "#"`,
		"'(#":        `Invalid read syntax: "#"`,
		"'(a#":       `Invalid read syntax: "#"`,
		"'[#":        `Invalid read syntax: "#"`,
		"''#":        `Invalid read syntax: "#"`,
		"'(a# b)'":   `Invalid read syntax: "#"`,
		"'# x":       `Invalid read syntax: "#"`,
		"'#\\a'":     `Invalid read syntax: "#"`,
		"'(a#-)'":    `Invalid read syntax: "#"`,
		"'(a#b)'":    `Invalid read syntax: "integer, radix 2"`,
		"'a#":        "",
		"'#x'":       `Invalid read syntax: "integer, radix 16"`,
		"'#xz'":      `Invalid read syntax: "integer, radix 16"`,
		"'#b'":       `Invalid read syntax: "integer, radix 2"`,
		"'#o'":       `Invalid read syntax: "integer, radix 8"`,
		"'(a ]'":     `Invalid read syntax: "] in a list"`,
		"'[a )'":     `Invalid read syntax: ") or . in a vector"`,
		"'(a . '":    "End of file during parsing",
		"'   '":      "End of file during parsing",
		"' ;x'":      "End of file during parsing",
		"'?":         "End of file during parsing",
		"'(a \"b)'":  "End of file during parsing",
		"'a'":        "",
		"'?'":        "",
		"'#x1'":      "",
		"'(a b)'":    "",
		"'(a) )'":    "",
		"'\"a\"'":    "",
		"'a b'":      "",
		"'#s(a)'":    "",
		"42":         "",
		"'it''s'":    "",
		"'[1 (2)]'":  "",
		"'`(a ,b)'":  "",
		"'(a ?) b)'": "",
	} {
		got, ok := JSReadError(raw)
		if ok != (want != "") || got != want {
			t.Errorf("%s: %q (stops %v), want %q", raw, got, ok, want)
		}
	}
}

// TestJSReadArrayError: an array org-babel-js-read rewrites (quotes to
// double quotes, brackets to parentheses, a comma and a blank to a
// blank) and Emacs's reader fails on signals the error of the datum it
// fails at, not always End of file: util.inspect quotes a string holding
// ' with ", so "it's" leaves a string open up to the next quote and the
// reader reads what follows it as code (each checked with Emacs 28.2,
// org-babel-execute-buffer stopping with that error).
func TestJSReadArrayError(t *testing.T) {
	for raw, want := range map[string]string{
		`[ [ "it's", '#x' ] ]`: `Invalid read syntax: "integer, radix 16"`,
		"[\n  [ 'a b', \"it's\", 1.5 ],\n  [ '\"dq\"', 'back\\\\slash', -2 ],\n  [ '$dollar', '#{2*3}', 1000 ]\n]": `Invalid read syntax: "#"`,
		`[ "it's" ]`:           "End of file during parsing",
		`[ [ 'a', 'b' ] ]`:     "",
		`[ 'a', "it's", 'b' ]`: "End of file during parsing",
	} {
		got, ok := JSReadError(raw)
		if ok != (want != "") || got != want {
			t.Errorf("%q: %q (stops %v), want %q", raw, got, ok, want)
		}
	}
}

// TestJSReadArrayErrorForms: the error of the datum Emacs's reader fails
// at in an array left open, for # forms and a dot the string left open
// lets it read as code (each checked with emacs --batch,
// org-babel-js-read in an org-mode buffer); a datum it reads, a bignum
// or a radix's digits ending at a character that is no digit, leaves End
// of file.
func TestJSReadArrayErrorForms(t *testing.T) {
	radix := func(n string) string { return `Invalid read syntax: "integer, radix ` + n + `"` }
	for item, want := range map[string]string{
		`'#s'`: `Invalid read syntax: "#"`, `'#sa'`: `Invalid read syntax: "#"`,
		`'#x1g'`: radix("16"), `'#37r1'`: radix("37"), `'#2r'`: radix("2"), `'#2r12'`: radix("2"),
		`'#x+'`: radix("16"), `'#0r1'`: radix("0"),
		`'#^[a]'`: `Invalid read syntax: "#^"`, `'#^^[a]'`: `Invalid read syntax: "#^^"`, `'#^^a'`: `Invalid read syntax: "#^^"`,
		`'#1#'`: `Invalid read syntax: "#"`, `'#12#'`: `Invalid read syntax: "#"`,
		`'.', 'b'`: `Invalid read syntax: ". in wrong context"`, `'a . b c'`: `Invalid read syntax: ". in wrong context"`,
		`'a . b .'`:                 `Invalid read syntax: ". in wrong context"`,
		`'#x1ffffffffffffffffffff'`: eofDuringParsing, `'#36rZz'`: eofDuringParsing, `'#x1é'`: eofDuringParsing,
		`'#1=a'`: eofDuringParsing, `'a . b'`: eofDuringParsing,
	} {
		raw := `[ "it's", ` + item + ` ]`
		if got, ok := JSReadError(raw); !ok || got != want {
			t.Errorf("%s: %q (stops %v), want %q", raw, got, ok, want)
		}
	}
	// The datum after a quote, read alone (org-babel-read's read).
	for raw, want := range map[string]string{
		"'#sa'": `Invalid read syntax: "#"`, "'#1#'": `Invalid read syntax: "#"`, "'#^a'": `Invalid read syntax: "#^"`,
		"'#037r1'": radix("37"), "'#2r+'": radix("2"), "'(a . b c)'": `Invalid read syntax: ". in wrong context"`,
		`'(a ."x" b)'`: `Invalid read syntax: ". in wrong context"`, "'(. a)'": "", "'#s(a)'": "",
	} {
		if got, ok := JSReadError(raw); ok != (want != "") || got != want {
			t.Errorf("%s: %q (stops %v), want %q", raw, got, ok, want)
		}
	}
}

// TestJSReadErrorBound: an array left open longer than jsReadErrorBound
// stops all the same, with End of file, its datum not read; one within
// it with the datum's error.
func TestJSReadErrorBound(t *testing.T) {
	open := func(n int) string {
		return `[ [ "it's", '#x' ], ` + strings.Repeat("[ 'a', 'b' ], ", n) + `[ 'c' ] ]`
	}
	small, large := open(10), open(jsReadErrorBound/14+1)
	if len(large) <= jsReadErrorBound {
		t.Fatalf("array of %d bytes, want over %d", len(large), jsReadErrorBound)
	}
	if got, ok := JSReadError(small); !ok || got != `Invalid read syntax: "integer, radix 16"` {
		t.Errorf("within the bound: %q (stops %v)", got, ok)
	}
	if got, ok := JSReadError(large); !ok || got != eofDuringParsing {
		t.Errorf("over the bound: %q (stops %v), want End of file", got, ok)
	}
}

// BenchmarkJSReadErrorRatio reports how much longer JSReadError takes on
// an array left open just within jsReadErrorBound than the stop's
// decision alone (jsArrayEndsOpen), measured in the same process:
// times-cheap is JSReadError's time over jsArrayEndsOpen's.
func BenchmarkJSReadErrorRatio(b *testing.B) {
	raw := `[ [ "it's", 'x' ], ` + strings.Repeat("[ 'a', 'b' ], ", jsReadErrorBound/14-2) + `[ 'c' ] ]`
	if len(raw) > jsReadErrorBound {
		b.Fatalf("array of %d bytes, over the bound", len(raw))
	}
	var cheap, full time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if !jsArrayEndsOpen(raw) {
			b.Fatal("array not left open")
		}
		cheap += time.Since(start)
		start = time.Now()
		if _, ok := JSReadError(raw); !ok {
			b.Fatal("no stop")
		}
		full += time.Since(start)
	}
	b.ReportMetric(float64(full)/float64(cheap), "times-cheap")
}
