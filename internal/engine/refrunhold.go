package engine

import (
	"fmt"
	"slices"
)

// org-babel-execute-buffer makes the run a reference makes of a block
// (plan.Task.CallOf: a block of a session run again, a call with
// arguments) at its referrer's turn, just before the referrer, resolving
// the reference: never when the document stops before that turn. Borges
// runs such a run as soon as it waits for nothing; a stop before its
// referrer's turn, known or being decided, holds it as it holds the
// referrer's own run, wherever the block it runs stands (a block past
// the stop run for a referrer before it runs, as in Emacs).

// refRun reports whether b is the run a reference of a block of the
// submitted document makes (plan.Task.CallOf): no block's own run, nor a
// :post's or a reading's task, nor a block added to the buffer (whose
// runs addedStopHolds weighs).
func refRun(b *blockState) bool {
	return b.task != nil && b.addedBy == "" && b.task.Index < 0 && !b.task.Post && !b.task.ReadsOutput && b.task.CallOf() != ""
}

// refTurn is the own run (ownRun) at whose turn Emacs makes b's run,
// a run a reference makes (refRun): its referrer, up the chain of runs
// whose references make one another (a call inside a called block's
// :var), a :post's or a reading's task standing for its block
// (ownBlock); nil for none (a referrer gone, or added to the buffer, or
// a block :eval refuses: refusedTurn). Bounded by the document's blocks.
// It returns, too, the run of that chain the referrer's own reference
// makes (b itself, for a reference of the referrer's own).
func refTurn(b *blockState) (turn, top *blockState) {
	m := refTurnOf(b)
	return m.turn, m.top
}

// refTurnOf is what walkRefTurn finds for b, kept (blockState.refTurnMemo)
// while the links of its document stand.
func refTurnOf(b *blockState) *refTurnMemo {
	ds := b.doc
	if m := &b.refTurnMemo; m.found && m.links == ds.links {
		return m
	}
	b.refTurnMemo = walkRefTurn(b)
	b.refTurnMemo.found, b.refTurnMemo.links = true, ds.links
	return &b.refTurnMemo
}

// refTurnMemo is what refTurn and refusedTurn found for a block while
// the links of its document (docState.links: its blocks, their tasks,
// who waits for whom) were links: a scheduling pass asks for it for
// every run a reference makes it looks at (callsBefore, endReadHolds),
// and the chain does not change while they stand.
type refTurnMemo struct {
	found     bool
	links     uint64
	turn, top *blockState
	// refused is the first place, among the refused readers of the
	// runs of the chain (refusedTurn), refusedOK false for none.
	refused   place
	refusedOK bool
}

// walkRefTurn is refTurn and refusedTurn, found by one walk up the
// chain (counted: docState.refTurnsFound).
func walkRefTurn(b *blockState) (m refTurnMemo) {
	ds := b.doc
	ds.refTurnsFound++
	x := b
	for range len(ds.blocks) + 1 {
		if r, ok := x.task.FirstRefusedReader(); ok {
			if q := (place{r.Line, r.Index}); !m.refusedOK || q.before(m.refused) {
				m.refused, m.refusedOK = q, true
			}
		}
		c := ds.byName[x.task.CallOf()]
		if c == nil || c.task == nil {
			return m
		}
		c = ownBlock(c)
		if ownRun(c) {
			m.turn, m.top = c, x
			return m
		}
		if !refRun(c) || c == x {
			return m
		}
		x = c
	}
	return m
}

// refRunHolds reports whether the stop f makes at at, with error msg
// (failedStop), holds b, a run a reference makes (refRun): as it holds
// the own run of b's referrer (refTurn: stopHolds), unless b is f, or
// the stop is made at the referrer's turn, resolving its references, by
// a reference Emacs resolves after b's (stoppedResolvingBefore): Emacs
// made b's run before it stopped. A call a block :eval refuses makes
// (plan.Task.RefusedReaders), run at that block's turn, is held by a
// stop before it, the first of them. The caller holds e.mu.
func refRunHolds(b, f *blockState, at place, msg string) bool {
	o, top := refTurn(b)
	q, refused := refusedTurn(b)
	if o == nil && !refused || b == f || ownBlock(f) == b {
		return false
	}
	if refused && !at.before(q) {
		return false // made at a refused block's turn, before the stop
	}
	if o == nil {
		return true
	}
	if !stopHolds(o, f, at, msg) {
		return false
	}
	return at != placeOf(o) || stoppedResolvingBefore(o, top, f)
}

// refusedTurn is, for b, a run a reference makes (refRun), the place of
// the first block :eval refuses whose :var values make it, or make a run
// up its chain (refTurn's) that makes it (plan.Task.RefusedReaders: the
// run of g(k=2) that f's :var makes inside the run of f(n=1) a refused
// block's :var makes has none of its own, that run has the refused
// block), where Emacs makes it resolving them; ok is false for none.
func refusedTurn(b *blockState) (place, bool) {
	m := refTurnOf(b)
	return m.refused, m.refusedOK
}

// refTurnPlace is the first place at which Emacs makes b's run, a run a
// reference makes (refRun): its referrer's turn (refTurn), or that of a
// block :eval refuses making it (refusedTurn), whichever comes first;
// ok is false for none. A read that may stop the document before it
// holds b (endReadHolds), as a call of a refused block found or added
// before it does (calledBefore).
func refTurnPlace(b *blockState) (p place, ok bool) {
	if o, _ := refTurn(b); o != nil {
		p, ok = placeOf(o), true
	}
	if q, refused := refusedTurn(b); refused && (!ok || q.before(p)) {
		p, ok = q, true
	}
	return p, ok
}

// refRunStopWhy is what b, a run a reference makes that the stop f
// makes at at with error msg holds (refRunHolds), says: what its
// referrer says (failureStopAt), or, made by a block :eval refuses
// alone, that the document stopped before it.
func refRunStopWhy(b, f *blockState, at place, msg string) (string, *blockState) {
	if o, _ := refTurn(b); o != nil {
		return failureStopAt(o, f, at, msg)
	}
	return fmt.Sprintf(failStopAt+"%d, for block %s, %s: %s", shownLine(f, at), stopperShown(f), stopWhy(f, msg), msg), f
}

// stoppedResolvingBefore reports whether Emacs, stopped by f resolving
// the references of block o, stopped before it resolved the one that
// makes run top: among o's dependencies, in the order Babel resolves
// them (plan.Task.After), the first that needs f (f's block, or one
// waiting for it, in turn: stopPlace's walk) comes before top (or the
// task of top's :post chain o waits for: ownBlock). None
// found, it is not known to: top is not held. Bounded: each block is
// looked at once.
func stoppedResolvingBefore(o, top, f *blockState) bool {
	ds := o.doc
	needs := map[*blockState]bool{f: true, ownBlock(f): true}
	next := []*blockState{f, ownBlock(f)}
	for len(next) > 0 {
		x := next[len(next)-1]
		next = next[:len(next)-1]
		for _, d := range x.dependents {
			if needs[d] || d == o || d.task == nil || d.task.OrdersOnly(x.name) {
				continue
			}
			needs[d] = true
			next = append(next, d)
		}
	}
	after := o.task.After
	i := slices.IndexFunc(after, func(n string) bool { return needs[ds.byName[n]] })
	// o waits for the last task of top's chain (a call of a block
	// with :post: its :post's task), which stands for it.
	j := slices.IndexFunc(after, func(n string) bool {
		x := ds.byName[n]
		return x != nil && ownBlock(x) == top
	})
	return i >= 0 && j > i
}
