package plan

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// A block :eval no or never refuses still has its :var values resolved
// at its turn: org-babel-get-src-block-info reads them
// (org-babel-process-params) before org-babel-check-evaluate looks at
// :eval, and org-babel-ref-resolve runs a block a value calls with
// arguments ("name(n=2)"), as it does for any block. That run is a task
// of its own, as a call in a runnable block's :var is (refusedCalls):
// its results are written nowhere, and a stop it makes (its value Emacs
// cannot read, output it asks a coding system for) stops the document at
// the refused block (Task.RefusedReaders, filled by evalRefusedStop when
// Emacs reaches the call). A call Emacs never reaches (the refused block
// after a stop, in results replaced, or a reference before the call that
// stops it) is not run (markRefusedCallsUnreached), and dropped from
// the plan (dropRefusedCallsUnreached).

// refusedCalls plans the calls with arguments of the :var values of
// blk, named name, a block :eval refuses (not a #+call: line, whose
// arguments are its call). A call Emacs never completes (arguments
// Babel cannot merge, a reference naming nothing in the buffer, a call
// coming back to itself, as varRefs walks it) is not planned, and left
// to evalRefusedStop, which stops the document there, or passes it
// over, as before. A call planned that turns out not to be plannable is
// rolled back alone once the document's blocks are planned
// (rollBackRefusedCalls).
//
// A plain reference (y=counter, y=counter[0]) is planned as any
// reference is (rerun): Emacs's run at the refused block's turn is one
// of its own, unless the block's own run serves it (a :cache yes block
// whose hash is current there), as each reading of the refused block
// elsewhere makes one of its own too (refusedref.go).
//
// blk may be the called copy of a block :eval refuses (its Index
// negative), planned for the call of a refused document block (refusedTop):
// the calls of its :var values are run at that block's turn, and are
// recorded under it. A refused copy planned for a runnable block's call
// plans none (as before).
func (b *builder) refusedCalls(blk *org.Block, name string) {
	if blk.Call != nil || b.noRefusedCalls && !b.refusedCallsOf(blk) {
		return
	}
	top := blk
	if blk.Index < 0 {
		if b.refusedTop == nil {
			return
		}
		top = b.refusedTop
	} else {
		defer func(was *org.Block) { b.refusedTop = was }(b.refusedTop)
		b.refusedTop = blk
	}
	caller := &Task{Block: name, Index: blk.Index, Line: blk.Line}
	for _, raw := range blk.Vars {
		k, rhs, r, ok := varRef(raw)
		if !ok || k == "" {
			continue
		}
		c := r.call
		if c == nil {
			// A plain reference, indexed or not (Emacs runs the
			// block whole, then indexes its value): a run of its
			// own, unless the block's own run serves it; rerun
			// decides.
			c = &calledRef{name: r.name}
		}
		if _, err := b.doc.CalledWith(c.name, c.header, c.args); err != nil {
			continue
		}
		if why := b.varRefs(top, []string{raw}, func(r parsedRef) string { return b.unknownRef(r.name, top.Start) }, nil); why != "" {
			// A reference that names nothing, a call coming back to
			// itself, arguments Babel cannot merge: Emacs stops
			// resolving the call (evalRefusedStop), and never runs it.
			continue
		}
		made := refusedMade{tasks: len(b.plan.Tasks), problems: len(b.problems), skipped: len(b.plan.Skipped)}
		if m := b.refusedTarget(r.name); r.call == nil && m != nil {
			b.refusedReadAtTurn(blk, top, caller, ":var "+k+"="+rhs, r, m, made)
			continue
		}
		dep := b.rerun(blk, caller, ":var", ":var "+k+"="+rhs, r)
		if dep == "" && r.call == nil {
			// Served by the block's own run (or one Borges does not
			// run): nothing planned.
			continue
		}
		if dep == "" {
			key := r.call.key()
			if b.refusedMade[key] {
				// An earlier refused block made the same call: Emacs
				// runs it again at this block's turn, a run of its own.
				key = name + " " + key
			}
			dep = b.calledTaskNamed(blk, caller, ":var", r.call, key)
		}
		b.refusedMadeEnd(top, made)
		if dep != "" {
			b.addRefusedCall(top, c.key(), dep)
		}
	}
}

