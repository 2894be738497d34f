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
		return "runs again at " + in.rec.NextRunAt.Local().Format("15:04:05") + ", backing off after a quick exit"
	}
	if d := w.dependencies(b); d != "" {
		return d
	}
	if r := b.doc.endReadHolds(b, in.runsUnstarted()); r != nil {
		return endReadWhy(r)
	}
	if r := b.doc.reportReadHolds(b); r != nil {
		return reportReadWhy(r)
	}
	if w := stagedReadWaits(b); w != nil {
		return stagedReadWhy(w)
	}
	return w.resources(b.task.Resources)
}

// dependencies names what a block waits for that has not finished:
// the waits the scheduler takes (waitsOf, as waitsNow and comesBack take
// them), each in the state the scheduler sees it in, so that the two
// cannot disagree. The finder before a block of a session, and the next
// elements of names it runs for its references, are named only once
// the waits before them have finished, as the pass waits for them only
// then.
func (w *waitingFor) dependencies(b *blockState) string {
	if s, ok := w.deps[b]; ok {
		return s
	}
	ds := b.doc
	var deps []string
	listed := map[string]bool{}
	add := func(name string, st State, why string) {
		if listed[name] {
			return
		}
		listed[name] = true
		shown := name
		if dep := ds.byName[name]; dep != nil && dep.task != nil {
			if s := dep.task.PostShown(); s != "" {
				shown = s // a :post's task, by its block
			}
		}
		if why != "" {
			why = ", " + why
		}
		deps = append(deps, shown+" ("+string(st)+why+")")
	}
	// untilEnded adds name, waited for until it has ended (untilEnded).
	untilEnded := func(name, why string) {
		if st, ok := ds.untilEnded(name, nil)[name]; ok {
			add(name, st, why)
		}
	}
	var next []queuedWait
	for _, q := range w.e.waitsOf(b, b.runsAt(), false) {
		switch q.kind {
		case waitDependency:
			if st := ds.dependencyState(q.name); st != Finished {
				add(q.name, st, "")
			}
		case waitReader:
			untilEnded(q.name, "which may send the session a later block first")
		case waitBuffer:
			untilEnded(q.name, "its results for the document's Emacs")
		case waitEnvironment:
			untilEnded(q.name, "the environment it leaves")
		case waitFailStop:
			untilEnded(q.name, "run again after it stopped the document")
		case waitRefusedCall:
			untilEnded(q.name, "the call of a block :eval refuses before it, which may stop the document")
		case waitJSValue:
			untilEnded(q.name, "a JavaScript value read before it, which may stop the document")
		case waitFinder:
			if len(deps) == 0 {
				untilEnded(q.name, "a block of the session may be found in its results")
			}
		case waitReplaced:
			add(q.name, ds.blockState(q.name), "whose results this block stands in")
		case waitNext:
			next = append(next, q)
		}
	}
	if len(deps) == 0 && len(next) > 0 {
		refs := w.e.refsOf(b)
		for _, q := range next {
			if st := ds.dependencyState(q.name); st != Finished && plan.NextNeeded(q.next, refs) {
				add(q.name, st, "the next element of #+name: "+q.next.Data+", which this block runs for its reference")
			}
		}
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
	free := freeOf(w.cap, *w.used)
	if !fits(r, free, w.cap) { // as Admit
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
