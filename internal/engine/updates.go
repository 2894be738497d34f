package engine

import (
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// This file applies what a backend reports of an attempt (Update): its
// start, and its end, after which its instance is done or runs again,
// now or later (a lost block of a session runs its session again:
// session_lost.go). Backends report from goroutines of their own, at any
// time; this is where their reports change the engine's state.

// onUpdate applies a backend's status update.
func (e *Engine) onUpdate(u Update) {
	if u.Stored != nil {
		// Sent after whatever this update queues (storeEnd's
		// persistLater, under e.mu, in this goroutine): called once
		// that is committed, on every path.
		defer e.afterStored(u.Stored)
	}
	if u.Time.IsZero() {
		u.Time = e.now()
	}
	e.mu.Lock()
	in := e.attempts[u.AttemptID]
	if in == nil || in.rec.AttemptID != u.AttemptID {
		e.mu.Unlock()
		return
	}
	if in.dropped || in.dying {
		// Its block is gone, or runs again: its end frees what it
		// held, and the files of a dropped block's attempt go now
		// that nothing writes them (forgetDropped left them to this
		// end).
		ended := u.State.Terminal()
		if ended {
			e.untrack(u.AttemptID)
			if of := in.of; of != nil && !of.dropped {
				// No longer among its instance's (Dying).
				e.persistLater(of.rec)
			}
		}
		e.mu.Unlock()
		if ended && in.dropped {
			go e.forgetDropped(pendingWrite{}, dropped{ids: []string{u.AttemptID}})
		}
		e.poke()
		return
	}
	e.docChanged(in.block.doc)
	t := u.Time
	// A lost block of a session runs its session again (session_lost.go).
	var lostSession string
	var lostKills []string
	var others []*store.Instance
	var gone dropped
	addsBlocks := false
	fromIntent, before := in.rec.FromIntent, in.rec.BeforeIntent
	if u.State != Staged {
		in.rec.FromIntent, in.rec.BeforeIntent = false, nil // its backend knows it
	}
	if !fromIntent || u.State != Lost {
		// Not of an attempt that may never have run, whose end
		// (unknown) says nothing of the last attempt that did.
		in.rec.Host = u.Host
		if u.Message != "" {
			in.rec.Message = u.Message
		}
		if u.ExitCode != nil {
			c := *u.ExitCode
			in.rec.ExitCode = &c
		}
		if u.State.Terminal() {
			timedOut := u.TimedOut && u.State == Failed
			in.rec.TimedOut = &timedOut
		}
	}
	switch {
	case u.State == Running || u.State == Staged:
		if State(in.rec.State) != Running && u.State == Running {
			in.rec.StartedAt = &t
		}
		in.rec.State = string(u.State)
	case u.State == Lost && fromIntent:
		// Staged from an intent, unknown to its backend: it may never
		// have run (no loss, failure, backoff or past attempt counted).
		e.untrack(u.AttemptID)
		in.rec.Unlaunched++
		out := AfterIntentLost(in.rec.Killed)
		in.rec.State = string(out.State)
		in.untriedIntent(before)
		if out.State.Terminal() {
			in.rec.Message = "killed on request"
			in.rec.FinishedAt = &t
		}
		e.touch(in.block)
		in.block.result = nil
		e.log.Info("attempt of an intent unknown to its backend", "attempt", u.AttemptID, "message", u.Message, "next", out.State)
	case u.State.Terminal():
		e.untrack(u.AttemptID)
		in.rec.FinishedAt = &t
		ran := time.Duration(0)
		if in.rec.StartedAt != nil {
			ran = t.Sub(*in.rec.StartedAt)
		}
		if u.State == Lost {
			in.rec.Lost++
		}
		previousLost := in.rec.Lost
		if u.State == Lost {
			previousLost--
		}
		in.remember(u.State)
		out := AfterAttempt(in.block.task, u.State, in.rec.Tries(), in.rec.QuickExits, previousLost, ran, in.rec.Killed, u.Time)
		in.rec.QuickExits = out.Quick
		in.rec.State = string(out.State)
		e.touch(in.block)
		if out.Restart {
			n := out.NextRunAt
			in.rec.NextRunAt = &n
		}
		if u.State == Failed || u.State == Lost {
			e.metrics.failures.Inc()
		}
		in.block.result = nil
		// Whether its results stop the document, or Babel refuses
		// its value inline: its output read once, off the lock.
		e.noteAttemptEnd(in)
		in.rec.BufferUnread = false
		// Its report, found kept (not wanted: reportWanted), is kept
		// (pinned) from that look through endAdds: reads of other
		// reports off the lock let the least recently used go
		// meanwhile, and addBlocks, finding it let go, would start a
		// read again that nothing applies, the blocks it added never
		// added. A read off the lock pins it through endAdds too.
		pinned := State(in.rec.State).Terminal() && reportOfEmacs(in, u.AttemptID)
		if pinned {
			e.parsedReports.pin(u.AttemptID)
		}
		switch {
		case !State(in.rec.State).Terminal() || e.readReportOff(in, u.AttemptID, false):
		case e.reportWanted(in, u.AttemptID):
			// Stopping (no read off the lock starts): its report
			// is not read here, under the lock, but kept as not
			// read for the next start (readReportsAgain).
			in.rec.BufferUnread = true
		default:
			// Blocks it added to the Org buffer run now (added.go),
			// and those found in its results: or once the report of
			// its buffer is read, off the lock (reportread.go).
			if beforeEndAdds != nil {
				beforeEndAdds(e, u.AttemptID)
			}
			others, gone, addsBlocks = e.endAdds(in, u.AttemptID)
		}
		if pinned {
			e.parsedReports.unpin(u.AttemptID)
		}
		if ds := in.block.doc; e.docs[ds.id] == ds && !ds.removing {
			// The blocks a stop holds are held by the stop this end
			// makes (a value Emacs cannot read, a block found in its
			// results), earlier in the buffer, now: the document,
			// seen ended before the next pass, says the stop Emacs
			// makes, not one it never reaches (the pass weighs
			// again what it decides).
			others = append(others, copyRecs(e.rehold(ds))...)
		}
		e.log.Info("attempt ended", "attempt", u.AttemptID, "state", u.State, "message", u.Message, "next", out.State)
		if u.State == Lost && out.Restart && in.block.task.Session != nil {
			var changed []*store.Instance
			lostSession, lostKills, changed = e.restartLostSessionLocked(in)
			others = append(others, copyRecs(changed)...)
		}
	}
	e.storeEnd(in, others, gone, addsBlocks)
	e.mu.Unlock()
	if lostSession != "" {
		go e.closeLostSession(lostSession, lostKills)
	}
	e.poke()
}

// endAdds adds to in's document the blocks its attempt, ended, added to
// the Org buffer of the document's Emacs (added.go), and those found in
// the results it wrote (found.go); ended otherwise, its results (a
// failure's or a kill's drawer, not searched) replace those it wrote
// before, and what was found there is dropped. It returns the records
// to store with in's, what to drop, and whether blocks were added or
// run again. The caller holds e.mu.
func (e *Engine) endAdds(in *instState, attempt string) (others []*store.Instance, gone dropped, addsBlocks bool) {
	var added, again []*store.Instance
	ends := e.refusedEndAt(in.block.doc, in.block, attempt)
	added, again, gone = e.addBlocks(in.block.doc, in.block, attempt, false)
	added = append(added, ends...)
	found, more, lost := e.foundInResults(in.block.doc, in.block)
	added = append(added, found...)
	again = append(again, more.recs...)
	gone.follow(more)
	gone.join(lost)
	e.tracked += len(added)
	return copyRecs(append(added, again...)), gone, len(added)+len(again) > 0
}

// storeEnd stores in's record, at the end of its attempt, with others,
// the records its end changed, and drops what it dropped (gone).
// The caller holds e.mu.
func (e *Engine) storeEnd(in *instState, others []*store.Instance, gone dropped, addsBlocks bool) {
	// Queued for the writer before the lock is let go: a pass that
	// launches one of these instances next (a restart due at once, an
	// added block) queues its launch after them, never before, so the
	// writer, which keeps the last state it was given, keeps the launch.
	if addsBlocks {
		// An added block may launch as soon as the lock is let go:
		// its record, and the end of the block that added it, are in
		// the database first, or a server that dies then runs the
		// adding block again and has never heard of the added block's
		// program. (A database commit, waited for while the lock is
		// held: a block adding blocks is rare. Not the launch journal,
		// whose replay takes only an attempt the database does not
		// have.)
		if err := e.awaitWrite(e.queueChange(append([]*store.Instance{&in.rec}, others...), gone.recs)); err != nil {
			e.log.Error("storing the blocks an Emacs Lisp block added", "doc", in.block.doc.id, "err", err)
		}
		if len(gone.recs)+len(gone.kills)+len(gone.sessions) > 0 {
			go e.forgetDropped(pendingWrite{}, gone)
		}
	} else if len(gone.recs) > 0 {
		// The records of the blocks it no longer adds go with its
		// end, in one transaction (a server that dies first has
		// neither, and runs it again), before their attempts are
		// killed.
		w := e.queueChange(append([]*store.Instance{&in.rec}, others...), gone.recs)
		go e.forgetDropped(w, gone)
	} else {
		e.persistLater(in.rec)
		for _, r := range others {
			e.persistLater(*r)
		}
	}
}

// beforeEndAdds, set by the package's tests, is called by onUpdate with
// the attempt ended just before the blocks its report added are added
// (endAdds), its report found kept; nil otherwise. The caller holds e.mu.
var beforeEndAdds func(e *Engine, attempt string)
