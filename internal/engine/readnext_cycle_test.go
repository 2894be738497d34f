package engine

import (
	"strings"
	"testing"
)

// TestReadNextNotRunNamesCycle: the reader is not run when the block it
// runs for its reference would wait for it; the message names what
// closes that circle of waits: the document's Emacs running its blocks
// in their order, or a block of a session waiting for a finder before
// it (which refers to the reader), not the document's Emacs.
func TestReadNextNotRunNamesCycle(t *testing.T) {
	t.Run("emacs", func(t *testing.T) {
		e, rb, id := submitToReport(t, readNextAround("#+name: lisp\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n",
			"#+begin_src emacs-lisp\n\"later\"\n#+end_src\n"))
		endEach(t, rb, "block-1", "", "lisp", "", "data", "")
		d := waitDocumentEnded(t, e, id)
		readerNotRun(t, rb, d)
		if m, _ := blockMessage(d, "user"); !strings.Contains(m, "(the document's Emacs runs them in their order)") {
			t.Errorf("user: %q, want it to blame the document's Emacs", m)
		}
	})
	t.Run("finder", func(t *testing.T) {
		e, rb, id := submitToReport(t, writerOverData+
			"#+name: finder\n#+begin_src sh :var u=user :results raw\necho \"$u\"\n#+end_src\n\n"+
			"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n"+
			"#+name: data\n#+begin_src sh :session s :results output\necho later\n#+end_src\n")
		endEach(t, rb, "block-1", "")
		waitStored(t, e, id, "user", Failed)
		d, err := e.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		readerNotRun(t, rb, d)
		m, _ := blockMessage(d, "user")
		if !strings.Contains(m, "(block data, of a session, waits for block finder before it, whose results may hold blocks)") || strings.Contains(m, "Emacs runs them") {
			t.Errorf("user: %q, want it to blame the finder", m)
		}
	})
}
