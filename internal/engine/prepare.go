package engine

import (
	"context"

	"github.com/wallyqs/borges/internal/plan"
)

// This file asks a backend that implements Preparer to make ahead the
// files of the next attempts of a launched block's dependents, beside
// the launches, so that their own launches have less to do once it ends.
// It is apart from the pass, which only hands it requests it may drop.

// prepareReq is an attempt to prepare (see Preparer).
type prepareReq struct {
	doc, id string
	task    *plan.Task
	in      *instState // whose attempt it is, its n'th
	n       int
}

// prepareLoop prepares attempts, one at a time, beside the launches.
func (e *Engine) prepareLoop(ctx context.Context, p Preparer) {
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-e.prepares:
			e.prepMu.Lock()
			e.mu.Lock()
			ds := e.docs[r.doc]
			keep := ds != nil && !ds.removing
			e.mu.Unlock()
			if keep {
				p.Prepare(r.id, r.task)
			}
			e.prepMu.Unlock()
		}
	}
}

// maxPrepared bounds the attempts prepared for one launch.
const maxPrepared = 8

// toPrepare are the next attempts of the blocks that wait on nothing but
// block b, whose attempt is being launched. The caller holds e.mu.
func (e *Engine) toPrepare(b *blockState, out []prepareReq) []prepareReq {
	n := 0
	for _, d := range b.dependents {
		if d.task == nil || !e.onlyWaitsOn(d, b) {
			continue
		}
		for _, in := range d.instances {
			if State(in.rec.State) != Queued || in.rec.Killed {
				continue
			}
			if n == maxPrepared {
				return out
			}
			n++
			id := AttemptID(d.doc.id, d.index, d.name, in.rec.Instance, in.rec.Attempts+1)
			if in.prepared == id {
				continue
			}
			in.prepared = id
			out = append(out, prepareReq{doc: d.doc.id, id: id, task: d.task, in: in, n: in.rec.Attempts + 1})
		}
	}
	return out
}

// onlyWaitsOn reports whether every dependency of d but b has finished,
// and every reader it waits for but b has ended.
func (e *Engine) onlyWaitsOn(d, b *blockState) bool {
	for _, name := range d.task.After {
		if name != b.name && d.doc.dependencyState(name) != Finished {
			return false
		}
	}
	for _, name := range d.task.ReadersBefore() {
		if name != b.name && len(d.doc.untilEnded(name, nil)) > 0 {
			return false
		}
	}
	return true
}
