package engine

import (
	"slices"

	"github.com/wallyqs/borges/internal/org"
)

// In a document whose written results org-babel-execute-buffer searches
// for blocks (found.go: one without an Emacs that reports its Org
// buffer), a block of a session found in the results of a block before
// the session's blocks runs in the session's interpreter in its place,
// before them (added.go's inSession); had they run already, the session
// would run again, in a new interpreter, once for each block found so.
// The blocks whose results may hold one (finders: Org text by their
// header) are waited for by the session's blocks after them, as Emacs
// runs them first, and keep the document's sessions open until they
// end, as a task of the document's Emacs that may insert a block does.

// knowFinders finds ds's finders once, and has each have the blocks of a
// session after it look again when it changes (dependents). The caller
// holds e.mu.
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
	for _, b := range ds.blocks {
		if !ownRun(b) {
			continue
		}
		at, ok := ds.redirectedResults(b)
		if blk := doc.BlockAt(at); ok && blk != nil && org.ResultsAsOrgText(blk.Args) {
			ds.finders = append(ds.finders, b)
		}
	}
	if len(ds.finders) == 0 {
		return
	}
	for _, b := range ds.blocks {
		if !ds.waitsForFinders(b) {
			continue
		}
		for _, f := range ds.finders {
			if f.task.Index < b.task.Index {
				f.dependents = append(f.dependents, b)
			}
		}
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
// finders before it.
func (ds *docState) waitsForFinders(b *blockState) bool {
	return ownRun(b) && b.task.Session != nil && !inEmacs(b)
}

// finderWaits adds to deps the finders before b, a block of a session,
// that it waits for (FinderWaits), while they have not ended; with all
// false, only the first, and none while deps holds a block that has not
// finished: b waits anyway (a block of a session after the first waits
// for the one before it), and a pass looks at each queued block of a
// session each time a finder before it changes. The caller holds e.mu.
func (ds *docState) finderWaits(b *blockState, deps map[string]State, all bool) map[string]State {
	if len(ds.finders) == 0 || !ds.waitsForFinders(b) {
		return deps
	}
	if !all {
		for _, s := range deps {
			if s != Finished {
				return deps
			}
		}
	}
	var before []Finder
	for _, f := range ds.finders {
		if f.task.Index >= b.task.Index || ds.byName[f.name] != f {
			continue
		}
		st := f.state()
		// Whether it needs b is only asked of one not ended (a walk
		// of its dependencies).
		before = append(before, Finder{Name: f.name, State: st, NeedsIt: !st.Terminal() && ds.needs(f, b)})
		if waits := FinderWaits(before[len(before)-1:]); len(waits) > 0 && !all {
			break
		}
	}
	for _, name := range FinderWaits(before) {
		deps = ds.untilEnded(name, deps)
	}
	return deps
}

// needs reports whether f waits for b, directly or through what it waits
// for: its dependencies, and for a block of a session the finders before
// it that have not ended, each counted whether or not it needs that block
// (more than it waits for, never less: a wait of b for f that would close
// a circle of waits is found, and left out). Bounded: each block is
// looked at once. The caller holds e.mu.
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
	for len(todo) > 0 {
		x := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if x.task == nil {
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
		for _, g := range ds.finders {
			if g.task.Index < x.task.Index && !g.state().Terminal() && next(g) {
				return true
			}
		}
	}
	return false
}

// finderWaiting says, for a view of what b waits for, the finders it
// waits for (finderWaits), in document order, but those it waits for as
// dependencies too.
func (ds *docState) finderWaiting(b *blockState) []string {
	waits := ds.finderWaits(b, nil, true)
	var out []string
	for _, f := range ds.finders {
		if st, ok := waits[f.name]; ok && !slices.Contains(b.task.After, f.name) {
			out = append(out, f.name+" ("+string(st)+", a block of the session may be found in its results)")
		}
	}
	return out
}
