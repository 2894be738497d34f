package plan

import (
	"testing"

	"github.com/wallyqs/borges/internal/session"
)

// TestLispVarErrorStopNotFromBody: only the failure the document's Emacs
// replies to apart (session.ErrLispVarSignalled: the condition
// borges--lisp-var-error its program signals for a Lisp :var value's
// error) is the stop of an Emacs Lisp block's own Lisp :var value; a
// body's error fails the block, whatever its message says.
func TestLispVarErrorStopNotFromBody(t *testing.T) {
	task := &Task{Lang: "emacs-lisp", LispVarsStop: true}
	if why, ok := LispVarErrorStop(task, session.ErrLispVarSignalled.Error()+": boom"); !ok || why != "boom" {
		t.Errorf("the value's error: %q, %v", why, ok)
	}
	for _, body := range []string{"#<borges-lisp-var-error>x", "Emacs Lisp error, evaluating a Lisp :var value: x", "x"} {
		if why, ok := LispVarErrorStop(task, session.ErrSignalled.Error()+": "+body); ok {
			t.Errorf("a body's error %q read as the value's: %q", body, why)
		}
	}
	if _, ok := LispVarErrorStop(&Task{Lang: "emacs-lisp"}, session.ErrLispVarSignalled.Error()+": boom"); ok {
		t.Errorf("a task without LispVarsStop read as stopping")
	}
}
