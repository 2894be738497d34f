package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// progOutput is what a launch whose script holds prog prints.
type progOutput struct{ prog, out string }

// answerByProgram finishes the first n launches of fb, in the order they
// come, each with the output of the first of outputs whose program its
// script holds (the fake backend runs nothing); a launch of none fails
// the test.
func answerByProgram(t *testing.T, fb *fakeBackend, n int, outputs []progOutput) {
	t.Helper()
	for i := 1; i <= n; i++ {
		ls := waitLaunches(t, fb, i)
		if len(ls) < i {
			t.Fatalf("%d launches, want %d", len(ls), i)
		}
		a := ls[i-1]
		k := slices.IndexFunc(outputs, func(o progOutput) bool { return strings.Contains(a.Script, o.prog) })
		if k < 0 {
			t.Fatalf("launched %s: %q", a.Block, a.Script)
		}
		fb.setOutput(a.ID, outputs[k].out)
		finish(fb, a, Finished, 0)
	}
}

// waitDocumentFinished waits, with a generous bound, for document id of
// e to have finished.
func waitDocumentFinished(t *testing.T, e *Engine, id string) {
	t.Helper()
	for range 4000 {
		if d, _ := e.Document(id); d != nil && d.State == Finished {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("document %s has not finished", id)
}

// checkFoundRun submits doc to e, answers its first n launches
// (answerByProgram), and checks that the document finishes after those n
// attempts with want (what Emacs leaves of it) as its results document.
// It returns the document's id.
func checkFoundRun(t *testing.T, e *Engine, rb *reportBackend, doc string, outputs []progOutput, n int, want string) string {
	t.Helper()
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	answerByProgram(t, rb.fakeBackend, n, outputs)
	waitDocumentFinished(t, e, v.ID)
	if l := rb.launches(); len(l) != n {
		t.Errorf("%d attempts, want %d", len(l), n)
	}
	got, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
	return v.ID
}

// restartedResults starts an engine again on the store in dir (its first
// stopped) with backend rb, waits for document id to have finished, and
// returns its results document and the number of attempts rb has had
// launched in all. The engine is stopped at the test's end.
func restartedResults(t *testing.T, dir string, rb *reportBackend, id string) (string, int) {
	t.Helper()
	e, stop := startEngine(t, dir, rb, Config{})
	t.Cleanup(stop)
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return got, len(rb.launches())
}

// finishedStopGone waits for document id to finish, checks that no note
// of it still says it stopped (holds stopNote), and returns its results
// document.
func finishedStopGone(t *testing.T, e *Engine, id, stopNote string) string {
	t.Helper()
	waitDocumentFinished(t, e, id)
	d, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range d.Notes {
		if strings.Contains(n, stopNote) {
			t.Errorf("the document's notes still say it stopped: %q", n)
		}
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
