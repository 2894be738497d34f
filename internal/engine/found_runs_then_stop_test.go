package engine

import (
	"context"
	"strings"
	"testing"
)

// A shell block's raw results hold a block that runs and, after it, a
// block found that stops the document (its :var or noweb call names no
// block, or Babel has no function for its language), before the
// document's Emacs Lisp block. Checked with Emacs 28.2 (internal/plan's
// found_runs_then_{referr,noweb_referr,nolang,org}_before_emacs.org):
// org-babel-execute-buffer runs the first block found, writes its
// results, then stops at the second; the blocks after it do not run.

// foundRunsThenStopDoc is such a document, stopping the found block's
// text (between its #+begin_src line and #+end_src, printf's words).
func foundRunsThenStopDoc(stopping string) string {
	return "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh' 'echo first' '#+end_src' 'Between.' " + stopping + " '#+end_src'\n#+end_src\nText right after.\n\n" +
		"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+begin_src sh\necho never\n#+end_src\n"
}

// TestFoundRunsThenStopBeforeEmacs: the block found before the stopping
// one runs beside the document's Emacs and its results are written
// (: first); the block found that stops, the document's Emacs Lisp block
// and the shell block after it are not run, each saying why, the notes
// say where the document stopped, and the document is Emacs's.
func TestFoundRunsThenStopBeforeEmacs(t *testing.T) {
	for _, c := range []struct {
		name, stopping, printed, stopErr string
	}{
		{"reference error", "'#+begin_src sh :var x=nosuchthing' 'echo $x'", "#+begin_src sh :var x=nosuchthing\necho $x\n", "Reference ‘nosuchthing’ not found in this buffer"},
		{"noweb reference error", "'#+begin_src sh :noweb yes' '<<nosuch()>>'", "#+begin_src sh :noweb yes\n<<nosuch()>>\n", "Reference ‘nosuch’ not found in this buffer"},
		{"block of no language", "'#+begin_src nosuchlang' 'anything'", "#+begin_src nosuchlang\nanything\n", "No org-babel-execute function for nosuchlang!"},
		{"org block", "'#+begin_src org' '- an item'", "#+begin_src org\n- an item\n", "No org-babel-execute function for org!"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := foundRunsThenStopDoc(c.stopping)
			printed := "#+begin_src sh\necho first\n#+end_src\nBetween.\n" + c.printed + "#+end_src\n"
			// As Emacs leaves it (emacs --batch).
			want := strings.Replace(doc, "#+end_src\nText right after.\n",
				"#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho first\n#+end_src\n\n#+RESULTS:\n: first\n\nBetween.\n"+c.printed+"#+end_src\n\nText right after.\n", 1)
			_, rb, e, _, id := submitOnDisk(t, doc)
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), printed)
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1-found-1", 1), "first\n")
			d := waitDocumentEnded(t, e, id)
			for _, held := range []string{"block-2", "block-3"} {
				if msg, ok := blockMessage(d, held); !ok || !strings.HasPrefix(msg, "not run: org-babel-execute-buffer stopped before it") || !strings.Contains(msg, c.stopErr) {
					t.Errorf("%s: %q; want not run, stopped before it at %q", held, msg, c.stopErr)
				}
			}
			stopper := false
			for _, b := range d.Blocks {
				if b.Name == "block-1-found-2" && b.AddedBy == "block-1" {
					stopper = !b.Runnable && strings.Contains(b.Reason, c.stopErr)
				}
			}
			if !stopper {
				t.Errorf("the block found that stops the document is not listed not run, saying why: %+v", d.Blocks)
			}
			if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "stops this document") || !strings.Contains(n, c.stopErr) {
				t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
			}
			if l := rb.launches(); len(l) != 2 {
				t.Errorf("%d attempts, want 2 (the writer and the block found before the stop)", len(l))
			}
			got, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
			}
		})
	}
}
