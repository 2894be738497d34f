package org

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// writeBackCases are outputs of many short lines under the :results that
// take each write-back path: a table (ob-shell makes one of any output),
// a table of numbers (right-aligned), an example block (:results output),
// the last line (:results value), an indented block.
var writeBackCases = []struct{ name, doc, line string }{
	{"table", "* A\n#+begin_src sh\nyes\n#+end_src\n", "y\n"},
	{"numbers", "* A\n#+begin_src sh\nseq\n#+end_src\n", "1\n"},
	{"output", "* A\n#+begin_src sh :results output\nyes\n#+end_src\n", "y\n"},
	{"value", "* A\n#+begin_src sh :results value\nyes\n#+end_src\n", "y\n"},
	{"indented", "* A\n  #+begin_src sh :results output\n  yes\n  #+end_src\n", "*\n"},
}

// BenchmarkWriteBackShortLines writes back outputs of short lines, the
// worst case of write-back (every line a row or a line of its own), at 1
// and 16 MiB, and reports the bytes allocated per byte of output and the
// process's CPU time per write-back (cpu-ms/op: on a loaded machine,
// where the wall-clock time says as much of the load as of the code).
func BenchmarkWriteBackShortLines(b *testing.B) {
	for _, c := range writeBackCases {
		doc, err := Parse(c.doc)
		if err != nil {
			b.Fatal(err)
		}
		for _, size := range []int{1 << 20, 16 << 20} {
			out := strings.Repeat(c.line, size/len(c.line))
			b.Run(fmt.Sprintf("%s/%dMiB", c.name, size>>20), func(b *testing.B) {
				b.SetBytes(int64(len(out)))
				b.ReportAllocs()
				var st runtimeAllocs
				st.start()
				cpu0 := processCPU()
				for i := 0; i < b.N; i++ {
					_ = doc.WriteResults(map[int]Result{0: {Output: out}})
				}
				b.ReportMetric(float64(processCPU()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
				b.ReportMetric(float64(st.bytes())/float64(b.N)/float64(len(out)), "alloc-B/in-B")
			})
		}
	}
}

// TestWriteBackMemoryIsLinear writes back 1 MiB of short lines on each
// path and checks the bytes allocated against the output's size: the
// document written (at most three bytes per byte of output, for the
// table "| y |") and little else.
func TestWriteBackMemoryIsLinear(t *testing.T) {
	for _, c := range writeBackCases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			out := strings.Repeat(c.line, (1<<20)/len(c.line))
			var st runtimeAllocs
			st.start()
			text := doc.WriteResults(map[int]Result{0: {Output: out}})
			allocated := st.bytes()
			if !strings.Contains(text, "#+RESULTS:") {
				t.Fatalf("no results written")
			}
			if limit := uint64(len(text)) + uint64(len(out)) + 64<<10; allocated > limit {
				t.Errorf("%d bytes allocated writing %d bytes of output into %d bytes (limit %d)", allocated, len(out), len(text), limit)
			}
		})
	}
}

// manyBlocksDoc is n blocks, each with results already there, every
// other one named (its results found by name), every third holding a long
// result in an example block, some followed by a drawer or a LaTeX
// environment that never closes.
func manyBlocksDoc(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&b, "#+name: b%d\n", i)
		}
		fmt.Fprintf(&b, "#+begin_src sh :results output\necho %d\n#+end_src\n\n", i)
		if i%2 == 0 {
			fmt.Fprintf(&b, "#+RESULTS: b%d\n", i)
		} else {
			b.WriteString("#+RESULTS:\n")
		}
		switch {
		case i%3 == 0:
			b.WriteString("#+begin_example\n" + strings.Repeat("old\n", 10) + "#+end_example\n\n")
		case i%5 == 1:
			b.WriteString(":results:\nan unclosed drawer\n\n")
		case i%5 == 2:
			b.WriteString("\\begin{equation}\nunclosed\n\n")
		default:
			b.WriteString(": old\n\n")
		}
	}
	return b.String()
}

// BenchmarkWriteBackManyBlocks writes back documents of 1,000 and 16,000
// blocks and reports the time per block at the larger size over that at
// the smaller (growth): near 1 when write-back is linear in the blocks.
func BenchmarkWriteBackManyBlocks(b *testing.B) {
	benchmarkGrowth(b, 1000, 16000, func(doc *Document, results map[int]Result) {
		_ = doc.WriteResults(results)
	})
}

// BenchmarkWriteResultsInManyBlocks writes back documents of 200 and 2,000
// blocks (every other one named, its results found by name) in a buffer
// an Emacs Lisp block changed (a line put at its top), where write-back
// places each block's results in the buffer read again, and reports the
// time per block at the larger size over that at the smaller (growth):
// near 1 when finding each block's results does not rescan the buffer.
func BenchmarkWriteResultsInManyBlocks(b *testing.B) {
	benchmarkGrowth(b, 200, 2000, func(doc *Document, results map[int]Result) {
		_ = doc.WriteResultsIn(results, editedReport(doc, "A line an Emacs Lisp block put here.\n"))
	})
}

// benchmarkGrowth times write (given manyBlocksDoc documents of small and
// large blocks, each block given a result) and reports the time per block
// at the large size, and over that at the small (growth).
func benchmarkGrowth(b *testing.B, small, large int, write func(doc *Document, results map[int]Result)) {
	perBlock := func(n int) float64 {
		doc, err := Parse(manyBlocksDoc(n))
		if err != nil {
			b.Fatal(err)
		}
		results := map[int]Result{}
		for _, blk := range doc.Blocks {
			results[blk.Index] = Result{Output: "new\n"}
		}
		start := time.Now()
		write(doc, results)
		return float64(time.Since(start).Nanoseconds()) / float64(n)
	}
	var s, l float64
	for i := 0; i < b.N; i++ {
		s += perBlock(small)
		l += perBlock(large)
	}
	b.ReportMetric(l/float64(b.N), "ns/block")
	b.ReportMetric(l/s, "growth")
}

// editedReport is the report of doc's buffer after prefix was put at its
// top: every mark moved past it, no results put in yet.
func editedReport(doc *Document, prefix string) *BufferReport {
	rep := &BufferReport{Text: prefix + doc.Text}
	for _, e := range doc.Executables() {
		s, end := doc.ResultRegion(e)
		n := len(prefix)
		rep.Marks = append(rep.Marks, BufferMark{Point: doc.Point(e) + n, BlockEnd: doc.BlockEnd(e) + n, Start: s + n, End: end + n})
	}
	return rep
}
