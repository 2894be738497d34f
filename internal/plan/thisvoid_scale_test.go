package plan

import (
	"fmt"
	"strings"
	"testing"
)

// refusedChain is a document of n blocks :eval no, each referring to the
// next (the last to a literal), with a runnable block after each.
func refusedChain(n int) string {
	var s strings.Builder
	s.WriteString("* T\n\n#+begin_src sh\necho first\n#+end_src\n\n")
	for i := range n {
		next := fmt.Sprintf("b%d", i+1)
		if i == n-1 {
			next = "5"
		}
		fmt.Fprintf(&s, "#+name: b%d\n#+begin_src sh :var x=%s :eval no\necho %d\n#+end_src\n\n", i, next, i)
		fmt.Fprintf(&s, "#+name: r%d\n#+begin_src sh\necho %d\n#+end_src\n\n", i, i)
	}
	return s.String()
}

// TestThisVoidScales: building the plan of a chain of n blocks :eval no
// referring to each other, runnable blocks between them, asks for each
// of them whether *this* is void and its names are fixed at its turn
// (thisVoidAt, unknownRef): the blocks and tasks looked at for that
// grow with n, not with its square (×2 blocks, at most ×2.5 looked at).
// Before, each asking looked at every executable of the document
// (namesMayBeWrittenBefore, sorting them again) and every task
// (elispBeforeAt): a chain of 4,000 took seconds.
func TestThisVoidScales(t *testing.T) {
	looked := func(n int) int {
		b, p, err := buildDoc(mustParse(t, refusedChain(n)), machine, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		if p.Stop != "" || len(p.Tasks) != n+1 {
			t.Fatalf("%d blocks: stop %q, %d tasks; want no stop and %d tasks", n, p.Stop, len(p.Tasks), n+1)
		}
		return b.namesLooked + b.elispLooked
	}
	growsLinearly(t, 200, "blocks", looked)
}

// growsLinearly checks that looked, the work done for n of what (blocks,
// referrers), grows with n, not with its square: some for n, at most
// ×2.5 as much for 2n.
func growsLinearly(t *testing.T, n int, what string, looked func(n int) int) {
	t.Helper()
	v1, v2 := looked(n), looked(2*n)
	t.Logf("looked at %d for %d %s, %d for %d", v1, n, what, v2, 2*n)
	if v1 == 0 || v2 > v1*5/2 {
		t.Errorf("%d %s: %d looked at; %d: %d (×%.1f for ×2, want ≤ ×2.5)", n, what, v1, 2*n, v2, float64(v2)/float64(max(v1, 1)))
	}
}
