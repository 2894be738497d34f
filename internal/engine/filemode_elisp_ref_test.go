package engine

import (
	"context"
	"testing"
)

// TestFileModeElispRefFileServed: an Emacs Lisp block whose :file-mode
// stops Emacs, referred to by a block before it, is run by the
// reference's value task (plan's elispRefRun), which writes the block's
// :file as its own run does: Engine.ReadFile serves that file, its value
// written as the block's run writes it (plan.FileText).
func TestFileModeElispRefFileServed(t *testing.T) {
	for _, c := range []struct{ name, out, want string }{
		{"string", `s"hello"`, "hello"},
		{"list", `(d1 s"two" y"three")`, `(1 "two" three)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, "#+begin_src sh :var a=w\necho a=$a\n#+end_src\n\n"+
				"#+name: w\n#+begin_src emacs-lisp :results file :file w.txt :file-mode \"bad\"\n\"hello\"\n#+end_src\n\n"+
				"#+begin_src sh\necho after\n#+end_src\n")
			// The one launch: the reference's value task, which
			// runs the Emacs Lisp block (the sh block waits for it).
			ls := waitLaunches(t, rb.fakeBackend, 1)
			rb.setOutput(ls[0].ID, c.out)
			finish(rb.fakeBackend, ls[0], Finished, 0)
			waitDocumentEnded(t, e, id)
			if data, err := e.ReadFile(context.Background(), id, "w.txt"); err != nil || string(data) != c.want {
				t.Fatalf("w.txt: %q %v, want %q", data, err, c.want)
			}
		})
	}
}
