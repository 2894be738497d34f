package engine

import (
	"strings"
	"testing"
	"time"
)

// refusedLispVarDoc has block refused, :eval no, whose Lisp :var value
// signals, then after: Emacs evaluates the value reading the refused
// block's information, before it looks at :eval, and stops there
// (stop_own_var_lisp_error_evalno.org).
const refusedLispVarDoc = "#+name: refused\n#+begin_src sh :eval no :var y=(error \"boom\")\necho \"$y\"\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh\necho after\n#+end_src\n\n#+RESULTS: after\n: old after\n"

// TestRefusedLispVarErrorStops: the value of a refused block is a task,
// its failure stops the document at the refused block (line 1): the
// block after it is not run, its results as they were.
func TestRefusedLispVarErrorStops(t *testing.T) {
	const task = "refused :var y=(error \"boom\")"
	e, rb, id, lv, d := lispVarSignalled(t, refusedLispVarDoc, task)
	if !lv.Task.FailureStops || len(lv.Task.RefusedReaders) != 1 || lv.Task.RefusedReaders[0].Line != 1 {
		t.Errorf("the Lisp :var value: FailureStops %v, RefusedReaders %v; want set, the refused block at line 1",
			lv.Task.FailureStops, lv.Task.RefusedReaders)
	}
	wantHeld(t, rb, d, 1, "after", failStopAt+"1, for block "+task+", "+lispVarStopWhy+": boom")
	resultsKept(t, e, id, "#+RESULTS: after\n: old after\n")
}

// refArgsLispVarDoc has block ref, referring to later with an argument
// replacing later's own Lisp :var value, which signals: Emacs evaluates
// it reading later's information before it merges the argument, and
// stops at ref (stop_own_var_lisp_error_refargs.org).
const refArgsLispVarDoc = "#+name: ref\n#+begin_src sh :var z=later(y=1)\necho \"$z\"\n#+end_src\n\n#+RESULTS: ref\n: old ref\n\n" +
	"#+name: later\n#+begin_src sh :var y=(error \"boom\")\necho \"$y\"\n#+end_src\n"

// TestRefArgsLispVarErrorStops: the replaced value is a task the call
// waits for, its failure stops the document at ref (line 1), whose
// results stay as they were.
func TestRefArgsLispVarErrorStops(t *testing.T) {
	const task = "later(y=1) :var y=(error \"boom\")"
	e, _, id, lv, d := lispVarSignalled(t, refArgsLispVarDoc, task)
	if !lv.Task.FailureStops {
		t.Errorf("the replaced Lisp :var value: FailureStops not set")
	}
	if m, _ := blockMessage(d, "ref"); !strings.Contains(m, "for block "+task) {
		t.Errorf("ref: %q, want not run, stopped by %s", m, task)
	}
	resultsKept(t, e, id, "#+RESULTS: ref\n: old ref\n")
}

// lispVarSignalled submits doc, has the Lisp :var value's task named
// task signal "boom" at its first launch, and waits for the document to
// end: the engine, its backend, the document's id, the value's launch
// and the document's view.
func lispVarSignalled(t *testing.T, doc, task string) (*Engine, *reportBackend, string, *Attempt, *DocumentView) {
	t.Helper()
	e, rb, id := submitToReport(t, doc)
	lv := launchOf(t, rb.fakeBackend, task, 1)
	signalled(rb, lv, "boom")
	waitStored(t, e, id, task, Failed)
	return e, rb, id, lv, waitDocumentEnded(t, e, id)
}

// refArgsReplacedRefDoc has block ref, referring to later with an
// argument replacing later's own :var y=bad, a reference to bad, whose
// own Lisp :var value signals: Emacs resolves y=bad, running bad,
// reading later's information before it merges the argument, and stops
// at ref (stop_own_var_ref_replaced_var.org).
const refArgsReplacedRefDoc = "#+name: ref\n#+begin_src sh :var z=later(y=7)\necho \"$z\"\n#+end_src\n\n#+RESULTS: ref\n: old ref\n\n" +
	"#+name: bad\n#+begin_src sh :var q=(error \"boom\")\necho \"$q\"\n#+end_src\n\n" +
	"#+name: later\n#+begin_src sh :var y=bad\necho \"$y\"\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh\necho after\n#+end_src\n\n#+RESULTS: after\n: old after\n"

// TestRefArgsReplacedRefStops: the call later(y=7) waits for the run
// of bad its replaced value makes (a run of its own: bad's Lisp value is
// evaluated in the document's Emacs, plan's rerun); the Lisp error of
// that run's value stops the document at ref (line 1), which does not
// run, its results as they were, and nothing after it runs.
func TestRefArgsReplacedRefStops(t *testing.T) {
	const task = "later :var y=bad :var q=(error \"boom\")"
	e, rb, id, _, d := lispVarSignalled(t, refArgsReplacedRefDoc, task)
	for _, a := range rb.launches() {
		if a.Block != task {
			t.Errorf("block %s launched, want only %s", a.Block, task)
		}
	}
	if m, _ := blockMessage(d, "ref"); !strings.Contains(m, "for block "+task) {
		t.Errorf("ref: %q, want not run, stopped by %s", m, task)
	}
	wantHeld(t, rb, d, 1, "after", failStopAt+"1, for block "+task+", "+lispVarStopWhy+": boom")
	resultsKept(t, e, id, "#+RESULTS: ref\n: old ref\n")
	resultsKept(t, e, id, "#+RESULTS: after\n: old after\n")
}

