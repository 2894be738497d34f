package plan

import (
	"fmt"
	"slices"
	"strings"

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
	referred := b.referredBlocks()
	type region struct {
		from, to int
		owner    string
	}
	var regions []region
	for _, x := range b.doc.Executables() {
		t := own[x.Index]
		at := b.doc.Point(x)
		// The executables come in the buffer's order: a region that
		// ended before this one holds none after it, and is dropped
		// (a region does not always start after its owner, or nest:
		// named results may stand anywhere), so the regions looked
		// through are only those still open.
		owner := ""
		open := regions[:0]
		for _, r := range regions {
			if r.to <= at {
				continue
			}
			open = append(open, r)
			if owner == "" && at >= r.from {
				owner = r.owner
			}
		}
		regions = open
		if t == nil {
			// An executable with no task (as a block :eval
			// refuses): Emacs never reaches it in results replaced,
			// nor resolves its references.
			if owner != "" {
				if b.replacedExe == nil {
					b.replacedExe = map[int]bool{}
				}
				b.replacedExe[x.Index] = true
			}
			continue
		}
		if owner != "" && !referred[t.Block] {
			t.Replaced = fmt.Sprintf("not run: it stands in the old results of %s, which its new results replace before org-babel-execute-buffer reaches it", owner)
			t.ReplacedBy = owner
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
	b.unneededVisited += markUnneeded(p, own)
}

// referredBlocks are the names of the tasks another task refers to
// (:var, noweb, #+call:, :stdin, :post, :after): Emacs runs such a block
// when the one referring to it runs, wherever it stands. The session
// chain (a block of a session waits for the session's block before it)
// is no reference: a block in old results replaced never reaches the
// session, and the session's next block runs without it, as after a
// block not run for any other reason.
func (b *builder) referredBlocks() map[string]bool {
	referred := map[string]bool{}
	for _, t := range b.plan.Tasks {
		for _, a := range b.refersTo(t) {
			referred[a] = true
		}
		if c := t.called; c != nil && t.Index < 0 && c.args == "" && c.header == "" {
			// A run of its own for a reference (rerun.go): the
			// block is referred to by its name.
			referred[c.name] = true
		}
	}
	return referred
}

// refersTo are the names of the tasks t refers to (see referredBlocks).
func (b *builder) refersTo(t *Task) []string {
	var out []string
	for _, a := range t.After {
		if a == t.sessionPrev && argFor(t, a) == ":after" && !b.afterNames(t, a) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// afterNames reports whether task t's block names dep in its :after (a
// task of no block names nothing there).
func (b *builder) afterNames(t *Task, dep string) bool {
	blk := b.blocks[t]
	if blk == nil {
		return false
	}
	v, _ := blk.Args.Get("after")
	return slices.Contains(strings.Fields(v), dep)
}

// OrdersOnly reports whether t waits for dep (one of After) only as
// Borges orders the two, where Emacs, running t, reads nothing of dep
// and runs nothing of it: the builder's answer (ordersOnly), or dep is
// the block before t in its session, as t runs now (InSessionAfter), and
// t refers to it in no other way. For the engine, so that it asks the
// one question the plan answers (which stop a block resolves, which
// blocks a reference reaches).
func (t *Task) OrdersOnly(dep string) bool {
	return !t.refersTo(dep) && (dep == t.sessionPrev || slices.Contains(t.orderOnly, dep))
}

// ordersOnly reports whether task t waits for dep (one of t.After) only
// as Borges orders the two, where Emacs, running t, reads nothing of dep
// and runs nothing of it: dep is the block before t in its session, or
// is named by the :after of t's block or of the block t post-processes
// or reads the output of (Task.owner, which t's waits come from) —
// :after is Borges's own, which Emacs ignores — or stands for a block so
// named (its :post, the reading of its output: referTo); and t refers to
// dep in no other way (Task.refersTo: :var, noweb, :stdin, *this*, data
// read back), which Emacs resolves whatever :after says. The one answer
// for every question of that kind (readsOf, runsBack, resolve's stops),
// so that they cannot disagree. Bounded: owner chains are walked at most
// once per task.
func (b *builder) ordersOnly(t *Task, dep string) bool {
	if t.refersTo(dep) {
		return false
	}
	if dep == t.sessionPrev {
		return true
	}
	if w := t.postHolder(); w != "" && dep == w {
		// A Lisp :var value of the block a :post calls waits for the
		// block whose :post it is (called.go).
		return true
	}
	// dep, and the blocks it stands for.
	names := []string{dep}
	for d, n := b.byName[dep], 0; d != nil && d.owner != nil && n < len(b.plan.Tasks); d, n = d.owner, n+1 {
		names = append(names, d.owner.Block)
	}
	for o, n := t, 0; o != nil && n <= len(b.plan.Tasks); o, n = o.owner, n+1 {
		for _, name := range names {
			if b.afterNames(o, name) {
				return true
			}
		}
	}
	return false
}

// markUnneeded sets Replaced on the tasks that are no block's own run (a
// call with arguments, a Lisp :var value, a :post, Emacs's reading of an
// output) and exist only for blocks not run so: every task that waits
// for it is not run, or it is the :post or the reading of such a block.
// Emacs never runs them, side effects included, and the block waiting
// for them must not wait for, or fail with, them. kept are tasks Emacs
// runs all the same (the value task of an Emacs Lisp block whose
// :file-mode stops Emacs at the reference: its :file is written,
// fileModeRun), marked as own runs are not. A task is weighed again only
// when one it may be marked for is marked (the last of those waiting for
// it, the block whose :post or reading it is), so that the work is the
// tasks' and their waits', not the tasks' times the length of the chains
// of runs marked one after the other (a round over every task for each,
// as it was). It returns the tasks it looked at (TestUnneededScales).
func markUnneeded(p *Plan, own map[int]*Task, kept ...*Task) (visited int) {
	isOwn := map[*Task]bool{}
	for _, t := range own {
		isOwn[t] = true
	}
	for _, t := range kept {
		isOwn[t] = true
	}
	// Task names are unique in a plan (the builder gives a later task of
	// a name one of its own, "name~2"): a name stands for one task here,
	// and users and running count its waits.
	byName := make(map[string]*Task, len(p.Tasks))
	// users are the tasks waiting for each, in the plan's order (once
	// for each wait); running counts those of them not marked. ended
	// are, by block, the :post and readings whose results are that
	// block's (ResultsWith).
	users := map[string][]*Task{}
	running := map[string]int{}
	ended := map[string][]*Task{}
	for _, t := range p.Tasks {
		byName[t.Block] = t
		for _, a := range t.After {
			users[a] = append(users[a], t)
			if t.Replaced == "" {
				running[a]++
			}
		}
		if (t.Post || t.ReadsOutput) && t.ResultsWith != "" {
			ended[t.ResultsWith] = append(ended[t.ResultsWith], t)
		}
	}
	var again []*Task
	// weigh marks t if it is not needed, and has the tasks that may be
	// marked for it weighed again.
	weigh := func(t *Task) {
		visited++
		if t.Replaced != "" || isOwn[t] {
			return
		}
		by := byName[t.ResultsWith]
		switch {
		case (t.Post || t.ReadsOutput) && by != nil && by.Replaced != "":
			t.Replaced = fmt.Sprintf("not run: it belongs to %s, which is not run: %s", by.Block, by.Replaced)
			t.ReplacedBy = by.ReplacedBy
		case (t.Post || t.ReadsOutput) && by != nil && by != t:
			// It ends the run of a block that runs (its :post, the
			// reading of its output in Emacs): its results, and
			// the stop Emacs may make at them, are that block's,
			// whoever else waits for it.
			return
		default:
			us := users[t.Block]
			if len(us) == 0 || running[t.Block] > 0 {
				return
			}
			t.Replaced = fmt.Sprintf("not run: only %s waits for it, which is not run", us[0].Block)
			t.ReplacedBy = us[0].ReplacedBy
		}
		for _, a := range t.After {
			if running[a]--; running[a] == 0 {
				if d := byName[a]; d != nil {
					again = append(again, d)
				}
			}
		}
		again = append(again, ended[t.Block]...)
	}
	for _, t := range p.Tasks {
		weigh(t)
		for len(again) > 0 {
			d := again[len(again)-1]
			again = again[:len(again)-1]
			weigh(d)
		}
	}
	return visited
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
	_, current := CacheCurrent(b.doc, t, nil)
	return !current
}
