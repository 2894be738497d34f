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
