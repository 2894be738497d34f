package engine

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// This file runs the source blocks an Emacs Lisp block added to the Org
// buffer of the document's Emacs, as org-babel-execute-buffer runs them
// where it finds them (plan's added.go decides): when a task of that
// Emacs ends with a report of the buffer marking added blocks, each gets
// a task of the document (listed after the submitted ones, its line the
// buffer's, AddedBy naming the block that added it), and the next task of
// that Emacs puts its results in the buffer before it runs, waiting for
// it. Their states are stored as any task's; a server started again adds
// them again from the same reports before it gives them their stored
// states (adopt).

// addBlocks adds to ds the blocks the report of by's attempt marks as
// added that it does not have yet, and returns their instances' records
// (queued), which the caller counts as tracked, and, unless it adds them
// again at a start (stored), the records of those it has that run again
// (addedAgainOtherwise, and the blocks that referred to one dropped);
// those it added before and no longer adds are dropped (dropNotAdded),
// what to remove and kill of them returned (gone). by is a task of the
// Emacs the document is written back from (reportedEmacs): the
// document's, or, in a document with no Emacs Lisp block of its own, the
// Emacs blocks found in results run in, whose buffer org-babel-execute-
// buffer walks on in (the blocks it adds there keyed past the search's:
// one keyed where a block is found in results is refused at write-back,
// org.Document.PlacesAdded). The caller holds e.mu.
func (e *Engine) addBlocks(ds *docState, by *blockState, attempt string, stored bool) (added, changed []*store.Instance, gone dropped) {
	if attempt == "" || ds.plan == nil || !by.task.InSession(ds.reportedEmacs()) {
		return nil, nil, dropped{}
	}
	if !stored {
		// Its report says from now on what it added: a server
		// started again while it runs again reads it (addedAgain).
		for _, in := range by.instances {
			if in.rec.AttemptID == attempt {
				in.rec.AddedFrom = attempt
			}
		}
	}
	rep, reload := e.reportLocked(ds, attempt)
	if reload != nil {
		// Not read here, under the lock: at an attempt's end it was
		// read off it (reportWanted), at a start before (prereadAll),
		// and kept (pinned) through this call.
		e.log.Warn("the report of the Org buffer an Emacs Lisp task left was not kept: read again, the blocks it added are not added now", "doc", ds.id, "block", by.name, "attempt", attempt)
		return nil, nil, dropped{}
	}
	if rep == nil {
		if _, none := e.unreported.Load(attempt); none && !stored {
			// It left the buffer as it found it: it added nothing.
			changed, gone = e.dropNotAdded(ds, by, nil)
		}
		return nil, changed, gone
	}
	doc, err := e.parsed(ds)
	if err != nil {
		return nil, nil, dropped{}
	}
	if len(rep.Marks) <= len(doc.Executables()) {
		if !stored {
			changed, gone = e.dropNotAdded(ds, by, nil)
		}
		return nil, changed, gone
	}
	ed, _ := e.editsOf(ds, attempt, "the blocks added to it are not run") // rep is kept
	if ed == nil {
		return nil, nil, dropped{}
	}
	if !stored {
		still := map[int]string{}
		for _, a := range ed.Added() {
			if !a.Gone {
				still[a.Key] = a.Name
				if a.Task != nil {
					still[a.Key] = a.Task.Block
				}
			}
		}
		changed, gone = e.dropNotAdded(ds, by, still)
	}
	added, again := e.addAdditions(ds, by, ed, stored, func(a plan.Addition) {
		if !stored {
			x := e.addedAgainOtherwise(ds, by, a, ed)
			changed = append(changed, x.recs...)
			gone.follow(x)
		}
	})
	changed = append(changed, again.recs...)
	gone.follow(again)
	return added, changed, gone
}

// addAdditions adds to ds, by by, the blocks ed marks as added that it
// does not have yet (had is told of those it has), and returns their
// instances' records (queued) and what running sessions again for them
// did (addBlock; nothing when they are added again at a start, stored).
// A block found in results whose key another block has (keyIsTaken) is
// not run, and the notes say so. The caller holds e.mu.
func (e *Engine) addAdditions(ds *docState, by *blockState, ed *plan.Edits, stored bool, had func(plan.Addition)) (added []*store.Instance, again rerun) {
	var byKey map[int]*blockState // the found blocks, by key, once asked
	foundAt := func(key int) *blockState {
		if byKey == nil {
			byKey = ds.foundByKey()
		}
		return byKey[key]
	}
	for _, a := range ed.Added() {
		if ds.added[a.Key] {
			if a.FoundIn != "" && !a.Gone {
				ds.keyIsTaken(a, foundAt(a.Key))
			}
			if a.FoundIn != "" && a.Task != nil {
				e.resultsMoved(foundAt(a.Key), a)
			}
			if a.FoundIn != "" && a.Task == nil && foundNamedTwice(ed, a) {
				if b := foundAt(a.Key); b != nil && b.addedBy == a.FoundIn {
					// A block it runs, now found refused: keyed as
					// their owners finished, a block of its #+name
					// found since stands before it, whose results its
					// references put in the buffer (and its own go
					// under). The search is started again from the
					// document (rekeyFound), which keys them in the
					// buffer's order, as a server started again does.
					ds.resultsMoved = true
				}
			}
			if !a.Gone {
				e.queueReported(ds, a)
			}
			if a.Task != nil && len(a.Runs) > 0 {
				if b := ds.byName[a.Task.Block]; b != nil && b.task != nil && b.index == a.Key {
					// Runs for references made since it was added (a
					// block a later Emacs Lisp block changed to refer to
					// it).
					recs, more := e.addRuns(ds, b, a, stored)
					added = append(added, recs...)
					again.add(more)
				}
			}
			had(a)
			continue
		}
		if a.Gone {
			continue
		}
		if a.Task == nil && ds.addedRefused[a.Key] {
			e.queueReported(ds, a)
			had(a) // listed not run already: it may stand elsewhere now
			continue
		}
		// A block found in results is the block's whose results hold
		// it, whichever block's end had them searched (at a start, the
		// first that finished): a run again of that block drops it.
		owner := by
		if o := ds.byName[a.FoundIn]; a.FoundIn != "" && o != nil {
			owner = o
		}
		if a.Task == nil {
			// Not run: listed with the reason, as a block of the
			// document Borges does not run is.
			if ds.addedRefused == nil {
				ds.addedRefused = map[int]bool{}
			}
			ds.addedRefused[a.Key] = true
			refused := &blockState{doc: ds, name: a.Name, index: a.Key, line: a.Line, beginLine: a.BeginLine, lang: a.Lang, addedBy: owner.name, found: a.FoundIn != "",
				skipped: &plan.Skipped{Block: a.Name, Index: a.Key, Line: a.Line, Lang: a.Lang, Reason: a.Why}, unrunIn: a.In, bufLine: a.Line}
			ds.appendBlock(refused)
			ds.anyFound = ds.anyFound || refused.found
			ds.queueAdded(refused)
			if refused.found {
				e.log.Info("a block found in results is not run", "doc", ds.id, "in", owner.name, "line", a.Line, "why", a.Why)
			} else {
				e.log.Info("a block added to the Org buffer is not run", "doc", ds.id, "by", owner.name, "line", a.Line, "why", a.Why)
			}
			added = append(added, e.addCalls(ds, refused, a, ed)...)
			continue
		}
		recs, more := e.addBlock(ds, owner, a, ed, stored)
		added = append(added, recs...)
		again.add(more)
	}
	return added, again
}

