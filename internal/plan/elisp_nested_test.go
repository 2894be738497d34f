package plan

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/outside"
)

// TestPutResultKeepsNestedBlock: the document's Emacs puts in the
// results of a block :results append or prepend whose old results hold a
// source block, then that block's own results: they go in right after
// its #+end_src, as Emacs writes them, the text appended after them or
// prepended before the block, where replacing the whole results region
// lost the mark of the block in it, and its results with it (the
// blocks found after it were then not where their marks said:
// TestAgainstEmacs/append_code_two_found_Emacs_Lisp).
func TestPutResultKeepsNestedBlock(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	for _, c := range []struct{ handling, before, after string }{
		{"append", ": 0\n", ": 1\n"},
		{"prepend", ": 1\n", "#+begin_src sh\necho 0"},
	} {
		text := "#+name: outer\n#+begin_src sh :results " + c.handling + "\necho 1\n#+end_src\n\n#+RESULTS: outer\n#+begin_src sh\necho 0\n#+end_src\n\n#+name: e\n#+begin_src emacs-lisp\n1\n#+end_src\n"
		doc, _, byName := planned(t, text)
		e := byName["e"]
		if len(e.BufferResults) != 2 || e.BufferResults[0].Task != "outer" {
			t.Fatalf("%s: e puts in %+v", c.handling, e.BufferResults)
		}
		inserted := map[string]org.Result{"outer": {Output: "1\n"}, e.BufferResults[1].Task: {Output: "0\n"}}
		forms, err := bufferForms(doc, e, doc.BlockAt(e.Index).Start, inserted)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		script := "(progn " + bufferPrelude + "\n(require 'ob-shell)\n" + forms +
			"\n(with-current-buffer borges--buffer (princ (buffer-substring-no-properties (point-min) (point-max)))))"
		out, err := exec.CommandContext(ctx, emacs, "-Q", "--batch", "--eval", script).Output()
		cancel()
		if err != nil {
			t.Fatalf("%s: emacs: %v\n%s", c.handling, err, out)
		}
		buf := string(out)
		nested := strings.Index(buf, "#+end_src\n\n#+RESULTS:\n: 0\n")
		if nested < 0 || strings.Index(buf, c.before) > strings.Index(buf, c.after) {
			t.Errorf("%s: the buffer with the results put in:\n%s", c.handling, buf)
		}
	}
}

// TestFoundKeepsDocumentText: where the document's Emacs puts in the
// results of blocks found in code appended or prepended onto old
// results (followed directly by text or a heading, whose text an
// example block below holds too, in drawers, or two found blocks of the
// same text), the document written from its buffer keeps every line of
// its own, in order, whether Borges matches Emacs or stops the
// document: a found block's results region taken from the report it
// was found in, where the buffer does not hold those results yet,
// had its results put in over the document's text, and a block marked
// at another block's text lost what followed it
// (TestAgainstEmacs/append_code_found_before_text_Emacs_Lisp and the
// rows after it).
func TestFoundKeepsDocumentText(t *testing.T) {
	outside.Need(t, "emacs-nox", "emacs")
	for _, fixture := range []string{"testdata/append_code_found_text_after.org", "testdata/append_code_found_decoy.org",
		"testdata/append_code_found_drawer.org", "testdata/append_code_found_same_two.org"} {
		raw, err := os.ReadFile(fixture)
		if err != nil {
			t.Fatal(err)
		}
		got, stopped := runBorgesStopped(t, string(raw), org.Visit{}, map[string]string{}, runEnv{Env: []string{"SHELL=/bin/bash"}})
		lines := strings.Split(got, "\n")
		i := 0
		for _, want := range strings.Split(string(raw), "\n") {
			for i < len(lines) && lines[i] != want {
				i++
			}
			if i == len(lines) {
				t.Errorf("%s: the line %q is lost (stopped: %q):\n%s", fixture, want, stopped, got)
				break
			}
			i++
		}
	}
}
