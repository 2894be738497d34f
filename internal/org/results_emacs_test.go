package org

import (
	"errors"
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

// edgeNotIdempotent are the fixtures a second org-babel-execute-buffer
// changes again, in Emacs as in WriteResults; TestResultsEdgeAgainstEmacs
// checks the list against Emacs.
var edgeNotIdempotent = map[string]bool{
	"append-prepend.org":    true, // :results append/prepend add to what is there
	"indented-raw.org":      true, // raw results cannot be found again: added anew
	"results-eof.org":       true, // the first run turns "#+RESULTS:" into ": #+RESULTS:x"
	"whitespace-output.org": true, // a result without final newline swallows the next line
	"wrap-html.org":         true, // see edgeRunsResults
	"raw-table.org":         true, // see edgeRunsResults
	"file-links.org":        true, // a link result taken from output ending in a newline spans two lines; only the first is replaced
	"verbatim.org":          true, // see edgeRunsResults
	"item-end.org":          true, // results after a list item's last block are not found again: added anew
	"item-indent.org":       true, // the same, in numbered, tabbed and nested items
}

// edgeRunsResults are the fixtures whose results hold src blocks (:results
// code, org). On a second run Emacs executes those new blocks too (they are
// inserted past the point where org-babel-map-executables resumes), or
// fails on "#+begin_src org"; WriteResults only writes results for the
// blocks it is given and treats blocks inside replaced results as gone, so
// the second runs are not compared.
var edgeRunsResults = map[string]bool{
	"wrap-html.org": true,
	"raw-table.org": true,
	"verbatim.org":  true,
}

// runEdgeEmacs executes each of files in one Emacs and returns the buffers
// it leaves, by base name.
func runEdgeEmacs(t *testing.T, emacs string, files []string) map[string]string {
	t.Helper()
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
	got := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(outdir, filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		got[filepath.Base(f)] = string(b)
	}
	return got
}

// TestResultsEdgeAgainstEmacs executes every edge fixture in Emacs and
// compares the buffer Emacs leaves with WriteResults given the same
// outputs (each block's body run by sh in Go, as ob-shell runs it). It
// then executes Emacs's buffers a second time and compares that with
// WriteResults on the same buffers: results already there are found and
// replaced alike.
func TestResultsEdgeAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	files := edgeInputs(t)
	first := runEdgeEmacs(t, emacs, files)
	tmp := t.TempDir()
	var again []string
	for _, file := range files {
		f := filepath.Join(tmp, filepath.Base(file))
		if err := os.WriteFile(f, []byte(first[filepath.Base(file)]), 0o644); err != nil {
			t.Fatal(err)
		}
		again = append(again, f)
	}
	second := runEdgeEmacs(t, emacs, again)
	for _, file := range files {
		base := filepath.Base(file)
		t.Run(base, func(t *testing.T) {
			want := first[base]
			if *update {
				if err := os.WriteFile(edgeGolden(file), []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := edgeWriteBack(t, readText(t, file)); got != want {
				t.Errorf("write-back differs from Emacs:\n%s", fullLineDiff(want, got))
			}
			if got := edgeWriteBack(t, want); !edgeRunsResults[base] && got != second[base] {
				t.Errorf("second write-back differs from Emacs's second run:\n%s", fullLineDiff(second[base], got))
			}
			if changed := second[base] != want; changed != edgeNotIdempotent[base] {
				t.Errorf("a second run in Emacs changes the buffer: %v; edgeNotIdempotent says %v", changed, edgeNotIdempotent[base])
			}
		})
	}
}

// TestResultsEdgeGolden checks the edge fixtures against Emacs's recorded
// buffers, without Emacs, and that writing the results again into those
// buffers changes nothing (but where appending or prepending).
func TestResultsEdgeGolden(t *testing.T) {
	for _, file := range edgeInputs(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := os.ReadFile(edgeGolden(file))
			if err != nil {
				t.Fatalf("%v (go test ./internal/org -run TestResultsEdgeAgainstEmacs -update)", err)
			}
			want := string(b)
			if got := edgeWriteBack(t, readText(t, file)); got != want {
				t.Errorf("write-back differs from Emacs:\n%s", fullLineDiff(want, got))
			}
			if edgeNotIdempotent[filepath.Base(file)] {
				return
			}
			if got := edgeWriteBack(t, want); got != want {
				t.Errorf("a second write-back changes the document:\n%s", fullLineDiff(want, got))
			}
		})
	}
}

// TestResultsNoPanic writes results into every prefix of every fixture
// (unclosed blocks, keywords cut in half, no final newline): whatever the
// text, WriteResults must return rather than panic.
func TestResultsNoPanic(t *testing.T) {
	files := edgeInputs(t)
	more, _ := filepath.Glob("testdata/results/*.org")
	outputs := []string{"", "x", "a b\nc d\n", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n", "|a|b|\n", "\"open\n", "* h\n#+x\n"}
	for _, file := range append(files, more...) {
		text := readText(t, file)
		for cut := 0; cut <= len(text); cut++ {
			doc, err := Parse(text[:cut])
			if err != nil {
				continue
			}
			res := map[int]Result{}
			for _, b := range doc.Blocks {
				res[b.Index] = Result{Output: outputs[(cut+b.Index)%len(outputs)]}
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s cut at byte %d: panic: %v", file, cut, r)
					}
				}()
				doc.WriteResults(res)
			}()
		}
	}
}

func readText(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// edgeWriteBack parses text and writes back the outputs of its shell
// blocks as edgeOutputs gives them.
func edgeWriteBack(t *testing.T, text string) string {
	t.Helper()
	doc, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return doc.WriteResults(edgeOutputs(t, doc))
}

// edgeOutputs runs each shell block as ob-shell does without a session,
// stdin or :cmdline: the trimmed body on sh's standard input, with
// "\necho $?" appended under :results value. A run that exits non-zero
// yields "": org-babel-eval returns nil then, and Babel writes an empty
// result exactly as for empty output (Result has no other way to say so).
func edgeOutputs(t *testing.T, doc *Document) map[int]Result {
	t.Helper()
	out := map[int]Result{}
	for _, b := range doc.Blocks {
		if !shellLangs[b.Lang] {
			continue
		}
		body, err := doc.ExpandedBody(b, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ValueIsExitStatus(b.Args) {
			body += "\necho $?"
		}
		cmd := exec.Command("sh")
		cmd.Stdin = strings.NewReader(orgTrim(body))
		cmd.Dir = t.TempDir()
		o, err := cmd.Output()
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit):
			o = nil
		case err != nil:
			t.Fatalf("line %d: %v", b.Line, err)
		}
		out[b.Index] = Result{Output: string(o)}
	}
	return out
}
