package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestShellBindStopAtReferrer: a block referring to a "shell" block
// whose shell, bash, cannot bind its table (plan's shellbindstop.go)
// stops where Emacs stops: at the referring block, resolving its :var,
// before it runs, saying its variable's value cannot be bound; it writes
// nothing, and the block after it (waiting for the same block, so not
// started before the stop is known) is not run.
func TestShellBindStopAtReferrer(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: two\n| k | v |\n|---+---|\n| a | 1 |\n\n"+
		"#+name: ref\n#+begin_src sh :var y=stop\necho \"got $y\"\n#+end_src\n\n"+
		"#+name: stop\n#+begin_src shell :var tb=two :hlines yes :colnames no\necho \"$tb\"\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :var s=stop\necho after\n#+end_src\n")
	// The run ref's reference makes of stop stops the document; the
	// runs started beside it before the stop was known (stop's own, and
	// the one after's reference makes) run on, each as bash would.
	for _, n := range []string{"ref :var y=stop", "stop", "after :var s=stop"} {
		a := launchOf(t, rb.fakeBackend, n, 1)
		rb.setOutput(a.ID, programOutput(t, a, "/bin/bash"))
		finish(rb.fakeBackend, a, Finished, 0)
	}
	d := waitDocumentEnded(t, e, id)
	for _, a := range rb.launches() {
		if a.Block == "ref" || a.Block == "after" {
			t.Errorf("block %s launched, want it not run", a.Block)
		}
	}
	if m, _ := blockMessage(d, "ref"); !strings.HasPrefix(m, "not run: org-babel-execute-buffer stopped in it,") || !strings.Contains(m, plan.BashAssocRuleError) || !strings.Contains(m, bindStopWhy) {
		t.Errorf("ref: %q", m)
	}
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, "stopped before it") {
		t.Errorf("after: %q", m)
	}
	doc, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(doc, "#+RESULTS") {
		t.Errorf("results written:\n%s", doc)
	}
}
