package engine

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// thousandBlocks is an engine holding one document of 1,000 shell blocks
// after a scheduling pass: two running, the rest queued.
func thousandBlocks(tb testing.TB) (*Engine, string) {
	tb.Helper()
	var doc strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&doc, "#+begin_src sh :results output\necho block %d\n#+end_src\n\n", i)
	}
	e, _ := passEngine(tb)
	ctx := context.Background()
	v, err := e.Submit(ctx, doc.String())
	if err != nil {
		tb.Fatal(err)
	}
	e.schedule(ctx)
	return e, v.ID
}

// TestDocumentStatusAllocatesNothingPerBlock: asking the state of a
// document of 1,000 blocks allocates no more than of one block.
func TestDocumentStatusAllocatesNothingPerBlock(t *testing.T) {
	e, id := thousandBlocks(t)
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := e.DocumentStatus(id); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("DocumentStatus of 1,000 blocks: %v allocations", allocs)
	}
}

// BenchmarkDocumentStatus: what a poller of a document of 1,000 blocks
// costs the engine with DocumentStatus against Document's full view, in
// the same process: x-document is Document's time over DocumentStatus',
// and each side's allocations (bytes) per call are reported.
func BenchmarkDocumentStatus(b *testing.B) {
	e, id := thousandBlocks(b)
	var doc, status time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := e.Document(id); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := e.DocumentStatus(id); err != nil {
			b.Fatal(err)
		}
		doc, status = doc+t1.Sub(t0), status+time.Since(t1)
	}
	b.StopTimer()
	b.ReportMetric(float64(doc.Nanoseconds())/float64(b.N), "document-ns")
	b.ReportMetric(float64(status.Nanoseconds())/float64(b.N), "status-ns")
	b.ReportMetric(float64(doc)/float64(max(status, 1)), "x-document")
	b.ReportMetric(bytesPerCall(func() { e.Document(id) }), "document-B")
	b.ReportMetric(bytesPerCall(func() { e.DocumentStatus(id) }), "status-B")
}

// bytesPerCall is what f allocates per call, in bytes, over a few calls.
func bytesPerCall(f func()) float64 {
	const n = 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i++ {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / n
}
