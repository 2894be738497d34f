package plan

// The runs a block's references make, paired across the submitted plan
// and the buffer's an Emacs Lisp block left (pairRuns): which of them are
// one run, which the buffer no longer makes (refDropped), and which are
// made anew in the buffer's order (reorderedWhy). Edits.decideOther and
// nameOf decide from these pairs.

import (
	"fmt"
	"strings"
)

// reorderedWhy is, for t, a run of the submitted plan that a block's
// reference makes (directly, or inside such a run), why it is not run
// where its referrer's runs are made anew in the buffer's order
// (unpairReordered); "" otherwise.
func (e *Edits) reorderedWhy(t *Task) string {
	e.pairRuns()
	if len(e.reorderedOld) == 0 {
		return ""
	}
	top, by := refChain(t, e.oldByName, e.oldRefs)
	if by == nil {
		return ""
	}
	if _, ok := e.reorderedOld[top]; !ok {
		return ""
	}
	what, _ := refWhat(top)
	return fmt.Sprintf("not run here: an Emacs Lisp block before it changed the order of the references of block %s (line %d of the document; this one: %s) or of the blocks making them in the Org buffer, where org-babel-ref-resolve runs the blocks referred to in the buffer's order: the run is made anew there, at its referrer's turn", by.Block, by.Line, what)
}

// refDropped is, for t, a run of the submitted plan that a reference of
// a block makes (directly, or inside such a run: CallOf followed up to
// the block's own run) and that the buffer's plan does not have, why it
// is not made: an Emacs Lisp block before that referring block deleted
// it, or changed it so that it no longer makes the reference (":var
// x=a" rewritten into ":var x=b"), or makes it fewer times (of "<<a()>>
// <<a()>>", one left: the runs after as many as the buffer's are not
// made). org-babel-ref-resolve resolves the references the block has in
// the buffer when Emacs reaches it, and never runs a for the reference
// gone: neither does Borges, which would otherwise do a's side effects
// once more. "" when the referring block is kept as submitted, or still
// makes the reference as written as many times (the block renamed: its
// run is named otherwise; a call, sq(n=7), the same call), or t is no
// such run (a run a :post chain or a Lisp value makes, a run a block
// :eval refuses makes).
func (e *Edits) refDropped(t *Task) string {
	top, by := refChain(t, e.oldByName, e.oldRefs)
	if by == nil {
		return ""
	}
	what, ok := refWhat(top)
	if !ok {
		return ""
	}
	j, ok := e.place[by.Index]
	if !ok {
		return ""
	}
	if e.at[j] == nil {
		return fmt.Sprintf("not run: an Emacs Lisp block before it deleted block %s (line %d of the document), whose reference (%s) makes this run, from the Org buffer, where org-babel-execute-buffer does not find it", by.Block, by.Line, what)
	}
	if e.exeOf(by) >= 0 && e.Decide(by).Kind == Kept {
		return ""
	}
	// t's place among the runs of the reference as submitted, and how
	// many the block makes in the buffer.
	e.pairRuns()
	nth, made := e.nthRun[top], e.runsMade[blockRef{e.at[j].Index, what}]
	if nth <= made {
		return ""
	}
	if made > 0 {
		return fmt.Sprintf("not run: an Emacs Lisp block before it changed block %s (line %d of the document) in the Org buffer, where it makes this reference (%s) %d times, not %d: org-babel-ref-resolve does not run block %s for it the %s time", by.Block, by.Line, what, made, nth, top.called.name, ordinal(nth))
	}
	return fmt.Sprintf("not run: an Emacs Lisp block before it changed block %s (line %d of the document) in the Org buffer, where it no longer makes this reference (%s): org-babel-ref-resolve does not run block %s for it", by.Block, by.Line, what, top.called.name)
}

// ordinal is n as "2nd".
func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return fmt.Sprintf("%dth", n)
	case n%10 == 1:
		return fmt.Sprintf("%dst", n)
	case n%10 == 2:
		return fmt.Sprintf("%dnd", n)
	case n%10 == 3:
		return fmt.Sprintf("%drd", n)
	}
	return fmt.Sprintf("%dth", n)
}

