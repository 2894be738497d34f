package org

import (
	"strings"
	"testing"
)

// TestPostNil: a :post's block whose value is nil gives the text "nil"
// (org-babel-ref-resolve formats a symbol with %S), which Emacs writes as
// ": nil"; a block's own nil writes nothing (checked against Emacs 28.2 /
// Org 9.5.5).
func TestPostNil(t *testing.T) {
	const doc = "#+begin_src emacs-lisp :post p(data=*this*)\n'()\n#+end_src\n"
	cases := []struct {
		name   string
		r      Result
		want   string
		absent bool
	}{
		{"a :post's nil", Result{Output: "nil", Reader: ReadLisp, Posted: true, PostResults: "replace silent"}, "#+RESULTS:\n: nil\n", false},
		{"a :post's empty shell output", Result{Output: "", Reader: ReadGeneric, Posted: true, PostResults: "replace silent"}, "#+RESULTS:\n: nil\n", false},
		{"a :post's value", Result{Output: "\"x\"", Reader: ReadLisp, Posted: true, PostResults: "replace silent"}, "#+RESULTS:\n: x\n", false},
		{"the block's own nil", Result{Output: "nil", Reader: ReadLisp}, ": nil", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Parse(doc)
			if err != nil {
				t.Fatal(err)
			}
			got := d.WriteResults(map[int]Result{0: c.r})
			if strings.Contains(got, c.want) == c.absent {
				t.Fatalf("wrote %q; want %q (absent: %v)", got, c.want, c.absent)
			}
		})
	}
}
