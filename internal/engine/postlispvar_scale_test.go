package engine

import (
	"context"
	"strings"
	"testing"
)

// postCallingChain is a chain of n blocks, each but the first after the
// one before it (:after, not :var: a :var chain of n is n(n+1)/2 runs,
// each reference running the block again) and with a :post calling f.
func postCallingChain(n int) string {
	return "#+name: f\n#+begin_src sh :var x=\"\"\necho \"$x\"\n#+end_src\n\n" +
		strings.ReplaceAll(chainText(n), " :var x=", " :post f(x=*this*) :after ")
}

// TestPostLispVarStopScales: the :post chains that stopped the document
// (stoppedChains, which a view, a write-back and a buffer report take
// under the engine's lock) are found in work that grows with the
// document, not with a power of it: four times the blocks, at most
// five times the bytes allocated. Each :post's task looked for the Lisp
// :var values evaluated inside it among every task upstream of its
// block (a chain of n blocks: n²/2 tasks looked at).
func TestPostLispVarStopScales(t *testing.T) {
	bytes := func(n int) float64 {
		e, _ := passEngine(t)
		v, err := e.Submit(context.Background(), postCallingChain(n))
		if err != nil {
			t.Fatal(err)
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		ds := e.docs[v.ID]
		return bytesPerCall(func() { ds.stoppedChains() })
	}
	small, large := bytes(100), bytes(400)
	t.Logf("bytes allocated finding the stopped :post chains: %v at 100 blocks, %v at 400", small, large)
	// The slack: what other goroutines allocate meanwhile.
	if large > 5*small+16<<10 {
		t.Errorf("four times the blocks allocate %v bytes, %v at a quarter of them", large, small)
	}
}
