package engine

import (
	"fmt"
	"maps"
	"reflect"
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
// document whose Emacs reports its Org buffer (one with an Emacs Lisp
// block) is searched for the stop only (foundStopBesideEmacs), but where
// the blocks found stand after every task of that Emacs that has run,
// none of which changed its buffer, and before those still to run, which
// wait for them (searchesBesideEmacs).

// bufferEdits plans the buffer a search of results reports (a variable
// so that a test can have it fail).
var bufferEdits = plan.BufferEdits

// reusedEdits, when not nil, is told of each edits planReport reuses and
// what it would have planned them from (a test compares them with edits
// planned anew).
var reusedEdits func(ed *plan.Edits, doc *org.Document, p *plan.Plan, rep *org.BufferReport, l plan.Limits, o plan.Options)

// foundInResults adds to ds the blocks org-babel-execute-buffer finds in
// the results of its finished blocks that it does not have yet, by by
// (the block whose attempt just finished, or at a start any block of ds),
// and returns their instances' records (queued) and what running a
// session again for one of them did (addBlock). The caller holds e.mu.
func (e *Engine) foundInResults(ds *docState, by *blockState) ([]*store.Instance, rerun, dropped) {
	if ds.plan == nil {
		return nil, rerun{}, dropped{}
	}
	doc, err := e.parsed(ds)
	if err != nil {
		return nil, rerun{}, dropped{}
	}
	if ds.writtenEmacs() != "" {
		if added, r, ok := e.searchChanged(ds, doc, by, false); ok {
			return added, r, dropped{}
		}
	}
	if ds.writtenEmacs() != "" && !e.searchesBesideEmacs(ds, doc, false) {
		return nil, e.foundStopBesideEmacs(ds, doc, by), dropped{}
	}
	// The search started again after a re-key plans the report the
	// re-key planned last: planned once, under e.mu.
	planned := &plannedReport{}
	heldBefore := ds.heldByStop()
	fromChanged, fromGone, switched := e.searchFromReport(ds, doc, planned)
	changed, gone, held, again := e.dropFoundBefore(ds, doc, by, planned)
	changed = append(fromChanged, changed...)
	gone.join(fromGone)
	if switched && !again {
		// Searched anew from the report: the stop found before, if
		// any, is found again.
		held, again = heldBefore, true
	}
	if !again && ds.searchedStale(doc, by) {
		// by ran again: the report the search would go on from holds
		// its old results. Started again from the document with its
		// new ones, the blocks found below them take their lines
		// there (foundLinesIn), and a stop at one names its line.
		ds.resultsMoved = true
		held, again = ds.heldByStop(), true
	}
	// Beside the Emacs, the first search may be let by a block whose
	// results hold none (the last before the Emacs's last task to end).
	because := by.name + " ran again, and its results changed"
	if switched {
		because = "the search goes on from the report of the Emacs blocks found in results run in"
	}
	if !again && !e.mayHoldExecutables(ds, doc, by) && (ds.writtenEmacs() == "" || ds.foundIn != nil) {
		if ds.stopped == nil && !e.foundShiftedBy(ds, doc, by) || ds.foundStopWhy(by) != "" {
			// by stands after the stop (it ran before the stop
			// was found): its results stand after it too and do
			// not move it; or nothing stops the document and no
			// block found stands below results of by left out of
			// the last search. Not searched: each search plans the
			// whole document under e.mu.
			return nil, rerun{}, dropped{}
		}
		// A block found stops the document: by's results, which
		// hold none, may stand before it in the buffer, where Emacs
		// has written them when it stops there. The search goes on
		// with them, and the blocks the stop holds say the line it
		// stands at now (stopLifted), as foundStopBesideEmacs has
		// them say.
		held, again = ds.heldByStop(), true
		because = by.name + " wrote its results"
	}
	from := len(ds.blocks)
	added, r := e.searchResults(ds, doc, by, false, planned)
	r.recs = append(changed, r.recs...)
	// docResultsMoved first: it keeps where results go now, whatever
	// the search said.
	if ds.docResultsMoved() || ds.resultsMoved || ds.foundOutOfOrder(doc, from) {
		// Once: the search started again finds what it moves where
		// it stands already (resultsMoved, which it may set, is
		// cleared after it).
		ds.searched, ds.foundIn, ds.stopped = nil, nil, nil
		x, lost := e.rekeyFound(ds, doc, planned)
		more, r2 := e.searchResults(ds, doc, by, false, planned)
		ds.resultsMoved = false
		ds.docResultsMoved()
		added = append(added, more...)
		r.recs = append(append(r.recs, x...), r2.recs...)
		r.add(rerun{blocks: r2.blocks, kills: r2.kills, sessions: r2.sessions})
		gone.join(lost)
	}
	if again {
		r.add(e.stopLifted(ds, held, because))
	}
	return added, r, gone
}

// docResultsMoved reports whether a finished block of the document
// writes its results to another block found in results than the last
// search had it write them to (foundFirstOfName: one found since stands
// before it, or no longer does), and keeps where each writes them now.
// The report that search went on from has them where they were. The
// caller holds e.mu.
func (ds *docState) docResultsMoved() bool {
	now := map[string]string{}
	moved := false
	for _, b := range ds.blocks {
		if b.addedBy != "" || b.state() != Finished {
			continue
		}
		if f := ds.foundFirstOfName(b); f != nil {
			now[b.name] = f.name
		}
		if now[b.name] != ds.docResultsIn[b.name] {
			moved = true
		}
	}
	ds.docResultsIn = now
	return moved
}

// foundOwnersEnded is foundInResults for the blocks of ended whose
// instances have all ended without an attempt (a dependency failed, it
// could not start, it ended without running): a block run again that
// owns blocks found in its old results drops them as when its attempt
// ends (updates.go) or it is killed queued (kill.go), since its results
// now are a failure's drawer or not its own run's, neither searched. It
// returns the records to store with those ends (blocks found again,
// instances queued again) and what to drop. The caller holds e.mu.
func (e *Engine) foundOwnersEnded(ended []*blockState) (recs []*store.Instance, gone dropped) {
	seen := map[*blockState]bool{}
	for _, b := range ended {
		if seen[b] || !b.doc.ownsFound(b) || slices.ContainsFunc(b.instances, func(in *instState) bool { return !State(in.rec.State).Terminal() }) {
			continue
		}
		seen[b] = true
		added, r, lost := e.foundInResults(b.doc, b)
		e.tracked += len(added)
		recs = append(recs, append(added, r.recs...)...)
		gone.follow(r)
		gone.join(lost)
	}
	return recs, gone
}

// ownsFound reports whether blocks of ds were found in b's results (or
// added to the buffer by it). The caller holds e.mu.
func (ds *docState) ownsFound(b *blockState) bool {
	return slices.ContainsFunc(ds.blocks, func(x *blockState) bool { return x.addedBy == b.name && !x.isAddedPost() })
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
		t := b.decidedTask()
		if why := stoppedBefore(t); why != "" {
			held[b] = why
		}
	}
	return held
}

