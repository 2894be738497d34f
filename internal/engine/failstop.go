package engine

import (
	"fmt"

	"github.com/wallyqs/borges/internal/org"
)

// org-babel-execute-buffer stops the document at a Lisp error it does not
// catch: a JavaScript block's value the Lisp reader finds nothing in
// (plan.Task.FailureStops, the task reading it in Emacs). Borges knows
// that when the block ends (org.JSReadError), or, for a value only
// Emacs's reader reads, when that reading fails; the blocks after it that
// have not started by then are not run, each saying why, and those that
// had started (Borges runs what waits for nothing at once, where Emacs
// runs one block at a time) run on.

// failureStopBefore says why b, a block's own run, is not run because a
// task whose failure stops the document failed at a block before it in
// the document, "" when none did. The caller holds e.mu.
func (ds *docState) failureStopBefore(b *blockState) string {
	if !ownRun(b) {
		return ""
	}
	f, msg := ds.failedStop()
	if f == nil || b.task.Line <= f.task.Line {
		return ""
	}
	return fmt.Sprintf("not run: org-babel-execute-buffer stopped before it, at the block at line %d, whose value Emacs could not read (%s): %s", f.task.Line, f.name, msg)
}

// failedStop is the first block in the document whose failure stops it
// (plan.Task.FailureStops) that failed, nil for none, and the error it
// failed with. The caller holds e.mu.
func (ds *docState) failedStop() (*blockState, string) {
	if ds.failStopsOf != len(ds.blocks) {
		// Looked for again only when blocks come or go: most
		// documents have none.
		ds.failStops = ds.failStops[:0]
		for _, x := range ds.blocks {
			if x.task != nil && x.task.FailureStops {
				ds.failStops = append(ds.failStops, x)
			}
		}
		ds.failStopsOf = len(ds.blocks)
	}
	var first *blockState
	var why string
	for _, f := range ds.failStops {
		if first != nil && f.task.Line >= first.task.Line {
			continue
		}
		if msg, ok := ds.readFails(f); ok {
			first, why = f, msg
		}
	}
	return first, why
}

// readFails says whether f, a task whose failure stops the document, fails
// and with what error: its block's value is one Emacs cannot read, known
// when the block has ended (org.JSReadError), or f ran and failed. One
// never run because its block failed or was killed does not: Emacs reads
// org-babel-eval's nil. The caller holds e.mu.
func (ds *docState) readFails(f *blockState) (string, bool) {
	if owner := ds.byName[f.task.ResultsWith]; owner != nil && owner.state() == Finished && len(owner.instances) > 0 && ds.output != nil {
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
		if State(in.rec.State) == Failed && in.rec.AttemptID != "" {
			return in.rec.Message, true
		}
	}
	return "", false
}
