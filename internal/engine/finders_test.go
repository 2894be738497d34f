package engine

import (
	"fmt"
	"strings"
	"testing"
)

// TestFinderViewScales: a view of a document of finders that are blocks
// of a session (raw results, session t) between the blocks of another
// session grows with the document, not with a power of it (the view
// holds the engine's lock): twice the blocks, at most three times the
// allocations. It walked every finder's dependencies for every queued
// block and every finder before it.
func TestFinderViewScales(t *testing.T) {
	allocs := func(n int) float64 {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&sb, "#+name: f%d\n#+begin_src sh :session t :results raw\necho f%d\n#+end_src\n\n", i, i)
			fmt.Fprintf(&sb, "#+name: s%d\n#+begin_src sh :session s\necho s%d\n#+end_src\n\n", i, i)
		}
		e, rb, v := submitRoomy(t, sb.String())
		waitLaunches(t, rb.fakeBackend, 1)
		waitState(t, e, v.ID, "f0", Staged)
		return testing.AllocsPerRun(2, func() { e.Document(v.ID) })
	}
	small, large := allocs(40), allocs(80)
	t.Logf("allocations of a view: %v at 80 blocks, %v at 160", small, large)
	if large > 3*small {
		t.Errorf("a view of twice the blocks allocates %.1f times as much", large/small)
	}
}

// TestFinderWiringIsLinear: the finders of a document wake, when they
// change, the blocks of a session waiting for them, not every block of a
// session after them: 300 finders between 300 blocks of a session make
// at most a few edges each. Each woke every later block of the session
// (45,150 edges).
func TestFinderWiringIsLinear(t *testing.T) {
	const n = 300
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "#+name: f%d\n#+begin_src sh :results raw\necho f%d\n#+end_src\n\n", i, i)
		fmt.Fprintf(&sb, "#+name: s%d\n#+begin_src sh :session s\necho s%d\n#+end_src\n\n", i, i)
	}
	e, rb, v := submitRoomy(t, sb.String())
	waitLaunches(t, rb.fakeBackend, 1)
	e.mu.Lock()
	ds := e.docs[v.ID]
	edges := 0
	for _, f := range ds.finders {
		edges += len(f.dependents)
	}
	known := ds.findersKnown
	e.mu.Unlock()
	if !known {
		t.Fatal("finders not known after a pass")
	}
	if edges > 4*n {
		t.Errorf("%d finders wake %d session blocks in all, want at most %d", n, edges, 4*n)
	}
}

