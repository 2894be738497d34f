package engine

// turnNeeds are, for one stop place and one links generation
// (docState.links), the blocks neededByTurnBefore finds needed, found in
// one walk forward from the blocks whose turn comes before the stop over
// what they refer to, in place of a walk back per block: a chain of
// blocks past a stop, each referring to the one before it, costs the
// chain's length once rather than once per block.
type turnNeeds struct {
	at    place
	links uint64
	// known are the blocks the walk covered: those of the document and
	// every block their dependents reach. Another is walked back from.
	known map[*blockState]bool
	// needed are the blocks a block whose turn comes before at needs,
	// in turn: reached from one over at least one reference.
	needed map[*blockState]bool
}

// weighingStops has the blocks needed before a stop found once while the
// caller weighs stops against many blocks (rehold, knowFailHeld,
// requeueGhostHeld), found again when the stop's place or the links
// change meanwhile, and forgotten when the returned func is called: what
// neededByTurnBefore's walk depends on, the blocks' tasks among it, is
// not changed while they weigh. The caller holds e.mu.
func (ds *docState) weighingStops() (done func()) {
	ds.turnScope++
	return func() {
		ds.turnScope--
		if ds.turnScope == 0 {
			ds.turnNeeds = nil
		}
	}
}

// neededByTurnBeforeKnown is neededByTurnBefore's answer from the blocks
// found once (turnNeeds), and whether it has one: only while stops are
// weighed (weighingStops), for a block the walk covered that does not
// itself count as one whose turn comes before at (its walk back skips
// itself). The caller holds e.mu.
func neededByTurnBeforeKnown(b *blockState, at place) (needed, ok bool) {
	ds := b.doc
	if ds == nil || ds.turnScope == 0 || turnBefore(b, at) {
		return false, false
	}
	m := ds.turnNeeds
	if m == nil || m.at != at || m.links != ds.links {
		m = ds.findTurnNeeds(at)
		ds.turnNeeds = m
	}
	if !m.known[b] {
		return false, false
	}
	return m.needed[b], true
}

// turnBefore reports whether d counts as a block whose turn comes before
// at (neededByTurnBefore): its own block, a run of its own, is before
// at.
func turnBefore(d *blockState, at place) bool {
	o := ownBlock(d)
	return ownRun(o) && placeOf(o).before(at)
}

// findTurnNeeds walks forward once from the blocks whose turn comes
// before at over the blocks they refer to: the edges and stops of
// neededByTurnBefore's walk back, reversed (not through :after or a
// session's order, nor into the call of a refused block, addedCallRun).
func (ds *docState) findTurnNeeds(at place) *turnNeeds {
	m := &turnNeeds{at: at, links: ds.links, known: map[*blockState]bool{}, needed: map[*blockState]bool{}}
	refersTo := map[*blockState][]*blockState{}
	todo := make([]*blockState, 0, len(ds.blocks))
	for _, b := range ds.blocks {
		if !m.known[b] {
			m.known[b] = true
			todo = append(todo, b)
		}
	}
	for len(todo) > 0 {
		x := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, d := range x.dependents {
			if !m.known[d] {
				m.known[d] = true
				todo = append(todo, d)
			}
			if d.task != nil && !d.task.OrdersOnly(x.name) {
				refersTo[d] = append(refersTo[d], x)
			}
		}
	}
	walked := map[*blockState]bool{}
	for d := range m.known {
		if d.task != nil && turnBefore(d, at) {
			walked[d] = true
			todo = append(todo, d)
		}
	}
	for len(todo) > 0 {
		d := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, x := range refersTo[d] {
			if addedCallRun(x) {
				continue
			}
			m.needed[x] = true
			if !walked[x] {
				walked[x] = true
				todo = append(todo, x)
			}
		}
	}
	return m
}
