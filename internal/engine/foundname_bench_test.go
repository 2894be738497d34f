package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// namedFound is a document of n named blocks, b0 to b(n-1), the results
// of each block but the last holding a block found there named as the
// next one: each block of the document after the first has a block of
// its #+name found before it, whose "#+RESULTS:" its results go to
// (foundFirstOfName).
func namedFound(n int) (*docState, []*blockState) {
	ds := &docState{byName: map[string]*blockState{}}
	var docs []*blockState
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("b%d", i)
		b := &blockState{doc: ds, pos: len(ds.blocks), name: name, index: i, line: 4 * i,
			task: &plan.Task{Block: name, Named: true, Name: name, Index: i}}
		ds.blocks = append(ds.blocks, b)
		ds.byName[name] = b
		docs = append(docs, b)
	}
	for i := 0; i+1 < n; i++ {
		found := fmt.Sprintf("b%d-found-1", i)
		f := &blockState{doc: ds, pos: len(ds.blocks), name: found, index: org.AddedKey + i, line: 4*i + 2,
			task: &plan.Task{Block: found, Named: true, Name: docs[i+1].name}, addedBy: docs[i].name, formerName: docs[i+1].name}
		ds.blocks = append(ds.blocks, f)
		ds.byName[found] = f
		ds.indexFound(f, false)
	}
	return ds, docs
}

// BenchmarkFoundFirstOfName: where each block of a document goes with its
// results, asked of every block (as a write-back asks), in documents of
// 100 and of 10,000 named blocks with as many found in results.
// foundFirstOfName looks only through the found blocks of the block's
// name, so the cost per block stays flat: per-block-ns-100 and
// per-block-ns-10000 are the cost per block at each size, ratio the
// second over the first (near 1; a search of every block of the
// document would make it near 100). Each iteration asks 10,000 blocks
// of each size in turn, of a hundred documents of 100 and of one of
// 10,000, so that both touch as much memory and the caches favour
// neither; the fastest iteration of each counts, so that a loaded
// machine's pauses weigh on neither.
func BenchmarkFoundFirstOfName(b *testing.B) {
	const calls = 10000
	sizes := []int{100, 10000}
	type asked struct {
		ds   *docState
		docs []*blockState
	}
	var sets [2][]asked
	for k, n := range sizes {
		for range calls / n {
			ds, docs := namedFound(n)
			for _, d := range docs[1:] {
				if f := ds.foundFirstOfName(d); f == nil || f.formerName != d.name {
					b.Fatalf("%d blocks: the results of %s go to %v, want the block of its name found before it", n, d.name, f)
				}
			}
			sets[k] = append(sets[k], asked{ds, docs})
		}
	}
	best := [2]time.Duration{time.Duration(1<<63 - 1), time.Duration(1<<63 - 1)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range sizes {
			start := time.Now()
			for _, a := range sets[k] {
				for _, d := range a.docs {
					a.ds.foundFirstOfName(d)
				}
			}
			best[k] = min(best[k], time.Since(start))
		}
	}
	per := [2]float64{float64(best[0].Nanoseconds()) / calls, float64(best[1].Nanoseconds()) / calls}
	b.ReportMetric(per[0], "per-block-ns-100")
	b.ReportMetric(per[1], "per-block-ns-10000")
	b.ReportMetric(per[1]/per[0], "ratio")
}
