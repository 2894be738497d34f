package engine

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkResultsPastStopChain times the results document of a
// document whose blocks after a plan stop form a chain a block before
// it refers to the last of (pastStopChainDoc), per block: whether a
// block stands past the stop is decided from the stops found once per
// document, so the cost per block grows far less than the document:
// measured about 2× from 1,000 blocks to 4,000 (some 350 to 430 ns per
// block at 1,000, 830 to 900 at 4,000, on a shared two-core machine,
// noisy), where a walk per block had made the whole document's cost
// grow about elevenfold (0.16 s at 1,000, 1.74 s at 4,000).
func BenchmarkResultsPastStopChain(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			e, _ := startEngine(b, b.TempDir(), newReportBackend(), Config{})
			v, err := e.Submit(context.Background(), pastStopChainDoc(n))
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := e.ResultDocument(context.Background(), v.ID); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/block")
		})
	}
}
