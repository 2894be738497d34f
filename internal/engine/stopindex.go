package engine

import (
	"cmp"
	"slices"
)

// This file keeps the indexes that let what a change of a stop does cost
// what changed, not the document's size: the blocks whose failure may
// stop the document (failStops, looked through by failedStop), the
// blocks each failure stop holds (failHolds, which failStopLifted
// releases), and the :post tasks of the blocks added to the buffer
// (addedPosts, which bufferNames reads). Each is found from every block
// once, when first needed (a document just submitted or read from the
// store); from then on the blocks a change touches are weighed again,
// alone. The blocks of each are kept in the order they came to the
// document (seq), the order of ds.blocks, which a search of every block
// gave them.

// appendBlock puts b at the end of ds's blocks: its place there (pos)
// and its turn (seq), by which the indexes keep their blocks in the
// order of ds.blocks. The caller holds e.mu.
func (ds *docState) appendBlock(b *blockState) {
	b.pos, b.seq = len(ds.blocks), ds.blockSeq
	ds.blockSeq++
	ds.blocks = append(ds.blocks, b)
}

// bySeq orders blocks as they came to their document.
func bySeq(a, b *blockState) int { return cmp.Compare(a.seq, b.seq) }

// inDoc reports whether b, a block with a task (or a reference error,
// which only a task has), is among its document's blocks: a task's name
// is its block's alone, and a block dropped lets go of it.
func (ds *docState) inDoc(b *blockState) bool {
	return ds.byName[b.name] == b
}

// weighIn has list, ordered by seq, hold b if in, or not. It returns the
// list.
func weighIn(list []*blockState, b *blockState, in bool) []*blockState {
	i, found := slices.BinarySearchFunc(list, b, bySeq)
	found = found && list[i] == b
	switch {
	case in && !found:
		list = slices.Insert(list, i, b)
	case !in && found:
		list = slices.Delete(list, i, i+1)
	}
	return list
}

// mayFailStop reports whether x's failure may stop the document
// (failedStop weighs those only): a JavaScript value Emacs reads, an
// inline block's value, results that may stop Emacs, a reference
// error, or an Emacs Lisp block's own Lisp :var value
// (plan.Task.LispVarsStop).
func mayFailStop(x *blockState) bool {
	return x.task != nil && (x.task.FailureStops || x.task.ValueNeedsEmacsStops || x.task.LispVarsStop || x.task.BodyErrorStops || x.task.InlineResults || resultStopRun(x) && mayResultStop(x)) || x.refErr != ""
}

// touchedSet keeps, for an index of a document's blocks (failStops,
// addedPosts, held), whether it is known and the blocks a change
// touched since it was last merged: the index is found from every block
// once, when first needed (a document just submitted or read from the
// store), then kept by weighing again, alone, the blocks touched. The
// caller holds e.mu.
type touchedSet struct {
	known  bool
	blocks map[*blockState]struct{}
}

// touch has b weighed again at the next merge, once however often
// touched; nothing is kept while the index is not known: it is found
// from every block then.
func (s *touchedSet) touch(b *blockState) {
	if !s.known {
		return
	}
	if s.blocks == nil {
		s.blocks = map[*blockState]struct{}{}
	}
	s.blocks[b] = struct{}{}
}

// take starts a merge of the index: whole reports that it is to be
// found from every block (it was not known; it is from now on), touched
// are the blocks to weigh again otherwise. Made anew on the next touch:
// a map emptied keeps the size a pass that touched many gave it.
func (s *touchedSet) take() (whole bool, touched map[*blockState]struct{}) {
	whole, touched = !s.known, s.blocks
	if whole {
		touched = nil
	}
	s.known, s.blocks = true, nil
	return whole, touched
}

// forget has the index found from every block at its next merge.
func (s *touchedSet) forget() {
	s.known, s.blocks = false, nil
}

// failStopTouched has the index of the blocks whose failure may stop the
// document (failStops) weigh b again before it is next read: its task,
// its reference error or its record's results' stop changed, or it came
// or went. The caller holds e.mu.
func (ds *docState) failStopTouched(b *blockState) {
	ds.failStopsSync.touch(b)
}

