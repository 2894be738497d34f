package org

import (
	"fmt"
	"strings"
	"testing"
)

// roundsDoc is a document of n blocks as the plan tests' corpora have
// them: most followed by a blank line, every third by text right after
// it (its results are searched for blocks: writeRound's found), every
// fifth with results already there (replaced), under a heading every
// tenth; and the result of each block, plain output (none holds a block).
func roundsDoc(tb testing.TB, n int) (*Document, []int, map[int]Result) {
	tb.Helper()
	var sb strings.Builder
	for i := range n {
		if i%10 == 0 {
			fmt.Fprintf(&sb, "* Section %d\n\n", i/10)
		}
		args := ""
		if i%4 == 1 {
			args = " :results raw"
		}
		fmt.Fprintf(&sb, "#+begin_src sh%s\necho %d\n#+end_src\n", args, i)
		after := "\n"
		if i%5 == 0 {
			after = "\n#+RESULTS:\n: old\n\n"
		} else if i%3 == 0 {
			after = "Text right after.\n\n"
		}
		sb.WriteString(after)
	}
	doc, exes := parseExecutables(tb, sb.String(), n)
	keys := make([]int, n)
	results := make(map[int]Result, n)
	for i, b := range exes {
		keys[i] = b.Index
		results[b.Index] = Result{Output: fmt.Sprintf("line %d\nand another\n", i)}
	}
	return doc, keys, results
}

// BenchmarkReportResultsRounds: the search of the results written
// (ReportResults) of a document of n blocks. once: every block's results
// at once, from the document (one write-back). each: as the plan tests
// and the engine make it, once per block that ends, with the results of
// the blocks ended so far (from the document each time: prev nil; or
// going on from the report before: prev). ns/op is per document, so
// that the ratio between sizes shows the shape: 4 for linear, 16 for
// quadratic between 200 and 800 blocks.
func BenchmarkReportResultsRounds(b *testing.B) {
	for _, mode := range []string{"once", "each", "prev"} {
		for _, n := range []int{50, 200, 800} {
			b.Run(fmt.Sprintf("%s/blocks=%d", mode, n), func(b *testing.B) {
				doc, keys, all := roundsDoc(b, n)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					switch mode {
					case "once":
						doc.ReportResults(all, nil)
					case "each", "prev":
						var rep *BufferReport
						ended := make(map[int]Result, n)
						for _, k := range keys {
							ended[k] = all[k]
							prev := rep
							if mode == "each" {
								prev = nil
							}
							rep = doc.ReportResults(ended, prev)
						}
					}
				}
			})
		}
	}
}

// parseExecutables is text parsed and its executables, which must be n.
func parseExecutables(tb testing.TB, text string, n int) (*Document, []*Block) {
	tb.Helper()
	doc, err := Parse(text)
	if err != nil {
		tb.Fatal(err)
	}
	exes := doc.Executables()
	if len(exes) != n {
		tb.Fatalf("%d executables, want %d", len(exes), n)
	}
	return doc, exes
}
