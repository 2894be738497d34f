package engine

import (
	"cmp"
	"slices"

	"github.com/wallyqs/borges/internal/plan"
)

// This file keeps the instances waiting for capacity: found ready by a
// pass and not admitted, for want of resources. A pass looked at every
// one of them again (a wide document's hundreds, each some forty times
// for the thousand blocks), though nothing about them had changed but
// what is free. Now they stay ready as found until something touches
// their block (touch: all that can make an instance ready, blocked or
// due, looks at it again) or resources are let go: then a pass looks
// again only at those that fit in what is free, in queue order, as Admit
// would take them; the others cannot be admitted, for what is free only
// shrinks until resources are let go again. At the end of each pass none
// of those left waiting fits in what is free (a pass that admitted one
// that did not start, or could not launch one it looked at again, makes
// sure of it, and has a pass right after look again if one fits), so
// that waiting for a change of what is free loses nothing. An instance
// that is no longer queued (killed, dropped, ended) no longer waits as
// soon as its block is touched, and killAll and dropFound take it out of
// the list at once.

// capWaiting is the engine's list of instances waiting for capacity, kept
// as one list for each resource need (a class): within a class, once one
// does not fit in what is free, none after it does (what is free only
// shrinks down the queue), so that a pass goes through the instances that
// fit and one that does not for each class, not through all that wait.
type capWaiting struct {
	// classes holds a class for each resource need with an entry listed;
	// order the same classes in the order they were made (a pass goes
	// through them in it; the map finds one).
	classes map[plan.Resources]*capClass
	order   []*capClass
	live    []*capClass // a pass's classes, kept for the next (emptied)
	// left counts the entries whose instance no longer waits
	// (instState.capWaits false), in all classes: they stay until
	// taken off a class's head or the lists are compacted.
	left  int
	total int // entries listed, in all classes
	// freed: resources were let go since the last pass (hold).
	freed bool
	// capacity is what the backend said its capacity was at the last
	// pass (a change makes the waiting looked at again). A change is
	// seen only when a pass runs: nothing pokes the loop on one. No
	// backend changes it today (the local backend's is its
	// configuration's; the cluster backends say they admit themselves).
	capacity plan.Resources
	// visited counts the entries the last pass went through
	// (capWaitersToLook, anyCapWaiterFits): what it cost.
	visited int
}

// capClass is the list of the instances of one resource need, in queue
// order (documents in order of arrival, blocks in document order,
// instances in order).
type capClass struct {
	need plan.Resources
	list []*instState
	at   int // a pass's place in list (capWaitersToLook)
}

// queueBefore orders instances as the queue does.
func queueBefore(a, b *instState) int {
	return cmp.Or(queueOrder(a.block, b.block), cmp.Compare(a.rec.Instance, b.rec.Instance))
}

// capWait has in wait for capacity. The caller holds e.mu.
func (e *Engine) capWait(in *instState) {
	if in.capWaits {
		return
	}
	in.capWaits = true
	ds := in.block.doc
	ds.capWaiting++
	if ds.capWaiting == 1 && !ds.removing {
		// Its view says what its instances need against what is free:
		// it changes with what is free (changes.go).
		e.waitForResources[ds.id] = struct{}{}
		if e.watchers[ds.id] != nil {
			e.watchedForResources[ds.id] = struct{}{}
		}
	}
	w := &e.capWaiting
	need := in.block.task.Resources
	if old := in.capClass; old != nil {
		if old.need == need {
			w.left--
			return
		}
		// Its task changed since it was listed (an edit taken from the
		// buffer, a restart deciding it again): listed under the need it
		// had, a pass would look at it when that fits, not when what it
		// needs now does (a pass after pass turning it away, or none
		// waking it). Its entry is taken out, to be listed under this one.
		e.capDelist(in)
	}
	c := w.classes[need]
	if c == nil {
		if w.classes == nil {
			w.classes = map[plan.Resources]*capClass{}
		}
		c = &capClass{need: need}
		w.classes[need] = c
		w.order = append(w.order, c)
	}
	// Mostly at the end: a pass finds them in queue order.
	if n := len(c.list); n == 0 || queueBefore(c.list[n-1], in) < 0 {
		c.list = append(c.list, in)
	} else {
		i, _ := slices.BinarySearchFunc(c.list, in, queueBefore)
		c.list = slices.Insert(c.list, i, in)
	}
	in.capClass = c
	w.total++
}

