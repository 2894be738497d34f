package engine

import "fmt"

// org-babel-execute-buffer runs a block after the place it stops at
// only for a reference of a block before it (:var, a #+call: line,
// noweb, :stdin, a block :eval refuses whose :var names it): that run
// writes nothing, and the block's own turn never comes, so nothing is
// written under it. Every such reference is now a run of its own (plan's
// rerun.go), which writes nothing; the block's own run, waiting for
// nothing, is as any block past the stop no block before it needs, and
// writes its results where it started before the stop was known. Where
// a reference makes no run of its own and its block's own run serves it
// (a :cache yes block whose hash is current at the reference, which
// stands before it, so before the stop, for the document's blocks),
// write-back, which decides from the state when the document is
// written, leaves the results of a block past the stop that serves one
// as they were while the document stops before its turn
// (unwrittenPastStop). A stop learned later (an inline block's value,
// known at its end) holds them from then on; a stop lifted (the block
// that made it run again) has them written again, until another stop
// holds them.

// pastStop reports, for a block's own run, whether its turn stands
// after the place org-babel-execute-buffer stops at, by the stops known
// now: the plan's (plan.Plan.StopLine), the first failure stop
// (failedStop: a JavaScript value not read, an inline block's value
// Babel refuses, a reference error, results that stop Emacs), a block
// found in results that stops it (foundStopWhy).
type pastStop struct {
	ds     *docState
	looked bool
	f      *blockState
	at     place
	// walked counts the references looked at to find which blocks a
	// block whose turn comes needs (neededBefore): bounded by the
	// document's blocks and references, once per results document.
	walked int
	needed map[*blockState]bool // neededBefore, once found
}

// past reports whether o, a block's own run, stands after the stop.
// The caller holds e.mu.
func (p *pastStop) past(o *blockState) bool {
	if o == nil || !ownRun(o) {
		return false
	}
	at := placeOf(o)
	if p.ds.afterPlanStop(at) || p.ds.foundStopWhy(o) != "" {
		return true
	}
	if !p.looked {
		p.f, p.at, _ = p.ds.failedStop()
		p.looked = true
	}
	return p.f != nil && p.at.before(at)
}

// unwrittenPastStop reports whether the results of b, which go at the
// place of its chain's block (chainRoot: b itself for a block's own
// run), are not written: that block's turn stands past the stop
// (past), and a block whose turn comes, at the stop or before it, needs
// its run, which Emacs made for the reference, silently (neededBefore).
// A block after the stop that no such block needs, which Borges ran as
// it waited for nothing before the stop was known, writes its results.
// The caller holds e.mu.
func (p *pastStop) unwrittenPastStop(b *blockState) bool {
	r := p.ds.chainRoot(b)
	return r != nil && p.past(r) && p.neededBefore()[r]
}

// neededBefore are the blocks a block whose own turn does not stand
// past the stop needs: those it refers to, and those they refer to, in
// turn (a :post's or a reading's dependents standing for their block:
// ownBlock), not through :after or a session's order, which Emacs does
// not run blocks for. Found once, by one walk back over the document's
// references from every such block: each block and reference is looked
// at once (walked). A block past the stop is in it only when another
// block needs it (a past one never stands for its own turn). The caller
// holds e.mu.
func (p *pastStop) neededBefore() map[*blockState]bool {
	if p.needed != nil {
		return p.needed
	}
	p.needed = map[*blockState]bool{}
	// refers has, for each block, the blocks it refers to.
	refers := map[*blockState][]*blockState{}
	for _, x := range p.ds.blocks {
		for _, d := range x.dependents {
			p.walked++
			if d.task != nil && d.task.OrdersOnly(x.name) {
				continue
			}
			refers[d] = append(refers[d], x)
		}
	}
	var next []*blockState
	for d := range refers {
		if o := ownBlock(d); ownRun(o) && !p.past(o) {
			next = append(next, d)
		}
	}
	seen := map[*blockState]bool{}
	for _, d := range next {
		seen[d] = true
	}
	// Bounded: each block is walked from once.
	for len(next) > 0 {
		d := next[len(next)-1]
		next = next[:len(next)-1]
		for _, x := range refers[d] {
			p.walked++
			p.needed[x] = true
			if !seen[x] {
				seen[x] = true
				next = append(next, x)
			}
		}
	}
	return p.needed
}

// unwrittenNote is the message a view shows for a finished block whose
// results are not written (unwrittenPastStop), saying where the stop
// its own turn stands past is: "" for a block whose results are
// written. The caller holds e.mu.
func (p *pastStop) unwrittenNote(b *blockState) string {
	if !p.unwrittenPastStop(b) {
		return ""
	}
	const msg = "results not written: run for a reference of a block before the stop"
	r := p.ds.chainRoot(b)
	switch at := placeOf(r); {
	case p.ds.afterPlanStop(at):
		return fmt.Sprintf("%s at line %d; its own turn stands past it", msg, p.ds.plan.StopLine)
	case p.ds.foundStopWhy(r) != "":
		return msg + " (" + p.ds.foundStopWhy(r) + "); its own turn stands past it"
	}
	return fmt.Sprintf("%s at line %d; its own turn stands past it", msg, p.at.line)
}

// ranPastStopPrefix begins ranPastNote's message, then the stop's line.
const ranPastStopPrefix = "ran past the stop at line "

// ranPastNote is the message a view shows for in, an instance of b, a
// block's own run standing past the stop (past) that ran, its results
// written (not unwrittenPastStop): Borges started it before the stop was
// known, as it waited for nothing, and ran it on, where
// org-babel-execute-buffer, stopped before its turn, never runs it and
// writes none of them. Said, so that they are not taken for Emacs's; ""
// otherwise. The caller holds e.mu.
func (p *pastStop) ranPastNote(b *blockState, in *instState) string {
	if in.rec.AttemptID == "" || !p.past(b) || p.unwrittenPastStop(b) {
		return ""
	}
	const msg = " (started before the stop was known): org-babel-execute-buffer, stopped before it, never runs it and writes none of its results, which are Borges's alone"
	switch at := placeOf(b); {
	case p.ds.afterPlanStop(at):
		return fmt.Sprintf("%s%d%s", ranPastStopPrefix, p.ds.plan.StopLine, msg)
	case p.ds.foundStopWhy(b) != "":
		return "ran past the stop at a block found in results (" + p.ds.foundStopWhy(b) + ")" + msg
	}
	return fmt.Sprintf("%s%d%s", ranPastStopPrefix, p.at.line, msg)
}
