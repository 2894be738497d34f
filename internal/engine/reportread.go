package engine

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// When a task of the document's Emacs ends, the report of the Org buffer
// it left (session.BufferFile: its edits, the blocks it added) is read
// from its backend off the engine's lock, as the output read at an
// attempt's end is (endread.go): a backend slow to answer, or hung, holds
// neither the views nor the other documents. Each read is bounded (a
// deadline, the results' size limit) and tried again after a failure
// (e.cfg.endRead) while its document is there (reportReadMatters); once
// every try has failed, what the report holds is not known, never "no
// report": it is read again, round after round, until it is read or
// lost (firstRead). What the report
// does (addBlocks, foundInResults) is applied once it is read; meanwhile
// the blocks decided from it (those after the task in the buffer:
// reportReadHolds) wait, the document running, and the record keeps it
// as not read (store.Instance.BufferUnread): a server started again
// reads it again (readReportsAgain) before those blocks are decided.

// reportOfEmacs reports whether in's attempt is of a task of the Emacs
// the document is written back from, which may leave a report of its
// buffer. The caller holds e.mu.
func reportOfEmacs(in *instState, attempt string) bool {
	b, ds := in.block, in.block.doc
	return attempt != "" && ds.plan != nil && b.task.InSession(ds.reportedEmacs())
}

// reportWanted reports whether in's attempt, ended, is of a task of the
// Emacs the document is written back from (reportOfEmacs), whose report
// is not read yet: read off the lock. The caller holds e.mu.
func (e *Engine) reportWanted(in *instState, attempt string) bool {
	if !reportOfEmacs(in, attempt) {
		return false
	}
	// Its text let go (reportBudget): read again, off the lock too.
	return !e.reportKnown(attempt) || e.reportLetGo(attempt)
}

// reportUnread reports whether the report of in's attempt is being read
// (readReportOff), or, its attempt ended, is still to be read (a server
// stopping before its read could start, a removal that stopped it): until
// then the attempt has not ended for what the buffer holds, and nothing
// under the lock reads it. The caller holds e.mu.
func (in *instState) reportUnread() bool {
	if !in.rec.BufferUnread || in.rec.AttemptID == "" {
		return false
	}
	return in.reportReading == in.rec.AttemptID || in.reportReading == "" && State(in.rec.State).Terminal()
}

// readReportOff starts the read, off the lock, of the report of the
// buffer in's attempt, ended, left, when it is wanted (reportWanted; when
// again, whenever it is of the document's Emacs: its record says that
// what it does was not applied), and reports whether it did: what it
// does is applied once read (reportReadDone). The caller holds e.mu.
func (e *Engine) readReportOff(in *instState, attempt string, again bool) bool {
	if in.reportReading == attempt {
		return true
	}
	if e.runCtx.Err() != nil || e.readsClosed || again && !reportOfEmacs(in, attempt) || !again && !e.reportWanted(in, attempt) {
		return false
	}
	ds := in.block.doc
	if in.reportReading == "" {
		ds.reportReads = append(ds.reportReads, in)
	}
	in.reportReading, in.reportFailing = attempt, false
	in.rec.BufferUnread = true // kept across a restart until read
	ctx, r := e.runCtx, *e.cfg.endRead
	dctx, done := e.docReads(ds)
	doc, block := ds.id, in.block.name
	// Counted under e.mu before readsClosed: closeWrites waits for it.
	e.reading.start()
	go func() {
		defer e.reading.done()
		defer done()
		// Kept while read and applied (reportReadDone), whatever
		// else is read meanwhile: applied, it is not read again
		// under the lock.
		e.parsedReports.pin(attempt)
		defer e.parsedReports.unpin(attempt)
		e.firstRead(ctx, dctx, r, in, attempt, doc, block)
	}()
	return true
}

