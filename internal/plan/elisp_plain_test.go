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
	out := emacsEval(t, `(progn `+bufferPrelude+`
  (setq org-babel-default-header-args:sh '((:a . ignore) (:b . emacs-version) (:c . bar) (:d . when) (:e . t)))
  (princ (apply #'concat (borges--default-lines (borges--defaults)))))`)
	for _, want := range []string{":a f ignore\n", ":b f emacs-version\n", ":c x bar\n", ":d x when\n", ":e x t\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
}

// emacsEval is what a batch Emacs evaluating script prints, the test
// failing where it exits non-zero.
func emacsEval(t *testing.T, script string) []byte {
	t.Helper()
	emacs := outside.Need(t, "emacs-nox", "emacs")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, emacs, "-Q", "--batch", "--eval", script).CombinedOutput()
	if err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	return out
}

// TestPrintedStringsWithoutProperties: strings carrying text properties
// (org-get-heading's org-category, a propertize) as items of a list
// under :results list or cells of a table are printed as their text,
// as org-babel-insert-result inserts them (a string as it is), never
// as #("x" 0 1 (face bold)), which the reader cannot take as text
// (TestAgainstEmacs/hunt17_elisp_buffer_scan).
func TestPrintedStringsWithoutProperties(t *testing.T) {
	out := emacsEval(t, `(progn (require 'cl-lib) `+elispPrinter+`
  (let ((a (propertize "a" 'face 'bold)) (c (propertize "c" 'org-category "x")))
    (princ (borges--print (list a "b") t)) (terpri)
    (princ (borges--print (list (list c 1) 'hline (list "d" a)) nil)) (terpri)
    (princ (borges--print (list c 2) nil)) (terpri)))`)
	want := "(\"a\" \"b\")\n((\"c\" 1) hline (\"d\" \"a\"))\n(\"c\" 2)\n"
	if got := string(out); !strings.HasSuffix(got, want) || strings.Contains(got, "#(") {
		t.Errorf("printed:\n%s\nwant:\n%s", got, want)
	}
}

// TestBufferReportLibraryBounded: the Library of Babel entries the
// document's Emacs reports are copied in bounded time and size: an entry
// sharing its conses (a DAG, 2^40 paths) and the entries past
// borges--lob-max are reported by name alone, marked + (too big for the
// report), so that Borges says it does not know what a reference to one
// runs; entries there at the buffer's start are not copied (review F3).
func TestBufferReportLibraryBounded(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	script := `(progn (require 'org) ` + bufferPrelude + `
  (setq org-babel-library-of-babel nil)
  (dotimes (i 20000) (push (list (intern (format "old%d" i)) "sh" "echo" nil) org-babel-library-of-babel))
  (borges--start-buffer "x\n" nil)
  (let ((x (list "a")))
    (dotimes (_ 40) (setq x (list x x)))
    (push (list 'dag "emacs-lisp" "1" (list (cons :x x))) org-babel-library-of-babel))
  (dotimes (i 300) (push (list (intern (format "new%d" i)) "sh" "echo" nil) org-babel-library-of-babel))
  (princ (apply #'concat (borges--lob-lines (borges--lob-changed)))))`
	out, err := exec.CommandContext(ctx, emacs, "-Q", "--batch", "--eval", script).CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the report of the Library of Babel did not end: %.2000s", out)
	}
	if err != nil {
		t.Fatalf("emacs: %v\n%.2000s", err, out)
	}
	s := string(out)
	if !strings.Contains(s, "\"dag\" + + 0\n") || strings.Contains(s, "\"old") {
		t.Errorf("report:\n%.2000s", s)
	}
	if full, over := strings.Count(s, "\"sh\" \"echo\" 0\n"), strings.Count(s, "+ + 0\n"); full != 256 || over != 300+1-256 {
		t.Errorf("%d entries reported in full, %d over the cap:\n%.2000s", full, over, s)
	}
}
