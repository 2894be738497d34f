package plan

import (
	"strings"
	"testing"
)

// TestStopAtInlineInHeading: an inline block or call in a heading with
// no contents stops org-babel-execute-buffer when it comes to write its
// result ("Wrong type argument: number-or-marker-p, nil"): the blocks
// before it run, it runs, and none after it does (checked against Emacs
// 28.2 / Org 9.5.5: TestAgainstEmacs/stop:_inline_block_in_a_heading_without_contents).
func TestStopAtInlineInHeading(t *testing.T) {
	text := "#+name: first\n#+begin_src sh\necho before\n#+end_src\n\n" +
		"* A heading src_sh{echo 1}\n* Next\n" +
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n\n" +
		"An inline block after it: src_sh{echo 2}\n"
	_, p, _ := planned(t, text)
	if p.Stop != "Wrong type argument: number-or-marker-p, nil" {
		t.Errorf("the plan's stop: %q", p.Stop)
	}
	if len(p.Tasks) != 4 {
		t.Fatalf("%d tasks, want 4", len(p.Tasks))
	}
	runs := map[int]bool{}
	for _, task := range p.Tasks {
		runs[task.Line] = task.Replaced == ""
		if task.Replaced != "" && !strings.Contains(task.Replaced, "line 6") {
			t.Errorf("line %d: %q does not name the line it stopped at", task.Line, task.Replaced)
		}
	}
	for line, want := range map[int]bool{1: true, 6: true, 8: false, 13: false} {
		if runs[line] != want {
			t.Errorf("the block at line %d runs: %v, want %v", line, runs[line], want)
		}
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "line 6") {
		t.Errorf("no note of the stop: %q", p.Notes)
	}
	// :results silent writes nothing: Emacs does not stop.
	if _, p, _ = planned(t, "* A src_sh[:results silent]{echo 1}\n* B\n#+begin_src sh\necho 2\n#+end_src\n"); p.Stop != "" {
		t.Errorf("silent: stop %q", p.Stop)
	}
}

// TestStopAtInlineReferredAfter: a block after the stop that only blocks
// after the stop refer to is never run: Emacs, stopped, runs none of
// them; one a block before the stop refers to runs, as Emacs runs it for
// the reference: that run (a run of its own, rerun.go), not the block's
// own, past the stop.
func TestStopAtInlineReferredAfter(t *testing.T) {
	text := "#+begin_src sh :var y=y\necho before\n#+end_src\n\n" +
		"* A heading src_sh{echo 1}\n* B\n" +
		"#+name: x\n#+begin_src sh\necho x\n#+end_src\n\n" +
		"#+name: y\n#+begin_src sh\necho y\n#+end_src\n\n" +
		"#+begin_src sh :var v=x\necho \"got $v\"\n#+end_src\n"
	_, _, byName := planned(t, text)
	for name, runs := range map[string]bool{"x": false, "y": false, "block-1 :var y=y": true} {
		task := byName[name]
		if task == nil {
			t.Fatalf("no task %s", name)
		}
		if got := task.Replaced == ""; got != runs {
			t.Errorf("%s runs: %v, want %v (%q)", name, got, runs, task.Replaced)
		}
	}
}

// TestStopAtInlineCached: a :cache yes inline block in a heading with no
// contents looks for its results (org-babel-current-result-hash) before
// it runs, and stops there: Emacs never runs it, and the document stops.
func TestStopAtInlineCached(t *testing.T) {
	_, p, _ := planned(t, "* H src_sh[:cache yes]{echo ok}\n* Z\n#+begin_src sh\necho 2\n#+end_src\n")
	if p.Stop == "" {
		t.Errorf("no stop")
	}
	for _, task := range p.Tasks {
		if task.Replaced == "" {
			t.Errorf("line %d runs", task.Line)
		}
	}
}

// TestStopInlineReadingRuns: in a document with an Emacs Lisp block an
// inline call's value is read in Emacs; the reading of one before an
// inline call Babel refuses by its :results words (the plan's stop) runs,
// as it writes that call's result, where Emacs may stop first ("Inline
// error: list result cannot be used"), though the reading after it,
// which waits for it, does not (checked against Emacs 28.2 / Org 9.5.5:
// TestAgainstEmacs/stop:_hunt11_inline_list_read).
func TestStopInlineReadingRuns(t *testing.T) {
	text := "#+name: words\n#+begin_src python :results list\nreturn [\"a\"]\n#+end_src\n\n" +
		"#+begin_src emacs-lisp\n1\n#+end_src\n\n" +
		"Two: call_words() and call_words().\n"
	_, p, byName := planned(t, text)
	if p.Stop == "" {
		t.Fatalf("no stop")
	}
	for name, runs := range map[string]bool{"inline-1": true, "inline-1 output read by Emacs": true, "inline-2": false} {
		task := byName[name]
		if task == nil {
			t.Fatalf("no task %q", name)
		}
		if got := task.Replaced == ""; got != runs {
			t.Errorf("%s runs: %v, want %v (%q)", name, got, runs, task.Replaced)
		}
	}
	if !byName["inline-1 output read by Emacs"].InlineResults {
		t.Errorf("the reading of inline-1 does not write its results inline")
	}
}
