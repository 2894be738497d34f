package plan

import (
	"os"
	"strings"
	"testing"
)

// TestCacheAcrossElispRefused: a reference to a :cache yes block whose
// own run stands before it, with an Emacs Lisp evaluation Emacs makes
// between (a block, whatever its body holds; one standing before the
// block, run again by a reference from between; a Lisp :var value), is
// refused, at the reference's line and :var: Babel hashes the block
// again there, with the buffer as the evaluation left it (Emacs 28.2 /
// Org 9.5.5 gives "[nil]" for the first four: the block's body line or
// its results deleted; "[v2]" for the second: its body rewritten),
// which Borges cannot tell of Lisp that is not pure (pureLisp).
func TestCacheAcrossElispRefused(t *testing.T) {
	for _, c := range []struct{ fixture, want string }{
		{"rerun_cache_elisp_flush_lines", `line 14: block "block-3": :var: c: a :cache yes block whose own run stands before`},
		{"rerun_cache_elisp_rerun_before", `line 26: block "block-4": :var: c: a :cache yes block whose own run stands before`},
		{"rerun_cache_lisp_var_between", `line 14: block "block-3": :var: c: a :cache yes block whose own run stands before`},
		{"rerun_cache_elisp_user_function", `line 18: block "block-4": :var: c: a :cache yes block whose own run stands before`},
	} {
		t.Run(c.fixture, func(t *testing.T) {
			text, err := os.ReadFile("testdata/" + c.fixture + ".org")
			if err != nil {
				t.Fatal(err)
			}
			_, err = Build(mustParse(t, string(text)), machine, DefaultOptions)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a refusal holding %q", err, c.want)
			}
		})
	}
}

// TestPureLisp: only forms of functions that compute a value are pure;
// any other head, quoting, comments, noweb references are not.
func TestPureLisp(t *testing.T) {
	for src, want := range map[string]bool{
		`(message "%s" (upcase "insert"))`: true,
		"(+ 1 2)":                          true,
		"(* x 3)":                          true,
		`(format "%d %S" (length x) (append x nil))`: true,
		"1\n\"a\"": true,
		"":         false,
		"(flush-lines \"^x\" (point-min) (point-max))": false,
		"(zz-go)":         false,
		"(setq n (1+ n))": false,
		"(message 'a)":    true,
		"(list (list \"x\" nil 1) 'hline '(a (b \"c\")))": true,
		"(list '#.(insert \"x\"))":                        false,
		"(list `(a ,(insert \"x\")))":                     false,
		"(+ 1 2) ; (kill-region)":                         false,
		"(concat <<a()>>)":                                false,
		"(progn (+ 1 2) (insert \"x\"))":                  false,
		"(+ 1 2":                                          false,
		"(list [3 \"a\"] [(insert)])":                     true,
		"[1 2 (a b)":                                      false,
		"(funcall #'insert \"x\")":                        false,
	} {
		if got := pureLisp(src); got != want {
			t.Errorf("pureLisp(%q) = %v, want %v", src, got, want)
		}
	}
}
