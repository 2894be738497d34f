package plan

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkPlanPythonValues plans a document of 1,000 Python blocks in
// value mode, each of which gets a task reading its value in Emacs (run
// only when the value needs it): what those tasks cost to plan.
func BenchmarkPlanPythonValues(b *testing.B) {
	var doc strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&doc, "#+name: b%d\n#+begin_src python\nreturn %d\n#+end_src\n\n", i, i)
	}
	d := mustParse(b, doc.String())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := Build(d, machine, DefaultOptions)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(p.Tasks)), "tasks")
	}
}
