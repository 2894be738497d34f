package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// postCallingChain is a document of n blocks b0, b1… each but the first
// referring to the block before it and with a :post calling f, whose
// Lisp :var value Emacs evaluates inside each :post.
func postCallingChain(n int) string {
	var sb strings.Builder
	sb.WriteString("#+name: f\n#+begin_src sh :var x=\"\"\necho \"$x\"\n#+end_src\n\n#+name: b0\n#+begin_src sh\necho 0\n#+end_src\n\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&sb, "#+name: b%d\n#+begin_src sh :var z=b%d :post f(x=*this*)\necho $z\n#+end_src\n\n", i, i-1)
	}
	return sb.String()
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
