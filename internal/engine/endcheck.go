package engine

import (
	"context"
	"errors"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// A document whose blocks found in results ran in an Emacs of their own
// (it has no Emacs Lisp block of its own) may have a results document
// Borges refuses (org.ErrFoundMarkNotFound, resultDocument), as may one
// with an Emacs of its own, where Emacs finds a block in results written
// in the buffer that Emacs changed (org.ErrFoundInChangedBuffer), or one
// in results of that Emacs's buffer it could not place among its tasks
// (org.ErrFoundNotPlaced): only
// its write-back finds it. Once its last task has ended, that write-back is
// made once off the lock (endCheck), so that the document's notes
// (writeBackNote) say why at once, before anyone asks for the document:
// `borges status` shows them.

// endCheckWanted has the end check look at ds, touched (docChanged),
// when blocks found in its results may have run in an Emacs of their
// own, or it has an Emacs of its own. The caller holds e.mu.
func (e *Engine) endCheckWanted(ds *docState) {
	if ds.removing || e.endChecks == nil || !ds.planned || ds.foundIn == nil && ds.writtenEmacs() == "" {
		return
	}
	e.endChecks[ds] = struct{}{}
	select {
	case e.endWake <- struct{}{}:
	default:
	}
}

// endCheckLoop makes the end checks wanted (endCheckWanted), one at a
// time, until ctx ends; then none is wanted any more (e.endChecks nil),
// so that nothing is held for a loop that has gone. Counted in e.active
// by Start.
func (e *Engine) endCheckLoop(ctx context.Context) {
	defer e.active.Done()
	defer func() {
		e.mu.Lock()
		e.endChecks = nil
		e.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.endWake:
		}
		e.mu.Lock()
		var due []*docState
		var ends []time.Time
		for ds := range e.endChecks {
			if end, ok := e.endCheckDue(ds); ok {
				due, ends = append(due, ds), append(ends, end)
			}
		}
		clear(e.endChecks)
		e.mu.Unlock()
		for i, ds := range due {
			if ctx.Err() != nil {
				return
			}
			e.endCheck(ctx, ds, ends[i])
		}
	}
}

// endCheckDue reports whether ds has ended (at end) since its last end
// check, and has its results written back in the buffer of an Emacs: its
// own, or the one blocks found in its results ran in (reportedEmacs), and
// the checks of that end that came to nothing are fewer than
// endCheckTries. The caller holds e.mu.
func (e *Engine) endCheckDue(ds *docState) (end time.Time, due bool) {
	if ds.removing || !ds.planned || ds.foundIn == nil && ds.writtenEmacs() == "" {
		return end, false
	}
	br := e.briefOf(ds)
	if br.state == Running || br.finished == nil || ds.ends.checkedAt(*br.finished) {
		return end, false
	}
	if ds.reportedEmacs() == "" {
		return end, false
	}
	return *br.finished, ds.ends.due(*br.finished)
}

// endRecord is what the end check did of a document's ends (docState.ends):
// checked is the end (its last task's) at which it wrote back the
// document's results for writeBackNote (zero: none yet); tries are the
// checks of the end tried that came to nothing (endCheck). The caller
// holds e.mu.
type endRecord struct {
	checked, tried time.Time
	tries          int
}

// checkedAt reports whether end is the end checked.
func (c *endRecord) checkedAt(end time.Time) bool {
	return end.Equal(c.checked)
}

// due reports whether end, not checked, is to be checked: the checks of
// it that came to nothing, counted from when it was first tried, are
// fewer than endCheckTries.
func (c *endRecord) due(end time.Time) bool {
	if !end.Equal(c.tried) {
		c.tried, c.tries = end, 0
	}
	return c.tries < endCheckTries
}

// done notes end checked.
func (c *endRecord) done(end time.Time) {
	c.checked = end
}

// failed notes a check of end that came to nothing, when end is still
// the end tried.
func (c *endRecord) failed(end time.Time) {
	if c.tried.Equal(end) {
		c.tries++
	}
}

// endCheckTries bounds the checks of one end of a document that come to
// nothing (endCheck).
const endCheckTries = 4

// endCheck writes back the results of ds, ended at end, once (writeBack,
// the reports it is decided from read again if they were let go) for what
// it notes (writeBackNote): the text is dropped, made again when asked
// for. That end is checked once the write-back has a definite outcome, of
// the document as it still is: written, or refused
// (org.ErrFoundMarkNotFound, org.ErrFoundInChangedBuffer, org.ErrFoundNotPlaced). Otherwise (a report not read now,
// ErrReportUnread, or the document changed meanwhile) it is checked again
// at the end check's next wake (what changes the document wakes it: the
// read of a report ended, say), up to endCheckTries times.
func (e *Engine) endCheck(ctx context.Context, ds *docState, end time.Time) {
	_, current, err := e.writeBack(ctx, ds.id)
	if err != nil {
		e.log.Debug("the results document at the document's end", "doc", ds.id, "err", err)
	}
	definite := current && (err == nil || errors.Is(err, org.ErrFoundMarkNotFound) || errors.Is(err, org.ErrFoundInChangedBuffer) || errors.Is(err, org.ErrFoundNotPlaced))
	e.mu.Lock()
	defer e.mu.Unlock()
	if definite {
		ds.ends.done(end)
		return
	}
	ds.ends.failed(end)
	if e.endChecks != nil {
		e.endChecks[ds] = struct{}{}
	}
}
