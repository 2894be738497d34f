package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// This file kills a document's or a block's tasks on request: the kills
// are written to the store, and asked of the backend once that write has
// ended, so that a server restarted in between still knows them killed
// and does not run them again. They are asked even when the write
// failed: the engine has them killed already, and their attempts would
// otherwise run on.

// KillDocument kills every task of a document.
func (e *Engine) KillDocument(ctx context.Context, id string) error {
	return e.kill(ctx, id, "")
}

// KillBlock kills every instance of one block.
func (e *Engine) KillBlock(ctx context.Context, id, block string) error {
	return e.kill(ctx, id, block)
}

func (e *Engine) kill(ctx context.Context, id, block string) error {
	ds, err := e.lockedDoc(id)
	if err != nil {
		return err
	}
	var targets []*blockState
	if block == "" {
		targets = ds.blocks
	} else if b := ds.byName[block]; b != nil {
		targets = []*blockState{b}
	} else {
		e.mu.Unlock()
		return fmt.Errorf("block %s of document %s: %w", block, id, ErrNotFound)
	}
	if err := TakeEffect(ctx); err != nil {
		e.mu.Unlock()
		return err
	}
	ctx, cancel := afterEffect(ctx)
	defer cancel()
	owners := queuedOwners(ds, targets)
	kills, recs := e.killAll(targets)
	// A block run again that owns found blocks, killed before it
	// launched, has a kill's drawer for results: what was found in its
	// old ones is dropped, as when it ends otherwise (updates.go).
	var gone dropped
	for _, b := range owners {
		added, r, lost := e.foundInResults(ds, b)
		e.tracked += len(added)
		recs = append(recs, copyRecs(append(added, r.recs...))...)
		gone.follow(r)
		gone.join(lost)
	}
	w := e.queueChange(recs, gone.recs)
	e.mu.Unlock()
	// Killed even if the write fails: the engine has the instances
	// killed already and will not launch them again, and their attempts
	// would otherwise run on (a server started from the old records
	// runs them again, as it would have without this request).
	var storeErr error
	if err := e.awaitWrite(w); err != nil {
		storeErr = fmt.Errorf("storing the kill: %w", err)
	}
	err = e.endAttempts(ctx, kills, nil)
	if len(gone.recs)+len(gone.kills)+len(gone.sessions) > 0 {
		go e.forgetDropped(pendingWrite{}, gone)
	}
	e.poke()
	return errors.Join(storeErr, err)
}

// endAttempts asks the backend to kill attempts kills, then to close
// sessions (the interpreters those ran in), each even when one before
// failed, and returns the failures, each naming its attempt or session.
func (e *Engine) endAttempts(ctx context.Context, kills, sessions []string) error {
	var errs []error
	for _, a := range kills {
		if err := e.backend.Kill(ctx, a); err != nil {
			errs = append(errs, fmt.Errorf("killing attempt %s: %w", a, err))
		}
	}
	for _, s := range sessions {
		if err := e.backend.CloseSession(ctx, s); err != nil {
			errs = append(errs, fmt.Errorf("closing session %s: %w", s, err))
		}
	}
	return errors.Join(errs...)
}

// queuedOwners are the blocks of targets that own blocks found in their
// results and are queued (run again, not launched yet): a kill ends them
// at once, with no attempt's end to drop what was found. The caller
// holds e.mu.
func queuedOwners(ds *docState, targets []*blockState) []*blockState {
	var out []*blockState
	for _, b := range targets {
		if !slices.ContainsFunc(b.instances, func(in *instState) bool { return State(in.rec.State) == Queued }) {
			continue
		}
		if slices.ContainsFunc(ds.blocks, func(x *blockState) bool { return x.addedBy == b.name && !x.isAddedPost() }) {
			out = append(out, b)
		}
	}
	return out
}
