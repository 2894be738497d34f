package engine

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// A report of the Org buffer read before, whose text was let go
// (reportBudget), that a decision under the engine's lock needs again
// (editsOf: a block launched, an attempt's end, the results document)
// is read again off the lock, as its first read was (reportread.go): a
// backend slow to answer holds neither the views nor the other
// documents. Meanwhile what needs it waits: a block to launch is held
// (decided again once it is read), an attempt's end is decided once it
// is read (reportWait.holdEnd), a view waits for it without the lock.

// reportWait is a read of a report, off the lock, that a decision waits
// for: the first read of an attempt's report (an *instState whose
// reportReading it is), or a read again of one let go (*reportReload).
type reportWait interface {
	// holdBlock has b, queued, decided again once the read ends.
	holdBlock(b *blockState)
	// holdEnd has the end of in's attempt decided again (endDecided)
	// once the read ends.
	holdEnd(in *instState, attempt string)
}

func (in *instState) holdBlock(b *blockState) { in.holdAtEnd(b) }

func (in *instState) holdEnd(x *instState, attempt string) {
	if in.endsHeld == nil {
		in.endsHeld = map[*instState]string{}
	}
	in.endsHeld[x] = attempt
}

// reportReload is the read again of the report of attempt, of ds, let
// go: done is closed once it ends, held and ends decided again then.
type reportReload struct {
	attempt string
	ds      *docState
	done    chan struct{}
	held    map[*blockState]bool
	ends    map[*instState]string
	// read: the report was read (set before done is closed); err is
	// why not, when it was tried and failed.
	read bool
	err  error
	// pausing: it waits first (reloadPause), its reads before having
	// failed; set when it starts, then never changed.
	pausing bool
}

func (r *reportReload) holdBlock(b *blockState) {
	if r.held == nil {
		r.held = map[*blockState]bool{}
	}
	r.held[b] = true
}

func (r *reportReload) holdEnd(in *instState, attempt string) {
	if r.ends == nil {
		r.ends = map[*instState]string{}
	}
	r.ends[in] = attempt
}

// reportReloadRounds and Config.reportLostAfter bound the reads again
// of a report let go that fail at every try (prereadTries each, with
// waits between them, and between the reads again, growing:
// reloadPause): once that many have failed in a row, the first of them
// at least reportLostAfter before, it is lost. A backend that does not
// answer for a while (an agent restarting, a network down) holds the
// blocks decided from it, never failing them.
const reportReloadRounds = 3

// defaultReportLostAfter is how long the reads again of a report fail
// before it is lost, by default.
const defaultReportLostAfter = 5 * time.Minute

// reloadPauseMost bounds the wait before a read again of a report whose
// reads again failed (reloadPause).
const reloadPauseMost = 30 * time.Second

// reloadPause is the wait before a read again of a report after failed
// of them failed in a row: the longest wait between tries (retry.max),
// doubled for each further one, at most reloadPauseMost.
func reloadPause(retry endReadRetry, failed int) time.Duration {
	if failed <= 0 {
		return 0
	}
	p := retry.max
	for range min(failed-1, 16) {
		if p >= reloadPauseMost {
			break
		}
		p *= 2
	}
	return min(p, max(reloadPauseMost, retry.max))
}

// reportLocked is the report of attempt, a task of ds's Emacs, as kept,
// for a decision under the lock, which reads no backend: nil when it
// left none or it cannot be read; nil and the read again of it
// (reloadReport) when its text was let go, or it was never read. The
// caller holds e.mu.
func (e *Engine) reportLocked(ds *docState, attempt string) (*org.BufferReport, *reportReload) {
	if k, ok := e.reports.Load(attempt); ok {
		if k.(keptReport).unreadable || k.(keptReport).lost != "" {
			// Lost: what needs it asks reportLost first.
			return nil, nil
		}
		if rep := e.parsedReports.get(attempt); rep != nil {
			return rep, nil
		}
	} else if _, none := e.unreported.Load(attempt); none {
		return nil, nil
	}
	return nil, e.reloadReport(ds, attempt)
}

// reportLetGo reports whether attempt left a report whose text was let
// go (reportBudget).
func (e *Engine) reportLetGo(attempt string) bool {
	k, ok := e.reports.Load(attempt)
	return ok && !k.(keptReport).unreadable && k.(keptReport).lost == "" && e.parsedReports.get(attempt) == nil
}

// reportLost is, for the report of attempt lost (reloaded: every read
// again of it failed), why, "" otherwise.
func (e *Engine) reportLost(attempt string) string {
	if k, ok := e.reports.Load(attempt); ok {
		return k.(keptReport).lost
	}
	return ""
}

