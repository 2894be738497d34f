package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// refusedCallsText is a document whose block a prints, as raw results,
// calls blocks :eval no refuses, each with a :var calling maker with an
// argument, followed by a chain of hops+1 blocks (chainText).
func refusedCallsText(calls, hops int) (doc, aOut string) {
	var out strings.Builder
	for i := 0; i < calls; i++ {
		fmt.Fprintf(&out, "#+begin_src sh :eval no :var m=maker(n=%d)\necho skipped\n#+end_src\n\n", i+2)
	}
	doc = "#+name: maker\n#+begin_src sh :var n=1\necho \"n=$n\"\n#+end_src\n\n" +
		"#+name: a\n#+begin_src sh :results raw\necho found\n#+end_src\nText.\n\n" + chainText(hops+1)
	return doc, out.String()
}

// BenchmarkScheduleRefusedCalls: the cost of an attempt's end and the
// pass that launches its dependent, a block after the blocks :eval no
// refuses found in a's results, with 1, 10 and 200 such blocks whose
// calls have all ended (callsBefore looks at each call for every block
// after them). x-growth is the CPU time at 200 calls over that at 1
// (goal: flat; CPU time of the process, as BenchmarkSchedulePass).
func BenchmarkScheduleRefusedCalls(b *testing.B) {
	const hops = 200
	for i := 0; i < b.N; i++ {
		var first, last time.Duration
		for _, calls := range []int{1, 10, 200} {
			e, fb := passEngine(b)
			fb.capacity.CPUs, fb.capacity.MemMB = 1e6, 1e9
			ctx := context.Background()
			doc, aOut := refusedCallsText(calls, hops)
			v, err := e.Submit(ctx, doc)
			if err != nil {
				b.Fatal(err)
			}
			e.schedule(ctx)
			for _, name := range []string{"maker", "a"} {
				a, _ := current(e, v.ID, name)
				fb.mu.Lock()
				fb.outputs[a] = map[string]string{"maker": "n=1\n", "a": aOut}[name]
				fb.mu.Unlock()
				finishAttempt(e, a)
				e.schedule(ctx)
			}
			for k := 1; k <= calls; k++ {
				a, st := current(e, v.ID, fmt.Sprintf("a-found-%d maker(n=%d)", k, k+1))
				if st != Staged {
					b.Fatalf("call %d is %s, want staged", k, st)
				}
				finishAttempt(e, a)
			}
			e.schedule(ctx)
			per, cpu := timeChainHops(b, ctx, e, fb, v.ID, hops)
			b.ReportMetric(float64(per.Microseconds()), fmt.Sprintf("us/pass-%dcalls", calls))
			b.ReportMetric(float64(cpu.Microseconds()), fmt.Sprintf("cpu-us/pass-%dcalls", calls))
			if first == 0 {
				first = cpu
			}
			last = cpu
		}
		b.ReportMetric(float64(last)/float64(first), "x-growth")
	}
}
