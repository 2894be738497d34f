package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// org-babel-execute-buffer stops the document at a Lisp error it does not
// catch: a JavaScript block's value the Lisp reader finds nothing in
// (plan.Task.FailureStops, the task reading it in Emacs). Borges knows
// that when the block ends (org.JSReadError), or, for a value only
// Emacs's reader reads, when that reading fails; the blocks after it that
// have not started by then are not run, each saying why, and those that
// had started (Borges runs what waits for nothing at once, where Emacs
// runs one block at a time) run on. A reference error stops it likewise:
// a block reading data that the block writing over them left as nothing
// Babel reads (plan.ReferenceError), known when it was to start.

// failureStopBefore says why b, a block's own run, is not run because a
// task whose failure stops the document failed at a block before it in
// the document, "" when none did. The caller holds e.mu.
func (ds *docState) failureStopBefore(b *blockState) string {
	if !ownRun(b) {
		return ""
	}
	f, line, msg := ds.failedStop()
	if f == nil || b.task.Line <= line {
		return ""
	}
	if f.refErr != "" {
		return fmt.Sprintf(failStopAt+"%d, "+refStopWhy+" (%s): %s", line, f.name, msg)
	}
	return fmt.Sprintf(failStopAt+"%d, "+failStopWhy+" (%s): %s", line, f.name, msg)
}

// failStopAt and failStopWhy begin and go on the message of a block that
// a failure stop holds (failureStopBefore).
const (
	failStopAt  = "not run: org-babel-execute-buffer stopped before it, at the block at line "
	failStopWhy = "whose value Emacs could not read"
	// refStopWhy goes on that of a block a reference error stops
	// (blockState.refErr).
	refStopWhy = "whose reference Emacs found no data for"
)

// failStopLifted is stopLifted for the blocks a failure stop held when
// blocks, run again, hold a task whose failure stops the document or its
// block: the stop stands no more until they have ended, and the blocks
// it held run, or, held still (by another stop), say so. The caller
// holds e.mu.
func (e *Engine) failStopLifted(ds *docState, blocks []*blockState) rerun {
	if !slices.ContainsFunc(blocks, func(b *blockState) bool { return b.task != nil && b.task.FailureStops || b.refErr != "" }) {
		return rerun{}
	}
	held := map[*blockState]string{}
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			if m := in.rec.Message; State(in.rec.State) == Finished && in.rec.AttemptID == "" && strings.HasPrefix(m, failStopAt) && (strings.Contains(m, failStopWhy) || strings.Contains(m, refStopWhy)) {
				held[b] = m
			}
		}
	}
	if len(held) == 0 {
		return rerun{}
	}
	return e.stopLifted(ds, held, blocks[0].name+" runs again")
}

// stopLine is the line of the block org-babel-execute-buffer stops at
// when f, a task whose failure stops the document, fails: f's own, or
// that of the first block in the buffer whose run needs f's (referring
// to its block, or to a block that does, in turn), where Emacs runs f's
// block for the reference. The caller holds e.mu.
func stopLine(f *blockState) int {
	line := f.task.Line
	seen := map[*blockState]bool{f: true}
	next := []*blockState{f}
	// Bounded: each block is looked at once.
	for len(next) > 0 {
		x := next[len(next)-1]
		next = next[:len(next)-1]
		for _, d := range x.dependents {
			if seen[d] {
				continue
			}
			seen[d] = true
			next = append(next, d)
			if ownRun(d) && d.task.Line < line {
				line = d.task.Line
			}
		}
	}
	return line
}

// failedStop is the block whose failure stops the document
// (plan.Task.FailureStops) that failed and stops it first in the buffer,
// nil for none, the line it stops at (stopLine) and the error it failed
// with. The caller holds e.mu.
func (ds *docState) failedStop() (first *blockState, line int, why string) {
	if ds.failStopsOf != len(ds.blocks) {
		// Looked for again only when blocks come or go: most
		// documents have none.
		ds.failStops = ds.failStops[:0]
		for _, x := range ds.blocks {
			if x.task != nil && x.task.FailureStops || x.refErr != "" {
				ds.failStops = append(ds.failStops, x)
			}
		}
		ds.failStopsOf = len(ds.blocks)
	}
	for _, f := range ds.failStops {
		if msg, ok := ds.readFails(f); ok {
			if at := stopLine(f); first == nil || at < line {
				first, line, why = f, at, msg
			}
		}
	}
	return first, line, why
}

// readFails says whether f, a task whose failure stops the document, fails
// and with what error: its block's value (its own, for a block whose
// value is read and written nowhere) is one Emacs cannot read, known
// when the block has ended (org.JSReadError), or f, a reading, ran and
// failed. One
// never run because its block failed or was killed does not: Emacs reads
// org-babel-eval's nil. The caller holds e.mu.
func (ds *docState) readFails(f *blockState) (string, bool) {
	if f.refErr != "" {
		return f.refErr, true
	}
	if !f.task.FailureStops {
		return "", false
	}
	owner := f // under :results silent, the block itself: no reading
	if f.task.ReadsOutput {
		owner = ds.byName[f.task.ResultsWith]
	}
	if owner != nil && owner.state() == Finished && len(owner.instances) > 0 && ds.output != nil {
		if attempt := owner.instances[0].rec.AttemptID; attempt != "" {
			if f.readErrOf != attempt {
				out, _ := ds.output(owner)
				f.readErr, _ = org.JSReadError(out)
				f.readErrOf = attempt
			}
			if f.readErr != "" {
				return f.readErr, true
			}
		}
	}
	for _, in := range f.instances {
		if f.task.ReadsOutput && State(in.rec.State) == Failed && in.rec.AttemptID != "" {
			return in.rec.Message, true
		}
	}
	return "", false
}
