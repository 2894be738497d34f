package engine

import "context"

// A document whose blocks found in results ran in an Emacs of their own
// (it has no Emacs Lisp block of its own) may have a results document
// Borges refuses (org.ErrFoundMarkNotFound, resultDocument), which only
// its write-back finds. Once its last task has ended, that write-back is
// made once off the lock (endCheck), so that the document's notes
// (writeBackNote) say why at once, before anyone asks for the document:
// `borges status` shows them.

// endCheckWanted has the end check look at ds, touched (docChanged),
// when blocks found in its results may have run in an Emacs of their
// own. The caller holds e.mu.
func (e *Engine) endCheckWanted(ds *docState) {
	if ds.foundIn == nil || ds.removing || e.endChecks == nil {
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
		var ids []string
		for ds := range e.endChecks {
			if id, ok := e.endCheckDue(ds); ok {
				ids = append(ids, id)
			}
		}
		clear(e.endChecks)
		e.mu.Unlock()
		for _, id := range ids {
			if ctx.Err() != nil {
				return
			}
			e.endCheck(ctx, id)
		}
	}
}

// endCheckDue reports whether ds has ended since its last end check, and
// has its results written back in the buffer of the Emacs blocks found in
// its results ran in (reportedEmacs, with no Emacs of its own): it is
// marked checked at that end. The caller holds e.mu.
func (e *Engine) endCheckDue(ds *docState) (string, bool) {
	if ds.removing || !ds.planned || ds.foundIn == nil || ds.writtenEmacs() != "" {
		return "", false
	}
	br := e.briefOf(ds)
	if br.state == Running || br.finished == nil || br.finished.Equal(ds.endChecked) {
		return "", false
	}
	if ds.reportedEmacs() == "" {
		return "", false
	}
	ds.endChecked = *br.finished
	return ds.id, true
}

// endCheck writes back document id's results once (ResultDocument, the
// reports it is decided from read again if they were let go) for what it
// notes (writeBackNote): the text is dropped, made again when asked for.
func (e *Engine) endCheck(ctx context.Context, id string) {
	if _, err := e.ResultDocument(ctx, id); err != nil {
		e.log.Debug("the results document at the document's end", "doc", id, "err", err)
	}
}
