package engine

import (
	"strings"
	"testing"
)

// elispMovedEditor cuts the first block referring to a (printing "r1")
// and inserts it after the second (printing "r2"), a blank line before
// it (rerun_elisp_ref_moved.org's Emacs Lisp block).
const elispMovedEditor = "#+begin_src emacs-lisp :results silent\n(save-excursion\n  (goto-char (point-min))\n" +
	"  (when (re-search-forward \"^echo \\\"r1\" nil t)\n" +
	"    (let* ((beg (progn (re-search-backward \"^#\\\\+begin_src sh\") (point)))\n" +
	"           (end (progn (re-search-forward \"^#\\\\+end_src\\n\") (point)))\n" +
	"           (txt (buffer-substring beg end)))\n" +
	"      (delete-region beg end)\n" +
	"      (re-search-forward \"^echo \\\"r2\")\n" +
	"      (re-search-forward \"^#\\\\+end_src\\n\")\n" +
	"      (insert \"\\n\" txt))))\n#+end_src\n\n"

// TestElispMovedRefRunsInBufferOrder: an Emacs Lisp block moves an
// unnamed referrer r1 (:var x=a) after another, r2, referring to the
// same block a, which appends a line to a file and prints how many it
// holds (the buffer's report: r1 deleted, and added again after r2).
// Emacs runs a for r2 first (1), for r1 next (2), at its own turn last
// (3). The run of a the added r1 makes waits for the run r2, kept,
// makes: it is not launched before that run has finished. a runs three
// times, and the results document is, byte for byte, the one Emacs 28.2
// (Org 9.5.5) leaves, emacs -Q --batch, org-babel-execute-buffer, of the
// same document (rerun_elisp_ref_moved.org, recorded). Before the
// added run waited (keptRunsBefore in the plan), it was launched beside
// r2's, a's side effects in another order than Emacs's.
func TestElispMovedRefRunsInBufferOrder(t *testing.T) {
	intro := "An Emacs Lisp block moves the first of two blocks referring to a after\nthe second: the moved one runs second, its run of a too; a counts its\nruns.\n\n"
	r1 := "#+begin_src sh :var x=a\necho \"r1 x=$x\"\n#+end_src\n"
	r2 := "#+begin_src sh :var x=a\necho \"r2 x=$x\"\n#+end_src\n"
	a := "#+name: a\n#+begin_src sh\necho a >> moved.txt; wc -l < moved.txt\n#+end_src\n"
	cat := "#+begin_src sh\ncat moved.txt; rm -f moved.txt\n#+end_src\n"
	doc := intro + elispMovedEditor + r1 + "\n" + r2 + "\n" + a + "\n" + cat
	// The buffer the editor leaves: r1's text cut (the blank line
	// before it left), inserted after r2's with a blank line.
	buffer := intro + elispMovedEditor + "\n" + r2 + "\n" + r1 + "\n" + a + "\n" + cat
	// r1's mark, where its text was, second: the document's blocks'
	// marks in their order, then the added block's.
	report := withDeletedMark(addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh :var x=a\necho \"r2"},
		markAt{at: "#+begin_src sh\necho a >>"}, markAt{at: "#+begin_src sh\ncat"}, markAt{at: "#+begin_src sh :var x=a\necho \"r1"}), 1, len(intro+elispMovedEditor))
	e, rb, id := submitToReport(t, doc)
	// r2 is the document's third block; r1, added, the buffer's
	// first block added. Answered by the run, not the launch order
	// (a's own run need not wait for the others), in Emacs's order.
	isRunOfA := func(at *Attempt) bool { return strings.Contains(at.Block, ":var x=a") }
	r2Run := func(at *Attempt) bool { return isRunOfA(at) && strings.HasPrefix(at.Block, "block-3 ") }
	r1Run := func(at *Attempt) bool { return isRunOfA(at) && strings.HasPrefix(at.Block, "added-1 ") }
	runs, r2Done := 0, false // runs of a (moved.txt's lines); r2's run of a answered
	launched := answerLaunches(t, e, rb, id, 0, func(at *Attempt) string {
		switch {
		case strings.Contains(at.Script, "save-excursion"):
			rb.setReport(at.ID, report)
		case at.Block == "a":
			runs++
			return "3\n"
		case r2Run(at):
			runs++
			// r1's run of a waits for this one: not launched
			// before it has finished.
			for _, l := range rb.launches() {
				if r1Run(l) {
					t.Errorf("%s launched before %s, which Emacs makes first, finished", l.Block, at.Block)
				}
			}
			r2Done = true
			return "1\n"
		case r1Run(at):
			runs++
			if !r2Done {
				t.Errorf("%s answered before r2's run of a", at.Block)
			}
			return "2\n"
		case isRunOfA(at):
			t.Errorf("a run of a for no referrer of the buffer: %s", at.Block)
		case strings.Contains(at.Script, "r1 x="):
			if !strings.Contains(at.Script, "x='2'") {
				t.Errorf("r1 ran with a value other than a's second run's:\n%s", at.Script)
			}
			return "r1 x=2\n"
		case strings.Contains(at.Script, "r2 x="):
			if !strings.Contains(at.Script, "x='1'") {
				t.Errorf("r2 ran with a value other than a's first run's:\n%s", at.Script)
			}
			return "r2 x=1\n"
		case strings.Contains(at.Script, "cat moved.txt"):
			return "a\na\na\n"
		}
		return ""
	})
	want := intro + elispMovedEditor + "\n" +
		r2 + "\n#+RESULTS:\n: r2 x=1\n\n" + r1 + "\n#+RESULTS:\n: r1 x=2\n\n" + a + "\n#+RESULTS: a\n: 3\n\n" + cat + "\n#+RESULTS:\n| a |\n| a |\n| a |\n"
	checkRunsOfA(t, e, id, launched, runs, 3, want)
}
