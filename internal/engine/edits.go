package engine

import (
	"slices"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// This file runs the blocks as the Org buffer of the document's Emacs
// holds them when they launch, as org-babel-execute-buffer finds them
// there (plan's edits.go decides): a block an Emacs Lisp block before it
// deleted is not run, one it changed runs as it now stands. Every block
// after an Emacs Lisp block waits for the last one before it to end
// (Task.EnvironmentOf), so the buffer it would be found in is reported
// by then: the latest report of the tasks of that Emacs before it.

// decidedTask is b's task as planned from the document submitted
// (submitted), which the buffer's edits are decided from, or its task
// when none was decided from the buffer yet.
func (b *blockState) decidedTask() *plan.Task {
	if b.submitted != nil {
		return b.submitted
	}
	return b.task
}

// bufferEdit is what the buffer makes of b, ready to launch: Kept when no
// task of the document's Emacs before it changed the buffer. wait is,
// when what it makes of b is not known yet, the read of a report off
// the lock it waits for (reportWait): of the report that decides it
// (reportUnread), or of that report again, let go (reloadReport); the
// decision is then b's task as submitted, which a decision that is kept
// does not take. The caller holds e.mu.
func (e *Engine) bufferEdit(b *blockState) (d plan.Decision, wait reportWait) {
	ds := b.doc
	if b.submitted == nil {
		b.submitted = b.task
	}
	before := b.submitted.EnvironmentOf
	if b.runFor != nil {
		before = b.environmentOf()
	}
	attempt, reading := ds.reportBefore(e, before)
	if reading != nil {
		return plan.WithoutReport(b.submitted), reading
	}
	if attempt == "" {
		return plan.WithoutReport(b.submitted), nil
	}
	if why := e.reportLost(attempt); why != "" {
		// What the buffer makes of b is not known: b fails saying
		// so, rather than run as submitted, which Emacs may not
		// have, or wait for a report no read will give.
		return plan.Decision{Kind: plan.Fails, Why: ds.lostReportMessage(attempt, why)}, nil
	}
	ed, reload := e.editsOf(ds, attempt, "its blocks run as submitted")
	if reload != nil {
		return plan.WithoutReport(b.submitted), reload
	}
	if ed == nil {
		return plan.WithoutReport(b.submitted), nil
	}
	if b.addedBy != "" {
		// Added by an Emacs Lisp block: the report is of that block
		// or of one after it, which may have deleted or changed it.
		return ed.DecideAdded(b.submitted), nil
	}
	return ed.Decide(b.submitted), nil
}

// editsOf is what the report of attempt (a task of the document's Emacs)
// says the buffer's edits did to the document's blocks, found once and
// kept: with the report while it is kept (reportLRU.keepEdits, within
// reportBudget), and for the latest attempt found whatever is let go
// (ds.edits), so that the blocks decided from a report read again are
// decided from it (reloaded); nil when it cannot be read, logged with
// what follows from that (unread). Its text let go, it is read again
// off the lock, returned (reload), and nil meanwhile. A document of
// several Emacs Lisp blocks finds each report's edits once, not again
// each time the blocks decided from another were (its results
// document, BenchmarkResultsSeveralEditors). The caller holds e.mu.
func (e *Engine) editsOf(ds *docState, attempt, unread string) (ed *plan.Edits, reload *reportReload) {
	if ed := ds.edits[attempt]; ed != nil {
		return ed, nil
	}
	if ed := e.parsedReports.editsFor(attempt, ds); ed != nil {
		return ed, nil
	}
	rep, reload := e.reportLocked(ds, attempt)
	if reload != nil {
		return nil, reload
	}
	doc, err := e.parsed(ds)
	if rep == nil || err != nil {
		return nil, nil
	}
	e.editsBuilt++
	ed, err = plan.BufferEdits(doc, ds.plan, rep, e.backend.Limits(), e.cfg.Plan)
	if err != nil {
		e.log.Warn("reading the Org buffer of the document's Emacs: "+unread, "doc", ds.id, "err", err)
		return nil, nil
	}
	ds.edits = map[string]*plan.Edits{attempt: ed} // the latest found
	e.parsedReports.keepEdits(attempt, ds, ed)
	return ed, nil
}

// editsWait is, for b, ready to launch, the read of a report off the
// lock that what the buffer makes of it waits for (bufferEdit), nil
// when it is known: what it found is kept (ds.edits) for applyEdit.
// The caller holds e.mu.
func (e *Engine) editsWait(b *blockState) reportWait {
	if b.environmentOf() == "" || b.submitted != nil && b.task != b.submitted {
		return nil
	}
	_, wait := e.bufferEdit(b)
	return wait
}

// reportBefore is the attempt whose report of the buffer of the Emacs the
// document is written back from stands after the task name and the tasks
// of that Emacs before it ("" when none changed the buffer). What it
// finds for an attempt that ended is kept (ds.reported), so that each
// block costs a look or two however many Emacs Lisp blocks are before
// it; a report being read counts as none for now, and is not kept so:
// reading is then the instance whose report it is, which what is decided
// from it waits for. The caller holds e.mu.
func (ds *docState) reportBefore(e *Engine, name string) (attempt string, reading *instState) {
	var walked []string
	found := ""
	for n := 0; name != "" && n <= len(ds.blocks); n++ {
		dep := ds.byName[name]
		if dep == nil || dep.task == nil || len(dep.instances) == 0 || !inEmacs(dep) {
			break
		}
		in := dep.instances[0]
		attempt := in.rec.AttemptID
		if in.reportUnread() {
			// Its report being read (readReportOff): not read here,
			// under the lock, nor kept as none, which it may not be;
			// the blocks decided from it wait (reportReadHolds).
			return "", in
		}
		if attempt != "" && State(in.rec.State).Terminal() {
			if r, ok := ds.reported[attempt]; ok {
				found = r
				break
			}
			if dep.task.Session.Key == ds.writtenEmacs() {
				if k, ok := e.reports.Load(attempt); ok && k.(keptReport).maybe {
					// Not known to be a report (keptReport.maybe):
					// waited for as one, but nothing is kept from
					// it, the walk here included, as it may turn
					// out none, and then an earlier report stands.
					return attempt, nil
				}
				if e.reportThere(attempt) {
					found = attempt
					walked = append(walked, attempt)
					break
				}
			}
			walked = append(walked, attempt)
		}
		name = dep.task.EnvironmentOf
	}
	if ds.reported == nil {
		ds.reported = map[string]string{}
	}
	for _, a := range walked {
		ds.reported[a] = found
	}
	return found, nil
}

// writtenEmacs is the key of the Emacs the document is written back from.
func (ds *docState) writtenEmacs() string {
	if ds.written == nil {
		k := plan.WrittenEmacs(ds.plan.Tasks)
		ds.written = &k
	}
	return *ds.written
}

// reportedEmacs is the key of the Emacs whose reports of its Org buffer
// the document is written back from: the document's (writtenEmacs), or,
// in a document with no Emacs Lisp block of its own, the Emacs a block
// found in results runs in (the buffer's plan's, started for it with the
// buffer as written so far: plan.Edits.additions), as
// org-babel-execute-buffer runs it in the buffer it writes, whose edits
// are the document's then. Only write-back and the reads of the reports
// go by it: what the blocks after it are decided from, and the search of
// results, go by writtenEmacs. The caller holds e.mu.
func (ds *docState) reportedEmacs() string {
	if k := ds.writtenEmacs(); k != "" {
		return k
	}
	if !ds.anyFound {
		return ""
	}
	for _, b := range ds.blocks {
		if b.found && b.task != nil && inEmacs(b) {
			return b.task.Session.Key
		}
	}
	return ""
}

// applyEdit applies to instance in of b, ready to launch, what the buffer
// makes of b: a deleted block ends without running (finished, its message
// saying why), one that Babel would fail on fails (stopping the document
// there when Babel signals a reference error: plan.Decision.Stop), a changed one takes
// its task as the buffer holds it and is looked at again (its
// dependencies may be others). A block an Emacs Lisp block added is
// decided so too, from the report of the buffer before it, which an
// Emacs Lisp block after the one that added it may have left. It
// reports whether in changed so. A task already taken from the buffer
// is not decided again. The caller holds e.mu.
func (e *Engine) applyEdit(b *blockState, in *instState, now time.Time) bool {
	if b.environmentOf() == "" || b.submitted != nil && b.task != b.submitted {
		return false
	}
	d, _ := e.bufferEdit(b) // known: not held (editsWait, reportReadHolds)
	switch d.Kind {
	case plan.Deleted, plan.Fails:
		in.rec.State = string(Finished)
		if d.Kind == plan.Fails {
			in.rec.State = string(Failed)
			e.metrics.failures.Inc()
		}
		in.rec.Message = d.Why
		if d.Stop != "" || b.refErr != "" {
			// A reference the buffer has no block for either:
			// org-babel-execute-buffer stops at b resolving it, as
			// for a reference error found when it was to start
			// (blockState.refErr), kept across a restart.
			b.refErr, b.shellStop, b.cmdlineStop, b.bindStop = d.Stop, false, false, false
			in.rec.RefErr, in.rec.RefErrShell, in.rec.RefErrCmdline, in.rec.RefErrBinding = d.Stop, false, false, false
			ds := b.doc
			ds.failStopTouched(b)
		}
		t := now
		in.rec.FinishedAt = &t
		return true
	case plan.Changed:
		ds := b.doc
		// The runs its references now make that the submitted plan
		// has none of, before it: stored queued, so that a server
		// started again knows them (knowChangedRuns) beside the
		// intents of their launches, then as any task's state.
		recs := e.changedRuns(b, d.Runs)
		e.tracked += len(recs)
		for _, r := range recs {
			e.persistLater(*r)
		}
		for _, a := range slices.Concat(d.Task.After, d.Task.ReadersBefore()) {
			if dep := ds.byName[a]; dep != nil && !slices.Contains(b.task.After, a) && !b.task.WaitsAsReader(a) {
				dep.addDependent(b)
			}
		}
		b.task = d.Task
		ds.failStopsChanged(b)
		if b.addedBy != "" {
			ds.putInAs(d.Task)
		}
		e.check[b] = struct{}{}
		return true
	}
	return false
}

// ranTask is the task finished block b ran, for writing its results
// (and their :cache hash) as it ran. A block that finished before a
// restart has its task as submitted again: it is decided anew from the
// report of the buffer before it, the one it was decided from when it
// launched (applyEdit), as what the buffer held then (its text, the
// properties and Babel's default header arguments over it) is not what
// the latest report holds. b.task is left as it is. The caller holds e.mu.
func (e *Engine) ranTask(b *blockState) *plan.Task {
	t, _ := e.ranTaskWait(b)
	return t
}

// ranTaskWait is ranTask, and, when the report it is decided from is
// being read (or read again) off the lock, that read (bufferEdit): the
// task is then b.task, which what is kept of an attempt's end is not
// decided from (noteAttemptEnd waits). The caller holds e.mu.
func (e *Engine) ranTaskWait(b *blockState) (*plan.Task, reportWait) {
	if b.task == nil || b.environmentOf() == "" || b.submitted != nil && b.task != b.submitted {
		return b.task, nil
	}
	d, wait := e.bufferEdit(b)
	if wait == nil && d.Kind == plan.Changed && d.Task != nil {
		return d.Task, nil
	}
	return b.task, wait
}

// decideAgain has b, queued again (its session runs again: a restart),
// decided again from the buffer the new runs of the tasks before it
// report, as Emacs finds the blocks in the buffer it edits anew: the
// task b took from an earlier report is dropped for the one submitted.
// The caller holds e.mu.
func (b *blockState) decideAgain() {
	if b.submitted != nil && b.task != b.submitted {
		b.task = b.submitted
		b.doc.failStopsChanged(b)
		if b.addedBy != "" {
			b.doc.putInAs(b.task)
		}
	}
}
