package engine

import (
	"iter"
	"slices"
)

// org-babel-execute-buffer resolves the :var values of a block :eval
// refuses before it refuses the block (org-babel-get-src-block-info runs
// before org-babel-check-evaluate), running a call with arguments among
// them there; a stop that call makes (its output asks for a coding
// system) stops the document at the refused block. For a refused block
// added to the buffer or found in results, Borges runs such a call as a
// task the refused block adds (addCalls); the blocks after that block in
// the buffer wait for the call to end (callsBefore), as Emacs runs them
// only after it, so that its stop holds them (stopPlace,
// addedStopHolds) rather than finding them started.

// callsBefore are the calls of refused blocks added or found (refusedCalls)
// still in the document that y, a block's own run or an added block's,
// waits for: those that have not ended (a stop one made holds y through
// stopPlace and addedStopHolds, not through this wait) and that wait for
// y (waitsForCall). Yielded one at a time, as a scheduling pass asks for
// them for every block it looks at. The caller holds e.mu.
func (ds *docState) callsBefore(y *blockState) iter.Seq[*blockState] {
	return func(yield func(*blockState) bool) {
		// Most documents have no such call: nothing to weigh y for.
		calls := ds.liveRefusedCalls()
		if len(calls) == 0 || !waitsForCalls(y) {
			return
		}
		for _, c := range calls {
			if c.state().Terminal() || !ds.waitsForCall(y, c) {
				continue
			}
			if !yield(c) {
				return
			}
		}
	}
}

// waitsForCalls reports whether y is a block that can wait for the call of
// a refused block: a block's own run or an added block's, or a run a
// reference makes at a block's turn (refRun, refTurnPlace), not itself
// such a call.
func waitsForCalls(y *blockState) bool {
	if y.task == nil || refusedCall(y) {
		return false
	}
	if refRun(y) {
		_, ok := refTurnPlace(y)
		return ok
	}
	return ownRun(y) || addedRun(y)
}

// waitsForCall reports whether y waits for c, a call of a refused block
// added or found still in the document, whether or not c has ended: c
// stands before y in the buffer (calledBefore) and does not need y (a
// call of a block after the refused one runs it first, resolving the
// reference: waiting for the call would close a circle). The graph walk
// (needs) comes last, the cheap tests first. The caller holds e.mu.
func (ds *docState) waitsForCall(y, c *blockState) bool {
	return waitsForCalls(y) && calledBefore(c, y) && !ds.needs(c, y)
}

// liveRefusedCalls are refusedCalls still in the document, those of runs
// replaced since (a block run again adds its calls again) dropped from
// the list in place, so that it does not grow with runs. The caller
// holds e.mu.
func (ds *docState) liveRefusedCalls() []*blockState {
	ds.refusedCalls = slices.DeleteFunc(ds.refusedCalls, func(c *blockState) bool { return ds.byName[c.name] != c })
	return ds.refusedCalls
}

// calledBefore reports whether c, the call of a refused block added or
// found, stands before y in the buffer (for a run a reference makes, its
// referrer's turn: refTurnPlace): y's own run after the place the
// refused block stops at (its addedBefore, among the submitted
// document's blocks), or y added at or after that place, after c's line
// in the buffer where both stand at it.
func calledBefore(c, y *blockState) bool {
	if c.addedBefore == nil {
		return false
	}
	at := *c.addedBefore
	if refRun(y) {
		// Made at its referrer's turn.
		p, ok := refTurnPlace(y)
		return ok && at.before(p)
	}
	if ownRun(y) {
		return at.before(placeOf(y))
	}
	if at.before(*y.addedBefore) {
		return true
	}
	return *y.addedBefore == at && y.line > c.line
}

// callWaits adds to deps call c, which b waits for (callsBefore), while
// it has not ended, and has c wake b when it changes. The caller holds
// e.mu.
func (ds *docState) callWaits(c, b *blockState, deps map[string]State) map[string]State {
	if c == nil {
		return deps
	}
	if !slices.Contains(c.dependents, b) {
		c.addDependent(b)
	}
	return ds.untilEnded(c.name, deps)
}
