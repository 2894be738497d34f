package engine

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// learnFirst has js1's stop known (a reference error, as a launch learns
// it: attempt) and the document's stop found (failedStop), as the next
// pass finds it; every has the blocks whose failure may stop the
// document found from every block, as before their index. It fails tb
// when the stop is not js1's. The caller holds e.mu.
func (h *heldBench) learnFirst(tb testing.TB, every bool) {
	h.js1.refErr = "earlier error"
	h.ds.failStopTouched(h.js1)
	if every {
		h.ds.failStopsSync.forget()
	}
	if f, _, _ := h.ds.failedStop(); f != h.js1 {
		tb.Fatalf("stop %v, want js1", f)
	}
}

// unlearnFirst has js1's stop unknown again, the document's stop found
// again (js2's). The caller holds e.mu.
func (h *heldBench) unlearnFirst(tb testing.TB) {
	h.js1.refErr = ""
	h.ds.failStopTouched(h.js1)
	if f, _, _ := h.ds.failedStop(); f != h.js2 {
		tb.Fatalf("stop %v, want js2", f)
	}
}

// benchSides are a small and a big document's benchmarks, with the index
// and as before it (every), each first in turn, timed.
type benchSides struct {
	hs    []*heldBench
	spent [4]time.Duration
}

// newBenchSides has a document of 17 blocks and one of 10,000, each with
// 5 blocks held after its stops near the end (newHeldBench).
func newBenchSides(b *testing.B) *benchSides {
	withoutIndexChecks(b)
	s := &benchSides{hs: []*heldBench{newHeldBench(b, 10, 5), newHeldBench(b, 9_990, 5)}}
	runtime.GC() // the documents' making, not collected while timed
	b.ResetTimer()
	return s
}

// run has each side do its work once, in turn, each first in turn: none
// has the others' warm caches or collections more than the others.
// timed(h, every) returns the time of the side's work.
func (s *benchSides) run(i int, timed func(h *heldBench, every bool) time.Duration) {
	for k := range s.spent {
		j := (i + k) % len(s.spent)
		h := s.hs[j%2]
		h.e.mu.Lock()
		s.spent[j] += timed(h, j >= 2)
		h.e.mu.Unlock()
	}
}

// report reports the sides' times per op and the big one's over the
// small one's (x-big), with the index and as before it (every-*).
func (s *benchSides) report(b *testing.B) {
	b.StopTimer()
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) }
	b.ReportMetric(per(s.spent[0]), "small-ns")
	b.ReportMetric(per(s.spent[1]), "big-ns")
	b.ReportMetric(float64(s.spent[1])/float64(max(s.spent[0], 1)), "x-big")
	b.ReportMetric(per(s.spent[2]), "every-small-ns")
	b.ReportMetric(per(s.spent[3]), "every-big-ns")
	b.ReportMetric(float64(s.spent[3])/float64(max(s.spent[2], 1)), "every-x-big")
}

// BenchmarkFailStopLearned: what finding the document's stop costs once
// a block's stop becomes known (a reference error, then failedStop, as
// the next pass has it), in a document of 10,000 blocks (9,990 before
// the stops) against one of 17, in the same run: x-big is the big one's
// time over the small one's. The every-* figures are the same with the
// blocks whose failure may stop the document found from every block, as
// before their index, timed in the same run.
func BenchmarkFailStopLearned(b *testing.B) {
	s := newBenchSides(b)
	for i := 0; i < b.N; i++ {
		s.run(i, func(h *heldBench, every bool) time.Duration {
			t0 := time.Now()
			h.learnFirst(b, every)
			d := time.Since(t0)
			h.unlearnFirst(b)
			return d
		})
	}
	s.report(b)
}

// restoreHeld has h's held blocks held by js2 again, ended unrun, as
// before its stop was lifted (failStopLifted). The caller holds e.mu.
func (h *heldBench) restoreHeld() {
	now := time.Now()
	for i, b := range h.held {
		for _, in := range b.instances {
			in.rec.State, in.rec.Message, in.rec.HeldBy, in.rec.WaitsFor, in.rec.FinishedAt = string(Finished), h.heldMsg[i], h.js2.name, "", &now
		}
		h.ds.setFailHeld(b, h.js2)
		delete(h.ds.failWaits, b)
	}
}

// failStopLiftedEveryBlock is failStopLifted as it was before the index
// of the blocks each stop holds: every block of the document looked up
// in failHeld, those held by blocks queued again (requeueHeld). The
// benchmark's baseline, in the same run. The caller holds e.mu.
func (e *Engine) failStopLiftedEveryBlock(ds *docState, blocks []*blockState) (r rerun) {
	ds.knowFailHeld()
	now := e.now()
	for _, b := range ds.blocks {
		by, ok := ds.failHeld[b]
		if !ok || !slices.Contains(blocks, by) {
			continue
		}
		ds.dropFailHeld(b)
		e.requeueHeld(ds, b, by, now, &r)
	}
	return r
}

// BenchmarkFailStopLifted: what lifting a stop that holds 5 blocks costs
// (failStopLifted: its block run again, the blocks it held queued to
// wait for it), in a document of 10,000 blocks against one of 17, in the
// same run: x-big is the big one's time over the small one's. The
// every-* figures are the same with every block looked at
// (failStopLiftedEveryBlock, as before the index), timed in the same
// run.
func BenchmarkFailStopLifted(b *testing.B) {
	s := newBenchSides(b)
	for i := 0; i < b.N; i++ {
		s.run(i, func(h *heldBench, every bool) time.Duration {
			lift := h.e.failStopLifted
			if every {
				lift = h.e.failStopLiftedEveryBlock
			}
			h.restoreHeld()
			t0 := time.Now()
			r := lift(h.ds, []*blockState{h.js2})
			d := time.Since(t0)
			if len(r.blocks) != len(h.held) {
				b.Fatalf("lifted %d blocks, want %d", len(r.blocks), len(h.held))
			}
			return d
		})
	}
	s.report(b)
}