// firstRead reads the report of in's attempt, ended (readReportOff), in
// rounds of r.tries tries: a round that fails at every try leaves what
// the report holds not known (instState.reportFailing), never "no
// report", which would launch the blocks held on it as submitted and
// write the results document without the buffer's edits: they stay held
// (reportReadHolds) and the results document is ErrReportUnread. Rounds
// go on, after growing pauses (reloadPause), until one reads it, or,
// once reportReloadRounds rounds failed and the first of them is
// Config.reportLostAfter old, it is lost (keptReport.lost), as a report
// read again is (reloadCounted): the blocks decided from it fail saying
// so, the results document is ErrReportLost. It stops as the engine
// stops (ctx), at once as its document is removed (dctx, docReads), or
// once the read no longer matters (reportReadMatters: the document
// removed, the attempt run again). The caller does not hold e.mu.
func (e *Engine) firstRead(ctx, dctx context.Context, r endReadRetry, in *instState, attempt, doc, block string) {
	goOn := func() bool { return e.reportReadMatters(in, attempt) }
	var since time.Time
	for failed := 0; ; {
		read, exhausted := false, ""
		r.each(dctx, func(rctx context.Context, try int) bool {
			_, _, err := e.readReport(rctx, attempt)
			if dctx.Err() != nil {
				return true // the engine has stopped (read on its next start), or the document is removed
			}
			if err != nil {
				e.log.Warn("reading the report of the Org buffer an Emacs Lisp task left", "doc", doc, "block", block, "round", failed+1, "try", try, "err", err)
				if try < r.tries {
					return false
				}
				exhausted = err.Error()
				return true
			}
			read = true
			return true
		}, goOn)
		if ctx.Err() != nil {
			return
		}
		if dctx.Err() != nil {
			e.firstReadRemoved(in, attempt)
			return
		}
		if read {
			e.reportReadDone(ctx, in, attempt)
			return
		}
		if exhausted == "" {
			return // stopped: no longer wanted (reportReadMatters)
		}
		failed++
		if failed == 1 {
			since = e.now()
		}
		if failed >= reportReloadRounds && e.now().Sub(since) >= e.cfg.reportLostAfter {
			e.firstReadLost(ctx, in, attempt, keptReport{failed: failed, failingSince: since, lost: exhausted, neverRead: true})
			return
		}
		if !e.firstReadFailing(in, attempt) {
			return
		}
		t := time.NewTimer(reloadPause(r, failed))
		select {
		case <-t.C:
		case <-dctx.Done():
			t.Stop()
			if ctx.Err() == nil {
				e.firstReadRemoved(in, attempt)
			}
			return
		}
		if !goOn() {
			return
		}
	}
}

// firstReadRemoved ends the read of the report of in's attempt, stopped
// as its document is removed (stopReads): nothing it read is applied or
// stored; its record keeps it as not read (store.Instance.BufferUnread),
// so that a removal that fails (unremove) reads it again. The caller
// does not hold e.mu.
func (e *Engine) firstReadRemoved(in *instState, attempt string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if in.reportReading == attempt {
		e.reportReadStopped(in, attempt)
	}
}

// docReads is the context of the reads off the lock of ds's reports and
// of its blocks' outputs as they end (readAtEnd), ended as the engine
// stops or ds is removed (stopReads), and the done each such read calls
// as it ends, counted (readsLive). The caller holds e.mu.
func (e *Engine) docReads(ds *docState) (ctx context.Context, done func()) {
	if ds.readsCtx == nil || ds.readsCtx.Err() != nil && !ds.removing && e.runCtx.Err() == nil {
		ds.readsCtx, ds.cancelReads = context.WithCancel(e.runCtx)
	}
	ds.readsLive++
	return ds.readsCtx, func() {
		e.mu.Lock()
		ds.readsLive--
		e.mu.Unlock()
	}
}

// readsEnded waits, bounded by removeWait, until no read of ds's reports
// or outputs off the lock is under way (docReads), and reports whether none is:
// once stopReads, each ends as soon as its backend call returns.
func (e *Engine) readsEnded(ds *docState) bool {
	deadline := time.NewTimer(e.removeWait())
	defer deadline.Stop()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		e.mu.Lock()
		n := ds.readsLive
		e.mu.Unlock()
		if n == 0 {
			return true
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return false
		}
	}
}

// stopReads ends the reads of ds's reports and outputs off the lock, as it is
// removed; a read started while it is being removed ends at once. The
// caller holds e.mu.
func (ds *docState) stopReads() {
	if ds.cancelReads != nil {
		ds.cancelReads()
	} else {
		ds.readsCtx, ds.cancelReads = context.WithCancel(context.Background())
		ds.cancelReads()
	}
}

// firstReadFailing marks the first read of the report of in's attempt
// as failing (instState.reportFailing), and reports whether it is still
// in's read. The caller does not hold e.mu.
func (e *Engine) firstReadFailing(in *instState, attempt string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if in.reportReading != attempt {
		return false
	}
	if !in.reportFailing {
		in.reportFailing = true
		e.docChanged(in.block.doc)
	}
	return true
}

