package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// reverseOwners submits a document of n shell blocks, each printing a
// shell block its raw results hold, and has them end last to first:
// each search finds a block before every block found so far. It returns
// the keys of the blocks found, in the buffer's order, once all n are
// found, and how many buffer reports were planned.
func reverseOwners(t *testing.T, n int) (keys []int, plans int) {
	t.Helper()
	var doc strings.Builder
	for i := range n {
		fmt.Fprintf(&doc, "#+name: o%d\n#+begin_src sh :results raw\nprint\n#+end_src\nText %d.\n\n", i, i)
	}
	planned := countPlanning(t)
	_, rb, e, _, id := submitOnDisk(t, doc.String())
	for i := n - 1; i >= 0; i-- {
		finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, fmt.Sprintf("o%d", i), 1), srcEcho(fmt.Sprintf("found %d", i)))
	}
	for range 4000 {
		e.mu.Lock()
		ds := e.docs[id]
		keys = keys[:0]
		for i := range n {
			if b := ds.byName[fmt.Sprintf("o%d-found-1", i)]; b != nil {
				keys = append(keys, b.index)
			}
		}
		e.mu.Unlock()
		if len(keys) == n {
			_, all := planned()
			return keys, all
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the %d blocks found were not all added: %v", n, keys)
	return nil, 0
}

// TestFoundKeyedInBufferOrder: blocks found in the results of blocks
// that end last to first are keyed in the buffer's order, as a search
// started from the document keys them (found_order.go); each end keys
// them again at a bounded cost: the buffer reports planned grow with the
// blocks, not with a power of them (twice the blocks, at most two and a
// half times the plannings).
func TestFoundKeyedInBufferOrder(t *testing.T) {
	small, smallPlans := reverseOwners(t, 8)
	for i, k := range small {
		if k != org.AddedKey+i {
			t.Fatalf("keys of the blocks found, in the buffer's order: %v, want %d up", small, org.AddedKey)
		}
	}
	_, largePlans := reverseOwners(t, 16)
	t.Logf("buffer reports planned: %d for 8 blocks ending last to first, %d for 16", smallPlans, largePlans)
	if smallPlans == 0 || float64(largePlans) > 2.5*float64(smallPlans) {
		t.Errorf("twice the blocks planned %d buffer reports, against %d", largePlans, smallPlans)
	}
}
