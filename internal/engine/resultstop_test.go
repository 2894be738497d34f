package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// TestStoppedAtResult: a block whose results stop Emacs once it has run
// (plan.ResultStop) stops the document there, known when it ends: the
// block after it that had not started is not run and says why, one that
// had started runs on. A table the exporter leaves no row of has its
// keyword written alone (org.TableStopError); column names that are a
// rule (a :var table starting with one, :colnames yes) leave its results
// as they were (plan.ColnamesStopError).
func TestStoppedAtResult(t *testing.T) {
	for _, c := range []struct {
		name, head, output, why, written, unwritten string
		line                                        int
	}{
		{"table of special rows", "#+name: stop\n#+begin_src sh :results table\nprintf '/\\ta\\n'\n#+end_src\n\n",
			"/\ta\n", org.TableStopError, "#+RESULTS: stop\n\n", "| a |", 1},
		{"column names a rule", "#+name: t\n|---+---|\n| a | b |\n\n#+name: stop\n#+begin_src sh :var x=t :colnames yes\necho \"$x\"\n#+end_src\n\n#+RESULTS: stop\n: old\n\n",
			"a\tb\n", plan.ColnamesStopError, "#+RESULTS: stop\n: old\n", "#+RESULTS: stop\n|", 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, c.head+
				"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
				"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n")
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			rb.setOutput(stop.ID, c.output)
			finish(rb.fakeBackend, stop, Finished, 0)
			finish(rb.fakeBackend, slow, Finished, 0)
			stoppedBeforeAfter(t, rb, waitDocumentEnded(t, e, id), 2, c.line, c.why)
			doc, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(doc, c.written) || strings.Contains(doc, c.unwritten) {
				t.Errorf("results document:\n%s", doc)
			}
		})
	}
}
