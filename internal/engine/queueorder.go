package engine

import (
	"cmp"
	"math"

	"github.com/wallyqs/borges/internal/plan"
)

// queueOrder orders blocks as the queue takes them: documents in order of
// arrival; in one, by their places (pos), a block that came later (late)
// before the document's block at its place; late blocks at one place in
// the buffer's order (bufLine), as org-babel-execute-buffer comes to
// them, and at one line (a block, its calls and :post) in the order they
// came.
func queueOrder(a, b *blockState) int {
	rank := func(x *blockState) int {
		if x.late {
			return 0
		}
		return 1
	}
	return cmp.Or(cmp.Compare(a.doc.pos, b.doc.pos), cmp.Compare(a.pos, b.pos), cmp.Compare(rank(a), rank(b)),
		cmp.Compare(a.bufLine, b.bufLine), cmp.Compare(a.seq, b.seq))
}

// queueReported keeps the blocks of addition a, which a report lists
// again (added by any block: the buffer's lines shift as blocks are
// added before them), at their line in that buffer (bufLine), placed
// again in the queue when it changed. The caller holds e.mu.
func (e *Engine) queueReported(ds *docState, a plan.Addition) {
	for _, b := range ds.blocks {
		if b.late && b.index == a.Key && b.bufLine != a.Line {
			b.bufLine = a.Line
			e.queueMoved(b)
		}
	}
}

// queueAdded places b, a block that came to ds after it was submitted,
// in the queue: just before the turn of the document's block it stands
// before (addedBefore, the place just before it), or after all of them.
func (ds *docState) queueAdded(b *blockState) {
	b.late, b.pos = true, math.MaxInt
	if p := b.addedBefore; p != nil && p.line != math.MaxInt {
		if turn, ok := ds.turns[p.index+1]; ok {
			b.pos = turn
		}
	}
}

// queueMoved places b, a block added to the buffer whose place there
// changed (addedBefore), in the queue again: its instances waiting for
// capacity, listed in queue order, are taken out of their lists first,
// to wait again as a pass finds them. The caller holds e.mu.
func (e *Engine) queueMoved(b *blockState) {
	for _, in := range b.instances {
		e.capLeave(in)
		if in.capClass != nil {
			e.capDelist(in)
		}
	}
	b.doc.queueAdded(b)
}
