package org

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkReportResults is the cost of searching the results of a
// document of n blocks for blocks (one holds a source block in its code
// results), and of searching again once the block found there finished
// (the report before given, as the engine does under its lock).
func BenchmarkReportResults(b *testing.B) {
	for _, n := range []int{2500, 10000} {
		doc, results := reportResultsDoc(b, n)
		b.Run(fmt.Sprintf("blocks=%d/first", n), func(b *testing.B) {
			for range b.N {
				doc.ReportResults(results, nil)
			}
		})
		rep := doc.ReportResults(results, nil)
		again := map[int]Result{AddedKey: {Output: "nested\n"}}
		for k, v := range results {
			again[k] = v
		}
		b.Run(fmt.Sprintf("blocks=%d/again", n), func(b *testing.B) {
			for range b.N {
				doc.ReportResults(again, rep)
			}
		})
	}
}

// reportResultsDoc is a document of n blocks with raw results, the one
// in the middle with code results that hold a source block, and their
// results.
func reportResultsDoc(b *testing.B, n int) (*Document, map[int]Result) {
	var sb strings.Builder
	for i := range n {
		if i == n/2 {
			sb.WriteString("#+begin_src sh :results code\necho x\n#+end_src\nText.\n\n")
			continue
		}
		sb.WriteString("#+begin_src sh :results raw\necho x\n#+end_src\n\n")
	}
	doc, err := Parse(sb.String())
	if err != nil {
		b.Fatal(err)
	}
	results := map[int]Result{}
	exes := doc.Executables()
	if len(exes) != n {
		b.Fatalf("%d executables, want %d", len(exes), n)
	}
	for i, blk := range exes {
		out := "some src_ text\n"
		if i == n/2 {
			out = "echo nested\n"
		}
		results[blk.Index] = Result{Output: out}
	}
	return doc, results
}
