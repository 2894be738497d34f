package engine

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// This file says, for the view, what a queued instance waits for, from the
// same state the scheduler decides on (see schedule.go). It is computed
// when a document is viewed, never stored.

// waitingFor answers "what does this queued instance wait for?" for one
// view; the resources in use are summed once, and only when needed. The
// engine's lock is held.
type waitingFor struct {
	e       *Engine
	now     time.Time
	used    *plan.Resources
	capOnce bool
	cap     plan.Resources
	capOK   bool
	// Per block, what its dependencies say: the same for all its
	// instances, so worked out once however many there are.
	deps     map[*blockState]string
	freeText string // "free now … of …", once per view
}

func (e *Engine) waitingFor() *waitingFor {
	return &waitingFor{e: e, now: e.now(), deps: map[*blockState]string{}}
}

// reason is "" unless the instance is queued.
func (w *waitingFor) reason(b *blockState, in *instState) string {
	if State(in.rec.State) != Queued || b.task == nil {
		return ""
	}
	if in.rec.NextRunAt != nil && in.rec.NextRunAt.After(w.now) {
		return "runs again at " + in.rec.NextRunAt.Local().Format("15:04:05") + " (backoff after a quick exit)"
	}
	if d := w.dependencies(b); d != "" {
		return d
	}
	if r := b.doc.endReadHolds(b, in.rec.Tries() == 0); r != nil {
		return endReadWhy(r.block)
	}
	return w.resources(b.task.Resources)
}

// dependencies names a block's dependencies that have not finished.
func (w *waitingFor) dependencies(b *blockState) string {
	if s, ok := w.deps[b]; ok {
		return s
	}
	var deps []string
	for _, d := range b.task.After {
		if st := b.doc.blockState(d); st != Finished {
			shown := d
			if dep := b.doc.byName[d]; dep != nil && dep.task != nil {
				if s := dep.task.PostShown(); s != "" {
					shown = s // a :post's task, by its block
				}
			}
			deps = append(deps, shown+" ("+string(st)+")")
		}
	}
	waits := b.doc.bufferWaits(b, nil)
	for _, name := range b.bufferNames() {
		if st, ok := waits[name]; ok {
			deps = append(deps, name+" ("+string(st)+", its results for the document's Emacs)")
		}
	}
	deps = append(deps, b.doc.environmentWaiting(b)...)
	if len(deps) == 0 {
		// As a pass decides: a block of a session waits for a
		// finder once what it depends on has finished.
		deps = append(deps, b.doc.finderWaiting(b)...)
	}
	s := ""
	if len(deps) > 0 {
		s = "waiting for " + strings.Join(deps, ", ")
	}
	w.deps[b] = s
	return s
}

// resources says whether a ready instance fits in what is free now.
func (w *waitingFor) resources(r plan.Resources) string {
	if !w.capOnce {
		w.capOnce = true
		w.cap, w.capOK = w.e.backend.Capacity()
	}
	if !w.capOK {
		return "ready: waiting for the cluster to offer " + amounts(r)
	}
	if w.used == nil {
		used := w.e.usedResources()
		w.used = &used
	}
	free := plan.Resources{CPUs: w.cap.CPUs - w.used.CPUs, MemMB: w.cap.MemMB - w.used.MemMB,
		DiskMB: w.cap.DiskMB - w.used.DiskMB, GPUs: w.cap.GPUs - w.used.GPUs}
	const eps = 1e-9 // as Admit
	if r.CPUs > free.CPUs+eps || r.MemMB > free.MemMB+eps ||
		(w.cap.DiskMB > 0 && r.DiskMB > free.DiskMB+eps) || (r.GPUs > 0 && r.GPUs > free.GPUs) {
		if w.freeText == "" {
			w.freeText = "free now " + amounts(free) + " of " + amounts(w.cap)
		}
		return "needs " + amounts(r) + "; " + w.freeText
	}
	return "ready: starting"
}

// amounts is "2 CPUs, 64 MB" (disk and GPUs when asked for), numbers
// rounded for reading.
func amounts(r plan.Resources) string {
	s := Round(r.CPUs) + " CPUs, " + Round(r.MemMB) + " MB"
	if r.DiskMB > 0 {
		s += ", " + Round(r.DiskMB) + " MB disk"
	}
	if r.GPUs > 0 {
		s += ", " + strconv.Itoa(r.GPUs) + " GPUs"
	}
	return s
}

// Round renders an amount for a message: at most two decimals, no
// trailing zeros (24105.09765625 is 24105.1).
func Round(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}
