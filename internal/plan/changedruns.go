package plan

import (
	"errors"
	"fmt"
	"slices"
)

// A block of the document that an Emacs Lisp block before it changed to
// refer to a block it did not refer to (a language's default :var the
// Lisp block set, a header it edited) runs as the buffer holds it, and
// org-babel-ref-resolve runs the block referred to at that reference, as
// it evaluates the referring block: a run of its own (rerun.go), which
// the submitted plan, made from the document as submitted, does not
// have. newRun plans it from the buffer as refRun plans the runs of the
// references to blocks added (planRun: named after the referring block
// as the submitted plan names it, its results written nowhere), and
// Decide hands the referring block's new runs to the engine (and the
// Emacs fixtures' runner) with it (Decision.Runs), which run them at its
// turn, before it, whether the block referred to stands before the
// referrer or after it (Emacs runs it there, before the blocks between).

// newRun is rt, a task of the buffer's plan, as newRun plans it (see
// above), ok false for a task that is no such run: the plain run of a
// block outside any session (no Emacs Lisp block: it runs in the
// document's Emacs), not :cache yes, not called with arguments or a
// header, for a reference of a block of the document (its own run, not
// one added) that the submitted plan has. A run made inside such a run
// (the block referred to refers to another), and a run of a block that
// cannot run as the buffer holds it (runFailing: one the Lisp gave a
// reference to itself), or of a :results file block (whose run writes
// the file, unordered with its readers), are none: the referring block fails, naming its
// line and the reference (nameOf, Decide). Each is planned once.
func (e *Edits) newRun(rt *Task, added map[string]string) (name string, err error, ok bool) {
	if rt == nil {
		return "", nil, false
	}
	if r, ok := e.newRuns[rt.Block]; ok {
		return r.name, r.err, true
	}
	if !rt.plainRefRun() || rt.Session != nil || rt.Cache || rt.callOf == "" {
		return "", nil, false
	}
	by := e.byName[rt.callOf]
	if by == nil || by.Index < 0 || by.called != nil {
		return "", nil, false
	}
	if _, ok := e.back[by.Block]; !ok {
		return "", nil, false
	}
	if _, isAdded := e.addedKeyOf(by); isAdded {
		return "", nil, false
	}
	if e.newRuns == nil {
		e.newRuns = map[string]refRunOf{}
	}
	e.newRuns[rt.Block] = refRunOf{err: errRunCycle}
	var r refRunOf
	if why, bad := e.runFailing(rt); bad {
		r.err = errors.New(why)
		if slices.ContainsFunc(rt.Vars, func(v Var) bool { return v.Ref == rt.called.name }) {
			// The run refers to its own block: Emacs runs it again
			// at that reference, and again, until the binding
			// depth runs out, at the referring block.
			r.err = &stopError{error: r.err, stop: DepthExceeded}
		}
	} else if rt.File != "" {
		// Its run writes the block's :file again at the referrer's
		// turn (ob-ref keeps "file" in its :results), where the
		// readers of that file and its other writers are to be
		// ordered with it, as markFileReads orders the runs the
		// submitted plan has: these it does not order.
		r.err = fmt.Errorf("the block writes its :results file (:file %s) at that run too, which Borges does not order with that file's other readers and writers", rt.File)
	} else {
		// planRun may set ValueNeedsEmacsStops on the run's task
		// (see there).
		r = e.planRun(rt, added, -1)
	}
	if r.err != nil {
		r.err = fmt.Errorf("block %s (%s), a run of it Borges cannot make: %w", rt.called.name, e.refWritten(rt), r.err)
	}
	e.newRuns[rt.Block] = r
	return r.name, r.err, true
}

// runsOf are the runs newRun planned for the references of block by of
// the buffer's plan (its own run's name there), in the order the
// buffer's plan makes them. The buffer's plan's tasks are indexed by
// the block whose reference makes them once per Edits (e.refRunsBy): the
// engine decides every block as it writes each results document.
func (e *Edits) runsOf(by string) []*Task {
	if e.refRunsBy == nil {
		e.refRunsBy = map[string][]*Task{}
		for _, rt := range e.Plan.Tasks {
			e.runsOfVisited++
			if rt.callOf != "" {
				e.refRunsBy[rt.callOf] = append(e.refRunsBy[rt.callOf], rt)
			}
		}
	}
	var out []*Task
	for _, rt := range e.refRunsBy[by] {
		e.runsOfVisited++
		if r, ok := e.newRuns[rt.Block]; ok && r.task != nil {
			out = append(out, r.task)
		}
	}
	return out
}

// runFailing is why rt, a run newRun plans, cannot be made as the buffer
// holds its block: the block referred to, or a task the run waits for,
// cannot run there (e.failing), as when the Lisp gave the block a
// reference to itself (a language's default :var reaching it too), where
// Emacs runs it again at each of its own references without end and
// stops at the referring block ("Variable binding depth exceeds
// max-specpdl-size": newRun's error is a stopError then, and Decide's
// Decision.Stop). planRun maps the run's dependencies as they are, and
// would plan it without the reference the buffer's plan dropped, its
// referrer given a value Emacs never gives.
func (e *Edits) runFailing(rt *Task) (string, bool) {
	for _, n := range append([]string{rt.called.name}, rt.After...) {
		if why, ok := e.failing[n]; ok {
			return fmt.Sprintf("it cannot run as the Org buffer holds it (%s)", why), true
		}
	}
	return "", false
}

// stopError is why a block cannot run that stops org-babel-execute-buffer
// at it with Emacs's error stop (Decision.Stop): the blocks after it are
// not run.
type stopError struct {
	error
	stop string
}

func (s *stopError) Unwrap() error { return s.error }

// stopOf is the error org-babel-execute-buffer stops with at the block
// err (a stopError in its chain) keeps from running, "" for none.
func stopOf(err error) string {
	var s *stopError
	if errors.As(err, &s) {
		return s.stop
	}
	return ""
}
