package engine

import "slices"

// A block that says :after X runs after X and after the blocks found in
// X's results (found.go) or added to the buffer by X (an Emacs Lisp X
// :results raw, whose results the document's Emacs reports as blocks it
// added: added.go), in turn those found in theirs: X finished, to it, is
// X and what org-babel-execute-buffer runs from its results, the
// environment an Emacs Lisp block found there sets (a setenv) among it
// (found_after_setenv_test.go). Borges starts at once a block that waits
// for nothing; one that needs what a block found in another's results
// did says :after that block. A block found so that does not finish
// blocks it, as any dependency that does not finish does. A document
// with no block found in results or added waits for no more. What it
// costs is what it finds: the blocks under a block, and the blocks
// whose :after names it, are indexed by its name (followIndex).

// foundUnder reports whether b was found in the results of x or added by
// x, or under a block found in x's results or added by x, and so on. The
// caller holds e.mu.
func (ds *docState) foundUnder(b, x *blockState) bool {
	// A chain longer than the blocks goes round (rootOf).
	for n := 0; b != nil && b.addedBy != "" && n <= len(ds.blocks); n++ {
		if b.addedBy == x.name {
			return true
		}
		b = ds.byName[b.addedBy]
	}
	return false
}

// afterWaitsFor reports whether y, whose :after names a block f is
// under, waits for f: f is not y, nor a task of a :post chain or the
// call of a refused block (isAddedPost), and org-babel-execute-buffer
// runs it before y: a block added after y in the buffer (an Emacs Lisp
// owner's insert at its end) Emacs runs after y, and such a block of the
// document's Emacs waits for y's results in its buffer. A block before
// its owner, which Emacs runs first, so waits for the owner alone. The
// caller holds e.mu.
func (ds *docState) afterWaitsFor(y, f *blockState) bool {
	if f == y || f.task == nil || f.isAddedPost() {
		return false
	}
	return y.addedBy != "" || f.addedBefore == nil || !placeOf(y).before(*f.addedBefore)
}

// foundAfterWaits appends to out the blocks found under (foundUnder) the
// blocks y's :after names, y waits for as dependencies (waitsOf): not
// any found under the same block as y, and only those afterWaitsFor
// has it wait for, in the order of ds's blocks. The caller holds e.mu.
func (ds *docState) foundAfterWaits(y *blockState, out []queuedWait) []queuedWait {
	if len(y.task.AfterArg) == 0 || len(ds.added) == 0 {
		return out
	}
	under := ds.followIndex().under
	var found []*blockState
	for _, name := range y.task.AfterArg {
		x := ds.byName[name]
		if x == nil || ds.foundUnder(y, x) {
			continue
		}
		// Down the tree of x's blocks; each block is under one owner,
		// so met once, and the walk is bounded by the blocks.
		todo := slices.Clone(under[x.name])
		for n := 0; len(todo) > 0 && n <= len(ds.blocks); n++ {
			f := todo[len(todo)-1]
			todo = append(todo[:len(todo)-1], under[f.name]...)
			ds.foundAfterLooked++
			if ds.afterWaitsFor(y, f) {
				found = append(found, f)
			}
		}
	}
	// Twice when one name's block is under another's.
	slices.SortFunc(found, bySeq)
	found = slices.Compact(found)
	had := out
	for _, f := range found {
		if !slices.ContainsFunc(had, func(w queuedWait) bool { return w.block == f }) {
			out = append(out, queuedWait{block: f, name: f.name, kind: waitDependency})
		}
	}
	return out
}

// foundAfterWake has the blocks of ds whose :after names a block b, just
// found or added, is under, woken by b's ends (dependents), as they wait
// for it (foundAfterWaits). The caller holds e.mu.
func (e *Engine) foundAfterWake(b *blockState) {
	ds := b.doc
	if b.addedBy == "" {
		return
	}
	after := ds.followIndex().after
	x := b
	for n := 0; x.addedBy != "" && n <= len(ds.blocks); n++ {
		if x = ds.byName[x.addedBy]; x == nil {
			return
		}
		for _, p := range after[x.name] {
			if ds.afterWaitsFor(p, b) && !slices.Contains(b.dependents, p) && !ds.foundUnder(p, x) {
				b.addDependent(p)
				e.touchBlock(p)
			}
		}
	}
}
