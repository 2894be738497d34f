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
// of those left waiting fits in what is free (a pass that could not
// admit one it looked at again makes sure of it: see passCapacity), so
// that waiting for a change of what is free loses nothing.

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
	// pass (a change makes the waiting looked at again).
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
	if !in.capWaits {
		return
	}
	in.capWaits = false
	ds := in.block.doc
	ds.capWaiting--
	if ds.capWaiting == 0 {
		delete(e.waitForResources, ds.id)
	}
	w := &e.capWaiting
	w.left++
	if w.left > 32 && w.left > len(w.list)/2 {
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
		// The backend admits: nothing waits for capacity here.
		for _, in := range w.list {
			e.capUnwait(in)
		}
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
