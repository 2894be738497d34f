package engine

import (
	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// searchChanged is foundInResults for a document whose Emacs reports its
// Org buffer (ds.writtenEmacs) once a task of that Emacs has changed it
// (a report of it is there): the results written are searched in that
// buffer, the latest report, as org-babel-execute-buffer goes on in it
// (org.Document.ReportChanged, going on from the report searched before,
// ds.changedIn, while it grew from the same report), and the blocks found
// there run as blocks found in a document without Emacs Lisp run, keyed
// past that report's marks, where every task of that Emacs has finished
// (looked at first) and stands before them (plan.FoundAfterChanged) and
// none of them runs in that Emacs (plan.FoundBeside). Otherwise none is run, and the
// write-back refuses the document where Emacs runs one
// (org.ErrFoundInChangedBuffer). ok is false where no task of that Emacs
// has a report (the search goes on as before a change). At a start
// (stored) the blocks are added again as addBlocks adds them. The caller
// holds e.mu.
func (e *Engine) searchChanged(ds *docState, doc *org.Document, by *blockState, stored bool) (added []*store.Instance, r rerun, ok bool) {
	attempts := ds.bufferAttempts()
	has, unreadable := e.bufferReportMarked(attempts)
	switch {
	case !has && !unreadable:
		return nil, rerun{}, false
	case unreadable:
		return nil, rerun{}, true
	}
	written := ds.writtenEmacs()
	for _, b := range ds.blocks {
		if b.task.InSession(written) && b.state() != Finished {
			// org-babel-execute-buffer has not gone past it: not
			// searched before every task of that Emacs has finished,
			// which FoundAfterChanged takes as known.
			return nil, rerun{}, true
		}
	}
	// Only results that may hold a block are searched, the report
	// read for them: by's, or, at the end of a task of that Emacs (the
	// last, which lets the search be made) or at a start, those of
	// every block finished.
	mayHold := e.mayHoldExecutables(ds, doc, by)
	if !mayHold && (stored || by.task.InSession(written)) {
		for _, b := range ds.blocks {
			if b != by && b.task != nil && b.state() == Finished && e.mayHoldExecutables(ds, doc, b) {
				mayHold = true
				break
			}
		}
	}
	if !mayHold {
		return nil, rerun{}, true
	}
	var rep *org.BufferReport
	for _, a := range attempts {
		if k, kept := e.reports.Load(a); kept && (k.(keptReport).unreadable || k.(keptReport).lost != "") {
			return nil, rerun{}, true
		}
		got, reload := e.reportLocked(ds, a)
		if reload != nil {
			// Not read under the lock: the blocks found are not run,
			// and the write-back refuses the document if Emacs runs
			// one.
			e.log.Warn("the report of the Org buffer of the document's Emacs was not kept: the blocks found in the results written there are not run", "doc", ds.id, "attempt", a)
			return nil, rerun{}, true
		}
		if got != nil {
			rep = got
			break
		}
	}
	if rep == nil {
		return nil, rerun{}, true
	}
	prev := ds.changedIn
	if ds.changedBase == nil || !sameReport(ds.changedBase, rep) {
		prev = nil
	}
	ext := doc.ReportChanged(e.finishedResults(ds, doc), rep, prev)
	if ext == prev || len(ext.Marks) <= len(rep.Marks) {
		return nil, rerun{}, true
	}
	tasks := make([]*plan.Task, 0, len(ds.blocks))
	for _, b := range ds.blocks {
		if b.task != nil {
			tasks = append(tasks, b.task)
		}
	}
	// Every task of that Emacs has finished (looked at first, above).
	if !plan.FoundAfterChanged(doc, tasks, ext, len(rep.Marks), written) {
		return nil, rerun{}, true
	}
	ed, err := e.planReport(nil, ds, doc, ext)
	if err != nil {
		e.log.Warn("reading the blocks found in the results written in the Org buffer of the document's Emacs: they are not run", "doc", ds.id, "err", err)
		return nil, rerun{}, true
	}
	if !plan.FoundBeside(ed, org.AddedKey+len(rep.Marks)-len(doc.Executables()), written) {
		e.log.Info("a block found in the results written in the Org buffer of the document's Emacs would run in that Emacs: the blocks found there are not run", "doc", ds.id)
		return nil, rerun{}, true
	}
	ds.changedBase, ds.changedIn = rep, ext
	if _, stops := ed.Stop(); stops {
		// A stop found before stays otherwise: it held what stands
		// after it, and none of that Emacs's tasks would have
		// finished.
		ds.stopAt(ed, func(a plan.Addition) {
			e.log.Info("org-babel-execute-buffer stops the document at a block found in results: the blocks after it are not run", "doc", ds.id, "by", by.name, "lang", a.Lang, "line", a.Line)
		})
	}
	added, r = e.addAdditions(ds, by, ed, stored, func(plan.Addition) {})
	return added, r, true
}
