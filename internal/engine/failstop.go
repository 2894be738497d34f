package engine

import (
	"fmt"
	"slices"
)

// org-babel-execute-buffer stops the document at a Lisp error it does not
// catch: a JavaScript block's value the Lisp reader finds nothing in
// (plan.Task.FailureStops, the task reading it in Emacs). That is known
// only when the task fails; the blocks after its block that have not
// started by then are not run, each saying why, and those that had
// started (Borges runs what waits for nothing at once, where Emacs runs
// one block at a time) run on.

// failureStopBefore says why b, a block's own run, is not run because a
// task whose failure stops the document failed at a block before it in
// the document, "" when none did. The caller holds e.mu.
func (ds *docState) failureStopBefore(b *blockState) string {
	if !ownRun(b) {
		return ""
	}
	f := ds.failedStop()
	if f == nil || b.task.Line <= f.task.Line {
		return ""
	}
	msg := ""
	if len(f.instances) > 0 {
		msg = f.instances[0].rec.Message
	}
	return fmt.Sprintf("not run: org-babel-execute-buffer stopped before it, at the block at line %d, whose value Emacs could not read (%s): %s", f.task.Line, f.name, msg)
}

// failedStop is the first block in the document whose failure stops it
// (plan.Task.FailureStops) that failed, nil for none. The caller holds
// e.mu.
func (ds *docState) failedStop() *blockState {
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
	for _, f := range ds.failStops {
		if readFailed(f) && (first == nil || f.task.Line < first.task.Line) {
			first = f
		}
	}
	return first
}

// readFailed says whether f, a task whose failure stops the document, ran
// and failed: not one never run because its block failed or was killed,
// whose value, org-babel-eval's nil, Emacs reads.
func readFailed(f *blockState) bool {
	return f.state() == Failed && slices.ContainsFunc(f.instances, func(in *instState) bool {
		return State(in.rec.State) == Failed && in.rec.AttemptID != ""
	})
}
