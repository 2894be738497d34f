package plan

import (
	"fmt"
	"math"
)

// EndStop is where org-babel-execute-buffer stops, by the report of the
// Org buffer, at a block :eval refuses whose reading, as the buffer
// holds it, stops Emacs (refusedTurnStop) where no task stands after it
// to be decided from the buffer and fail so: the block is the last
// Emacs reaches with anything to run. Line is the block's line in the
// Org buffer, Name its name, Stop the error; where Borges does not know
// whether reading it stops Emacs, Stop is "" and Unread says why. ok is
// false where no such block stands after every task, or where a task
// the report does not place (its turn not known) may stand after it.
// Where the block's reading, and that of each refused block after it,
// is the evaluation of Lisp :var values alone (refusedLispRuns), Runs
// are the tasks evaluating them, in order: no task after them waits for
// them (Decision.Runs), so the engine runs them past the last task, the
// first that fails stopping the document at its block (RefusedReaders),
// and Stop and Unread are "": only their ends tell whether Emacs stops.
func (e *Edits) EndStop() (s RefusedEnd, ok bool) {
	r := e.refusedTurnBefore(math.MaxInt)
	if r == nil {
		return RefusedEnd{}, false
	}
	for _, o := range e.old.Tasks {
		if o.PastStop(e.old) {
			continue // past the plan's stop: never run
		}
		if at, ok := e.taskPoint(o); !ok || at > r.point {
			return RefusedEnd{}, false
		}
	}
	for _, a := range e.Added() {
		if j := e.addedMark(a.Key); a.Task != nil && !a.Gone && (j >= len(e.rep.Marks) || e.rep.Marks[j].Point > r.point) {
			return RefusedEnd{}, false
		}
	}
	s = RefusedEnd{Line: r.blk.Line, Name: BlockName(r.blk), Stop: r.stop, Unread: r.unread}
	var runs []*Task
	for _, x := range e.refusedTurnsBefore(math.MaxInt) {
		if x.runs == nil {
			// Reached only where the forms before it end well:
			// whether Emacs stops there is not known (unreadTurn).
			runs = nil
			break
		}
		runs = append(runs, x.runs...)
	}
	if len(runs) > 0 {
		s.Stop, s.Unread, s.Runs = "", "", runs
	}
	return s, true
}

// taskPoint is the point of the Org buffer at whose turn Emacs runs o,
// a task of the submitted plan: its block's (exeOf), else the block whose
// reading makes the run it is (runPlace). ok is false where the report
// does not place it.
func (e *Edits) taskPoint(o *Task) (at int, ok bool) {
	j := e.exeOf(o)
	if j < 0 {
		j = e.runPlace(o)
	}
	if j < 0 || j >= len(e.rep.Marks) {
		return 0, false
	}
	return e.rep.Marks[j].Point, true
}

// RefusedEnd is a stop at a refused block after every task (EndStop).
type RefusedEnd struct {
	Line         int
	Name         string
	Stop, Unread string
	// Runs evaluate the Lisp :var values of the refused blocks after
	// every task, where their ends alone tell the stop (EndStop).
	Runs []*Task
}

// Note is what the document's notes say of s: where
// org-babel-execute-buffer stops, or that Borges does not know whether
// it stops there. One with Runs is not noted: the stop a run makes is
// noted as any task's.
func (s RefusedEnd) Note() string {
	if s.Stop == "" {
		return fmt.Sprintf("whether org-babel-execute-buffer stops this document at block %s (line %d of the Org buffer), which :eval refuses, is not known: as it stands there, %s", s.Name, s.Line, s.Unread)
	}
	return fmt.Sprintf("org-babel-execute-buffer stops this document at block %s (line %d of the Org buffer), which :eval refuses, resolving its :var values before it refuses it, with the error %q: no block after it is run", s.Name, s.Line, s.Stop)
}
