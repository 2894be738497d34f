package engine

import (
	"slices"
	"strings"
)

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
	if why, by := ds.pastStopPost(b); why != "" {
		return why, by
	}
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

// pastStopPost says why b, the :post task of a run a failure stop holds
// (a block's own run standing past the stop, a run a reference makes at
// a referrer's turn past it), is not run, though that run itself, started
// before the stop was known (Borges runs at once what waits for
// nothing), ran on: what the run would say held, and the task whose stop
// holds it; "" when no stop holds the run. Emacs never makes the run nor
// its :post, and the :post, ready only once the run has ended, is held
// as any task past the stop not started by then. A stop in the run's own
// place (made by its own results or :post chain) holds none of its
// :post tasks. The caller holds e.mu.
func (ds *docState) pastStopPost(b *blockState) (string, *blockState) {
	if b.task == nil || !b.task.Post {
		return "", nil
	}
	r := ds.chainRoot(b)
	if r == nil || r == b || !stopWeighed(r) {
		return "", nil
	}
	why, by := ds.failureStopBefore(r)
	if why == "" || !refRun(r) && !strings.HasPrefix(why, failStopAt) {
		return "", nil
	}
	return why, by
}

// postHeldKept is the message a view shows for a block that finished
// whose :post a stop holds (postHeld).
const postHeldKept = "results kept as they were: its :post, held by a stop before it, did not run (nor does org-babel-execute-buffer run the block)"

// postHeld reports whether a :post task of b's chain (b its root:
// chainRoot) ended unrun, held by a failure stop (pastStopPost,
// heldDependency): Emacs makes neither the run nor its :post, and b's
// own value, which no run of the chain would write, is not written in
// its place, whose results stay as they were. The caller holds e.mu.
func (ds *docState) postHeld(b *blockState) bool {
	return ds.chainHas(b, false, func(d *blockState) bool {
		return len(d.instances) == 1 && endedUnrun(d.instances[0]) && failStopMessage(d.instances[0].rec.Message)
	})
}