// takenKey is a block found in results (name, found in owner's results,
// its #+begin_src at line of the Org buffer) that the search keys where
// by, another block, is added already (keyIsTaken).
type takenKey struct {
	name, owner string
	line        int
	by          *blockState
}

// keyIsTaken keeps a, a block found in results whose key ds has added
// already, as not run when by, the block under that key, is another
// block: one an Emacs Lisp block found added to the buffer of the Emacs
// blocks found in results run in, which marks it past the blocks found
// then, keyed where the search of results written since keys a (the
// next after the last block found). The key stays by's, as that Emacs
// has it: a is not run, neither written at by nor left unsaid (the
// notes name it, keyTakenNotes). The caller holds e.mu.
func (ds *docState) keyIsTaken(a plan.Addition, by *blockState) {
	if by == nil || by.addedBy == a.FoundIn || sameFound(a, by) {
		return
	}
	name := a.Name
	if a.Task != nil {
		name = a.Task.Block
	}
	if ds.keyTaken == nil {
		ds.keyTaken = map[int]takenKey{}
	}
	ds.keyTaken[a.Key] = takenKey{name: name, owner: a.FoundIn, line: a.BeginLine, by: by}
}

// keyTakenNotes is notes with one for each block found in results not
// run because its key is another block's (keyIsTaken), while that block
// still has it and no block of its name has been added since (a search
// keyed anew, rekeyFound, gives it a key of its own). The caller holds
// e.mu.
func (ds *docState) keyTakenNotes(notes []string) []string {
	if len(ds.keyTaken) == 0 {
		return notes
	}
	byKey := ds.foundByKey()
	for _, k := range slices.Sorted(maps.Keys(ds.keyTaken)) {
		x := ds.keyTaken[k]
		if byKey[k] != x.by || ds.byName[x.name] != nil {
			continue
		}
		notes = append(slices.Clip(notes), fmt.Sprintf("block %s, found in the results of %s at line %d of the Org buffer, is not run: the search of results keys it where the Emacs blocks found in results run in marks block %s (line %d of the Org buffer), which an Emacs Lisp block found in results added there; Emacs runs both, and Borges cannot write the results document as Emacs does", x.name, x.owner, x.line, x.by.name, viewLine(x.by)))
	}
	return notes
}

// addCalls adds to ds the tasks of the calls of the :var values of a, a
// block :eval refuses added or found in results, listed not run as by
// (a.Calls): Emacs resolves them before it refuses the block, running
// each call there. Each is added by by, at a's key and line, as a :post
// of an added block is by its block (isAddedPost): dropped with it. A
// stop one makes (its output asks for a coding system) stops the
// document at the refused block (stopPlace), the blocks after it waiting
// for the call (callsBefore). It returns their instances' records
// (queued). The caller holds e.mu.
func (e *Engine) addCalls(ds *docState, by *blockState, a plan.Addition, ed *plan.Edits) (recs []*store.Instance) {
	before := addedBeforeOf(a, ed)
	for _, t := range a.Calls {
		if ds.byName[t.Block] != nil {
			// Its name is taken: it is not run, which is said on the
			// refused block rather than passed over in silence.
			why := fmt.Sprintf("the call %s of its :var values, which Emacs runs before it refuses the block, is not run: a task of that name is already in the document (a known gap)", t.Block)
			if by.skipped != nil && !strings.Contains(by.skipped.Reason, why) {
				by.skipped.Reason += "; " + why
			}
			e.log.Warn("the call of a block :eval refuses added to the Org buffer is not run", "doc", ds.id, "block", t.Block, "by", by.name, "line", a.Line, "why", why)
			continue
		}
		c, crecs := ds.placeAdded(t, a, by, before)
		ds.refusedCalls = append(ds.refusedCalls, c)
		recs = append(recs, crecs...)
		// Woken by the blocks whose results it puts in the buffer
		// first, as the block it is called for is: a block found
		// before it may still run.
		ds.dependOn(c, bufferedOf(t))
		if inEmacs(c) {
			// A task of the document's Emacs still to run after the
			// refused block runs after the call there.
			e.runsBefore(c)
		}
		e.touchBlock(c)
		e.log.Info("running the call of a block :eval refuses added to the Org buffer", "doc", ds.id, "block", c.name, "by", by.name, "line", a.Line)
	}
	return recs
}

// foundNamedTwice reports whether another block ed finds in results
// has the #+name of a, one found in results.
func foundNamedTwice(ed *plan.Edits, a plan.Addition) bool {
	return a.Name != "" && slices.ContainsFunc(ed.Added(), func(o plan.Addition) bool {
		return o.FoundIn != "" && o.Key != a.Key && o.Name == a.Name
	})
}

// foundByKey are the blocks of ds added or found in results, by key:
// those that have tasks, and those listed not run (addedRefused), but
// not the tasks run after or for them (isAddedPost), which share their
// keys. The caller holds e.mu.
func (ds *docState) foundByKey() map[int]*blockState {
	out := map[int]*blockState{}
	for _, b := range ds.blocks {
		if b.addedBy != "" && !b.isAddedPost() {
			out[b.index] = b
		}
	}
	return out
}

// resultsMoved has b, a block found in results that a search finds again
// as a (of its name), write its results where a's are: a block of its
// #+name found since stands before it in the buffer, whose results
// Emacs replaces with its own (or no longer does). The caller holds
// e.mu.
func (e *Engine) resultsMoved(b *blockState, a plan.Addition) {
	if b == nil || b.task == nil || b.name != a.Task.Block {
		return
	}
	if t := b.task.ResultsAs(a.Task); t != b.task {
		b.rewire(func(x *plan.Task) *plan.Task { return x.ResultsAs(a.Task) })
		b.result = nil
		if slices.ContainsFunc(b.instances, func(in *instState) bool { return State(in.rec.State) == Finished && in.rec.AttemptID != "" }) {
			// Its results are in the report searched, where they were.
			b.doc.resultsMoved = true
		}
		e.touch(b)
	}
}

