package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/session"
)

// TestElispRefusedLispRunStops: the Emacs Lisp block rewrites the :var
// x=5 of ref, a block :eval no refuses, into :var x=(error "boom")
// (stop_elisp_ref_eval_no_lisp.org). Emacs evaluates the form at ref's
// turn, before it refuses ref, and stops there with boom. The engine
// runs the form in the document's Emacs there (plan.Decision.Runs);
// its error stops the document: the block after ref is not launched,
// says the document stopped at ref, and the results document is
// Emacs's. Before, after failed saying Borges did not know whether
// Emacs stops at ref, and the form was never evaluated.
func TestElispRefusedLispRunStops(t *testing.T) {
	doc := elispRefusedLiteral
	edited := strings.Replace(doc, ":var x=5", `:var x=(error "boom")`, 1)
	report := marksReport(t, edited, "", 2)
	e, rb, id := submitToReport(t, doc)
	const run = `ref :var x=(error "boom")`
	done := map[string]bool{}
	var launched []string
	// Bounded: polls for at most a minute.
	for polls := 0; ; polls++ {
		if polls >= 12000 {
			t.Fatalf("launches %v and the document not ended", launched)
		}
		if d, _ := e.Document(id); d != nil && d.State != Running && d.State != Queued {
			break
		}
		answered := false
		for _, a := range rb.launches() {
			if done[a.ID] {
				continue
			}
			done[a.ID], answered = true, true
			launched = append(launched, a.Block)
			rb.sink(Update{AttemptID: a.ID, State: Running})
			switch a.Block {
			case "editor":
				rb.setReport(a.ID, report)
			case "first":
				rb.setOutput(a.ID, "first\n")
			case run:
				rb.sink(Update{AttemptID: a.ID, State: Failed, Message: session.ErrSignalled.Error() + ": boom"})
				continue
			default:
				t.Errorf("block %s launched past the stop at ref", a.Block)
			}
			code := 0
			rb.sink(Update{AttemptID: a.ID, State: Finished, ExitCode: &code})
		}
		if !answered {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if strings.Join(launched, ",") != "first,editor,"+run {
		t.Errorf("launches %q; want first, editor and the run of ref's form", launched)
	}
	wantFirstOnly(t, e, id, edited)
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, "boom") {
		t.Errorf("after: %q; want it to say the document stopped with boom", m)
	}
	if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "boom") || !strings.Contains(n, "which :eval refuses, evaluating its Lisp :var value") {
		t.Errorf("notes %q; want them to say the document stopped with boom", d.Notes)
	}
}
