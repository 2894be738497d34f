package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
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
	e, id, d := runRefusedLispEnd(t, elispRefusedLiteral, `(error "boom")`, true)
	wantFirstOnly(t, e, id, strings.Replace(elispRefusedLiteral, ":var x=5", `:var x=(error "boom")`, 1))
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, "boom") {
		t.Errorf("after: %q; want it to say the document stopped with boom", m)
	}
	if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "boom") || !strings.Contains(n, "which :eval refuses, evaluating its Lisp :var value") {
		t.Errorf("notes %q; want them to say the document stopped with boom", d.Notes)
	}
}

// runRefusedLispLast runs elispRefusedLast, the editor rewriting ref's
// :var x=5 into :var x=form, the run of form ending as fails says, to
// the document's end, and gives the document.
func runRefusedLispLast(t *testing.T, form string, fails bool) *DocumentView {
	t.Helper()
	_, _, d := runRefusedLispEnd(t, elispRefusedLast, form, fails)
	return d
}

// runRefusedLispEnd is runRefusedLispLast of doc, giving the engine and
// the document's id too; blocks other than first, editor and the run
// of form launched fail the test.
func runRefusedLispEnd(t *testing.T, doc, form string, fails bool) (*Engine, string, *DocumentView) {
	t.Helper()
	e, rb, id := submitToReport(t, doc)
	return e, id, answerRefusedLisp(t, e, rb, id, doc, form, fails)
}

// answerRefusedLisp answers the launches of document id of e, submitted
// as doc, on rb, as runRefusedLispEnd, and gives the document ended.
func answerRefusedLisp(t *testing.T, e *Engine, rb *reportBackend, id, doc, form string, fails bool) *DocumentView {
	t.Helper()
	report := marksReport(t, strings.Replace(doc, ":var x=5", ":var x="+form, 1), "", 2)
	run := "ref :var x=" + form
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
				if fails {
					rb.sink(Update{AttemptID: a.ID, State: Failed, Message: session.ErrSignalled.Error() + ": " + strings.Trim(strings.TrimPrefix(form, "(error "), `")`)})
					continue
				}
			default:
				t.Errorf("block %s launched", a.Block)
			}
			code := 0
			rb.sink(Update{AttemptID: a.ID, State: Finished, ExitCode: &code})
		}
		if !answered {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if want := "first,editor," + run; strings.Join(launched, ",") != want {
		t.Errorf("launches %q; want %s", launched, want)
	}
	return waitDocumentEnded(t, e, id)
}

// TestElispRefusedLispRunStopsLast: as TestElispRefusedLispRunStops with
// ref the last block (stop_elisp_ref_eval_no_lisp_last.org): no task
// stands after ref to wait for the run of its form, which the editor's
// end adds (plan.Edits.EndStop's Runs); its error stops the document at
// ref, as the notes say. Before, the form was never evaluated and the
// document finished.
func TestElispRefusedLispRunStopsLast(t *testing.T) {
	d := runRefusedLispLast(t, `(error "lastboom")`, true)
	if d.State != Failed {
		t.Errorf("document %s; want failed", d.State)
	}
	if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "lastboom") || !strings.Contains(n, "which :eval refuses, evaluating its Lisp :var value") {
		t.Errorf("notes %q; want them to say the document stopped at ref with lastboom", d.Notes)
	}
	// The form and the block named once each, the run not as a block.
	if n := strings.Join(d.Notes, "\n"); strings.Count(n, `(error "lastboom")`) != 1 || strings.Contains(n, "ref :var") || !strings.Contains(n, "for block ref,") {
		t.Errorf("notes %q; want the form and block ref named once each", d.Notes)
	}
}

// TestElispRefusedLispRunLastEndsWell: the form evaluated past the last
// task ends well: Emacs goes past ref, and the document finishes with
// no stop noted.
func TestElispRefusedLispRunLastEndsWell(t *testing.T) {
	d := runRefusedLispLast(t, `(+ 1 2)`, false)
	if d.State != Finished {
		t.Errorf("document %s (notes %q); want finished", d.State, d.Notes)
	}
	if n := strings.Join(d.Notes, "\n"); strings.Contains(n, "stops this document") {
		t.Errorf("notes %q; want no stop", d.Notes)
	}
}

// TestElispRefusedLispRunQuery: ref is a block :eval query, the plan's
// stop, the block after it not run (stop_elisp_ref_eval_query_lisp.org):
// Emacs evaluates ref's rewritten form before it asks, and its error
// wins over the question. The editor's end adds the form's run; its
// error stops the document at ref, as the notes say, where before the
// question's stop stood and the form was never evaluated. A form that
// ends well leaves the question's stop.
func TestElispRefusedLispRunQuery(t *testing.T) {
	doc := strings.Replace(elispRefusedLiteral, ":var x=5 :eval no", ":var x=5 :eval query", 1)
	_, _, d := runRefusedLispEnd(t, doc, `(error "qboom")`, true)
	n := strings.Join(d.Notes, "\n")
	if !strings.Contains(n, "qboom") || !strings.Contains(n, "which :eval query refuses, evaluating its Lisp :var value") || strings.Contains(n, plan.QueryStop) {
		t.Errorf("notes %q; want them to say the document stopped at ref with qboom, not the question", d.Notes)
	}
	_, _, d = runRefusedLispEnd(t, doc, `(+ 1 2)`, false)
	if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, plan.QueryStop) {
		t.Errorf("form ending well: notes %q; want the question's stop", d.Notes)
	}
}

