package engine

import (
	"strings"
	"testing"
)

// TestPostStopperShown: a block's :post is a JavaScript block whose value
// Emacs cannot read: the document
// stops at the block, and the block the stop holds, and the document's
// notes, name the stopping :post as views show it (plan.Task.PostShown),
// "block main (:post js(x=*this*))", not by the names of Borges' tasks.
func TestPostStopperShown(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: js\n#+begin_src js :var x=\"\"\nreturn '   '\n#+end_src\n\n"+
		"#+name: main\n#+begin_src sh :post js(x=*this*)\necho main\n#+end_src\n\n"+
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n")
	endLaunch(t, rb, "js", 1, "1\n", Finished)
	endLaunch(t, rb, "main", 1, "main\n", Finished)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	endLaunch(t, rb, "main :post js(x=*this*)", 1, "'   '\n", Finished)
	finish(rb.fakeBackend, slow, Finished, 0)
	finishLaunchedRunsOf(e, rb, id, "slow")
	d := waitDocumentEnded(t, e, id)
	const stopper = "block main (:post js(x=*this*))"
	if m, _ := blockMessage(d, "after"); m != failStopAt+"6, for "+stopper+", "+failStopWhy+": End of file during parsing" {
		t.Errorf("after: %q, want held by the :post at line 6", m)
	}
	notes := strings.Join(d.Notes, "\n")
	if !strings.Contains(notes, "stops this document at the block at line 6, for "+stopper+", "+failStopWhy) {
		t.Errorf("notes %q: want the stop at line 6 for %s", notes, stopper)
	}
}
