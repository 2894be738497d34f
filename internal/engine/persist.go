package engine

import (
	"context"
	"errors"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// This file stores instance states: a launch ahead of its process, in the
// store's journal (persistAhead); a kill, restart or removal before its
// call returns (persist); an attempt's end with the next batch
// (persistLater). One writer goroutine stores them, many to a
// transaction. It is apart from the scheduler so that what is durable,
// and when, reads in one place.

// writeReq is instance states to store; done, when set, receives the
// result once they (and everything queued before) are on disk.
type writeReq struct {
	recs []store.Instance
	done chan error
	seq  uint64 // recs are journaled up to this sequence number (persistAhead)
}

// persist stores recs before returning.
func (e *Engine) persist(recs []*store.Instance) error {
	if e.store == nil || len(recs) == 0 {
		return nil
	}
	req := writeReq{done: make(chan error, 1)}
	for _, r := range recs {
		req.recs = append(req.recs, *r)
	}
	select {
	case e.writes <- req:
		return <-req.done
	case <-e.stopped:
		return e.store.PutInstances(recs)
	}
}

// persistAhead stores recs before returning, as persist does, in the
// store's launch journal: one small synced write, where a database commit
// is two and grows with the database. The writer stores them in the
// database with its next batch. Should the journal refuse them, they are
// stored in the database at once.
func (e *Engine) persistAhead(recs []*store.Instance) error {
	if e.store == nil || len(recs) == 0 {
		return nil
	}
	seq, err := e.store.Journal(recs)
	if err != nil {
		if !errors.Is(err, store.ErrJournalFull) {
			e.log.Warn("launch journal", "err", err)
		}
		return e.persist(recs)
	}
	req := writeReq{seq: seq}
	for _, r := range recs {
		req.recs = append(req.recs, *r)
	}
	select {
	case e.writes <- req:
		return nil
	case <-e.stopped:
		return e.store.PutInstancesUpTo(recs, seq)
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
	var waiting []chan error
	// seq is the last journal record whose states are pending or stored
	// (requests arrive in the order they were journaled).
	var seq, storedSeq uint64
	flush := func() {
		var err error
		if len(pending) > 0 || seq > storedSeq {
			recs := make([]*store.Instance, 0, len(pending))
			for _, r := range pending {
				recs = append(recs, r)
			}
			if err = e.store.PutInstancesUpTo(recs, seq); err != nil {
				e.log.Error("storing instance states", "err", err)
			} else {
				storedSeq = seq
			}
			pending = map[string]*store.Instance{}
		}
		for _, w := range waiting {
			w <- err
		}
		waiting = nil
	}
	add := func(req writeReq) {
		seq = max(seq, req.seq)
		for i := range req.recs {
			r := req.recs[i]
			pending[string(r.Key())] = &r
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
		out[i] = copyRec(*r)
	}
	return out
}

func copyRec(r store.Instance) *store.Instance { return &r }