// refChain follows rt, a run of a plan (byName its tasks by name, refs
// its runReferrers), up its CallOf chain of runs again and calls
// (refRunStep): top is the run a block's own reference makes (rt, or the
// run rt is made in), by that block's own run; by nil where the chain is not such (a run a
// :post chain makes, a run a block :eval refuses makes).
func refChain(rt *Task, byName, refs map[string]*Task) (top, by *Task) {
	top = rt
	for i := 0; top.refRunStep() && i <= len(byName); i++ {
		o := refs[top.Block]
		if o == nil {
			o = byName[top.callOf]
		}
		if o == nil {
			return top, nil
		}
		if o.isOwnRun() {
			return top, o
		}
		top = o
	}
	return top, nil
}

// refRunStep reports whether t is a run a reference makes of a block
// (plainRefRun), or a call of one with arguments or a header.
func (t *Task) refRunStep() bool {
	return t.called != nil && t.Index < 0 && !t.Post && !t.ReadsOutput && t.lispVar == nil
}

// refWhat is the reference that makes top, a run a block's own
// reference makes (refChain), as refDropped tells it from the others the
// block makes: for a run again, as written (":var x=a", the name after
// the block's); for a call, the call ("sq(n=7)"), which its first place
// is named by, a later one after its referring block.
func refWhat(top *Task) (string, bool) {
	if top.called != nil && (top.called.args != "" || top.called.header != "") {
		return top.called.key(), true
	}
	return strings.CutPrefix(trimRunSeq(top.Block), top.callOf+" ")
}

// isOwnRun reports whether t is a block's own run (a later block of a
// name, ResultsWith, included).
func (t *Task) isOwnRun() bool {
	return t.Index >= 0 && t.called == nil && t.lispVar == nil && !t.Post && !t.ReadsOutput
}

// runReferrers are, for plan p (byName its tasks by name), the block's
// own run each run a reference makes is made by, by the run's name: the
// own run that waits for it (After). A run's CallOf names the block,
// which two blocks of a name share (the later's own run named
// "ref~2", its runs "ref :var x=a~2"); where no own run waits for it
// directly (a :post chain between), CallOf's task is.
func runReferrers(p *Plan, byName map[string]*Task) map[string]*Task {
	out := map[string]*Task{}
	if p == nil {
		return out
	}
	for _, x := range p.Tasks {
		if !x.isOwnRun() {
			continue
		}
		for _, a := range x.After {
			if rt := byName[a]; rt != nil && rt.callOf != "" && (rt.callOf == x.Block || rt.callOf == x.ResultsWith) {
				if _, dup := out[a]; !dup {
					out[a] = x
				}
			}
		}
	}
	return out
}

// sameReferrer reports whether nt, the buffer plan's run of t's name, is
// made by the reference that makes t: the same runs up its CallOf chain
// to a block's own run, of the block the submitted one is in the buffer
// (moved, it is another). A task that is no chain of such runs (a run a
// :post chain or a Lisp value makes) is matched by its name.
func (e *Edits) sameReferrer(t, nt *Task) bool {
	otop, oby := refChain(t, e.oldByName, e.oldRefs)
	if oby == nil {
		return true
	}
	ntop, nby := refChain(nt, e.byName, e.newRefs)
	if nby == nil || otop.Block != ntop.Block {
		return false
	}
	j, ok := e.place[oby.Index]
	return ok && e.at[j] != nil && e.at[j].Index == nby.Index
}

// pairRuns pairs the runs a block's own references make directly in the
// buffer's plan with the submitted plan's (oldRunOf, newRunOf): the
// runs of one reference (as written: refWhat) of a block of the buffer
// and of the submitted block at its mark (back), the first with the
// first. Their names do not pair them: a run is named after its
// referring block, an unnamed one by its place ("block-3 :var x=a"),
// which an Emacs Lisp block deleting or inserting a block before it
// shifts, another referrer's run taking the name.
func (e *Edits) pairRuns() {
	e.pairsOnce.Do(func() {
		e.oldRunOf, e.newRunOf = map[string]*Task{}, map[string]*Task{}
		type key struct{ by, what string }
		oldPos, newBy := map[*Task]int{}, map[*Task]string{}
		direct := func(p *Plan, byName, refs map[string]*Task) (map[key][]*Task, []key) {
			out, order := map[key][]*Task{}, []key(nil)
			if p == nil {
				return out, nil
			}
			for _, rt := range p.Tasks {
				e.refsVisited++
				top, by := refChain(rt, byName, refs)
				if top != rt || by == nil {
					continue
				}
				what, ok := refWhat(rt)
				if !ok {
					continue
				}
				k := key{by.Block, what}
				if out[k] == nil {
					order = append(order, k)
				}
				out[k] = append(out[k], rt)
				if p == e.old {
					e.nthRun[rt] = len(out[k])
					oldPos[rt] = len(oldPos)
				} else {
					e.runsMade[blockRef{by.Index, what}]++
					newBy[rt] = by.Block
				}
			}
			return out, order
		}
		e.nthRun, e.runsMade = map[*Task]int{}, map[blockRef]int{}
		olds, _ := direct(e.old, e.oldByName, e.oldRefs)
		news, order := direct(e.Plan, e.byName, e.newRefs)
		for _, k := range order {
			ob, ok := e.back[k.by]
			if !ok {
				continue
			}
			os := olds[key{ob, k.what}]
			for i, nt := range news[k] {
				var ot *Task
				if i < len(os) {
					ot = os[i]
					e.newRunOf[ot.Block] = nt
				}
				e.oldRunOf[nt.Block] = ot
			}
		}
		e.unpairReordered(oldPos, newBy)
		for k, os := range olds {
			for _, ot := range os {
				if _, ok := e.newRunOf[ot.Block]; !ok && e.hasBack(k.by) {
					e.newRunOf[ot.Block] = nil
				}
			}
		}
	})
}

