package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/sandboxfs"
)

// This file serves what attempts wrote: a block instance's log streams
// (ReadLog) and the files a document's #+RESULTS: links name (ReadFile),
// read from the backend once the engine's lock is let go.

// maxServedFile bounds a file the files route serves (it is answered
// from memory).
const maxServedFile = 16 << 20

// ReadLog reads a block instance's current attempt's stream.
func (e *Engine) ReadLog(ctx context.Context, id, block string, instance int, stream string, offset int64, max int) ([]byte, int64, bool, error) {
	ds, err := e.lockedDoc(id)
	if err != nil {
		return nil, 0, false, err
	}
	b := ds.byName[block]
	if b == nil || instance < 0 || instance >= len(b.instances) {
		e.mu.Unlock()
		return nil, 0, false, fmt.Errorf("block %s instance %d of document %s: %w", block, instance, id, ErrNotFound)
	}
	in := b.instances[instance]
	attempt := in.rec.AttemptID
	terminal := State(in.rec.State).Terminal()
	e.mu.Unlock()
	if attempt == "" {
		return nil, 0, terminal, nil
	}
	data, size, err := e.backend.ReadLog(ctx, attempt, stream, offset, max)
	if err != nil {
		return nil, offset, false, err
	}
	next := offset + int64(len(data))
	return data, next, terminal && next >= size, nil
}

// ReadFile returns a file a document's blocks made, by the path its
// #+RESULTS: link names: the :file of a finished block whose result Babel
// writes into it (its result, as org-babel-format-result writes a string
// result), or else the file of that path in the sandbox of the first of
// its blocks' current attempts that has it (a program that writes its
// :file itself: :results graphics or link, or output naming a file).
func (e *Engine) ReadFile(ctx context.Context, id, name string) ([]byte, error) {
	if !SandboxPath(name) {
		return nil, fmt.Errorf("file %q: not a relative path inside the document's directory: %w", name, ErrNotFound)
	}
	ds, err := e.lockedDoc(id)
	if err != nil {
		return nil, err
	}
	// Writers of name before the stop, and past it.
	var before, past lastWriter
	p := pastStop{ds: ds}
	var attempts []string
	for _, b := range ds.blocks {
		if b.task == nil || len(b.instances) == 0 {
			continue
		}
		in := b.instances[0]
		if in.rec.AttemptID == "" {
			continue
		}
		// Of the blocks Babel writes name for, the file is the one
		// that finished last (Emacs leaves the last writer's; a block
		// run again writes it again); on a tie the later block's.
		// One stopped where Babel cannot write it (a directory
		// missing) wrote none. One whose turn stands past the stop
		// (unwrittenPastStop), started before the stop was known,
		// wrote it where Emacs, stopped before it, never does: a
		// writer before the stop (a run for a reference to it) is the
		// last, as Emacs leaves it; the one past it only if there is
		// none.
		if b.task.FileWritten && b.task.File == name && State(in.rec.State) == Finished && !plan.WritesNoFile(in.rec.ResultStop) {
			if p.unwrittenPastStop(b) {
				past.see(b.task, in)
			} else {
				before.see(b.task, in)
			}
		}
		attempts = append(attempts, in.rec.AttemptID)
	}
	e.mu.Unlock()
	written, writtenAttempt := before.task, before.attempt
	if written == nil {
		written, writtenAttempt = past.task, past.attempt
	}
	if written != nil {
		out, size := e.readCapped(writtenAttempt, resultStream(written), maxServedFile)
		if size <= int64(len(out)) {
			out = plan.FileText(written, out)
		}
		return []byte(out), nil
	}
	for _, a := range attempts {
		data, size, err := e.backend.ReadLog(ctx, a, name, 0, maxServedFile)
		if errors.Is(err, sandboxfs.ErrRefused) {
			continue // a link, or not a regular file: not a file the block made
		}
		if err != nil {
			return nil, err
		}
		if size > 0 {
			return data, nil
		}
	}
	return nil, fmt.Errorf("file %s of document %s: %w", name, id, ErrNotFound)
}

// lastWriter is, of the finished runs that wrote a file Babel writes
// (plan.Task.FileWritten), the one that finished last.
type lastWriter struct {
	task    *plan.Task
	attempt string
	at      *time.Time
}

// see counts the run in of task t, the later one on a tie.
func (w *lastWriter) see(t *plan.Task, in *instState) {
	if w.task == nil || !finishedBefore(in.rec.FinishedAt, w.at) {
		w.task, w.attempt, w.at = t, in.rec.AttemptID, in.rec.FinishedAt
	}
}

// finishedBefore says a finished before b (a time not recorded counts
// as before any that is).
func finishedBefore(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b != nil
	}
	return a.Before(*b)
}
