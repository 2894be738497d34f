package plan

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
)

// A default header argument whose value is circular, or nested without
// end, is copied and printed by the document's Emacs in bounded time:
// the report must not hang the Emacs the document's Emacs Lisp blocks
// run in (such values are refused by the reader anyway).
func TestBufferReportCircularDefault(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	script := `(progn ` + bufferPrelude + `
  (let ((l (list 1 2)) (deep (list 1)))
    (setcdr (cdr l) l)
    (setcar deep deep)
    (setq org-babel-default-header-args:sh (list (cons :foo l) (cons :bar deep) (cons :baz (propertize "x" 'face 'bold))))
    (princ (apply #'concat (borges--default-lines (borges--defaults))))))`
	out, err := exec.CommandContext(ctx, emacs, "-Q", "--batch", "--eval", script).CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the report of a circular default did not end: %s", out)
	}
	if err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	for _, want := range []string{`. borges--circular)`, `borges--too-deep`, `:baz s "x"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
}

// A default header argument set to a symbol that names a function is
// reported as such (kind f), where a symbol that does not (a variable's,
// a macro's: Babel calls what functionp holds of) is data (x): Babel's
// org-babel-eval-headers calls the function for the value, which
// Borges does not do, so the blocks using it are refused.
func TestBufferReportFunctionDefault(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	script := `(progn ` + bufferPrelude + `
  (setq org-babel-default-header-args:sh '((:a . ignore) (:b . emacs-version) (:c . bar) (:d . when) (:e . t)))
  (princ (apply #'concat (borges--default-lines (borges--defaults)))))`
	out, err := exec.CommandContext(ctx, emacs, "-Q", "--batch", "--eval", script).CombinedOutput()
	if err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	for _, want := range []string{":a f ignore\n", ":b f emacs-version\n", ":c x bar\n", ":d x when\n", ":e x t\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
}
