package org

import (
	"strings"
	"testing"
)

// TestLambdaListValid: the lambda lists funcall_lambda takes (Emacs
// 28.2), and those it refuses with invalid-function: a bare or repeated
// &rest, &optional after &rest or repeated, and any parameter that is
// no symbol (`(lambda (1) 2)`, `(lambda ("a") 2)`: Emacs signals
// invalid-function as it calls them, checked with emacs --batch).
func TestLambdaListValid(t *testing.T) {
	for _, c := range []struct {
		params string
		valid  bool
	}{
		{"()", true},
		{"nil", true},
		{"(x)", true},
		{"(&optional x &rest y)", true},
		{"(&rest)", false},
		{"(&rest &rest)", false},
		{"(&rest a &optional b)", false},
		{"(&optional &optional x)", false},
		{"(1)", false},
		{`("a")`, false},
		{"(&optional 1)", false},
		{"(x [y])", false},
		{"((x))", false},
		{`("&optional")`, false}, // a string, not the keyword
		{`("&rest" x)`, false},
		{"(t)", true},
		{"(nil)", true},
	} {
		d, _, ok := readLispDatum(c.params, 0)
		if !ok {
			t.Fatalf("%s: not read", c.params)
		}
		if got := lambdaListValid(d); got != c.valid {
			t.Errorf("lambdaListValid(%s) = %v, want %v", c.params, got, c.valid)
		}
	}
}

// TestLambdaNonSymbolParameterFails: a header value that is a lambda
// with a parameter that is no symbol, which Babel calls as it reads the
// header, stops Emacs at the block with invalid-function (Emacs 28.2:
// `(invalid-function ((t) (1) 2))`); Borges says so. A Lisp :var value
// is evaluated by the document's Emacs, which signals it itself.
func TestLambdaNonSymbolParameterFails(t *testing.T) {
	for _, c := range []struct{ key, text string }{
		{":foo", "(lambda (1) 2)"},
		{":results", "(lambda (1) 2)"},
		{":foo", `(lambda ("a") "raw")`},
		{":results", `(lambda ("a") "raw")`},
		{":foo", "(lambda (&optional 1) 2)"},
		{":foo", "(lambda () '(lambda (2) 1))"}, // called in the second merge
		{":foo", `(lambda ("&optional") 2)`},    // ((t) ("&optional") 2)
		{":foo", `(lambda ("&rest" x) 2)`},
	} {
		a, ok := lispConstant(c.key, c.text)
		if ok || a.fails == "" {
			t.Errorf("%s %s: %+v, want it to fail", c.key, c.text, a)
			continue
		}
		if want := "are no lambda list: Emacs stops at the block (invalid-function)"; !strings.Contains(a.fails, want) {
			t.Errorf("%s %s: %q, want it to say %q", c.key, c.text, a.fails, want)
		}
	}
	// A required parameter before it: Emacs stops there first, with
	// wrong-number-of-arguments (Emacs 28.2: ((t) (x 1) 2) 0); t and nil
	// are required parameters too (((t) (t) 2) 0).
	for _, text := range []string{"(lambda (x 1) 2)", "(lambda (t) 2)", "(lambda (nil) 2)", "(lambda (t 1) 2)"} {
		if a, _ := lispConstant(":foo", text); !strings.Contains(a.fails, "(wrong-number-of-arguments)") {
			t.Errorf(":foo %s: %q, want wrong-number-of-arguments", text, a.fails)
		}
	}
}

// TestLambdaRequired: the required parameters of a lambda list, as
// funcall_lambda counts them before it fails for want of an argument
// (Emacs 28.2): t and nil among them (Emacs signals
// wrong-number-of-arguments for (lambda (t) 2) and (lambda (nil) 2)
// called with none); ok is false for a list Borges does not know Emacs
// takes: a parameter that is no symbol, or t or nil after &optional or
// &rest (setting-constant with dynamic binding, taken with lexical).
func TestLambdaRequired(t *testing.T) {
	for _, c := range []struct {
		params   string
		required int
		ok       bool
	}{
		{"()", 0, true},
		{"(x y)", 2, true},
		{"(x &optional y)", 1, true},
		{"(t)", 1, true},
		{"(nil)", 1, true},
		{"(x t)", 2, true},
		{"(t 1)", 1, false},
		{`("&optional")`, 0, false},
		{"(&optional t)", 0, false},
		{"(&rest nil)", 0, false},
	} {
		d, _, ok := readLispDatum(c.params, 0)
		if !ok {
			t.Fatalf("%s: not read", c.params)
		}
		if required, ok := lambdaRequired(d); required != c.required || ok != c.ok {
			t.Errorf("lambdaRequired(%s) = %d, %v; want %d, %v", c.params, required, ok, c.required, c.ok)
		}
	}
}