// firstReadLost keeps the report of in's attempt, whose first read
// failed round after round (firstRead), as lost (k), and applies that
// as a read would (reportReadDone): nothing is added from it, the
// blocks decided from it fail (bufferEdit), the results document is
// ErrReportLost (lostReportErr). The caller does not hold e.mu.
func (e *Engine) firstReadLost(ctx context.Context, in *instState, attempt string, k keptReport) {
	e.mu.Lock()
	if in.reportReading != attempt || ctx.Err() != nil || !e.reportReadLive(in) {
		e.mu.Unlock()
		return
	}
	e.reports.Store(attempt, k)
	in.block.doc.reportsLost = true
	e.log.Error("the report of the Org buffer an Emacs Lisp task left is lost: the blocks decided from it fail", "doc", in.block.doc.id, "attempt", attempt, "err", k.lost)
	e.mu.Unlock()
	e.reportReadDone(ctx, in, attempt)
}

// reportReadMatters reports whether the read of the report of in's
// attempt, failed, is to be tried again: it is still in's read, of a
// block of a document still there. A read of a removed document's
// report stops (reportReadDone forgets it).
func (e *Engine) reportReadMatters(in *instState, attempt string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if in.reportReading == attempt && !e.reportReadLive(in) {
		e.reportReadStopped(in, attempt)
	}
	return in.reportReading == attempt
}

// reportReadLive reports whether in, whose report is read, is of a block
// of a document still there: one being removed is, until its removal can
// no longer fail (docState.removed), as a removal that fails gives it
// back (unremove) with what its reports did. The caller holds e.mu.
func (e *Engine) reportReadLive(in *instState) bool {
	b := in.block
	ds := b.doc
	return e.docKept(ds) && ds.lazy == nil && !in.dropped && ds.byName[b.name] == b
}

// docKept reports whether ds is a document of e, or one being removed
// whose removal may still fail. The caller holds e.mu.
func (e *Engine) docKept(ds *docState) bool {
	if ds.removing {
		return !ds.removed
	}
	return e.docs[ds.id] == ds
}

// reportReadStopped ends the read of the report of in's attempt: it no
// longer counts as being read, and, its document removed, nothing the
// read kept of it stays (forgetAttempts may have forgotten it before the
// read ended). The caller holds e.mu.
func (e *Engine) reportReadStopped(in *instState, attempt string) {
	ds := in.block.doc
	in.reportReading = ""
	in.reportFailing = false
	if !e.docKept(ds) {
		in.endsHeld = nil
	}
	ds.reportReads = slices.DeleteFunc(ds.reportReads, func(x *instState) bool { return x == in })
	if !e.docKept(ds) {
		e.forgetReports(attempt)
	}
}

// reportReadDone applies, once the report of in's attempt is read (kept
// in e.reports, or known as none), what it does, as the attempt's end
// would have (endAdds, storeEnd), while that attempt is still in's and
// its document is live; it has the blocks waiting for it decided again.
// Nothing is kept once ctx, the engine's, has ended.
func (e *Engine) reportReadDone(ctx context.Context, in *instState, attempt string) {
	e.mu.Lock()
	if in.reportReading != attempt || ctx.Err() != nil {
		e.mu.Unlock()
		return
	}
	ds, b := in.block.doc, in.block
	live := e.reportReadLive(in)
	e.reportReadStopped(in, attempt)
	e.wakeHeld(in)
	switch {
	case live && in.rec.AttemptID == attempt && (State(in.rec.State).Terminal() || State(in.rec.State) == Queued):
		// Ended, or queued again since (a restart), which waits for
		// it (reportReadHolds): applied in the order of the ends.
		in.rec.BufferUnread = false
		// Known only from a read: a report lost at its first read,
		// or not known to be one, is not said to be there, nor none.
		in.rec.BufferReport, in.rec.BufferReportKnown = "", !e.reportUnknown(attempt)
		if e.reportFound(attempt) {
			in.rec.BufferReport = attempt
		}
		others, gone, adds := e.endAdds(in, attempt)
		if in.rec.Killed {
			others = e.killAdded(b, others)
		}
		e.storeEnd(in, others, gone, adds)
	case live && in.rec.BufferUnread:
		// Run again since (its session, at a start): its new
		// attempt's end decides.
		in.rec.BufferUnread = false
		e.persistLater(in.rec)
	}
	// The ends decided from the buffer it reports, decided now.
	ends := in.endsHeld
	in.endsHeld = nil
	if live {
		e.endsDecided(ends)
	}
	e.docChanged(ds)
	e.mu.Unlock()
	e.poke()
}