// TestRefArgsReplacedRefJSStops: later's replaced value names a
// JavaScript block whose value Emacs cannot read: the call later(y=7)
// waits for bad's reading, whose failure stops the document at ref
// (line 1), which does not run, its results as they were
// (stop_own_var_ref_replaced_js.org); so does a plain reference to bad
// (stop_js_empty_referred.org). The value not read is that of the run
// of bad the reference makes (Babel runs bad again there), which the
// stop names: "later :var y=bad" (the call's), "ref :var z=bad".
func TestRefArgsReplacedRefJSStops(t *testing.T) {
	const bad = "#+name: bad\n#+begin_src js\nreturn \"\";\n#+end_src\n\n"
	stopper := map[string]string{"replaced": "later :var y=bad", "plain": "ref :var z=bad"}
	for name, doc := range map[string]string{
		"replaced": "#+name: ref\n#+begin_src sh :var z=later(y=7)\necho \"$z\"\n#+end_src\n\n#+RESULTS: ref\n: old ref\n\n" + bad +
			"#+name: later\n#+begin_src sh :var y=bad\necho \"$y\"\n#+end_src\n",
		"plain": "#+name: ref\n#+begin_src sh :var z=bad\necho \"$z\"\n#+end_src\n\n#+RESULTS: ref\n: old ref\n\n" + bad,
	} {
		t.Run(name, func(t *testing.T) {
			e, rb, id := submitToReport(t, doc)
			d := endBadRuns(t, e, rb, id)
			for _, a := range rb.launches() {
				if a.Block == "ref" || a.Block == "later(y=7)" {
					t.Errorf("block %s launched after the stop", a.Block)
				}
			}
			if m, _ := blockMessage(d, "ref"); !strings.HasPrefix(m, failStopIn+"1, for block "+stopper[name]+",") {
				t.Errorf("ref: %q, want not run, Emacs stopping in it for %s", m, stopper[name])
			}
			resultsKept(t, e, id, "#+RESULTS: ref\n: old ref\n")
		})
	}
}

// endBadRuns ends, until document id has ended, every run of block bad
// rb launched (its own, and those references make: "ref :var z=bad",
// "later :var y=bad"), each with a value Emacs cannot read, and fails
// its reading in Emacs; it returns the ended document's view.
func endBadRuns(t *testing.T, e *Engine, rb *reportBackend, id string) *DocumentView {
	t.Helper()
	done := map[string]bool{}
	for range 4000 {
		if d, _ := e.Document(id); d != nil && d.State != Running && d.State != Queued {
			return waitDocumentEnded(t, e, id)
		}
		for _, a := range rb.launches() {
			switch {
			case done[a.ID]:
			case strings.HasSuffix(a.Block, " output read by Emacs"):
				done[a.ID] = true
				failRan(rb, a)
			case a.Block == "bad" || strings.Contains(a.Block, "=bad"):
				done[a.ID] = true
				finishLaunch(rb.fakeBackend, a, "'  '\n")
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return waitDocumentEnded(t, e, id)
}

// queryLispVarDoc has block asked, :eval query, whose Lisp :var value
// signals, between two Emacs Lisp blocks of the document's Emacs: Emacs
// evaluates the value reading asked's information, before it asks, and
// stops there (eval_query_lisp_var_side.org: what such a value does to
// the buffer stays).
const queryLispVarDoc = "#+name: first\n#+begin_src emacs-lisp\n1\n#+end_src\n\n" +
	"#+name: asked\n#+begin_src sh :eval query :var y=(error \"boom\")\necho \"$y\"\n#+end_src\n\n" +
	"#+name: later\n#+begin_src emacs-lisp\n2\n#+end_src\n\n#+RESULTS: later\n: old later\n"

// TestQueryLispVarRunsBeforeStop: the value of a block :eval query is
// evaluated although the document stops at that block and the Emacs
// Lisp block after it, which its task comes before in the document's
// Emacs, is not run; its error is the stop (Emacs's first).
func TestQueryLispVarRunsBeforeStop(t *testing.T) {
	const task = "asked :var y=(error \"boom\")"
	e, rb, id := submitToReport(t, queryLispVarDoc)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "first", 1), Finished, 0)
	lv := launchOf(t, rb.fakeBackend, task, 1)
	if len(lv.Task.RefusedReaders) != 1 || lv.Task.RefusedReaders[0].Line != 6 {
		t.Errorf("the Lisp :var value: RefusedReaders %v, want the asked block at line 6", lv.Task.RefusedReaders)
	}
	signalled(rb, lv, "boom")
	waitStored(t, e, id, task, Failed)
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "later"); !strings.Contains(m, "boom") {
		t.Errorf("later: %q, want not run, stopped by the value's error", m)
	}
	resultsKept(t, e, id, "#+RESULTS: later\n: old later\n")
}
