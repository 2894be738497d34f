package engine

import (
	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/store"
)

// This file has the search of results, in a document with no Emacs Lisp
// block of its own, go on from the report of the Emacs blocks found in
// results run in (reportedEmacs), where that Emacs marks, past the
// document's executables, blocks other than those the search of the
// results written has under the same keys: a block an Emacs Lisp block
// found added before a block found later, or changed, or a block it
// added whose results hold one (org.Document.SearchFromReport). The
// blocks found are then keyed again, by owner and text, as that search
// finds them (rekeyFound): a block it finds otherwise is dropped and the
// one it finds runs, as Emacs runs what it finds there. The write-back
// writes that buffer (org.Document.ReportFoundFrom). Where the search
// cannot go on so (an Emacs Lisp block found keyed otherwise there, a
// report not read), it goes on from the document, and the write-back
// refuses the document as before (org.ErrFoundMarkNotFound).

// searchOn is the search of results (ReportResults's rounds) going on
// from prev, or, with none, from the report the search goes on from
// (ds.searchFrom) or the document. The caller holds e.mu.
func (ds *docState) searchOn(doc *org.Document, results map[int]org.Result, prev *org.BufferReport) *org.BufferReport {
	ds.searchedResults += len(results)
	if prev == nil && ds.searchFrom != nil {
		return doc.SearchFrom(results, ds.searchFrom)
	}
	return doc.ReportResults(results, prev)
}

// foundReportLocked is the latest report of the Emacs blocks found in
// results run in, in a document with no Emacs Lisp block of its own, as
// kept: nil when there is none, or it is not read or kept now (the
// search then goes on as it did). The caller holds e.mu.
func (e *Engine) foundReportLocked(ds *docState) *org.BufferReport {
	if ds.writtenEmacs() != "" || ds.reportedEmacs() == "" {
		return nil
	}
	for _, a := range ds.bufferAttempts() {
		if k, kept := e.reports.Load(a); kept && (k.(keptReport).unreadable || k.(keptReport).lost != "") {
			return nil
		}
		rep, reload := e.reportLocked(ds, a)
		if reload != nil {
			return nil
		}
		if rep != nil {
			return rep
		}
	}
	return nil
}

// searchFromReport has the search of ds's results go on from the latest
// report of the Emacs blocks found in results run in (ds.searchFrom),
// keying the blocks found again as it finds them (rekeyFound), where
// org.Document.SearchFromReport says the search of the results written
// does not hold what that Emacs marks, or the search went on from an
// earlier report of it; switched says it did. It does not where a block
// found that runs in that Emacs (an Emacs Lisp block found) is not the
// block the search from the report has under its name and key: that
// Emacs knows it by its key. It returns what rekeyFound returns. The
// caller holds e.mu.
func (e *Engine) searchFromReport(ds *docState, doc *org.Document, planned *plannedReport) (changed []*store.Instance, gone dropped, switched bool) {
	rep := e.foundReportLocked(ds)
	if rep == nil {
		return e.searchFromDocument(ds)
	}
	finished := e.finishedResults(ds, doc)
	if ds.searchFrom != nil && sameReport(ds.searchFrom, rep) {
		if doc.ReportCurrent(finished, rep) {
			return nil, dropped{}, false
		}
		return e.searchFromDocument(ds)
	}
	ext, ok := doc.SearchFromReport(finished, rep, doc.ReportResults(finished, nil), ds.searchFrom != nil)
	if !ok {
		return e.searchFromDocument(ds)
	}
	ed, err := e.planReport(planned, ds, doc, ext)
	if err != nil {
		return e.searchFromDocument(ds)
	}
	keyOf := map[string]int{}
	for _, a := range ed.Added() {
		name := a.Name
		if a.Task != nil {
			name = a.Task.Block
		}
		if _, dup := keyOf[name]; !dup && a.Task != nil {
			keyOf[name] = a.Key
		}
	}
	// A block found with an instance dropped while another with one is
	// keyed otherwise: rekeyFound would key the later one under its
	// name twice (two blocks of one name, one that cannot start).
	droppedOne, rekeyedOne := false, false
	for _, b := range ds.blocks {
		if b.addedBy == "" || b.isAddedPost() || b.task == nil || len(b.instances) == 0 {
			continue
		}
		k, ok := keyOf[b.name]
		droppedOne = droppedOne || !ok
		rekeyedOne = rekeyedOne || ok && k != b.index
	}
	if droppedOne && rekeyedOne {
		e.log.Info("the search of results does not go on from the report of the Emacs blocks found in results run in: a block found is dropped in it and another keyed otherwise", "doc", ds.id)
		return e.searchFromDocument(ds)
	}
	for _, b := range ds.blocks {
		if b.addedBy == "" || b.isAddedPost() || b.task == nil {
			continue
		}
		if !inEmacs(b) {
			continue
		}
		if k, ok := keyOf[b.name]; !ok || k != b.index {
			e.log.Info("the search of results does not go on from the report of the Emacs blocks found in results run in: a block found that runs there is dropped or keyed otherwise in it", "doc", ds.id, "block", b.name)
			return e.searchFromDocument(ds)
		}
	}
	for _, a := range ed.Added() {
		if a.Task == nil {
			continue
		}
		for _, b := range ds.blocks {
			if b.name == a.Task.Block && b.task != nil && inEmacs(b) && !sameFound(a, b) {
				e.log.Info("the search of results does not go on from the report of the Emacs blocks found in results run in: a block found that runs there is not the same in it", "doc", ds.id, "block", b.name)
				return e.searchFromDocument(ds)
			}
		}
	}
	e.log.Info("the search of results goes on from the report of the Emacs blocks found in results run in", "doc", ds.id)
	ds.searchFrom = rep
	ds.searched, ds.foundIn, ds.stopped = nil, nil, nil
	changed, gone = e.rekeyFound(ds, doc, planned)
	return changed, gone, true
}

// searchFromDocument has the search of ds's results, which went on from
// a report of the Emacs blocks found in results run in (ds.searchFrom),
// go on from the document again where that report no longer stands (a
// block whose results it holds ran again, a later report it cannot go
// on from): started again from the document once the search under way
// has dropped what it drops (foundInResults, as when results moved).
// The write-back then refuses the document where that Emacs marks blocks
// the search does not key (org.Document.PlacesAdded). It returns what
// searchFromReport returns: nothing, as nothing switched yet. The caller
// holds e.mu.
func (e *Engine) searchFromDocument(ds *docState) (changed []*store.Instance, gone dropped, switched bool) {
	if ds.searchFrom != nil {
		e.log.Info("the search of results goes on from the document again, not from the report of the Emacs blocks found in results run in", "doc", ds.id)
		ds.searchFrom = nil
		ds.resultsMoved = true
	}
	return nil, dropped{}, false
}