// addedBeforeOf is the place an added block's stop (its value refused
// inline) stops the document at (blockState.addedBefore): just before
// the submitted document's block org-babel-execute-buffer comes to after
// it in the buffer (plan.Edits.NextAfterAdded), in the submitted
// document's lines, as every other place is (placeOf), or at the end of
// the document when no such block follows it. A block found in results
// is placed so too: Emacs runs it where it finds it, after the block
// whose results hold it and before the next block of the document.
func addedBeforeOf(a plan.Addition, ed *plan.Edits) *place {
	line, index, ok := ed.NextAfterAdded(a.Key)
	if !ok {
		// After the last of them: at the end of the document.
		return &place{math.MaxInt, 0}
	}
	return &place{line, index - 1}
}

// addBlock adds the task of addition a, by by, to ds (ed: the buffer it
// was added to): queued, or failed without running when Babel would fail
// on it (a.Why). A block of a session whose interpreter cannot take it in
// its place runs its session again (inSession), unless it is added again
// at a start (stored): again is what that did. The caller holds e.mu.
func (e *Engine) addBlock(ds *docState, by *blockState, a plan.Addition, ed *plan.Edits, stored bool) (recs []*store.Instance, again rerun) {
	if ds.added == nil {
		ds.added = map[int]bool{}
	}
	ds.added[a.Key] = true
	t := a.Task
	b, recs := ds.placeAdded(t, a, by, addedBeforeOf(a, ed))
	// Not its calls' or its :post's tasks, added by it.
	b.found = a.FoundIn != ""
	ds.anyFound = ds.anyFound || b.found
	if a.FoundIn != "" && t.Named {
		b.foundKey, b.keptResults = org.FoldKey(a.Name), a.KeptResults
		if a.Name != t.Block {
			b.formerName = a.Name
		}
	}
	if a.Why != "" {
		for _, in := range b.instances {
			now := e.now()
			in.rec.State, in.rec.Message, in.rec.FinishedAt = string(Failed), a.Why, &now
			e.metrics.failures.Inc()
		}
	}
	ds.indexFound(b, false)
	// The runs of Emacs Lisp blocks its references make (a block found
	// in results), in the document's Emacs before it, as the calls of a
	// block :eval refuses run: it waits for them, and they are dropped
	// with it.
	recs = append(recs, e.addCalls(ds, b, a, ed)...)
	ds.dependOn(b, bufferedOf(t))
	e.foundFinder(b)
	e.foundAfterWake(b)
	switch {
	case inEmacs(b):
		e.runsBefore(b)
		e.environmentAfter(b, ed)
		if p := b.wiredInto; p != nil {
			// The task it runs before there puts its results in the
			// buffer, as org-babel-execute-buffer wrote them there
			// before it went on (the Emacs marks it first:
			// bufferForms).
			p.putIn = append(p.putIn, t)
		}
		if !stored && b.found && ds.writtenEmacs() == "" && t.BufferPrev != "" && ds.sessionClosed(t.Session.Key, b) {
			// In a document with no Emacs of its own, the Emacs
			// blocks found before it ran in is gone (the server
			// started again since), and its buffer with it: the
			// blocks found before it run again there, in a new
			// Emacs started with the buffer as written so far,
			// then it, after them, as a restart of one of them runs
			// them.
			e.log.Info("a block found in results runs the Emacs of the blocks found before it again", "doc", ds.id, "block", b.name, "session", t.Session.Key)
			again = e.runAgain(ds, b, e.now(), func(x *blockState) string {
				if x == b {
					return ""
				}
				return "its Emacs runs again, with the buffer as written so far: block " + b.name + " was found in results to run there after it, once that Emacs was gone with the server started again"
			}, func(in *instState) bool { return in.block == b })
		}
	case t.Session != nil:
		again = e.inSession(b, stored)
		fallthrough
	default:
		// The task of the document's Emacs that runs next after the
		// block whose environment it runs in puts its results in the
		// buffer: its first, for a block found in results before
		// every task of that Emacs. A reading of a block's output
		// there (which gives no environment) may stand before the
		// block found and have run: the next task of that Emacs's
		// buffer that has not run puts them in (bufferPutter).
		if p := e.bufferPutter(ds, b, t.EnvironmentOf, a.FoundIn != ""); p != nil {
			p.putIn = append(p.putIn, t)
			b.addDependent(p)
			e.touchBlock(p)
		}
	}
	e.touchBlock(b)
	runs, more := e.addRuns(ds, b, a, stored)
	recs = append(recs, runs...)
	again.add(more)
	if b.found {
		e.log.Info("running a block found in results", "doc", ds.id, "block", b.name, "in", by.name, "line", a.Line)
	} else {
		e.log.Info("running a block an Emacs Lisp block added to the Org buffer", "doc", ds.id, "block", b.name, "by", by.name, "line", a.Line)
	}
	return append(recs, e.addPosts(ds, b, a)...), again
}

// addRuns adds to ds the runs of b, the block of addition a, that
// references to it make (a.Runs) and that ds does not have yet: each
// added by b (dropped with it), at its key, run where Emacs runs it as it
// evaluates the referring block (in b's session after the block of the
// session before it there, as an added block of a session runs:
// inSession; in the document's Emacs as an added task of it runs:
// runsBefore), its results written nowhere; the referring block waits
// for it as for any task it refers to. It returns their instances'
// records (queued) and what running sessions again for them did. The
// caller holds e.mu.
func (e *Engine) addRuns(ds *docState, b *blockState, a plan.Addition, stored bool) (recs []*store.Instance, again rerun) {
	for _, t := range a.Runs {
		if ds.byName[t.Block] != nil {
			continue
		}
		r, rrecs := ds.placeAdded(t, a, b, b.addedBefore)
		recs = append(recs, rrecs...)
		ds.dependOn(r, bufferedOf(t))
		switch {
		case inEmacs(r):
			e.runsBefore(r)
		case t.Session != nil:
			again.add(e.inSession(r, stored))
		}
		// The blocks that refer to it, decided already, wait for it.
		for _, q := range ds.blocks {
			if q != r && q.task != nil && slices.Contains(q.task.After, t.Block) {
				r.addDependent(q)
			}
		}
		e.touchBlock(r)
		e.log.Info("running a block added to the Org buffer again for a reference", "doc", ds.id, "block", r.name, "of", b.name, "line", a.Line)
	}
	return recs, again
}

