package plan

import (
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestVectorAssignments holds the variable assignments Borges writes for
// Lisp values holding vectors (in a table's rows, among a list's items,
// alone) in Python, Ruby, JavaScript, Perl, sh and bash to what Emacs's own
// org-babel-variable-assignments:LANG write, byte for byte. Many of them
// are no program (Python's x=[[1, [2 3]]]): Emacs runs it all the same,
// the interpreter fails, and Emacs writes an empty #+RESULTS:, which no
// fixture of TestAgainstEmacs can hold, since Borges fails the block
// (see FailedValue); the program is Emacs's, so it fails as there.
func TestVectorAssignments(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	forms := []string{`'((1 [2 3]))`, `'((1 [2]) (3 ["a"]) (4 []))`, `'((1 [x]) (2 [nil t]))`,
		`(list (list 1 ["a\nb" "c\"d\\e"]))`, `'((1 [[1] (2 3)]))`, `'((1 [a.b \1 x\ y]))`,
		`(list [1] ["x"])`, `[1 2]`, `["a\nb"]`, `'(1 [2 "q"])`, `'((\[a\] \[1\ 2\] [3]))`,
		`(list (list (make-bool-vector 3 t) (record 'foo "a b")))`,
		`(let ((b (make-bool-vector 8 nil))) (aset b 1 t) (aset b 5 t) (list (list 1 b) (list 2 (vector b "c"))))`}
	langs := []string{"python", "ruby", "js", "perl", "sh", "bash"}
	answers := askEmacsPerLanguage(t, emacs, forms, langs,
		`(let ((shell-file-name %[1]q)) (mapconcat #'identity (org-babel-variable-assignments:%[1]s (list (cons :var (cons 'x v)))) "\n"))`)
	for i, f := range forms {
		got := answers[i]
		v, _ := bindTable(readLispVar(got[0]), nil)
		for j, l := range langs {
			if want, have := got[1+j], assignment(l, "x", v, l == "bash", shellForm{}); have != want {
				t.Errorf("%s to %s:\n borges %q\n emacs  %q", f, l, have, want)
			}
		}
	}
}
