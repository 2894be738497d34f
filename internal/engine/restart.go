package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// This file runs a block again on request (RestartBlock); a block of a
// session runs its whole session again, in a new interpreter.

// RestartBlock runs a block again: running instances are killed and
// relaunched, ended ones queued anew.
func (e *Engine) RestartBlock(ctx context.Context, id, block string) error {
	ds, err := e.lockedDoc(id)
	if err != nil {
		return err
	}
	b := ds.byName[block]
	if b == nil {
		for _, x := range ds.blocks {
			if x.name == block && x.skipped != nil {
				e.mu.Unlock()
				return fmt.Errorf("block %s is not runnable (%s): %w", block, x.skipped.Reason, ErrConflict)
			}
		}
		e.mu.Unlock()
		return fmt.Errorf("block %s of document %s: %w", block, id, ErrNotFound)
	}
	if err := TakeEffect(ctx); err != nil {
		e.mu.Unlock()
		return err
	}
	ctx, cancel := afterEffect(ctx)
	defer cancel()
	var kills []string
	var changed []*store.Instance
	// A block of a session restarts its session: a new interpreter, fed
	// every block of the session again, in order.
	targets := []*blockState{b}
	var oldSession string
	if s := b.task.Session; s != nil {
		targets = ds.sessionBlocks(s.Key)
		oldSession = ds.nextSession(s.Key)
	}
	targets = append(targets, ds.readersOf(targets)...)
	now := e.now()
	for _, b := range targets {
		for _, in := range b.instances {
			kills = append(kills, e.requeue(in, now, "restart requested")...)
			changed = append(changed, &in.rec)
		}
		b.result = nil
	}
	for _, b := range targets {
		e.touch(b)
	}
	w := e.queueWrite(changed)
	e.mu.Unlock()
	// Stored before the kill, as a kill is: once the old attempt is
	// gone the new one may start and end, and its records must not be
	// overwritten by these older ones. Killed even if that fails, as
	// the engine has the instances queued already (forgetDropped): the
	// old attempts, which hold their resources until they end, must.
	var errs []error
	if err := e.awaitWrite(w); err != nil {
		errs = append(errs, fmt.Errorf("storing the restart: %w", err))
	}
	for _, a := range kills {
		if err := e.backend.Kill(ctx, a); err != nil {
			errs = append(errs, err)
		}
	}
	if oldSession != "" {
		if err := e.backend.CloseSession(ctx, oldSession); err != nil {
			errs = append(errs, err)
		}
	}
	e.poke()
	return errors.Join(errs...)
}

// requeue queues an instance again, saying why, as a restart does: a
// staged or running attempt of it is returned to be killed, its history
// has it end now, and its end counts no more for the instance, but it
// holds its resources until then (dying); those killed so before that
// have not ended are returned to be killed again. Its block is decided
// again from the buffer when it is ready. The caller holds e.mu.
func (e *Engine) requeue(in *instState, now time.Time, why string) (kills []string) {
	switch State(in.rec.State) {
	case Staged, Running:
		e.dying(in)
		in.rememberRestarted(now)
		if !slices.Contains(in.rec.Dying, in.rec.AttemptID) {
			kills = append(kills, in.rec.AttemptID)
		}
	}
	kills = append(kills, in.rec.Dying...)
	in.block.decideAgain()
	in.rec.State = string(Queued)
	in.rec.Killed = false
	in.rec.NextRunAt = nil
	in.rec.QuickExits = 0
	in.rec.Message = why
	return kills
}
