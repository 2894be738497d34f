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

// capWaiting is the engine's list of instances waiting for capacity.
type capWaiting struct {
	// list holds them in queue order (documents in order of arrival,
	// blocks in document order, instances in order); an entry whose
	// instance no longer waits (instState.capWaits false) stays until
	// the list is compacted.
	list []*instState
	left int // entries of list whose instance no longer waits
	// freed: resources were let go since the last pass (hold).
	freed bool
	// capacity is what the backend said its capacity was at the last
	// pass (a change makes the waiting looked at again). A change is
	// seen only when a pass runs: nothing pokes the loop on one. No
	// backend changes it today (the local backend's is its
	// configuration's; the cluster backends say they admit themselves).
	capacity plan.Resources
}

// queueBefore orders instances as the queue does.
func queueBefore(a, b *instState) int {
	if c := cmp.Compare(a.block.doc.pos, b.block.doc.pos); c != 0 {
		return c
	}
	if c := cmp.Compare(a.block.pos, b.block.pos); c != 0 {
		return c
	}
	return cmp.Compare(a.rec.Instance, b.rec.Instance)
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
	if in.capListed {
		w.left--
		return
	}
	in.capListed = true
	i, _ := slices.BinarySearchFunc(w.list, in, queueBefore)
	w.list = slices.Insert(w.list, i, in)
}

// capUnwait has in no longer wait for capacity. The caller holds e.mu.
func (e *Engine) capUnwait(in *instState) {
	if e.capLeave(in) {
		w := &e.capWaiting
		if w.left > 32 && w.left > len(w.list)/2 {
			e.capCompact()
		}
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

// capCompact takes out of the list the entries whose instance no longer
// waits, so that the list reaches none of them (nor their document). The
// caller holds e.mu.
func (e *Engine) capCompact() {
	w := &e.capWaiting
	if w.left == 0 {
		return
	}
	w.list = slices.DeleteFunc(w.list, func(in *instState) bool {
		if in.capWaits {
			return false
		}
		in.capListed = false
		return true
	})
	clear(w.list[len(w.list):cap(w.list)])
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
// queued is dropped. The caller holds e.mu.
func (e *Engine) capWaitersToLook(out []*instState) []*instState {
	w := &e.capWaiting
	capacity, ok := e.backend.Capacity()
	if !ok {
		// The backend admits: nothing waits for capacity here, and what
		// waited is looked at again, to be admitted. Left (capLeave), not
		// unwaited, while the list is gone through: capUnwait may
		// compact it.
		for _, in := range w.list {
			if e.capLeave(in) && State(in.rec.State) == Queued {
				e.check[in.block] = struct{}{}
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
	var gone []*instState
	for _, in := range w.list {
		if !in.capWaits {
			continue
		}
		if State(in.rec.State) != Queued {
			gone = append(gone, in)
			continue
		}
		r := in.block.task.Resources
		if !fits(r, free, capacity) {
			continue
		}
		free = take(free, r)
		e.check[in.block] = struct{}{}
		out = append(out, in)
	}
	for _, in := range gone {
		e.capUnwait(in)
	}
	return out
}

// anyCapWaiterFits reports whether an instance waiting for capacity fits in
// what is free now. The caller holds e.mu.
func (e *Engine) anyCapWaiterFits() bool {
	capacity, ok := e.backend.Capacity()
	if !ok {
		return false
	}
	free := freeOf(capacity, e.usedResources())
	for _, in := range e.capWaiting.list {
		if in.capWaits && State(in.rec.State) == Queued && fits(in.block.task.Resources, free, capacity) {
			return true
		}
	}
	return false
}