// stopLifted queues again the instances of the blocks held (heldByStop,
// before, as because says, a block ran again) that ended without running for that stop and that
// the document's stop, as it stands now, no longer holds: Emacs, stopped
// no more (or further on), runs them. Those the stop, moved, still holds
// say where it now stands (their records are returned to be stored).
// The caller holds e.mu.
func (e *Engine) stopLifted(ds *docState, held map[*blockState]string, because string) (r rerun) {
	now := e.now()
	for _, b := range ds.blocks {
		why, ok := held[b]
		if !ok {
			continue
		}
		var ins []*instState
		for _, in := range b.instances {
			if endedUnrun(in) && in.rec.Message == why {
				ins = append(ins, in)
			}
		}
		if len(ins) == 0 {
			continue
		}
		stands, by := ds.failureStopBefore(b)
		if stands == "" {
			stands = ds.foundStopWhy(b)
		}
		if stands != "" {
			// A failure stop that holds b now (one a found stop
			// replaced as its holder) is the one whose lifting
			// releases it (failStopLifted).
			ds.knowFailHeld()
			if by != nil {
				ds.setFailHeld(b, by)
			} else {
				ds.dropFailHeld(b)
			}
			if stands != why {
				for _, in := range ins {
					in.rec.Message = stands
					in.rec.HeldBy = ds.heldBy(b, stands)
					r.recs = append(r.recs, &in.rec)
				}
				e.touch(b)
			}
			continue
		}
		for _, in := range ins {
			r.kills = append(r.kills, e.requeue(in, now, "run: org-babel-execute-buffer no longer stops before it ("+because+")")...)
			r.recs = append(r.recs, &in.rec)
		}
		b.result = nil
		r.blocks = append(r.blocks, b)
		e.touch(b)
	}
	return r
}