// refusedMadeEnd records what planning one call or reading of the
// block :eval refuses top made, from made on (refusedMade): its tasks
// are the refused blocks' (refusedMade, refusedMadeBy), rolled back
// together where they cannot be planned (rollBackRefusedCalls).
func (b *builder) refusedMadeEnd(top *org.Block, made refusedMade) {
	if b.refusedMade == nil {
		b.refusedMade = map[string]bool{}
	}
	for _, t := range b.plan.Tasks[made.tasks:] {
		b.refusedMade[t.Block] = true
		if b.refusedCallsAt[top.Index] {
			b.refusedMadeBy[top.Index] = append(b.refusedMadeBy[top.Index], t.Block)
		}
	}
	made.tasksEnd, made.problemsEnd, made.skippedEnd = len(b.plan.Tasks), len(b.problems), len(b.plan.Skipped)
	b.refusedPlanned = append(b.refusedPlanned, made)
}

// addRefusedCall records dep as the task of the call key of the block
// :eval refuses top (refusedCall), the first one planned for a key.
func (b *builder) addRefusedCall(top *org.Block, key, dep string) {
	if b.refusedCall == nil {
		b.refusedCall = map[int]map[string]string{}
	}
	if b.refusedCall[top.Index] == nil {
		b.refusedCall[top.Index] = map[string]string{}
	}
	if _, dup := b.refusedCall[top.Index][key]; !dup {
		b.refusedCall[top.Index][key] = dep
	}
}

// refusedReadingKey marks the keys of refusedCall that are the runs the
// reading of another refused block makes at a refused block's turn
// (refusedReadAtTurn), after it the run's task: no call is written so.
const refusedReadingKey = "\x00reading "

// refusedReadAtTurn plans the runs Emacs makes at the turn of blk, a
// block :eval refuses (top the document's block whose turn it is),
// resolving its :var value what (":var y=noeval2"), the plain reference
// r to m, another block :eval refuses: reading m's information resolves
// m's :var values, and runs the blocks they name again, as any reading
// of m does (refusedRefPlan), each run a task of its own for this turn
// (named after it, "noeval :var y=noeval2 x=tick"), recorded as the
// refused block's calls are (refusedCall, under refusedReadingKey), so
// that they stand at its turn (evalRefusedStop gives them top among
// their RefusedReaders) and are dropped where Emacs never reaches it
// (markRefusedCallsUnreached). Nothing is planned where Borges does not
// plan the reading (refusedRefPlannable; an indexed reference); a run
// the block's own run serves is no task of this turn.
func (b *builder) refusedReadAtTurn(blk, top *org.Block, caller *Task, what string, r parsedRef, m *org.Block, made refusedMade) {
	if r.index != "" || refusedReadWhy(m, false) == "" || !b.refusedRefPlannable(m, map[int]bool{}) {
		return
	}
	run := refusedRun{name: r.name, arg: ":var"}
	b.refusedRefPlan(blk, caller, ":var", what, m, map[*org.Block]bool{}, &run)
	fresh := map[string]bool{}
	for _, t := range b.plan.Tasks[made.tasks:] {
		fresh[t.Block] = true
	}
	b.refusedMadeEnd(top, made)
	for _, dep := range run.deps {
		if fresh[dep] {
			b.addRefusedCall(top, refusedReadingKey+dep, dep)
		}
	}
}

// refusedCallsOf reports whether the calls of blk's :var values are
// planned in a buffer read again (noRefusedCalls): blk is a block found
// in results or added by an Emacs Lisp block (refusedCallsAt), or a
// called copy planned for one's call.
func (b *builder) refusedCallsOf(blk *org.Block) bool {
	if blk.Index < 0 {
		return b.refusedTop != nil && b.refusedCallsAt[b.refusedTop.Index]
	}
	return b.refusedCallsAt[blk.Index]
}

// refusedCallRun is the task of the run of the block that the call key
// of the refused block at index calls (refusedCalls): the task its value
// is read from, or, for a block with a :post, the one whose :post it is;
// nil for none planned.
func (b *builder) refusedCallRun(index int, key string) *Task {
	chain := b.refusedCallChain(index, key)
	if len(chain) == 0 {
		return nil
	}
	return chain[len(chain)-1]
}

// refusedCallChain is the :post chain of the call key of the refused
// block at index (refusedCalls): the task its value is read from first,
// then the task each is the :post of, the run of the called block
// (refusedCallRun) last; nil for none planned.
func (b *builder) refusedCallChain(index int, key string) []*Task {
	t := b.byName[b.refusedCall[index][key]]
	if t == nil {
		return nil
	}
	chain := []*Task{t}
	// Bounded: a :post chain is planned without cycles.
	for range b.plan.Tasks {
		if !t.Post {
			break
		}
		if t = b.byName[t.PostOwner()]; t == nil {
			break
		}
		chain = append(chain, t)
	}
	return chain
}

