package org

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"
)

// foundEmacsDoc is a document of n raw shell blocks, the one in the
// middle printing an Emacs Lisp block (found in its results, run in an
// Emacs of its own: the document has no Emacs Lisp block), every block's
// results, and the report of that Emacs: the buffer with those results
// written, each block marked as Emacs marks it (no owner named), and a
// line it inserted at the end.
func foundEmacsDoc(tb testing.TB, n int) (*Document, map[int]Result, *BufferReport) {
	tb.Helper()
	var sb strings.Builder
	for i := range n {
		if i == n/2 {
			// Text right after it: what its results hold is searched.
			sb.WriteString("#+begin_src sh :results raw\necho x\n#+end_src\nText.\n\n")
			continue
		}
		sb.WriteString("#+begin_src sh :results raw\necho x\n#+end_src\n\n")
	}
	sb.WriteString("Text after.\n")
	doc, exes := parseExecutables(tb, sb.String(), n)
	results := map[int]Result{}
	for i, blk := range exes {
		out := "some text\n"
		if i == n/2 {
			out = "#+begin_src emacs-lisp\n(insert \"x\")\n#+end_src\n"
		}
		results[blk.Index] = Result{Output: out}
	}
	results[AddedKey] = Result{Output: ""}
	written := doc.ReportResults(results, nil)
	if len(written.Marks) != n+1 {
		tb.Fatalf("%d marks, want %d", len(written.Marks), n+1)
	}
	rep := &BufferReport{Text: written.Text + "\nInserted.\n", Marks: append([]BufferMark(nil), written.Marks...)}
	for i := range rep.Marks {
		rep.Marks[i].FoundIn = 0
	}
	return doc, results, rep
}

// writeBackFound is the write-back of results in a document whose blocks
// found in results ran in an Emacs of their own that reported rep, as the
// engine's resultDocument makes it: the results written searched for
// blocks (ReportResults, prev the search before), that report matched
// with them (ReportFoundAfter), the document written in it.
func writeBackFound(tb testing.TB, doc *Document, results map[int]Result, rep, prev *BufferReport) string {
	finished := maps.Clone(results)
	searched := doc.ReportResults(finished, prev)
	ext, err := doc.ReportFoundAfter(finished, results, rep, searched)
	if err != nil {
		tb.Fatal(err)
	}
	return doc.WriteResultsIn(results, ext)
}

// BenchmarkWriteBackFoundRatio: what a write-back of a document of n
// blocks costs once an Emacs blocks found in results ran in has reported
// (writeBackFound), over the write of the results in that report alone
// (WriteResultsIn), which every write-back makes; measured in the same
// process, each in turn. times-write is the first's time over the
// second's, with no search before (cold) and with the search before
// given (prev), as the engine keeps it (docState.foundIn).
func BenchmarkWriteBackFoundRatio(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		// Each size's document made in its own b.Run, so that one
		// size asked for (-bench .../blocks=1000) builds no other.
		b.Run(fmt.Sprintf("blocks=%d", n), func(b *testing.B) {
			doc, results, rep := foundEmacsDoc(b, n)
			prev := doc.ReportResults(results, nil)
			want := doc.WriteResultsIn(results, rep)
			if got := writeBackFound(b, doc, results, rep, nil); got != want {
				b.Fatalf("%d blocks: the write-back in the report searched is not the report's", n)
			}
			b.ResetTimer()
			var write, cold, again time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				doc.WriteResultsIn(results, rep)
				write += time.Since(start)
				start = time.Now()
				writeBackFound(b, doc, results, rep, nil)
				cold += time.Since(start)
				start = time.Now()
				writeBackFound(b, doc, results, rep, prev)
				again += time.Since(start)
			}
			b.ReportMetric(float64(write.Nanoseconds())/float64(b.N), "write-ns")
			b.ReportMetric(float64(cold)/float64(max(write, 1)), "times-write")
			b.ReportMetric(float64(again)/float64(max(write, 1)), "prev-times-write")
		})
	}
}
