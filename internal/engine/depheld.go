package engine

import "slices"

// A stop weighs a block's own run, an added block's and a run a
// reference makes itself (stopWeighed: failureStopAt). A task whose
// value is made of such a run, held, is not weighed so: a :post's task
// (of a block that ran before the stop was known, whose :post calls a
// block whose :var makes a call held at its turn; of a call held), or a
// reading of a held block's output. Such a task is held with the run it
// depends on (heldDependency), saying what it says, rather than run
// with that run's value missing; the stop's lifting releases both
// (failStopLifted: failHeld names the same stop), and a stop that moves
// moves its message too (rehold).

// stopWeighed reports whether a stop weighs b itself (failureStopAt): a
// block's own run, an added block's, or a run a reference makes.
func stopWeighed(b *blockState) bool {
	return ownRun(b) || addedRun(b) || refRun(b)
}

// heldDependency says why b, a task a stop does not weigh itself
// (stopWeighed), is not run because a task its value is made of (one of
// plan.Task.After that does not only order it) ended unrun, held by a
// failure stop (failHeld): what that task says, and the task whose stop
// holds it; "" when none is. The caller holds e.mu.
func (ds *docState) heldDependency(b *blockState) (string, *blockState) {
	if b.task == nil || stopWeighed(b) || len(b.task.After) == 0 {
		return "", nil
	}
	ds.knowFailHeld()
	if len(ds.failHeld) == 0 {
		return "", nil
	}
	for _, n := range b.task.After {
		d := ds.byName[n]
		by := ds.failHeld[d]
		if by == nil || d == b || b.task.OrdersOnly(n) || len(d.instances) == 0 {
			continue
		}
		held := d.instances[0].rec.Message
		if !failStopMessage(held) || slices.ContainsFunc(d.instances, func(in *instState) bool { return !endedUnrun(in) || in.rec.Message != held }) {
			continue
		}
		return held, by
	}
	return "", nil
}
