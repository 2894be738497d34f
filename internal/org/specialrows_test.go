package org

import (
	"strings"
	"testing"
)

// TestTableResultsSpecialRows: orgtbl-to-orgtbl, which writes a table
// result, exports the table and so leaves out what Org's exporter calls
// special (org-export-table-row-is-special-p,
// org-export-table-has-special-column-p): a row of alignment and width
// cookies ("<r>", "<L10>", "<>") and empty cells, a row whose first cell
// is "/", and, where every first cell is empty or one of / # ! $ * _ ^
// (one at least not empty), that first column, and then the rows
// starting with ^ _ $ or !. What Emacs 28.2 (Org 9.5.5) wrote for each.
func TestTableResultsSpecialRows(t *testing.T) {
	cases := []struct {
		name, header, output string
		reader               Reader
		want                 string
	}{
		{"cookie row", "emacs-lisp", `(("<r>" "<c>") ("a" "bb") ("ccc" "d"))`, ReadLisp,
			"| a   | bb |\n| ccc | d  |\n"},
		{"cookies and empty cells, any case", "emacs-lisp", `(("<R>" "") ("a" "b") (" <l3> " "<>") ("c" "d"))`, ReadLisp,
			"| a | b |\n| c | d |\n"},
		{"a cookie beside text is kept", "emacs-lisp", `(("<r>" "x") ("a" "b"))`, ReadLisp,
			"| <r> | x |\n|   a | b |\n"},
		{"not cookies", "emacs-lisp", `(("<r" "") ("<rr>" "") ("a" "b"))`, ReadLisp,
			"| <r   |   |\n| <rr> |   |\n| a    | b |\n"},
		{"slash row", "emacs-lisp", `(("/" "x") hline ("a" "b"))`, ReadLisp,
			"|---+---|\n| a | b |\n"},
		{"special column", "emacs-lisp", `(("#" "x") ("" "bb") ("^" "z") ("!" "q") ("_" "r") ("$" "s=1") ("*" "t"))`, ReadLisp,
			"| x  |\n| bb |\n| t  |\n"},
		{"special column of one column", "emacs-lisp", `(("#") ("*"))`, ReadLisp,
			"|   |\n|   |\n"},
		{"no special column: a first cell of text", "emacs-lisp", `(("#" "x") hline ("a" "b") ("^" "c"))`, ReadLisp,
			"| # | x |\n|---+---|\n| a | b |\n| ^ | c |\n"},
		{"shell output", "sh :results table", "<r> <l>\na b\n/ x\nc d\n", ReadGeneric,
			"| a | b |\n| c | d |\n"},
		// org-table-align reads a cookie ignoring case and aligns by
		// its letter as written: "c" centres (the odd blank after),
		// "r" right, any other (l, R, C) left.
		{"centred", "emacs-lisp", `(("<c>" "x") ("ab" "y") ("bbbbb" "z") ("日本" "w"))`, ReadLisp,
			"|  <c>  | x |\n|  ab   | y |\n| bbbbb | z |\n| 日本  | w |\n"},
		{"capitals align left", "emacs-lisp", `(("<R>" "x") ("1" "y") ("22" "z"))`, ReadLisp,
			"| <R> | x |\n| 1   | y |\n| 22  | z |\n"},
		// The exporter drops export snippets, of every back-end.
		{"export snippets", "emacs-lisp", `(("@@html:<b>@@x" "y") ("a @@org:kept@@ b" "=@@html:v@@="))`, ReadLisp,
			"| x    | y            |\n| a  b | =@@html:v@@= |\n"},
		{"export snippets in items", "emacs-lisp :results list", `("@@html:<b>@@x" "a @@org:k@@ b")`, ReadLisp,
			"- x\n- a  b\n"},
		{"shell output, special column", "sh :results table", "# x y\n* 1 2\n", ReadGeneric,
			"| x | y |\n| 1 | 2 |\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Parse("#+begin_src " + c.header + "\nx\n#+end_src\n")
			if err != nil {
				t.Fatal(err)
			}
			got := d.WriteResults(map[int]Result{0: {Output: c.output, Reader: c.reader}})
			_, res, _ := strings.Cut(got, "#+RESULTS:\n")
			if res != c.want {
				t.Fatalf("wrote\n%s\nwant\n%s", res, c.want)
			}
		})
	}
}