// dropFoundBefore drops the blocks found in the results of an earlier
// attempt of by, which has just ended again (and those found in theirs,
// in turn), as org-babel-execute-buffer run again from the buffer where
// by's results are replaced does not find them, and has the next search
// start again from the document (again): by's new results are searched,
// and a stop at a block found in the old ones is cleared or moved
// (stopAt). by failed, its results are a failure drawer, not searched:
// Emacs writes a failed shell block's results anew (empty) and goes on,
// and a block that signals an error stops the buffer run before its old
// results are reached; either way the blocks found in them are not run.
// The blocks found in other blocks' results are kept, given the keys the
// search started again gives them (rekeyFound). It returns what
// dropNotAdded returns, and the blocks the stop held before (heldByStop,
// for stopLifted). The caller holds e.mu.
func (e *Engine) dropFoundBefore(ds *docState, doc *org.Document, by *blockState, planned *plannedReport) (changed []*store.Instance, gone dropped, held map[*blockState]string, again bool) {
	// In a document with no Emacs of its own, the blocks an Emacs Lisp
	// block found in results added to the buffer of the Emacs it ran in
	// are by's too, which addBlocks adds and drops from its reports:
	// neither found in its results nor dropped here.
	added := ds.addedByFoundEmacs(by)
	if !slices.ContainsFunc(ds.blocks, func(b *blockState) bool {
		return b.addedBy == by.name && !b.isAddedPost() && added[b.index] != b.name
	}) {
		return nil, dropped{}, nil, false
	}
	held = ds.heldByStop()
	changed, gone = e.dropNotAdded(ds, by, added)
	ds.searched, ds.foundIn, ds.stopped = nil, nil, nil
	x, lost := e.rekeyFound(ds, doc, planned)
	changed = append(changed, x...)
	gone.join(lost)
	return changed, gone, held, true
}

// addedByFoundEmacs are the blocks, by key, that by, an Emacs Lisp block
// found in results in a document with no Emacs Lisp block of its own,
// added to the buffer of the Emacs it ran in (addBlocks from the reports
// of reportedEmacs): none in a document with an Emacs of its own. The
// caller holds e.mu.
func (ds *docState) addedByFoundEmacs(by *blockState) map[int]string {
	if ds.writtenEmacs() != "" || !by.found || by.task == nil || !inEmacs(by) {
		return nil
	}
	var out map[int]string
	for _, b := range ds.blocks {
		if b.addedBy == by.name && !b.found && !b.isAddedPost() {
			if out == nil {
				out = map[int]string{}
			}
			out[b.index] = b.name
		}
	}
	return out
}

