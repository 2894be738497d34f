package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// FileRemover is implemented by a backend that keeps attempts' files the
// engine should delete with their document (the local backend: each
// attempt's directory). Backends without it (Mesos, whose agents collect
// sandboxes themselves) keep theirs. It is optional, checked by type
// assertion, so that Backend stays as it is.
type FileRemover interface {
	// RemoveAttempts deletes the files of these attempts, which have
	// ended; ids it has no files for are no error.
	RemoveAttempts(ctx context.Context, ids []string) error
}

// DefaultRemoveWait bounds how long a removal waits for the kills of a
// document's tasks to be final (Config.RemoveWait).
const DefaultRemoveWait = 20 * time.Second

// DefaultRetainEvery is how often retention looks for documents to remove.
const DefaultRetainEvery = time.Minute

// RemoveDocument removes a document: it kills everything the document
// runs, waits (bounded by Config.RemoveWait) for the kills to be final,
// then deletes its state from the store and its attempts' files from the
// backend, and frees its instances in the MaxTracked count. A task that
// does not stop in time leaves the document killed but kept (ErrConflict):
// a removal never forgets something that still runs.
func (e *Engine) RemoveDocument(ctx context.Context, id string) error {
	return e.remove(ctx, id, false, "on request")
}

// remove removes a document; onlyEnded refuses (ErrConflict) one that has
// anything queued, staged or running, for retention.
func (e *Engine) remove(ctx context.Context, id string, onlyEnded bool, why string) error {
	// Planned first: every attempt it had is known (their files go too).
	ds, err := e.lockedDoc(id)
	if err != nil {
		return err
	}
	if onlyEnded && (ds.kept().Live || e.standIns()[ds] > 0) {
		e.mu.Unlock()
		return fmt.Errorf("document %s has tasks that have not ended: %w", id, ErrConflict)
	}
	if err := TakeEffect(ctx); err != nil {
		e.mu.Unlock()
		return err
	}
	ctx, cancel := afterEffect(ctx)
	defer cancel()
	// From here the document is out of reach of the API (no restart can
	// queue it again), but still scheduled, so that its attempts' ends
	// are applied and their resources counted until they are gone.
	delete(e.docs, id)
	e.forgetChanges(id)
	ds.removing = true
	// Its reports' and outputs' reads end now, not once their deadline passes:
	// none outlives the removal, nor stores what it read.
	ds.stopReads()
	kills, recs := e.killAll(ds.blocks)
	w := e.queueWrite(recs)
	e.mu.Unlock()
	if !e.readsEnded(ds) {
		e.log.Warn("removing a document: a read of a report of its Emacs' buffer, or of a block's output, did not stop in time", "id", id)
	}
	if err := e.awaitWrite(w); err != nil {
		// Killed even so, as kill does: the engine has its instances
		// killed already, and their attempts would otherwise run on.
		killErr := e.endAttempts(ctx, kills, nil)
		e.unremove(ds)
		return errors.Join(fmt.Errorf("storing the kill of document %s: %w", id, err), killErr)
	}
	killErr := e.endAttempts(ctx, kills, nil)
	e.poke()
	if left := e.waitEnded(ctx, ds); left > 0 {
		e.unremove(ds)
		return fmt.Errorf("document %s: %d of its tasks did not stop within %s; it was killed, not removed (try again): %w",
			id, left, e.removeWait(), errors.Join(killErr, ErrConflict))
	}
	// Every instance has ended, so nothing writes its state any more;
	// what was queued to be written is flushed before the deletion. A
	// report read from here on is not applied (reportReadLive).
	e.mu.Lock()
	ds.removed = true
	e.mu.Unlock()
	if err := e.flush(); err != nil {
		e.unremove(ds)
		return fmt.Errorf("document %s: %w", id, err)
	}
	var stored []*store.Instance
	if e.store != nil {
		var err error
		if stored, err = e.store.RemoveDocument(id); err != nil {
			e.unremove(ds)
			return err
		}
	}
	e.mu.Lock()
	e.order = slices.DeleteFunc(e.order, func(x *docState) bool { return x == ds })
	e.recent.drop(id)
	e.tracked -= ds.instances()
	e.metrics.documents.Set(float64(len(e.order)))
	ids := attemptIDs(ds, stored)
	e.mu.Unlock()
	e.log.Info("document removed", "id", id, "why", why, "title", ds.title, "attempts", len(ids))
	if err := e.forgetAttempts(ctx, ids); err != nil {
		e.log.Warn("removing a removed document's files", "id", id, "err", err)
		return fmt.Errorf("document %s was removed, but not all of its files: %w", id, err)
	}
	return nil
}

