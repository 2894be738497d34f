package engine

import (
	"context"
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
	v, err := e.Submit(context.Background(), foundEmacsDoc)
	if err != nil {
		t.Fatal(err)
	}
	outputs := []struct{ prog, out string }{
		{"(+ 1 2)", "3"},
		{"(* 2 3)", "6"},
		{"echo 'echo nested'", "echo nested\n"},
		{"echo 'src_sh{echo inline}'", "src_sh{echo inline}\n"},
		{"echo nested", "nested\n"},
		{"echo inline", "inline\n"},
	}
	for n := 1; n <= 6; n++ {
		ls := waitLaunches(t, rb.fakeBackend, n)
		if len(ls) < n {
			t.Fatalf("%d launches, want %d", len(ls), n)
		}
		a := ls[n-1]
		out, found := "", false
		for _, o := range outputs {
			if strings.Contains(a.Script, o.prog) {
				out, found = o.out, true
				break
			}
		}
		if !found {
			t.Fatalf("launched %s: %q", a.Block, a.Script)
		}
		rb.setOutput(a.ID, out)
		finish(rb.fakeBackend, a, Finished, 0)
	}
	finished := false
	for range 4000 {
		if d, _ := e.Document(v.ID); d != nil && d.State == Finished {
			finished = true
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !finished {
		t.Fatalf("document %s has not finished", v.ID)
	}
	if l := rb.launches(); len(l) != 6 {
		t.Errorf("%d attempts, want 6 (4 blocks, 2 found in results)", len(l))
	}
	got, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != foundEmacsWant {
		t.Fatalf("results document:\n%s\nwant (Emacs):\n%s", got, foundEmacsWant)
	}
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
	outputs := map[string]string{"(+ 1 2)": "3", "printf": "#+begin_src emacs-lisp\n(+ 4 5)\n#+end_src\n"}
	for n := 1; n <= 2; n++ {
		ls := waitLaunches(t, rb.fakeBackend, n)
		if len(ls) < n {
			t.Fatalf("%d launches, want %d", len(ls), n)
		}
		a := ls[n-1]
		out, found := "", false
		for prog, o := range outputs {
			if strings.Contains(a.Script, prog) {
				out, found = o, true
			}
		}
		if !found {
			t.Fatalf("launched %s: %q", a.Block, a.Script)
		}
		rb.setOutput(a.ID, out)
		finish(rb.fakeBackend, a, Finished, 0)
	}
	finished := false
	for range 4000 {
		if d, _ := e.Document(v.ID); d != nil && d.State == Finished {
			finished = true
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !finished {
		t.Fatalf("document %s has not finished", v.ID)
	}
	if l := rb.launches(); len(l) != 2 {
		t.Errorf("%d attempts, want 2 (the Emacs Lisp block found is not run)", len(l))
	}
}
