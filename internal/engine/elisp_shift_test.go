package engine

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// elispShiftEditor deletes the block printing "gone" (the searches are
// split, so that they do not find their own text).
const elispShiftEditor = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(save-excursion\n  (goto-char (point-min))\n" +
	"  (when (re-search-forward (concat \"^echo \" \"gone$\") nil t)\n" +
	"    (let ((beg (progn (re-search-backward \"^#\\\\+begin_src sh$\") (point)))\n" +
	"          (end (progn (re-search-forward \"^#\\\\+end_src\\n\") (point))))\n" +
	"      (delete-region beg end))))\n#+end_src\n\n"

// TestElispShiftedRefRunOnce: an Emacs Lisp block deletes an unnamed
// block standing before an unnamed referrer (:var x=a), which the Lisp
// leaves as it is. The run of a for that reference is named by the
// referrer's place ("block-3 :var x=a"), which the deletion shifts in the
// buffer ("block-2 :var x=a"). Before, the referrer was decided changed
// and given a new run of a beside its submitted one: a ran three times,
// the referrer got x=2. Now a runs twice (once for the reference, once at
// its own turn) and the results document is the one Emacs 28.2 (Org
// 9.5.5) leaves, emacs -Q --batch, org-babel-execute-buffer
// (rerun_elisp_ref_shifted.org alike).
func TestElispShiftedRefRunOnce(t *testing.T) {
	gone := "#+begin_src sh\necho gone\n#+end_src\n\n"
	ref := "#+begin_src sh :var x=a\necho \"r1 x=$x\"\n#+end_src\n\n"
	a := "#+name: a\n#+begin_src sh\necho a >> n.txt; wc -l < n.txt\n#+end_src\n"
	doc := elispShiftEditor + gone + ref + a
	// The buffer the editor leaves: gone's text deleted, the blank line
	// before it and after it left. Its mark collapses where it was.
	buffer := elispShiftEditor + "\n" + ref + a
	report := withDeletedMark(marksReport(t, buffer, "", -1), 1, len(elispShiftEditor))
	e, rb, id := submitToReport(t, doc)
	runs := 0 // of a, as they leave n.txt
	launched := answerLaunches(t, e, rb, id, 0, func(at *Attempt) string {
		switch {
		case at.Block == "editor":
			rb.setReport(at.ID, report)
		case at.Block == "a":
			runs++
			return "2\n" // a's own run, after the reference's, in Emacs
		case strings.HasSuffix(at.Block, ":var x=a") || strings.Contains(at.Block, ":var x=a~"):
			runs++
			return "1\n"
		case strings.Contains(at.Script, "r1 x="):
			if !strings.Contains(at.Script, "x='1'") {
				t.Errorf("the referrer ran with a value other than its run of a's:\n%s", at.Script)
			}
			return "r1 x=1\n"
		case strings.Contains(at.Script, "gone"):
			t.Errorf("the deleted block ran")
		}
		return ""
	})
	checkRunsOfA(t, e, id, launched, runs, 2, elispShiftEditor+"\n"+ref+"#+RESULTS:\n: r1 x=1\n\n"+a+"\n#+RESULTS: a\n: 2\n")
}

// withDeletedMark is report, a report of the document's Emacs buffer
// (marksReport, addedReport), with the mark of a block deleted, at
// point at where its text was, put after its first n marks, its count
// of marks one more.
func withDeletedMark(report string, n, at int) string {
	head, rest, _ := strings.Cut(report, "\n")
	count, tail, _ := strings.Cut(head, " ")
	marks, _ := strconv.Atoi(count)
	var kept strings.Builder
	for range n {
		line, more, _ := strings.Cut(rest, "\n")
		kept.WriteString(line + "\n")
		rest = more
	}
	return fmt.Sprintf("%d %s\n%s%d %d %d %d - x\n", marks+1, tail, kept.String(), at, at, at, at) + rest
}