// forgetAttempts drops what the engine keeps of ended attempts ids (their
// reports of the document's Emacs buffer) and has a backend that keeps
// their files (FileRemover) delete them, once a preparation under way has
// ended (later ones find their document or block gone: prepareLoop).
func (e *Engine) forgetAttempts(ctx context.Context, ids []string) error {
	e.forgetReports(ids...) // buffer.go
	fr, ok := e.backend.(FileRemover)
	if !ok || len(ids) == 0 {
		return nil
	}
	e.prepMu.Lock()
	//lint:ignore SA2001 an empty critical section: a barrier
	e.prepMu.Unlock()
	return fr.RemoveAttempts(ctx, ids)
}

// killAll marks every instance of blocks killed: queued ones end now,
// staged and running ones are returned to be killed; instances already
// ended by a kill are left as they are. The attempts of theirs a restart
// killed that have not ended are returned to be killed again. The caller
// holds e.mu.
func (e *Engine) killAll(blocks []*blockState) (kills []string, recs []*store.Instance) {
	now := e.now()
	var changed []*store.Instance
	for _, b := range blocks {
		for _, in := range b.instances {
			kills = append(kills, in.rec.Dying...)
			if State(in.rec.State).Terminal() && in.rec.Killed {
				continue
			}
			in.rec.Killed = true
			switch State(in.rec.State) {
			case Queued:
				in.rec.State = string(Killed)
				in.rec.Message = "killed on request"
				in.rec.NextRunAt = nil
				in.rec.FinishedAt = &now
			case Staged, Running:
				kills = append(kills, in.rec.AttemptID)
			}
			changed = append(changed, &in.rec)
		}
		e.touch(b)
	}
	// Killed, no longer waiting for capacity, nor reached by its list.
	e.capUnwaitEnded(blocks)
	for _, b := range blocks {
		e.dropStagedText(b, nil) // no reader of its file waits any more
	}
	return kills, copyRecs(changed)
}

// unremove gives back a document whose removal could not be completed;
// the reports of its buffer whose reads stopped once it was removed
// (reportReadMatters) are read again, and applied; the ends of its
// attempts left undecided meanwhile, waiting for the read again of a
// report let go (reloaded), are decided again.
func (e *Engine) unremove(ds *docState) {
	e.mu.Lock()
	ds.removing, ds.removed = false, false
	e.docs[ds.id] = ds
	e.readReportsAgain(ds)
	e.undecidedEndsAgain(ds)
	e.endReadsAgain(ds)
	e.docChanged(ds)
	e.mu.Unlock()
}

func (e *Engine) removeWait() time.Duration {
	if e.cfg.RemoveWait > 0 {
		return e.cfg.RemoveWait
	}
	return DefaultRemoveWait
}

// waitEnded waits until every instance of ds has ended, and every
// attempt of it a restart or a drop killed (its stand-in, which holds its
// resources and keeps its files), at most removeWait; it returns how many
// had not.
func (e *Engine) waitEnded(ctx context.Context, ds *docState) int {
	deadline := time.NewTimer(e.removeWait())
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		e.mu.Lock()
		left := 0
		for _, b := range ds.blocks {
			for _, in := range b.instances {
				if !State(in.rec.State).Terminal() {
					left++
				}
			}
		}
		left += e.standIns()[ds]
		e.mu.Unlock()
		if left == 0 {
			return 0
		}
		select {
		case <-ctx.Done():
			return left
		case <-deadline.C:
			return left
		case <-tick.C:
		}
	}
}

// flush returns once every state queued for the store is on disk.
func (e *Engine) flush() error {
	if e.store == nil {
		return nil
	}
	if err := e.awaitWrite(e.enqueue(nil, nil)); err != nil {
		return fmt.Errorf("storing instance states: %w", err)
	}
	return nil
}

