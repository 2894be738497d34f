package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// foundReferrDoc has a shell block whose raw results hold a block whose
// :var names no block, and after it an Emacs Lisp block and a shell
// block (plan's testdata/found_referr_before_emacs.org).
const foundReferrDoc = "#+begin_src sh :results raw\nprintf 'one\\n#+begin_src sh :var x=nosuchthing\\necho $x\\n#+end_src\\n'\n#+end_src\nText right after.\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+begin_src sh\necho never\n#+end_src\n"

// foundReferrWant is foundReferrDoc as Emacs leaves it (emacs --batch):
// stopped at the block found, "Reference ‘nosuchthing’ not found in
// this buffer", neither later block run.
const foundReferrWant = "#+begin_src sh :results raw\nprintf 'one\\n#+begin_src sh :var x=nosuchthing\\necho $x\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\none\n#+begin_src sh :var x=nosuchthing\necho $x\n#+end_src\n\nText right after.\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+begin_src sh\necho never\n#+end_src\n"

// TestFoundReferenceErrorStops: a block found in results whose :var
// names no block stops the document there, as Emacs stops resolving
// it, with Emacs's error: the blocks after it, the document's Emacs Lisp
// block among them, are not run and say why, the notes say where it
// stopped, and the results are Emacs's; the same with no Emacs Lisp
// block after it, but for the shell block after it, started beside the
// one whose results hold the block found: it runs, its results not
// written.
func TestFoundReferenceErrorStops(t *testing.T) {
	const stopErr = "Reference ‘nosuchthing’ not found in this buffer"
	for _, c := range []struct {
		name, doc, want string
		held            []string
		launched        int
	}{
		{"before an Emacs Lisp block", foundReferrDoc, foundReferrWant, []string{"block-2", "block-3"}, 1},
		{"no Emacs Lisp block",
			strings.Replace(foundReferrDoc, "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n", "", 1),
			// The shell block after it, which waits for nothing, started
			// before the stop was known: it runs on, its results not
			// written, as after a block of no language found (README).
			strings.Replace(foundReferrWant, "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n", "", 1),
			nil, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			rb := newReportBackend()
			e, stop := startEngine(t, t.TempDir(), rb, Config{})
			t.Cleanup(stop)
			v, err := e.Submit(context.Background(), c.doc)
			if err != nil {
				t.Fatal(err)
			}
			ls := waitLaunches(t, rb.fakeBackend, c.launched)
			if i := slices.IndexFunc(ls, func(l *Attempt) bool { return strings.Contains(l.Script, "printf") }); len(ls) != c.launched || i < 0 {
				t.Fatalf("launches: %+v", ls)
			} else {
				ls[0], ls[i] = ls[i], ls[0]
			}
			rb.setOutput(ls[0].ID, "one\n#+begin_src sh :var x=nosuchthing\necho $x\n#+end_src\n")
			finish(rb.fakeBackend, ls[0], Finished, 0)
			for _, l := range ls[1:] {
				// Started beside it, before the stop was known: its
				// results are not written past the stop.
				rb.setOutput(l.ID, "never\n")
				finish(rb.fakeBackend, l, Finished, 0)
			}
			d := waitDocumentEnded(t, e, v.ID)
			for _, held := range c.held {
				if msg, ok := blockMessage(d, held); !ok || !strings.HasPrefix(msg, "not run: org-babel-execute-buffer stopped before it") || !strings.Contains(msg, stopErr) {
					t.Errorf("%s: %q; want not run, stopped before it at %q", held, msg, stopErr)
				}
			}
			if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "stops this document") || !strings.Contains(n, stopErr) {
				t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
			}
			if l := rb.launches(); len(l) != c.launched {
				t.Errorf("%d attempts, want %d (the blocks after the stop not run)", len(l), c.launched)
			}
			got, err := e.ResultDocument(context.Background(), v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, c.want)
			}
		})
	}
}
