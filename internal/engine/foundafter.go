package engine

import "slices"

// A block that says :after X runs after X and after the blocks found in
// X's results (found.go), in turn those found in theirs: X finished, to
// it, is X and what org-babel-execute-buffer runs from its results, the
// environment an Emacs Lisp block found there sets (a setenv) among it
// (found_after_setenv_test.go). Borges starts at once a block that waits
// for nothing; one that needs what a block found in another's results
// did says :after that block. A block found so that does not finish
// blocks it, as any dependency that does not finish does. A document
// with no block found in results waits for no more.

// foundUnder reports whether b was found in the results of x, or of a
// block found in x's results, and so on. The caller holds e.mu.
func (ds *docState) foundUnder(b, x *blockState) bool {
	// A chain longer than the blocks goes round (rootOf).
	for n := 0; b != nil && b.found && n <= len(ds.blocks); n++ {
		if b.addedBy == x.name {
			return true
		}
		b = ds.byName[b.addedBy]
	}
	return false
}

// foundAfterWaits appends to out the blocks found under (foundUnder) the
// blocks y's :after names, y waits for as dependencies (waitsOf): not
// y, nor any found under the same block as y. The caller holds e.mu.
func (ds *docState) foundAfterWaits(y *blockState, out []queuedWait) []queuedWait {
	if len(y.task.AfterArg) == 0 || len(ds.added) == 0 {
		return out
	}
	for _, name := range y.task.AfterArg {
		x := ds.byName[name]
		if x == nil || ds.foundUnder(y, x) {
			continue
		}
		for _, f := range ds.blocks {
			if f != y && f.task != nil && !f.isAddedPost() && ds.foundUnder(f, x) && !slices.ContainsFunc(out, func(w queuedWait) bool { return w.block == f }) {
				out = append(out, queuedWait{block: f, name: f.name, kind: waitDependency})
			}
		}
	}
	return out
}

// foundAfterWake has the blocks of ds whose :after names a block b, just
// found, is found under, woken by b's ends (dependents), as they wait
// for it (foundAfterWaits). The caller holds e.mu.
func (e *Engine) foundAfterWake(b *blockState) {
	ds := b.doc
	if !b.found {
		return
	}
	for _, p := range ds.blocks {
		if p == b || p.task == nil || len(p.task.AfterArg) == 0 || slices.Contains(b.dependents, p) {
			continue
		}
		for _, name := range p.task.AfterArg {
			if x := ds.byName[name]; x != nil && ds.foundUnder(b, x) && !ds.foundUnder(p, x) {
				b.addDependent(p)
				e.touchBlock(p)
				break
			}
		}
	}
}
