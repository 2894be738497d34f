package engine

// This file decides the blocks of the document that stand in old results
// a block before them replaces (plan.Task.Replaced) by what that block,
// their owner, does: they wait for it, not for what they refer to.

// replacedWhy is ReplacedDecision for b: wait while b's owner runs, or
// why b is not run, "" when it is decided as any other block (never
// replaced, a restart asked for, or its owner not run). The caller
// holds e.mu.
func (ds *docState) replacedWhy(b *blockState, in *instState) (wait bool, why string) {
	t := b.task
	if t == nil || t.Replaced == "" || in.rec.Tries() != 0 || in.rec.FinishedAt != nil {
		return false, ""
	}
	owner := ds.byName[t.ReplacedBy]
	if owner == nil {
		return false, t.Replaced // planned so, and nothing says otherwise
	}
	return ReplacedDecision(t.Replaced, owner.name, owner.state(), ds.wroteResults(owner))
}

// wroteResults reports whether a block's attempt ended having its
// results written (finished or failed, as Babel writes a failed block's
// results too). The caller holds e.mu.
func (ds *docState) wroteResults(b *blockState) bool {
	for _, in := range b.instances {
		if s := State(in.rec.State); in.rec.AttemptID != "" && (s == Finished || s == Failed) {
			return true
		}
	}
	return false
}
