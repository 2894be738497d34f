package engine

import (
	"slices"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

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
// result of its own. The value is read once, when the attempt ended
// (noteAttemptEnd, endReadKnown), and kept on its record: no output is read here.
// The caller holds e.mu.
func (e *Engine) inlineRefused(x *blockState) (string, place, *blockState) {
	if x.task == nil || !x.task.InlineResults || x.addedBy != "" && x.addedBefore == nil || len(x.instances) != 1 {
		return "", place{}, nil
	}
	in := x.instances[0]
	if failedInline(x, in) {
		// org-babel-eval's nil, a list.
		if x.addedBefore != nil {
			return org.InlineListError, *x.addedBefore, x
		}
		return org.InlineListError, placeOf(x), x
	}
	if State(in.rec.State) != Finished || in.rec.AttemptID == "" || in.rec.InlineStop == "" {
		// Not run, or its value refused by nothing, or not known yet
		// (the blocks after it wait for it: endReadHolds).
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
	own := inlineOwner(x)
	if own == nil {
		return "", place{}, nil
	}
	if own.addedBefore != nil {
		// Added to the buffer: Emacs stops there, before the
		// submitted document's block after it.
		return in.rec.InlineStop, *own.addedBefore, own
	}
	return in.rec.InlineStop, placeOf(own), own
}

// inlineOwner is the inline block x, a task whose result is written in
// its place, writes it for: x, or the block of its :post or reading;
// nil when that is gone.
func inlineOwner(x *blockState) *blockState {
	if x.task.Post || x.task.ReadsOutput {
		return x.doc.byName[x.task.ResultsWith]
	}
	return x
}

// inlineValueWanted reports whether in, the instance of b, has finished
// an attempt whose value org-babel-insert-result may refuse inline
// (inlineRefused) and that has not been read for it yet. The caller
// holds e.mu.
func inlineValueWanted(b *blockState, in *instState) bool {
	return b.task != nil && b.task.InlineResults && (b.addedBy == "" || b.addedBefore != nil) && len(b.instances) == 1 &&
		State(in.rec.State) == Finished && in.rec.AttemptID != "" && !in.rec.InlineRead
}

// inlineStopOf is the error org-babel-insert-result signals for the value
// of b's finished attempt, whose output read is out (of a stream of size
// bytes), written in place of its inline block; "" for none, or when its
// results are not as Babel writes them (writtenResultRead). The caller
// holds e.mu.
func (e *Engine) inlineStopOf(ds *docState, b *blockState, out string, size int64) string {
	doc, err := e.parsed(ds)
	if err != nil || resultsStayOf(b.instances[0]) {
		return ""
	}
	at, ok := ds.redirectedResults(b)
	if !ok {
		return ""
	}
	var refs map[string]plan.Value
	if b.task.Cache {
		refs = e.refsOf(b)
	}
	r, err := finishedOf(doc, b.task, out, size, refs)
	if err != nil || !asWritten(r) {
		return ""
	}
	return plan.InlineValueRefusedIn(doc, b.task, at, r)
}

// failedInline reports whether x, an inline block's own run, whose one
// instance is in, ran and exited non-zero (not killed, lost, timed out
// or never started): org-babel-eval gives nil for it, which
// org-babel-insert-result refuses inline. Not one with a :post, which
// Emacs runs with that nil and writes the value of.
func failedInline(x *blockState, in *instState) bool {
	return exitedInline(x, in) && !hasPost(x)
}

// exitedInline reports whether x, an inline block's own run (one of the
// document's, or one an Emacs Lisp block added, not one found in
// results), whose one instance is in, ran and exited non-zero (not
// killed, lost, timed out or never started). Not a Python or Ruby value
// block (plan.FailedFromFile): Babel reads its value file whatever
// org-babel-eval gave, the empty text, which Org writes inline, and goes
// on; such a block's place says it failed, as any failed block's does.
func exitedInline(x *blockState, in *instState) bool {
	return x.task.InlineResults && !x.task.Post && !x.task.ReadsOutput && (x.addedBy == "" || x.addedBefore != nil) &&
		!plan.FailedFromFile(x.task) && exitedNonZero(&in.rec)
}

// exitedNonZero reports whether rec's attempt failed with an exit status
// above 0 that its program gave, which org-babel-eval turns into nil: not
// one Borges's own :timeout ended, whose status is that of its kill (its
// backend says so: Update.TimedOut, store.Instance.AttemptTimedOut). Emacs has no :timeout and runs each block
// to its end, so it has no nil for such a block to stop on: it fails as
// a timed-out block of any language does, saying so, as a killed one.
func exitedNonZero(rec *store.Instance) bool {
	return State(rec.State) == Failed && rec.AttemptID != "" && rec.ExitCode != nil && *rec.ExitCode > 0 &&
		!rec.AttemptTimedOut()
}

// hasPost reports whether x's block has a :post among its dependents.
func hasPost(x *blockState) bool {
	return slices.ContainsFunc(x.dependents, func(y *blockState) bool {
		return y.task != nil && y.task.ResultsWith == x.name && y.task.Post
	})
}

// failedInlineNil reports whether b is an inline block's own run that
// exited non-zero and has a :post, which Emacs calls with
// org-babel-eval's nil (plan.FailedValue) as *this*: for its :post, it
// has finished with that value, which the :post's value, written in its
// place or refused there (inlineRefused), stands for. Not one whose
// failure stops Emacs (its attempt's ResultStop, noteAttemptEnd: a Perl
// block :results output, whose nil ob-perl inserts as text inside
// org-babel-execute:perl, before Babel calls the :post): its :post is
// not run. The caller holds e.mu.
func failedInlineNil(b *blockState) bool {
	if len(b.instances) != 1 || !exitedInline(b, b.instances[0]) || b.instances[0].rec.ResultStop != "" {
		return false
	}
	if _, ok := plan.FailedValue(b.task); !ok {
		return false
	}
	return hasPost(b)
}
