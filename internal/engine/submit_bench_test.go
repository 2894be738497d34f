package engine

import (
	"context"
	"testing"
	"time"
)

// BenchmarkSubmitGrowth: a document of 10,000 independent blocks
// submitted and given its first scheduling pass, against one of 1,000 in
// the same run. Submitting costs in proportion to the document: the time
// a block of the large one (us/block-10k) stays near a block of the small
// one's (us/block-1k), their ratio (growth) near 1.
func BenchmarkSubmitGrowth(b *testing.B) {
	perBlock := func(n int) time.Duration {
		text := waitingText(n)
		e, _ := passEngine(b)
		ctx := context.Background()
		cpu0 := cpuTime()
		if _, err := e.Submit(ctx, text); err != nil {
			b.Fatal(err)
		}
		e.schedule(ctx)
		return (cpuTime() - cpu0) / time.Duration(n)
	}
	var small, large time.Duration
	for i := 0; i < b.N; i++ {
		small += perBlock(1000)
		large += perBlock(10000)
	}
	b.ReportMetric(float64(small.Microseconds())/float64(b.N), "us/block-1k")
	b.ReportMetric(float64(large.Microseconds())/float64(b.N), "us/block-10k")
	b.ReportMetric(float64(large)/float64(small), "growth")
}
