package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// When a block's attempt ends, its output may decide whether Emacs stops
// the document there: its results may stop org-babel-execute-buffer
// (plan.ResultMayStop: a table the exporter leaves nothing of, column
// names that are a rule, raw bytes a language writes to a file, ...), or,
// written in place of an inline block, Babel may refuse its value
// (inlinestop.go). That output is read once, off the engine's lock, each
// read bounded (a deadline, the results' size limit), tried again after a
// failure: the attempt-end read. It keeps on the instance's record what it
// found (store.Instance.ResultStop, ResultStopKept, ResultStopUnread,
// InlineStop, ...) and fills what the blocks referring to the block read
// of it (blockState.result), of the same read. Meanwhile the blocks after
// it in the buffer that have not started, and the blocks that refer to it,
// wait (endReadHolds).

// endReadRetry is how the output of an attempt is read when it ends: each
// read bounded by timeout (and the results' size limit), tried again after
// a failure, waiting first, twice that, and so on up to max, tries times
// in all.
type endReadRetry struct {
	timeout    time.Duration
	tries      int
	first, max time.Duration
}

// defaultEndReadRetry gives up after 8 reads and 11.3 s of waits between
// them, each read itself bounded by 30 s: at most about 4 min in all. An
// output read only for whether its results stop Emacs is read at most
// resultReadTries times.
var defaultEndReadRetry = endReadRetry{timeout: 30 * time.Second, tries: 8, first: 100 * time.Millisecond, max: 5 * time.Second}

// resultReadTries is how many times, at most, the output of a block that
// is no inline value is read for whether its results stop Emacs.
const resultReadTries = 2

// clearEndRead forgets what an attempt-end read found of an attempt:
// its result stop, its inline value, and whether it is still read.
func clearEndRead(rec *store.Instance) {
	rec.ResultStop, rec.ResultStopUnread, rec.ResultStopKept = "", false, false
	rec.InlineRead, rec.InlineStop, rec.InlineUnread = false, "", false
	rec.ResultStopReading, rec.FoundAfterRead = false, false
	rec.EndUndecided = false
}

// noteAttemptEnd finds, once in's attempt has ended, what its output
// decides of a stop: for a finished attempt whose results may stop Emacs
// (resultReadWanted), or whose value Babel may refuse inline
// (inlineValueWanted), it starts the read of its output, off the lock
// (readAtEnd); for an attempt that failed, whose value Babel has as nil,
// it finds whether its results stop Emacs, with no read. What was found
// for an attempt before counts no more. The caller holds e.mu.
func (e *Engine) noteAttemptEnd(in *instState) {
	b, rec := in.block, &in.rec
	prev, prevUnread := rec.ResultStop, rec.ResultStopUnread
	clearEndRead(rec)
	if rec.AttemptID != "" {
		if _, wait := e.ranTaskWait(b); wait != nil {
			// The task it ran is decided from a report being read:
			// decided once it is (endsDecided), not from the task
			// as submitted, which is not what the buffer ran; by a
			// server started again, should this one stop first.
			wait.holdEnd(in, rec.AttemptID)
			rec.EndUndecided = true
			if rec.ResultStop != prev || rec.ResultStopUnread != prevUnread {
				b.doc.failStopsSync.forget()
			}
			return
		}
	}
	switch {
	case rec.AttemptID == "":
	case e.resultReadWanted(b, in):
		rec.ResultStopReading = true // kept across a restart until read
		rec.FoundAfterRead = true    // its results searched once read
		e.readAtEnd(in)
	case inlineValueWanted(b, in), valueReadWanted(b, in):
		e.readAtEnd(in)
	case resultStopRun(b) && exitedNonZero(rec):
		// Failed, no output read: Babel's value is nil, which
		// stops Emacs where its results would have (column names
		// that are a rule), or where its language's function uses
		// it as text (plan.FailedNilStops), a :post's task's too:
		// Babel runs its block inside the :post, and Emacs stops at
		// the chain's block, its results as they were
		// (stopsChain). Not for an attempt Borges's own :timeout
		// ended (exitedNonZero).
		if doc, err := e.parsed(b.doc); err == nil && (plan.ResultMayStop(doc, b.task) || plan.FailedNilStops(doc, b.task)) {
			t := e.ranTask(b)
			rec.ResultStop = plan.FailureStop(doc, t, e.refsOfTask(b, t))
			rec.ResultStopKept = plan.ResultStopKept(rec.ResultStop, false)
		}
	}
	if rec.ResultStop != prev || rec.ResultStopUnread != prevUnread {
		b.doc.failStopTouched(b) // looked for again
	}
}

