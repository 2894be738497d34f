package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// This file stores instance states: a launch ahead of its process, in the
// store's journal (journal, then queueJournaled); a kill, restart or
// removal before its call returns (queueWrite, awaitWrite); an attempt's
// end with the next batch (persistLater). Each state is queued for the
// writer under e.mu, in the order it was made. One writer goroutine
// stores them, many to a transaction. It is apart from the scheduler so
// that what is durable, and when, reads in one place. At shutdown it
// outlives the scheduling pass under way and its launches (closeWrites);
// a state queued after it stopped is stored at once, or refused where it
// is seen once the store is closed (storeLate).

// writeReq is instance states to store, and instances whose records
// to remove (those of blocks a document no longer has), stored in one
// transaction; done, when set, receives the result once they (and
// everything queued before) are on disk. notify are called once
// everything queued before is on disk, with the next batch (afterStored).
type writeReq struct {
	recs   []store.Instance
	remove []store.Instance
	done   chan error
	seq    uint64 // recs are journaled up to this sequence number (queueJournaled)
	notify []func()
}

// pendingWrite is a write queued by queueWrite.
type pendingWrite struct {
	done chan error // nil: nothing to wait for (err is the result)
	err  error
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
	if !e.send(req) {
		return pendingWrite{err: e.storeLate(recs, remove, 0)}
	}
	return pendingWrite{done: req.done}
}

// awaitWrite waits until a queued write is on disk. The writer answers
// every request it took (it stops only once no more can come: send).
func (e *Engine) awaitWrite(w pendingWrite) error {
	if w.done == nil {
		return w.err
	}
	return <-w.done
}

// send hands req to the writer, in the order of the calls; false once
// the writer has stopped taking requests (storeLate). The read lock
// is held through the send, so that the writer, which takes the write
// lock before it stops, never leaves a request it was sent unread.
func (e *Engine) send(req writeReq) bool {
	e.sendMu.RLock()
	defer e.sendMu.RUnlock()
	if e.sendClosed {
		return false
	}
	e.writes <- req
	return true
}

// storeLate stores states queued after the writer stopped, at once:
// the ends a backend reports while it closes, before the store does
// (everything the writer had is on disk: these are newer). Once the
// store is closed it fails (ErrStopped), and the caller's waiter is told.
func (e *Engine) storeLate(recs, remove []*store.Instance, seq uint64) error {
	// The writer's last commit, of older states, comes first: it has
	// stopped taking requests, but may not have stored them yet.
	<-e.stopped
	if err := e.store.Commit(recs, remove, seq); err != nil {
		return fmt.Errorf("storing %d instance states: %w: %w", len(recs), ErrStopped, err)
	}
	return nil
}

// storeLateOrLog is storeLate for a state no caller waits for: one not
// stored is logged, with what a restarted server does about it.
func (e *Engine) storeLateOrLog(recs []*store.Instance, seq uint64, why string) {
	if err := e.storeLate(recs, nil, seq); err != nil {
		for _, r := range recs {
			e.log.Error("instance state not stored: the engine has stopped; "+why, "doc", r.DocID, "block", r.Block,
				"instance", r.Instance, "state", r.State, "attempt", r.AttemptID, "err", err)
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
	if !e.send(req) {
		e.storeLateOrLog(recs, seq, "the next start stores it from the launch journal")
	}
}

// persistLater queues a state to be stored with the next batch.
func (e *Engine) persistLater(rec store.Instance) {
	if e.store == nil {
		return
	}
	if !e.send(writeReq{recs: []store.Instance{rec}}) {
		e.storeLateOrLog([]*store.Instance{&rec}, 0, "the next start learns it again from the backend, if that kept it")
	}
}

// afterStored calls f once every state queued before is committed, with
// the writer's next batch (Update.Stored): at once without a store; never
// if a commit failed, or the writer has stopped (whatever was queued
// before was stored at once then, or refused: not known here).
func (e *Engine) afterStored(f func()) {
	if e.store == nil {
		f()
		return
	}
	e.send(writeReq{notify: []func(){f}})
}

// batchEvery is how often the writer stores the states queued: a
// database commit (two fdatasyncs, whose device flushes the launch
// journal's wait behind) for whatever came in that time. What it stores
// later than the state changed is launches already in the journal, and
// an attempt's end: a restarted server learns it from its backend, if
// that kept it (the local backend's files; Mesos resends an update not
// acknowledged, which it acknowledges only once stored: Update.Stored).
const batchEvery = 100 * time.Millisecond

// beforeCommit, set by the package's tests, is called by the writer
// before each commit of a batch; nil otherwise.
var beforeCommit func()

// writer stores instance states, many to a transaction: one fsync for a
// burst of updates instead of one each.
func (e *Engine) writer(ctx context.Context) {
	defer close(e.stopped)
	pending := map[string]*store.Instance{}
	// removing are the records to remove, by key; a later state of
	// one is stored, an earlier one not.
	removing := map[string]*store.Instance{}
	var waiting []chan error
	// notify are called after the next commit; none is once a commit
	// has failed (its states are not stored, and no later commit
	// stores them).
	var notify []func()
	failed := false
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
			if beforeCommit != nil {
				beforeCommit()
			}
			if err = e.store.Commit(recs, remove, seq); err != nil {
				e.log.Error("storing instance states", "err", err)
				failed = true
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
		if !failed {
			for _, f := range notify {
				f()
			}
		}
		notify = nil
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
		notify = append(notify, req.notify...)
		if req.done != nil {
			waiting = append(waiting, req.done)
			flush()
		} else if len(pending) >= 1024 {
			flush()
		}
	}
	tick := time.NewTicker(batchEvery)
	defer tick.Stop()
	done := ctx.Done()
	var closed chan struct{} // nil (never ready) until ctx ends
	for {
		select {
		case <-done:
			done, closed = nil, make(chan struct{})
			go e.closeWrites(closed)
		case <-closed:
			// No request can come any more: store those sent.
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

// closeWrites closes closed once the writer may stop: the scheduling
// pass under way at shutdown and its launches are over (e.active), their
// states sent, and no request is being sent or can be (send). Till then
// the writer stores what comes, so that no launch is made after it, and
// with it the store, stopped.
func (e *Engine) closeWrites(closed chan struct{}) {
	e.active.Wait()
	// The attempt-end reads (readAtEnd), counted under e.mu: none starts
	// once readsClosed is set.
	e.mu.Lock()
	e.readsClosed = true
	e.mu.Unlock()
	e.reading.wait()
	e.sendMu.Lock()
	e.sendClosed = true
	e.sendMu.Unlock()
	close(closed)
}

func copyRecs(in []*store.Instance) []*store.Instance {
	out := make([]*store.Instance, len(in))
	for i, r := range in {
		c := *r
		out[i] = &c
	}
	return out
}