// rekeyFound gives the blocks of ds found in results the keys a search
// started from the document gives them (their marks' places: the blocks
// found in the document's results in buffer order, then those found in
// theirs, and so on), as a server started again gives them (foundAgain):
// a search made as blocks finish keys them in the order they finished,
// and one started again, after a block that owns found blocks ran again,
// would otherwise give a kept block's key to another block, and write
// its results there. Each kept block is matched by its name (which
// names it by its owner and its place among its owner's, not by its
// key) and must be the same block (sameFound); one found otherwise is
// dropped, with those found in its results (dropFound), and the search
// adds the block found in its place anew, as Emacs runs what it finds;
// so is one its owners' results, written, no longer hold. A kept block
// not found (an owner up its chain queued or running again,
// its results not written yet) is put past every key the search gives,
// until that owner ends and drops it. It returns what dropFound returns.
// planned keeps the last report planned (planReport). The caller holds
// e.mu.
func (e *Engine) rekeyFound(ds *docState, doc *org.Document, planned *plannedReport) (changed []*store.Instance, gone dropped) {
	kept := map[string]*blockState{}
	for _, b := range ds.blocks {
		if b.addedBy != "" {
			kept[b.name] = b
		}
	}
	if len(kept) == 0 {
		return nil, dropped{}
	}
	// Generation by generation (bounded: each adds a block's results
	// or ends), as foundAgain adds them: the results of the blocks
	// found so far put in, the search goes on from the report before.
	results := map[int]org.Result{}
	for _, b := range ds.blocks {
		if b.addedBy != "" || ds.foundFirstOfName(b) != nil {
			// A block writing its results with a found one does
			// so under that block's key, which is being given.
			continue
		}
		if at, r, ok := e.writtenResult(ds, doc, b); ok {
			results[at] = r
		}
	}
	keys := map[*blockState]int{}
	as := map[*blockState]plan.Addition{} // what the search finds each as
	lines := map[*blockState][2]int{}     // the lines (line, beginLine) of the blocks given keys, before
	var other []*blockState
	isOther := map[*blockState]bool{} // other as a set: found blocks may be many
	setOther := func(b *blockState) {
		other, isOther[b] = append(other, b), true
	}
	var rep *org.BufferReport
	for range len(kept) + 1 {
		rep = ds.searchOn(doc, results, rep)
		ed, err := e.planReport(planned, ds, doc, rep)
		if err != nil {
			// Keys given so far are partial: a block not given one
			// would be dropped as no longer found. Every block is
			// kept as it stands (the search that follows fails as
			// well, and adds nothing).
			for b, l := range lines {
				b.line, b.beginLine = l[0], l[1]
			}
			e.log.Warn("planning the buffer to key again the blocks found in results: they are kept as they were", "doc", ds.id, "err", err)
			return nil, dropped{}
		}
		grew := false
		for _, a := range ed.Added() {
			name := a.Name
			if a.Task != nil {
				name = a.Task.Block
			}
			b := kept[name]
			if b == nil || b.addedBy != a.FoundIn && a.FoundIn != "" {
				continue
			}
			if _, ok := keys[b]; ok || isOther[b] {
				continue
			}
			if !sameFound(a, b) {
				setOther(b)
				continue
			}
			keys[b] = a.Key
			lines[b] = [2]int{b.line, b.beginLine}
			b.line, b.beginLine = a.Line, a.BeginLine
			as[b] = a
			if _, r, ok := e.writtenResult(ds, doc, b); ok {
				// Where the search has them: a block of its
				// #+name before it has them (plan's sameNameResults).
				results[a.Task.ResultsIndex()] = r
				grew = true
			}
		}
		if !grew {
			break
		}
	}
	for _, b := range ds.blocks {
		if _, ok := keys[b]; !ok && b.addedBy != "" && ds.ownersFinished(b) && !isOther[b] && !b.isAddedPost() {
			// Its owners' results written, it is not in them now.
			setOther(b)
		}
	}
	next := org.AddedKey + len(rep.Marks) - len(doc.Executables())
	ds.added, ds.addedRefused, ds.keyTaken = map[int]bool{}, map[int]bool{}, nil
	// The keys given, by name, which the calls of the refused blocks,
	// the runs of the found blocks' references and their :post chains
	// take (dropped with them, when they are: dropFound), after them.
	given := map[string]int{}
	var calls []*blockState
	for _, b := range ds.blocks {
		if b.addedBy == "" || isOther[b] {
			continue
		}
		if b.isAddedPost() {
			// A :post chain's task, a reading of its output, a
			// call of a refused block: at its block's key.
			calls = append(calls, b)
			continue
		}
		k, ok := keys[b]
		if !ok {
			// Past every key: beyond any mark of the search (1<<20
			// found blocks before it could reach them).
			k, next = next+1<<20, next+1
		}
		b.rekey(k)
		if a, ok := as[b]; ok && b.task != nil {
			// Found where the search found it: the blocks the
			// document's Emacs marks before it are those under the
			// lower keys now (plan.Task.FoundAs).
			b.rewire(func(x *plan.Task) *plan.Task { return x.FoundAs(a.Task) })
			e.resultsMoved(b, a)
			ds.putInAs(b.task)
		}
		given[b.name] = k
		if b.task == nil {
			ds.addedRefused[k] = true
		} else {
			ds.added[k] = true
		}
	}
	for _, b := range calls {
		if k, ok := given[b.addedBy]; ok {
			b.rekey(k)
		}
	}
	if len(other) > 0 {
		e.log.Info("a block found in results is found otherwise now that a block whose results held blocks ran again: it is dropped, and the block found in its place runs", "doc", ds.id)
		changed, gone = e.dropFound(ds, other)
	}
	return changed, gone
}

// refusedCall reports whether b runs a call of a block :eval refuses
// added or found (addCalls): it follows that block, added by it, and is
// neither found nor keyed itself.
func refusedCall(b *blockState) bool {
	return b.task != nil && b.task.RefusedCall()
}

