package org

import (
	"fmt"
	"strings"
)

// In a document with no Emacs Lisp block of its own, an Emacs Lisp block
// found in results runs in an Emacs of its own, which reports its buffer
// (BufferReport): org-babel-execute-buffer goes on in that buffer, past
// what the block added or changed there. Where that report marks, past
// the document's executables, blocks other than those the search of the
// results written (ReportResults) has under the same keys (a block it
// added before a block found later, a block found it changed, a block
// added whose results hold one), the search goes on from that report
// instead (SearchFrom): the results written in its buffer, the blocks
// found in them marked past its marks, each keyed as that Emacs keys it.

// SearchFrom is the search of the results given (ReportResults's rounds)
// made from rep, a report of the Emacs blocks found in results run in,
// rather than from the document: rep's text and marks, each of its
// marks past the document's executables given the owner it stands in
// the results region of (the innermost mark before it whose results
// region holds it: a block found in results, where that Emacs names no
// owner; none for a block an Emacs Lisp block put elsewhere), then the
// results it holds none of written in its text and the blocks found in
// them marked after its marks, as org-babel-execute-buffer finds them
// going on in that buffer.
func (d *Document) SearchFrom(results map[int]Result, rep *BufferReport) *BufferReport {
	nExes := len(d.Executables())
	cur := rep.copyForResults()
	for i := nExes; i < len(cur.Marks); i++ {
		m := &cur.Marks[i]
		if m.FoundIn != 0 || m.Point >= m.BlockEnd {
			continue
		}
		best := -1
		for o := 0; o < i; o++ {
			om := cur.Marks[o]
			if om.Start < om.End && om.Start <= m.Point && m.BlockEnd <= om.End && (best < 0 || om.Start >= cur.Marks[best].Start) {
				best = o
			}
		}
		m.FoundIn = best + 1
	}
	return cur.writeRounds(d, results, nExes)
}

// SearchFromReport is, where rep, the report of the Emacs blocks found
// in results run in, marks past the document's executables a block that
// is not the one searched (the search of the results written) has under
// its key, or one added whose results (among results, the finished
// ones) may hold a block, the search made from rep (SearchFrom), and
// true. It is nil and false where the search of the results written
// stands (rep marks those very blocks, the write-back places them:
// PlacesAdded), or where rep cannot be written otherwise than that
// search says (Babel's defaults set, a block of the document changed
// past the first block found that may change the buffer, text changed
// outside blocks and results that the blocks after it read: foundMarked
// refuses it, and so does ReportFoundFrom). always: the search went on
// from an earlier report of that Emacs, and goes on from this one
// whatever the search of the results written says.
func (d *Document) SearchFromReport(results map[int]Result, rep, searched *BufferReport, always bool) (*BufferReport, bool) {
	nExes := len(d.Executables())
	if rep == nil || searched == nil || len(rep.Marks) <= nExes {
		return nil, false
	}
	now, at := rep.blocksByPoint(d.Visit)
	if now == nil {
		return nil, false
	}
	mayHold := func(m BufferMark, r Result) bool {
		b := at[m.Point]
		return b != nil && now.ResultsMayHoldExecutables(b, r)
	}
	if !d.ReportCurrent(results, rep) || foundOutside(rep, nExes, at) != nil || d.changedOutsideErr(rep, searched, nExes, at) != nil {
		return nil, false
	}
	if !always && foundMarksSearched(rep, searched, nExes, results, mayHold, func(int) bool { return false }) == nil {
		return nil, false
	}
	if pendingInResults(rep, d.Visit, d.Executables(), results, now, at) {
		return nil, false
	}
	return d.SearchFrom(results, rep), true
}

// ReportCurrent reports whether rep, a report of the Emacs blocks found
// in results run in, holds the results the document's blocks write now
// (results, by executable Index) where it marks results put in (a
// digest): a block run again since it reported, its results other or not
// there yet, makes of it a buffer Emacs no longer walks.
func (d *Document) ReportCurrent(results map[int]Result, rep *BufferReport) bool {
	exes := d.Executables()
	if len(rep.Marks) < len(exes) {
		return false
	}
	p := d.parser()
	for i, b := range exes {
		m := rep.Marks[i]
		if m.Digest == "" || m.Changed || b.Problem != "" {
			continue
		}
		r, ok := results[b.Index]
		if !ok {
			return false
		}
		e, ok := p.resultEdit(b, r, d.Visit)
		if !ok {
			return false
		}
		text, ok := d.replacement(b, e)
		if r.As != nil {
			text, ok = r.AsIn.ResultReplacement(r.As, r)
		}
		if !ok || m.Digest != ResultDigest(text) {
			return false
		}
	}
	return true
}

