package engine

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
// (endAdds) and at a start (addedAgain). The caller holds e.mu.
func (e *Engine) refusedEndAt(ds *docState, by *blockState, attempt string) {
	if attempt == "" || ds.plan == nil || by.task == nil || !inEmacs(by) || by.addedBy != "" || by.task.Session.Key != ds.writtenEmacs() {
		return
	}
	for _, t := range ds.plan.Tasks {
		if t.Session != nil && t.Session.Key == by.task.Session.Key && t.Line > by.task.Line {
			return // not its last task
		}
	}
	ds.refusedEnd = nil
	rep, reload := e.reportLocked(ds, attempt)
	if reload != nil || rep == nil {
		return
	}
	changed := false
	for _, m := range rep.Marks {
		changed = changed || m.Changed
	}
	if !changed {
		return
	}
	ed, reload := e.editsOf(ds, attempt, "where it stops the document past its last task is not known")
	if ed == nil || reload != nil {
		return
	}
	if s, ok := ed.EndStop(); ok {
		ds.refusedEnd = &s
		e.log.Info("org-babel-execute-buffer stops the document at a block :eval refuses after every task", "doc", ds.id, "block", s.Name, "line", s.Line, "stop", s.Stop)
	}
}
