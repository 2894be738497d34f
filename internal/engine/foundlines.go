package engine

import (
	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// The lines of the blocks found in results (blockState.line, beginLine)
// are those of the buffer the search that found them reported. Borges
// runs at once what waits for nothing, so a block of the document above
// them may end after that search (or its output be read for whether its
// results stop Emacs only after it: searchesAfterRead): its results,
// written above them, push them down the buffer, where Emacs, which
// runs one block at a time, has them from the first. The search is made
// again for those results (foundShiftedBy), and each block found takes
// its lines in the buffer it reports (foundLinesIn), so that a stop at a
// block found names the line the results document has it at, whichever
// block ended first. A block run again whose results that buffer holds
// (searchedStale) has the search start again from the document, with
// its new results, which may be longer or shorter.

// foundShiftedBy reports whether the results of by, a finished block
// whose results hold no block (not searched for them), are left out of
// the buffer the last search reported and stand in it above a block
// found in results: a search made now writes them, and moves that
// block's lines. by's output is not read for it (writtenAt): nothing is
// read under e.mu for a block that ends where no block found stands
// below it. Results the search then finds not written as Babel writes
// them (cut at the size limit, say) move nothing: the search made for
// them changes no line. The caller holds e.mu.
func (e *Engine) foundShiftedBy(ds *docState, doc *org.Document, by *blockState) bool {
	rep := ds.searched
	if rep == nil {
		rep = ds.foundIn
	}
	if rep == nil {
		return false // nothing found: no line to move
	}
	// Executables parses and sorts the document's blocks: only where
	// there is a report to compare them with (a chain of 10,000 blocks
	// had done it at each block's end).
	exes := doc.Executables()
	if len(rep.Marks) <= len(exes) {
		return false
	}
	at, ok := ds.writtenAt(by)
	if !ok {
		return false
	}
	i := markOfResults(exes, at)
	if i < 0 || i >= len(rep.Marks) {
		return false
	}
	m := rep.Marks[i]
	if m.Digest != "" || m.Changed {
		return false // written there already
	}
	for _, f := range rep.Marks[len(exes):] {
		if f.Point > m.Point {
			return true
		}
	}
	return false
}

// markOfResults is the index, among the marks of a report made of the
// results written (org.Document.ReportResults), of the mark whose
// results are keyed at: a document executable's Index, or AddedKey+j for
// the j-th block found; -1 for none.
func markOfResults(exes []*org.Block, at int) int {
	if at >= org.AddedKey {
		return len(exes) + at - org.AddedKey
	}
	for i, b := range exes {
		if b.Index == at {
			return i
		}
	}
	return -1
}

// foundLinesIn is told of each block a search finds that ds has already
// (addAdditions' had): a block found in results, run or listed not run
// (:eval refuses it), takes the lines the buffer searched has it at,
// results written above it since the search before (foundShiftedBy)
// having moved it. The caller holds e.mu.
func (e *Engine) foundLinesIn(ds *docState) func(plan.Addition) {
	var byKey map[int]*blockState // the blocks added or found, by key, once asked
	return func(a plan.Addition) {
		if a.FoundIn == "" {
			return
		}
		if byKey == nil {
			byKey = ds.foundByKey()
		}
		name := a.Name
		if a.Task != nil {
			name = a.Task.Block
		}
		b := byKey[a.Key]
		if b == nil || !b.found || b.name != name || b.addedBy != a.FoundIn || b.line == a.Line && b.beginLine == a.BeginLine {
			return
		}
		b.line, b.beginLine = a.Line, a.BeginLine
		if b.skipped != nil {
			// Listed not run (:eval refuses it): shown where it
			// stands too.
			sk := *b.skipped
			sk.Line = a.Line
			b.skipped = &sk
		}
		ds.failStopTouched(b) // its stop, if any, weighed again
		e.touch(b)
	}
}

// noteSearched keeps, for each finished block whose results rep, the
// report searched now, has written that prev, the report it went on
// from (nil: made from the document), had not, the attempt those results
// are of (searchedWith). The caller holds e.mu.
func (ds *docState) noteSearched(exes []*org.Block, prev, rep *org.BufferReport) {
	if prev == nil || ds.searchedWith == nil {
		ds.searchedWith = map[*blockState]string{}
	}
	for _, b := range ds.blocks {
		at, ok := ds.writtenAt(b)
		if !ok {
			continue
		}
		i := markOfResults(exes, at)
		if i < 0 || i >= len(rep.Marks) || rep.Marks[i].Digest == "" || prev != nil && i < len(prev.Marks) && prev.Marks[i].Digest != "" {
			continue
		}
		ds.searchedWith[b] = b.instances[0].rec.AttemptID
	}
}

// searchedStale reports whether the report searched last (ds.searched)
// holds results of b, a block of the document, written before it ran
// again, and blocks found in results stand there (whose lines its new
// results may move), or b's new results, by its header, may hold some:
// a search going on from that report would keep its old results, which
// Emacs, running it again, replaced (ReportResults writes no results
// twice). Known without reading its output (noteSearched). A block
// found in results run again is not weighed so: the search started
// again would key the blocks found anew (rekeyFound) where their runs
// and :post chains stand. The caller holds e.mu.
func (ds *docState) searchedStale(doc *org.Document, b *blockState) bool {
	was, ok := ds.searchedWith[b]
	if !ok || ds.searched == nil || b.addedBy != "" || len(b.instances) == 1 && b.instances[0].rec.AttemptID == was {
		return false
	}
	if len(ds.searched.Marks) > len(doc.Executables()) {
		return true
	}
	at, ok := ds.redirectedResults(b)
	blk := doc.BlockAt(at)
	return ok && blk != nil && org.ResultsAsOrgText(blk.Args)
}