// pendingInResults reports whether a mark of rep past the document's
// executables (exes: a block an Emacs Lisp block found or added) stands
// inside the results region a block rep marks has in rep's buffer (now,
// its blocks by point at) while no results were put there (no digest,
// its text as submitted):
// org-babel-execute-buffer comes to that block first, and its results,
// put in, may replace the region and the block in it, which Emacs then
// never runs, where a search from rep would have it run before. Not
// searched so: the document is refused as before. The one exception is
// a block of the document whose results are in and replace its old
// results as a search from rep writes them, keyed as Emacs keys them
// (replacesOldResults), every such mark in its region one
// ReplacedOwner gives it: a search from rep writes them first, as Emacs
// does, and the blocks they replace are not found there (writeRound);
// such a block waits for them (plan.Task.ReplacedBy) and is not run.
func pendingInResults(rep *BufferReport, v Visit, exes []*Block, results map[int]Result, now *Document, at map[int]*Block) bool {
	for i, om := range rep.Marks {
		b := at[om.Point]
		if b == nil || !om.unwritten() || om.Point >= om.BlockEnd {
			continue
		}
		start, end := now.ResultRegion(b)
		if start >= end {
			continue
		}
		r, has := results[resultKey(exes, i)]
		exempt := has && i < len(exes) && replacesOldResults(b, r)
		for j, m := range rep.Marks[len(exes):] {
			if m.Point < m.BlockEnd && start <= m.Point && m.BlockEnd <= end {
				if o, ok := rep.ReplacedOwner(v, len(exes), j); !exempt || !ok || o != i {
					return true
				}
			}
		}
	}
	return false
}

// replacedByResults reports, for the i-th mark of rep (past the
// document's executables: a block an Emacs Lisp block put in rep's
// buffer, now its blocks by point at), whether it stands in the old
// results of a block of the document (ReplacedOwner) whose results,
// among results, are in and replace those old results whole, as a plain
// #+RESULTS: (replacesOld) holding no block, or a failure's drawer:
// Emacs runs that block first and never reaches the mark's block, and
// the results written replace it too, with no block found to key in
// them (foundMarksSearched lets the mark be, not run). Results holding
// a block go by the search from rep instead (pendingInResults).
func (d *Document) replacedByResults(rep *BufferReport, results map[int]Result, now *Document, at map[int]*Block) func(int) bool {
	exes := d.Executables()
	return func(i int) bool {
		o, ok := rep.ReplacedOwner(d.Visit, len(exes), i-len(exes))
		if !ok || now == nil {
			return false
		}
		b := at[rep.Marks[o].Point]
		r, has := results[exes[o].Index]
		return has && b != nil && replacesOld(b, r) && (len(r.Parts) > 0 || !holdsSrcBlock(r.Output))
	}
}

// replacesOldResults reports whether r, the results of b, are what a
// search from a report writes over b's old results as Emacs writes them,
// and hold a source block: a plain #+RESULTS: (raw, no drawer, no :wrap,
// not org or code, whose blocks found are keyed otherwise) replacing the
// old ones (not appended or prepended, not :cache yes, whose old results
// may stay), b's results as submitted (not a failure's drawer, not
// partial, not as another block or a changed block writes them). Any
// other results, holding no block above all, keep the refusal.
func replacesOldResults(b *Block, r Result) bool {
	rp := resultParams(b)
	if len(r.Parts) > 0 || !hasWord(rp, "raw") || !replacesOld(b, r) {
		return false
	}
	return holdsSrcBlock(r.Output)
}

// holdsSrcBlock reports whether out has a line opening a source block.
func holdsSrcBlock(out string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(line)), "#+begin_src") {
			return true
		}
	}
	return false
}

// replacesOld is replacesOldResults whatever r holds, a failure's drawer
// (which replaces the old results too) included.
func replacesOld(b *Block, r Result) bool {
	if r.Status != "" || r.As != nil || r.WrittenBy != nil || r.Posted || r.PostNil || r.Hash != "" {
		return false
	}
	if _, ok := b.Args.Get("wrap"); ok {
		return false
	}
	if c, ok := b.Args.Get("cache"); ok && strings.TrimSpace(c) != "no" {
		return false
	}
	if p, ok := b.Args.Get("post"); ok && strings.TrimSpace(p) != "" {
		return false
	}
	rp := resultParams(b)
	for _, w := range []string{"append", "prepend", "drawer", "wrap", "org", "code", "list", "table", "vector", "file", "html", "latex", "silent", "none"} {
		if hasWord(rp, w) {
			return false
		}
	}
	return true
}

// deletedMark reports whether m marks no block any more: the block was
// deleted (inside results that replaced those it stood in, or by an Emacs
// Lisp block), its mark left where it stood.
func deletedMark(m BufferMark) bool { return m.Changed && m.Point >= m.BlockEnd }

