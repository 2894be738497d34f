package engine

import "github.com/wallyqs/borges/internal/org"

// This file keeps the keys of the blocks found in results in the order
// a search started from the document gives them (rekeyFound: the blocks
// found in the document's results in buffer order, then those found in
// theirs, and so on), however the blocks whose results hold them ended.
// A search made as blocks finish goes on from the report before it, and
// marks what it finds after every block found so far: a later block that
// ended first has its found blocks keyed before those of an earlier
// block. The document's Emacs marks the blocks found in results in the
// order of their keys (borges--found-mark), each task of it those under
// keys lower than its own first, where the buffer must hold them: a block
// found in the earlier block's results, met first by
// org-babel-execute-buffer and run first there, would have to mark the
// later one's, whose results that buffer does not hold yet ("The block
// found in results at line N of the Org buffer is not there in this
// Emacs's buffer"). Keyed again as the search started again keys them,
// the Emacs meets them in the order of their keys.

// foundOutOfOrder reports whether a block of ds found by the last search
// (those of ds.blocks[from:]) has a key above a block found before it
// that a search started from the document keys after it: one found in
// fewer generations (owner, owner's owner, ...), or as many and later in
// the report searched (ds.foundIn). It looks at each found block once,
// and at most once up its chain of owners. Blocks an Emacs Lisp block
// added, keyed by the Emacs that marked them, are not looked at: a
// document holding any is never found out of order. The caller holds
// e.mu.
func (ds *docState) foundOutOfOrder(doc *org.Document, from int) bool {
	rep := ds.foundIn
	if rep == nil || from >= len(ds.blocks) {
		return false
	}
	exes := len(doc.Executables())
	depth := map[string]int{}
	var depthOf func(b *blockState, n int) int
	depthOf = func(b *blockState, n int) int {
		if b == nil || b.addedBy == "" || n > len(ds.blocks) {
			return 0
		}
		if d, ok := depth[b.name]; ok {
			return d
		}
		d := 1 + depthOf(ds.byName[b.addedBy], n+1)
		depth[b.name] = d
		return d
	}
	// where is b's generation and place in rep, ok false for a block
	// not found (or not marked there).
	where := func(b *blockState) (gen, point int, ok bool) {
		i := exes + b.index - org.AddedKey
		if b.index < org.AddedKey || i >= len(rep.Marks) {
			return 0, 0, false
		}
		return depthOf(b, 0), rep.Marks[i].Point, true
	}
	// The latest of the blocks found before, the earliest of those found
	// now, as the search started again orders them.
	lastGen, lastPoint, have := 0, 0, false
	firstGen, firstPoint, now := 0, 0, false
	for i, b := range ds.blocks {
		if b.addedBy == "" || b.isAddedPost() || refusedCall(b) {
			continue
		}
		if !b.found {
			return false
		}
		g, p, ok := where(b)
		if !ok {
			continue
		}
		switch {
		case i < from && (!have || g > lastGen || g == lastGen && p > lastPoint):
			lastGen, lastPoint, have = g, p, true
		case i >= from && (!now || g < firstGen || g == firstGen && p < firstPoint):
			firstGen, firstPoint, now = g, p, true
		}
	}
	return have && now && (firstGen < lastGen || firstGen == lastGen && firstPoint < lastPoint)
}