// resultReadWanted reports whether in, the instance of b, a block's own
// run (or a call a block :eval refuses makes: resultRun), has finished an attempt whose results may stop Emacs
// (plan.ResultMayStop, known from its block alone): its output is read for
// it. A plain block's never is. The caller holds e.mu.
func (e *Engine) resultReadWanted(b *blockState, in *instState) bool {
	if !resultStopRun(b) || State(in.rec.State) != Finished || in.rec.AttemptID == "" {
		return false
	}
	doc, err := e.parsed(b.doc)
	return err == nil && plan.ResultMayStop(doc, e.ranTask(b))
}

// valueReadWanted reports whether in, the instance of b, has finished an
// attempt whose value a block depending on b reads (refsOf: valueOf of
// the blocks it runs after), not known yet: read at its end, off the
// lock (the read of a block whose results may stop Emacs makes it too:
// resultStopIn). The caller holds e.mu.
func valueReadWanted(b *blockState, in *instState) bool {
	return b.result == nil && b.instances[0] == in && State(in.rec.State) == Finished && in.rec.AttemptID != "" &&
		slices.ContainsFunc(b.dependents, func(d *blockState) bool { return d.task != nil && slices.Contains(d.task.After, b.name) })
}

// readAtEnd reads the output of in's finished attempt, off the lock, and
// keeps on its record what it decides (endReadKnown); the blocks it may
// stop, and those referring to it, wait meanwhile (endReadHolds). A read
// that fails is tried again (e.cfg.endRead) while the attempt is still
// in's current one (endReadCurrent); once every try has failed, the
// output is kept as not read (ResultStopUnread, InlineUnread): no stop,
// said in the notes. The reads end with the engine's context, storing
// nothing then (a server started again reads it again: readAtEndAgain),
// and as the document is removed (docReads; a removal that fails reads
// it again: endReadsAgain).
// The caller holds e.mu.
func (e *Engine) readAtEnd(in *instState) {
	attempt := in.rec.AttemptID
	if in.endReading == attempt || e.runCtx.Err() != nil || e.readsClosed {
		return
	}
	if in.endReading == "" {
		in.block.doc.endReads = append(in.block.doc.endReads, in)
	}
	in.endReading = attempt
	stream, max := resultStream(e.ranTask(in.block)), e.cfg.MaxResultBytes
	doc, block := in.block.doc.id, in.block.name
	// Output past the results' size limit is read whole, for what
	// utf-8-unix cannot encode, where its stop hangs on nothing else
	// (plan.PastCapMayStop).
	pastCap := false
	if parsed, err := e.parsed(in.block.doc); err == nil {
		pastCap = plan.PastCapMayStop(parsed, e.ranTask(in.block))
	}
	// The document's reads context, not the engine's: removing the
	// document ends a read held by a slow backend at once (docReads),
	// and the removal waits for it to end (readsEnded).
	ctx, readDone := e.docReads(in.block.doc)
	r := *e.cfg.endRead
	if !inlineValueWanted(in.block, in) {
		// Results that may stop Emacs, read for nearly every block:
		// one quick try again, then not read (the notes say so),
		// as a backend that cannot read logs would otherwise hold
		// every block end for the whole back-off.
		r.tries = min(r.tries, resultReadTries)
	}
	// Counted under e.mu before readsClosed: closeWrites waits for it.
	e.reading.start()
	go func() {
		defer e.reading.done()
		defer readDone()
		r.each(ctx, func(rctx context.Context, try int) bool {
			out, size, err := e.readCappedCtx(rctx, attempt, stream, max)
			var unencodable *bool
			if err == nil && pastCap && size > int64(len(out)) {
				// Not scanned (unencodable nil): its stop not
				// known (endResultStop). A failed read is tried
				// again, but as not there (the output read whole
				// is "known", and nothing in it).
				found, serr := e.scanUnencodable(rctx, attempt, stream, out, size)
				switch {
				case serr == nil:
					unencodable = &found
				case !errors.Is(serr, errScanTooLong) && try < r.tries:
					err = fmt.Errorf("scanning the output past the results' size limit: %v", serr) // %v: never fs.ErrNotExist
				}
			}
			known := err == nil || errors.Is(err, fs.ErrNotExist)
			if ctx.Err() != nil {
				return true // the engine has stopped (read on its next start), or the document is removed
			}
			if !known {
				e.log.Warn("reading a block's output once it ended, for whether it stops org-babel-execute-buffer", "doc", doc, "block", block, "try", try, "err", err)
			}
			if known || try >= r.tries {
				e.endReadKnown(ctx, in, attempt, stream, out, size, known, unencodable)
				return true
			}
			return false
		}, func() bool { return e.endReadGoesOn(ctx, in, attempt) })
	}()
}

