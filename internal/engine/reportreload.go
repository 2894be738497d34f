package engine

import (
	"context"

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
	// read: the report was read (set before done is closed).
	read bool
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

// reportLocked is the report of attempt, a task of ds's Emacs, as kept,
// for a decision under the lock, which reads no backend: nil when it
// left none or it cannot be read; nil and the read again of it
// (reloadReport) when its text was let go, or it was never read. The
// caller holds e.mu.
func (e *Engine) reportLocked(ds *docState, attempt string) (*org.BufferReport, *reportReload) {
	if k, ok := e.reports.Load(attempt); ok {
		if k.(keptReport).unreadable {
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
	return ok && !k.(keptReport).unreadable && e.parsedReports.get(attempt) == nil
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
// decided. The engine stopping, nothing is read: the read returned has
// ended, unread. The caller holds e.mu.
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
	retry := *e.cfg.endRead
	retry.tries = min(retry.tries, prereadTries)
	ctx, slots := e.runCtx, e.reloadSlots
	job := prereadJob{doc: ds.id, attempt: attempt}
	// Counted under e.mu before readsClosed: closeWrites waits for it.
	e.reading.Add(1)
	go func() {
		defer e.reading.Done()
		e.parsedReports.pin(attempt)
		defer e.parsedReports.unpin(attempt)
		select {
		case slots <- struct{}{}:
			if e.reloadMatters(r) {
				r.read = e.preread(ctx, retry, job, false, func() bool { return e.reloadMatters(r) })
			}
			<-slots
		case <-ctx.Done():
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
// store.Instance.EndUndecided, for the next start); nothing of the
// report is kept once its document is removed. The caller does not hold
// e.mu.
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
