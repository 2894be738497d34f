package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// foundEmacsDoc has Emacs Lisp blocks that edit nothing in the Org
// buffer, around shell blocks whose results hold blocks Emacs finds
// (internal/plan's testdata/results_run_elisp.org).
const foundEmacsDoc = "Blocks in the results a shell block has just written, in a document\nthat also has an Emacs Lisp block, which edits nothing.\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n" +
	"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\nText right after.\n\n" +
	"#+begin_src sh :results raw\necho 'src_sh{echo inline}'\n#+end_src\nText after the raw.\n\n" +
	"#+begin_src emacs-lisp\n(* 2 3)\n#+end_src\n"

// foundEmacsWant is what Emacs leaves of foundEmacsDoc.
const foundEmacsWant = "Blocks in the results a shell block has just written, in a document\nthat also has an Emacs Lisp block, which edits nothing.\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+RESULTS:\n: 3\n\n" +
	"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho nested\n#+end_src\n\n#+RESULTS:\n: nested\n\nText right after.\n\n" +
	"#+begin_src sh :results raw\necho 'src_sh{echo inline}'\n#+end_src\n\n#+RESULTS:\nsrc_sh{echo inline} {{{results(=inline=)}}}\n\nText after the raw.\n\n" +
	"#+begin_src emacs-lisp\n(* 2 3)\n#+end_src\n\n#+RESULTS:\n: 6\n"

// TestFoundInResultsBesideEmacsLisp: in a document whose Emacs Lisp
// blocks edit nothing in the document's Emacs buffer (no report of it),
// the blocks found in the results written run once that Emacs has ended
// its last task, and their results are written where Emacs writes them.
func TestFoundInResultsBesideEmacsLisp(t *testing.T) {
	rb := newReportBackend()
	e, stop := startEngine(t, t.TempDir(), rb, Config{})
	t.Cleanup(stop)
	checkFoundRun(t, e, rb, foundEmacsDoc, []progOutput{
		{"(+ 1 2)", "3"},
		{"(* 2 3)", "6"},
		{"echo 'echo nested'", "echo nested\n"},
		{"echo 'src_sh{echo inline}'", "src_sh{echo inline}\n"},
		{"echo nested", "nested\n"},
		{"echo inline", "inline\n"},
	}, 6, foundEmacsWant)
}

// TestFoundEmacsLispBesideEmacsLisp: an Emacs Lisp block found in the
// results written in a document whose Emacs has ended is not run (it
// would run in that Emacs, whose buffer holds neither those results nor
// it), nor are the blocks found with it; the document finishes.
func TestFoundEmacsLispBesideEmacsLisp(t *testing.T) {
	rb := newReportBackend()
	e, stop := startEngine(t, t.TempDir(), rb, Config{})
	t.Cleanup(stop)
	doc := "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n" +
		"#+begin_src sh :results raw\nprintf '#+begin_src emacs-lisp\\n(+ 4 5)\\n#+end_src\\n'\n#+end_src\nText right after.\n"
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	answerByProgram(t, rb.fakeBackend, 2, []progOutput{
		{"(+ 1 2)", "3"},
		{"printf", "#+begin_src emacs-lisp\n(+ 4 5)\n#+end_src\n"},
	})
	waitDocumentFinished(t, e, v.ID)
	if l := rb.launches(); len(l) != 2 {
		t.Errorf("%d attempts, want 2 (the Emacs Lisp block found is not run)", len(l))
	}
}

// progOutput is what a launch whose script holds prog prints.
type progOutput struct{ prog, out string }

// answerByProgram finishes the first n launches of fb, in the order they
// come, each with the output of the first of outputs whose program its
// script holds (the fake backend runs nothing); a launch of none fails
// the test.
func answerByProgram(t *testing.T, fb *fakeBackend, n int, outputs []progOutput) {
	t.Helper()
	for i := 1; i <= n; i++ {
		ls := waitLaunches(t, fb, i)
		if len(ls) < i {
			t.Fatalf("%d launches, want %d", len(ls), i)
		}
		a := ls[i-1]
		k := slices.IndexFunc(outputs, func(o progOutput) bool { return strings.Contains(a.Script, o.prog) })
		if k < 0 {
			t.Fatalf("launched %s: %q", a.Block, a.Script)
		}
		fb.setOutput(a.ID, outputs[k].out)
		finish(fb, a, Finished, 0)
	}
}

// waitDocumentFinished waits, with a generous bound, for document id of
// e to have finished.
func waitDocumentFinished(t *testing.T, e *Engine, id string) {
	t.Helper()
	for range 4000 {
		if d, _ := e.Document(id); d != nil && d.State == Finished {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("document %s has not finished", id)
}

// checkFoundRun submits doc to e, answers its first n launches
// (answerByProgram), and checks that the document finishes after those n
// attempts with want (what Emacs leaves of it) as its results document.
// It returns the document's id.
func checkFoundRun(t *testing.T, e *Engine, rb *reportBackend, doc string, outputs []progOutput, n int, want string) string {
	t.Helper()
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	answerByProgram(t, rb.fakeBackend, n, outputs)
	waitDocumentFinished(t, e, v.ID)
	if l := rb.launches(); len(l) != n {
		t.Errorf("%d attempts, want %d", len(l), n)
	}
	got, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
	return v.ID
}
