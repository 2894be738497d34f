package plan

import (
	"fmt"
	"strings"
	"testing"
)

// TestRefusedChainWalkScales: a chain of blocks :eval refuses, each
// naming the next twice, the last a literal, read once: reading it runs
// nothing, and the blocks walked to plan it (refusedReadSteps) grow with
// the chain, not 2^depth (×2 blocks, at most ×2.5 walked). Before, each
// reading walked every path of the chain: a depth of 20 took minutes.
func TestRefusedChainWalkScales(t *testing.T) {
	growsLinearly(t, 8, "refused blocks", func(n int) int {
		b, p, err := buildDoc(mustParse(t, strings.Replace(refusedChainDoc(1, n, true, false), "#+begin_src sh :eval no :var x=tick", "#+begin_src sh :eval no :var x=1", 1)), Limits{}, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Tasks) != 2 {
			t.Fatalf("%d refused blocks: %d tasks, want 2 (tick, the reader)", n, len(p.Tasks))
		}
		return b.refusedReadSteps
	})
}

// TestRefusedChainWalkBounded: where the last block of such a chain
// names a block, each reading runs it 2^(depth-1) times, as in Emacs,
// until the runs pass #+borges_max_tasks: the walk stops there, the
// blocks it walks growing with the limit (×2 for ×2), not with
// 2^depth (at most four for each task allowed), and the document is
// refused.
func TestRefusedChainWalkBounded(t *testing.T) {
	doc := mustParse(t, refusedChainDoc(1, 16, true, false))
	growsLinearly(t, 200, "tasks at most", func(n int) int {
		opts := DefaultOptions
		opts.MaxTasks = n
		b, _, err := buildDoc(doc, Limits{}, opts)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("at most %d tasks", n)) {
			t.Fatalf("got %v, want the document refused for more than %d runs", err, n)
		}
		if b.refusedReadSteps > 4*n {
			t.Errorf("limit %d: %d blocks walked, want at most %d", n, b.refusedReadSteps, 4*n)
		}
		return b.refusedReadSteps
	})
}