// each makes read, each under a context bounded by r.timeout (try
// counting them from 1), until it says it is done, waiting between
// them (r.first, then twice that, and so on up to r.max) and going on
// only while goOn says so (nil: always); it stops once ctx has ended.
func (r endReadRetry) each(ctx context.Context, read func(rctx context.Context, try int) (done bool), goOn func() bool) {
	wait := r.first
	for try := 1; ; try++ {
		rctx, cancel := context.WithTimeout(ctx, r.timeout)
		done := read(rctx, try)
		cancel()
		if done || ctx.Err() != nil {
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
		if goOn != nil && !goOn() {
			return
		}
		wait = min(2*wait, r.max)
	}
}

// endReadCurrent reports whether the output being read for in is that of
// its attempt, finished, of a block of ds still: a read of an attempt run
// again since, or dropped, decides nothing. The caller holds e.mu.
func (ds *docState) endReadCurrent(in *instState) bool {
	b := in.block
	return in.endReading != "" && in.endReading == in.rec.AttemptID && State(in.rec.State) == Finished &&
		!in.dropped && ds.byName[b.name] == b
}

// endReadLive reports whether the read of in's output still decides
// something: current (endReadCurrent), in a document of e, loaded and
// not being removed. The caller holds e.mu.
func (e *Engine) endReadLive(ctx context.Context, in *instState) bool {
	ds := in.block.doc
	return ctx.Err() == nil && ds.endReadCurrent(in) && e.docs[ds.id] == ds && !ds.removing && ds.lazy == nil
}

// endReadDone forgets the read of in's output, and has the blocks it held
// (endHeld) decided again. The caller holds e.mu.
func (e *Engine) endReadDone(in *instState) {
	ds := in.block.doc
	in.endReading = ""
	ds.endReads = slices.DeleteFunc(ds.endReads, func(x *instState) bool { return x == in })
	e.wakeHeld(in)
}

// wakeHeld has the blocks held by a read of in's attempt (endHeld)
// decided again. The caller holds e.mu.
func (e *Engine) wakeHeld(in *instState) {
	ds := in.block.doc
	e.touchHeld(ds, in.endHeld)
	in.endHeld = nil
	// Its stop, known now, may stand before the one that held blocks.
	e.toRehold(ds)
	e.poke()
}

// touchHeld has the blocks of held that are still ds's decided again,
// once the read that held them has ended. The caller holds e.mu.
func (e *Engine) touchHeld(ds *docState, held map[*blockState]bool) {
	for b := range held {
		if ds.byName[b.name] == b {
			e.touch(b)
		}
	}
}

// holdAtEnd keeps b, held by the read of in's output (endReadHolds),
// to be decided again once that read ends. The caller holds e.mu.
func (in *instState) holdAtEnd(b *blockState) {
	if in.endHeld == nil {
		in.endHeld = map[*blockState]bool{}
	}
	in.endHeld[b] = true
}

// endReadGoesOn reports whether the read of in's attempt is to be tried
// again: the engine runs, and the read still decides something
// (endReadLive); a read that does not is dropped.
func (e *Engine) endReadGoesOn(ctx context.Context, in *instState, attempt string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if in.endReading != attempt {
		return false // another read took it over
	}
	if e.endReadLive(ctx, in) {
		return true
	}
	e.endReadDone(in)
	e.docChanged(in.block.doc)
	return false
}

// endReadKnown keeps on in's record, when its attempt is still attempt,
// finished, what its output out (of a stream of size bytes), read from
// stream, decides: whether its results stop Emacs, and whether Babel
// refuses its value inline; or, not known, that it could not be read. It
// has the blocks waiting for it decided again (endReadDone). Nothing is kept once ctx,
// the engine's, has ended.
func (e *Engine) endReadKnown(ctx context.Context, in *instState, attempt, stream, out string, size int64, known bool, unencodable *bool) {
	e.mu.Lock()
	ds, b := in.block.doc, in.block
	if in.endReading != attempt || ctx.Err() != nil {
		e.mu.Unlock()
		return
	}
	live := e.endReadLive(ctx, in)
	e.endReadDone(in)
	if live {
		rec := &in.rec
		inline := inlineValueWanted(b, in)
		searched := searchesAfterRead(rec)
		prev, prevUnread := rec.ResultStop, rec.ResultStopUnread
		if rec.ResultStopReading || ownRun(b) {
			// Not for a value alone (valueReadWanted) of a block
			// whose results' stop no one reads: one added to the
			// document, or run for a reference.
			rec.ResultStop, rec.ResultStopKept, rec.ResultStopUnread = e.endResultStop(ds, b, attempt, stream, out, size, known, unencodable)
		}
		rec.ResultStopReading, rec.FoundAfterRead = false, false
		if rec.ResultStop != prev || rec.ResultStopUnread != prevUnread {
			ds.failStopTouched(b) // looked for again
		}
		if known && valueReadWanted(b, in) && resultStream(b.task) == stream {
			// What the blocks waiting for it read of it (valueOf), made
			// of this one read; not known, read when they ask for it.
			v := e.valueIn(b, plan.ResultText(b.task, out))
			b.result = &v
		}
		if inline {
			rec.InlineStop, rec.InlineUnread = "", !known
			if known && resultStream(b.task) == stream {
				rec.InlineStop = e.inlineStopOf(ds, b, out, size)
			}
			rec.InlineRead = true
		}
		if searched {
			in.endOut = &endOutput{attempt: attempt, stream: stream, out: out, size: size, known: known}
			e.foundAfterRead(ds, b, rec)
			in.endOut = nil
		} else {
			e.persistLater(*rec)
		}
	}
	e.docChanged(ds)
	e.mu.Unlock()
	e.poke()
}

// endOutput is the output of attempt, read from stream by its
// attempt-end read (readAtEnd): out, of a stream of size bytes; known
// false when it could not be read.
type endOutput struct {
	attempt, stream, out string
	size                 int64
	known                bool
}

// endResult is the result b's finished attempt, run as its task, writes,
// made of the output its attempt-end read read (instState.endOut) while
// its results are searched once that read ended (foundAfterRead); ok
// false when no such read is at hand. read is false when that read
// failed: its results, not known, are not searched (the notes say so:
// resultStopsUnread), and not read again under the engine's lock, with
// no deadline. The caller holds e.mu.
func (e *Engine) endResult(doc *org.Document, b *blockState, refs map[string]plan.Value) (r org.Result, read, ok bool, err error) {
	in := b.instances[0]
	o := in.endOut
	if o == nil || o.attempt != in.rec.AttemptID || o.stream != resultStream(b.task) {
		return org.Result{}, false, false, nil
	}
	if !o.known {
		return org.Result{}, false, true, nil
	}
	r, err = finishedOf(doc, b.task, o.out, o.size, refs)
	return r, true, true, err
}

// foundAfterRead adds the blocks org-babel-execute-buffer finds in the
// results of b, whose instance's record is rec, once the read of its
// output has decided whether they stop Emacs (the search passes over
// results being read: writtenResultRead): none when Emacs stops before it
// writes them. rec is stored with what the search changed, as when an
// attempt ends (updates.go): before the lock is let go when blocks are
// added, which may launch then. The caller holds e.mu.
func (e *Engine) foundAfterRead(ds *docState, b *blockState, rec *store.Instance) {
	added, r, gone := e.foundInResults(ds, b)
	gone.follow(r)
	e.tracked += len(added)
	others := copyRecs(append(added, r.recs...))
	if e.docs[ds.id] == ds && !ds.removing {
		// The blocks a stop holds say where it stands now, before the
		// lock is let go, as when an attempt ends (updates.go): the
		// search may have moved the blocks found (foundLinesIn), and a
		// view of the document, ended, taken before the next pass would
		// have the stop's block at its new line and the blocks it
		// holds naming the line the search passing over these results
		// gave it.
		others = append(others, copyRecs(e.rehold(ds))...)
	}
	dropping := len(gone.recs)+len(gone.kills)+len(gone.sessions) > 0
	switch {
	case len(others) > 0:
		if err := e.awaitWrite(e.queueChange(append([]*store.Instance{rec}, others...), gone.recs)); err != nil {
			e.log.Error("storing the blocks found in a block's results", "doc", ds.id, "err", err)
		}
		if dropping {
			go e.forgetDropped(pendingWrite{}, gone)
		}
	case dropping:
		go e.forgetDropped(e.queueChange([]*store.Instance{rec}, gone.recs), gone)
	default:
		e.persistLater(*rec)
	}
}

// endResultStop is, for b, whose attempt's output read from stream is out
// (of a stream of size bytes; known false when it could not be read),
// whether its results stop org-babel-execute-buffer, kept (Emacs stops
// before it writes them) and not known (unread); what the blocks referring
// to b read of it is made of the same read (resultStopIn). The caller
// holds e.mu.
func (e *Engine) endResultStop(ds *docState, b *blockState, attempt, stream, out string, size int64, known bool, unencodable *bool) (why string, kept, unread bool) {
	doc, err := e.parsed(ds)
	if err != nil {
		return "", false, false
	}
	t := e.ranTask(b)
	if !plan.ResultMayStop(doc, t) {
		return "", false, false
	}
	if !known {
		e.log.Warn("reading a block's output for whether its results stop org-babel-execute-buffer: not known", "doc", ds.id, "block", b.name)
		return "", false, true
	}
	if resultStream(t) != stream {
		// Run as another task since the read began: read as that
		// one's once it ends.
		return "", false, false
	}
	if size > int64(len(out)) && unencodable == nil && plan.PastCapMayStop(doc, t) {
		// Its stop hangs on the whole output, which was not scanned
		// (readAtEnd): not known.
		e.log.Warn("reading a block's output past the results' size limit for whether its results stop org-babel-execute-buffer: not known", "doc", ds.id, "block", b.name)
		return "", false, true
	}
	why, kept = e.resultStopIn(doc, b, t, attempt, out, size, unencodable)
	return why, kept, false
}

// resultStopIn is plan.ResultStop of b's attempt, run as t, whose output
// read is out, of a stream of size bytes (endResultStop), for a block
// whose results may stop Emacs; what the blocks referring to b read of it
// is made of the same read; kept that Emacs stops before it writes them
// (store.Instance.ResultStopKept). For output past the results' size
// limit, written verbatim under a note, only the stop that hangs on
// nothing it holds but what utf-8-unix cannot encode, where the whole
// was read for that (unencodable not nil: plan.PastCapStop). The caller
// holds e.mu.
func (e *Engine) resultStopIn(doc *org.Document, b *blockState, t *plan.Task, attempt, out string, size int64, unencodable *bool) (why string, kept bool) {
	if len(b.dependents) > 0 && b.instances[0].rec.AttemptID == attempt && resultStream(b.task) == resultStream(t) {
		// What the blocks referring to it read of it (valueOf), made
		// of this one read.
		v := e.valueIn(b, plan.ResultText(b.task, out))
		b.result = &v
	}
	if size > int64(len(out)) {
		if unencodable == nil {
			return "", false
		}
		// Emacs writes none of its results.
		why := plan.PastCapStop(doc, t, *unencodable)
		return why, why != ""
	}
	why, written := plan.ResultStop(doc, t, out, e.refsOfTask(b, t))
	return why, plan.ResultStopKept(why, written)
}

// readAtEndAgain starts the attempt-end reads of ds, read from the store,
// that did not end before the server stopped: each, whatever is queued,
// since its record and the notes keep the stop it finds; and, for an
// inline value whose record is older than InlineRead, where it may still
// stop a block (queuedAfter). A record older than ResultStopReading found
// its results' stop when the attempt ended: not read again. The caller
// holds e.mu.
func (e *Engine) readAtEndAgain(ds *docState) {
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			switch atStartAgain(ds, b, in) {
			case startDecides:
				// Its end waited for the read of a report, read
				// again now (readReportsAgain): decided once read.
				e.noteAttemptEnd(in)
				e.persistLater(in.rec)
			case startReads:
				e.readAtEnd(in)
			}
		}
	}
}