// lostReportMessage says, for what is decided from the report of
// attempt, lost (why), of a task of ds's Emacs, which Emacs Lisp block
// (its line) left it and why it is lost. The caller holds e.mu.
func (ds *docState) lostReportMessage(attempt, why string) string {
	by := "an Emacs Lisp block"
	for _, b := range ds.blocks {
		if b.task != nil && slices.ContainsFunc(b.instances, func(in *instState) bool { return in.rec.AttemptID == attempt }) {
			by = fmt.Sprintf("the Emacs Lisp block %s (line %d)", b.name, b.task.Line)
			break
		}
	}
	return fmt.Sprintf("the report of the Org buffer %s left is lost (every read of it again failed: %s): what this block is in that buffer is not known", by, why)
}

// reloadReport starts, unless it is under way, the read again, off the
// lock, of the report of attempt, of ds, and returns it. Each read is
// bounded, tried up to prereadTries times, at most reportPrereads of
// them reading at once (reloadSlots); it stops as the engine stops, or
// once ds is removed, as the first read of a report does. A read again
// that fails at every try leaves the report as it was known (e.reports:
// one let go, read again when next needed), not as none: what was
// decided from it stays so. Once it ends, while its document is there,
// what waits for it is decided again: the edits it makes are found
// while it is kept (editsOf), the blocks held touched, the ends held
// decided. The engine stopping, or ds being removed (docReads), nothing
// is read: the read returned has ended, unread. The caller holds e.mu.
func (e *Engine) reloadReport(ds *docState, attempt string) *reportReload {
	if r := e.reloads[attempt]; r != nil {
		return r
	}
	r := &reportReload{attempt: attempt, ds: ds, done: make(chan struct{})}
	if e.runCtx.Err() != nil || e.readsClosed {
		close(r.done)
		return r
	}
	if e.reloads == nil {
		e.reloads = map[string]*reportReload{}
	}
	if e.reloadSlots == nil {
		e.reloadSlots = make(chan struct{}, reportPrereads)
	}
	e.reloads[attempt] = r
	e.reloadsStarted++
	retry := *e.cfg.endRead
	retry.tries = min(retry.tries, prereadTries)
	ctx, slots := e.runCtx, e.reloadSlots
	dctx, readDone := e.docReads(ds)
	job := prereadJob{doc: ds.id, attempt: attempt}
	// A read again after one that failed waits first (reloadPause),
	// longer after each: no read again follows one that failed at
	// once, whatever asks for it (held blocks touched ask at once).
	var pause time.Duration
	if k, ok := e.reports.Load(attempt); ok {
		pause = reloadPause(retry, k.(keptReport).failed)
	}
	r.pausing = pause > 0
	// Counted under e.mu before readsClosed: closeWrites waits for it.
	e.reading.start()
	go func() {
		defer e.reading.done()
		defer readDone()
		e.parsedReports.pin(attempt)
		defer e.parsedReports.unpin(attempt)
		if pause > 0 {
			t := time.NewTimer(pause)
			select {
			case <-t.C:
			case <-dctx.Done():
			}
			t.Stop()
		}
		select {
		case slots <- struct{}{}:
			if dctx.Err() == nil && e.reloadMatters(r) {
				r.read, r.err = e.preread(dctx, retry, job, false, func() bool { return e.reloadMatters(r) })
			}
			<-slots
		case <-dctx.Done():
		}
		e.reloaded(ctx, r)
	}()
	return r
}

// reloadMatters reports whether the read again r is still wanted: its
// document is there, planned.
func (e *Engine) reloadMatters(r *reportReload) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.docKept(r.ds) && r.ds.lazy == nil
}

// reloaded decides again, the report of r read (and kept, pinned, until
// it returns), what waits for it; a read that failed has them decided
// again too, which reads it again. Nothing is decided once ctx, the
// engine's, has ended (the ends held stay undecided on their records,
// store.Instance.EndUndecided, for the next start), nor while its
// document is being removed (decided again should the removal fail:
// unremove); nothing of the report is kept once its document is
// removed. The caller does not hold e.mu.
func (e *Engine) reloaded(ctx context.Context, r *reportReload) {
	e.mu.Lock()
	defer e.poke()
	defer e.mu.Unlock()
	delete(e.reloads, r.attempt)
	defer close(r.done)
	ds := r.ds
	if ctx.Err() != nil {
		return
	}
	if !e.docKept(ds) {
		if e.docs[ds.id] == nil {
			// Removed meanwhile: its reports were forgotten
			// before this one was read.
			e.forgetReports(r.attempt)
		}
		return
	}
	if ds.lazy != nil {
		return
	}
	if ds.removing {
		// Being removed: its reads end at once (docReads), this one
		// unread. Nothing is decided, as when the engine stops: the
		// ends held stay undecided on their records, decided again,
		// which reads it again, should the removal fail (unremove);
		// decided now, they would start a read again at once, ended
		// at once, and so on while the removal waits for its kills.
		return
	}
	e.reloadCounted(r)
	if r.read && ds.plan != nil && len(r.held) > 0 {
		// Found now, while the report is kept: the blocks held are
		// decided from them, whatever is let go meanwhile.
		e.editsOf(ds, r.attempt, "its blocks run as submitted")
	}
	for b := range r.held {
		if ds.byName[b.name] == b {
			e.touch(b)
		}
	}
	e.endsDecided(r.ends)
	e.docChanged(ds)
}