// knowFailStops has ds.failStops hold the blocks of ds whose failure may
// stop the document (mayFailStop), in the order of ds.blocks: found from
// every block when not known, the blocks touched since weighed again
// otherwise. The caller holds e.mu.
func (ds *docState) knowFailStops() {
	whole, touched := ds.failStopsSync.take()
	if whole {
		ds.failStops = ds.failStops[:0]
		for _, x := range ds.blocks {
			if mayFailStop(x) {
				ds.failStops = append(ds.failStops, x)
			}
		}
	}
	for b := range touched {
		ds.failStops = weighIn(ds.failStops, b, mayFailStop(b) && ds.inDoc(b))
	}
	if checkIndexes != nil {
		checkIndexes(ds, failStopsIndex)
	}
}

// setFailHeld keeps that the failure stop of by holds b (ds.failHeld),
// in the index of the blocks each stop holds too (failHolds). The
// caller holds e.mu.
func (ds *docState) setFailHeld(b, by *blockState) {
	if old := ds.failHeld[b]; old != nil && old != by {
		ds.unhold(b, old)
	}
	ds.failHeld[b] = by
	if ds.failHolds == nil {
		ds.failHolds = map[*blockState]map[*blockState]struct{}{}
	}
	if ds.failHolds[by] == nil {
		ds.failHolds[by] = map[*blockState]struct{}{}
	}
	ds.failHolds[by][b] = struct{}{}
}

// dropFailHeld lets go of b's hold by a failure stop, if any. The caller
// holds e.mu.
func (ds *docState) dropFailHeld(b *blockState) {
	if by, ok := ds.failHeld[b]; ok {
		delete(ds.failHeld, b)
		ds.unhold(b, by)
	}
}

// unhold takes b out of the blocks by's stop holds (failHolds). The
// caller holds e.mu.
func (ds *docState) unhold(b, by *blockState) {
	if held := ds.failHolds[by]; held != nil {
		delete(held, b)
		if len(held) == 0 {
			delete(ds.failHolds, by)
		}
	}
}

// newFailHeld has ds know, from now on, that no failure stop holds any
// of its blocks. The caller holds e.mu.
func (ds *docState) newFailHeld() {
	ds.failHeld = map[*blockState]*blockState{}
	ds.failHolds = nil
}

// heldByAny are the blocks of ds that the failure stops of blocks hold
// (failHeld), in the order of ds.blocks. The caller holds e.mu.
func (ds *docState) heldByAny(blocks []*blockState) []*blockState {
	var out []*blockState
	for i, by := range blocks {
		if slices.Contains(blocks[:i], by) {
			continue
		}
		for b := range ds.failHolds[by] {
			if ds.inDoc(b) {
				out = append(out, b)
			}
		}
	}
	slices.SortFunc(out, bySeq)
	return out
}

// addedPostTouched has the index of the :post tasks of added blocks
// (addedPosts) weigh b again before it is next read: it came or went,
// or its task changed. The caller holds e.mu.
func (ds *docState) addedPostTouched(b *blockState) {
	ds.addedPostsSync.touch(b)
}

// knowAddedPosts has ds.addedPosts hold the :post tasks of added blocks
// (isAddedPost) by the block they end, in the order of ds.blocks: found
// from every block when not known, the blocks touched since weighed
// again otherwise. The caller holds e.mu.
func (ds *docState) knowAddedPosts() {
	whole, touched := ds.addedPostsSync.take()
	if whole {
		ds.addedPosts = map[string][]*blockState{}
		for _, x := range ds.blocks {
			if x.isAddedPost() {
				ds.addedPosts[x.addedBy] = append(ds.addedPosts[x.addedBy], x)
			}
		}
	}
	for b := range touched {
		if b.addedBy == "" {
			continue // never one: by whom it was added does not change
		}
		list := weighIn(ds.addedPosts[b.addedBy], b, b.isAddedPost() && ds.inDoc(b))
		if len(list) == 0 {
			delete(ds.addedPosts, b.addedBy)
		} else {
			ds.addedPosts[b.addedBy] = list
		}
	}
	if checkIndexes != nil {
		checkIndexes(ds, addedPostsIndex)
	}
}

// blocksChanged has the indexes weigh again the blocks bs, which came,
// went or took another task. The caller holds e.mu.
func (ds *docState) blocksChanged(bs ...*blockState) {
	for _, b := range bs {
		ds.failStopTouched(b)
		ds.addedPostTouched(b)
	}
}

// checkIndexes, set by the package's tests, checks an index of ds
// against what a search of every block finds, each time it is read; nil
// otherwise.
var checkIndexes func(ds *docState, index stopIndex)

// stopIndex names an index of stopindex.go, for checkIndexes.
type stopIndex int

const (
	failStopsIndex stopIndex = iota
	failHoldsIndex
	addedPostsIndex
)