// What a start does again for an instance (atStartAgain).
const (
	startLeaves = iota
	startDecides
	startReads
)

// atStartAgain is what readAtEndAgain does for in: decide its end left
// undecided, or read its output again. The caller holds e.mu.
func atStartAgain(ds *docState, b *blockState, in *instState) int {
	switch {
	case endUndecided(in):
		return startDecides
	case endReadAgainWanted(ds, b, in):
		return startReads
	}
	return startLeaves
}

// readAgainAfterRemoval reports whether endReadsAgain reads in's output
// again: wanted, its end decided. The caller holds e.mu.
func readAgainAfterRemoval(ds *docState, b *blockState, in *instState) bool {
	return !endUndecided(in) && endReadAgainWanted(ds, b, in)
}

// endUndecided reports whether in's attempt ended while its end waited
// for the read of a report (reportWait.holdEnd), left undecided on its
// record (store.Instance.EndUndecided): what a start (readAtEndAgain)
// and a removal that failed (undecidedEndsAgain) decide again, and what
// no read of its output is made again for (endReadsAgain) until it is
// decided. The caller holds e.mu.
func endUndecided(in *instState) bool {
	return in.rec.EndUndecided && in.rec.AttemptID != "" && State(in.rec.State).Terminal()
}

// endReadAgainWanted reports whether in's output is to be read again
// where its read was cut short (a server started again, a removal that
// failed): its results' stop is kept on the record and said in the
// notes, whatever is queued; its inline value decides only while a block
// after it is queued. The caller holds e.mu.
func endReadAgainWanted(ds *docState, b *blockState, in *instState) bool {
	if State(in.rec.State) != Finished || in.rec.AttemptID == "" {
		return false
	}
	return in.rec.ResultStopReading || inlineValueWanted(b, in) && ds.queuedAfter(inlineOwner(b))
}

