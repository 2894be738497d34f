package org

import (
	"fmt"
	"strings"
	"testing"
)

// shortLines is n bytes of output made of short lines, as "yes | head -c n"
// prints them.
func shortLines(n int) string {
	return strings.Repeat("y\n", n/2)
}

// BenchmarkWriteBackShortLines writes back outputs of many short lines,
// the worst case of the table path (every line a row), and reports the
// time and the bytes allocated per byte of output.
func BenchmarkWriteBackShortLines(b *testing.B) {
	doc, err := Parse("* A\n#+begin_src sh\nyes\n#+end_src\n")
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range []int{1 << 20, 16 << 20} {
		out := shortLines(size)
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			var st runtimeAllocs
			st.start()
			for i := 0; i < b.N; i++ {
				_ = doc.WriteResults(map[int]Result{0: {Output: out}})
			}
			b.ReportMetric(float64(st.bytes())/float64(b.N)/float64(len(out)), "alloc-B/in-B")
		})
	}
}
