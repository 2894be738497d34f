package engine

import (
	"context"
	"strings"
	"testing"
)

// A block :eval no found in results whose :var calls an Emacs Lisp block
// with arguments, with a block of the document's Emacs Lisp after the
// writer: Emacs runs the call as it meets the refused block, before it
// gets to that later block, which sees what the call left. Checked with
// Emacs 28.2: found_evalno_var_call_elisp_doc_after.org of internal/plan.

// TestFoundBeforeEmacsTaskCall: the refused block found in the shell
// block's results calls push(n=1); the Emacs Lisp block after the writer
// reads the variable push conses onto. The call runs in the document's
// Emacs first (that later block waits for it), the refused block marked
// there, and the document is written as Emacs writes it.
func TestFoundBeforeEmacsTaskCall(t *testing.T) {
	push := "#+name: push\n#+begin_src emacs-lisp :var n=0\n(setq borges-seen (cons n (and (boundp 'borges-seen) borges-seen)))\n#+end_src\n"
	writer := "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh :eval no :var y=push(n=1)' 'echo one' '#+end_src'\n#+end_src\n"
	later := "#+begin_src emacs-lisp\nborges-seen\n#+end_src\n"
	raw := "#+begin_src sh :eval no :var y=push(n=1)\necho one\n#+end_src\n"
	_, rb, e, _, id := submitOnDisk(t, push+"\n"+writer+"Text right after.\n\n"+later)
	want := push + "\n#+RESULTS: push\n| 0 |\n\n" + writer + "\n#+RESULTS:\n" + raw + "\nText right after.\n\n" + later + "\n#+RESULTS:\n| 1 | 0 |\n"
	answerByProgram(t, rb.fakeBackend, 2, []progOutput{
		{"(setq borges-seen", "(0)"},
		{"printf '%s\\n'", raw},
	})
	waitLaunches(t, rb.fakeBackend, 3)
	// The later block waits for the call: it runs after it in that
	// Emacs.
	e.mu.Lock()
	var waits bool
	if b := e.docs[id].byName["block-3"]; b != nil && b.task != nil {
		for _, a := range b.task.After {
			waits = waits || strings.Contains(a, "push(n=1)")
		}
	}
	e.mu.Unlock()
	if !waits {
		t.Error("the later Emacs Lisp block does not wait for the call of the refused block found before it")
	}
	// The call, then the later block (which waits for it).
	for i, out := range []string{"(1 0)", "(1 0)"} {
		ls := waitLaunches(t, rb.fakeBackend, 3+i)
		if len(ls) < 3+i {
			t.Fatalf("%d launches, want %d", len(ls), 3+i)
		}
		rb.setOutput(ls[2+i].ID, out)
		finish(rb.fakeBackend, ls[2+i], Finished, 0)
	}
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := len(rb.launches())
	if got != want {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
	if n != 4 {
		t.Errorf("%d attempts, want 4: push, the shell block, the call, the later block", n)
	}
	call, last := -1, -1
	for i, l := range rb.launches() {
		switch {
		case strings.Contains(l.Block, "push(n=1)"):
			call = i
			if !strings.Contains(l.Script, "borges--found-mark") {
				t.Errorf("the call does not mark the refused block found in the document's Emacs:\n%s", l.Script)
			}
		case strings.Contains(l.Script, "\"borges-seen\" params"):
			last = i
		}
	}
	if call < 0 || last < call {
		t.Errorf("the call launched at %d, the later block at %d: the later block must wait for the call", call, last)
	}
}