// markRefusedCallsUnreached sets Replaced on the tasks of the calls of
// blocks :eval refuses (refusedCalls) that Emacs never runs: no block
// :eval refuses reaches the call (none of them has RefusedReaders), and
// no task waits for them but the call's own :post chain (a :post task
// waits for the run it is the :post of). The whole chain is not run,
// and the tasks only it waits for are not run either (markUnneeded).
func (b *builder) markRefusedCallsUnreached() {
	if len(b.refusedCall) == 0 {
		return
	}
	users := map[string][]string{}
	for _, t := range b.plan.Tasks {
		for _, a := range t.After {
			users[a] = append(users[a], t.Block)
		}
	}
	marked := false
	// In order: two refused blocks making one call share its task, and
	// the first marked names its line in the reason.
	for _, index := range slices.Sorted(maps.Keys(b.refusedCall)) {
		for _, key := range slices.Sorted(maps.Keys(b.refusedCall[index])) {
			chain := b.refusedCallChain(index, key)
			if len(chain) == 0 || chain[len(chain)-1].Replaced != "" || usedOutside(chain, users) {
				continue
			}
			why := fmt.Sprintf("not run: a block :eval refuses calls it (line %d), and org-babel-execute-buffer does not reach that call: it stops before it, or never comes to that block", b.doc.BlockAt(index).Line)
			for _, t := range chain {
				if t.Replaced == "" {
					t.Replaced = why
				}
			}
			marked = true
		}
	}
	if marked {
		b.unneededVisited += markUnneeded(b.plan, ownTasks(b.plan))
		b.dropRefusedCallsUnreached()
	}
}

// usedOutside reports whether a task of chain is read by a block :eval
// refuses (RefusedReaders) or waited for by a task not in chain.
func usedOutside(chain []*Task, users map[string][]string) bool {
	in := map[string]bool{}
	for _, t := range chain {
		in[t.Block] = true
	}
	for _, t := range chain {
		if len(t.RefusedReaders) > 0 {
			return true
		}
		for _, u := range users[t.Block] {
			if !in[u] {
				return true
			}
		}
	}
	return false
}

// dropRefusedCallsUnreached drops from the plan the tasks refusedCalls
// made that are not run (Replaced, no refused block reaching them), no
// task waiting for them: Emacs never runs them, and a view shows nothing
// of them, as before such calls were planned. A task of a session stays
// (the session's order runs through it), not run. Bounded: each pass
// but the last drops one task at least.
func (b *builder) dropRefusedCallsUnreached() {
	for range b.plan.Tasks {
		users := map[string]bool{}
		for _, t := range b.plan.Tasks {
			for _, a := range t.After {
				users[a] = true
			}
		}
		var kept []*Task
		for _, t := range b.plan.Tasks {
			if b.refusedMade[t.Block] && t.Replaced != "" && len(t.RefusedReaders) == 0 && t.Session == nil && !users[t.Block] {
				delete(b.byName, t.Block)
				continue
			}
			kept = append(kept, t)
		}
		if len(kept) == len(b.plan.Tasks) {
			return
		}
		b.plan.Tasks = kept
	}
}

// addRefusedReader adds at to t's RefusedReaders, once.
func addRefusedReader(t *Task, at BlockPlace) {
	if !slices.Contains(t.RefusedReaders, at) {
		t.RefusedReaders = append(t.RefusedReaders, at)
	}
}

// unknownRef is the error org-babel-ref-resolve signals resolving a
// reference to name, at byte offset at of the document, when it names
// nothing in the buffer (org.Document.RefFinds): "" when it names
// something, or when a block run before at may write what it names
// (elispBeforeAt, namesMayBeWrittenBefore): a runnable block's
// reference is then looked for when it runs (unresolved); a refused
// block's is left unjudged, and no stop is made.
func (b *builder) unknownRef(name string, at int) string {
	if b.doc.RefFinds(name) || b.elispBeforeAt(at) || b.namesMayBeWrittenBefore(at) {
		return ""
	}
	return org.RefNotFound(name)
}

// refusedMade is what planning one call of a block :eval refuses
// (refusedCalls) added: the tasks, problems and skipped blocks from
// tasks, problems and skipped to the ends, each a contiguous range, as
// nothing else is planned meanwhile (a call planned inside it, for a
// called copy :eval refuses, has its range within).
type refusedMade struct {
	tasks, tasksEnd, problems, problemsEnd int
	skipped, skippedEnd                    int
}

