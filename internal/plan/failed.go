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
// Ruby value read from its file (ValueFile) is what was written there
// (a Perl one is not read: ob-perl reads its file only when
// org-babel-eval gave a result);
// sessions, Lisp :var values and Emacs Lisp do not go through
// org-babel-eval.
func FailedValue(t *Task) (Value, bool) {
	if t.ValueFile && t.Lang != "perl" || t.Session != nil || t.lispVar != nil || t.ReadsOutput || t.Reader == org.ReadLisp {
		return Value{}, false
	}
	return Value{Scalar: "nil"}, true
}

// RunsAfterFailureOf reports whether task t runs after dep, a task it
// depends on, has failed, its program exiting non-zero: t is a :post
// whose *this* is dep's result (a block's own :post, or the next of a
// chain after the :post task before it), or the chain's block or any
// earlier task of the chain (which its later tasks wait for too, each
// failed along a chain of failing blocks), and Babel's value
// of dep's failure is org-babel-eval's nil (FailedValue).
// org-babel-execute-src-block runs the :post whatever the body gave,
// *this* bound to that nil, and what follows is the :post's: its value
// written in the block's place, or its stop (FailedNilStops, an Emacs
// Lisp error). The block's other dependents wait for it to finish, as
// ever. So too where that value is what its value file holds
// (FailedFromFile: Python, Ruby), bound as read from it. Not for a
// session's block or an Emacs Lisp block (no org-babel-eval); a block
// Borges's :timeout ended, killed or lost has no such value: the engine
// tells those apart (exitedNonZero). The reading in Emacs of a :post
// run's value runs after what that run runs after.
func (t *Task) RunsAfterFailureOf(dep *Task) bool {
	if t != nil && t.ReadsOutput && t.owner != nil && t.owner.Post && t.owner != dep {
		// The reading in Emacs of the value of a :post's run: it
		// runs after what that run runs after.
		return t.owner.RunsAfterFailureOf(dep)
	}
	if t == nil || dep == nil || !t.Post {
		return false
	}
	owner := t.PostOwner()
	if t.ResultsWith != dep.Block && owner != dep.Block && (owner == "" || !dep.Post || dep.PostOwner() != owner) {
		return false
	}
	_, ok := FailedValue(dep)
	return ok || FailedFromFile(dep)
}

// FailureSkipsPost reports whether t's failure keeps its :post from
// running, under :on-failure continue too: an Emacs Lisp block (not one
// run by its :shebang line), whose error Emacs signals before the
// :post's turn, org-babel-execute-src-block never reaching it. The
// error fails the block, :post included.
func FailureSkipsPost(t *Task) bool {
	return elispLangs[t.Lang] && t.shebang == "" && !t.Post && !t.ReadsOutput && t.lispVar == nil
}

// FailedFromFile reports whether Babel's value of t's failure is what
// its value file holds, read as its value is when it finishes: a Python
// or Ruby :results value block, not in a session, which
// org-babel-python-evaluate-external-process (or ob-ruby's) reads from
// the file whatever org-babel-eval gave. Babel creates that file empty
// before the program runs, and the program writes it only as it ends
// well, so it holds the empty text, which *this* is then ("", not nil),
// unless the program wrote it before it failed: Borges reads the
// attempt's value file, as for any value (an absent one is the empty
// text too).
func FailedFromFile(t *Task) bool {
	return t.ValueFile && (t.Reader == org.ReadPython || t.Reader == org.ReadRuby) && t.Session == nil && t.lispVar == nil && !t.ReadsOutput
}

// FailedThis is what a :post's *this* is bound to when t, its block (or
// the :post task before it in a chain), failed with org-babel-eval's
// nil (RunsAfterFailureOf): that nil, or for a block whose results are
// a file (:results file with a :file), the link to the file, as
// org-babel-execute-src-block sets the result to the file's name before
// it calls the :post whatever the body gave (and writes no file, the
// body's result being nil).
func FailedThis(doc *org.Document, t *Task) Value {
	if t.File != "" && !t.PostNil {
		return PostThis(doc, t, "", nil)
	}
	return Value{IsList: true}
}
