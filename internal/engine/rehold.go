package engine

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// This file weighs again the blocks a stop holds when the document's stop
// is another (rehold). Of two stops Emacs stops at the first in the
// buffer, whichever Borges knew first: the blocks held by a later one are
// held by an earlier one learned since. Only the blocks held are weighed,
// kept in an index (docState.held) that the blocks touched since join,
// so that a stop learned costs what it holds, not the document's size.

// heldStop is a document's stop as the blocks it holds were weighed
// against it (rehold): the failure stop (failedStop), with the error it
// stops for, which their messages give, and the block found in results
// it stops at (plan.Edits.Stop), by their blocks and places, and the
// line their messages name the failure stop at (shownLine: that of a
// block found in results moves with the results written above it).
type heldStop struct {
	f         *blockState
	at        place
	line      int
	msg       string
	found     bool
	foundKey  int
	foundLine int
}

// foundStopPrefix begins the message of a block the stop at a block
// found in results holds (plan.Edits.StoppedBefore).
const foundStopPrefix = foundStopHeld + "at the block of language "

// foundStopHeld begins foundStopPrefix: what a block that ran past that
// stop does not say (unwrittenNote).
const foundStopHeld = "not run: org-babel-execute-buffer stopped before it, "

// stopHolding reports whether b, a block's own run (or an added block's,
// or a run a reference makes: refRunHolds), ended unrun, every
// instance of it saying that a stop holds it: a failure stop
// (failStopMessage) or the stop at a block found in results; not a block
// the plan's stop holds (Task.Replaced), shown as shownMessage says. A
// task a stop does not weigh itself (stopWeighed) is so when a failure
// stop holds it with a task its value is made of (heldDependency).
func stopHolding(b *blockState) bool {
	if b.task == nil || len(b.instances) == 0 || b.task.ReplacedBy != "" {
		return false
	}
	held := b.instances[0].rec.Message
	switch {
	case !stopWeighed(b):
		if !failStopMessage(held) {
			return false
		}
	case held == b.task.Replaced || !failStopMessage(held) && !strings.HasPrefix(held, foundStopPrefix):
		return false
	}
	return !slices.ContainsFunc(b.instances, func(in *instState) bool { return !endedUnrun(in) || in.rec.Message != held })
}

// heldTouched has the index of the blocks a stop holds know b, touched:
// it may be held now, or no longer. The caller holds e.mu.
func (ds *docState) heldTouched(b *blockState) {
	ds.heldSync.touch(b)
}

// heldForget lets go of the index of the blocks a stop holds, and of
// the blocks touched since, for a document no pass weighs again (being
// removed, or replaced): a document given back finds them anew from
// every block (heldMerge). The caller holds e.mu.
func (ds *docState) heldForget() {
	ds.held, ds.heldPeak = nil, 0
	ds.heldSync.forget()
}

// heldMerge has the index of the blocks a stop holds (stopHolding) take
// in or out the blocks touched since it was last merged; every block is
// looked at once, when the index is not known yet (a document just
// submitted or read from the store). The caller holds e.mu.
func (ds *docState) heldMerge() {
	whole, touched := ds.heldSync.take()
	if whole {
		ds.held = map[*blockState]struct{}{}
		for _, b := range ds.blocks {
			ds.heldWeigh(b)
		}
	}
	for b := range touched {
		ds.heldWeigh(b)
	}
	if len(ds.held) < ds.heldPeak/4 {
		// Made anew: a map keeps its size, and going through a large
		// one emptied costs as much as a full one.
		fresh := make(map[*blockState]struct{}, len(ds.held))
		maps.Copy(fresh, ds.held)
		ds.held, ds.heldPeak = fresh, len(ds.held)
	}
	ds.heldPeak = max(ds.heldPeak, len(ds.held))
}

// heldWeigh has the index of the blocks a stop holds take in b if one
// holds it, or let go of it. The caller holds e.mu.
func (ds *docState) heldWeigh(b *blockState) {
	if stopHolding(b) && ds.byName[b.name] == b {
		ds.held[b] = struct{}{}
	} else {
		delete(ds.held, b)
	}
}

// heldNow are the blocks of the index of those a stop holds, merged
// (heldMerge), in the order they came to the document (pos), then by
// name: a block added after one was dropped takes the pos of one there
// (len(ds.blocks)), and names are unique, so the order is one however
// the map gives them. The caller holds e.mu.
func (ds *docState) heldNow() []*blockState {
	out := make([]*blockState, 0, len(ds.held))
	for b := range ds.held {
		// One changed without a touch (none is) is let go, as
		// weighing it would leave it.
		if stopHolding(b) {
			out = append(out, b)
		} else {
			delete(ds.held, b)
		}
	}
	slices.SortFunc(out, func(a, b *blockState) int { return cmp.Or(queueOrder(a, b), cmp.Compare(a.name, b.name)) })
	return out
}

