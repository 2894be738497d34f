package engine

import (
	"iter"
	"slices"

	"github.com/wallyqs/borges/internal/org"
)

// org-babel-execute-buffer runs the blocks found in results, or added to
// the buffer by an Emacs Lisp block, one after the other in the buffer,
// and stops at a JavaScript one whose value Emacs's reader fails on
// (failstop.go): the blocks found or added after it never run. Their
// order is known as they are found, so each such block waits for the
// value of every JavaScript block found or added before it in the buffer
// whose value may stop the document (plan.Task.FailureStops) to be read:
// that block ended (its reader's error known in Go then:
// org.JSReadError), and the reading of its value in Emacs, where one is
// planned, ended too. The stop, once known, holds it (addedStopHolds)
// rather than finding it started; a value that reads costs it that wait
// alone. A block of the submitted document is not held so: one that waits
// for nothing has started long before any block is found (README).

// mayStopJS reports whether b is the own run of a JavaScript block found
// in results or added (addedRun) whose value, read, may stop the
// document.
func mayStopJS(b *blockState) bool {
	return addedRun(b) && b.task.FailureStops && b.task.Reader == org.ReadJS
}

// noteJSValue keeps b, just placed among ds's blocks, among those whose
// value the blocks found or added after it wait for (jsValuesBefore),
// when it is such a block (mayStopJS). The caller holds e.mu.
func (ds *docState) noteJSValue(b *blockState) {
	if mayStopJS(b) {
		ds.jsValues = append(ds.jsValues, b)
	}
}

// liveJSValues are ds.jsValues still in the document, with their task
// as noted (a block dropped, or found again as another, is dropped from
// the list in place, so that it does not grow with runs). The caller
// holds e.mu.
func (ds *docState) liveJSValues() []*blockState {
	ds.jsValues = slices.DeleteFunc(ds.jsValues, func(j *blockState) bool { return ds.byName[j.name] != j || !mayStopJS(j) })
	return ds.jsValues
}

// jsValuesBefore are the JavaScript blocks found or added (liveJSValues)
// whose value y, a block found or added that has a task, waits for: they
// stand before y in the buffer (standsBefore), their value is not read
// yet (jsValueRead), and they do not need y (a reference to a block after
// them runs it first: waiting would close a circle). Yielded one at a
// time, as a scheduling pass asks for them for every block it looks at.
// The caller holds e.mu.
func (ds *docState) jsValuesBefore(y *blockState) iter.Seq[*blockState] {
	return func(yield func(*blockState) bool) {
		if len(ds.jsValues) == 0 || y.task == nil || !addedRun(y) {
			return
		}
		for _, j := range ds.liveJSValues() {
			if j == y || !ds.standsBefore(j, y) || ds.jsValueRead(j) || ds.needs(j, y) {
				continue
			}
			if !yield(j) {
				return
			}
		}
	}
}

// standsBefore reports whether j, a block found or added, stands before
// y, another, in the buffer, as org-babel-execute-buffer meets them: y
// is found under j (in its results, or in theirs, and so on), or the two
// are found under one block, where the block of j's chain of owners in
// its results stands before that of y's. Otherwise the topmost block
// found of each chain (or the block itself, added by an Emacs Lisp block
// anywhere in the buffer, or the call of a block :eval refuses) is
// weighed, as a stop holds blocks (addedStopHolds): before the submitted
// document's block the other stands before, or before the same one, at
// an earlier line of the buffer. Lines are weighed between blocks found
// in one block's results (found by one search), not between a block
// found before results were written above it, whose line is the one it
// was found at, and a block found in those results. The walks are
// bounded by the chains of owners. The caller holds e.mu.
func (ds *docState) standsBefore(j, y *blockState) bool {
	// under has, for each owner up j's chain of blocks found, the block
	// of the chain found in its results (j itself for j's owner).
	under := map[*blockState]*blockState{}
	topJ := j
	for n := 0; topJ.found && n <= len(ds.blocks); n++ {
		o := ds.byName[topJ.addedBy]
		if o == nil {
			break
		}
		under[o] = topJ
		if !o.found {
			break
		}
		topJ = o
	}
	earlier := func(a, b *blockState) bool {
		return a.line < b.line || a.line == b.line && a.index < b.index
	}
	c := y
	for n := 0; n <= len(ds.blocks); n++ {
		if c == j {
			return c != y // y found under j: after it
		}
		if !c.found {
			break
		}
		o := ds.byName[c.addedBy]
		if o == nil {
			break
		}
		if jc, ok := under[o]; ok {
			if jc == c {
				return false // y up j's chain: j found under it
			}
			return earlier(jc, c)
		}
		if !o.found {
			break
		}
		c = o
	}
	if topJ.addedBefore == nil || c.addedBefore == nil {
		return false
	}
	if topJ.addedBefore.before(*c.addedBefore) {
		return true
	}
	return *topJ.addedBefore == *c.addedBefore && earlier(topJ, c)
}

// jsValueRead reports whether j's value is read: j has ended, and so has
// the reading of its value in Emacs, if it has one. The caller holds
// e.mu.
func (ds *docState) jsValueRead(j *blockState) bool {
	if !j.state().Terminal() {
		return false
	}
	r := ds.readerOf(j)
	return r == nil || r.state().Terminal()
}

// jsValueWaits adds to deps j, a block whose value b waits for
// (jsValuesBefore), or the reading of its value, while it has not ended,
// and has its changes wake b (touch: ds.jsWaiters), not as one of its
// dependents: b neither refers to it nor runs after it as Emacs orders
// blocks for references. The caller holds e.mu.
func (ds *docState) jsValueWaits(j, b *blockState, deps map[string]State) map[string]State {
	if j == nil {
		return deps
	}
	if ds.jsWaiters == nil {
		ds.jsWaiters = map[*blockState][]*blockState{}
	}
	if !slices.Contains(ds.jsWaiters[j], b) {
		ds.jsWaiters[j] = append(ds.jsWaiters[j], b)
	}
	return ds.untilEnded(j.name, deps)
}

// wakeJSWaiters has the next pass look at the blocks waiting for b's
// value, or its reading (jsValueWaits), which b's change may let run:
// each waits again, should it still wait, when looked at. The caller
// holds e.mu.
func (e *Engine) wakeJSWaiters(b *blockState) {
	ds := b.doc
	ws, ok := ds.jsWaiters[b]
	if !ok {
		return
	}
	delete(ds.jsWaiters, b)
	for _, d := range ws {
		if ds.byName[d.name] == d {
			e.touchBlock(d)
		}
	}
}
