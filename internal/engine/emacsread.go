package engine

import (
	"fmt"

	"github.com/wallyqs/borges/internal/plan"
)

// This file runs the task that reads a block's output in Emacs
// (plan.Task.ReadsOutput) only when the output needs it: a Ruby block
// under :results output table whose output is a Lisp form Borges cannot
// evaluate. Otherwise it finishes without running, and the block's own
// results stand.

// blockOutput is what block name printed, as its dependents' values are
// read from (its result stream); ok is false when it did not run (its
// cached results stand). The caller holds e.mu.
func (e *Engine) blockOutput(ds *docState, name string) (string, bool) {
	dep := ds.byName[name]
	if dep == nil || len(dep.instances) == 0 || dep.instances[0].rec.AttemptID == "" {
		return "", false
	}
	out, _ := e.printed(dep) // what was read before a read failed
	return out, true
}

// printed is what b's current attempt printed, as blockOutput reads it,
// with the error of a read that failed: what was read until then is not
// all it printed. "" for a block that has not run. The caller holds
// e.mu.
func (e *Engine) printed(b *blockState) (string, error) {
	if len(b.instances) == 0 || b.instances[0].rec.AttemptID == "" {
		return "", nil
	}
	out, _, err := e.readCappedErr(b.instances[0].rec.AttemptID, resultStream(b.task), e.cfg.MaxResultBytes)
	if err != nil {
		err = fmt.Errorf("reading block %s's output: %w", b.name, err)
	}
	return plan.ResultText(b.task, out), err
}

// emacsReadUnneeded reports whether b is a task reading its block's
// output in Emacs that need not run: the output holds no form only Emacs
// evaluates, its reader error stops the document at its block (known in
// Go), or the block did not run or did not finish. The caller
// holds e.mu.
func (e *Engine) emacsReadUnneeded(b *blockState) bool {
	if !b.task.ReadsOutput {
		return false
	}
	dep := b.doc.byName[b.task.ResultsWith]
	if dep == nil || dep.state() != Finished {
		return true // failed, and run all the same (:on-failure continue)
	}
	if dep.task.FailureStops && !dep.task.ReadsOutput && b.doc.valueReadErr(dep, dep) != "" {
		// A block found or added whose value's reader error is known
		// in Go (org.JSReadError): it stops the document itself
		// (plan.Edits.readAndPosts), nothing for Emacs to read.
		return true
	}
	out, ok := e.blockOutput(b.doc, b.task.ResultsWith)
	return !ok || !plan.EmacsReadNeeded(b.task, out)
}

// emacsReadStands reports whether b is a task reading its block's output
// in Emacs that did not run (not needed, or its block failed): the
// block's own results stand, not a note of it. The caller holds e.mu.
func emacsReadStands(b *blockState) bool {
	return b.task.ReadsOutput && len(b.instances) > 0 && b.instances[0].rec.AttemptID == ""
}

// readersOf are the tasks reading the output of blocks in Emacs: run
// again with them, as their output changes. The caller holds e.mu.
func (ds *docState) readersOf(blocks []*blockState) []*blockState {
	var out []*blockState
	for _, b := range blocks {
		if r := ds.readerOf(b); r != nil {
			out = append(out, r)
		}
	}
	return out
}

// readerOf is the task reading b's output in Emacs (plan.ReaderOf: in a
// batch Emacs of its own, or the document's), nil for none. The caller
// holds e.mu.
func (ds *docState) readerOf(b *blockState) *blockState {
	r := ds.byName[plan.ReaderOf(b.name)]
	if r == nil || r.task == nil || !r.task.ReadsOutput || r.task.ResultsWith != b.name {
		return nil
	}
	return r
}