// placeAdded puts among ds's blocks the block of t, added (as a's
// block, or a task of its :post chain) by by, its instances queued, and
// returns it with their records. A block dropped and added again counts
// its attempts on. The caller holds e.mu.
func (ds *docState) placeAdded(t *plan.Task, a plan.Addition, by *blockState, before *place) (*blockState, []*store.Instance) {
	b := &blockState{doc: ds, name: t.Block, index: a.Key, line: a.Line, beginLine: a.BeginLine, lang: t.Lang,
		task: t, submitted: t, addedBy: by.name, addedBefore: before, bufLine: a.Line}
	recs := make([]*store.Instance, 0, t.Instances)
	for i := 0; i < t.Instances; i++ {
		in := &instState{block: b, rec: store.Instance{DocID: ds.id, Block: b.name, Instance: i, State: string(Queued), Attempts: ds.droppedAttempts[b.name]}}
		b.instances = append(b.instances, in)
		recs = append(recs, &in.rec)
	}
	ds.appendBlock(b)
	ds.queueAdded(b)
	ds.byName[b.name] = b
	ds.failStopsChanged(b)
	ds.noteJSValue(b)
	return b, recs
}

// bufferedOf are the tasks whose results t, of the document's Emacs,
// puts in its buffer before it runs (plan.Task.BufferResults).
func bufferedOf(t *plan.Task) []string {
	var out []string
	for _, br := range t.BufferResults {
		out = append(out, br.Task)
	}
	return out
}

// dependOn has b, added, wait for the blocks of ds its task needs (its
// :after, those it reads before it runs, the one it writes its results
// with, the one whose environment it runs in, the one whose old results
// hold it: replacedWhy) and for more. The caller
// holds e.mu.
func (ds *docState) dependOn(b *blockState, more []string) {
	t := b.task
	for _, d := range slices.Concat(t.After, t.ReadersBefore(), []string{t.ResultsWith, t.EnvironmentOf, t.ReplacedBy}, more) {
		if dep := ds.byName[d]; dep != nil && dep != b {
			dep.addDependent(b)
		}
	}
}

// isAddedPost reports whether b is a task of the :post chain of a block
// added to the buffer or found in results, or the reading of its value
// in Emacs (addPosts), or a call its references make: added by that
// block (addedBy), at its key, it is neither added nor found itself, and
// is dropped only with its block. The caller holds e.mu.
func (b *blockState) isAddedPost() bool {
	return b.addedBy != "" && b.task != nil && (b.task.Post || b.task.ReadsOutput || b.task.RefusedCall())
}

// addPosts adds to ds the tasks of the :post chain of b, the block of
// addition a (a.Posts), as Emacs runs its :post once it has run: each
// added by b (dropped with it), at its key and line, its stop (the
// chain's last value refused inline) where b's stands. It returns their
// instances' records (queued). The caller holds e.mu.
func (e *Engine) addPosts(ds *docState, b *blockState, a plan.Addition) (recs []*store.Instance) {
	for _, t := range a.Posts {
		if ds.byName[t.Block] != nil {
			continue
		}
		p, precs := ds.placeAdded(t, a, b, b.addedBefore)
		recs = append(recs, precs...)
		ds.dependOn(p, nil)
		// The task of the document's Emacs that puts b's results in the
		// buffer waits for its :post too (bufferNames).
		for _, q := range ds.blocks {
			if slices.ContainsFunc(q.putIn, func(x *plan.Task) bool { return x.Block == b.name }) {
				p.addDependent(q)
			}
		}
		e.touchBlock(p)
	}
	return recs
}

// inSession has b, an added block of a session, run in its place among
// the session's blocks, as org-babel-execute-buffer sends it to the
// session's interpreter when it finds it: after the block of the session
// it runs after (Task.SessionPrev), before the one that ran next after
// that one, which now waits for it. When that one has launched already,
// or the session's interpreter was closed (its blocks had all ended),
// the interpreter cannot take b in its place: the whole session runs
// again, in a new interpreter, as a restart of one of its blocks runs it
// (runAgain), unless b is added again at a start (stored), whose states
// are the stored ones. The caller holds e.mu.
func (e *Engine) inSession(b *blockState, stored bool) (again rerun) {
	ds, t := b.doc, b.task
	var next *blockState
	for _, p := range ds.blocks {
		if p != b && p.task.InSession(t.Session.Key) && p.task.SessionPrev() == t.SessionPrev() {
			next = p
			break
		}
	}
	if next != nil {
		next.rewire(func(x *plan.Task) *plan.Task { return x.InSessionAfter(b.name) })
		b.addDependent(next)
		b.wiredInto = next
		e.touchBlock(next)
	}
	if stored {
		return rerun{}
	}
	late := next != nil && slices.ContainsFunc(next.instances, func(in *instState) bool { return State(in.rec.State) != Queued })
	if !late && !ds.sessionClosed(t.Session.Key, b) {
		return rerun{}
	}
	why := func(x *blockState) string {
		if x == b {
			return ""
		}
		return "its session runs again, in a new interpreter: an Emacs Lisp block added block " + b.name + " to the Org buffer among its blocks, after the session's interpreter had run those after it or was closed"
	}
	e.log.Info("a block added to the Org buffer runs its session again", "doc", ds.id, "block", b.name, "session", t.Session.Key)
	return e.runAgain(ds, b, e.now(), why, func(in *instState) bool { return in.block == b })
}

// runsBefore has b, an added task of the document's Emacs, run there
// before the task that was to run next after the one b runs after
// (Task.BufferPrev), as Emacs meets the block where it stands: that task
// waits for b, takes its environment and the buffer it reports, and puts
// in the results of the blocks added after it. The caller holds e.mu.
func (e *Engine) runsBefore(b *blockState) {
	ds, t := b.doc, b.task
	for _, p := range ds.blocks {
		if p == b || p.task == nil || !inEmacs(p) || p.task.Session.Key != t.Session.Key || p.task.BufferPrev != t.BufferPrev {
			continue
		}
		after := func(x *plan.Task) *plan.Task {
			c := *x
			c.After = append(append([]string(nil), c.After...), b.name)
			c.BufferPrev = b.name
			// b, first there now, puts the document in the buffer.
			c.BufferStart = c.BufferStart && !t.BufferStart
			if c.EnvironmentOf == t.BufferPrev {
				c.EnvironmentOf = b.name
			}
			return &c
		}
		p.rewire(after)
		b.addDependent(p)
		b.wiredInto = p
		e.touchBlock(p)
		return
	}
}

// rewire has p's task, and the task it was submitted as when that is
// another (one taken from the buffer), as f makes them: how adding or
// dropping a block rewires the blocks it runs before or among. The
// caller holds e.mu.
func (p *blockState) rewire(f func(*plan.Task) *plan.Task) {
	if p.submitted == nil || p.submitted == p.task {
		p.task = f(p.task)
		p.doc.linksChanged()
		p.doc.blocksChanged(p)
		p.submitted = p.task
		return
	}
	p.task, p.submitted = f(p.task), f(p.submitted)
	p.doc.linksChanged()
	p.doc.blocksChanged(p)
}

