package org

import "testing"

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