// capDelist takes in's entry out of its class, in no longer waiting (its
// entry counted in left). The caller holds e.mu.
func (e *Engine) capDelist(in *instState) {
	w := &e.capWaiting
	c := in.capClass
	in.capClass = nil
	i := slices.Index(c.list, in)
	if i < 0 {
		return // not there: nothing to take out
	}
	c.list = slices.Delete(c.list, i, i+1)
	if i < c.at {
		c.at--
	}
	w.left--
	w.total--
	if len(c.list) == 0 {
		e.capDropClass(c)
	}
}

// capUnwait has in no longer wait for capacity. The caller holds e.mu.
func (e *Engine) capUnwait(in *instState) {
	if e.capLeave(in) {
		e.capMaybeCompact()
	}
}

// capMaybeCompact compacts the lists once most of their entries no longer
// wait: what it costs is paid for by the entries left since. The caller
// holds e.mu.
func (e *Engine) capMaybeCompact() {
	w := &e.capWaiting
	if w.left > 32 && w.left > w.total/2 {
		e.capCompact()
	}
}

// capLeave has in no longer wait for capacity, its entry left in the list
// (capCompact takes it out): what goes through the list calls it, not
// capUnwait, which may compact the list under it. It reports whether in
// waited. The caller holds e.mu.
func (e *Engine) capLeave(in *instState) bool {
	if !in.capWaits {
		return false
	}
	in.capWaits = false
	ds := in.block.doc
	ds.capWaiting--
	if ds.capWaiting == 0 {
		delete(e.waitForResources, ds.id)
	}
	e.capWaiting.left++
	return true
}

// capTrimHead takes off the head of c the entries whose instance no
// longer waits, so that the next pass does not go through them again
// (each is gone through once there). It reports whether c was forgotten,
// its list empty (w.order one shorter). The caller holds e.mu.
func (e *Engine) capTrimHead(c *capClass) (dropped bool) {
	w := &e.capWaiting
	n := 0
	for n < len(c.list) && !c.list[n].capWaits {
		c.list[n].capClass = nil
		c.list[n] = nil
		n++
	}
	if n == 0 {
		return false
	}
	w.visited += n
	w.left -= n
	w.total -= n
	c.list = c.list[n:]
	c.at = max(c.at-n, 0)
	if len(c.list) == 0 {
		e.capDropClass(c)
		return true
	}
	return false
}

// capDropClass forgets c, whose list is empty. The caller holds e.mu.
func (e *Engine) capDropClass(c *capClass) {
	w := &e.capWaiting
	delete(w.classes, c.need)
	w.order = slices.DeleteFunc(w.order, func(o *capClass) bool { return o == c })
	clear(w.order[len(w.order):cap(w.order)])
}

// capCompact takes out of the lists the entries whose instance no longer
// waits, so that they reach none of them (nor their document). The
// caller holds e.mu.
func (e *Engine) capCompact() {
	w := &e.capWaiting
	if w.left == 0 {
		return
	}
	for _, c := range slices.Clone(w.order) {
		c.list = slices.DeleteFunc(c.list, func(in *instState) bool {
			if in.capWaits {
				return false
			}
			in.capClass = nil
			return true
		})
		clear(c.list[len(c.list):cap(c.list)])
		if len(c.list) == 0 {
			e.capDropClass(c)
		}
	}
	w.total -= w.left
	w.left = 0
}

// capUnwaitEnded has the instances of blocks that are no longer queued
// (killed, dropped, ended outside a pass) no longer wait for capacity, and
// the list no longer reach them. The caller holds e.mu.
func (e *Engine) capUnwaitEnded(blocks []*blockState) {
	for _, b := range blocks {
		for _, in := range b.instances {
			if State(in.rec.State) != Queued {
				e.capLeave(in)
			}
		}
	}
	e.capCompact()
}

// capUnwaitBlock has b's instances no longer wait for capacity: a pass
// looks at b (they wait again if it finds them ready and cannot admit
// them). The caller holds e.mu.
func (e *Engine) capUnwaitBlock(b *blockState) {
	for _, in := range b.instances {
		e.capUnwait(in)
	}
}

// fits reports whether r fits in free, as Admit decides it (capacity is
// the whole, whose disk is counted only if it has one).
func fits(r, free, capacity plan.Resources) bool {
	const eps = 1e-9
	return !(r.CPUs > free.CPUs+eps || r.MemMB > free.MemMB+eps ||
		(capacity.DiskMB > 0 && r.DiskMB > free.DiskMB+eps) || (r.GPUs > 0 && r.GPUs > free.GPUs))
}

