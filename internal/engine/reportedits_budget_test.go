package engine

import (
	"runtime"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// keptCost is what the reports e keeps, and the edits found from them
// kept with them (editsOf), hold, each counted as editsCost says, read
// from the entries themselves rather than from the count kept.
func keptCost(e *Engine) (total int64, withEdits int) {
	c := &e.parsedReports
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.order.Front(); el != nil; el = el.Next() {
		ent := el.Value.(*reportEntry)
		total += reportCost(len(ent.rep.Text))
		if ent.edits != nil {
			total += editsCost(len(ent.rep.Text))
			withEdits++
		}
	}
	return total, withEdits
}

// TestBufferEditsWithinBudget: the edits found from each report of a
// document of several Emacs Lisp blocks, kept with the report
// (BenchmarkResultsSeveralEditors), count against the engine's budget
// for reports (reportBudget) with it: what is kept, reports and edits,
// stays within it, the least recently used let go, and the results
// document is still written from the reports.
func TestBufferEditsWithinBudget(t *testing.T) {
	doc := editorsDoc(6, 12)
	rep := reportText(t, doc, "Prefix.\n")
	// Room for the six reports, not for their edits too.
	withReportBudget(t, 6*reportCost(len(rep))+editsCost(len(rep)))
	e, id := endedWritten(t, doc)
	total, withEdits := keptCost(e)
	if withEdits == 0 {
		t.Fatal("no edits kept with the reports: nothing to count")
	}
	if total > reportBudget {
		t.Errorf("reports and edits kept cost %d, over the budget of %d", total, reportBudget)
	}
	if got := e.reportBytesKept(); got != total {
		t.Errorf("the count kept says %d, the entries %d", got, total)
	}
	if _, err := e.ResultDocument(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	if total, _ := keptCost(e); total > reportBudget {
		t.Errorf("written again: reports and edits kept cost %d, over the budget of %d", total, reportBudget)
	}
}

// TestBufferEditsCost: editsCost is no less than what the edits found
// from a report hold (the heap they keep, measured), for documents dense
// with short blocks, the costliest per byte of text measured.
func TestBufferEditsCost(t *testing.T) {
	for _, n := range []int{12, 120, 600} {
		doc := editorsDoc(1, n)
		d, err := org.Parse(doc)
		if err != nil {
			t.Fatal(err)
		}
		p, err := plan.Build(d, plan.Limits{}, plan.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := org.ParseBufferReport(reportText(t, doc, "Prefix.\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rep.Document(d.Visit); err != nil { // counted with the report
			t.Fatal(err)
		}
		// The least of a few rounds, each of k builds: what other
		// goroutines allocate meanwhile only adds to a round, so the
		// least is the closest to what the edits hold. Edits not
		// counted at all (editsCost 0) still fail, as they hold many
		// times the text.
		const k, rounds = 20, 3
		per := int64(-1)
		for r := 0; r < rounds; r++ {
			keep := make([]*plan.Edits, k)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for i := range keep {
				if keep[i], err = plan.BufferEdits(d, p, rep, plan.Limits{}, plan.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(keep)
			if got := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / k; per < 0 || got < per {
				per = got
			}
		}
		if per <= 0 {
			t.Fatalf("%d blocks: edits measured to hold %d bytes; the measure failed", n, per)
		}
		t.Logf("%d blocks, a report of %d bytes: edits hold %d bytes (%.1f times the text), counted %d", n, len(rep.Text), per, float64(per)/float64(len(rep.Text)), editsCost(len(rep.Text)))
		if per > editsCost(len(rep.Text)) {
			t.Errorf("%d blocks: edits hold %d bytes, counted %d", n, per, editsCost(len(rep.Text)))
		}
	}
}
