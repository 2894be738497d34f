package engine

import (
	"context"
	"strings"
	"testing"
)

// A block :eval no found in results, after every task of the document's
// Emacs, whose :var calls an Emacs Lisp block with arguments: Emacs
// resolves the :var values before it refuses the block, running the call
// there, in its Emacs (plan.Addition.Calls, wired there as an added Emacs
// Lisp block is). Checked with Emacs 28.2: found_evalno_var_call_elisp.org
// and found_evalno_var_call_stop.org of internal/plan.

// foundCallDoc's refused block, found in the shell block's results,
// calls keep(n=4), which sets a variable that the Emacs Lisp block found
// after it reads.
const foundCallDoc = "#+name: keep\n#+begin_src emacs-lisp :var n=0\n(setq borges-kept (* 10 n))\n#+end_src\n\n" +
	"#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh :eval no :var y=keep(n=4)' 'echo skipped' '#+end_src' '' '#+begin_src emacs-lisp' 'borges-kept' '#+end_src'\n#+end_src\n"

// foundCallRaw is what the shell block of foundCallDoc prints.
const foundCallRaw = "#+begin_src sh :eval no :var y=keep(n=4)\necho skipped\n#+end_src\n\n#+begin_src emacs-lisp\nborges-kept\n#+end_src\n"

// TestFoundRefusedCallRunsInEmacs: the call of the refused block found
// runs in the document's Emacs (after keep, before the Emacs Lisp block
// found after it, which runs there too), and the document is written as
// Emacs writes it, live and on a server started again.
func TestFoundRefusedCallRunsInEmacs(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, foundCallDoc)
	want := "#+name: keep\n#+begin_src emacs-lisp :var n=0\n(setq borges-kept (* 10 n))\n#+end_src\n\n#+RESULTS: keep\n: 0\n\n" +
		"#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh :eval no :var y=keep(n=4)' 'echo skipped' '#+end_src' '' '#+begin_src emacs-lisp' 'borges-kept' '#+end_src'\n#+end_src\n\n#+RESULTS:\n" +
		foundCallRaw + "\n#+RESULTS:\n: 40\n"
	got, n := answerInOrder(t, e, rb.fakeBackend, id, []progOutput{
		{"(setq borges-kept", "0"},
		{"printf '%s\\n'", foundCallRaw},
		{"(setq borges-kept", "40"},
		{"borges-kept", "40"},
	})
	if got != want {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
	if n != 4 {
		t.Errorf("%d attempts, want 4: keep, the shell block, the call, the block found", n)
	}
	var call *Attempt
	for _, l := range rb.launches() {
		if strings.Contains(l.Block, "keep(n=4)") {
			call = l
		}
	}
	if call == nil {
		t.Fatal("the call keep(n=4) was not launched")
	}
	if !strings.Contains(call.Script, "borges--found-mark") {
		t.Errorf("the call does not mark the refused block found in the document's Emacs:\n%s", call.Script)
	}
	// A server started again on the same store shows the same text,
	// launching nothing.
	stop()
	if again, l := restartedResults(t, dir, rb, id); again != want || l != n {
		t.Errorf("after a restart %d attempts and\n%s\nwant %d and\n%s", l, again, n, want)
	}
}

// TestFoundRefusedCallInEmacsStops: the call's Lisp error stops the
// document at the refused block found: the block found after it is not
// run, and the document's results are as Emacs leaves them.
func TestFoundRefusedCallInEmacsStops(t *testing.T) {
	doc := strings.NewReplacer("keep(n=4)", "boom(n=1)", "keep", "boom", "(setq borges-kept (* 10 n))", "(if (= n 1) (error \"boom\") n)").Replace(foundCallDoc)
	raw := strings.ReplaceAll(foundCallRaw, "keep(n=4)", "boom(n=1)")
	e, rb, id := submitToReport(t, doc)
	answerByProgram(t, rb.fakeBackend, 2, []progOutput{
		{"(if (= n 1)", "0"},
		{"printf '%s\\n'", raw},
	})
	var call *Attempt
	for _, l := range waitLaunches(t, rb.fakeBackend, 3) {
		if strings.Contains(l.Block, "boom(n=1)") {
			call = l
		}
	}
	if call == nil {
		for _, l := range rb.launches() {
			t.Logf("launched %s", l.Block)
		}
		t.Fatal("the call boom(n=1) was not launched")
	}
	signalled(rb, call, "boom")
	d := waitDocumentEnded(t, e, id)
	if l := rb.launches(); len(l) != 3 {
		t.Errorf("%d attempts, want 3: the Emacs Lisp block found after the stop is not run", len(l))
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(doc, "#+end_src\n\n#+begin_src sh", "#+end_src\n\n#+RESULTS: boom\n: 0\n\n#+begin_src sh") + "\n#+RESULTS:\n" + raw
	if got != want {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
	checkHeldByCall(t, d, "block-2-found-2", "boom")
}
