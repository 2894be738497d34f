package engine

import (
	"slices"
	"sort"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/store"
)

// In a document whose written results org-babel-execute-buffer searches
// for blocks (found.go: one without an Emacs that reports its Org
// buffer), a block of a session found in the results of a block before
// the session's blocks runs in the session's interpreter in its place,
// before them (added.go's inSession); had they run already, the session
// would run again, in a new interpreter, once for each block found so.
// The tasks whose written results may hold one (finders: Org text by
// their block's header) are waited for by the session's blocks after
// them, as Emacs runs them first, and keep the document's sessions open
// while they run, as a task of the document's Emacs that may insert a
// block does.

// knowFinders finds ds's finders once. A finder is the task whose
// results are written for a submitted block run in its place: the block's
// own, or the last :post task of its chain, whose results replace the
// block's; its place is the block's. A block in old results that new
// ones replace (Task.Replaced) is never run, and finds nothing. The
// caller holds e.mu.
func (e *Engine) knowFinders(ds *docState) {
	if ds.findersKnown {
		return
	}
	ds.findersKnown = true
	if ds.plan == nil || ds.writtenEmacs() != "" {
		return
	}
	doc, err := e.parsed(ds)
	if err != nil {
		return
	}
	type finder struct {
		b     *blockState
		place int
	}
	// The last :post task of each block's chain, found in one pass:
	// looked for block by block, submitting a wide document was
	// quadratic (BenchmarkSubmitGrowth).
	lastPost := map[string]*blockState{}
	for _, p := range ds.blocks {
		if p.task != nil && p.task.Post && p.addedBy == "" {
			lastPost[p.task.ResultsWith] = p
		}
	}
	var found []finder
	for _, b := range ds.blocks {
		if !ownRun(b) || b.task.Replaced != "" {
			continue
		}
		// Its results are written with its block's header; by the
		// last :post task of its chain, when it has one.
		w := b
		if p := lastPost[b.name]; p != nil {
			w = p
		}
		if _, ok := ds.redirectedResults(w); !ok {
			continue
		}
		// The header of the block whose results it writes, as
		// found.go's mayHoldExecutables reads it.
		if blk := doc.BlockAt(b.task.ResultsIndex()); blk != nil && org.ResultsAsOrgText(blk.Args) {
			found = append(found, finder{w, b.task.Index})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].place < found[j].place })
	for _, f := range found {
		ds.finders = append(ds.finders, f.b)
		ds.finderPlaces = append(ds.finderPlaces, f.place)
	}
}

// ownRun reports whether b is a submitted block's run in its place, where
// org-babel-execute-buffer comes to it in document order (Task.Index): not
// a run of it a reference makes (Emacs runs that as it resolves the
// reference, for the referring block; its Index is negative), nor a
// :post or a reading of its output, nor a block added to the document.
func ownRun(b *blockState) bool {
	return b.task != nil && b.addedBy == "" && b.task.Index >= 0 && !b.task.Post && !b.task.ReadsOutput
}

// waitsForFinders reports whether b is a submitted block of a session
// (not the document's Emacs), run in its place, that waits for the
// finders before it: not one org-babel-execute-buffer never runs, the
// document stopped before it or it standing in replaced results.
func (ds *docState) waitsForFinders(b *blockState) bool {
	return ownRun(b) && b.task.Session != nil && !inEmacs(b) && b.task.Replaced == "" && ds.stoppedBefore(b) == ""
}

// foundWaitsForFinders reports whether b is a block found in results
// that runs in the document's Emacs, in a document with no Emacs Lisp
// block of its own (whose finders are known), not after a stop: it
// waits for the finders before it in the buffer (finderWaitAt), those
// of the document and those found in results, until each has ended and
// its results been searched, as org-babel-execute-buffer runs them, and
// the blocks found in their results, before it. Waiting only for the
// document's blocks whose results it puts in the Emacs's buffer, it ran
// before an Emacs Lisp block found in an earlier found block's results,
// and read what that one had not set yet.
func (ds *docState) foundWaitsForFinders(b *blockState) bool {
	return b.found && b.task != nil && inEmacs(b) && ds.writtenEmacs() == "" && ds.stoppedBefore(b) == ""
}

// finderBefore is the number of ds's finders before place i (those b at
// index i waits for).
func (ds *docState) findersBefore(i int) int {
	return sort.SearchInts(ds.finderPlaces, i)
}

// finderWaitAt is the finder b, a block of a session, waits for
// (FinderWait), nil for none, run at the place of block at: one before
// the place b runs at (runsAt: a block run for a reader's reference runs
// within the reader's evaluation, before the finders between them); for
// a block found in results that runs in the document's Emacs
// (foundWaitsForFinders), one before it in the buffer: before its root's
// place (found by bisection), or at it and before it (runOrder), not up
// its chain of owners. The caller holds e.mu.
func (ds *docState) finderWaitAt(b, at *blockState) *blockState {
	if len(ds.finders) == 0 {
		return nil
	}
	n, same := 0, -1 // same: the first finder at the place of b's root
	switch {
	case ds.waitsForFinders(b):
		n = ds.findersBefore(min(b.task.Index, at.task.Index))
	case ds.foundWaitsForFinders(b):
		// Through the finders at its root's place: those of them
		// before it in the buffer are taken below (runOrder).
		r := ds.rootOf(b)
		if r == nil || r.task == nil {
			return nil
		}
		same, n = ds.findersBefore(r.task.Index), ds.findersBefore(r.task.Index+1)
	default:
		return nil
	}
	before := make([]Finder, 0, n)
	fs := make([]*blockState, 0, n)
	for i, f := range ds.finders[:n] {
		if ds.byName[f.name] != f {
			continue
		}
		if same >= 0 && i >= same && (ds.runOrder(f, b) >= 0 || ds.foundUnder(b, f)) {
			// At its root's place: after it in the buffer, or a
			// block whose results hold it, searched already.
			continue
		}
		st := f.state()
		if st == Finished && f.searchPending() {
			// Its results are searched once its output is read
			// (foundAfterRead): the blocks found there, run
			// before b, are not added yet.
			st = Running
		}
		if ds.stoppedBefore(f) != "" {
			// Never run: its results are not written.
			st = Finished
		}
		before = append(before, Finder{Name: f.name, State: st})
		fs = append(fs, f)
	}
	i := FinderWait(before, func(i int) bool { return ds.needs(fs[i], b) })
	if i < 0 {
		return nil
	}
	return fs[i]
}

