package engine

import (
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// refusedEndAt keeps, from the report of by's attempt, where
// org-babel-execute-buffer stops the document at a block :eval refuses
// after every task (plan.Edits.EndStop): no task stands after it to be
// decided from the buffer and fail with that stop, so the document's
// notes say it (notes). Only the report of the document's Emacs's last
// task counts: Emacs reads that block after every Emacs Lisp block has
// run; and only a buffer some block of which an Emacs Lisp block changed
// (the plan knows the stops of the document as submitted). A report that
// cannot be read here, or says none, clears it. It is called beside
// addBlocks, where an attempt's report is read: at the attempt's end
// (endAdds) and at a start (addedAgain). Where that block's reading is
// the evaluation of Lisp :var values (EndStop's Runs), no note is kept:
// the runs are added to the document at its turn (endRuns), and the
// first that fails stops it there as any such run does. It returns the
// records of the runs added (queued), which the caller stores and
// counts as tracked. The caller holds e.mu.
func (e *Engine) refusedEndAt(ds *docState, by *blockState, attempt string) []*store.Instance {
	if attempt == "" || ds.plan == nil || by.task == nil || !inEmacs(by) || by.addedBy != "" || by.task.Session.Key != ds.writtenEmacs() {
		return nil
	}
	for _, t := range ds.plan.Tasks {
		if t.Session != nil && t.Session.Key == by.task.Session.Key && t.Line > by.task.Line && !t.PastStop(ds.plan) {
			return nil // not its last task
		}
	}
	ds.refusedEnd = nil
	rep, reload := e.reportLocked(ds, attempt)
	if reload != nil || rep == nil {
		return nil
	}
	changed := false
	for _, m := range rep.Marks {
		changed = changed || m.Changed
	}
	if !changed {
		return nil
	}
	ed, reload := e.editsOf(ds, attempt, "where it stops the document past its last task is not known")
	if ed == nil || reload != nil {
		return nil
	}
	s, ok := ed.EndStop()
	switch {
	case !ok:
		return nil
	case len(s.Runs) > 0:
		return e.endRuns(ds, s)
	}
	ds.refusedEnd = &s
	e.log.Info("org-babel-execute-buffer stops the document at a block :eval refuses after every task", "doc", ds.id, "block", s.Name, "line", s.Line, "stop", s.Stop)
	return nil
}

// endRuns adds to ds the runs of s (plan.RefusedEnd.Runs), those it
// does not have yet, at the turn of s's block (as changedRuns adds the
// runs a decision gives, which a block after it would have waited for),
// and returns their instances' records (queued). Each waits for the
// last task of the document's Emacs and the run before it; a failure
// stops the document at s's block (plan.Task.RefusedReaders, stopPlace).
// A server started again adds them again from the same report
// (addedAgain), before giving them their stored states. The caller
// holds e.mu.
func (e *Engine) endRuns(ds *docState, s plan.RefusedEnd) []*store.Instance {
	at := ds.refusedBlock(s.Runs[0])
	if at == nil {
		e.log.Warn("the block :eval refuses whose Lisp :var values are to be evaluated past the last task is not among the document's: not evaluated", "doc", ds.id, "block", s.Name, "line", s.Line)
		return nil
	}
	return e.changedRuns(at, s.Runs)
}

// refusedBlock is the block of ds, one :eval refuses, whose :var
// values r's run is made for (plan.Task.FirstRefusedReader), nil for
// none.
func (ds *docState) refusedBlock(r *plan.Task) *blockState {
	first, ok := r.FirstRefusedReader()
	if !ok {
		return nil
	}
	for _, b := range ds.blocks {
		if b.task == nil && b.skipped != nil && b.addedBy == "" && b.skipped.Index == first.Index && b.skipped.Line == first.Line {
			return b
		}
	}
	return nil
}
