package engine

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// elispRefusedLast is elispRefusedLiteral with ref the last block:
// the stop at ref stands after every task, and the document's notes
// say it (TestElispRefusedTurnStopsLast).
var elispRefusedLast = strings.TrimSuffix(elispRefusedLiteral, "\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n")

// runToEndStop runs elispRefusedLast on an engine of dir and rb, the
// editor reporting the buffer with ref's :var rewritten into a
// reference to ref itself, to its end: the document's notes say it
// stopped at ref. It gives the document's id.
func runToEndStop(t *testing.T, e *Engine, rb *reportBackend) string {
	t.Helper()
	id := runSelfRefToEnd(t, e, rb, elispRefusedLast)
	if d := waitDocumentEnded(t, e, id); !endStopNoted(d) {
		t.Fatalf("notes %q; want the stop at ref", d.Notes)
	}
	return id
}

// runSelfRefToEnd submits doc to e and answers its launches on rb, the
// editor reporting the buffer with ref's :var x=5 rewritten into a
// reference to ref itself, and gives the document's id.
func runSelfRefToEnd(t *testing.T, e *Engine, rb *reportBackend, doc string) string {
	t.Helper()
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	report := marksReport(t, strings.Replace(doc, ":var x=5", ":var x=ref", 1), "", 2)
	answerLaunches(t, e, rb, v.ID, 0, func(at *Attempt) string {
		switch at.Block {
		case "editor":
			rb.setReport(at.ID, report)
		case "first":
			return "first\n"
		}
		return ""
	})
	return v.ID
}

// endStopNoted reports whether d's notes say the document stops at ref
// with the binding-depth error.
func endStopNoted(d *DocumentView) bool {
	n := strings.Join(d.Notes, "\n")
	return strings.Contains(n, "stops this document at block ref") && strings.Contains(n, plan.DepthExceeded)
}

// TestElispRefusedEndStopRestart: the stop at ref after every task,
// worked out from the editor's report, is worked out again when the
// server restarts, from the report stored: the notes still say it.
func TestElispRefusedEndStopRestart(t *testing.T) {
	rb := newReportBackend()
	dir := t.TempDir()
	e, stop := startEngine(t, dir, rb, Config{})
	id := runToEndStop(t, e, rb)
	stop()
	rb2 := newReportBackend()
	rb2.reports, rb2.outputs = rb.reports, rb.outputs
	e2, _ := startEngine(t, dir, rb2, Config{})
	if d := waitDocumentEnded(t, e2, id); !endStopNoted(d) {
		t.Errorf("after the restart, notes %q; want the stop at ref", d.Notes)
	}
}

// TestElispRefusedEndStopRunAgain: the editor restarted, the stop at
// ref is no longer said while it runs again (the buffer it will leave
// is not known yet), and stays unsaid where it leaves the buffer as
// submitted; run again rewriting ref's :var as before, it is said
// again. Before, the notes said the document stopped at ref while it
// ran again.
func TestElispRefusedEndStopRunAgain(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	id := runToEndStop(t, e, rb)
	for i, report := range []string{
		marksReport(t, elispRefusedLast, "", 2),
		marksReport(t, strings.Replace(elispRefusedLast, ":var x=5", ":var x=ref", 1), "", 2),
	} {
		n0 := len(rb.launches())
		if err := e.RestartBlock(context.Background(), id, "editor"); err != nil {
			t.Fatal(err)
		}
		if d, _ := e.Document(id); endStopNoted(d) {
			t.Errorf("run %d: while the editor runs again, notes %q; want no stop at ref", i, d.Notes)
		}
		answerLaunches(t, e, rb, id, n0, func(at *Attempt) string {
			if at.Block == "editor" {
				rb.setReport(at.ID, report)
			}
			return ""
		})
		d := waitDocumentEnded(t, e, id)
		if want := i == 1; endStopNoted(d) != want {
			t.Errorf("run %d: after the editor ran again, notes %q; want the stop at ref said: %v", i, d.Notes, want)
		}
	}
}

