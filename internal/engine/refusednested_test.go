package engine

import (
	"strings"
	"testing"
)

// TestRefRunInsideRefusedCallHeld: the run of g(k=2) that f's :var makes
// inside the run of f(n=1) a block :eval no refuses makes in its :var
// values ("f :var z=g(k=2)") is made, as that call is, at the refused
// block's turn, past the stop js makes at line 1: Emacs never makes it,
// nor the call; Borges holds both, saying so.
func TestRefRunInsideRefusedCallHeld(t *testing.T) {
	// js and slow of refRunCallDoc.
	doc := refRunCallDoc[:strings.Index(refRunCallDoc, "#+name: f")] +
		"#+name: g\n#+begin_src sh :var k=0 :var s=slow\necho g$k\n#+end_src\n\n" +
		"#+name: f\n#+begin_src sh :var n=0 :var z=g(k=2)\necho f$n\n#+end_src\n\n" +
		"#+name: refused\n#+begin_src sh :eval no :var x=f(n=1)\necho refused\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	jsStopsThen(t, e, rb, id, "slow")
	for _, run := range []string{"f :var z=g(k=2)", "refused :var x=f(n=1)"} {
		if endedOrLaunched(e, rb, id, run) {
			t.Errorf("%s launched past the stop at line 1, before the refused block's turn (launches %q)", run, launchedBlocks(rb.fakeBackend))
		}
	}
	d := waitDocumentEnded(t, e, id)
	for _, run := range []string{"f :var z=g(k=2)", "refused :var x=f(n=1)"} {
		if m, _ := anyBlockMessage(d, run); m != jsStopMessage {
			t.Errorf("%s: %q; want %q", run, m, jsStopMessage)
		}
	}
}
