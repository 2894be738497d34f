package engine

import (
	"slices"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// A block of the document that an Emacs Lisp block before it changed to
// refer to a block it did not refer to (a language's default :var, a
// header it edited) runs as the buffer holds it (applyEdit), and
// org-babel-ref-resolve runs the block referred to at that reference, at
// the referring block's turn, before it, whether that block stands
// before the referrer or after it. The submitted plan has no such run:
// the decision hands the new ones over (plan.Decision.Runs), and
// changedRuns adds each as a task of the document, queued at the
// referrer's turn, its results written nowhere, the referrer waiting for
// it as for any task it refers to. It is stored queued as it is added,
// then as any task's state; a server started again adds
// those it has stored states of again, from the same report, before the
// blocks decided from it launch (knowChangedRuns), so that a run made is
// not made twice.

// changedRuns adds to b's document the runs of runs it does not have
// yet, at b's turn, and returns their instances' records (queued), which
// the caller counts as tracked (a start counts every instance after it
// adopted them). The caller holds e.mu.
func (e *Engine) changedRuns(b *blockState, runs []*plan.Task) (recs []*store.Instance) {
	ds := b.doc
	for _, t := range runs {
		if ds.byName[t.Block] != nil {
			continue
		}
		r := &blockState{doc: ds, name: t.Block, index: t.Index, line: t.Line, lang: t.Lang, task: t, submitted: t}
		for i := 0; i < t.Instances; i++ {
			in := &instState{block: r, rec: store.Instance{DocID: ds.id, Block: r.name, Instance: i, State: string(Queued), Attempts: ds.droppedAttempts[r.name]}}
			r.instances = append(r.instances, in)
			recs = append(recs, &in.rec)
		}
		ds.appendBlock(r)
		// At b's turn, before b and after the runs added before it
		// (late ones come first at a place, in the order they came).
		r.late, r.pos = true, b.pos
		if turn, ok := ds.turns[b.index]; ok && !b.late {
			r.pos = turn
		}
		ds.byName[r.name] = r
		ds.failStopsChanged(r)
		ds.noteJSValue(r)
		ds.dependOn(r, nil)
		for _, q := range ds.blocks {
			if q != r && q.task != nil && slices.Contains(q.task.After, t.Block) {
				r.addDependent(q)
			}
		}
		e.touchBlock(r)
		e.log.Info("running a block for a reference an Emacs Lisp block gave a block", "doc", ds.id, "block", r.name, "for", b.name)
	}
	return recs
}

// knowChangedRuns adds to ds, at a start, the runs an Emacs Lisp block's
// edits made of the blocks decided from its report (changedRuns) that
// have stored states (stored, by name), as the decisions of those
// blocks give them again from the same reports, and returns them, to be
// given those states. The caller holds e.mu.
func (e *Engine) knowChangedRuns(ds *docState, stored map[string]bool) []*blockState {
	unknown := false
	for n := range stored {
		if ds.byName[n] == nil {
			unknown = true
			break
		}
	}
	if !unknown {
		return nil
	}
	n := len(ds.blocks)
	for _, b := range ds.blocks[:n] {
		if b.task == nil || b.addedBy != "" || b.environmentOf() == "" || b.submitted != nil && b.task != b.submitted {
			continue
		}
		d, _ := e.bufferEdit(b)
		if d.Kind != plan.Changed {
			continue
		}
		var runs []*plan.Task
		for _, t := range d.Runs {
			if stored[t.Block] {
				runs = append(runs, t)
			}
		}
		e.changedRuns(b, runs)
	}
	return ds.blocks[n:]
}
