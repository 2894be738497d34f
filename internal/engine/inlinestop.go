package engine

import "github.com/wallyqs/borges/internal/org"

// org-babel-insert-result refuses some values of an inline block (or
// inline call) once it has run: a list (a table, or nil) or a string of
// several lines ("Inline error: list result cannot be used", "Inline
// error: multiline result cannot be used",
// org.Document.InlineValueRefused), which stops org-babel-execute-buffer
// there, as a failure stop does (failstop.go): the blocks after it that
// have not started are not run, and its result is not written. An
// inline block that exits non-zero is nil in Emacs (org-babel-eval),
// refused so too.

// inlineErrorPrefix begins the errors org-babel-insert-result signals
// for an inline block.
const inlineErrorPrefix = "Inline error: "

// inlineRefused is, for x, a task whose result is written in place of an
// inline block (plan.Task.InlineResults), the error org-babel-insert-result
// signals for the value its finished attempt ended with, "" for none, the
// place of the inline block, where Emacs stops, and that block's own run.
// It is known once x's result is the one written there: no :post of it,
// nor a reading of its output in Emacs, still to end or ended with a
// result of its own. The caller holds e.mu.
func (e *Engine) inlineRefused(x *blockState) (string, place, *blockState) {
	ds := x.doc
	if x.task == nil || !x.task.InlineResults || x.addedBy != "" || len(x.instances) != 1 || ds.writtenEmacs() != "" {
		return "", place{}, nil
	}
	in := x.instances[0]
	if failedInline(x, in) {
		// org-babel-eval's nil, a list.
		return org.InlineListError, placeOf(x), x
	}
	if State(in.rec.State) != Finished || in.rec.AttemptID == "" {
		return "", place{}, nil
	}
	// Those write their results with it: among its dependents.
	for _, y := range x.dependents {
		if y == x || y.task == nil || y.task.ResultsWith != x.name || !y.task.Post && !y.task.ReadsOutput {
			continue
		}
		if y.state() != Finished || len(y.instances) == 0 || y.instances[0].rec.AttemptID != "" {
			return "", place{}, nil
		}
	}
	own := x
	if x.task.Post || x.task.ReadsOutput {
		if own = ds.byName[x.task.ResultsWith]; own == nil {
			return "", place{}, nil
		}
	}
	if x.inlineErrOf != in.rec.AttemptID {
		doc, err := e.parsed(ds)
		if err != nil {
			return "", place{}, nil
		}
		at, r, ok, readErr := e.writtenResultRead(ds, doc, x)
		if readErr != nil {
			// Its value not known: no stop, and asked again.
			e.log.Warn("reading an inline block's output for the value Babel writes", "doc", ds.id, "block", x.name, "err", readErr)
			return "", place{}, nil
		}
		x.inlineErr = ""
		if ok {
			x.inlineErr = doc.InlineValueRefused(doc.BlockAt(at), r)
		}
		x.inlineErrOf = in.rec.AttemptID
	}
	if x.inlineErr == "" {
		return "", place{}, nil
	}
	return x.inlineErr, placeOf(own), own
}

// failedInline reports whether x, an inline block's own run, whose one
// instance is in, ran and exited non-zero (not killed, lost, timed out
// or never started): org-babel-eval gives nil for it, which
// org-babel-insert-result refuses inline. Not one with a :post, which
// Emacs runs with that nil and writes the value of.
func failedInline(x *blockState, in *instState) bool {
	if x.task.Post || x.task.ReadsOutput || State(in.rec.State) != Failed || in.rec.AttemptID == "" || in.rec.ExitCode == nil || *in.rec.ExitCode == 0 {
		return false
	}
	for _, y := range x.dependents {
		if y.task != nil && y.task.ResultsWith == x.name && y.task.Post {
			return false
		}
	}
	return true
}