// searchPending reports whether the blocks found in f's results are
// still to be searched for: its finished attempt's output is being read
// for whether those results stop Emacs (ResultStopReading), and the
// search comes after that read (foundAfterRead). The caller holds e.mu.
func (f *blockState) searchPending() bool {
	if len(f.instances) == 0 {
		return false
	}
	in := f.instances[0]
	return searchesAfterRead(&in.rec) && in.endReading != "" && in.endReading == in.rec.AttemptID
}

// searchesAfterRead reports whether the blocks found in the results of
// rec's attempt are to be searched for once its attempt-end read has
// ended (foundAfterRead), not yet searched: not in a record of an older
// Borges, which searched them when the attempt ended (FoundAfterRead
// unset), the blocks found then adopted as stored.
func searchesAfterRead(rec *store.Instance) bool {
	return rec.ResultStopReading && rec.FoundAfterRead
}

// finderWaits adds to deps the finder b, a block of a session run at the
// place of block at, waits for (finderWaitAt, listed by waitsOf), while
// it has not ended, once deps holds only finished blocks (a block of a
// session after the first waits for the one before it, which waits for
// the finders before it): only then is it found, which takes every
// finder before b. It has that finder wake b when it changes: each
// block waits for one at a time, so the finders wake a few blocks each,
// not every block of a session after them. The caller holds e.mu.
func (ds *docState) finderWaits(b, at *blockState, deps map[string]State) map[string]State {
	for _, s := range deps {
		if s != Finished {
			return deps
		}
	}
	f := ds.finderWaitAt(b, at)
	if f == nil {
		return deps
	}
	if ds.finderWakes == nil {
		ds.finderWakes = map[[2]*blockState]bool{}
	}
	if k := [2]*blockState{f, b}; !ds.finderWakes[k] {
		ds.finderWakes[k] = true
		f.addDependent(b)
	}
	return ds.untilEnded(f.name, deps)
}

// needs reports whether f waits for b, directly or through what it waits
// for: its dependencies, and for a block of a session the finders before
// it that have not ended, each counted whether or not it needs that block
// (more than it waits for, never less: a wait of b for f that would close
// a circle of waits is found, and left out). A block that has ended waits
// for nothing. Bounded, and linear: each block is looked at once, and
// each finder taken once (finders in document order, up to the furthest
// place taken so far). The caller holds e.mu.
func (ds *docState) needs(f, b *blockState) bool {
	seen := map[*blockState]bool{f: true}
	todo := []*blockState{f}
	next := func(d *blockState) bool {
		if d == b {
			return true
		}
		if d != nil && !seen[d] {
			seen[d] = true
			todo = append(todo, d)
		}
		return false
	}
	taken := 0 // the finders before ds.finders[taken] are taken
	for len(todo) > 0 {
		x := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if x.task == nil || x != f && x.state().Terminal() {
			continue
		}
		for _, name := range x.task.After {
			if next(ds.byName[name]) {
				return true
			}
		}
		if !ds.waitsForFinders(x) {
			continue
		}
		n := ds.findersBefore(x.task.Index)
		for ; taken < n; taken++ {
			if g := ds.finders[taken]; !g.state().Terminal() && next(g) {
				return true
			}
		}
	}
	return false
}

// foundFinder has b, a block found in results (not one an Emacs Lisp block
// added: a document whose Emacs reports its buffer is not searched so),
// count as a finder when its results, by its header, may hold blocks
// (plan.Task.FindsInResults): Emacs runs it, and the blocks found in its
// results, where it found it, in the results of a block of the document
// before the later blocks of a session, which wait for it as for that
// block. Its place is that block's, the finder up its chain of owners;
// it stands after the finders there, found before it. The caller holds
// e.mu.
func (e *Engine) foundFinder(b *blockState) {
	ds := b.doc
	if b.task == nil || ds.writtenEmacs() != "" || !b.task.FindsInResults() {
		return
	}
	e.knowFinders(ds)
	seen := map[*blockState]bool{}
	for o := ds.byName[b.addedBy]; o != nil && !seen[o]; o = ds.byName[o.addedBy] {
		seen[o] = true
		if i := slices.Index(ds.finders, o); i >= 0 {
			place := ds.finderPlaces[i]
			at := sort.SearchInts(ds.finderPlaces, place+1)
			ds.finders = slices.Insert(ds.finders, at, b)
			ds.finderPlaces = slices.Insert(ds.finderPlaces, at, place)
			return
		}
	}
}

// dropFinders takes the blocks of drop, dropped, out of ds's finders.
// The caller holds e.mu.
func (ds *docState) dropFinders(drop []*blockState) {
	for i := 0; i < len(ds.finders); {
		if slices.Contains(drop, ds.finders[i]) {
			ds.finders = slices.Delete(ds.finders, i, i+1)
			ds.finderPlaces = slices.Delete(ds.finderPlaces, i, i+1)
			continue
		}
		i++
	}
}
