package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// withReportBudget sets the bytes the engine keeps of parsed reports of
// the Org buffer (reportBudget) for the test, given back at its end.
func withReportBudget(t testing.TB, budget int64) {
	t.Helper()
	old := reportBudget
	reportBudget = budget
	t.Cleanup(func() { reportBudget = old })
}

// TestBufferReportKeptWithinBudget: the parsed reports of the Org buffer
// the engine keeps, however many it reads, cost no more than its budget
// (reportBudget): the least recently used are let go, while what each
// attempt's report was (a report, none, unreadable) stays known without
// a read.
func TestBufferReportKeptWithinBudget(t *testing.T) {
	h := newHeldReports()
	e, _ := startEngine(t, t.TempDir(), h, Config{})
	report := addingReport(t)
	budget := 3 * reportCost(len(report))
	withReportBudget(t, budget)
	const n = 20
	for i := range n {
		a := fmt.Sprintf("other-%d", i)
		h.setReport(a, report)
		if _, _, err := e.readReport(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		if kept := e.reportBytesKept(); kept > budget {
			t.Fatalf("after %d reports read, %d bytes of them kept, over the budget of %d", i+1, kept, budget)
		}
	}
	for i := range n {
		if a := fmt.Sprintf("other-%d", i); !e.reportKnown(a) || !reportKept(e, a) {
			t.Errorf("what the report of %s holds is no longer known without a read", a)
		}
	}
	// The latest, within the budget, are not read again.
	before := h.reads("other-19")
	if _, _, err := e.readReport(context.Background(), "other-19"); err != nil {
		t.Fatal(err)
	}
	if h.reads("other-19") != before {
		t.Error("the latest report read, within the budget, was read again")
	}
}

// TestBufferReportEvictedReadAgain: a report let go (a budget that keeps
// none once read) is read again when needed, and the document comes back
// as when every report is kept: the blocks it added run, and the results
// document is the same.
func TestBufferReportEvictedReadAgain(t *testing.T) {
	run := func(budget int64) (string, int) {
		withReportBudget(t, budget)
		h := newHeldReports()
		e, _ := startEngine(t, t.TempDir(), h, Config{})
		v, editor := submitHeldAdding(t, e, h, addingReport(t))
		h.endHeld(t, editor)
		h.release()
		finishAll(t, e, h.reportBackend, v.ID, 1)
		readsDrained(t, e)
		// The end check's write-back, off the lock, pins the report
		// it reads while it runs: what is kept is measured after it.
		endChecked(t, e, v.ID)
		names := blockStateList(t, e, v.ID)
		text, err := e.ResultDocument(context.Background(), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if kept := e.reportBytesKept(); kept > budget {
			t.Errorf("%d bytes of reports kept, over the budget of %d", kept, budget)
		}
		return names + "\n" + text, h.reads(editor.ID)
	}
	kept, keptReads := run(defaultReportBudget)
	evicted, evictedReads := run(1)
	if evicted != kept {
		t.Errorf("with the report let go, the document came back\n%s\nwant, as with it kept,\n%s", evicted, kept)
	}
	if evictedReads <= keptReads {
		t.Errorf("the report let go was read %d times, kept %d: not let go", evictedReads, keptReads)
	}
}

// TestBufferReportSupersededLetGo: an Emacs Lisp block run again lets go
// the parsed report of its attempt before (nothing decided from then on
// reads it), what that report was staying known.
func TestBufferReportSupersededLetGo(t *testing.T) {
	const doc = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(message \"x\")\n#+end_src\n"
	d, err := org.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	x := d.Executables()[0]
	s, end := d.ResultRegion(x)
	report := fmt.Sprintf("1 0\n%d %d %d %d - =\n", d.Point(x), d.BlockEnd(x), s, end) + doc
	h := newHeldReports()
	e, _ := startEngine(t, t.TempDir(), h, Config{})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	first := waitLaunches(t, h.fakeBackend, 1)[0]
	h.setReport(first.ID, report)
	finish(h.fakeBackend, first, Finished, 0)
	finishAll(t, e, h.reportBackend, v.ID, 1)
	readsDrained(t, e)
	if e.parsedReports.get(first.ID) == nil {
		t.Fatal("the report of the block's attempt was not kept once read")
	}
	if err := e.RestartBlock(context.Background(), v.ID, "editor"); err != nil {
		t.Fatal(err)
	}
	waitLaunches(t, h.fakeBackend, 2)
	if e.parsedReports.get(first.ID) != nil {
		t.Error("the parsed report of the attempt run again is still kept")
	}
	if !e.reportKnown(first.ID) {
		t.Error("what the report of the attempt run again was is no longer known")
	}
}