// killAdded ends, killed on request, the blocks b's report, read after a
// kill of b (of its document, of b, or a removal), added: the kill
// dominates a report that lands later, as when the report was applied
// before it; their records replace those in others, the records b's end
// changed, so that a server started again does not run them.
// The caller holds e.mu.
func (e *Engine) killAdded(b *blockState, others []*store.Instance) []*store.Instance {
	added := slices.DeleteFunc(slices.Clone(b.doc.blocks), func(x *blockState) bool { return x.addedBy != b.name })
	_, recs := e.killAll(added) // queued: nothing launched to kill
	for _, r := range recs {
		i := slices.IndexFunc(others, func(o *store.Instance) bool {
			return o.DocID == r.DocID && o.Block == r.Block && o.Instance == r.Instance
		})
		if i >= 0 {
			others[i] = r
		} else {
			others = append(others, r)
		}
	}
	return others
}

// reportsFailing reports whether the first read of a report of ds's
// buffer failed at every try of a round (instState.reportFailing): what
// it holds is not known yet. The caller holds e.mu.
func (ds *docState) reportsFailing() bool {
	return slices.ContainsFunc(ds.reportReads, func(in *instState) bool { return in.reportFailing && in.reportUnread() })
}

// reportsUnread reports whether a report of ds's buffer is being read.
// The caller holds e.mu.
func (ds *docState) reportsUnread() bool {
	return slices.ContainsFunc(ds.reportReads, (*instState).reportUnread)
}

// reportReadHolds is the instance whose report of the buffer is being
// read (readReportOff) that b waits for, nil for none: b's own, or b is
// decided from the buffer the tasks of the document's Emacs before it
// left (bufferEdit, reportBefore), and the walk back through them comes
// to it before a report already found. The caller holds e.mu.
func (ds *docState) reportReadHolds(b *blockState) *instState {
	if len(ds.reportReads) == 0 || b.task == nil {
		return nil
	}
	for _, in := range b.instances {
		if in.reportReading != "" {
			// Its own, queued again (a restart): its next attempt
			// comes after what its last one did.
			return in
		}
	}
	t := b.decidedTask()
	name := t.EnvironmentOf
	if b.runFor != nil {
		name = b.environmentOf()
	}
	for n := 0; name != "" && n <= len(ds.blocks); n++ {
		dep := ds.byName[name]
		if dep == nil || dep.task == nil || len(dep.instances) == 0 || !inEmacs(dep) {
			return nil
		}
		in := dep.instances[0]
		if in.reportUnread() {
			return in
		}
		if _, ok := ds.reported[in.rec.AttemptID]; ok && in.rec.AttemptID != "" {
			return nil // decided from a report found before
		}
		name = dep.task.EnvironmentOf
	}
	return nil
}

// reportReadWhy is what a block waiting for the read of the report of
// in's buffer (reportReadHolds) waits for, as a view says it.
func reportReadWhy(in *instState) string {
	return in.block.name + " (the Org buffer it left being read)"
}

// readReportsAgain starts the reads of the reports of ds, read from the
// store, that had not been read when the server stopped
// (store.Instance.BufferUnread): what they do is applied once read, the
// blocks decided from them waiting meanwhile. The caller holds e.mu.
func (e *Engine) readReportsAgain(ds *docState) {
	if e.runCtx.Err() != nil || e.readsClosed {
		// Stopping: they stay not read, in the store too, for the
		// next start to read.
		return
	}
	for _, b := range ds.blocks {
		if b.task == nil || len(b.instances) == 0 {
			continue
		}
		in := b.instances[0]
		if in.rec.BufferUnread && State(in.rec.State).Terminal() && in.rec.AttemptID != "" {
			if !e.readReportOff(in, in.rec.AttemptID, true) {
				// No report to read: of a task of another Emacs
				// now (limits changed).
				in.rec.BufferUnread = false
				e.persistLater(in.rec)
			}
		}
	}
}

// reportPrereads bounds the reads of reports made at once when documents
// are loaded again (prereadAll): a slow backend costs about the longest
// read, not their sum, and is not asked for every report at once.
const reportPrereads = 4

// prereadTries bounds the tries of each of those reads: one that fails
// is tried again (e.cfg.endRead's waits) before its attempt counts as
// one that left no report.
const prereadTries = 3

// prereadReports reads, before ds, read from the store with its records
// recs, is planned under the engine's lock (adopt), the reports of the
// buffer its attempts of the document's Emacs left (reportsToPreread),
// concurrently (prereadAll); what adopt decides from them then reads no
// backend under the lock. The reports stay kept until unpin, returned,
// is called, once adopt is done. The caller does not hold e.mu.
func (e *Engine) prereadReports(ds *docState, recs []*store.Instance) (unpin func()) {
	return e.prereadAll(e.reportsToPreread(ds, recs))
}

// prereadJob is the report of attempt, of block of document doc, read
// before the document is planned under the lock.
// maybe: its record, of an older Borges (no
// store.Instance.BufferReportKnown), does not say whether it left a
// report: one that cannot be read is not none (preread).
type prereadJob struct {
	doc, block, attempt string
	maybe               bool
}

