package engine

import (
	"slices"
	"testing"

	"github.com/wallyqs/borges/internal/session"
)

// TestPostCalleeRefCachedLispVarErrorStopKeepsBlockResults: a :post
// calling a block whose :var refers to a later block :cache yes whose
// Lisp :var value signals an error: Emacs evaluates the value reading
// that block's information (before it looks at its cache) as it runs it
// for the reference, inside the :post, and stops there (checked with
// Emacs 28.2: stop_post_callee_ref_cached_var_error.org), at the block
// whose :post it is, its results kept as they were; so after a server
// restart as well. The value is evaluated in the run the reference makes
// (its hash not current there: no results), the task "f :var z=h ...".
func TestPostCalleeRefCachedLispVarErrorStopKeepsBlockResults(t *testing.T) {
	postCalleeLispVarFails(t, postCalleeRefDoc("sh :cache yes :var y=(error \"boom\")\necho h"), "f :var z=h :var y=(error \"boom\")")
}

// postMainDoc begins the documents of the :post callee tests: main, with
// old results, whose :post calls f.
const postMainDoc = "#+name: main\n#+begin_src sh :post f(x=*this*)\necho main\n#+end_src\n\n#+RESULTS: main\n: old main\n\n"

// postCalleeRefDoc is postMainDoc with f, whose :var refers to h, whose
// language, header arguments and body are h.
func postCalleeRefDoc(h string) string {
	return postMainDoc + "#+name: f\n#+begin_src sh :var x=\"\" :var z=h\necho \"$x $z\"\n#+end_src\n\n" +
		"#+name: h\n#+begin_src " + h + "\n#+end_src\n"
}

// TestPostCalleeNowebCachedLispVarErrorStopKeepsBlockResults: the same
// with the later block :cache yes called by noweb in the callee's body
// (stop_post_callee_noweb_cached_var_error.org).
func TestPostCalleeNowebCachedLispVarErrorStopKeepsBlockResults(t *testing.T) {
	const doc = postMainDoc + "#+name: f\n#+begin_src sh :noweb yes :var x=\"\"\necho \"$x <<g()>>\"\n#+end_src\n\n" +
		"#+name: g\n#+begin_src sh :cache yes :var y=(error \"boom\")\necho g\n#+end_src\n"
	postCalleeLispVarFails(t, doc, "f <<g()>> :var y=(error \"boom\")")
}

// TestPostCalleeRefElispLispVarErrorStopKeepsBlockResults: a :post
// calling a block whose :var refers to a later Emacs Lisp block whose own
// Lisp :var value signals an error: Emacs runs that block for the
// reference inside the :post, once the block whose :post it is has run,
// and stops there (checked with Emacs 28.2:
// stop_post_callee_ref_elisp_var_error.org), that block's results kept
// as they were; so after a server restart as well.
func TestPostCalleeRefElispLispVarErrorStopKeepsBlockResults(t *testing.T) {
	postCalleeElispRunFails(t, "emacs-lisp :var y=(error \"boom\")\n\"h\"", session.ErrLispVarSignalled.Error()+": boom")
}

// TestPostCalleeRefElispErrorStopKeepsBlockResults: the same with the
// Emacs Lisp block's body signalling the error
// (stop_post_callee_ref_elisp_error.org).
func TestPostCalleeRefElispErrorStopKeepsBlockResults(t *testing.T) {
	postCalleeElispRunFails(t, "emacs-lisp\n(error \"boom\")", "Emacs Lisp error: boom")
}

// postCalleeElispRunFails submits a document whose block main's :post
// calls f, whose :var refers to h, an Emacs Lisp block (postCalleeRefDoc),
// ends main, fails h's run for the reference with
// msg, and checks the stop at main, its results kept (mainStopKept).
func postCalleeElispRunFails(t *testing.T, h, msg string) {
	t.Helper()
	const run = "f :var z=h"
	dir, rb, e, stop, id := submitOnDisk(t, postCalleeRefDoc(h))
	endLaunch(t, rb, "main", 1, "main\n", Finished)
	lv := launchOf(t, rb.fakeBackend, run, 1)
	if !slices.Contains(lv.Task.After, "main") {
		t.Errorf("%s waits for %v, want main too: Emacs runs it inside main's :post", run, lv.Task.After)
	}
	rb.sink(Update{AttemptID: lv.ID, State: Running})
	rb.sink(Update{AttemptID: lv.ID, State: Failed, Message: msg})
	mainStopKept(t, dir, rb, e, stop, id, 1)
}

// TestPostRefusedCalleeLispArgumentNotEvaluated: a :post calling a block
// :eval no with an argument that is a Lisp form signalling an error:
// org-babel-check-evaluate refuses the block before its parameters, the
// arguments among them, are evaluated (checked with Emacs 28.2:
// stop_post_callee_evalno_arg_error.org): the document runs, the :post
// gives nil, written as the block's results, and the block after runs.
func TestPostRefusedCalleeLispArgumentNotEvaluated(t *testing.T) {
	const doc = "#+name: main\n#+begin_src sh :post f(x=*this*, y=(error \"boom\"))\necho main\n#+end_src\n\n#+RESULTS: main\n: old main\n\n" +
		"#+name: f\n#+begin_src sh :eval no :var x=\"\" :var y=\"\"\necho \"$x $y\"\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n"
	_, rb, e, _, id := submitOnDisk(t, doc)
	endLaunch(t, rb, "main", 1, "main\n", Finished)
	endLaunch(t, rb, "after", 1, "after\n", Finished)
	waitDocumentEnded(t, e, id)
	resultsKept(t, e, id, "#+RESULTS: main\n: nil\n")
	resultsKept(t, e, id, "#+RESULTS: after\n: after\n")
}
