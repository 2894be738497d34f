package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// countAllPlans has bufferEdits count every buffer report it plans until
// the test ends (each a whole-document planning under the engine's
// lock), and returns how many it planned since the count was last asked.
func countAllPlans(t *testing.T) func() int {
	t.Helper()
	n := 0
	mu := onPlan(t, func(*org.Document, *plan.Plan, *org.BufferReport) { n++ })
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		got := n
		n = 0
		return got
	}
}

// TestFoundStopPlainBlocksAfterPlanNothing: a raw block's results hold a
// block of no language, which stops the document; the plain blocks after
// it, launched with it and ending after the stop was found, stand after
// the stop: their results, which hold no block, do not move it, and
// their ends plan no buffer report (each would plan the whole document
// under the engine's lock: N blocks, N plannings of it).
func TestFoundStopPlainBlocksAfterPlanNothing(t *testing.T) {
	const plain = 19 // launched with the raw block: the fake backend runs 20 at once
	var b strings.Builder
	b.WriteString("#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src nolang' 'x' '#+end_src'\n#+end_src\nText.\n")
	for i := range plain {
		fmt.Fprintf(&b, "\n#+begin_src sh\necho %d\n#+end_src\n", i)
	}
	plans := countAllPlans(t)
	_, rb, e, _, id := submitOnDisk(t, b.String())
	fb := rb.fakeBackend
	waitLaunches(t, fb, plain+1)
	finishLaunch(fb, launchOf(t, fb, "block-1", 1), "#+begin_src nolang\nx\n#+end_src\n")
	waitState(t, e, id, "block-1", Finished)
	if n := plans(); n != 1 {
		t.Errorf("%d buffer reports planned finding the stop, want 1", n)
	}
	for i := range plain {
		finishLaunch(fb, launchOf(t, fb, fmt.Sprintf("block-%d", i+2), 1), fmt.Sprintf("%d\n", i))
	}
	waitDocumentEnded(t, e, id)
	if n := plans(); n != 0 {
		t.Errorf("%d buffer reports planned as the %d plain blocks after the stop ended, want 0", n, plain)
	}
}
