package engine

import (
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestFailedNilStop: a block that exits non-zero where its language's
// function uses org-babel-eval's nil as text (plan.FailureStop: ob-perl
// inserts it under :results output, ob-python and ob-ruby trim or escape
// it under :results output table) stops the document there, known when
// it ends: the block after it that had not started is not run and says
// Emacs's error, and its results stay as they were.
func TestFailedNilStop(t *testing.T) {
	for _, c := range []struct{ head, why string }{
		{"perl :results output", plan.PerlOutputNilError},
		{"perl :results output silent", plan.PerlOutputNilError},
		{"python :results output table", plan.PythonTableNilError},
		{"ruby :results output table", plan.RubyTableNilError},
		{"python :results output table silent", plan.PythonTableNilError},
		{"perl :results output none", plan.PerlOutputNilError},
	} {
		t.Run(c.head, func(t *testing.T) {
			e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src "+c.head+"\ndie;\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+slowAfter)
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			d := stopThenSlowEnded(t, e, rb, id, stop, launchOf(t, rb.fakeBackend, "slow", 1), "partial\n", Failed)
			stoppedBeforeAfter(t, rb, d, 2, 1, c.why)
			resultsKept(t, e, id, "#+RESULTS: stop\n: old\n")
		})
	}
}

// TestFailedNilNoStop: a Perl value block that fails (ob-perl skips
// org-babel-eval's nil), and a Perl output block the user said may fail
// (:on-failure continue, Borges's own), stop nothing: the block after
// them runs.
func TestFailedNilNoStop(t *testing.T) {
	for _, head := range []string{"perl", "perl :results output :on-failure continue"} {
		t.Run(head, func(t *testing.T) {
			e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src "+head+"\ndie;\n#+end_src\n\n"+slowAfter)
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			rb.setOutput(stop.ID, "partial\n")
			finish(rb.fakeBackend, stop, Failed, 1)
			waitState(t, e, id, "stop", Failed)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "slow", 1), Finished, 0)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
			noStop(t, waitDocumentEnded(t, e, id))
		})
	}
}
