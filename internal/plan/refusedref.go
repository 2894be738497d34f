package plan

import (
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// A reference to a block :eval refuses (:var v=noeval, :stdin noeval,
// <<noeval()>>) is the string "nil" (refusedIsNil), but Emacs gets
// there through org-babel-execute-src-block, which reads the refused
// block's information (org-babel-get-src-block-info, not light) before
// org-babel-check-evaluate refuses it: its own :var values are resolved
// at each reference, as the referring block is evaluated, before it
// runs. A value naming a block runs that block again, its results
// silent; one naming another refused block reads that one's in turn.
// Each reading so is a resolution of its own, and each run it makes is
// planned as a reference's run is (rerun): a run of its own at each
// reading, as at the refused block's own turn (refusedCalls), unless the
// block's own run serves it as it serves any reference (a :cache yes
// block whose hash is current there, a block Borges does not run). The
// referring task waits for those runs, their values unused (refusedRun),
// so that it sees their side effects, and a stop they make stops the
// document at it (its reads, stopReached; the engine's stopPlace).
// Only plain references are
// planned: a value that is a call with arguments, indexed, Lisp, empty,
// names nothing or a block whose reading Borges cannot tell leaves the
// reference refused as before (refusedRead says why).

// refusedRun is what t's reference (of header argument arg) to the
// block :eval refuses named name made run (refusedRefRuns): the tasks
// among t.After it waits for, whose values it does not take.
type refusedRun struct {
	name, arg string
	deps      []string
}

// refusedRefRuns plans the runs Emacs makes reading the information of
// the block :eval refuses that t's reference r (of header argument arg,
// written what) finds, when r names one: t then waits for them, and
// its reference is "nil" (refusedIsNil). Nothing is planned where the
// refused block's :var values are not all literals and plain
// references Borges plans (refusedRefPlannable).
func (b *builder) refusedRefRuns(blk *org.Block, t *Task, arg, what string, r parsedRef) {
	if r.call != nil {
		return
	}
	n := b.refusedTarget(r.name)
	if n == nil || refusedReadWhy(n, false) == "" || !b.refusedRefPlannable(n, map[int]bool{}) {
		return
	}
	run := refusedRun{name: r.name, arg: arg}
	b.refusedRefPlan(blk, t, arg, what, n, map[*org.Block]bool{}, &run)
	t.refusedRuns = append(t.refusedRuns, run)
	t.After = append(t.After, run.deps...)
}

// refusedReadingRuns reports whether r, a plain reference, names a
// block :eval refuses whose reading Borges plans (refusedRefRuns) and
// makes a run of its own of some block: a :var value down its chain of
// refused blocks names a block that runs for a reference (runsForRef).
// cacheServes asks it: a :cache yes block whose :var reads the refused
// block is not served where the reading runs something. Each refused
// block is walked once.
func (b *builder) refusedReadingRuns(r parsedRef) bool {
	if r.call != nil {
		return false
	}
	n := b.refusedTarget(r.name)
	if n == nil || refusedReadWhy(n, false) == "" || !b.refusedRefPlannable(n, map[int]bool{}) {
		return false
	}
	walked := map[int]bool{}
	var runs func(n *org.Block) bool
	runs = func(n *org.Block) bool {
		if walked[n.Index] {
			return false
		}
		walked[n.Index] = true
		found := false
		refusedVarRefs(n, nil, func(_, _ string, r parsedRef) bool {
			if _, data := b.doc.NamedData(r.name); data {
				return true
			}
			if m := b.refusedTarget(r.name); m != nil {
				found = runs(m)
			} else {
				found = b.runsForRef(r.name)
			}
			return !found
		})
		return found
	}
	return runs(n)
}

// refusedTarget is the block :eval refuses that a reference to name
// finds (org-babel-ref-resolve: the first element of the name outside
// COMMENT subtrees), nil when it finds anything else.
func (b *builder) refusedTarget(name string) *org.Block {
	if b.refusedDocNames == nil {
		// Once: most references name no refused block, and are
		// answered here.
		b.refusedDocNames = map[string]bool{}
		for _, x := range b.doc.Blocks {
			if _, refused := org.EvalRefused(x.Args); refused && x.Name != "" {
				b.refusedDocNames[x.Name] = true
			}
		}
	}
	if !b.refusedDocNames[name] {
		return nil
	}
	if _, data := b.doc.NamedData(name); data {
		return nil
	}
	cb, err := b.doc.CalledWith(name, "", "")
	if err != nil || cb.Call != nil {
		return nil
	}
	// The block itself (the one found has no index of its own).
	var blk *org.Block
	for _, x := range b.doc.Blocks {
		if x.Start == cb.Start && x.Inline == 0 {
			blk = x
			break
		}
	}
	if blk == nil || blk.Name != name || blk.Commented || blk.Call != nil {
		return nil
	}
	if _, refused := org.EvalRefused(blk.Args); !refused {
		return nil
	}
	return blk
}

// refusedRefPlannable reports whether reading the information of n, a
// block :eval refuses, runs only what refusedRefPlan plans: every :var
// value a literal Borges reads (refusedReadWhy of the others), or a
// plain reference (no call, no index) to named data, to a block, or to
// another refused block of which the same holds (seen: their indexes,
// a cycle is not planned: Emacs recurses without end).
//
// The answer is kept by block (refusedPlannable): it does not depend on
// the path taken to n, the cycle check aside, and a block found on a
// cycle is on that cycle itself, not plannable from anywhere. A chain
// of blocks each naming the next twice is so walked once, not 2^depth
// times.
func (b *builder) refusedRefPlannable(n *org.Block, seen map[int]bool) bool {
	if known, ok := b.refusedPlannable[n]; ok {
		return known
	}
	if seen[n.Index] {
		return false
	}
	seen[n.Index] = true
	defer delete(seen, n.Index)
	b.refusedReadSteps++
	plannable := b.refusedRefPlannableWalk(n, seen)
	if b.refusedPlannable == nil {
		b.refusedPlannable = map[*org.Block]bool{}
	}
	b.refusedPlannable[n] = plannable
	return plannable
}

// refusedRefPlannableWalk is refusedRefPlannable's walk of n's :var
// values.
func (b *builder) refusedRefPlannableWalk(n *org.Block, seen map[int]bool) bool {
	rest := *n
	rest.Vars = nil
	plannable := refusedVarRefs(n, func(raw string) { rest.Vars = append(rest.Vars, raw) }, func(_, _ string, r parsedRef) bool {
		if r.call != nil || r.index != "" || b.doc.NamedUnread(r.name) || b.doc.NamedCallRunsNothing(r.name) {
			return false
		}
		if _, data := b.doc.NamedData(r.name); data {
			return true
		}
		if _, err := b.doc.CalledWith(r.name, "", ""); err != nil {
			// No block or call of the name (a heading's body, a
			// name nothing has, which stops Emacs there): not
			// planned.
			return false
		}
		// One standing after a stop (an inline block's value Babel
		// does not write inline, say) runs for the reference as in
		// Emacs, and write-back writes nothing of that run at its
		// place (the engine's unwrittenPastStop).
		m := b.refusedTarget(r.name)
		return m == nil || b.refusedRefPlannable(m, seen)
	})
	return plannable && refusedReadWhy(&rest, false) == ""
}

// refusedRefPlan appends to run.deps the tasks of the runs reading n's
// information makes (refusedRefPlannable said which), in the order Emacs
// resolves n's :var values: a block's run (one of its own for this
// reading, as for any reference: rerun; the block's own run where that
// serves the reference), the runs of a refused block named, in turn.
//
// idle holds, for this reading, the refused blocks whose walk planned no
// task: their blocks are all served (named data, a block whose own run
// serves the reference), and walking them again adds nothing, where a
// chain of blocks each naming the next twice would be walked 2^depth
// times. A walk that plans tasks is walked again, each time planning
// its tasks anew (as many runs as Emacs makes), until the runs pass
// #+borges_max_tasks (rerun), where the walk stops: the document is
// refused.
func (b *builder) refusedRefPlan(blk *org.Block, t *Task, arg, what string, n *org.Block, idle map[*org.Block]bool, run *refusedRun) {
	if idle[n] || b.tooManyRuns || !b.refusedReadsBlock(n) {
		return
	}
	b.refusedReadSteps++
	tasks := len(b.plan.Tasks)
	refusedVarRefs(n, nil, func(k, rhs string, r parsedRef) bool {
		if _, data := b.doc.NamedData(r.name); data {
			return true
		}
		if m := b.refusedTarget(r.name); m != nil {
			b.refusedRefPlan(blk, t, arg, what, m, idle, run)
			return true
		}
		// Named after the reading and the value it resolves ("b3 :var
		// a=noeval x=tick"): two readings in one header, or a reading
		// made again by a later run of t's block, are runs of their
		// own (rerunName numbers them).
		dep := b.rerun(blk, t, arg, what+" "+strings.TrimSpace(k)+"="+rhs, r)
		if dep == "" {
			// Served by the block's own run, as the reference would be
			// (rerun): t waits for it.
			dep = r.name
		}
		run.deps = append(run.deps, dep)
		return true
	})
	if len(b.plan.Tasks) == tasks {
		idle[n] = true
	}
}

// refusedReadsBlock reports whether reading n, a block :eval refuses
// that refusedRefPlannable plans, resolves a reference to a block, down
// its chain of refused blocks: one that names only literals and data
// plans nothing, at any place, and is not walked (kept by block in
// refusedBlockRead: a chain read at each refused block's turn is walked
// once in all).
func (b *builder) refusedReadsBlock(n *org.Block) bool {
	if known, ok := b.refusedBlockRead[n]; ok {
		return known
	}
	if b.refusedBlockRead == nil {
		b.refusedBlockRead = map[*org.Block]bool{}
	}
	// Not plannable on a cycle (refusedRefPlannable): the walk ends.
	b.refusedBlockRead[n] = false
	b.refusedReadSteps++
	reads := !refusedVarRefs(n, nil, func(_, _ string, r parsedRef) bool {
		if _, data := b.doc.NamedData(r.name); data {
			return true
		}
		m := b.refusedTarget(r.name)
		return m != nil && !b.refusedReadsBlock(m)
	})
	b.refusedBlockRead[n] = reads
	return reads
}

// refusedVarRefs walks the :var values of n, a block :eval refuses, in
// order, as reading its information resolves them: each reference (not
// *this*) is given to ref, with its key and value as written, and the
// walk stops where ref returns false; any other value is given to
// literal, when not nil. It reports whether the walk went to the end.
// refusedRefPlannable and refusedRefPlan walk the same values so.
func refusedVarRefs(n *org.Block, literal func(raw string), ref func(k, rhs string, r parsedRef) bool) bool {
	for _, raw := range n.Vars {
		k, rhs, r, ok := varRef(raw)
		if !ok || rhs == "*this*" {
			if literal != nil {
				literal(raw)
			}
			continue
		}
		if !ref(k, rhs, r) {
			return false
		}
	}
	return true
}

// refusedRunOf is the header argument of t's reference to a block :eval
// refuses that made t wait for dep (refusedRefRuns), "" for none.
func (t *Task) refusedRunOf(dep string) string {
	for _, run := range t.refusedRuns {
		for _, d := range run.deps {
			if d == dep {
				return run.arg
			}
		}
	}
	return ""
}

// refusedRunsPlanned reports whether t's references to the block :eval
// refuses named a had the runs reading it makes planned (refusedRefRuns).
// It is keyed by the name alone: every reference to one name plans the
// same runs (a plain reference; a call with arguments of a refused block,
// noeval(y=1), is refused before, refusedRefRuns planning nothing for it).
func (t *Task) refusedRunsPlanned(a string) bool {
	for _, run := range t.refusedRuns {
		if run.name == a {
			return true
		}
	}
	return false
}
