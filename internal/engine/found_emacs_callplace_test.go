package engine

import (
	"context"
	"strings"
	"testing"
)

// foundAfterEmacsCallDoc has an Emacs Lisp block calling another with
// arguments before a shell block, last, whose raw results hold an Emacs
// Lisp block (testdata/found_elisp_call_before_writer.org of package
// plan, checked against Emacs): the call's task has no block of its own,
// and stands where the block calling it does, before the block found.
const foundAfterEmacsCallDoc = "#+name: push\n#+begin_src emacs-lisp :var n=0\n(list n)\n#+end_src\n\n" +
	"#+begin_src emacs-lisp :var v=push(n=5)\nv\n#+end_src\n\n" +
	"#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '7' '#+end_src'\n#+end_src\n"

// TestFoundAfterEmacsCall: once the Emacs's tasks, the call's included,
// and the writer have ended, the block found in the writer's results is
// launched (plan.FoundAfterEmacs places the call's task at the block
// calling it).
func TestFoundAfterEmacsCall(t *testing.T) {
	_, rb, e, stop, id := submitOnDisk(t, foundAfterEmacsCallDoc)
	t.Cleanup(stop)
	for _, name := range []string{"push", "block-2 :var v=push(n=5)", "block-2"} {
		finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, name, 1), "5")
		waitState(t, e, id, name, Finished)
	}
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-3", 1),
		"#+begin_src emacs-lisp\n7\n#+end_src\n")
	found := launchOf(t, rb.fakeBackend, "block-3-found-1", 1)
	finishLaunch(rb.fakeBackend, found, "7")
	if d := waitDocumentEnded(t, e, id); d.State != Finished {
		t.Fatalf("document %s, want finished", d.State)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(got, "#+begin_src emacs-lisp\n7\n#+end_src\n\n#+RESULTS:\n: 7\n") {
		t.Errorf("results document:\n%s\nwant the block found's results at its end", got)
	}
}