// environmentAfter has the blocks of ds outside the document's Emacs
// that, as buffer ed stands, get the environment added task b of that
// Emacs leaves (they stand after it there) take it, as Emacs runs them
// after b: they wait for b to end and get what it reports. A block
// dropped hands them back the one it took (unwire). The caller holds
// e.mu.
func (e *Engine) environmentAfter(b *blockState, ed *plan.Edits) {
	for _, p := range b.doc.blocks {
		if p == b || p.task == nil || inEmacs(p) || p.addedBy != "" || p.task.EnvironmentOf == b.name {
			continue
		}
		sub := p.submitted
		if sub == nil {
			sub = p.task
		}
		if ed.EnvironmentIn(sub) != b.name {
			continue
		}
		in := func(x *plan.Task) *plan.Task {
			c := *x
			c.EnvironmentOf = b.name
			return &c
		}
		p.rewire(in)
		b.addDependent(p)
		e.touchBlock(p)
	}
}

// addedAgainOtherwise is a block added again to the buffer at key a.Key
// by the block by that added it (its Emacs runs again, after a restart):
// when it is not the block it was, it takes the new one's task and runs
// again, whatever became of its old one (killed on request too), as Emacs
// runs what it finds: to Emacs it is a new block. A block that is running
// is left to end. A later block's report of it changes nothing: Emacs has
// run it by then. One of a session that launched in the session's
// interpreter runs the session again, in a new interpreter
// (sessionsLeftOtherwise): what it did as it was is there, which Emacs
// never ran; now in another session, or none, it leaves its old one's
// chain, and joins the new one's where Emacs finds it (inSession). The
// blocks that depend on one run again so follow it (follow). It returns
// what it did. The caller holds e.mu.
func (e *Engine) addedAgainOtherwise(ds *docState, by *blockState, a plan.Addition, ed *plan.Edits) (r rerun) {
	if a.Task == nil || a.Why != "" {
		return r
	}
	var b *blockState
	for _, x := range ds.blocks {
		if x.addedBy == by.name && !x.isAddedPost() && x.index == a.Key {
			b = x
		}
	}
	if b == nil {
		return r
	}
	if b.task.SameAdded(a.Task) {
		return e.addedMoved(ds, b, a, ed)
	}
	for _, in := range b.instances {
		if s := State(in.rec.State); s == Running || s == Staged {
			return r
		}
	}
	left := SessionsLeftOtherwise(ds.leftBlocks([]*blockState{b}))
	old := b.task
	moved := sessionKey(old) != sessionKey(a.Task)
	if moved {
		e.leaveSession(ds, b)
	}
	b.task, b.submitted, b.result = a.Task, a.Task, nil
	b.addedBefore = addedBeforeOf(a, ed)
	e.queueMoved(b)
	ds.linksChanged()
	ds.failStopsChanged(b)
	ds.putInAs(a.Task)
	for _, d := range slices.Concat(a.Task.After, a.Task.ReadersBefore()) {
		if dep := ds.byName[d]; dep != nil && dep != b && !slices.Contains(dep.dependents, b) {
			dep.addDependent(b)
		}
	}
	r = e.sessionsLeftOtherwise(ds, left, "an Emacs Lisp block that added block "+b.name+" to the Org buffer ran again, and added it otherwise, after it ran in its interpreter")
	if moved && a.Task.Session != nil && !inEmacs(b) {
		r.add(e.inSession(b, false))
	}
	// Requeued with its session, or not: any instance of it the
	// reruns left as it was (never launched, killed on request, or
	// not of a session run again) runs as the new block.
	mine := false
	for _, in := range b.instances {
		if State(in.rec.State) == Queued {
			continue
		}
		r.kills = append(r.kills, e.requeue(in, e.now(), "run again: the Emacs Lisp block that added it to the Org buffer ran again, and added it otherwise")...)
		r.recs = append(r.recs, &in.rec)
		mine = true
	}
	if mine && !slices.Contains(r.blocks, b) {
		r.blocks = append(r.blocks, b)
	}
	// The blocks its stop held (its value refused inline) wait for
	// its new run, as when it is restarted itself.
	r.add(e.failStopLifted(ds, []*blockState{b}))
	e.touch(b)
	return e.follow(ds, r)
}

// addedMoved is addedAgainOtherwise of b, added again the same (its
// value the same: not run again) but maybe at another place of the
// buffer: its stop (its value refused inline) stands where it stands now,
// so the blocks that stop held are decided again, as when it is run
// again. It returns what it did. The caller holds e.mu.
func (e *Engine) addedMoved(ds *docState, b *blockState, a plan.Addition, ed *plan.Edits) rerun {
	before := addedBeforeOf(a, ed)
	b.beginLine = a.BeginLine
	if b.line == a.Line && (before == nil) == (b.addedBefore == nil) && (before == nil || *before == *b.addedBefore) {
		return rerun{}
	}
	b.line, b.addedBefore = a.Line, before
	e.queueMoved(b)
	ds.failStopsChanged(b)
	r := e.failStopLifted(ds, []*blockState{b})
	e.touch(b)
	return r
}

// sessionKey is the key of t's session, "" for none.
func sessionKey(t *plan.Task) string {
	if t == nil || t.Session == nil {
		return ""
	}
	return t.Session.Key
}

// leaveSession takes added block b out of its session's chain, as when it
// is dropped (unwire): the block of the session that ran after it runs
// after what b ran after. The caller holds e.mu.
func (e *Engine) leaveSession(ds *docState, b *blockState) {
	t := b.task
	for _, p := range ds.blocks {
		if p == b || p.task == nil || p.task.SessionPrev() != b.name {
			continue
		}
		p.rewire(func(x *plan.Task) *plan.Task { return x.InSessionWithout(b.name, t.SessionPrev()) })
		if slices.ContainsFunc(p.instances, func(in *instState) bool { return State(in.rec.State) == Queued }) {
			p.decideAgain()
		}
		e.touchBlock(p)
	}
	b.dependents = slices.DeleteFunc(b.dependents, func(d *blockState) bool { return d == b.wiredInto })
	b.doc.linksChanged()
	b.wiredInto = nil
}