// sameFound reports whether a, a block the search started again finds,
// is kept block b: the same name and the same block (language, text,
// #+name), so that b's task and results stand for it. Where it stands is
// not compared: results before it that grew or shrank move it, and Emacs
// runs the block it finds, wherever it is. A block whose text changed
// under the same name would otherwise keep the old task's results, and
// one whose #+name changed its index under the old #+name (foundNamed,
// where a later block of the old name would find it and one of the new
// name would not) and the old task, which writes its results under it.
func sameFound(a plan.Addition, b *blockState) bool {
	name := a.Name
	if a.Task != nil {
		name = a.Task.Block
	}
	if name != b.name || a.Lang != b.lang {
		return false
	}
	if (a.Task == nil) != (b.task == nil) {
		return false
	}
	return a.Task == nil || a.Task.InBuffer() == b.task.InBuffer()
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
// on from it rather than writing every result again. planned, when not
// nil, has the report planned last (planReport). The caller holds e.mu.
func (e *Engine) searchResults(ds *docState, doc *org.Document, by *blockState, stored bool, planned *plannedReport) ([]*store.Instance, rerun) {
	prev := ds.searched
	if prev == nil {
		prev = ds.foundIn
	}
	rep := ds.searchOn(doc, e.finishedResults(ds, doc), prev)
	if rep == prev {
		return nil, rerun{}
	}
	ds.searched = rep
	ds.noteSearched(doc.Executables(), prev, rep)
	if len(rep.Marks) <= len(doc.Executables()) {
		ds.stopped = nil // nothing found: nothing stops the document
		return nil, rerun{}
	}
	ds.foundIn = rep
	ed, err := e.planReport(planned, ds, doc, rep)
	if err != nil {
		e.log.Warn("reading the blocks found in the results written: they are not run", "doc", ds.id, "err", err)
		return nil, rerun{}
	}
	ds.stopAt(ed, func(a plan.Addition) {
		e.log.Info("org-babel-execute-buffer stops the document at a block found in results: the blocks after it are not run", "doc", ds.id, "by", by.name, "lang", a.Lang, "line", a.Line)
	})
	return e.addAdditions(ds, by, ed, stored, e.foundLinesIn(ds))
}

// plannedReport is the buffer report planned last in one search of a
// document's results, with its edits: a re-key (rekeyFound) ends on the
// report that the search started again after it (searchResults) makes
// anew, the same text and marks, and both are made under e.mu, where
// parsing and planning a document's buffer twice holds every other
// request back.
type plannedReport struct {
	doc *org.Document
	p   *plan.Plan
	rep *org.BufferReport
	ed  *plan.Edits
}

// planReport is bufferEdits of rep, taken from last when it planned the
// same report of the same document and plan, and kept there. last may be
// nil. The caller holds e.mu. The edits are read only, and a function of
// the document, plan and report but for the backend's limits and the
// planning's configuration, which are not in the key: the backend's
// limits may change at any time (Mesos' and Kubernetes' offers, local's
// Docker found missing), so one search that reuses the edits plans with
// one snapshot of them, the one its first planning took.
func (e *Engine) planReport(last *plannedReport, ds *docState, doc *org.Document, rep *org.BufferReport) (*plan.Edits, error) {
	if last != nil && last.ed != nil && last.doc == doc && last.p == ds.plan && sameReport(last.rep, rep) {
		if reusedEdits != nil {
			reusedEdits(last.ed, doc, ds.plan, rep, e.backend.Limits(), e.cfg.Plan)
		}
		return last.ed, nil
	}
	ed, err := bufferEdits(doc, ds.plan, rep, e.backend.Limits(), e.cfg.Plan)
	if last != nil && err == nil {
		*last = plannedReport{doc: doc, p: ds.plan, rep: rep, ed: ed}
	}
	return ed, err
}

// sameReport reports whether buffer reports a and b say the same: text,
// marks, properties and defaults (what planning one reads).
func sameReport(a, b *org.BufferReport) bool {
	if a == b {
		return true
	}
	return a.Text == b.Text && slices.Equal(a.Marks, b.Marks) && maps.Equal(a.Properties, b.Properties) && reflect.DeepEqual(a.Defaults, b.Defaults)
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
	if why, _ := ds.failureStopBefore(b); why != "" {
		return why
	}
	if why := ds.planStopHoldsAdded(b); why != "" {
		return why
	}
	return ds.foundStopWhy(b)
}

// planStopHoldsAdded says why b, a block an Emacs Lisp block added to
// the buffer or found in results (addedRun), is not run because it
// stands past the stop the plan knows (plan.Plan.StopLine): placed among
// the submitted document's blocks (addedBefore), after the last of them
// included, which no task the plan marks (Task.Replaced) is. "" when it
// is not. Worded as no failure stop's hold (failStopMessage), which
// rehold weighs again against the failure stops alone: the plan's stop
// is never lifted. The caller holds e.mu.
func (ds *docState) planStopHoldsAdded(b *blockState) string {
	if !addedRun(b) || !ds.afterPlanStop(*b.addedBefore) {
		return ""
	}
	where := strings.TrimPrefix(ds.plan.StopNote, fmt.Sprintf("line %d: ", ds.plan.StopLine))
	return fmt.Sprintf("not run: it stands past line %d, where %s", ds.plan.StopLine, where)
}

// foundStopWhy says why b is not run because org-babel-execute-buffer
// stops at a block found in results before it (ds.stopped), "" when it
// does not. The caller holds e.mu.
func (ds *docState) foundStopWhy(b *blockState) string {
	if ds.stopped == nil || b.task == nil {
		return ""
	}
	return ds.stopped.StoppedBefore(b.decidedTask())
}

// finishedResults are the results of ds's blocks that finished, as
// write-back writes them (writtenResult), but those it leaves unwritten,
// their turn standing past a stop (unwrittenPastStop). The caller holds
// e.mu.
func (e *Engine) finishedResults(ds *docState, doc *org.Document) map[int]org.Result {
	results := map[int]org.Result{}
	past := &pastStop{ds: ds}
	for _, b := range ds.inResultsOrder() {
		if past.unwrittenPastStop(b) {
			continue
		}
		if at, r, ok := e.writtenResult(ds, doc, b); ok {
			results[at] = r
		}
	}
	return results
}

// inResultsOrder are the blocks of ds in the order their results are
// written where several blocks write theirs in one place, the last
// written standing: the order org-babel-execute-buffer runs them in
// (runOrder), as Emacs writes the results of each block of a name under
// the first "#+RESULTS: name" of the buffer when it runs it, whichever
// finished first here. The caller holds e.mu.
func (ds *docState) inResultsOrder() []*blockState {
	if !slices.ContainsFunc(ds.blocks, func(b *blockState) bool { return b.addedBy != "" }) {
		return ds.blocks
	}
	out := slices.Clone(ds.blocks)
	slices.SortStableFunc(out, ds.runOrder)
	return out
}

// writtenResult is the result finished block b's attempt writes, and
// where (its results' index), when Babel has those results: its own
// run's (not a failure's or several instances' drawer) and whole (not
// cut under a note past the size limit: asWritten). The caller holds
// e.mu.
func (e *Engine) writtenResult(ds *docState, doc *org.Document, b *blockState) (int, org.Result, bool) {
	at, r, ok, _ := e.writtenResultRead(ds, doc, b)
	return at, r, ok
}

// writtenResultRead is writtenResult, with the error a read of the
// block's output failed with (its result made of what was read until
// then). The caller holds e.mu.
func (e *Engine) writtenResultRead(ds *docState, doc *org.Document, b *blockState) (int, org.Result, bool, error) {
	at, ok := ds.writtenAt(b)
	if !ok {
		return 0, org.Result{}, false, nil
	}
	in := b.instances[0]
	var refs map[string]plan.Value
	if b.task.Cache {
		refs = e.refsOf(b)
	}
	r, read, ok, err := e.endResult(doc, b, refs)
	var readErr error
	switch {
	case ok && !read:
		return 0, org.Result{}, false, nil
	case !ok:
		r, readErr, err = e.readFinished(doc, b.task, in.rec.AttemptID, refs)
	}
	if err != nil {
		e.log.Warn("reading a block's results to search them for blocks", "doc", ds.id, "block", b.name, "err", err)
		return 0, org.Result{}, false, nil
	}
	return at, r, asWritten(r), readErr
}

// writtenAt is where (its results' index) finished block b's attempt
// writes its results, when it writes them (writtenResult, which reads
// them, may still find them not as Babel writes them), known without
// reading its output. The caller holds e.mu.
func (ds *docState) writtenAt(b *blockState) (int, bool) {
	if b.task == nil || len(b.instances) != 1 {
		return 0, false
	}
	in := b.instances[0]
	if State(in.rec.State) != Finished || in.rec.AttemptID == "" || resultsStayOf(in) || searchesAfterRead(&in.rec) {
		// Not written: Emacs stops before it writes them, or whether
		// it does is being read (searched once known: foundAfterRead).
		return 0, false
	}
	if r := ds.chainRoot(b); r != nil && ds.chainStopped(r) {
		// Nor when its :post chain stopped Emacs before it wrote
		// the value (stoppedChains), as ResultDocument leaves them.
		return 0, false
	}
	if ds.valueReadStops(b) {
		// Nor a JavaScript block's value Emacs cannot read
		// (org-babel-js-read signals before it writes it), as
		// ResultDocument leaves it: a search made again (a server
		// restarted) would write it otherwise.
		return 0, false
	}
	return ds.redirectedResults(b)
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
			doc, err := e.parsed(ds)
			if err == nil && ds.plan != nil && ds.writtenEmacs() != "" {
				if _, _, ok := e.searchChanged(ds, doc, b, true); ok {
					break
				}
			}
			switch {
			case err != nil || ds.plan == nil:
			case ds.writtenEmacs() != "" && !e.searchesBesideEmacs(ds, doc, true):
				// Nothing held yet, nothing is queued again. Searched
				// whatever b wrote: the stop may be in the results of
				// any block that finished, not only b's.
				e.stopBesideEmacs(ds, doc, b)
			default:
				e.searchResults(ds, doc, b, true, nil)
			}
			break
		}
	}
	return ds.blocks[n:]
}