// ReplacedOwner is, for the j-th mark of rep past the document's nExes
// executables (a block an Emacs Lisp block put in rep's buffer), the
// index of the mark of the document's executable whose old results hold
// it in rep's buffer, no results put there yet (no digest, its text as
// submitted), which that executable's new results replace
// (ReplacedRegion): org-babel-execute-buffer runs that executable first,
// and never reaches the block. ok is false for none.
func (r *BufferReport) ReplacedOwner(v Visit, nExes, j int) (owner int, ok bool) {
	i := nExes + j
	if i >= len(r.Marks) || nExes > len(r.Marks) {
		return 0, false
	}
	m := r.Marks[i]
	if m.Point >= m.BlockEnd {
		return 0, false
	}
	now, at := r.blocksByPoint(v)
	if now == nil {
		return 0, false
	}
	for o, om := range r.Marks[:nExes] {
		b := at[om.Point]
		if b == nil || !om.unwritten() || om.Point >= om.BlockEnd {
			continue
		}
		start, end, resume, ok := now.ReplacedRegion(b)
		if from := max(start, resume); ok && from <= m.Point && m.BlockEnd <= end && from < end {
			return o, true
		}
	}
	return 0, false
}

// ReportFoundFrom is ReportFoundAfter for a document whose blocks found
// in results were searched from rep (SearchFromReport), from: the last
// such search. rep must be written as the search of the results written
// (searched) would be but for the blocks found (foundOutside,
// changedOutsideErr: those errors, as foundMarked's); the buffer written
// is rep's, the finished results written in it and the blocks found in
// them marked (SearchFrom), each mark of from (the blocks run, by key)
// the same block there, found in the results of the same block, and
// every result of a block found (all, keyed AddedKey+j) at a mark. Any
// other is an error wrapping ErrFoundMarkNotFound: the document is not
// written, never with a block's results at another's.
func (d *Document) ReportFoundFrom(finished, all map[int]Result, rep, from, searched *BufferReport) (*BufferReport, error) {
	nExes := len(d.Executables())
	if len(rep.Marks) < nExes || from == nil {
		return nil, fmt.Errorf("%w: the report of the Emacs blocks found in results run in is not the one the search went on from", ErrFoundMarkNotFound)
	}
	now, at := rep.blocksByPoint(d.Visit)
	if now == nil {
		return nil, fmt.Errorf("%w: the Org buffer of the Emacs blocks found in results run in does not parse", ErrFoundMarkNotFound)
	}
	if !d.ReportCurrent(finished, rep) {
		return nil, fmt.Errorf("%w: the report of the Emacs blocks found in results run in holds results of the document's blocks other than those written now: the document is not written", ErrFoundMarkNotFound)
	}
	if err := foundOutside(rep, nExes, at); err != nil {
		return nil, err
	}
	if err := d.changedOutsideErr(rep, searched, nExes, at); err != nil {
		return nil, err
	}
	if pendingInResults(rep, d.Visit, d.Executables(), finished, now, at) {
		return nil, fmt.Errorf("%w: a block an Emacs Lisp block found in results put in the results region of a block not run yet, whose results may replace it: the document is not written", ErrFoundMarkNotFound)
	}
	cur := d.SearchFrom(finished, rep)
	for i := nExes; i < len(rep.Marks) && i < len(cur.Marks); i++ {
		if _, ran := all[AddedKey+i-nExes]; ran && !rep.Marks[i].Changed && cur.Marks[i].Changed {
			// Run, where the results written since replaced it:
			// org-babel-execute-buffer never reaches it.
			return nil, fmt.Errorf("%w: found block %d, which an Emacs Lisp block found in results put in the results region of a block, ran, and that block's new results replace it: the document is not written", ErrFoundMarkNotFound, i-nExes+1)
		}
	}
	for i := nExes; i < len(from.Marks); i++ {
		if _, ran := all[AddedKey+i-nExes]; !ran && i < len(cur.Marks) && deletedMark(cur.Marks[i]) && deletedMark(from.Marks[i]) && cur.Marks[i].FoundIn == from.Marks[i].FoundIn {
			// Gone from both (results written replaced it), and
			// not run: the same nothing, no results to place.
			continue
		}
		if i >= len(cur.Marks) || cur.Marks[i].FoundIn != from.Marks[i].FoundIn || !sameFound(cur, cur.Marks[i], from, from.Marks[i]) {
			return nil, fmt.Errorf("%w: found block %d, run as the search of the Org buffer of the Emacs blocks found in results run in had it, is not the block that buffer holds now at its place: the document is not written", ErrFoundMarkNotFound, i-nExes+1)
		}
	}
	for k := range all {
		if k >= AddedKey && k-AddedKey >= len(cur.Marks)-nExes {
			return nil, fmt.Errorf("%w: the results of found block %d have no place in the Org buffer of the Emacs blocks found in results run in: the document is not written", ErrFoundMarkNotFound, k-AddedKey+1)
		}
	}
	// What that Emacs put in its buffer stays as it is there, and so
	// do the results written here (WriteResultsIn).
	cur.fromResults = false
	return cur, nil
}