// addedAgain adds to ds, stored, the blocks the tasks of its Emacs from
// ds.blocks[from:] on reported added, as when they ended, and returns
// them (to be given their stored states, and then looked at in turn: an
// added Emacs Lisp block may add blocks too). A task queued, staged or
// running again has them from the report of the attempt that last ended
// (AddedFrom), until its new one ends: a server that dies twice before
// that still knows them. The caller holds e.mu.
func (e *Engine) addedAgain(ds *docState, from int) []*blockState {
	n := len(ds.blocks)
	for _, b := range ds.blocks[from:n] {
		if b.task == nil || !inEmacs(b) || len(b.instances) == 0 {
			continue
		}
		in := b.instances[0]
		attempt := in.rec.AddedFrom
		if State(in.rec.State).Terminal() && !in.rec.BufferUnread {
			// Its report not read yet (BufferUnread), what it adds
			// is not applied: those of the attempt before it stand
			// until it is (readReportsAgain).
			attempt = in.rec.AttemptID
		}
		// The runs it adds are among those returned, given their
		// stored states.
		e.refusedEndAt(ds, b, attempt)
		e.addBlocks(ds, b, attempt, true)
	}
	return ds.blocks[n:]
}

// putInAs has the tasks of the document's Emacs that put the results of
// added block t.Block in the buffer (addBlock) put them in as t, the task
// it runs as now. The caller holds e.mu.
func (ds *docState) putInAs(t *plan.Task) {
	for _, p := range ds.blocks {
		for i, x := range p.putIn {
			if x.Block == t.Block {
				p.putIn[i] = t
			}
		}
	}
}

// rekey has b, a block added to the document, known by key k: its
// index, and where its task's results go (plan.Task.Rekeyed). The caller
// holds e.mu.
func (b *blockState) rekey(k int) {
	b.index = k
	if b.skipped != nil {
		sk := *b.skipped
		sk.Index, sk.Line = k, b.line
		b.skipped = &sk
	}
	if b.task != nil {
		b.rewire(func(x *plan.Task) *plan.Task { return x.Rekeyed(k) })
		b.result = nil
	}
}

// putting is b's task with the results of the added blocks it puts in the
// buffer (see addBlock).
func (b *blockState) putting(t *plan.Task) *plan.Task {
	for _, a := range b.putIn {
		t = t.PuttingIn(a)
	}
	return t
}

// dropNotAdded drops from ds the blocks by added to the buffer in an
// earlier run that its latest run no longer adds (still: the names of the
// blocks its report marks as added, by key, nil for none; a key the
// document's Emacs gives another block now, which is added anew, counts
// as not added), and the blocks those added in turn, as
// org-babel-execute-buffer does not find them: a running attempt of
// theirs is killed (its resources held until its backend reports it
// ended, as a kill's are), the tasks of the document's Emacs that ran
// after them there run after what they ran after, and the blocks that
// refer to them are decided again when they launch, as those of a block
// deleted from the buffer are; one that had launched runs again
// (referrers, a running attempt killed), as Emacs would, which fails it
// on a reference it no longer finds. It
// returns the records of those run again (changed) and those of the
// blocks dropped, with their attempts to kill and forget (gone): the
// caller removes the records from the store with
// the end of by's attempt, in one transaction: a server that dies
// between the two would keep records of blocks it no longer has. The
// caller holds e.mu.
func (e *Engine) dropNotAdded(ds *docState, by *blockState, still map[int]string) (changed []*store.Instance, gone dropped) {
	var drop []*blockState
	for _, b := range ds.blocks {
		if b.addedBy == by.name && !b.isAddedPost() && still[b.index] != b.name {
			drop = append(drop, b)
		}
	}
	return e.dropFound(ds, drop)
}

// dropFound is dropNotAdded of the blocks of drop, added to the buffer or
// found in results, and those they added or hold in turn. The caller
// holds e.mu.
func (e *Engine) dropFound(ds *docState, drop []*blockState) (changed []*store.Instance, gone dropped) {
	// Blocks a dropped Emacs Lisp block added, in turn (bounded: each
	// block is dropped once), by owner: a set and an index, not a
	// search of ds.blocks per dropped block, which costs the square of
	// the blocks found.
	byOwner := map[string][]*blockState{}
	for _, b := range ds.blocks {
		if b.addedBy != "" {
			byOwner[b.addedBy] = append(byOwner[b.addedBy], b)
		}
	}
	dropping := make(map[*blockState]bool, len(drop))
	for _, b := range drop {
		dropping[b] = true
	}
	for i := 0; i < len(drop); i++ {
		for _, b := range byOwner[drop[i].name] {
			if !dropping[b] {
				dropping[b] = true
				drop = append(drop, b)
			}
		}
	}
	if len(drop) == 0 {
		return nil, dropped{}
	}
	if ds.droppedAttempts == nil {
		ds.droppedAttempts = map[string]int{}
	}
	// Found from the states before they are ended below.
	ds.knowFailHeld()
	// Read before their states are ended below.
	left := SessionsLeftOtherwise(ds.leftBlocks(drop))
	for _, b := range drop {
		gone.ids = append(gone.ids, b.attemptIDs()...)
		for _, in := range b.instances {
			ds.droppedAttempts[b.name] = max(ds.droppedAttempts[b.name], in.rec.Attempts)
			if s := State(in.rec.State); s == Running || s == Staged {
				gone.kills = append(gone.kills, in.rec.AttemptID)
				// Tracked until its end, which only frees what it
				// holds (onUpdate); killed, should its launch be
				// under way (schedule.go stops it then).
				in.dropped, in.rec.Killed = true, true
			}
			// Ended, should a pass already holding it look at it.
			in.rec.State = string(Killed)
			gone.recs = append(gone.recs, &in.rec)
		}
		e.tracked -= len(b.instances)
		if ds.byName[b.name] == b {
			// Not a submitted block of its name, which a block added
			// and not run may have.
			delete(ds.byName, b.name)
		}
		if !b.isAddedPost() {
			// A :post's key is its block's.
			delete(ds.added, b.index)
			delete(ds.addedRefused, b.index)
			ds.indexFound(b, true)
		}
		e.log.Info("dropping a block an Emacs Lisp block no longer adds to the Org buffer", "doc", ds.id, "block", b.name, "by", b.addedBy, "line", b.line)
	}
	ds.blocks = slices.DeleteFunc(ds.blocks, func(b *blockState) bool { return slices.Contains(drop, b) })
	// The blocks a dropped block's failure stop held are decided
	// again (held by another stop, or run), at once: what they would
	// wait for is gone.
	lifted := e.failStopLifted(ds, drop)
	ds.failStopsChanged(drop...)
	ds.dropFinders(drop)
	// The last added first: each hands the tasks wired after it back
	// to what it ran after, which may be one dropped too.
	for i := len(drop) - 1; i >= 0; i-- {
		ds.unwire(drop[i])
	}
	again := e.referrers(ds, drop, e.sessionsLeftOtherwise(ds, left, "a block an Emacs Lisp block no longer adds to the Org buffer ran in its interpreter"))
	again.add(lifted)
	changed = again.recs
	gone.follow(again)
	for _, b := range ds.blocks {
		e.touchBlock(b)
	}
	// Dropped, no longer waiting for capacity, nor reached by its list.
	e.capUnwaitEnded(drop)
	e.docChanged(ds)
	gone.recs = copyRecs(gone.recs)
	return changed, gone
}