// runLastBoom submits elispRefusedLast to e and answers its launches on
// rb, the editor rewriting ref's :var into (error "lastboom"), whose
// run fails: the document ends failed, stopped at ref.
func runLastBoom(t *testing.T, e *Engine, rb *reportBackend) *DocumentView {
	t.Helper()
	v, err := e.Submit(context.Background(), elispRefusedLast)
	if err != nil {
		t.Fatal(err)
	}
	if d := answerRefusedLisp(t, e, rb, v.ID, elispRefusedLast, `(error "lastboom")`, true); d.State != Failed {
		t.Fatalf("document %s; want failed", d.State)
	}
	return v
}

// TestElispRefusedLispRunLastRestart: the run of ref's form past the
// last task, added at the editor's end and failed, is added again when
// the server restarts, from the editor's report stored, and given its
// stored state: not launched again, the document still stopped at ref.
func TestElispRefusedLispRunLastRestart(t *testing.T) {
	rb := newReportBackend()
	dir := t.TempDir()
	e, stop := startEngine(t, dir, rb, Config{})
	v := runLastBoom(t, e, rb)
	stop()
	rb2 := newReportBackend()
	rb2.reports, rb2.outputs = rb.reports, rb.outputs
	e2, _ := startEngine(t, dir, rb2, Config{})
	d := waitDocumentEnded(t, e2, v.ID)
	if n := strings.Join(d.Notes, "\n"); d.State != Failed || !strings.Contains(n, "lastboom") {
		t.Errorf("after the restart, document %s, notes %q; want it stopped at ref with lastboom", d.State, d.Notes)
	}
	if l := rb2.launches(); len(l) > 0 {
		t.Errorf("after the restart, launched %v; want nothing", l)
	}
}

// TestElispRefusedLispRunLastRunAgain: the editor run again leaving ref
// as submitted, the run of the form its first run wrote there is not
// run again, and the document no longer stops at ref.
func TestElispRefusedLispRunLastRunAgain(t *testing.T) {
	e, rb, id := submitToReport(t, elispRefusedLast)
	answerRefusedLisp(t, e, rb, id, elispRefusedLast, `(error "lastboom")`, true)
	n0 := len(rb.launches())
	if err := e.RestartBlock(context.Background(), id, "editor"); err != nil {
		t.Fatal(err)
	}
	report := marksReport(t, elispRefusedLast, "", 2)
	var again []string
	answerLaunches(t, e, rb, id, n0, func(at *Attempt) string {
		again = append(again, at.Block)
		if at.Block == "editor" {
			rb.setReport(at.ID, report)
		}
		return ""
	})
	d := waitDocumentEnded(t, e, id)
	if n := strings.Join(d.Notes, "\n"); d.State != Finished || strings.Contains(n, "lastboom") || slices.ContainsFunc(again, func(b string) bool { return strings.HasPrefix(b, "ref ") }) {
		t.Errorf("run again: launched %v, document %s, notes %q; want it finished, no run of the form, no stop", again, d.State, d.Notes)
	}
}

// TestElispRefusedLispRunLastRunAgainRestart: the editor run again
// leaving ref as submitted, the server restarts with the same store:
// the document's state, notes and results document are as before the
// restart, and nothing is launched again.
func TestElispRefusedLispRunLastRunAgainRestart(t *testing.T) {
	rb := newReportBackend()
	dir := t.TempDir()
	e, stop := startEngine(t, dir, rb, Config{})
	v := runLastBoom(t, e, rb)
	n0 := len(rb.launches())
	if err := e.RestartBlock(context.Background(), v.ID, "editor"); err != nil {
		t.Fatal(err)
	}
	report := marksReport(t, elispRefusedLast, "", 2)
	answerLaunches(t, e, rb, v.ID, n0, func(at *Attempt) string {
		if at.Block == "editor" {
			rb.setReport(at.ID, report)
		}
		return ""
	})
	d1 := waitDocumentEnded(t, e, v.ID)
	r1, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	rb2 := newReportBackend()
	rb2.reports, rb2.outputs = rb.reports, rb.outputs
	e2, _ := startEngine(t, dir, rb2, Config{})
	d := waitDocumentEnded(t, e2, v.ID)
	r2, err := e2.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d1.State != Finished || d.State != d1.State || !slices.Equal(d.Notes, d1.Notes) {
		t.Errorf("before the restart %s %q, after %s %q; want both finished, the same notes", d1.State, d1.Notes, d.State, d.Notes)
	}
	if r2 != r1 {
		t.Errorf("results document after the restart %q; want %q", r2, r1)
	}
	if l := rb2.launches(); len(l) > 0 {
		t.Errorf("after the restart, launched %v; want nothing", l)
	}
}
