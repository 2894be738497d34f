package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// elispRefusedSelf is a document where an Emacs Lisp block (editor)
// rewrites the :var x=a of ref, a block :eval no refuses, into :var
// x=ref, a reference to itself; a block stands between ref and a.
const elispRefusedSelf = "#+name: first\n#+begin_src sh\necho first\n#+end_src\n\n" +
	"#+name: editor\n#+begin_src emacs-lisp :results silent\n" + elispRewritesRefSelf + "#+end_src\n\n" +
	"#+name: ref\n#+begin_src sh :var x=a :eval no\necho \"got [$x]\"\n#+end_src\n\n" +
	"#+name: between\n#+begin_src sh\necho between\n#+end_src\n\n" +
	"#+name: a\n#+begin_src sh\necho from-a\n#+end_src\n"

const elispRewritesRefSelf = "(save-excursion\n  (goto-char (point-min))\n  (search-forward (concat \":var x\" \"=a\"))\n  (replace-match (concat \":var x\" \"=ref\")))\n"

// TestElispRefusedSelfRefStops: org-babel-get-src-block-info resolves
// ref's :var values before org-babel-check-evaluate refuses it, so Emacs
// runs ref again at its reference to itself, and again, and stops at ref
// with "Variable binding depth exceeds max-specpdl-size"
// (stop_elisp_ref_self_eval_no_between.org). The run of a the submitted
// plan made for ref's reference as submitted is not launched, nor are
// between and a: the results document is Emacs's (first's results only),
// and between says the document stopped at ref, at its line, for ref's
// :var values resolved before :eval refuses it; ref's own view says the
// document stopped there. Before, a ran for the reference, and between
// and a ran and wrote their results.
func TestElispRefusedSelfRefStops(t *testing.T) {
	d := runToRefusedStop(t, elispRefusedSelf, strings.Replace(elispRefusedSelf, ":var x=a", ":var x=ref", 1))
	if m, _ := blockMessage(d, "between"); !strings.Contains(m, "at the block at line 14, for block ref,") || !strings.Contains(m, plan.DepthExceeded) {
		t.Errorf("between: %q; want it held by the stop at ref (line 14) with %q", m, plan.DepthExceeded)
	} else if !strings.Contains(m, refusedStopWhy) || strings.Contains(m, refStopWhy) {
		t.Errorf("between: %q; want the reason %q (ref's :var values resolved before :eval refuses it), not %q", m, refusedStopWhy, refStopWhy)
	}
	// ref itself, which no task runs, says the document stopped there.
	reason := ""
	for _, b := range d.Blocks {
		if b.Name == "ref" && b.AddedBy == "" {
			reason = b.Reason
		}
	}
	if !strings.Contains(reason, "org-babel-execute-buffer stopped at it") || !strings.Contains(reason, plan.DepthExceeded) {
		t.Errorf("ref: reason %q; want it to say the document stopped there with %q", reason, plan.DepthExceeded)
	}
}

// runToRefusedStop runs doc, whose first block prints "first" and whose
// Emacs Lisp block (editor) leaves the Org buffer as edited, where
// Emacs stops at a block :eval refuses after them: it fails the test
// unless first and editor alone are launched and the results document
// is Emacs's (edited, first's results written), and returns the
// document's view once it ended.
func runToRefusedStop(t *testing.T, doc, edited string) *DocumentView {
	t.Helper()
	return runToRefusedReport(t, doc, edited, marksReport(t, edited, "", 2))
}

// runToRefusedReport is runToRefusedStop with editor's report of the
// buffer (edited) given: report.
func runToRefusedReport(t *testing.T, doc, edited, report string) *DocumentView {
	t.Helper()
	e, rb, id := submitToReport(t, doc)
	launched := answerLaunches(t, e, rb, id, 0, func(at *Attempt) string {
		switch at.Block {
		case "editor":
			rb.setReport(at.ID, report)
		case "first":
			return "first\n"
		default:
			t.Errorf("block %s launched past the stop at ref", at.Block)
		}
		return ""
	})
	if len(launched) != 2 {
		t.Errorf("launches %v; want first and editor alone", launched)
	}
	wantFirstOnly(t, e, id, edited)
	return waitDocumentEnded(t, e, id)
}

// wantFirstOnly checks that the results document of document id is
// Emacs's: edited, the Org buffer as the Emacs Lisp block left it, with
// the results of first alone.
func wantFirstOnly(t *testing.T, e *Engine, id, edited string) {
	t.Helper()
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(edited, "echo first\n#+end_src\n", "echo first\n#+end_src\n\n#+RESULTS: first\n: first\n", 1)
	if got != want {
		t.Errorf("results document:\n%s\nwant Emacs's:\n%s", got, want)
	}
}