// searchesBesideEmacs reports whether the results written in a document
// whose Emacs reports its Org buffer (ds.writtenEmacs) are searched as in
// a document without Emacs Lisp, the blocks found there run: while no
// task of that Emacs has changed the buffer (none has a report of it,
// even one that cannot be read), where every task of that Emacs standing
// before the blocks found, and every block standing before the last of
// them, has ended, and none standing after them has run
// (plan.FoundAfterEmacs). Their places in the buffer are then the
// document's, with the results written in it, as
// org-babel-execute-buffer finds them; the tasks of that Emacs after
// them wait for them (addBlock, addCalls) and have it mark them before
// they put their results in (plan's bufferForms), and a found block of
// Emacs Lisp has that Emacs mark it where it stands. Where a block found
// before a task of that Emacs stops the document, the blocks found before
// it run so, as Emacs runs them, and the stop (stopAt) holds that task
// and every block after it. On a server started again (restarted) the
// tasks after them are taken to have waited for them where the server
// before added them all (the store holds a record of each: foundStored),
// as they did then; otherwise they are taken as they stand, as that
// server took them when it searched (a task after them that had run,
// the block before them run again since, found none). Once some have
// been found so (ds.foundIn), the search goes on so until a report
// comes. The caller holds e.mu.
func (e *Engine) searchesBesideEmacs(ds *docState, doc *org.Document, restarted bool) bool {
	if has, unreadable := e.bufferReportMarked(ds.bufferAttempts()); has || unreadable {
		return false
	}
	if ds.foundIn != nil {
		// Searched so once every block before the last task of the
		// Emacs had ended: only a block run again (which clears
		// foundIn) puts a block found before that task.
		return true
	}
	rep := doc.ReportResults(e.finishedResults(ds, doc), nil)
	// The blocks found in rep, planned for foundStored only on a
	// server started again (planReport plans the whole document again).
	waited := restarted && foundStored(ds, func() (*plan.Edits, error) { return e.planReport(nil, ds, doc, rep) })
	ended := make(map[string]bool, len(ds.blocks))
	ran := make(map[string]bool, len(ds.blocks))
	for _, b := range ds.blocks {
		s := b.state()
		// A block that ended unrun (held by a stop) has not run:
		// a server started again takes it as the live one did.
		unrun := len(b.instances) > 0 && !slices.ContainsFunc(b.instances, func(in *instState) bool { return !endedUnrun(in) })
		ended[b.name], ran[b.name] = s.Terminal(), s != Queued && !waited && !unrun
	}
	return plan.FoundAfterEmacs(doc, ds.plan, rep, ds.writtenEmacs(), func(t *plan.Task) bool { return ended[t.Block] }, func(t *plan.Task) bool { return ran[t.Block] })
}