// freeOf is what capacity leaves once used is taken.
func freeOf(capacity, used plan.Resources) plan.Resources {
	return plan.Resources{CPUs: capacity.CPUs - used.CPUs, MemMB: capacity.MemMB - used.MemMB,
		DiskMB: capacity.DiskMB - used.DiskMB, GPUs: capacity.GPUs - used.GPUs}
}

// take is what is left of free once r is taken.
func take(free, r plan.Resources) plan.Resources {
	free.CPUs -= r.CPUs
	free.MemMB -= r.MemMB
	free.DiskMB -= r.DiskMB
	free.GPUs -= r.GPUs
	return free
}

// capWaitersToLook puts in e.check the blocks of the instances waiting for
// capacity that a pass is to look at again, and returns those instances
// (into out): when resources were let go or the capacity changed since the
// last pass, those that fit in what is free, in queue order, each taking
// its share of it as Admit would; else none. An instance that is no longer
// queued is dropped. It goes through the classes' lists side by side, in
// queue order, and leaves a class at its first instance that does not
// fit: none after it can. The caller holds e.mu.
func (e *Engine) capWaitersToLook(out []*instState) []*instState {
	w := &e.capWaiting
	capacity, ok := e.backend.Capacity()
	if !ok {
		// The backend admits: nothing waits for capacity here, and what
		// waited is looked at again, to be admitted. Left (capLeave), not
		// unwaited, while the lists are gone through: capUnwait may
		// compact them.
		for _, c := range w.order {
			for _, in := range c.list {
				w.visited++
				if e.capLeave(in) && State(in.rec.State) == Queued {
					e.check[in.block] = struct{}{}
				}
			}
		}
		e.capCompact()
		w.freed, w.capacity = false, plan.Resources{}
		return out
	}
	if !w.freed && capacity == w.capacity {
		return out
	}
	w.freed, w.capacity = false, capacity
	free := freeOf(capacity, e.usedResources())
	// The classes still gone through: each at its next entry that waits
	// and is queued, which fits.
	live := w.live[:0]
	for i := 0; i < len(w.order); {
		c := w.order[i]
		if e.capTrimHead(c) {
			continue // forgotten: the next one is at i now
		}
		i++
		c.at = 0
		if fits(c.need, free, capacity) {
			live = append(live, c)
		}
	}
	// next moves c to its next entry that waits and is queued, and
	// reports whether it has one.
	next := func(c *capClass) bool {
		for ; c.at < len(c.list); c.at++ {
			in := c.list[c.at]
			if !in.capWaits {
				w.visited++
				continue
			}
			if State(in.rec.State) != Queued {
				w.visited++
				e.capLeave(in)
				continue
			}
			return true
		}
		return false
	}
	live = slices.DeleteFunc(live, func(c *capClass) bool { return !next(c) })
	for len(live) > 0 {
		// The first in queue order of the classes' next entries.
		k := 0
		for j := 1; j < len(live); j++ {
			if queueBefore(live[j].list[live[j].at], live[k].list[live[k].at]) < 0 {
				k = j
			}
		}
		c := live[k]
		in := c.list[c.at]
		w.visited++
		if !fits(c.need, free, capacity) {
			// Nor any after it: what is free only shrinks.
			live = slices.Delete(live, k, k+1)
			continue
		}
		free = take(free, c.need)
		e.check[in.block] = struct{}{}
		out = append(out, in)
		c.at++
		if !next(c) {
			live = slices.Delete(live, k, k+1)
		}
	}
	// Kept emptied: a class dropped reached from it is not let go.
	clear(live[:cap(live)])
	w.live = live[:0]
	e.capMaybeCompact()
	return out
}

// anyCapWaiterFits reports whether an instance waiting for capacity fits in
// what is free now: the first that waits and is queued of each class is
// enough. The caller holds e.mu.
func (e *Engine) anyCapWaiterFits() bool {
	capacity, ok := e.backend.Capacity()
	if !ok {
		return false
	}
	w := &e.capWaiting
	free := freeOf(capacity, e.usedResources())
	for i := 0; i < len(w.order); {
		c := w.order[i]
		if e.capTrimHead(c) {
			continue // forgotten: the next one is at i now
		}
		i++
		if !fits(c.need, free, capacity) {
			continue
		}
		for _, in := range c.list {
			w.visited++
			if in.capWaits && State(in.rec.State) == Queued {
				return true
			}
		}
	}
	return false
}
