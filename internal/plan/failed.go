package plan

import "github.com/wallyqs/borges/internal/org"

// FailedValue is the value that stands for the result of task t when its
// program failed, as Babel has it: a :post's block writes it as its
// results (": nil"); ok is false where it is what the program printed.
// (The blocks referring to a failed block with :on-failure continue get
// what it printed, as Borges runs them, where Emacs hands them "nil".) Babel reads the
// result of most blocks from org-babel-eval, which gives nil when the
// program exits non-zero (JavaScript, shells, Perl, Ruby and Python under
// :results output), and org-babel-ref-resolve hands a symbol on as its
// name: the string "nil" (so a failed :post writes ": nil"). A Python or
// Ruby value read from its file (ValueFile) is what was written there;
// sessions, Lisp :var values and Emacs Lisp do not go through
// org-babel-eval.
func FailedValue(t *Task) (Value, bool) {
	if t.ValueFile || t.Session != nil || t.lispVar != nil || t.ReadsOutput || t.Reader == org.ReadLisp {
		return Value{}, false
	}
	return Value{Scalar: "nil"}, true
}
