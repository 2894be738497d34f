package plan

import (
	"fmt"
	"maps"
	"slices"

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
// arguments are its call). A call whose arguments Babel cannot merge is
// left to evalRefusedStop, which stops the document there, or passes
// it over, as before.
//
// blk may be the called copy of a block :eval refuses (its Index
// negative), planned for the call of a refused document block (refusedTop):
// the calls of its :var values are run at that block's turn, and are
// recorded under it. A refused copy planned for a runnable block's call
// plans none (as before).
func (b *builder) refusedCalls(blk *org.Block, name string) {
	if blk.Call != nil || b.noRefusedCalls {
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
		if !ok || k == "" || r.call == nil {
			continue
		}
		if _, err := b.doc.CalledWith(r.call.name, r.call.header, r.call.args); err != nil {
			continue
		}
		made := len(b.plan.Tasks)
		dep := b.rerun(blk, caller, ":var", ":var "+k+"="+rhs, r)
		if dep == "" {
			dep = b.calledTask(blk, caller, ":var", r.call)
		}
		if b.refusedMade == nil {
			b.refusedMade = map[string]bool{}
		}
		for _, t := range b.plan.Tasks[made:] {
			b.refusedMade[t.Block] = true
		}
		if dep == "" {
			continue
		}
		if b.refusedCall == nil {
			b.refusedCall = map[int]map[string]string{}
		}
		if b.refusedCall[top.Index] == nil {
			b.refusedCall[top.Index] = map[string]string{}
		}
		if _, dup := b.refusedCall[top.Index][r.call.key()]; !dup {
			b.refusedCall[top.Index][r.call.key()] = dep
		}
	}
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
		markUnneeded(b.plan, ownTasks(b.plan))
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
