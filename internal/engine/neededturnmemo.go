package engine

// turnNeeds are, for one stop place and one links generation
// (docState.links, docState.turnLinks), the blocks neededByTurnBefore finds needed, found in
// one walk forward from the blocks whose turn comes before the stop over
// what they refer to, in place of a walk back per block: a chain of
// blocks past a stop, each referring to the one before it, costs the
// chain's length once rather than once per block.
type turnNeeds struct {
	// known are the blocks the walk covered: those of the document and
	// every block their dependents reach. Another is walked back from.
	known map[*blockState]bool
	// needed are the blocks a block whose turn comes before at needs,
	// in turn: reached from one over at least one reference.
	needed map[*blockState]bool
}

// weighingStops has the blocks needed before a stop found once while the
// caller weighs stops against many blocks (rehold, knowFailHeld,
// requeueGhostHeld), and found again when the links change (docState.
// links: every change to the blocks, their tasks or who waits for whom
// bumps it, which is all neededByTurnBefore's walk depends on). What is
// found is kept after the weighing, for as long as the links stand: the
// next pass's weighing, or a question between, asks it again. Outside a
// weighing, nothing is found anew (a walk back answers one question
// for less). The caller holds e.mu.
func (ds *docState) weighingStops() (done func()) {
	ds.turnScope++
	return func() { ds.turnScope-- }
}

// turnNeedsKept bounds the stop places whose needed blocks a document
// keeps: the places a pass weighs are few (the stop, the stops learned).
const turnNeedsKept = 4

// neededByTurnBeforeKnown is neededByTurnBefore's answer from the blocks
// found once (turnNeeds) while the links stand, and whether it has one:
// for a block the walk covered that does not itself count as one whose
// turn comes before at (its walk back skips itself). Found anew only
// while stops are weighed (weighingStops). The caller holds e.mu.
func neededByTurnBeforeKnown(b *blockState, at place) (needed, ok bool) {
	ds := b.doc
	if ds == nil || turnBefore(b, at) {
		return false, false
	}
	if ds.turnLinks != ds.links {
		clear(ds.turnNeeds)
		ds.turnLinks = ds.links
	}
	m := ds.turnNeeds[at]
	if m == nil {
		if ds.turnScope == 0 {
			return false, false
		}
		if ds.turnNeeds == nil || len(ds.turnNeeds) >= turnNeedsKept {
			ds.turnNeeds = map[place]*turnNeeds{}
		}
		m = ds.findTurnNeeds(at)
		ds.turnNeeds[at] = m
		if checkTurnNeeds != nil {
			checkTurnNeeds(ds, m, nil, at, false)
		}
	}
	if !m.known[b] {
		return false, false
	}
	needed = m.needed[b]
	if checkTurnNeeds != nil {
		checkTurnNeeds(ds, m, b, at, needed)
	}
	return needed, true
}

// checkTurnNeeds, when set (by tests), is called with m as ds found it
// (b nil), then with each answer of m kept (neededByTurnBeforeKnown), to
// check it against a walk back and what the walk reads against what it
// read when m was found: a change of the links that does not bump
// docState.links leaves a kept answer stale.
var checkTurnNeeds func(ds *docState, m *turnNeeds, b *blockState, at place, needed bool)

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
	m := &turnNeeds{known: map[*blockState]bool{}, needed: map[*blockState]bool{}}
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
