package engine

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// newHeldChainBench is newHeldBench with n blocks held after the stops
// that form a chain, each referring to the one before it (:var), and
// 10 blocks before the stops.
func newHeldChainBench(tb testing.TB, n int) *heldBench {
	tb.Helper()
	var doc strings.Builder
	for i := range 10 {
		fmt.Fprintf(&doc, "#+begin_src sh :results output\necho block %d\n#+end_src\n\n", i)
	}
	writeStopsAndChain(&doc, n)
	return newHeldDoc(tb, doc.String(), n)
}

// writeStopsAndChain writes stops js1 and js2 (reference errors made
// known by the caller) and after them after0 to after<n-1>, each
// referring to the one before it (:var).
func writeStopsAndChain(doc *strings.Builder, n int) {
	for _, name := range []string{"js1", "js2"} {
		fmt.Fprintf(doc, "#+name: %s\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n", name)
	}
	for i := range n {
		ref := ""
		if i > 0 {
			ref = fmt.Sprintf(" :var x=after%d", i-1)
		}
		fmt.Fprintf(doc, "#+name: after%d\n#+begin_src sh%s\necho after\n#+end_src\n\n", i, ref)
	}
}

// BenchmarkReholdStopLearnedChain: what weighing the held blocks again
// costs when an earlier stop becomes known (rehold, as the pass after
// it has it), with 200 and 2,000 blocks held past the stops forming a
// chain of references, per block held (ns/block), in the same run: each
// block is asked whether a block whose turn comes before the stop needs
// it (neededByTurnBefore), found once for the chain (weighingStops); a
// walk back per block made it grow with the chain (9-14 us at 200,
// 103-212 us at 2,000). x-big is the 2,000's cost per block over the
// 200's: near 1 when the cost per block does not grow with the chain.
func BenchmarkReholdStopLearnedChain(b *testing.B) {
	withoutIndexChecks(b)
	sides := []*heldBench{newHeldChainBench(b, 200), newHeldChainBench(b, 2_000)}
	spent := make([]time.Duration, len(sides))
	runtime.GC() // the documents' making, not collected while timed
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range sides {
			j := (i + k) % len(sides)
			spent[j] += sides[j].timeLearn(b, sides[j].e.rehold)
		}
	}
	b.StopTimer()
	per := func(j int) float64 {
		return float64(spent[j].Nanoseconds()) / float64(b.N) / float64(len(sides[j].held))
	}
	b.ReportMetric(per(0), "small-ns/block")
	b.ReportMetric(per(1), "big-ns/block")
	b.ReportMetric(per(1)/max(per(0), 1), "x-big")
}
