package engine

// neededByTurnBefore reports whether b, a block's own run past the place
// at that a stop stops the document at, is needed by a block whose own
// turn comes strictly before at: one referring to b (:var, noweb, a
// #+call: line, :stdin), or to a block that does, in turn (a :post's or
// a reading's dependents standing for their block: ownBlock). Emacs
// runs b for that reference before it reaches the stop, so the stop
// does not hold it: Borges runs it, its value given to the blocks that
// refer to it, and write-back leaves its results out (pastStop). Not
// through :after or a session's order, which Emacs runs no block for,
// nor through the call of a refused block (addedCallRun), whose value
// is given to no block: the blocks that wait for it are its dependents
// only to be woken. A block at at itself does not count: Emacs stops
// while resolving its references. Bounded: each block is looked at
// once, walking back from b over those that refer to it; while stops
// are weighed against many blocks, found once for all (weighingStops).
// The caller holds e.mu.
func neededByTurnBefore(b *blockState, at place) bool {
	if needed, ok := neededByTurnBeforeKnown(b, at); ok {
		return needed
	}
	return neededByTurnBeforeWalk(b, at)
}

// neededByTurnBeforeWalk is neededByTurnBefore's walk back from b, each
// block looked at once. The caller holds e.mu.
func neededByTurnBeforeWalk(b *blockState, at place) bool {
	seen := map[*blockState]bool{b: true}
	next := []*blockState{b}
	for len(next) > 0 {
		x := next[len(next)-1]
		next = next[:len(next)-1]
		if addedCallRun(x) {
			continue
		}
		for _, d := range x.dependents {
			if seen[d] || d.task == nil || d.task.OrdersOnly(x.name) {
				continue
			}
			seen[d] = true
			if o := ownBlock(d); ownRun(o) && placeOf(o).before(at) {
				return true
			}
			next = append(next, d)
		}
	}
	return false
}