// leftBlocks are drop, blocks no longer in ds, as SessionsLeftOtherwise
// sees them. The caller holds e.mu.
func (ds *docState) leftBlocks(drop []*blockState) []LeftBlock {
	out := make([]LeftBlock, 0, len(drop))
	for _, b := range drop {
		var l LeftBlock
		if b.task != nil && b.task.Session != nil && !inEmacs(b) {
			l.Session = b.task.Session.Key
			l.Ran = slices.ContainsFunc(b.instances, ranInInterpreter)
		}
		out = append(out, l)
	}
	return out
}

// sessionsLeftOtherwise runs again the sessions of ds whose interpreters
// hold what a block dropped, or added otherwise since, did (keys:
// SessionsLeftOtherwise; because says what), each from
// its first block in a new interpreter (runAgain), the old one closed
// once their running attempts are killed: their blocks see what they
// would in Emacs, which never ran that block. A block of theirs
// that never launched, or that was killed on request, stays as it is. A
// session none of whose blocks is
// left has nothing to run again (its interpreter is closed as any whose
// blocks have all ended). The caller holds e.mu.
func (e *Engine) sessionsLeftOtherwise(ds *docState, keys []string, because string) (r rerun) {
	now := e.now()
	for _, key := range keys {
		blocks := ds.sessionBlocks(key)
		if len(blocks) == 0 {
			continue
		}
		why := func(*blockState) string {
			return "its session runs again, in a new interpreter: " + because
		}
		e.log.Info("a block that ran in its session's interpreter is no longer in the Org buffer as it ran: the session runs again", "doc", ds.id, "session", key, "why", because)
		// One killed on request stays so, as referrers leaves it.
		r.add(e.runAgain(ds, blocks[0], now, why, stays))
	}
	return r
}

// dropped is what dropNotAdded leaves to do once the lock is let go:
// remove the records of the blocks dropped (recs, with the state that
// dropped them), then kill their attempts still running and those of the
// blocks referring to them that run again (kills), close the sessions
// those run again in a new interpreter (sessions), and forget what is
// kept of the others (ids: forgetDropped).
type dropped struct {
	recs                 []*store.Instance
	kills, ids, sessions []string
}

// follow has d also kill the attempts of the blocks r ran again and close
// the sessions r runs again in a new interpreter (r's records are the
// caller's to store).
func (d *dropped) follow(r rerun) {
	d.kills = append(d.kills, r.kills...)
	d.sessions = append(d.sessions, r.sessions...)
}

// join has d also do what o leaves to do.
func (d *dropped) join(o dropped) {
	d.recs = append(d.recs, o.recs...)
	d.kills = append(d.kills, o.kills...)
	d.ids = append(d.ids, o.ids...)
	d.sessions = append(d.sessions, o.sessions...)
}

// referrers queues again the instances that had launched of the blocks
// of ds that refer to a block of drop (their tasks, taken from the buffer
// when they launched, depend on it or take in its body), to be decided
// anew from the buffer when they launch: org-babel-execute-buffer would
// run them, and fail a :var or :stdin reference it no longer finds
// (noweb expands it to nothing). Each runs again as a restart runs it
// (runRound): one still staged or running has its attempt killed, since
// it took in what is no longer so, and one of a session runs its whole
// session again, in a new interpreter (killing the attempt kills the
// interpreter it ran in). One killed on request stays so. The blocks that
// depend on one run again so follow it (follow). ran is what was run
// again already for drop (sessionsLeftOtherwise): those blocks are not
// run again twice, and the blocks that depend on them follow them too.
// It returns what it did with ran, and leaves to do. The caller holds
// e.mu.
func (e *Engine) referrers(ds *docState, drop []*blockState, ran rerun) rerun {
	// Those run again already (their sessions left otherwise by drop)
	// are followed with those run again here, as one run again is.
	again := map[*blockState]bool{}
	for _, b := range ran.blocks {
		again[b] = true
	}
	// Those that take in a dropped block's body.
	refers := func(p, d *blockState) bool {
		if p.task.RefersUnresolved(d.name) {
			// A task of the document as submitted that the
			// buffer's did not replace (its reference there is to
			// a run Borges did not plan, refused): it refers to d
			// by the name it left unresolved.
			return true
		}
		if d.task == nil {
			// Listed, not run: no task depends on it (one that
			// does, on a block of its name, on another), but a
			// noweb reference takes in its body.
			return p.task.TakesIn(d.unrunIn)
		}
		// A later block of d's name (not its :post, nor a reading of
		// its output) takes nothing in from it: its results go where
		// the search has them now (resultsMoved).
		return p.task.Refers(d.name) || p.task.TakesIn(d.task.InBuffer()) || p.task.ResultsWith == d.name && (p.task.Post || p.task.ReadsOutput)
	}
	_, x := e.runRound(ds, drop, again, refers, func(*blockState) string {
		return "run again: a block it refers to is no longer in the Org buffer (the Emacs Lisp block that added it ran again, and did not)"
	})
	ran.add(x)
	return e.follow(ds, ran)
}

// follow queues again, after r, the blocks of ds that depend on a block r
// ran again (r.blocks), in turn, as they follow any block of theirs that
// runs: they wait for its new run, and a dependent is not run should it
// fail (runRound). It returns r with what it did. The caller holds e.mu.
func (e *Engine) follow(ds *docState, r rerun) rerun {
	again := map[*blockState]bool{}
	var from []*blockState
	for _, b := range r.blocks {
		if !again[b] {
			again[b] = true
			from = append(from, b)
		}
	}
	// A dependency, the block whose results it writes, the task of the
	// document's Emacs whose environment it took, or a block whose
	// results it put in that Emacs's buffer (each waited for, as a
	// dependency is: their new run may leave another).
	depends := func(p, d *blockState) bool {
		return slices.Contains(p.task.After, d.name) || p.task.ResultsWith == d.name ||
			p.task.EnvironmentOf == d.name || slices.Contains(p.bufferNames(), d.name)
	}
	why := func(d *blockState) string {
		return "run again after " + d.name + ", which it depends on and which runs again (an Emacs Lisp block that added a block to the Org buffer ran again, and added it otherwise or not at all)"
	}
	// Round by round: those of a round depend on one run again by the
	// round before (bounded: a block runs again once).
	for len(from) > 0 {
		next, x := e.runRound(ds, from, again, depends, why)
		r.add(x)
		from = next
	}
	return r
}

