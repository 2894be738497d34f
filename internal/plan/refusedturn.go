package plan

import (
	"fmt"
	"slices"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// refusedTurn is a block of the submitted document that :eval refuses,
// as the buffer holds it, whose reading stops org-babel-execute-buffer
// at its turn (Edits.refusedStop): point, its mark's Point in the
// buffer; blk the block there; stop the error.
type refusedTurn struct {
	point int
	blk   *org.Block
	stop  string
	// unread is, where stop is "", why Borges does not know whether
	// reading the block stops Emacs (a Lisp value: refusedReadUnknown).
	unread string
	// exe is the block's place among the submitted executables; runs,
	// where its reading is that of Lisp :var values alone
	// (turnLispFormsWith), the tasks evaluating them (refusedLispRuns),
	// whose ends tell whether Emacs stops there.
	exe  int
	runs []*Task
	// query is whether the block is one :eval query asks about, the
	// plan's stop (queryStopAt), kept only with runs.
	query bool
}

// refusedTurnStop is, for the turn of the report's mark j (a task's own
// block, or the block whose reference makes a run: runPlace), the error
// org-babel-execute-buffer stops with before it reaches that turn, at a
// block :eval refuses standing before it in the buffer whose :var
// values, as the buffer holds them, stop Emacs resolving them before
// org-babel-check-evaluate refuses it (an Emacs Lisp block rewrote
// ":var x=5" into ":var x=ref", a reference to the block itself): such
// a block has no task of its own to decide from the buffer, and where
// its value as submitted made no run for a reference (a literal, a
// reference to another block :eval refuses or to a table), no run
// stands at its turn either (where one does, refusedReaderStop decides
// it, and the block is left to it, unless the buffer reads it otherwise
// than as submitted and Borges does not know the end: findRefusedTurns).
// The first task after it fails so, and the document stops there:
// nothing runs between, the block having no task. A refused block is
// passed over where a task of the document's Emacs (which may change
// the buffer) stands between it and the turn: Emacs read it before that
// task ran, and the report may be of the buffer that task left (the
// decision of that task, with the report before it, stops there). So is
// one at or after the submitted plan's own stop (Plan.Stop). "" where
// none stops Emacs; why says which block stops it. Where Borges does not
// know whether reading the block stops Emacs (refusedStop's unread: a
// Lisp value), why says so and stop is "": the task fails, not run.
func (e *Edits) refusedTurnStop(j int) (why, stop string, runs []*Task) {
	if j < 0 || j >= len(e.rep.Marks) {
		return "", "", nil
	}
	var lisp *refusedTurn
	for _, r := range e.refusedTurnsBefore(e.rep.Marks[j].Point) {
		switch {
		case r.runs != nil:
			// Emacs evaluates its forms there: the turn waits for
			// their tasks, the first failing stopping the document.
			if lisp == nil {
				lisp = r
			}
			runs = append(runs, r.runs...)
			continue
		case lisp != nil:
			// Whether Emacs stops at the forms before, or here, only
			// their ends tell.
			return unreadTurn(lisp), "", nil
		case r.stop == "":
			return unreadTurn(r), "", nil
		}
		return fmt.Sprintf("not run: line %d of the Org buffer: block %s, which :eval refuses, as it stands there: org-babel-execute-buffer stops at it resolving its :var values, before it refuses it, and never reaches this block: %q", r.blk.Line, BlockName(r.blk), r.stop), r.stop, nil
	}
	return "", "", runs
}

// unreadTurn is why the task at a turn after r, a refused turn, fails:
// Borges does not know whether Emacs stops at r.
func unreadTurn(r *refusedTurn) string {
	return fmt.Sprintf("not run: line %d of the Org buffer: block %s, which :eval refuses, as it stands there: %s, so Borges does not know whether org-babel-execute-buffer stops there or reaches this block", r.blk.Line, BlockName(r.blk), r.unread)
}

// turnUnread is why Borges does not know what reading the refused
// blocks before the turn of mark j does, where the task there does not
// run as Emacs runs it and so cannot wait for the runs of their Lisp
// :var values (withTurnRuns).
func (e *Edits) turnUnread(j int) string {
	if rs := e.refusedTurnsBefore(e.rep.Marks[j].Point); len(rs) > 0 {
		return unreadTurn(rs[0])
	}
	return ""
}

// refusedTurnsBefore are the refused turns (findRefusedTurns) that
// stand before point at of the Org buffer with no task of the
// document's Emacs between them and at, in the buffer's order
// (refusedTurnStop): the first (refusedTurnBefore) and those after it.
func (e *Edits) refusedTurnsBefore(at int) []*refusedTurn {
	first := e.refusedTurnBefore(at)
	if first == nil {
		return nil
	}
	var out []*refusedTurn
	for i := range e.refusedTurns {
		r := &e.refusedTurns[i]
		if r.point >= at {
			break
		}
		if r.point >= first.point {
			out = append(out, r)
		}
	}
	return out
}

// refusedTurnBefore is the first refused turn (findRefusedTurns) that
// stands before point at of the Org buffer with no task of the
// document's Emacs between it and at (refusedTurnStop), nil for none.
func (e *Edits) refusedTurnBefore(at int) *refusedTurn {
	e.turnsOnce.Do(e.findRefusedTurns)
	for i := range e.refusedTurns {
		r := &e.refusedTurns[i]
		if r.point >= at {
			break
		}
		// The first task of the document's Emacs after the refused
		// block: none may stand before the turn.
		k, _ := slices.BinarySearch(e.emacsTurns, r.point+1)
		if k < len(e.emacsTurns) && e.emacsTurns[k] < at {
			continue
		}
		return r
	}
	return nil
}

// findRefusedTurns makes emacsTurns, the points of the turns of the
// submitted plan's tasks of the document's Emacs, sorted, and
// refusedTurns, in the buffer's order (refusedTurnStop).
func (e *Edits) findRefusedTurns() {
	for _, o := range e.old.Tasks {
		if o.Session == nil || o.Session.Kind != string(session.Emacs) || o.PastStop(e.old) {
			continue
		}
		if at, ok := e.taskPoint(o); ok {
			e.emacsTurns = append(e.emacsTurns, at)
		}
	}
	slices.Sort(e.emacsTurns)
	// The blocks at whose turn a run stands: that run's decision
	// stops the document there (refusedReaderStop), and the engine
	// holds the blocks after it by that stop.
	withRun := map[int]bool{}
	for _, o := range e.old.Tasks {
		if first, ok := o.FirstRefusedReader(); ok {
			withRun[first.Index] = true
		}
	}
	for i, x := range e.at {
		if x == nil || i >= len(e.rep.Marks) {
			continue
		}
		query := e.queryStopAt(i, x)
		if !query && !e.refusedInBuffer(x) {
			continue
		}
		if !query && e.old.Stop != "" && e.exes[i].Line >= e.old.StopLine {
			// The plan stops there, or before: the tasks after it
			// are not run already.
			continue
		}
		point := e.rep.Marks[i].Point
		stop, unread, missing := e.turnRefusedStop(x)
		if missing != "" {
			stop, unread = e.missingRefStop(missing, point)
		}
		// The run standing there is the submitted block's, made for
		// its reading as submitted (a reference's run, a Lisp :var
		// value's evaluation), which refusedReaderStop decides where
		// the buffer's block stops Emacs. Where that block is read
		// otherwise, in a way Borges does not know the end of (a Lisp
		// value rewritten into another), it is decided here, as one
		// with no run.
		if withRun[e.exes[i].Index] && (stop != "" || sameReading(e.exes[i], x)) {
			continue
		}
		if !withRun[e.exes[i].Index] && stop == "" && unread == "" && !sameReading(e.exes[i], x) {
			// Read otherwise than as submitted, with no run made at
			// its turn: a :var value naming a block (or a Library of
			// Babel entry) has Emacs run it there.
			if n := e.refRunsThere(x); n != "" {
				unread = "its :var values as an Emacs Lisp block rewrote them name " + n + ", which Emacs runs there, resolving them before :eval refuses the block, and Borges plans no run of it there"
			}
		}
		if withRun[e.exes[i].Index] && unread == "" {
			// Read otherwise than the runs made at its turn for its
			// reading as submitted, which are not decided again
			// from the buffer: what Emacs runs there, or whether it
			// stops, is not known.
			unread = "its :var values as an Emacs Lisp block rewrote them are not those the runs made at its turn were planned for, and Borges does not run what they name there"
		}
		if stop != "" || unread != "" {
			e.refusedTurns = append(e.refusedTurns, refusedTurn{point: point, blk: x, stop: stop, unread: unread, exe: i, query: query})
		}
	}
	slices.SortFunc(e.refusedTurns, func(a, b refusedTurn) int { return a.point - b.point })
	// The runs of the Lisp :var values, made in the buffer's order,
	// each after the one before it in the document's Emacs.
	e.lispRunIndex = lowestIndex(e.old, e.Plan)
	var last *Task
	for k := range e.refusedTurns {
		r := &e.refusedTurns[k]
		if r.stop != "" || r.unread == "" {
			continue
		}
		forms, ok := turnLispFormsWith(r.blk, e.libraryForm)
		if !ok || !e.lispRunsOnly(e.exes[r.exe]) {
			continue
		}
		if r.runs = e.refusedLispRuns(r.exe, r.blk, r.point, forms, last); len(r.runs) > 0 {
			last = r.runs[len(r.runs)-1]
		}
	}
	// The question stays the plan's stop where neither a stop known
	// from the buffer (a reference to the block itself) nor runs of
	// Lisp :var values stand before it.
	e.refusedTurns = slices.DeleteFunc(e.refusedTurns, func(r refusedTurn) bool { return r.query && r.runs == nil && r.stop == "" })
}

// queryStopAt reports whether x, the Org buffer's block at the
// submitted executable i, is a block :eval query whose question is the
// submitted plan's stop (QueryStop), with no stop or problem of its
// own: Emacs resolves its :var values before it asks
// (stop_elisp_ref_eval_query_lisp.org), so the Lisp forms an Emacs Lisp
// block wrote there are evaluated at its turn, before the question, as
// for a block :eval refuses (refusedLispRuns), the first error winning
// over the question; so does a stop its :var values as the buffer
// holds them make (stop_elisp_ref_self_eval_query_literal.org: EndStop).
func (e *Edits) queryStopAt(i int, x *org.Block) bool {
	return e.old.Stop == QueryStop && e.exes[i].Line == e.old.StopLine && evalQuery(x.Args) &&
		e.ownNew[x.Index] == nil && x.Stop == "" && x.Problem == ""
}

// lowestIndex is the lowest Index of the tasks of plans, 0 for none
// below it.
func lowestIndex(plans ...*Plan) int {
	low := 0
	for _, p := range plans {
		if p == nil {
			continue
		}
		for _, t := range p.Tasks {
			low = min(low, t.Index)
		}
	}
	return low
}

// refusedInBuffer reports whether x, a block of the Org buffer, is one
// :eval refuses there that no task of the buffer's plan runs, with no
// stop or problem of its own: whose reading alone may stop Emacs at its
// turn (refusedReaderStop, refusedTurnStop).
func (e *Edits) refusedInBuffer(x *org.Block) bool {
	_, refused := org.EvalRefused(x.Args)
	return refused && e.ownNew[x.Index] == nil && x.Stop == "" && x.Problem == ""
}

// sameReading reports whether ob, a block of the submitted document,
// and nb, the block at its mark in the Org buffer, read alike at their
// turn: the same language, header arguments and :var values as
// written.
func sameReading(ob, nb *org.Block) bool {
	return fmt.Sprint(ob.Args, ob.Vars, ob.Lang) == fmt.Sprint(nb.Args, nb.Vars, nb.Lang)
}

// PastStop reports whether t, a task of p, stands past the stop p
// knows from the document alone (Plan.Stop): it is not run
// (Task.Replaced), and changes no buffer.
func (t *Task) PastStop(p *Plan) bool {
	return p.Stop != "" && t.Replaced != "" && t.Line > p.StopLine
}
