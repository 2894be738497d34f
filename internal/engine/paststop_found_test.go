package engine

import (
	"context"
	"strings"
	"testing"
)

// pastFoundStopDoc has block a, which refers to block other; block
// code, whose raw results hold a block of no language (a block found in
// results that stops org-babel-execute-buffer there); and other after
// it (as testdata/stop_found_ref_after_stop.org of package plan, checked
// against Emacs).
const pastFoundStopDoc = "#+name: a\n#+begin_src sh :var v=other\necho \"a $v\"\n#+end_src\n\n" +
	"#+name: code\n#+begin_src sh :results raw\necho found\n#+end_src\nAfter.\n\n" +
	"#+name: other\n#+begin_src sh\necho other\n#+end_src\n"

// TestPastFoundStopRefUnwritten: other, run for a's reference, ends
// before the block found in code's results stops the document, so the
// results searched for blocks hold other's results by then; its own
// turn stands past that stop, where Emacs never writes them: write-back
// leaves them out, searching the results again, and writes a's and
// code's.
func TestPastFoundStopRefUnwritten(t *testing.T) {
	for _, otherFirst := range []bool{true, false} {
		name := "other ends last"
		if otherFirst {
			name = "other ends first"
		}
		t.Run(name, func(t *testing.T) {
			e, rb, id := submitToReport(t, pastFoundStopDoc)
			other := launchOf(t, rb.fakeBackend, "other", 1)
			code := launchOf(t, rb.fakeBackend, "code", 1)
			if otherFirst {
				endWith(t, e, rb, id, other, "other\n")
				waitContains(t, e, id, otherResults, "the stop is not known yet")
			}
			endWith(t, e, rb, id, code, "#+begin_src nosuchlang\nanything\n#+end_src\n")
			if !otherFirst {
				endWith(t, e, rb, id, other, "other\n")
			}
			endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
			waitDocumentEnded(t, e, id)
			text, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, "#+RESULTS: a\n: a other\n") || !strings.Contains(text, "#+RESULTS: code\n#+begin_src nosuchlang\n") || strings.Contains(text, otherResults) {
				t.Errorf("results document: want a's and code's results, not other's:\n%s", text)
			}
		})
	}
}
