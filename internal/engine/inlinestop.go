package engine

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
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
// (noteInlineValue), and kept on its record: no output is read here.
// The caller holds e.mu.
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
	if State(in.rec.State) != Finished || in.rec.AttemptID == "" || in.rec.InlineStop == "" {
		// Not run, or its value refused by nothing, or not known yet
		// (the blocks after it wait for it: inlineUnknownBefore).
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
// (inlineRefused) and that has not been read for it yet: not in a
// document with an Emacs Lisp block, where no such stop is made. The
// caller holds e.mu.
func inlineValueWanted(b *blockState, in *instState) bool {
	return b.task != nil && b.task.InlineResults && b.addedBy == "" && len(b.instances) == 1 &&
		State(in.rec.State) == Finished && in.rec.AttemptID != "" && !in.rec.InlineRead &&
		(b.doc.plan == nil || b.doc.writtenEmacs() == "")
}

// noteInlineValue starts, once in's attempt has ended, the read of the
// value it ended with when org-babel-insert-result may refuse it inline
// (readInlineValue); that of an attempt before counts no more. The caller
// holds e.mu.
func (e *Engine) noteInlineValue(in *instState) {
	in.rec.InlineRead, in.rec.InlineStop, in.rec.InlineUnread = false, "", false
	if inlineValueWanted(in.block, in) {
		e.readInlineValue(in)
	}
}

// inlineRetry is how an inline block's value is read: each read bounded
// by timeout (and the results' size limit), tried again after a failure,
// waiting first, twice that, and so on up to max, tries times in all.
type inlineRetry struct {
	timeout    time.Duration
	tries      int
	first, max time.Duration
}

// defaultInlineRetry gives up after 8 reads and 11.3 s of waits between
// them, each read itself bounded by 30 s: at most about 4 min in all.
var defaultInlineRetry = inlineRetry{timeout: 30 * time.Second, tries: 8, first: 100 * time.Millisecond, max: 5 * time.Second}

// readInlineValue reads the value of in's finished attempt, off the lock,
// and keeps on its record the error org-babel-insert-result refuses it
// inline with (inlineValueKnown); the blocks after its inline block in
// the buffer wait meanwhile (inlineUnknownBefore). A read that fails is
// tried again (e.cfg.inlineRetry) while the attempt is still in's
// current one (inlineReadCurrent); once every try has failed, the value
// is kept as not read (InlineUnread): no stop, said in the notes. The
// reads end with the engine's context, storing nothing then (a server
// started again reads it again). The caller holds e.mu.
func (e *Engine) readInlineValue(in *instState) {
	attempt := in.rec.AttemptID
	if in.inlineReading == attempt || e.runCtx.Err() != nil || e.readsClosed {
		return
	}
	if in.inlineReading == "" {
		in.block.doc.inlineReads = append(in.block.doc.inlineReads, in)
	}
	in.inlineReading = attempt
	stream, max := resultStream(in.block.task), e.cfg.MaxResultBytes
	doc, block := in.block.doc.id, in.block.name
	ctx, r := e.runCtx, *e.cfg.inlineRetry
	// Counted under e.mu before readsClosed: closeWrites waits for it.
	e.reading.Add(1)
	go func() {
		defer e.reading.Done()
		wait := r.first
		for try := 1; ; try++ {
			rctx, cancel := context.WithTimeout(ctx, r.timeout)
			out, size, err := e.readCappedCtx(rctx, attempt, stream, max)
			cancel()
			known := err == nil || errors.Is(err, fs.ErrNotExist)
			if ctx.Err() != nil {
				return // the engine has stopped: read on its next start
			}
			if !known {
				e.log.Warn("reading an inline block's output for the value Babel writes", "doc", doc, "block", block, "try", try, "err", err)
			}
			if known || try >= r.tries {
				e.inlineValueKnown(ctx, in, attempt, out, size, known)
				return
			}
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return
			}
			if !e.inlineReadGoesOn(ctx, in, attempt) {
				return
			}
			wait = min(2*wait, r.max)
		}
	}()
}

// inlineReadCurrent reports whether the inline value being read for in
// is that of its attempt, finished, of a block of ds still: a read of an
// attempt run again since, or dropped, decides nothing. The caller holds
// e.mu.
func (ds *docState) inlineReadCurrent(in *instState) bool {
	b := in.block
	return in.inlineReading != "" && in.inlineReading == in.rec.AttemptID && State(in.rec.State) == Finished &&
		!in.dropped && ds.byName[b.name] == b
}