// endReadsAgain makes again, once ds's removal has failed (unremove), the
// reads of its blocks' outputs that the removal ended (docReads) and
// that still decide something (endReadAgainWanted); the others are
// forgotten, the blocks they held decided again (endReadDone). A read
// that ended while the removal went on stored nothing (endReadLive): it
// is made again too. The caller holds e.mu.
func (e *Engine) endReadsAgain(ds *docState) {
	for _, in := range slices.Clone(ds.endReads) {
		if readAgainAfterRemoval(ds, in.block, in) {
			// Made anew below, the blocks it held held still.
			in.endReading = ""
			ds.endReads = slices.DeleteFunc(ds.endReads, func(x *instState) bool { return x == in })
			continue
		}
		e.endReadDone(in)
	}
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			if readAgainAfterRemoval(ds, b, in) {
				e.readAtEnd(in)
			}
		}
	}
}

// queuedAfter reports whether a block's own run after own, an inline
// block, in the buffer is queued, a block an Emacs Lisp block added
// among them (addedRun) included; false for no own. The caller holds
// e.mu.
func (ds *docState) queuedAfter(own *blockState) bool {
	if own == nil {
		return false
	}
	p := placeOf(own)
	if own.addedBefore != nil {
		// Added to the buffer: where it stops (endReadPlace), and the
		// added blocks at or after that place are after it too, as
		// endReadHolds holds them.
		p = *own.addedBefore
	}
	for _, b := range ds.blocks {
		if b.task == nil || b == own || b.state() != Queued {
			continue
		}
		if ownRun(b) && p.before(placeOf(b)) || addedRun(b) && !b.addedBefore.before(p) {
			return true
		}
	}
	return false
}