// reportsToPreread are the reports of the buffer the attempts of ds's
// Emacs, its records recs, left that adopt may read: those read before
// the server stopped (those not read then are read again off the lock,
// readReportsAgain). A block not in the document submitted (added by a
// report) may be of that Emacs: its attempt's report is read too. One
// known to be none, or unreadable, is not read again; one kept is kept
// on (pinned) through adopt. In a document with no Emacs of its own
// (writtenEmacs), the Emacs it is written back from is the one blocks
// found in results run in (reportedEmacs), which ds, not adopted yet,
// does not know: the reports read are those its records say the blocks
// found left (store.Instance.BufferReport). The caller does not hold
// e.mu.
func (e *Engine) reportsToPreread(ds *docState, recs []*store.Instance) []prereadJob {
	if ds.plan == nil {
		return nil
	}
	key := ds.writtenEmacs()
	var jobs []prereadJob
	seen := map[string]bool{} // an attempt's report read once: the blocks it added name it too
	for _, r := range recs {
		if r.BufferReport != "" && r.BufferReport == r.AttemptID && State(r.State).Terminal() && !r.BufferUnread {
			// Known to be there: one that cannot be read now is
			// one let go, read again, never none (reportFound).
			e.reports.LoadOrStore(r.BufferReport, keptReport{})
		}
		b := ds.byName[r.Block]
		if key == "" && (b != nil || r.BufferReport == "" || r.BufferReport != r.AttemptID) {
			continue
		}
		if b != nil && !b.task.InSession(key) {
			continue
		}
		for _, a := range []string{r.AddedFrom, r.AttemptID} {
			if a == "" || seen[a] || a == r.AttemptID && (!State(r.State).Terminal() || r.BufferUnread) {
				continue
			}
			if _, none := e.unreported.Load(a); none {
				continue
			}
			if k, ok := e.reports.Load(a); ok && k.(keptReport).unreadable {
				continue
			}
			seen[a] = true
			jobs = append(jobs, prereadJob{ds.id, r.Block, a, !r.BufferReportKnown})
		}
	}
	return jobs
}

// prereadAll reads the reports of jobs, at most reportPrereads at once,
// each tried up to prereadTries times (a read that fails at every try
// counts as no report, as it always did), and keeps them (pinned, within
// reportBudget or not: load adopts in batches to bound them) until unpin,
// returned, is called: what adopt
// decides from them, under the lock, finds them there, whatever else is
// read meanwhile. One kept already is not read again. The caller does
// not hold e.mu.
func (e *Engine) prereadAll(jobs []prereadJob) (unpin func()) {
	for _, j := range jobs {
		e.parsedReports.pin(j.attempt)
	}
	unpin = func() {
		for _, j := range jobs {
			e.parsedReports.unpin(j.attempt)
		}
	}
	r := *e.cfg.endRead
	r.tries = min(r.tries, prereadTries)
	next := make(chan prereadJob)
	var wg sync.WaitGroup
	for range min(reportPrereads, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				_, _ = e.preread(context.Background(), r, j, true, nil)
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	return unpin
}

// preread reads the report of j, tried again as r says after a failure
// while goOn says so (nil: always); once every try has failed, its
// attempt counts as one that left none when none says so (a first read
// at a start) and its record says whether it left one (prereadJob.maybe:
// else it is held as a report let go, read again), else stays as it
// was known. It reports whether it was
// read, and, when every try failed, the last try's error; nothing is
// stored once ctx has ended.
func (e *Engine) preread(ctx context.Context, r endReadRetry, j prereadJob, none bool, goOn func() bool) (read bool, last error) {
	r.each(ctx, func(rctx context.Context, try int) bool {
		_, _, err := e.readReport(rctx, j.attempt)
		if err == nil {
			read, last = true, nil
			return true
		}
		if ctx.Err() != nil {
			last = nil // not a failure of the read: the engine stops
			return true
		}
		last = err
		e.log.Warn("reading the report of the Org buffer an Emacs Lisp task left", "doc", j.doc, "block", j.block, "try", try, "err", err)
		if try < r.tries {
			return false
		}
		if _, kept := e.reports.Load(j.attempt); none && !kept {
			if j.maybe {
				// Not known to be none: held as a report let go,
				// read again, until a read says (readReport).
				e.reports.LoadOrStore(j.attempt, keptReport{maybe: true})
			} else {
				e.unreported.Store(j.attempt, true)
			}
		}
		return true
	}, goOn)
	return read, last
}