// runRound runs again each block p of ds not run again yet (again) with
// a block d of from it is related to (rel(p, d)), saying why(d), as a
// restart runs it (runAgain): one of a session runs its whole session
// again, in a new interpreter, a running attempt killed; one that never
// launched or was killed on request stays as it is (stays). It returns
// the blocks it ran again, now in again, and what it did. The caller
// holds e.mu.
func (e *Engine) runRound(ds *docState, from []*blockState, again map[*blockState]bool, rel func(p, d *blockState) bool, why func(d *blockState) string) (next []*blockState, r rerun) {
	now := e.now()
	for _, p := range ds.blocks {
		if p.task == nil || again[p] {
			continue
		}
		i := slices.IndexFunc(from, func(d *blockState) bool { return rel(p, d) })
		if i < 0 || !slices.ContainsFunc(p.instances, ranBefore) {
			continue
		}
		because := why(from[i])
		x := e.runAgain(ds, p, now, func(b *blockState) string {
			if b == p {
				return because
			}
			return "its session runs again, in a new interpreter, with block " + p.name + ": " + because
		}, stays)
		for _, b := range x.blocks {
			if !again[b] {
				again[b] = true
				next = append(next, b)
			}
		}
		r.add(x)
	}
	return next, r
}

// bufferPutter is the task of the document's Emacs that puts the results
// of b, added to ds and run beside that Emacs in the environment of the
// task env ("" for none: found, before every task of it, when found),
// in that Emacs's buffer: the first task of that Emacs's buffer
// (Task.BufferPrev, readings of a block's output included) after env
// that has not run (ranBefore). org-babel-execute-buffer wrote them
// there before it went on, so the first task of that Emacs after b does:
// every task of it before b has run by then (plan.FoundAfterEmacs), and
// a reading of a block's output, which gives no environment
// (Task.EnvironmentOf), may stand between env and b. Nil where none is
// left. The caller holds e.mu.
func (e *Engine) bufferPutter(ds *docState, b *blockState, env string, found bool) *blockState {
	// next is the first task after prev not run, else the first run
	// (added blocks may share a BufferPrev).
	next := func(prev string) *blockState {
		var first *blockState
		for _, p := range ds.blocks {
			if p != b && p.task != nil && inEmacs(p) && p.task.Session.Key == ds.writtenEmacs() &&
				p.task.BufferPrev == prev && (prev != "" || found && p.task.BufferStart) {
				if !slices.ContainsFunc(p.instances, ranBefore) {
					return p
				}
				if first == nil {
					first = p
				}
			}
		}
		return first
	}
	p := next(env)
	for seen := 0; p != nil && seen <= len(ds.blocks) && slices.ContainsFunc(p.instances, ranBefore); seen++ {
		p = next(p.name)
	}
	if p != nil && slices.ContainsFunc(p.instances, ranBefore) {
		return nil
	}
	return p
}

// ranBefore reports whether instance in left the queue (launched, or
// ended without launching: failed behind a dependency) and was not killed
// on request: what runs again when its block does.
func ranBefore(in *instState) bool {
	return State(in.rec.State) != Queued && !in.rec.Killed
}

// ranInInterpreter reports whether an attempt of instance in launched in
// its session's current interpreter (staged, running or ended there,
// killed on request too: what it did is there); queued again since, or
// ended without launching, it did not.
func ranInInterpreter(in *instState) bool {
	return State(in.rec.State) != Queued && in.rec.AttemptID != ""
}

// stays reports whether a run again of its block leaves instance in as it
// is (!ranBefore): queued still, or killed on request.
func stays(in *instState) bool { return !ranBefore(in) }

// unwire undoes what adding b (dropped) did to the blocks of ds: the
// task of the document's Emacs that ran after it there (runsBefore) runs
// after what b ran after, a block that took its environment takes the
// one b took, no task puts its results in the buffer, no block runs for
// its reference (runFor, nextReaders), and a queued block that refers to
// it takes its task as submitted again, to be decided from the buffer
// when it is ready. The caller holds e.mu.
func (ds *docState) unwire(b *blockState) {
	t := b.task
	if t == nil {
		// Listed, not run: nothing was wired to it.
		for _, p := range ds.blocks {
			p.dependents = slices.DeleteFunc(p.dependents, func(d *blockState) bool { return d == b })
			ds.linksChanged()
		}
		return
	}
	before := func(p *blockState, x *plan.Task) *plan.Task {
		wired := p == b.wiredInto
		if x.BufferPrev != b.name && x.EnvironmentOf != b.name && !wired {
			return x
		}
		c := *x
		if c.BufferPrev == b.name || wired {
			// Wired after b, whatever was wired between them since.
			c.After = slices.DeleteFunc(slices.Clone(x.After), func(a string) bool { return a == b.name })
		}
		if c.BufferPrev == b.name {
			c.BufferPrev = t.BufferPrev
		}
		if c.EnvironmentOf == b.name {
			c.EnvironmentOf = t.EnvironmentOf
		}
		return &c
	}
	for _, p := range ds.blocks {
		p.dependents = slices.DeleteFunc(p.dependents, func(d *blockState) bool { return d == b })
		ds.linksChanged()
		p.putIn = slices.DeleteFunc(p.putIn, func(x *plan.Task) bool { return x.Block == b.name })
		delete(p.nextReaders, b)
		if p.runFor == b {
			p.runInPlace()
		}
		if p.task == nil {
			continue
		}
		p.rewire(func(x *plan.Task) *plan.Task { return before(p, x).InSessionWithout(b.name, t.SessionPrev()) })
		if slices.Contains(p.task.After, b.name) {
			for _, in := range p.instances {
				if State(in.rec.State) == Queued {
					p.decideAgain()
					break
				}
			}
		}
	}
}

// forgetDropped kills the attempts of dropped blocks (dropNotAdded) and
// of those run again, closes the sessions those left, and forgets what
// is kept of the dropped blocks' ended attempts, once the drop is stored
// (w), as a kill is stored before it is asked of the backend. The caller
// does not hold e.mu.
func (e *Engine) forgetDropped(w pendingWrite, gone dropped) {
	kills, ids := gone.kills, gone.ids
	if err := e.awaitWrite(w); err != nil {
		e.log.Warn("storing the drop of blocks no longer added to the Org buffer", "err", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), e.removeWait())
	defer cancel()
	if err := e.endAttempts(ctx, kills, gone.sessions); err != nil {
		e.log.Warn("killing the attempts of blocks no longer added to the Org buffer, or closing the sessions they leave", "err", err)
	}
	// What is kept of their attempts goes, but that of one being
	// killed, which may still be writing its files.
	ended := slices.DeleteFunc(ids, func(a string) bool { return slices.Contains(kills, a) })
	if err := e.forgetAttempts(ctx, ended); err != nil {
		e.log.Warn("removing the files of blocks no longer added to the Org buffer", "err", err)
	}
}