// runsUnstarted reports whether in, a queued instance, is decided as one
// that has not started, the scheduler and the views alike: never tried
// (an attempt of an intent its backend did not know is none), a reading
// of a block's output in Emacs (run whenever its block's output needs
// it), or held by a failure stop and queued again when the task holding
// it ran again, that task now ended or gone (lifted, as its record says,
// a server started since or not). A stop before it, or a read that may
// find one (endReadHolds), holds it; not one that ran, nor one run again
// on request. The caller holds e.mu.
func (in *instState) runsUnstarted() bool {
	return in.rec.Tries() == 0 && in.rec.FinishedAt == nil || in.block.task.ReadsOutput || in.rec.WaitsFor != ""
}

// endReadHolds is the instance of the task whose output is being read
// once its attempt ended (readAtEnd) that b, queued, waits for, nil for
// none: b refers to it (its value is made of that read), or b is a
// block's own run that has not started (notStarted: runsUnstarted)
// after the place the task's stop would be made at (endReadPlace), or a
// run a reference makes (refRun) whose referrer's turn (refTurn) is. The
// caller holds e.mu.
func (ds *docState) endReadHolds(b *blockState, notStarted bool) *instState {
	if len(ds.endReads) == 0 {
		return nil
	}
	for _, in := range ds.endReads {
		x := in.block
		if !ds.endReadCurrent(in) || x == b {
			continue
		}
		if slices.Contains(x.dependents, b) {
			return in
		}
		if notStarted && addedRun(b) {
			// An added block, placed among the submitted
			// document's blocks: held at that place too, whichever
			// stands first in the buffer there (decided once read).
			// Only by a place in the submitted document's lines
			// (addedStopHolds): an added task's own stop place is a
			// line of the buffer, an added inline block's is not, nor
			// that of the call of an added refused block.
			if madeByAdded(x) && !addedCallRun(x) && (x.task == nil || !x.task.InlineResults) {
				continue
			}
			if p, ok := in.holdPlace(); ok && !b.addedBefore.before(p) {
				return in
			}
			continue
		}
		if !notStarted {
			continue
		}
		var turn place
		switch {
		case ownRun(b):
			turn = placeOf(b)
		case refRun(b):
			// Made at its referrer's turn: held by that place.
			t, ok := refTurnPlace(b)
			if !ok {
				continue
			}
			turn = t
		default:
			continue
		}
		if p, ok := in.holdPlace(); ok && p.before(turn) {
			return in
		}
	}
	return nil
}

