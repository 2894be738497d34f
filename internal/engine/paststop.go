package engine

import (
	"fmt"
	"strings"
)

// org-babel-execute-buffer runs a block after the place it stops at
// only for a reference of a block before it (:var, a #+call: line,
// noweb, :stdin, a block :eval refuses whose :var names it): that run
// writes nothing, and the block's own turn never comes, so nothing is
// written under it, nor under any block after the stop: their results
// stay as they were in the document submitted. Every such reference is
// a run of its own (plan's rerun.go), which writes nothing. A block's
// own run past the stop that Borges started before the stop was known
// (it waited for nothing: an inline block's value, a JavaScript value,
// results that stop Emacs are known only at their end) runs on, its
// output and logs kept and its view saying it ran past the stop, but
// write-back, which decides from the state when the document is
// written, leaves its place as it was (unwrittenPastStop): no results,
// no link to a :file, nothing appended or prepended, no inline value,
// and none of its :post chain's. A block an Emacs Lisp block added to
// the buffer, or one found in results, is weighed at its place among
// the submitted document's blocks (addedBefore: before the document's
// block after it, or at the end), as a stop holds it (addedStopHolds,
// planStopHoldsAdded). A stop learned later holds them from
// then on; a stop lifted (the block that made it run again) has them
// written again, until another stop holds them.

// pastStop reports, for a block's own run, whether its turn stands
// after the place org-babel-execute-buffer stops at, by the stops known
// now: the plan's (plan.Plan.StopLine), the first failure stop
// (failedStop: a JavaScript value not read, an inline block's value
// Babel refuses, a reference error, results that stop Emacs), a block
// found in results that stops it (foundStopWhy).
//
// Places are compared in the document submitted's lines
// (submittedPlace), as the plan's stop is given: a block an Emacs Lisp
// block edited has its task planned from the buffer, whose lines those
// put above it move.
type pastStop struct {
	ds     *docState
	looked bool
	f      *blockState
	at     place // the failure stop's, as its notes give it (buffer)
	from   place // the failure stop's, in the document submitted
}

// past reports whether o, a block's own run, or that of a block added
// or found (addedRun), stands after the stop.
// The caller holds e.mu.
func (p *pastStop) past(o *blockState) bool {
	if o == nil {
		return false
	}
	at, ok := turnPlace(o)
	if !ok {
		return false
	}
	if p.ds.afterPlanStop(at) || p.ds.foundStopWhy(o) != "" {
		return true
	}
	p.look()
	if addedRun(o) {
		// Weighed as a stop holds a block added or found
		// (addedStopHolds).
		return p.f != nil && addedStopHolds(o, p.f, p.from)
	}
	return p.f != nil && p.from.before(at)
}

// turnPlace is where o's turn comes among the submitted document's
// blocks: its place there (submittedPlace) for a block of the document's
// own run, the place before the document's block after it (addedBefore)
// for a block added or found (addedRun); false for any other.
func turnPlace(o *blockState) (place, bool) {
	switch {
	case ownRun(o):
		return submittedPlace(o), true
	case addedRun(o):
		return *o.addedBefore, true
	}
	return place{}, false
}

// look finds the failure stop (failedStopAt) once. The caller holds
// e.mu.
func (p *pastStop) look() {
	if !p.looked {
		var by *blockState
		p.f, p.at, by, _ = p.ds.failedStopAt()
		p.from = p.at
		if by != nil && ownRun(by) && placeOf(by) == p.at {
			p.from = submittedPlace(by)
		}
		p.looked = true
	}
}

// unwrittenPastStop reports whether the results of b, which go at the
// place of its chain's block (chainRoot: b itself for a block's own
// run), are not written: that block's turn stands past the stop (past),
// which org-babel-execute-buffer never comes to. The caller holds e.mu.
func (p *pastStop) unwrittenPastStop(b *blockState) bool {
	r := p.ds.chainRoot(b)
	return r != nil && p.past(r)
}

// ranPastStopPrefix begins unwrittenNote's message, then the stop's
// line.
const ranPastStopPrefix = "ran past the stop at line "

// ranPastUnwritten ends unwrittenNote's message.
const ranPastUnwritten = " (started before the stop was known): its results are not written, as org-babel-execute-buffer, stopped before it, never runs it and leaves its results as they were"

// unwrittenNote is the message a view shows for in, an instance of b
// that ran (an attempt of its own) and whose results are not written
// (unwrittenPastStop), saying where the stop its chain's block's turn
// stands past is: Borges started it before the stop was known, as it
// waited for nothing, and ran it on; "" otherwise. The caller holds
// e.mu.
func (p *pastStop) unwrittenNote(b *blockState, in *instState) string {
	if in.rec.AttemptID == "" || !p.unwrittenPastStop(b) {
		return ""
	}
	r := p.ds.chainRoot(b)
	at, _ := turnPlace(r)
	switch {
	case p.ds.afterPlanStop(at):
		return fmt.Sprintf("%s%d%s", ranPastStopPrefix, p.ds.plan.StopLine, ranPastUnwritten)
	case p.ds.foundStopWhy(r) != "":
		// Where the stop is, as the blocks it holds say it, not that
		// this one was not run: it ran.
		return "ran past the stop " + strings.TrimPrefix(p.ds.foundStopWhy(r), foundStopHeld) + ranPastUnwritten
	}
	return fmt.Sprintf("%s%d%s", ranPastStopPrefix, p.at.line, ranPastUnwritten)
}