// foundStored reports whether the store a server started again adopts
// ds from (ds.stored) holds a record of every block found in the results
// rep reports (as planned plans them), and there is one: the server
// before added them all. The caller holds e.mu.
func foundStored(ds *docState, planned func() (*plan.Edits, error)) bool {
	if ds.stored == nil {
		return false
	}
	ed, err := planned()
	if err != nil {
		return false
	}
	n := 0
	for _, a := range ed.Added() {
		name := a.Name
		if a.Task != nil {
			name = a.Task.Block
		}
		if !ds.stored[name] {
			return false
		}
		n++
	}
	return n > 0
}

// foundStopBesideEmacs is foundInResults for a document whose Emacs
// reports its Org buffer (ds.writtenEmacs): where org-babel-execute-buffer
// stops at a block found in results that Babel has no function for (an
// org block :results org writes), the blocks after it are held as in a
// document without Emacs Lisp (ds.stopped). The search is made in the
// document's coordinates, its results in their places, which are the
// buffer's only while no task of that Emacs has changed the buffer (none
// has a report of it, even one that cannot be read): otherwise the
// search is searchChanged's, in that buffer, and a stop found before
// stays unless it finds one. Such a document's blocks wait for the Emacs Lisp blocks
// before them (Task.EnvironmentOf), and its Emacs Lisp blocks for the
// blocks whose results they put in (Task.BufferResults), so a task that
// changed the buffer ran before every block whose results it searches,
// or after them, held by the stop: a server started again decides as
// the one before it. Blocks found that run are not added: the Emacs has
// no mark for them, where their results would go and later Emacs Lisp
// blocks find them. It returns what stopLifted does when by, run again,
// moved or cleared the stop. The caller holds e.mu.
func (e *Engine) foundStopBesideEmacs(ds *docState, doc *org.Document, by *blockState) rerun {
	if ds.stopped == nil && !e.mayHoldExecutables(ds, doc, by) {
		return rerun{}
	}
	return e.stopBesideEmacs(ds, doc, by)
}

