package local

import (
	"context"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/plan/plantest"
)

// TestEmacsLispWithoutEmacs: an emacs-lisp block in an image without
// Emacs fails as any block whose interpreter is missing does.
func TestEmacsLispWithoutEmacs(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	_, p := plantest.Planned(t, "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n")
	interp := p.Tasks[0].Interpreter
	a := inContainer("(+ 1 2)", func(task *plan.Task) { task.Interpreter = interp })
	b.Launch(context.Background(), a)
	if u := r.wait(t, a.ID); u.State != engine.Failed || u.Message != "exit status 127: the image "+outside.TestImage+" has no emacs" {
		t.Fatalf("emacs missing from the image: %+v", u)
	}
}
