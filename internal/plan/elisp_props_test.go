package plan

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
)

// TestPrintedStringsWithoutProperties: strings carrying text properties
// (org-get-heading's org-category, a propertize) as items of a list
// under :results list or cells of a table are printed as their text,
// as org-babel-insert-result inserts them (a string as it is), never
// as #("x" 0 1 (face bold)), which the reader cannot take as text
// (TestAgainstEmacs/hunt17_elisp_buffer_scan).
func TestPrintedStringsWithoutProperties(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	script := `(progn (require 'cl-lib) ` + elispPrinter + `
  (let ((a (propertize "a" 'face 'bold)) (c (propertize "c" 'org-category "x")))
    (princ (borges--print (list a "b") t)) (terpri)
    (princ (borges--print (list (list c 1) 'hline (list "d" a)) nil)) (terpri)
    (princ (borges--print (list c 2) nil)) (terpri)))`
	out, err := exec.CommandContext(ctx, emacs, "-Q", "--batch", "--eval", script).CombinedOutput()
	if err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	want := "(\"a\" \"b\")\n((\"c\" 1) hline (\"d\" \"a\"))\n(\"c\" 2)\n"
	if got := string(out); !strings.HasSuffix(got, want) || strings.Contains(got, "#(") {
		t.Errorf("printed:\n%s\nwant:\n%s", got, want)
	}
}
