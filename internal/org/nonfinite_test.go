package org

import (
	"strings"
	"testing"
)

// TestQuotedNonFinite: infinities and NaNs in a Lisp constant read as
// Emacs 28 reads and prints them; other spellings stay symbols.
func TestQuotedNonFinite(t *testing.T) {
	for text, want := range map[string]string{
		"1.0e+INF": "1.0e+INF", "-1.0e+INF": "-1.0e+INF", "2.5e+INF": "1.0e+INF", "1e+INF": "1.0e+INF",
		".5e+INF": "1.0e+INF", "+1.0e+INF": "1.0e+INF", "1.0E+INF": "1.0e+INF", "0.0e+NaN": "0.0e+NaN",
		"-0.0e+NaN": "-0.0e+NaN", "0.5e+NaN": "0.0e+NaN", "1.5e+NaN": "1.0e+NaN", "12e+NaN": "12.0e+NaN",
		"-7.0e+NaN": "-7.0e+NaN",
		// Payloads past 2^51 and 2^64: their low 51 bits, as Emacs
		// reads them.
		"4503599627370497e+NaN": "1.0e+NaN", "18446744073709551617e+NaN": "1.0e+NaN",
		"36893488147419103233e+NaN": "1.0e+NaN", "-99999999999999999999999e+NaN": "-2218036916387839.0e+NaN",
	} {
		a, ok := lispConstant(":foo", "'"+text)
		if !ok || a.Value == nil || *a.Value != want || !a.Printed {
			t.Errorf("'%s: %+v %v, want %s printed bare", text, a, ok, want)
		}
	}
	for _, text := range []string{"1.0e+inf", "1.0e+INFx", "1.0e-INF", "1.0e+NAN", "e+INF"} {
		a, ok := lispConstant(":foo", "'"+text)
		if !ok || !a.Symbol {
			t.Errorf("'%s: %+v %v, want a symbol", text, a, ok)
		}
	}
}

// TestQuotedFunctions: Babel calls a header value that is a function
// (org-babel-eval-headers): a lambda without arguments whose body is
// constant gives its last form's value; another function (arguments, a
// closure, a form in the body) is a form Borges does not evaluate, kept
// as written.
func TestQuotedFunctions(t *testing.T) {
	for text, want := range map[string]string{
		`'(lambda () "x")`:       `"x"`,
		`'(lambda () 1 'y)`:      "y",
		`(quote (lambda () 5))`:  "5",
		`'(lambda () "doc" [1])`: "[1]",
		`'(lambda ())`:           "nil",
		`'((lambda () 1))`:       "((lambda nil 1))",
		// A lambda unquoted is a closure, called all the same; a
		// function's name is called, and so is a function a call
		// returns (Babel merges twice).
		`(lambda () 2)`:              "2",
		`(lambda () "raw")`:          `"raw"`,
		`'list`:                      "nil",
		`'vector`:                    "[]",
		`'+`:                         "0",
		`'(lambda () 'ignore)`:       "nil",
		`(lambda () '(lambda () 3))`: "3",
		// Parameters all optional: called without arguments, each
		// nil (checked with Emacs 28.2).
		`(lambda (&optional x) "raw")`:       `"raw"`,
		`(lambda (&rest _) 3)`:               "3",
		`'(lambda (&optional a &rest b) 'y)`: "y",
		`'-`:                                 "0",
		`'vconcat`:                           "[]",
		`(lambda (&optional x) x)`:           "nil",
		`(lambda (&rest r) 1 r)`:             "nil",
	} {
		a, ok := lispConstant(":foo", text)
		got := "nil"
		switch {
		case a.Value == nil:
		case a.String:
			got = `"` + *a.Value + `"`
		default:
			got = *a.Value
		}
		if !ok || got != want {
			t.Errorf("%s: %s (%v), want %s", text, got, ok, want)
		}
	}
	for _, text := range []string{`'(lambda (a) "x")`, `'(lambda () (interactive) 1)`, `'(lambda () x)`, `'(closure (t) () 1)`, `'(lambda () . 1)`,
		`(lambda (x) 1)`, `'emacs-version`, `'car`, `(lambda (&optional x) y)`, `'(lambda () '(lambda () '(lambda () 1)))`, `(concat "n" "o")`} {
		if a, ok := lispConstant(":foo", text); ok {
			t.Errorf("%s: read as %+v, want a form kept as written", text, a)
		}
	}
}

// TestHeaderFunctionNeedsArguments: a function Babel calls without
// arguments that needs some (a lambda with a required parameter, an
// Emacs function such as max) stops Emacs at the block
// (wrong-number-of-arguments, checked with Emacs 28.2): lispConstant
// says so; a function callable without arguments says nothing.
func TestHeaderFunctionNeedsArguments(t *testing.T) {
	for text, want := range map[string]string{
		`(lambda (x) 3)`:                "at least 1",
		`'(lambda (a &optional b) 1)`:   "at least 1",
		`(lambda (a b &rest c) 1)`:      "at least 2",
		`'max`:                          "at least 1",
		`'car`:                          "at least 1",
		`'/`:                            "at least 1",
		`(lambda () '(lambda (x) 1))`:   "at least 1",
		`'(lambda () (lambda (y z) 1))`: "", // a body form Borges does not evaluate
		`'emacs-version`:                "",
		`(lambda (&optional x) x)`:      "",
		`'my-fn`:                        "",
		`(concat "a" "b")`:              "",
	} {
		a, ok := lispConstant(":foo", text)
		if want == "" {
			if a.fails != "" {
				t.Errorf("%s: fails (%s), want no failure", text, a.fails)
			}
			continue
		}
		if ok || !strings.Contains(a.fails, "wrong-number-of-arguments") || !strings.Contains(a.fails, want) {
			t.Errorf("%s: ok %v, fails %q, want wrong-number-of-arguments, %s", text, ok, a.fails, want)
		}
	}
}

// TestHeaderVoidFunction: a header value that calls a function Emacs
// does not have (a user's package function, not in emacs -Q) stops
// Emacs at the block with void-function, as org-babel-read evaluates
// it, or as Babel calls the lambda whose body calls it (checked with
// Emacs 28.2); a quoted name is a symbol, and a macro or special form
// (when, let) is no unknown function.
func TestHeaderVoidFunction(t *testing.T) {
	for text, want := range map[string]string{
		`(my-fn)`:                      "(void-function my-fn)",
		`(my-fn 1 "a")`:                "(void-function my-fn)",
		`(lambda () (my-fn))`:          "(void-function my-fn)",
		`(lambda () 1 (my-fn))`:        "(void-function my-fn)",
		`(lambda (&optional x) (f x))`: "(void-function f)",
		`(closure (t) () 1)`:           "(void-function closure)",
		`'my-fn`:                       "",
		`'(my-fn)`:                     "",
		`(when t 1)`:                   "",
		`(let ((x 1)) x)`:              "",
		`(concat "a" "b")`:             "",
		`(lambda () (concat "a"))`:     "",
		`(lambda () (when nil (f)))`:   "",
		`(lambda (&optional x) x (f))`: "(void-function f)",
	} {
		a, _ := lispConstant(":foo", text)
		void := a.void + a.voidRead
		if a.fails != "" || want == "" && void != "" || !strings.Contains(void, want) {
			t.Errorf("%s: fails %q, void %q, want %q", text, a.fails, void, want)
		}
	}
}
