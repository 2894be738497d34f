package org

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// The edge-case fixtures (testdata/results/edge/*.org, one case per file so
// that a failure names its case) probe the corners of
// org-babel-insert-result that the broader fixtures next to them do not:
// results in list items and drawers, hashes, orphaned and misplaced
// #+RESULTS: lines, whitespace-only and failing output, table import
// details, :results list/table/vector, raw tables, indentation with tabs.
// Each has its Emacs result recorded next to it as NAME.emacs.org (written
// by -update) so the suite checks them where Emacs is absent.

const edgeDir = "testdata/results/edge"

// edgeExecuteEl runs org-babel-execute-buffer on each file named on the
// command line and writes the buffer to OUTDIR/BASENAME (or the error
// Emacs signalled, so one bad fixture does not hide the others). One Emacs
// for all fixtures: starting Emacs and loading Org costs more than the
// cases.
const edgeExecuteEl = `(require 'org)
(require 'ob)
(org-babel-do-load-languages 'org-babel-load-languages '((shell . t)))
(setq org-confirm-babel-evaluate nil)
(let ((outdir (car command-line-args-left))
      (files (cdr command-line-args-left)))
  (setq command-line-args-left nil)
  (dolist (file files)
    (with-temp-buffer
      (insert-file-contents file)
      (org-mode)
      (condition-case err
          (org-babel-execute-buffer)
        (error (erase-buffer)
               (insert (format "Emacs signalled: %S\n" err))))
      (let ((coding-system-for-write 'utf-8-unix))
        (write-region nil nil (expand-file-name (file-name-nondirectory file) outdir))))))
`

func edgeInputs(t *testing.T) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(edgeDir, "*.org"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".emacs.org") {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		t.Fatalf("no fixtures in %s", edgeDir)
	}
	return files
}

func edgeGolden(file string) string { return strings.TrimSuffix(file, ".org") + ".emacs.org" }

// TestResultsEdgeAgainstEmacs executes every edge fixture in Emacs and
// compares the buffer Emacs leaves with WriteResults given the same
// outputs (each block's body run by sh in Go, as ob-shell runs it).
func TestResultsEdgeAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	files := edgeInputs(t)
	tmp := t.TempDir()
	script := filepath.Join(tmp, "execute.el")
	if err := os.WriteFile(script, []byte(edgeExecuteEl), 0o644); err != nil {
		t.Fatal(err)
	}
	outdir := filepath.Join(tmp, "out")
	if err := os.Mkdir(outdir, 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{"-Q", "--batch", "-l", script, outdir}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, abs)
	}
	cmd := exec.Command(emacs, args...)
	// Blocks run in the working directory: keep them away from the tree.
	cmd.Dir = t.TempDir()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(outdir, filepath.Base(file)))
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(edgeGolden(file), want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := writeBack(t, file); got != string(want) {
				t.Errorf("write-back differs from Emacs:\n%s", fullLineDiff(string(want), got))
			}
		})
	}
}

// TestResultsEdgeGolden checks the edge fixtures against Emacs's recorded
// buffers, without Emacs.
func TestResultsEdgeGolden(t *testing.T) {
	for _, file := range edgeInputs(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			want, err := os.ReadFile(edgeGolden(file))
			if err != nil {
				t.Fatalf("%v (go test ./internal/org -run TestResultsEdgeAgainstEmacs -update)", err)
			}
			if got := writeBack(t, file); got != string(want) {
				t.Errorf("write-back differs from Emacs:\n%s", fullLineDiff(string(want), got))
			}
		})
	}
}