// reloadCounted counts r, a read again of a report of a document
// there, once it ends: one that failed at every try (r.err) is counted
// (keptReport.failed), and the report is lost once reportReloadRounds
// did in a row; one read starts the count anew (readReport). A lost
// report is read no more: the blocks decided from it fail, saying so
// (bufferEdit), and the results document is an error (ErrReportLost),
// where reading it for ever would hold them, and the document, for
// ever. The caller holds e.mu.
func (e *Engine) reloadCounted(r *reportReload) {
	if r.read || r.err == nil {
		return // read, or not tried (its document went, the engine stops)
	}
	k, ok := e.reports.Load(r.attempt)
	if !ok || k.(keptReport).unreadable || k.(keptReport).lost != "" {
		return
	}
	kr := k.(keptReport)
	kr.failed++
	now := e.now()
	if kr.failed == 1 {
		kr.failingSince = now
	}
	if kr.failed >= reportReloadRounds && now.Sub(kr.failingSince) >= e.cfg.reportLostAfter {
		kr.lost = r.err.Error()
	}
	// Only while it is as loaded: a read again that succeeded meanwhile,
	// off the lock (readReport), started the count anew.
	if !e.reports.CompareAndSwap(r.attempt, k, kr) {
		return
	}
	if kr.lost != "" {
		r.ds.reportsLost = true
		e.log.Error("the report of the Org buffer an Emacs Lisp task left is lost: the blocks decided from it fail", "doc", r.ds.id, "attempt", r.attempt, "err", r.err)
	}
}

// lostReportErr is, for ds a report of whose Emacs' buffer is lost,
// the error its results document is (ErrReportLost), naming the block
// that left it; nil when none is. The caller holds e.mu.
func (e *Engine) lostReportErr(ds *docState) error {
	if !ds.reportsLost {
		return nil
	}
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			if why := e.reportLost(in.rec.AttemptID); in.rec.AttemptID != "" && why != "" {
				return fmt.Errorf("document %s: %w: %s", ds.id, ErrReportLost, ds.lostReportMessage(in.rec.AttemptID, why))
			}
		}
	}
	return nil
}

// latestReload is, when the latest report among ds's buffered attempts
// (bufferAttempts, latest first), which the results document is
// written back from, was let go, its read again; nil when it is kept,
// or is read for the first time off the lock (bufferReport). The
// caller holds e.mu.
func (e *Engine) latestReload(ds *docState, buffered []string) *reportReload {
	for _, a := range buffered {
		if e.reportLetGo(a) {
			return e.reloadReport(ds, a)
		}
		if _, none := e.unreported.Load(a); !none {
			return nil
		}
	}
	return nil
}

// endsDecided decides again the ends of the attempts of ends, held for a
// read of a report (reportWait.holdEnd), each while it is its
// instance's, ended. The caller holds e.mu.
func (e *Engine) endsDecided(ends map[*instState]string) {
	for in, attempt := range ends {
		b := in.block
		if in.dropped || b.doc.byName[b.name] != b || in.rec.AttemptID != attempt || !State(in.rec.State).Terminal() {
			continue
		}
		e.noteAttemptEnd(in)
		e.persistLater(in.rec)
		e.touch(b)
	}
}

// undecidedEndsAgain decides again the ends of ds's attempts left
// undecided (store.Instance.EndUndecided) while it was being removed, a
// removal that failed (unremove): each waited for the read of a report
// (reportWait.holdEnd), which ended unread (reloaded); decided again, it
// waits for a read again, off the lock, or is decided from the report
// kept. The caller holds e.mu.
func (e *Engine) undecidedEndsAgain(ds *docState) {
	e.endsDecided(undecidedEnds(ds))
}

// undecidedEnds is the attempts of ds's instances whose ends are left
// undecided (endUndecided). The caller holds e.mu.
func undecidedEnds(ds *docState) map[*instState]string {
	ends := map[*instState]string{}
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			if endUndecided(in) {
				ends[in] = in.rec.AttemptID
			}
		}
	}
	return ends
}