// keepTooManyRuns puts back the problem of the runs past the limit
// (rerun) where rollBackRefusedCalls dropped it with the call of a
// block :eval refuses it was found planning: the runs it stopped
// planning are still missing (every later reference was served by
// nothing), and the document is refused.
func (b *builder) keepTooManyRuns() {
	if b.tooManyRuns && !slices.Contains(b.problems, b.tooManyRunsProblem) {
		b.problems = append(b.problems, b.tooManyRunsProblem)
	}
}

// rollBackRefusedCalls drops, once every block of the document is
// planned, the calls of blocks :eval refuses (refusedPlanned) that
// cannot be planned: a problem was found planning them, or a task of
// theirs waits for a name no task has, which would refuse the document
// (resolve). A call of a block no task runs (a called copy :eval
// refuses too, whose own calls are planned) has no task, as before. Each such call is
// rolled back alone, its tasks, problems and skipped blocks with it, so
// that the other refused calls are still planned; a call one of whose
// tasks another task needs (a runnable block making the same call) is
// kept, and its problems refuse the document. A task of a session that
// is dropped leaves the session's order to the one before it.
func (b *builder) rollBackRefusedCalls() {
	drop := map[string]bool{}
	var failed []refusedMade
	for _, m := range b.refusedPlanned {
		bad := m.problemsEnd > m.problems
		for _, t := range b.plan.Tasks[m.tasks:m.tasksEnd] {
			for _, a := range t.After {
				// As resolve finds them: a name of a block whose
				// header arguments stop Emacs is no problem (the
				// stop is made where the call is reached).
				if b.byName[a] == nil && b.stopOf[a] == "" {
					bad = true
				}
			}
		}
		if !bad {
			continue
		}
		failed = append(failed, m)
		for _, t := range b.plan.Tasks[m.tasks:m.tasksEnd] {
			drop[t.Block] = true
		}
	}
	if len(failed) == 0 {
		return
	}
	// Kept where another task needs them (the session's order aside).
	needed := map[string]bool{}
	for _, t := range b.plan.Tasks {
		if drop[t.Block] {
			continue
		}
		for _, a := range t.After {
			if drop[a] && a != t.sessionPrev {
				needed[a] = true
			}
		}
	}
	var rolled []refusedMade
	for _, m := range failed {
		keep := false
		for _, t := range b.plan.Tasks[m.tasks:m.tasksEnd] {
			keep = keep || needed[t.Block]
		}
		if keep {
			for _, t := range b.plan.Tasks[m.tasks:m.tasksEnd] {
				delete(drop, t.Block)
			}
			continue
		}
		rolled = append(rolled, m)
	}
	if len(rolled) == 0 {
		return
	}
	b.dropTasks(drop)
	var problems []Problem
	var skipped []*Skipped
	gone := func(i int, ends func(refusedMade) (int, int)) bool {
		for _, m := range rolled {
			if from, to := ends(m); i >= from && i < to {
				return true
			}
		}
		return false
	}
	for i, pr := range b.problems {
		if !gone(i, func(m refusedMade) (int, int) { return m.problems, m.problemsEnd }) {
			problems = append(problems, pr)
		}
	}
	for i, s := range b.plan.Skipped {
		if gone(i, func(m refusedMade) (int, int) { return m.skipped, m.skippedEnd }) {
			if b.skipped[s.Block] == s {
				delete(b.skipped, s.Block)
			}
			continue
		}
		skipped = append(skipped, s)
	}
	b.problems, b.plan.Skipped = problems, skipped
	// Every refused block reading a task dropped: the one planning it,
	// or a later one making the same call.
	for top, calls := range b.refusedCall {
		for key, dep := range calls {
			if drop[dep] {
				delete(calls, key)
			}
		}
		if len(calls) == 0 {
			delete(b.refusedCall, top)
		}
	}
	b.refusedPlanned = nil
}