// attemptIDs are the attempts a removed document ever had, whose files
// may remain: every attempt of every instance (ids are made from the
// block and the attempt's number), the one prepared for it if any
// (Preparer) or, for one never launched, its first (which a server that
// stopped since may have prepared), and the ids the store held (an older
// server's, or those of a document that cannot be planned any more). The
// caller holds e.mu.
func attemptIDs(ds *docState, stored []*store.Instance) []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, b := range ds.blocks {
		for _, id := range b.attemptIDs() {
			add(id)
		}
	}
	for _, in := range stored {
		add(in.AttemptID)
	}
	return ids
}

// attemptIDs are the attempts b's instances had, and the one prepared
// for each, whose files may remain (see attemptIDs). The caller holds
// e.mu.
func (b *blockState) attemptIDs() []string {
	var ids []string
	for _, in := range b.instances {
		from := 1
		if in.rec.Attempts == 0 {
			// Never launched: its first attempt may have been
			// prepared by a server that stopped since.
			from = 0
		}
		for n := from; n <= in.rec.Attempts; n++ {
			ids = append(ids, AttemptID(b.doc.id, b.index, b.name, in.rec.Instance, max(n, 1)))
			if id := legacyAttemptID(b.doc.id, b.index, b.name, in.rec.Instance, max(n, 1)); id != "" {
				ids = append(ids, id)
			}
		}
		for _, id := range []string{in.rec.AttemptID, in.prepared} {
			if id != "" {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// standIns counts, by document, the attempts a restart or a drop killed
// that have not ended (Instance.Dying, the dropped blocks'): tracked
// apart from their instances, they hold their resources until then. The
// caller holds e.mu.
func (e *Engine) standIns() map[*docState]int {
	out := map[*docState]int{}
	for _, in := range e.attempts {
		if in.dying || in.dropped {
			out[in.block.doc]++
		}
	}
	return out
}

// kept is what retention knows of ds, but its stand-ins (standIns). The
// caller holds e.mu.
func (ds *docState) kept() Kept {
	k := Kept{ID: ds.id, Seq: ds.seq, Ended: ds.submitted}
	if ds.lazy != nil {
		if f := ds.lazy.finished; f != nil && f.After(k.Ended) {
			k.Ended = *f
		}
		return k
	}
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			if !State(in.rec.State).Terminal() {
				k.Live = true
			}
			if f := in.rec.FinishedAt; f != nil && f.After(k.Ended) {
				k.Ended = *f
			}
		}
	}
	return k
}

// retainLoop applies Config.Keep now and then, until ctx ends.
func (e *Engine) retainLoop(ctx context.Context) {
	if e.cfg.Keep == (Retention{}) {
		return
	}
	every := e.cfg.RetainEvery
	if every <= 0 {
		every = DefaultRetainEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		e.retain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// retain removes the documents Config.Keep says to (ToRemove), oldest
// ended first; one that was restarted meanwhile is left alone.
func (e *Engine) retain(ctx context.Context) {
	e.mu.Lock()
	docs := make([]Kept, 0, len(e.order))
	// A document whose instances have all ended but whose stand-ins
	// run is live: removed once they have ended, not killed by
	// retention and waited for until removal gives up.
	standIns := e.standIns()
	for _, ds := range e.order {
		if !ds.removing {
			k := ds.kept()
			k.Live = k.Live || standIns[ds] > 0
			docs = append(docs, k)
		}
	}
	now := e.now()
	e.mu.Unlock()
	why := fmt.Sprintf("#+borges_keep (%s)", e.cfg.Keep)
	for _, id := range ToRemove(docs, e.cfg.Keep, now) {
		if ctx.Err() != nil {
			return
		}
		err := e.remove(ctx, id, true, why)
		switch {
		case err == nil, errors.Is(err, ErrNotFound), errors.Is(err, ErrConflict):
			// Removed, or removed or restarted meanwhile.
		default:
			e.log.Warn("retention could not remove a document", "id", id, "err", err)
		}
	}
}

// String is the retention as #+borges_keep writes it.
func (r Retention) String() string {
	s := ""
	if r.For > 0 {
		s = r.For.String()
		if r.For%(24*time.Hour) == 0 {
			s = fmt.Sprintf("%dd", r.For/(24*time.Hour))
		}
	}
	if r.Count > 0 {
		if s != "" {
			s += " "
		}
		s += fmt.Sprint(r.Count)
	}
	return s
}
