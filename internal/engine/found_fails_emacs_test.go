package engine

import (
	"context"
	"strings"
	"testing"
)

// TestFoundFailsBeforeEmacsLisp: a block found in results that exits
// non-zero, before an Emacs Lisp block, is failed, and the document goes
// on, as Emacs goes on past org-babel-eval's nil: the Emacs Lisp block
// and the block after it still run and write their results (checked with
// Emacs 28.2: found_fails_before_emacs.org of internal/plan).
func TestFoundFailsBeforeEmacsLisp(t *testing.T) {
	doc := "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh :results silent' 'exit 3' '#+end_src'\n#+end_src\nText right after.\n\n" +
		"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n" +
		"#+begin_src sh\necho last\n#+end_src\n"
	_, rb, e, _, id := submitOnDisk(t, doc)
	fb := rb.fakeBackend
	out := map[string]string{"block-1": "#+begin_src sh :results silent\nexit 3\n#+end_src\n", "block-2": "3", "block-3": "last\n"}
	var order []string
	for done := 0; done < 10 && nextLaunch(e, fb, id, done); done++ {
		a := fb.launches()[done]
		order = append(order, a.Block)
		if a.Block == "block-1-found-1" {
			finish(fb, a, Failed, 3)
			continue
		}
		fb.setOutput(a.ID, out[a.Block])
		finish(fb, a, Finished, 0)
	}
	if want := "block-1 block-1-found-1 block-2 block-3"; strings.Join(order, " ") != want {
		t.Errorf("launched %v, want %s", order, want)
	}
	if d, err := e.Document(id); err != nil || d.State != Failed {
		t.Errorf("document %+v (%v), want it failed (its found block failed) and ended", d, err)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"(+ 1 2)\n#+end_src\n\n#+RESULTS:\n: 3\n", "echo last\n#+end_src\n\n#+RESULTS:\n: last\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("results document lacks %q:\n%s", want, got)
		}
	}
}
