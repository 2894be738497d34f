package engine

import (
	"context"
	"errors"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// This file stores instance states: a launch ahead of its process, in the
// store's journal (journal, then queueJournaled); a kill, restart or
// removal before its call returns (queueWrite, awaitWrite); an attempt's
// end with the next batch (persistLater). Each state is queued for the
// writer under e.mu, in the order it was made. One writer goroutine
// stores them, many to a transaction. It is apart from the scheduler so
// that what is durable, and when, reads in one place.

// writeReq is instance states to store, and instances whose records
// to remove (those of blocks a document no longer has), stored in one
// transaction; done, when set, receives the result once they (and
// everything queued before) are on disk.
type writeReq struct {
	recs   []store.Instance
	remove []store.Instance
	done   chan error
	seq    uint64 // recs are journaled up to this sequence number (queueJournaled)
}

// pendingWrite is a write queued by queueWrite.
type pendingWrite struct {
	recs, remove []*store.Instance
	done         chan error // nil: nothing to wait for (err is the result)
	err          error
}

// queueWrite queues copies of recs for the writer, to be stored at once.
// A caller that changed them holds e.mu while it queues them, so that
// the writer, which keeps the last state it is given of an instance,
// gets them in the order they were made: an older copy queued later
// (a pass's launch, an attempt's end) would overwrite a kill.
func (e *Engine) queueWrite(recs []*store.Instance) pendingWrite {
	return e.queueChange(recs, nil)
}

// queueChange is queueWrite of recs, with the records of the instances
// remove (by key) removed in the same transaction.
func (e *Engine) queueChange(recs, remove []*store.Instance) pendingWrite {
	if e.store == nil || len(recs)+len(remove) == 0 {
		return pendingWrite{}
	}
	return e.enqueue(recs, remove)
}

// enqueue queues copies of recs for the writer to store at once, and
// remove to remove with them; none is a barrier: awaited, everything
// queued before it is on disk (flush).
func (e *Engine) enqueue(recs, remove []*store.Instance) pendingWrite {
	req := writeReq{done: make(chan error, 1)}
	for _, r := range recs {
		req.recs = append(req.recs, *r)
	}
	for _, r := range remove {
		req.remove = append(req.remove, *r)
	}
	select {
	case e.writes <- req:
		return pendingWrite{recs: copyRecs(recs), remove: copyRecs(remove), done: req.done}
	case <-e.stopped:
		return pendingWrite{err: e.store.Commit(recs, remove, 0)}
	}
}

// awaitWrite waits until a queued write is on disk.
func (e *Engine) awaitWrite(w pendingWrite) error {
	if w.done == nil {
		return w.err
	}
	select {
	case err := <-w.done:
		return err
	case <-e.stopped:
		// The writer stopped: it stored what it took before, or
		// never took this.
		select {
		case err := <-w.done:
			return err
		default:
			return e.store.Commit(w.recs, w.remove, 0)
		}
	}
}

// journal writes recs, a pass's launches, to the store's launch journal
// (one small synced write, where a database commit is two and grows
// with the database) and returns its sequence number; 0 if the journal
// refused them, which are then to be stored in the database at once.
func (e *Engine) journal(recs []*store.Instance) uint64 {
	if e.store == nil || len(recs) == 0 {
		return 0
	}
	seq, err := e.store.Journal(recs)
	if err != nil {
		if !errors.Is(err, store.ErrJournalFull) {
			e.log.Warn("launch journal", "err", err)
		}
		return 0
	}
	return seq
}

// queueJournaled queues for the writer the states of recs journaled up
// to seq, as they are now (the caller holds e.mu): a kill made since the
// pass copied them is not undone by its older copies. The writer stores
// them in the database with its next batch.
func (e *Engine) queueJournaled(recs []*store.Instance, seq uint64) {
	req := writeReq{seq: seq}
	for _, r := range recs {
		req.recs = append(req.recs, *r)
	}
	select {
	case e.writes <- req:
	case <-e.stopped:
		if err := e.store.PutInstancesUpTo(recs, seq); err != nil {
			e.log.Error("storing instance states", "err", err)
		}
	}
}

// persistLater queues a state to be stored with the next batch.
func (e *Engine) persistLater(rec store.Instance) {
	if e.store == nil {
		return
	}
	select {
	case e.writes <- writeReq{recs: []store.Instance{rec}}:
	case <-e.stopped:
		e.store.PutInstances([]*store.Instance{&rec})
	}
}

// batchEvery is how often the writer stores the states queued: a
// database commit (two fdatasyncs, whose device flushes the launch
// journal's wait behind) for whatever came in that time. What it stores
// later than the state changed is an attempt's end, which a restarted
// server learns from its backend, and launches already in the journal.
const batchEvery = 100 * time.Millisecond

// writer stores instance states, many to a transaction: one fsync for a
// burst of updates instead of one each.
func (e *Engine) writer(ctx context.Context) {
	defer close(e.stopped)
	pending := map[string]*store.Instance{}
	// removing are the records to remove, by key; a later state of
	// one is stored, an earlier one not.
	removing := map[string]*store.Instance{}
	var waiting []chan error
	// seq is the last journal record whose states are pending or stored
	// (requests arrive in the order they were journaled).
	var seq, storedSeq uint64
	flush := func() {
		var err error
		if len(pending)+len(removing) > 0 || seq > storedSeq {
			recs := make([]*store.Instance, 0, len(pending))
			for _, r := range pending {
				recs = append(recs, r)
			}
			var remove []*store.Instance
			for _, r := range removing {
				remove = append(remove, r)
			}
			if err = e.store.Commit(recs, remove, seq); err != nil {
				e.log.Error("storing instance states", "err", err)
			} else {
				storedSeq = seq
			}
			pending = map[string]*store.Instance{}
			removing = map[string]*store.Instance{}
		}
		for _, w := range waiting {
			w <- err
		}
		waiting = nil
	}
	add := func(req writeReq) {
		seq = max(seq, req.seq)
		for i := range req.remove {
			r := req.remove[i]
			delete(pending, string(r.Key()))
			removing[string(r.Key())] = &r
		}
		for i := range req.recs {
			r := req.recs[i]
			pending[string(r.Key())] = &r
			delete(removing, string(r.Key()))
		}
		if req.done != nil {
			waiting = append(waiting, req.done)
			flush()
		} else if len(pending) >= 1024 {
			flush()
		}
	}
	tick := time.NewTicker(batchEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			for {
				select {
				case req := <-e.writes:
					add(req)
				default:
					flush()
					return
				}
			}
		case req := <-e.writes:
			add(req)
		case <-tick.C:
			flush()
		}
	}
}

func copyRecs(in []*store.Instance) []*store.Instance {
	out := make([]*store.Instance, len(in))
	for i, r := range in {
		c := *r
		out[i] = &c
	}
	return out
}