// heldPlace is endReadPlace of the read of an attempt's output, found
// while the record said reading (store.Instance.ResultStopReading) and
// the document's links were links (docState.links).
type heldPlace struct {
	attempt string
	links   uint64
	reading bool
	p       place
	ok      bool
}

// holdPlace is endReadPlace of the read of in's output being made,
// found once for that read and kept while the document's blocks, their
// tasks and their dependents stand (docState.links): every queued block
// after it, at every pass and view while it is read, is held or not by
// the same place. The caller holds e.mu.
func (in *instState) holdPlace() (place, bool) {
	x := in.block
	h := &in.heldAt
	if h.attempt == "" || h.attempt != in.endReading || h.links != x.doc.links || h.reading != in.rec.ResultStopReading {
		p, ok := endReadPlace(x, in)
		*h = heldPlace{attempt: in.endReading, links: x.doc.links, reading: in.rec.ResultStopReading, p: p, ok: ok}
	}
	return h.p, h.ok
}

// linksChanged has the places attempt-end reads hold blocks from found
// again (holdPlace): a block came or went, took another task, or waits
// for others. The caller holds e.mu.
func (ds *docState) linksChanged() { ds.links++ }

// addDependent has d among b's dependents (woken by its ends), a link
// changed (linksChanged). The caller holds e.mu.
func (b *blockState) addDependent(d *blockState) {
	b.dependents = append(b.dependents, d)
	b.doc.linksChanged()
}

// endReadPlace is the first place in the buffer a stop that the read of
// x's output, in's attempt, may find is made at: that of its results
// (stopPlace) or, for a value written in place of an inline block, that
// block's. ok is false for none. The caller holds e.mu.
func endReadPlace(x *blockState, in *instState) (p place, ok bool) {
	x.doc.endPlacesFound++
	if in.rec.ResultStopReading {
		p, _ = stopPlace(x)
		ok = true
	}
	if own := inlineOwner(x); x.task.InlineResults && own != nil {
		q := placeOf(own)
		if own.addedBefore != nil {
			// Added to the buffer: where it stops (inlineRefused).
			q = *own.addedBefore
		}
		if !ok || q.before(p) {
			p, ok = q, true
		}
	}
	return p, ok
}

// endReadWhy is what a block waiting for the read of in's output
// (endReadHolds) waits for, as a view says it.
func endReadWhy(in *instState) string {
	x := in.block
	switch {
	case x.task != nil && x.task.InlineResults:
		return x.name + " (its value, which Babel may refuse inline, being read)"
	case in.rec.ResultStopReading:
		return x.name + " (its output being read, for whether its results stop Emacs)"
	}
	return x.name + " (its output being read, for its value)"
}
