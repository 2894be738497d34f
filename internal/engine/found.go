package engine

import (
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// This file runs the blocks org-babel-execute-buffer finds in the results
// it has just written (org.Document.ReportResults decides which): a source
// block, #+call: line or inline block in results written where the block
// had results already or nothing separates it from what follows. They
// are added to the document as the blocks an Emacs Lisp block adds to the
// Org buffer are (added.go), by the block whose results hold them, and
// their results are written where Emacs writes them (ResultDocument). A
// document whose Emacs reports its Org buffer is not searched so.

// foundInResults adds to ds the blocks org-babel-execute-buffer finds in
// the results of its finished blocks that it does not have yet, by by
// (the block whose attempt just finished, or at a start any block of ds),
// and returns their instances' records (queued) and what running a
// session again for one of them did (addBlock). The caller holds e.mu.
func (e *Engine) foundInResults(ds *docState, by *blockState) ([]*store.Instance, rerun, dropped) {
	if ds.plan == nil || ds.writtenEmacs() != "" {
		return nil, rerun{}, dropped{}
	}
	doc, err := e.parsed(ds)
	if err != nil {
		return nil, rerun{}, dropped{}
	}
	changed, gone, held, again := e.dropFoundBefore(ds, doc, by)
	if !again && !e.mayHoldExecutables(ds, doc, by) {
		return nil, rerun{}, dropped{}
	}
	added, r := e.searchResults(ds, doc, by, false)
	r.recs = append(changed, r.recs...)
	if again {
		r.add(e.stopLifted(ds, held, by))
	}
	return added, r, gone
}

// heldByStop are the blocks of ds that org-babel-execute-buffer, stopped
// where ds.stopped says, does not run, with what they say. The stop is
// looked for once. The caller holds e.mu.
func (ds *docState) heldByStop() map[*blockState]string {
	held := map[*blockState]string{}
	if ds.stopped == nil {
		return held
	}
	stoppedBefore := ds.stopped.StoppedBeforeFunc()
	for _, b := range ds.blocks {
		if b.task == nil {
			continue
		}
		t := b.submitted
		if t == nil {
			t = b.task
		}
		if why := stoppedBefore(t); why != "" {
			held[b] = why
		}
	}
	return held
}

// stopLifted queues again the instances of the blocks held (heldByStop,
// before by ran again) that ended without running for that stop and that
// the document's stop, as it stands now, no longer holds: Emacs, stopped
// no more (or further on), runs them. Those the stop, moved, still holds
// say where it now stands (their records are returned to be stored).
// The caller holds e.mu.
func (e *Engine) stopLifted(ds *docState, held map[*blockState]string, by *blockState) (r rerun) {
	now := e.now()
	for _, b := range ds.blocks {
		why, ok := held[b]
		if !ok {
			continue
		}
		var ins []*instState
		for _, in := range b.instances {
			if State(in.rec.State) == Finished && in.rec.AttemptID == "" && in.rec.Tries() == 0 && in.rec.Message == why {
				ins = append(ins, in)
			}
		}
		if len(ins) == 0 {
			continue
		}
		if stands := ds.stoppedBefore(b); stands != "" {
			if stands != why {
				for _, in := range ins {
					in.rec.Message = stands
					r.recs = append(r.recs, &in.rec)
				}
				e.touch(b)
			}
			continue
		}
		for _, in := range ins {
			r.kills = append(r.kills, e.requeue(in, now, "run: org-babel-execute-buffer no longer stops before it ("+by.name+" ran again, and its results changed)")...)
			r.recs = append(r.recs, &in.rec)
		}
		b.result = nil
		r.blocks = append(r.blocks, b)
		e.touch(b)
	}
	return r
}

// dropFoundBefore drops the blocks found in the results of an earlier
// attempt of by, which has just finished again (and those found in
// theirs, in turn), as org-babel-execute-buffer run again from the buffer
// where by's results are replaced does not find them, and has the next
// search start again from the document (again): by's new results are
// searched, and a stop at a block found in the old ones is cleared or
// moved (stopAt). The blocks found in other blocks' results are kept, as
// they were: only when the search started again gives each of them the
// key it has (the keys are the order blocks were found in, which the
// blocks' finishing order decided) is anything dropped; otherwise by's
// new results are not searched, and a warning says so. It returns what
// dropNotAdded returns, and the blocks the stop held before (heldByStop,
// for stopLifted), looked for only when something is dropped. The
// caller holds e.mu.
func (e *Engine) dropFoundBefore(ds *docState, doc *org.Document, by *blockState) (changed []*store.Instance, gone dropped, held map[*blockState]string, again bool) {
	drop := map[*blockState]bool{}
	for _, b := range ds.blocks {
		if b.addedBy == by.name {
			drop[b] = true
		}
	}
	if len(drop) == 0 {
		return nil, dropped{}, nil, false
	}
	// Those found in theirs, in turn (bounded: a block is added to
	// drop once).
	for grew := true; grew; {
		grew = false
		for _, b := range ds.blocks {
			if !drop[b] && b.addedBy != "" && ds.byName[b.addedBy] != nil && drop[ds.byName[b.addedBy]] {
				drop[b], grew = true, true
			}
		}
	}
	results := e.finishedResults(ds, doc)
	for b := range drop {
		if b.task == nil {
			continue
		}
		if at, ok := ds.redirectedResults(b); ok {
			delete(results, at)
		}
	}
	if !e.keysKept(ds, doc, results, drop) {
		e.log.Warn("a block whose results held blocks ran again: the blocks found in its first results are kept, its new results not searched (the blocks found in other blocks' results would be found in another order)", "doc", ds.id, "block", by.name)
		return nil, dropped{}, nil, false
	}
	held = ds.heldByStop()
	changed, gone = e.dropNotAdded(ds, by, nil)
	ds.searched, ds.foundIn, ds.stopped = nil, nil, nil
	return changed, gone, held, true
}

// keysKept reports whether the blocks of ds found in results, but those
// of drop, are found again under the keys they have when the document's
// results (results, without those of drop) are searched from the start,
// each the same block it was (sameFound). Those whose owner, or an owner
// up their chain, is queued or running again are left out: their owner's
// results are not in results, and they are judged when it ends. The
// caller holds e.mu.
func (e *Engine) keysKept(ds *docState, doc *org.Document, results map[int]org.Result, drop map[*blockState]bool) bool {
	var kept []*blockState
	for _, b := range ds.blocks {
		if b.addedBy != "" && !drop[b] && ds.ownersFinished(b) {
			kept = append(kept, b)
		}
	}
	if len(kept) == 0 {
		return true
	}
	rep := doc.ReportResults(results, nil)
	ed, err := plan.BufferEdits(doc, ds.plan, rep, e.backend.Limits(), e.cfg.Plan)
	if err != nil {
		return false
	}
	found := map[int]plan.Addition{}
	for _, a := range ed.Added() {
		found[a.Key] = a
	}
	for _, b := range kept {
		a, ok := found[b.index]
		if !ok || !sameFound(a, b) {
			return false
		}
	}
	return true
}

// sameFound reports whether a, a block the trial search finds, is kept
// block b as it is: the same name, and the same block (language, line,
// text), so that b's task and results stand for it. A block whose text
// changed under the same key would otherwise keep the old task's results.
func sameFound(a plan.Addition, b *blockState) bool {
	name := a.Name
	if a.Task != nil {
		name = a.Task.Block
	}
	if name != b.name || a.Lang != b.lang || a.Line != b.line {
		return false
	}
	if (a.Task == nil) != (b.task == nil) {
		return false
	}
	return a.Task == nil || a.Task.InBuffer().Text == b.task.InBuffer().Text
}

// ownersFinished reports whether every block up b's chain of owners (the
// block whose results held it, and that block's owner, in turn) has
// finished. A found block whose owner is queued or running again is
// judged when that owner ends: its results are not in the trial search.
// The caller holds e.mu.
func (ds *docState) ownersFinished(b *blockState) bool {
	seen := map[*blockState]bool{b: true}
	for o := ds.byName[b.addedBy]; o != nil && !seen[o]; o = ds.byName[o.addedBy] {
		seen[o] = true
		if len(o.instances) == 0 {
			return false
		}
		for _, in := range o.instances {
			if State(in.rec.State) != Finished {
				return false
			}
		}
		if o.addedBy == "" {
			break
		}
	}
	return true
}

// searchResults is foundInResults, the results of every finished block
// searched (at a start: stored, as addBlocks is told). The report
// searched is kept even when it finds nothing new: the next search goes
// on from it rather than writing every result again. The caller holds
// e.mu.
func (e *Engine) searchResults(ds *docState, doc *org.Document, by *blockState, stored bool) ([]*store.Instance, rerun) {
	prev := ds.searched
	if prev == nil {
		prev = ds.foundIn
	}
	rep := doc.ReportResults(e.finishedResults(ds, doc), prev)
	if rep == prev {
		return nil, rerun{}
	}
	ds.searched = rep
	if len(rep.Marks) <= len(doc.Executables()) {
		ds.stopped = nil // nothing found: nothing stops the document
		return nil, rerun{}
	}
	ds.foundIn = rep
	ed, err := plan.BufferEdits(doc, ds.plan, rep, e.backend.Limits(), e.cfg.Plan)
	if err != nil {
		e.log.Warn("reading the blocks found in the results written: they are not run", "doc", ds.id, "err", err)
		return nil, rerun{}
	}
	ds.stopAt(ed, func(a plan.Addition) {
		e.log.Info("org-babel-execute-buffer stops the document at a block found in results: the blocks after it are not run", "doc", ds.id, "by", by.name, "lang", a.Lang, "line", a.Line)
	})
	return e.addAdditions(ds, by, ed, stored, func(plan.Addition) {})
}

// stopAt keeps where org-babel-execute-buffer stops the document from
// ed, the edits of the latest report searched: reports build on each
// other, so the latest holds every block found, and Stop picks the
// earliest in the buffer, however the blocks' parallel runs ended. A
// report where nothing stops clears it (the block that stopped it ran
// again and wrote other results). moved is told the stop when it is new
// or stands elsewhere. The caller holds e.mu.
func (ds *docState) stopAt(ed *plan.Edits, moved func(plan.Addition)) {
	a, ok := ed.Stop()
	if !ok {
		ds.stopped = nil
		return
	}
	if ds.stopped != nil {
		if was, _ := ds.stopped.Stop(); was.Key == a.Key && was.Line == a.Line {
			ds.stopped = ed
			return
		}
	}
	ds.stopped = ed
	moved(a)
}

// stoppedBefore says why b is not run because org-babel-execute-buffer
// stops the document before it (plan.Edits.StoppedBefore), "" when it
// runs. The caller holds e.mu.
func (ds *docState) stoppedBefore(b *blockState) string {
	if ds.stopped == nil || b.task == nil {
		return ""
	}
	t := b.submitted
	if t == nil {
		t = b.task
	}
	return ds.stopped.StoppedBefore(t)
}

// finishedResults are the results of ds's blocks that finished, as
// write-back writes them (writtenResult). The caller holds e.mu.
func (e *Engine) finishedResults(ds *docState, doc *org.Document) map[int]org.Result {
	results := map[int]org.Result{}
	for _, b := range ds.blocks {
		if at, r, ok := e.writtenResult(ds, doc, b); ok {
			results[at] = r
		}
	}
	return results
}

// writtenResult is the result finished block b's attempt writes, and
// where (its results' index), when Babel has those results: its own
// run's (not a failure's or several instances' drawer) and whole (not
// cut under a note past the size limit: asWritten). The caller holds
// e.mu.
func (e *Engine) writtenResult(ds *docState, doc *org.Document, b *blockState) (int, org.Result, bool) {
	if b.task == nil || len(b.instances) != 1 {
		return 0, org.Result{}, false
	}
	in := b.instances[0]
	if State(in.rec.State) != Finished || in.rec.AttemptID == "" {
		return 0, org.Result{}, false
	}
	at, ok := ds.redirectedResults(b)
	if !ok {
		return 0, org.Result{}, false
	}
	var refs map[string]plan.Value
	if b.task.Cache {
		refs = e.refsOf(b)
	}
	r, err := e.finishedResult(doc, b.task, in.rec.AttemptID, refs)
	if err != nil {
		e.log.Warn("reading a block's results to search them for blocks", "doc", ds.id, "block", b.name, "err", err)
		return 0, org.Result{}, false
	}
	return at, r, asWritten(r)
}

// asWritten reports whether a finished block's result is its results as
// Babel writes them: not a status line over output cut or so far, nor
// several instances' parts. Only those are searched for blocks.
func asWritten(r org.Result) bool {
	return r.Status == "" && r.Parts == nil
}

// foundAgain adds to ds, stored, the blocks found in the results of the
// blocks of ds.blocks[from:] that finished, as when they ended, and
// returns them (to be given their stored states, and then searched in
// turn). The caller holds e.mu.
func (e *Engine) foundAgain(ds *docState, from int) []*blockState {
	n := len(ds.blocks)
	for _, b := range ds.blocks[from:n] {
		if b.task != nil && len(b.instances) == 1 && State(b.instances[0].rec.State) == Finished {
			if doc, err := e.parsed(ds); err == nil && ds.plan != nil && ds.writtenEmacs() == "" {
				e.searchResults(ds, doc, b, true)
			}
			break
		}
	}
	return ds.blocks[n:]
}

// mayHoldExecutables reports whether the results by's finished attempt
// writes may hold a block org-babel-execute-buffer finds: its :results or
// :wrap put its output in as Org text (raw, drawer, org, code, list, a
// wrap) and that text, read once, has one. Only then are the document's
// results searched, which reads them all. The caller holds e.mu.
func (e *Engine) mayHoldExecutables(ds *docState, doc *org.Document, by *blockState) bool {
	if by.addedBy != "" {
		_, r, ok := e.writtenResult(ds, doc, by)
		return ok && foundMayHold(by.task, r)
	}
	// Its header first: the output is read only if it may be Org text.
	at, ok := ds.redirectedResults(by)
	blk := doc.BlockAt(at)
	if !ok || blk == nil || !org.ResultsAsOrgText(blk.Args) {
		return false
	}
	_, r, ok := e.writtenResult(ds, doc, by)
	if !ok {
		return false
	}
	text, ok := doc.ResultReplacement(blk, r)
	return ok && org.MayHoldExecutables(text)
}

// foundMayHold is mayHoldExecutables for a block added to the document
// (found in results, or put in by an Emacs Lisp block), which is not in
// the submitted text: its output may hold a block, or its results be put
// in as one (code results, or a :wrap, which may name a source block).
func foundMayHold(t *plan.Task, r org.Result) bool {
	if org.MayHoldExecutables(r.Output) || strings.Contains(t.InBuffer().Text, ":wrap") {
		return true
	}
	return slices.Contains(strings.Fields(t.Results), "code")
}