// dropTasks takes the tasks named in drop out of the plan and of the
// builder's indexes. A task of a session that stays, whose session
// predecessor is dropped, comes after the last one before it that stays.
func (b *builder) dropTasks(drop map[string]bool) {
	var kept []*Task
	for _, t := range b.plan.Tasks {
		if !drop[t.Block] {
			kept = append(kept, t)
		}
	}
	for _, t := range kept {
		if !drop[t.sessionPrev] {
			continue
		}
		prev := t.sessionPrev
		// Bounded: a session's chain holds each task once.
		for range b.plan.Tasks {
			if !drop[prev] {
				break
			}
			prev = b.byName[prev].sessionPrev
		}
		var after []string
		for _, a := range t.After {
			switch {
			case a != t.sessionPrev:
				after = append(after, a)
			case prev != "":
				after = append(after, prev)
			}
		}
		t.After, t.sessionPrev = after, prev
	}
	for _, t := range b.plan.Tasks {
		if !drop[t.Block] {
			continue
		}
		if b.byName[t.Block] == t {
			delete(b.byName, t.Block)
		}
		delete(b.placeOf, t.Block)
		delete(b.blocks, t)
		delete(b.postOf, t.Block)
		delete(b.calledName, t.Block)
		delete(b.stopOf, t.Block)
		delete(b.postStopAt, t.Block)
		delete(b.postCycleAt, t.Block)
		delete(b.refusedMade, t.Block)
	}
	for k, t := range b.byFold {
		if drop[t.Block] {
			delete(b.byFold, k)
		}
	}
	for k, post := range b.postOf {
		if drop[post] {
			delete(b.postOf, k)
		}
	}
	var reads []rewrittenRead
	for _, r := range b.rewrittenReads {
		if !drop[r.task] {
			reads = append(reads, r)
		}
	}
	b.rewrittenReads = reads
	b.plan.Tasks = kept
	// A session whose first or last task is dropped: its first and
	// last of those that stay.
	for _, m := range []map[string]*Task{b.sessions, b.sessionFirst} {
		for key, t := range m {
			if !drop[t.Block] {
				continue
			}
			delete(b.sessions, key)
			delete(b.sessionFirst, key)
			for _, k := range kept {
				if k.InSession(key) {
					if b.sessionFirst[key] == nil {
						b.sessionFirst[key] = k
					}
					b.sessions[key] = k
				}
			}
		}
	}
}

// namesMayBeWrittenBefore reports whether something Emacs runs before
// it resolves the references of the block at byte offset at may have
// put a name in the buffer that the document as written lacks, so that
// an unknown reference is not judged (unknownRef): an Emacs Lisp block
// or call before at, or any block run before at in a document holding
// one (its :var, noweb or :post calls may run it); a Lisp :var value
// of a block up to at's own; results an earlier block writes as Org
// (:results raw, drawer or org, or any :wrap), whose text may hold a
// #+name:.
//
// Both are known from the document alone, once (namesIndex): the first
// block with such a :var value, and the first that runs and may write a
// name; at is compared with them.
func (b *builder) namesMayBeWrittenBefore(at int) bool {
	if b.namesAt == nil {
		b.namesAt = b.namesIndex()
	}
	return at >= b.namesAt.lispVar || at > b.namesAt.writer
}

// namesWritten is where, in the document, names may first be written
// (namesMayBeWrittenBefore): the start of the first block holding a
// Lisp :var value, and of the first block run that may write a name;
// math.MaxInt where there is none.
type namesWritten struct {
	lispVar, writer int
}

// namesIndex finds namesWritten, looking at each executable once
// (namesLooked counts them).
func (b *builder) namesIndex() *namesWritten {
	exes := b.doc.Executables()
	b.namesLooked += len(exes)
	hasElisp := false
	for _, blk := range exes {
		if elispLangs[blk.Lang] {
			hasElisp = true
		}
	}
	w := &namesWritten{lispVar: math.MaxInt, writer: math.MaxInt}
	for _, blk := range exes {
		if w.lispVar == math.MaxInt && lispVarValue(blk) {
			w.lispVar = blk.Start
		}
		if w.writer == math.MaxInt && mayWriteName(blk, hasElisp) {
			w.writer = blk.Start
		}
	}
	return w
}

// lispVarValue reports whether a :var value of blk is a Lisp form
// (or quoted): evaluating it may put a name in the buffer.
func lispVarValue(blk *org.Block) bool {
	for _, raw := range blk.Vars {
		if _, v, ok := strings.Cut(raw, "="); ok {
			if v = strings.TrimLeft(v, " \t"); v != "" && strings.ContainsAny(v[:1], "('`") {
				return true
			}
		}
	}
	return false
}

// mayWriteName reports whether blk, run, may put a name in the buffer:
// any block run in a document holding Emacs Lisp (hasElisp), results
// written as Org (:results raw, drawer or org, any :wrap). A block
// :eval refuses, or in a COMMENT subtree, is not run.
func mayWriteName(blk *org.Block, hasElisp bool) bool {
	if _, refused := org.EvalRefused(blk.Args); refused || blk.Commented {
		return false
	}
	return hasElisp || orgResults(blk)
}
