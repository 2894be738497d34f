package engine

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// onPlan has bufferEdits call seen (under a lock of its own) with each
// buffer report it plans until the test ends, before planning it.
func onPlan(t *testing.T, seen func(doc *org.Document, p *plan.Plan, rep *org.BufferReport)) *sync.Mutex {
	t.Helper()
	was := bufferEdits
	t.Cleanup(func() { bufferEdits = was })
	var mu sync.Mutex
	bufferEdits = func(doc *org.Document, p *plan.Plan, rep *org.BufferReport, l plan.Limits, o plan.Options) (*plan.Edits, error) {
		mu.Lock()
		seen(doc, p, rep)
		mu.Unlock()
		return was(doc, p, rep, l, o)
	}
	return &mu
}

// countPlans has bufferEdits record each buffer report it plans until
// the test ends, and returns how many of those calls planned the same
// report as the call before them (the same text and marks, the same
// document and plan): work done twice under the engine's lock.
func countPlans(t *testing.T) func() int {
	t.Helper()
	count := countPlanning(t)
	return func() int {
		again, _ := count()
		return again
	}
}

// countPlanning is countPlans, with how many reports were planned in
// all.
func countPlanning(t *testing.T) func() (again, all int) {
	t.Helper()
	var last struct {
		doc   *org.Document
		p     *plan.Plan
		text  string
		marks []org.BufferMark
	}
	again, all := 0, 0
	mu := onPlan(t, func(doc *org.Document, p *plan.Plan, rep *org.BufferReport) {
		all++
		if last.doc == doc && last.p == p && last.text == rep.Text && reflect.DeepEqual(last.marks, rep.Marks) {
			again++
		}
		last.doc, last.p, last.text, last.marks = doc, p, rep.Text, append([]org.BufferMark(nil), rep.Marks...)
	})
	return func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return again, all
	}
}

// TestFoundRerunPlansOnce: b, whose results held a block, run again and
// printing another: the blocks found are keyed again and b's new results
// searched, each buffer report planned once (the search started again
// plans the report the re-key planned last: it is taken as planned).
func TestFoundRerunPlansOnce(t *testing.T) {
	e, fb, id := runTwoOwners(t, "OLD")
	again := countPlans(t)
	if err := e.RestartBlock(context.Background(), id, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "b", 2), srcEcho("NEW"))
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 2), "NEW\n")
	waitDocumentFinished(t, e, id)
	if n := again(); n != 0 {
		t.Errorf("%d buffer reports planned again right after being planned, want 0", n)
	}
	if added := addedBlocks(t, e, id); added["a-found-1"] != "a" || added["b-found-1"] != "b" {
		t.Errorf("blocks found: %v, want a-found-1 by a and b-found-1 by b", added)
	}
}

// TestFoundReusedPlanningIsFresh: where a search reuses the buffer report
// planned last (planReport), among them the search started again after
// the re-key that follows a search which added blocks (docResultsMoved),
// whose tasks live blocks then hold, the blocks those edits add are the
// ones a planning made anew adds: nothing changed them in between.
func TestFoundReusedPlanningIsFresh(t *testing.T) {
	for _, tc := range []struct {
		name string
		test func(*testing.T)
	}{
		// The search started again after docResultsMoved's re-key
		// reuses the re-key's planning in these two.
		{"same name", TestFoundSameName},
		{"same name, first dropped", TestFoundSameNameFirstDropped},
		// The search after dropFoundBefore's re-key.
		{"earlier results grow", TestFoundRerunEarlierResultsGrow},
		{"plans once", TestFoundRerunPlansOnce},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			reused, differ := 0, []string{}
			was := reusedEdits
			t.Cleanup(func() { reusedEdits = was })
			reusedEdits = func(ed *plan.Edits, doc *org.Document, p *plan.Plan, rep *org.BufferReport, l plan.Limits, o plan.Options) {
				fresh, err := plan.BufferEdits(doc, p, rep, l, o)
				mu.Lock()
				defer mu.Unlock()
				reused++
				if err != nil {
					differ = append(differ, "planned anew: "+err.Error())
				} else if got, want := ed.Added(), fresh.Added(); !reflect.DeepEqual(got, want) {
					differ = append(differ, fmt.Sprintf("reused %+v, anew %+v", got, want))
				}
			}
			tc.test(t)
			mu.Lock()
			defer mu.Unlock()
			if reused == 0 {
				t.Error("no planning reused")
			}
			for _, d := range differ {
				t.Error(d)
			}
		})
	}
}