// rehold weighs again the blocks of ds a stop holds, ended unrun, when
// the document's stop is another than they were weighed against: a stop
// earlier in the buffer known after a later one held them (Borges runs
// blocks side by side, where Emacs stops at the first stop in the buffer)
// holds them in its place, their messages, holders and records naming it
// (HoldMoves); lifting it leaves them to the later one again
// (failStopLifted, stopLifted). A block the plan's stop holds
// (Task.Replaced) is shown as shownMessage says. It returns the records
// changed. The caller holds e.mu.
func (e *Engine) rehold(ds *docState) []*store.Instance {
	if ds.plan == nil {
		return nil
	}
	f, at, msg := ds.failedStop()
	now := heldStop{f: f, at: at, msg: msg}
	if f != nil {
		now.line = shownLine(f, at)
	}
	foundBefore := func(*plan.Task) string { return "" }
	if ds.stopped != nil {
		if a, ok := ds.stopped.Stop(); ok {
			now.found, now.foundKey, now.foundLine = true, a.Key, a.Line
			foundBefore = ds.stopped.StoppedBeforeFunc()
		}
	}
	// Merged whether or not the stop moved: what a pass touched is
	// taken in once, however many passes go by.
	ds.heldMerge()
	if now == ds.holdSeen {
		return nil
	}
	ds.holdSeen = now
	// Every block held is weighed, whatever the stop was: a stop gone
	// or moved later without a lift (a reader that no longer runs its
	// block in its place: dropNextReader) leaves blocks held by it that
	// the stop as it stands holds, or that its place no longer names.
	ds.knowFailHeld()
	if f == nil && !now.found || len(ds.held) == 0 {
		return nil
	}
	defer ds.weighingStops()()
	var recs []*store.Instance
	var withDeps []*blockState
	for _, b := range ds.heldNow() {
		if !stopWeighed(b) {
			withDeps = append(withDeps, b)
			continue
		}
		recs = append(recs, e.reholdBlock(ds, b, f, at, msg, foundBefore)...)
	}
	return append(recs, e.reholdWithDeps(ds, withDeps)...)
}

// reholdWithDeps has blocks, tasks a stop does not weigh itself held with
// a task their value is made of (heldDependency), say what that task
// says once weighed again (rehold), the stop holding it holding them: a
// round for each link of a chain of them (a :post's task held with
// another), bounded by their number. It returns their records changed.
// The caller holds e.mu.
func (e *Engine) reholdWithDeps(ds *docState, blocks []*blockState) (recs []*store.Instance) {
	for range blocks {
		moved := false
		for _, b := range blocks {
			why, by := ds.heldDependency(b)
			held := b.instances[0].rec.Message
			if why == "" || why == held && ds.failHeld[b] == by {
				continue
			}
			ds.setFailHeld(b, by)
			for _, in := range b.instances {
				in.rec.Message, in.rec.HeldBy = why, by.name
				recs = append(recs, &in.rec)
			}
			moved = true
		}
		if !moved {
			break
		}
		e.docChanged(ds)
	}
	return recs
}

// reholdBlock weighs b, held by a stop, against the document's stop as
// it stands (failedStop's f, at and msg; foundBefore, the stop at a block
// found in results), and returns its records changed. The caller holds
// e.mu.
func (e *Engine) reholdBlock(ds *docState, b *blockState, f *blockState, at place, msg string, foundBefore func(*plan.Task) string) (recs []*store.Instance) {
	held := b.instances[0].rec.Message
	why, by := failureStopAt(b, f, at, msg)
	if why == "" && b.task != nil {
		why = foundBefore(b.decidedTask())
	}
	why, moved := HoldMoves(held, why)
	if !moved {
		// The same message, a holder's record that says another
		// (a found stop's lift left it to the failure stop) is
		// set right: that failure stop's lifting releases b.
		if by != nil && ds.failHeld[b] != by {
			ds.setFailHeld(b, by)
			for _, in := range b.instances {
				in.rec.HeldBy = by.name
				recs = append(recs, &in.rec)
			}
			e.docChanged(ds)
		}
		return recs
	}
	if by != nil {
		ds.setFailHeld(b, by)
	} else {
		ds.dropFailHeld(b)
	}
	for _, in := range b.instances {
		in.rec.Message = why
		in.rec.HeldBy = ds.heldBy(b, why)
		recs = append(recs, &in.rec)
	}
	e.docChanged(ds)
	return recs
}