// unpairReordered unpairs the runs of the referrers whose runs paired
// (pairRuns) come in the buffer's plan in another order than in the
// submitted one (oldPos: their places there; newBy: the referrer of
// each of the buffer's): an Emacs Lisp block swapped two references of
// a header (":var x=a y=b" into ":var y=b x=a"), or moved a referrer
// after another referrer of the same block. org-babel-ref-resolve runs
// the blocks referred to in the buffer's order, and a run kept runs at
// its submitted place: where the blocks' side effects reach each other
// (a file they both write), the values would be swapped. Every run of
// such a referrer is made anew (newRun, at the referrer's turn, in the
// buffer's order; the referrer Changed: reordered) and its submitted
// runs are not run (reorderedOld, decideOther). Both walks are linear:
// a run is out of order when one before it in the buffer's plan came
// after it in the submitted plan (a run's place below the greatest
// before it), or one after it came before it.
func (e *Edits) unpairReordered(oldPos map[*Task]int, newBy map[*Task]string) {
	var paired []*Task
	for _, nt := range e.Plan.Tasks {
		if ot := e.oldRunOf[nt.Block]; ot != nil && newBy[nt] != "" {
			paired = append(paired, nt)
		}
	}
	out := make([]bool, len(paired))
	most := -1
	for i, nt := range paired {
		p := oldPos[e.oldRunOf[nt.Block]]
		out[i] = p < most
		most = max(most, p)
	}
	least := len(oldPos)
	for i := len(paired) - 1; i >= 0; i-- {
		p := oldPos[e.oldRunOf[paired[i].Block]]
		out[i] = out[i] || p > least
		least = min(least, p)
	}
	for i, nt := range paired {
		if out[i] {
			if e.reordered == nil {
				e.reordered, e.reorderedOld = map[string]bool{}, map[*Task]string{}
			}
			e.reordered[newBy[nt]] = true
		}
	}
	for _, nt := range paired {
		if !e.reordered[newBy[nt]] {
			continue
		}
		ot := e.oldRunOf[nt.Block]
		e.reorderedOld[ot] = newBy[nt]
		e.newRunOf[ot.Block], e.oldRunOf[nt.Block] = nil, nil
	}
}

// hasBack reports whether the submitted plan's own run ob is a block's
// the buffer holds (back maps a buffer run to it).
func (e *Edits) hasBack(ob string) bool {
	if e.backOf == nil {
		e.backOf = make(map[string]bool, len(e.back))
		for _, o := range e.back {
			e.backOf[o] = true
		}
	}
	return e.backOf[ob]
}

// pairedOld is the submitted plan's run that the buffer plan's run n is
// (pairRuns), ok false where n is no run of a reference of a block both
// plans have: its name pairs it.
func (e *Edits) pairedOld(n string) (*Task, bool) {
	e.pairRuns()
	ot, ok := e.oldRunOf[n]
	return ot, ok
}

// pairedNew is the buffer plan's run that the submitted plan's run n is
// (pairRuns): nil where the block that makes it in the submitted plan
// is in the buffer but makes no such run; ok false where n is no run of
// a reference of a block both plans have.
func (e *Edits) pairedNew(n string) (*Task, bool) {
	e.pairRuns()
	nt, ok := e.newRunOf[n]
	return nt, ok
}
