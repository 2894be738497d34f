package engine

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// elispRefusedLiteral is a document where an Emacs Lisp block (editor)
// rewrites the :var x=5 of ref, a block :eval no refuses, into :var
// x=ref, a reference to itself: ref's value as submitted, a literal,
// made no run for a reference, so no task stands at ref's turn.
const elispRefusedLiteral = "#+name: first\n#+begin_src sh\necho first\n#+end_src\n\n" +
	"#+name: editor\n#+begin_src emacs-lisp :results silent\n(save-excursion\n  (goto-char (point-min))\n  (search-forward (concat \":var x\" \"=5\"))\n  (replace-match (concat \":var x\" \"=ref\")))\n#+end_src\n\n" +
	"#+name: ref\n#+begin_src sh :var x=5 :eval no\necho \"got [$x]\"\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh\necho after\n#+end_src\n"

// TestElispRefusedTurnStops: Emacs resolves ref's :var values, as the
// buffer holds them, before it refuses ref, and stops there with
// "Variable binding depth exceeds max-specpdl-size"
// (stop_elisp_ref_self_eval_no_literal.org). The block after ref, the
// first task after its turn, is decided from the buffer and not launched:
// the results document is Emacs's (first's results only), and after says
// the document stopped at ref with that error. Before, after ran and
// wrote its results.
func TestElispRefusedTurnStops(t *testing.T) {
	d := runToRefusedStop(t, elispRefusedLiteral, strings.Replace(elispRefusedLiteral, ":var x=5", ":var x=ref", 1))
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, "block ref") || !strings.Contains(m, plan.DepthExceeded) {
		t.Errorf("after: %q; want it to say the document stopped at ref with %q", m, plan.DepthExceeded)
	}
}

// TestElispRefusedTurnStopsAdded: the Emacs Lisp block that rewrites
// ref's :var x=5 into :var x=ref adds a block at the end of the buffer
// too (stop_elisp_ref_self_eval_no_added.org). Emacs stops at ref and
// never comes to the block added: it is not launched, the results
// document is Emacs's, and the block added says the document stopped at
// ref with Emacs's error. Before, it ran and wrote its results.
func TestElispRefusedTurnStopsAdded(t *testing.T) {
	const added = "\n#+begin_src sh\necho added\n#+end_src\n"
	doc := strings.TrimSuffix(elispRefusedLiteral, "\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
	edited := strings.Replace(doc, ":var x=5", ":var x=ref", 1) + added
	report := addedReport(t, edited, markAt{at: "#+begin_src sh\necho first"}, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh :var", changed: true}, markAt{at: "#+begin_src sh\necho added"})
	d := runToRefusedReport(t, doc, edited, report)
	found := false
	for _, b := range d.Blocks {
		if b.AddedBy == "" {
			continue
		}
		found = true
		m := ""
		for _, in := range b.Instances {
			m += in.Message
		}
		if !strings.Contains(m, "block ref") || !strings.Contains(m, plan.DepthExceeded) {
			t.Errorf("block added %s: %q; want it to say the document stopped at ref with %q", b.Name, m, plan.DepthExceeded)
		}
	}
	if !found {
		t.Errorf("no block added in %+v", d.Blocks)
	}
}

// TestElispRefusedTurnStopsLast: ref, whose :var the Emacs Lisp block
// rewrites into a reference to itself, is the last block
// (stop_elisp_ref_self_eval_no_last.org): no task stands after it to
// fail with Emacs's stop, and the document's notes say it stopped at
// ref with that error, as Emacs does. Before, no stop was said.
func TestElispRefusedTurnStopsLast(t *testing.T) {
	doc := strings.TrimSuffix(elispRefusedLiteral, "\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
	d := runToRefusedStop(t, doc, strings.Replace(doc, ":var x=5", ":var x=ref", 1))
	n := strings.Join(d.Notes, "\n")
	if !strings.Contains(n, "stops this document at block ref") || !strings.Contains(n, plan.DepthExceeded) {
		t.Errorf("notes %q; want them to say the document stopped at ref with %q", d.Notes, plan.DepthExceeded)
	}
}

// TestElispQueryReaderStops: the Emacs Lisp block rewrites the :var x=a
// of ref, a block :eval query asks about, into :var x=ref
// (stop_elisp_ref_self_eval_query.org): Emacs resolves ref's :var
// values before it asks, and stops there with "Variable binding depth
// exceeds max-specpdl-size". The run of a the plan makes for ref's
// reference is not launched, and the document's notes say it stopped at
// ref with that error, not with the question's. Before, a ran for ref
// and the notes gave the question's error; then they said ref was one
// ":eval refuses", as for :eval no.
func TestElispQueryReaderStops(t *testing.T) {
	doc := strings.Replace(elispRefusedLiteral, ":var x=5 :eval no", ":var x=a :eval query", 1) +
		"\n#+name: a\n#+begin_src sh\necho a\n#+end_src\n"
	d := runToRefusedStop(t, doc, strings.Replace(doc, ":var x=a", ":var x=ref", 1))
	n := strings.Join(d.Notes, "\n")
	if !strings.Contains(n, "stops this document at the block at line 14") || !strings.Contains(n, "for block ref") || strings.Contains(n, "End of file during parsing") {
		t.Errorf("notes %q; want them to say the document stopped at ref (line 14), not with the question's error", d.Notes)
	}
	if m, _ := blockMessage(d, "ref :var x=a"); !strings.Contains(m, "block ref") || !strings.Contains(m, plan.DepthExceeded) {
		t.Errorf("the run of a for ref: %q; want it to say the document stopped at ref with %q", m, plan.DepthExceeded)
	}
	// ref is asked about, not refused by :eval no: the note says so.
	if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "which :eval query refuses") || strings.Contains(n, "which :eval refuses") {
		t.Errorf("notes %q; want them to say ref is one :eval query refuses", d.Notes)
	}
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, "which :eval query refuses") || strings.Contains(m, "which :eval refuses") {
		t.Errorf("after: %q; want it to say ref is one :eval query refuses", m)
	}
}
