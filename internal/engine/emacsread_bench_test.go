package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkSubmitPythonValues plans and submits a document of 1,000
// Python blocks in value mode, each with a task reading its value in
// Emacs (run only when the value needs it), and runs a scheduling pass:
// what those tasks cost (tasks: how many the plan has).
func BenchmarkSubmitPythonValues(b *testing.B) {
	var doc strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&doc, "#+name: b%d\n#+begin_src python\nreturn %d\n#+end_src\n\n", i, i)
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		e, _ := passEngine(b)
		v, err := e.Submit(ctx, doc.String())
		if err != nil {
			b.Fatal(err)
		}
		e.schedule(ctx)
		e.mu.Lock()
		b.ReportMetric(float64(len(e.docs[v.ID].byName)), "tasks")
		e.mu.Unlock()
	}
}