// stopBesideEmacs is foundStopBesideEmacs without its look at by's
// results alone: the results of every finished block are searched. A
// server started again calls it (foundAgain), where ds.stopped is not
// known yet and the stop may be in the results of any finished block.
// The caller holds e.mu.
func (e *Engine) stopBesideEmacs(ds *docState, doc *org.Document, by *blockState) rerun {
	// A report that could not be read may be of a changed buffer: the
	// document's places are not known to be the buffer's.
	if has, unreadable := e.bufferReportMarked(ds.bufferAttempts()); has || unreadable {
		return rerun{}
	}
	held := ds.heldByStop()
	rep := doc.ReportResults(e.finishedResults(ds, doc), nil)
	if len(rep.Marks) <= len(doc.Executables()) {
		ds.stopped = nil
	} else {
		ed, err := e.planReport(nil, ds, doc, rep)
		if err != nil {
			e.log.Warn("reading the blocks found in the results written: the document is not stopped at them", "doc", ds.id, "err", err)
			return rerun{}
		}
		ds.stopAt(ed, func(a plan.Addition) {
			e.log.Info("org-babel-execute-buffer stops the document at a block found in results: the blocks after it are not run", "doc", ds.id, "by", by.name, "lang", a.Lang, "line", a.Line)
		})
	}
	if len(held) == 0 {
		return rerun{}
	}
	return e.stopLifted(ds, held, by.name+" ran again, and its results changed")
}

// mayHoldExecutables reports whether the results by's finished attempt
// writes may hold a block org-babel-execute-buffer finds: its :results or
// :wrap put its output in as Org text (raw, drawer, org, code, list, a
// wrap) and that text, read once, has one. Only then are the document's
// results searched, which reads them all. The header is weighed first:
// the output of a block whose results cannot be Org text is not read
// (under e.mu, with no deadline). The caller holds e.mu.
func (e *Engine) mayHoldExecutables(ds *docState, doc *org.Document, by *blockState) bool {
	if by.addedBy != "" {
		if by.task == nil || !by.task.ResultsOrgText() {
			return false
		}
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
	return ok && doc.ResultsMayHoldExecutables(blk, r)
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
