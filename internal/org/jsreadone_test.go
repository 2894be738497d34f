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
