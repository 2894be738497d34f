package engine

import (
	"context"
	"os"
	"strings"

	"github.com/wallyqs/borges/internal/store"
)

// This file writes ahead, as intents, the launches of the attempts
// prepared (prepare.go): the next attempt of a block that waits on
// nothing but a block being launched. Each is in the store's launch
// journal, synced, while the block before runs; its launch, once that
// block has ended, is then journaled without a sync of its own (the
// store's Intend and Journal), off the path from one block's end to the
// next one's start. A server that starts decides what became of an
// intent whose launch it has no record of (applyIntents, by the pure
// UnrecordedIntent): on the same boot it was never launched; after a
// reboot it is an attempt launched that its backend may not know.

// bootIDFile is where Linux says which boot the machine is in.
const bootIDFile = "/proc/sys/kernel/random/boot_id"

func readBootID() (string, error) {
	b, err := os.ReadFile(bootIDFile)
	return strings.TrimSpace(string(b)), err
}

// intentLoop writes the intents of the attempts prepared, one batch at a
// time, beside the launches.
func (e *Engine) intentLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case reqs := <-e.intents:
			if intents := e.intentsOf(reqs); len(intents) > 0 {
				// The queued states they were written from are
				// stored first (a requeue may wait for the next
				// batch): a start finds them beside their intents.
				if err := e.awaitWrite(e.enqueue(nil, nil)); err != nil || ctx.Err() != nil {
					continue // stopping: those launches will not be made
				}
				if err := e.store.Intend(intents); err != nil {
					e.log.Debug("launch intents not written: their launches are synced", "err", err)
				}
			}
		}
	}
}

// intentsOf are the intents of the attempts reqs that are still to be
// launched.
func (e *Engine) intentsOf(reqs []prepareReq) []store.Intent {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []store.Intent
	for _, r := range reqs {
		in := r.in
		ds := in.block.doc
		if e.docs[ds.id] != ds || ds.removing || in.dropped || in.rec.Killed ||
			State(in.rec.State) != Queued || in.rec.Attempts+1 != r.n || in.prepared != r.id {
			continue
		}
		it := store.Intent{DocID: in.rec.DocID, Block: in.rec.Block, Instance: in.rec.Instance,
			AttemptID: r.id, Attempts: r.n, BootID: e.boot}
		if f := in.block.runFor; f != nil {
			it.RunFor = f.name // as its launch stores it (schedule)
		}
		out = append(out, it)
	}
	return out
}

// applyIntents decides the intents (by instance key) of ds's instances
// whose launch is not stored: those that may have been
// launched are staged as that attempt, and returned to be recovered with
// the states changed. The caller holds e.mu.
func (e *Engine) applyIntents(ds *docState, intents map[string]store.Intent) (recover []*Attempt, fixed []*store.Instance) {
	for _, b := range ds.blocks {
		if b.task == nil {
			continue
		}
		for _, in := range b.instances {
			it, ok := intents[string(in.rec.Key())]
			// Whatever the stored state: the queued one it was
			// written from may not have been stored yet (persistLater).
			// An attempt as late or later is stored: launched (or
			// ended) since.
			if !ok || in.rec.Killed || in.rec.Attempts >= it.Attempts {
				continue
			}
			if State(in.rec.State).Terminal() && in.rec.NotLaunched == it.AttemptID {
				// It ended without the intent's launch (endsUnlaunched).
				continue
			}
			deps := make(map[string]State, len(b.task.After))
			for _, d := range b.task.After {
				deps[d] = ds.waitState(b.task, d)
			}
			if UnrecordedIntent(e.boot != "" && it.BootID == e.boot, deps) == NotLaunched {
				continue
			}
			if e.attempts[in.rec.AttemptID] == in {
				// Its stored attempt, recovered (adopt), ended
				// before the one of the intent.
				e.untrack(in.rec.AttemptID)
			}
			if !in.rec.FromIntent {
				// Not the staging of an earlier intent's attempt,
				// whose own record before it is kept instead.
				in.rec.BeforeIntent = lastAttempt(in.rec)
			}
			// As its launch would have stored it (schedule).
			in.rec.State = string(Staged)
			in.rec.AttemptID = it.AttemptID
			// Its launch's, not known. The local backend knows its
			// wrapper, if launched, without them: by the pid and start
			// it wrote at the launch (local's wrapperfile.go).
			in.rec.LaunchTicks = 0
			in.rec.Attempts = it.Attempts
			in.rec.RunFor = it.RunFor // decided where it launched (knowRunFor)
			in.rec.NextRunAt, in.rec.ExitCode, in.rec.TimedOut = nil, nil, new(bool)
			in.rec.StartedAt, in.rec.FinishedAt = nil, nil
			b.result = nil
			in.rec.Message, in.rec.Host = "", ""
			in.rec.FromIntent = true
			fixed = append(fixed, &in.rec)
			if a := e.recoverAttempt(in); a != nil {
				recover = append(recover, a)
			}
		}
	}
	return recover, fixed
}

// endsUnlaunched records, of instance in, queued and ending now without
// a launch, that the attempt prepared for it (whose intent may be on
// disk) was never launched, and adds its id to passed.
func (in *instState) endsUnlaunched(passed []string) []string {
	id := AttemptID(in.rec.DocID, in.block.index, in.rec.Block, in.rec.Instance, in.rec.Attempts+1)
	if in.prepared != id {
		return passed
	}
	in.rec.NotLaunched = id
	return append(passed, id)
}

// lastAttempt is how the attempt of rec ended, as rec says it.
func lastAttempt(rec store.Instance) *store.LastAttempt {
	last := &store.LastAttempt{AttemptID: rec.AttemptID, Message: rec.Message, TimedOut: rec.TimedOut, Host: rec.Host,
		StartedAt: rec.StartedAt, FinishedAt: rec.FinishedAt}
	if rec.ExitCode != nil {
		c := *rec.ExitCode
		last.ExitCode = &c
	}
	return last
}

// untriedIntent has the record of in, whose attempt staged from an
// intent its backend did not know, say again how the last attempt
// launched before it ended (before, its record then, stored with it), as
// its notes, status and history show it: its id, message, exit code, host
// and times; none if before is unknown (staged by an older Borges), so
// that no note names the unknown attempt.
func (in *instState) untriedIntent(before *store.LastAttempt) {
	if before == nil {
		in.rec.AttemptID, in.rec.Message, in.rec.ExitCode, in.rec.Host, in.rec.TimedOut = "", "", nil, "", new(bool)
		in.rec.StartedAt, in.rec.FinishedAt = nil, nil
		return
	}
	in.rec.AttemptID, in.rec.Message, in.rec.Host, in.rec.TimedOut = before.AttemptID, before.Message, before.Host, before.TimedOut
	in.rec.ExitCode = nil
	if before.ExitCode != nil {
		c := *before.ExitCode
		in.rec.ExitCode = &c
	}
	in.rec.StartedAt, in.rec.FinishedAt = before.StartedAt, before.FinishedAt
}
