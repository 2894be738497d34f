package engine

import "github.com/wallyqs/borges/internal/plan"

// A Lisp :var value (":var y=(car 1)") is evaluated by a task of its own
// (plan's lispvar.go). Emacs evaluates it resolving its block's :var
// values, at the block's turn, or at the turn of the first block whose
// reference runs the block, or inside the :post that calls the block:
// an error it signals is not caught, and org-babel-execute-buffer stops
// there (plan.StopsOnLispError). Borges knows that when the value's task
// has failed: the blocks after the stop that have not started by then
// are held, as for the other failure stops (failstop.go), and a restart
// of the value's block lifts the hold.

// An Emacs Lisp block's own Lisp :var values are evaluated in the
// block's program, the error one signals marked apart from its body's
// (plan.Task.LispVarsStop, plan.LispVarErrorStop): that error stops the
// document as a value's task's does (at the block's turn, or at that of
// the first block whose reference runs it), the block's results staying
// as they were (stoppedUnwritten).

// ownErrorIn is the error in, an attempt that failed, failed with as
// read (plan.LispVarErrorStop, plan.BodyErrorStop: each only for a task
// it marks) finds it in its message, without its mark: whether it is
// one of that kind.
func ownErrorIn(in *instState, read func(*plan.Task, string) (string, bool)) (string, bool) {
	if in.block == nil || in.block.task == nil || in.rec.AttemptID == "" || State(in.rec.State) != Failed {
		return "", false
	}
	return read(in.block.task, in.rec.Message)
}

// lispVarsFailedIn reports whether in, an attempt of an Emacs Lisp block
// whose program evaluates its own Lisp :var values, failed with the
// error one of them signalled.
func lispVarsFailedIn(in *instState) bool {
	_, ok := ownErrorIn(in, plan.LispVarErrorStop)
	return ok
}

// lispVarsFailed reports whether f, such a block's run, failed with the
// error one of its own Lisp :var values signalled (lispVarsFailedIn),
// and that error without its mark.
func lispVarsFailed(f *blockState) (string, bool) {
	return ownErrorFailed(f, plan.LispVarErrorStop)
}

// ownErrorFailed is the error of the first attempt of f that failed
// with one of the kind read finds (ownErrorIn): what lispVarsFailed and
// bodyErrorFailed share.
func ownErrorFailed(f *blockState, read func(*plan.Task, string) (string, bool)) (string, bool) {
	for _, in := range f.instances {
		if msg, ok := ownErrorIn(in, read); ok {
			return msg, true
		}
	}
	return "", false
}

// valueTaskStop reports whether f is the task evaluating a Lisp :var
// value (plan's lispvar.go) whose error stops the document.
func valueTaskStop(f *blockState) bool {
	return f.task != nil && f.task.LispVarOf() != "" && plan.StopsOnLispError(f.task)
}

// refRunStop reports whether f is the run of an Emacs Lisp block a
// reference makes (plan.Task.RefRunStops) whose error stops the
// document at the block whose reference it is.
func refRunStop(f *blockState) bool {
	return f.task != nil && f.task.RefRunStops() && plan.StopsOnLispError(f.task)
}

// lispVarStopWhy goes on the message of a block that a Lisp :var value's
// error stops (lispVarStop).
const lispVarStopWhy = "whose Lisp :var value signalled an error"

// lispVarStop reports whether f, a task whose failure stops the
// document, evaluates a Lisp :var value.
func lispVarStop(f *blockState) bool {
	_, own := lispVarsFailed(f)
	return own || valueTaskStop(f)
}

// failStopVars begins the message of the block Emacs stopped in, at a
// Lisp :var value's error (ownLispVarStop), before running it: the value
// is its own, or that of a block its :var, a noweb reference in its body
// or its :stdin runs.
const failStopVars = "not run: org-babel-execute-buffer stopped in it, evaluating a Lisp :var value before running it, at line "

// ownLispVarStop reports whether f evaluates a Lisp :var value whose
// error stops the document at a block's turn (lispVarStop): its own
// block's, or that of the first block whose reference runs it; not one
// of a block a :post calls, which Emacs evaluates inside the :post, once
// the :post's block has run.
func ownLispVarStop(f *blockState) bool {
	if _, ok := lispVarsFailed(f); ok {
		return true // an Emacs Lisp block's own value, at its run
	}
	if !valueTaskStop(f) || f.task.LispVarPost() != "" {
		return false
	}
	o := f.doc.byName[f.task.LispVarOf()]
	return o != nil && o.task != nil && !o.task.Post
}

// An Emacs Lisp block's body's error at its own turn
// (plan.Task.BodyErrorStops, plan.BodyErrorStop) stops the document
// there too: Emacs does not catch it, the block's results stay as they
// were (stoppedUnwritten), and the blocks after it that have not started
// are held.

// bodyErrorFailedIn reports whether in, an attempt of an Emacs Lisp
// block at its own turn, failed with the error its body signalled.
func bodyErrorFailedIn(in *instState) bool {
	_, ok := ownErrorIn(in, plan.BodyErrorStop)
	return ok
}

// bodyErrorFailed reports whether f, such a block's run, failed with
// its body's error (bodyErrorFailedIn), and that error without its
// mark.
func bodyErrorFailed(f *blockState) (string, bool) {
	return ownErrorFailed(f, plan.BodyErrorStop)
}

// failStopBody begins the message of an Emacs Lisp block whose body's
// error stopped the document at it (bodyErrorFailed).
const failStopBody = "Emacs Lisp error; org-babel-execute-buffer stopped at this block, at line "
