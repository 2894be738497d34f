package client

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// includeCases are documents with #+include: and the files they include;
// Expand must give the text org-export-expand-include-keyword gives.
var includeCases = []struct {
	name  string
	files map[string]string // main.org and what it includes
}{
	{"src and example keep their wrapper, escaped", map[string]string{
		"main.org":  "#+TITLE: t\n#+include: \"script.sh\" src sh :results output\n#+include: \"notes.txt\" example\n",
		"script.sh": "\n#!/bin/sh\n# comment\n#+not a keyword\n* star\n,* comma\necho hi\n\n\n",
		"notes.txt": "  *bold\nplain\n",
	}},
	{"org files: indentation, headings under the including heading, :lines, nesting", map[string]string{
		"main.org":      "* Heading\n  #+include: \"part.org\"\n#+include: \"part.org\" :lines \"2-3\"\n#+include: \"quote.txt\" quote\n",
		"part.org":      "text before\n** Sub\n#+begin_src sh\necho part\n#+end_src\n*** Deeper\n#+include: \"sub/inner.org\"\n",
		"sub/inner.org": "#+include: \"leaf.sh\" src sh\n",
		"sub/leaf.sh":   "echo leaf\n",
		"quote.txt":     "q\n",
	}},
	{"headings moved to :minlevel, blank lines around removed", map[string]string{
		"main.org": "#+include: \"deep.org\" :minlevel 1\n#+include: \"deep.org\"\ntail\n",
		"deep.org": "\n\n*** Three\nbody\n**** Four\n\n",
	}},
	{"nothing expanded under a COMMENT heading", map[string]string{
		"main.org": "#+TODO: WAIT | GONE\n* COMMENT c\n** sub\n#+include: \"x.sh\" src sh\n* TODO [#A] COMMENT d\n#+include: \"x.sh\" src sh\n" +
			"* WAIT COMMENT e\n#+include: \"x.sh\" src sh\n* live\n#+include: \"x.sh\" src sh\n* COMMENTARY\n#+include: \"x.sh\" src sh\n",
		"x.sh": "echo x\n",
	}},
	{"COMMENT after Org's own TODO keyword and a priority", map[string]string{
		"main.org": "* TODO [#A] COMMENT d\n#+include: \"x.sh\" src sh\n** deeper\n#+include: \"x.sh\" src sh\n* next\n#+include: \"x.sh\" src sh\n",
		"x.sh":     "echo x\n",
	}},
	{"files without a final newline", map[string]string{
		"main.org": "#+include: \"nonl.sh\" src sh\n#+include: \"nonl.org\"\nend",
		"nonl.sh":  "echo hi",
		"nonl.org": "* h\ntext",
	}},
	{"export block and a :lines range of a src include", map[string]string{
		"main.org":  "#+include: \"page.html\" export html\n#+include: \"run.py\" src python :lines \"2-\"\n",
		"page.html": "<p>hi</p>\n",
		"run.py":    "skipped\nprint(1)\nprint(2)\n",
	}},
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestExpandAgainstEmacs expands each case with Emacs and with Expand.
func TestExpandAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	for _, c := range includeCases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFiles(t, c.files)
			out := filepath.Join(t.TempDir(), "expanded.org")
			cmd := exec.Command(emacs, "-Q", "--batch", "--eval",
				`(progn (require 'ox) (find-file "main.org") (org-export-expand-include-keyword) (write-region nil nil `+quoteLisp(out)+`))`)
			cmd.Dir = dir
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("emacs: %v\n%s", err, b)
			}
			want, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Expand(filepath.Join(dir, "main.org"))
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != string(want) {
				t.Errorf("Borges:\n%s\nEmacs:\n%s", got.Text, want)
			}
		})
	}
}

func quoteLisp(s string) string {
	b := []byte{'"'}
	for _, r := range []byte(s) {
		if r == '"' || r == '\\' {
			b = append(b, '\\')
		}
		b = append(b, r)
	}
	return string(append(b, '"'))
}
