package engine

import (
	"context"
	"errors"
	"fmt"
)

// This file kills a document's or a block's tasks on request: the kills
// are stored before they are asked of the backend, so that a server
// restarted in between still knows them killed and does not run them
// again.

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
	kills, recs := e.killAll(targets)
	w := e.queueWrite(recs)
	e.mu.Unlock()
	if err := e.awaitWrite(w); err != nil {
		return fmt.Errorf("storing the kill: %w", err)
	}
	var errs []error
	for _, a := range kills {
		if err := e.backend.Kill(ctx, a); err != nil {
			errs = append(errs, err)
		}
	}
	e.poke()
	return errors.Join(errs...)
}