// inlineReadGoesOn reports whether the read of in's attempt is to be
// tried again: the engine runs, and that attempt is in's current one
// (inlineReadCurrent); a read that is not is dropped.
func (e *Engine) inlineReadGoesOn(ctx context.Context, in *instState, attempt string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if in.inlineReading != attempt {
		return false // another read took it over
	}
	ds := in.block.doc
	if ctx.Err() == nil && ds.inlineReadCurrent(in) && e.docs[ds.id] == ds && !ds.removing && ds.lazy == nil {
		return true
	}
	in.inlineReading = ""
	ds.inlineReads = slices.DeleteFunc(ds.inlineReads, func(x *instState) bool { return x == in })
	e.docChanged(ds)
	return false
}

// inlineValueKnown keeps on in's record, when its attempt is still
// attempt, finished, the error org-babel-insert-result refuses its value
// out (of a stream of size bytes) inline with, when read (known), or
// that it could not be read, and has the blocks waiting for it decided
// again. Nothing is kept once ctx, the engine's, has ended.
func (e *Engine) inlineValueKnown(ctx context.Context, in *instState, attempt, out string, size int64, known bool) {
	e.mu.Lock()
	ds, b := in.block.doc, in.block
	if in.inlineReading != attempt || ctx.Err() != nil {
		e.mu.Unlock()
		return
	}
	current := ds.inlineReadCurrent(in) && e.docs[ds.id] == ds && !ds.removing && ds.lazy == nil
	in.inlineReading = ""
	ds.inlineReads = slices.DeleteFunc(ds.inlineReads, func(x *instState) bool { return x == in })
	if current {
		in.rec.InlineStop, in.rec.InlineUnread = "", !known
		prev, prevUnread := in.rec.ResultStop, in.rec.ResultStopUnread
		in.rec.ResultStop, in.rec.ResultStopKept, in.rec.ResultStopUnread = e.inlineResultStop(ds, b, attempt, out, size, known)
		if in.rec.ResultStop != prev || in.rec.ResultStopUnread != prevUnread {
			ds.failStopsKnown = false // looked for again
		}
		if known {
			in.rec.InlineStop = e.inlineStopOf(ds, b, out, size)
		}
		in.rec.InlineRead = true
		e.persistLater(in.rec)
	}
	e.docChanged(ds)
	for _, x := range ds.blocks {
		if x.state() == Queued {
			e.touch(x)
		}
	}
	e.mu.Unlock()
	e.poke()
}

// inlineResultStop is, for b, an inline block whose attempt's output
// read is out (of a stream of size bytes; known false when it could not
// be read), whether its results stop org-babel-execute-buffer
// (noteResultStop, which leaves it to this read). The caller holds e.mu.
func (e *Engine) inlineResultStop(ds *docState, b *blockState, attempt, out string, size int64, known bool) (why string, kept, unread bool) {
	doc, err := e.parsed(ds)
	if err != nil {
		return "", false, false
	}
	t := e.ranTask(b)
	if !plan.ResultMayStop(doc, t) {
		return "", false, false
	}
	if !known {
		return "", false, true
	}
	why, kept = e.resultStopIn(doc, b, t, attempt, out, size)
	return why, kept, false
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
	return doc.InlineValueRefused(doc.BlockAt(at), r)
}

// readInlineValues starts the reads of the inline values of ds, read
// from the store, that were not read when their attempts ended (the
// server stopped first, or the record is older than InlineRead), where
// they may still stop a block: one after the inline block in the buffer,
// queued. The others are left unread: no stop, as before. The caller
// holds e.mu.
func (e *Engine) readInlineValues(ds *docState) {
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			if inlineValueWanted(b, in) && ds.queuedAfter(inlineOwner(b)) {
				e.readInlineValue(in)
			}
		}
	}
}

// queuedAfter reports whether a block's own run after own, an inline
// block, in the buffer is queued. The caller holds e.mu.
func (ds *docState) queuedAfter(own *blockState) bool {
	if own == nil {
		return false
	}
	at := placeOf(own)
	for _, b := range ds.blocks {
		if b.task != nil && ownRun(b) && b.state() == Queued && at.before(placeOf(b)) {
			return true
		}
	}
	return false
}

// inlineUnknownBefore is the task whose value, written in place of an
// inline block before b, a block's own run, in the buffer, is being read
// for whether Babel refuses it, which stops the document before b
// (readInlineValue): b waits for it. nil for none. The caller holds e.mu.
func (ds *docState) inlineUnknownBefore(b *blockState) *blockState {
	if len(ds.inlineReads) == 0 || !ownRun(b) {
		return nil
	}
	for _, in := range ds.inlineReads {
		x := in.block
		if !ds.inlineReadCurrent(in) {
			continue
		}
		if own := inlineOwner(x); own != nil && placeOf(own).before(placeOf(b)) {
			return x
		}
	}
	return nil
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
