package plan

import (
	"fmt"

	"github.com/wallyqs/borges/internal/org"
)

// org-babel-execute-buffer runs the executables it finds as it goes
// (org-babel-map-executables): a block of the document that stands in the
// old results of a block before it, which that block's new results
// replace, is deleted before Emacs reaches it, and never runs. The engine
// runs a block as soon as what it waits for has run, so the plan says of
// such a block, from where the reader finds each block's results, that
// it is not run (Task.Replaced).

// markReplaced sets Replaced on the tasks of the blocks deleted so, in
// document order: a block not run replaces nothing, so the blocks in its
// old results run unless another block's results replace them too. A
// block runs and replaces its results when it has a task of its own that
// writes them (not :results silent or none, not append or prepend, which
// keep the old results) and, :cache yes, its hash is not the one its
// results carry (as the engine's cacheHit has it). Left to run as before:
// a block another one refers to (:var, noweb, #+call:, :stdin, :post),
// and every block of a document whose Emacs Lisp blocks run in the
// document's Emacs, whose buffer reports decide (Edits.Decide); and a
// block in the results of a :cache yes block whose hash depends on
// other blocks' results, which are known only when they have run.
func (b *builder) markReplaced() {
	p := b.plan
	if WrittenEmacs(p.Tasks) != "" {
		return
	}
	own := ownTasks(p)
	referred := map[string]bool{}
	for _, t := range p.Tasks {
		for _, a := range t.After {
			referred[a] = true
		}
	}
	type region struct {
		from, to int
		owner    string
	}
	var regions []region
	for _, x := range b.doc.Executables() {
		t := own[x.Index]
		if t == nil {
			continue
		}
		at := b.doc.Point(x)
		owner := ""
		for _, r := range regions {
			if at >= r.from && at < r.to {
				owner = r.owner
				break
			}
		}
		if owner != "" && !referred[t.Block] {
			t.Replaced = fmt.Sprintf("not run: it stands in the old results of %s, which its new results replace before org-babel-execute-buffer reaches it", owner)
			continue
		}
		if !b.replacesResults(x, t) {
			continue
		}
		start, end, resume, ok := b.doc.ReplacedRegion(x)
		if from := max(start, resume); ok && from < end {
			regions = append(regions, region{from: from, to: end, owner: t.Block})
		}
	}
}

// replacesResults reports whether block x, run by its own task t, runs
// (its :cache yes results not current) so that its results are written
// again.
func (b *builder) replacesResults(x *org.Block, t *Task) bool {
	if !t.Cache {
		return true
	}
	if len(t.After) > 0 {
		return false // its hash is known once those it refers to ran
	}
	old, _, ok := CachedValue(b.doc, t)
	if !ok {
		return true
	}
	hash, err := CacheHash(b.doc, t, nil)
	return err != nil || hash != old
}