// TestElispRefusedEndStopQuery: ref is a block :eval query, the plan's
// stop (the question), its literal :var rewritten into a reference to
// ref itself (stop_elisp_ref_self_eval_query_literal.org): Emacs
// resolves it before it asks and stops with the binding-depth error.
// The notes say that stop, not the question's. Before, the question's
// stop stood.
func TestElispRefusedEndStopQuery(t *testing.T) {
	doc := strings.Replace(elispRefusedLiteral, ":var x=5 :eval no", ":var x=5 :eval query", 1)
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	d := waitDocumentEnded(t, e, runSelfRefToEnd(t, e, rb, doc))
	if n := strings.Join(d.Notes, "\n"); !endStopNoted(d) || strings.Contains(n, plan.QueryStop) {
		t.Errorf("notes %q; want the stop at ref with the binding-depth error alone", d.Notes)
	}
}

// TestElispRefusedEndUnreadQuery: a block :eval query, the plan's stop,
// stands after ref, whose :var the editor rewrote into a form Borges
// does not run (shell-command): whether Emacs stops at ref is not
// known, and where the form ends well Emacs still stops at the
// question, so the notes keep the question's stop beside the note
// that ref's stop is not known. Before, the question's note was
// dropped and the document said nothing of the question.
func TestElispRefusedEndUnreadQuery(t *testing.T) {
	doc := elispRefusedLast + "\n#+name: q\n#+begin_src sh :eval query\necho q\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	report := marksReport(t, strings.Replace(doc, ":var x=5", `:var x=(shell-command "true")`, 1), "", 2)
	answerLaunches(t, e, rb, id, 0, func(at *Attempt) string {
		if at.Block == "editor" {
			rb.setReport(at.ID, report)
		}
		return ""
	})
	d := waitDocumentEnded(t, e, id)
	n := strings.Join(d.Notes, "\n")
	if !strings.Contains(n, "stops this document at block ref") || !strings.Contains(n, "is not known") || !strings.Contains(n, plan.QueryStop) {
		t.Errorf("notes %q; want ref's stop not known and the question's stop", d.Notes)
	}
}

// TestElispRefusedLispRunBeforeQuery: ref, rewritten into a form that
// signals, stands before a block :eval query, the plan's stop, with a
// block past the question (stop_elisp_ref_eval_no_lisp_query_after.org):
// the block past the stop is never run, so ref is still the last block
// Emacs reaches with anything to run. The form's run is added past the
// last task, and its error stops the document at ref, not the
// question. Before, the block past the question kept EndStop from
// placing ref after every task, and the question's stop stood.
func TestElispRefusedLispRunBeforeQuery(t *testing.T) {
	doc := elispRefusedLast + "\n#+name: q\n#+begin_src sh :eval query\necho q\n#+end_src\n\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n"
	_, _, d := runRefusedLispEnd(t, doc, `(error "beforeq")`, true)
	n := strings.Join(d.Notes, "\n")
	if d.State != Failed || !strings.Contains(n, "beforeq") || strings.Contains(n, plan.QueryStop) {
		t.Errorf("document %s, notes %q; want it stopped at ref with beforeq, not the question", d.State, d.Notes)
	}
}

// TestElispRefusedEndUnreadResults: ref, the last block, its :var
// rewritten into a form with side effects on the buffer (Emacs
// evaluates it before :eval refuses ref: rev last side effect), which
// Borges does not run: no task after ref fails for it, so the results
// document is refused, naming ref's line and the :var, not written as
// if the form did nothing. Before, it was written without what the
// form inserted.
func TestElispRefusedEndUnreadResults(t *testing.T) {
	form := `(progn (goto-char (point-max)) (insert "INSERTED") 1)`
	e, rb, id := submitToReport(t, elispRefusedLast)
	report := marksReport(t, strings.Replace(elispRefusedLast, ":var x=5", ":var x="+form, 1), "", 2)
	answerLaunches(t, e, rb, id, 0, func(at *Attempt) string {
		if at.Block == "editor" {
			rb.setReport(at.ID, report)
		}
		return ""
	})
	waitDocumentEnded(t, e, id)
	text, err := e.ResultDocument(context.Background(), id)
	if err == nil || !errors.Is(err, ErrEndUnknown) || !strings.Contains(err.Error(), "line 14") || !strings.Contains(err.Error(), ":var x="+form) {
		t.Errorf("results document %q, error %v; want it refused naming line 14 and the :var", text, err)
	}
}
