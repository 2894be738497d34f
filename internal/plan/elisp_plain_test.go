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
