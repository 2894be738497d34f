package plan

import (
	"strings"

	"github.com/wallyqs/borges/internal/session"
)

// StopsOnLispError reports whether task t is an Emacs Lisp block run
// inside a :post (FailureStops set for it), whose error, signalled there,
// stops org-babel-execute-buffer before the results of the chain's
// block are written: Emacs does not catch it. An Emacs Lisp block that
// signals an error at its own turn fails, as Borges runs it (README,
// Sessions). So does a Lisp :var value of the block a :post calls
// (":post f(x=*this*)" where f has ":var y=(error …)"): Emacs evaluates
// it inside the :post (LispVarOf names the :post's task), and so does
// any block's own Lisp :var value, at the block's turn (or that of the
// first block whose reference runs it). So does the call of a block
// :eval refuses that was added or found in results (RefusedCall), run in
// the document's Emacs: Emacs signals it resolving the refused block's
// :var values, and stops there.
//
// So does the run of an Emacs Lisp block that a reference makes
// (refRunStops, rerun; a reference with arguments for a :var value of the
// block called that the arguments replaced too, replacedRefRuns): Emacs
// runs it resolving the reference, and stops at the block whose
// reference it is.
func StopsOnLispError(t *Task) bool {
	return t.FailureStops && (t.Post || t.LispVarOf() != "" || t.RefusedCall() || t.refRunStops) && !t.ReadsOutput && elispLangs[t.Lang] && t.shebang == ""
}

// RefRunStops reports whether t is the run of an Emacs Lisp block that a
// reference makes (refRunStops): its error stops the document at the
// block whose reference it is.
func (t *Task) RefRunStops() bool { return t.refRunStops }

// lispVarError is the condition an Emacs Lisp block's program
// (Task.LispVarsStop, elispProgram) signals for the error one of its own
// Lisp :var values signals, Emacs's message its data: the document's
// Emacs replies to it apart (session.ErrLispVarSignalled), in a way no
// error message of the block's body can make.
const lispVarError = "borges--lisp-var-error"

// LispVarErrorStop is the error org-babel-execute-buffer stops with
// where t, the run of an Emacs Lisp block whose program evaluates its
// own Lisp :var values (Task.LispVarsStop), failed with msg, its
// failure's message: one of those values signalled it
// (session.ErrLispVarSignalled), Emacs's message. ok is false for any
// other failure (the block's body's error, which fails the block).
func LispVarErrorStop(t *Task, msg string) (string, bool) {
	if !t.LispVarsStop {
		return "", false
	}
	return strings.CutPrefix(msg, session.ErrLispVarSignalled.Error()+": ")
}

// LispVarOf is, for the task evaluating a Lisp :var value (lispvar.go),
// the name of the task whose value it is; "" for any other task.
func (t *Task) LispVarOf() string {
	if t.lispVar == nil || t.lispVar.owner == nil {
		return ""
	}
	return t.lispVar.owner.Block
}

// postHolder is, for the task evaluating a Lisp :var value of the
// block a :post calls (its error stopping the document, called.go), or
// the run of an Emacs Lisp block a reference makes inside the :post
// (LispVarPost), the block whose :post it is: Emacs evaluates the value,
// or runs the block, inside the :post, once that block has run. "" for
// any other task.
func (t *Task) postHolder() string {
	if t.refRunPost != nil && t.FailureStops {
		return t.refRunPost.ResultsWith
	}
	if o := t.lispVar; o != nil && t.FailureStops && o.post != nil {
		if o.refused {
			return o.post.Block
		}
		return o.post.ResultsWith
	}
	return ""
}

// LispVarPost is, for the task evaluating a Lisp :var value that Emacs
// evaluates inside a :post (of the block the :post calls, or of a block
// that one's :var, noweb reference or :stdin runs), or for the run of an
// Emacs Lisp block such a reference makes (RefRunStops: its own Lisp :var
// values and its body), the name of the :post's task, at whose block an
// error in it stops the document; "" for any other task.
func (t *Task) LispVarPost() string {
	if t.refRunPost != nil && t.FailureStops {
		return t.refRunPost.Block
	}
	if o := t.lispVar; o != nil && t.FailureStops && o.post != nil {
		return o.post.Block
	}
	return ""
}

// PostLispVars are, for a :post's task, the names of the tasks
// evaluating the Lisp :var values Emacs evaluates inside the :post (the
// tasks whose LispVarPost names it), found once as the :post is
// planned; nil for any other task.
func (t *Task) PostLispVars() []string { return t.postLispVars }

// LispErrorStop is the error org-babel-execute-buffer stops with where a
// task StopsOnLispError, run in the document's Emacs, failed with msg, its failure's message: the
// error its block signalled (session.ErrSignalled: "Emacs Lisp error: "
// and Emacs's message); ok is false for any other failure (killed, its
// Emacs ended), which Emacs, running each block to its end, has no
// counterpart of.
func LispErrorStop(msg string) (string, bool) {
	return strings.CutPrefix(msg, session.ErrSignalled.Error()+": ")
}

// lispErrorMark begins the value a batch Emacs of a task's own writes
// for a task StopsOnLispError whose block signalled an error, the error's
// message after it (emacsProgram): no printed value of a block starts
// with #< (borges--print).
const lispErrorMark = "#<borges-lisp-error>"

// lispErrorValue is the error the value raw of a task StopsOnLispError,
// run in a batch Emacs of its own, says its block signalled; ok is false
// for a value.
func lispErrorValue(t *Task, raw string) (string, bool) {
	if !StopsOnLispError(t) || t.Session != nil {
		return "", false
	}
	return strings.CutPrefix(raw, lispErrorMark)
}

// elispErrorStops reports whether an error t signals reaches
// org-babel-execute-buffer, which stops: t is Emacs Lisp run in Emacs
// (no :shebang), and not under :on-failure continue, Borges's own, under
// which an error fails its block only. Where it stops (the block, its
// referrer, the block of a :post) is its callers'.
func (t *Task) elispErrorStops() bool {
	return elispLangs[t.Lang] && t.shebang == "" && !t.ContinueOnFailure
}

// markBodyErrorStops sets Task.BodyErrorStops for the runs of Emacs Lisp
// blocks in the document's Emacs whose error would only fail them: not
// one a :post calls, a reference runs, a Lisp :var value's, nor any
// other whose failure already stops the document (FailureStops), nor a
// reading of a block's output, nor one that may fail.
func (b *builder) markBodyErrorStops() {
	for _, t := range b.plan.Tasks {
		t.BodyErrorStops = t.elispErrorStops() && t.Session != nil && !t.ReadsOutput && !t.Post && !t.FailureStops && t.LispVarOf() == ""
	}
}

// BodyErrorStop is the error org-babel-execute-buffer stops with where
// t, the run of an Emacs Lisp block at its own turn (BodyErrorStops),
// failed with msg, its failure's message: its body signalled it
// (session.ErrSignalled, not a Lisp :var value's, LispVarErrorStop).
// ok is false for any other failure (killed, lost, timed out).
func BodyErrorStop(t *Task, msg string) (string, bool) {
	if !t.BodyErrorStops || strings.HasPrefix(msg, session.ErrLispVarSignalled.Error()+": ") {
		return "", false
	}
	return LispErrorStop(msg)
}
