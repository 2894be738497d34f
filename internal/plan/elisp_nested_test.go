package plan

import (
	"context"
	"fmt"
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

// TestFoundMarkPastResults: the document's Emacs marks a block found in
// results where it stands in its buffer, whose text above it differs
// from the report it was found in by more than the whole buffer's
// growth tells: the report holds the results of a block found before it
// (put in once both are marked), the buffer results of a block after it
// that ran since (TestAgainstEmacs/append_code_two_found_Emacs_Lisp).
// The block is marked at its text nearest its place, past the block
// marked before it, whose text is the same.
func TestFoundMarkPastResults(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	block := "#+begin_src sh\necho 1\n#+end_src\n"
	results := "\n#+RESULTS:\n: 1\n"
	buffer := "#+RESULTS:\n" + block + "\n#+RESULTS:\n" + block + "\nText.\n" + results
	report := "#+RESULTS:\n" + block + results + "\n#+RESULTS:\n" + block + "\nText.\n"
	mark := func(key int, in string, from int) string {
		p := strings.Index(in[from:], block) + from
		return fmt.Sprintf("(borges--found-mark %d %d %d %d %d 1 %s %d)\n", key, p+1, p+1+len(block), p+1+len(block), p+1+len(block), elispString(block), len(in)+1)
	}
	first := strings.Index(report, block)
	script := "(progn " + bufferPrelude + "\n(borges--start-buffer " + elispString(buffer) + " '())\n" +
		mark(org.AddedKey, report, 0) + mark(org.AddedKey+1, report, first+1) +
		"(princ (format \"%d %d\" (marker-position (aref (borges--mark " + fmt.Sprint(org.AddedKey) + ") 0)) (marker-position (aref (borges--mark " + fmt.Sprint(org.AddedKey+1) + ") 0)))))"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, emacs, "-Q", "--batch", "--eval", script).CombinedOutput()
	if err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	second := strings.Index(buffer[first+1:], block) + first + 1
	if want := fmt.Sprintf("%d %d", first+1, second+1); !strings.HasSuffix(string(out), want) {
		t.Errorf("marks at %s, want %s", out, want)
	}
}
