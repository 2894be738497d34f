package engine

import (
	"strings"
	"testing"
)

// ownLispVarDoc has block own, whose Lisp :var value signals, then
// after, of the same container and placement: it waits for the
// environment the document's Emacs leaves (the value is evaluated
// there), so it has not started when the value's error is known. A block
// of another placement would not wait, and would run on
// (TestOwnLispVarErrorOtherPlacementRuns).
const ownLispVarDoc = "#+name: own\n#+begin_src sh :var y=(error \"boom\")\necho \"$y\"\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh\necho after\n#+end_src\n\n#+RESULTS: after\n: old after\n"

// ownLispVarTask is the task evaluating own's Lisp :var value.
const ownLispVarTask = "own :var y=(error \"boom\")"

// ownLispVarHeld is after's message, held by the stop at own (line 1).
const ownLispVarHeld = failStopAt + "1, for block " + ownLispVarTask + ", " + lispVarStopWhy + ": boom"

// TestOwnLispVarErrorStops: a Lisp :var value that signals at its own
// block's turn stops org-babel-execute-buffer there (checked with Emacs
// 28.2: stop_own_var_lisp_error.org): the block does not run, the block
// after it that had not started when the error was known is not run,
// saying why, its results as they were, and the notes say where the
// document stopped.
func TestOwnLispVarErrorStops(t *testing.T) {
	e, rb, id, lv, d := lispVarSignalled(t, ownLispVarDoc, ownLispVarTask)
	if !lv.Task.FailureStops {
		t.Errorf("the Lisp :var value: FailureStops not set: its Lisp error stops Emacs")
	}
	wantHeld(t, rb, d, 1, "after", ownLispVarHeld)
	wantNote(t, d, "stops this document at the block at line 1, for block "+ownLispVarTask+", "+lispVarStopWhy+":")
	if m, _ := blockMessage(d, "own"); m != failStopVars+"1, for block "+ownLispVarTask+", "+lispVarStopWhy+": boom" {
		t.Errorf("own: %q, want not run, Emacs stopping in it", m)
	}
	resultsKept(t, e, id, "#+RESULTS: after\n: old after\n")
	doc, err := e.ResultDocument(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(doc, "#+RESULTS") != 1 {
		t.Errorf("results written for a block Emacs never finished:\n%s", doc)
	}
}

// TestOwnLispVarErrorStopLifted: own run again (a restart), its Lisp
// :var value evaluated again and now without error: the stop is lifted,
// and the block it held runs.
func TestOwnLispVarErrorStopLifted(t *testing.T) {
	e, rb, id := stoppedAtOwn(t)
	rerunLifts(t, e, rb, id, ownLispVarTask, "s\"fine\"", "the value evaluated again signals nothing")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "own", 1), Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
}

// TestOwnLispVarErrorOnFailureContinue: under :on-failure continue the
// value's error fails its block, and stops nothing: the block after it
// runs.
func TestOwnLispVarErrorOnFailureContinue(t *testing.T) {
	lv := signalledRunsOn(t, strings.Replace(ownLispVarDoc, "#+begin_src sh :var y", "#+begin_src sh :on-failure continue :var y", 1), ownLispVarTask)
	if lv.Task.FailureStops {
		t.Errorf("FailureStops set under :on-failure continue")
	}
}

// signalledRunsOn submits doc, has task signal "boom" at its first
// launch, runs the block after, and wants the document ended with no
// stop: the error failed task's block only. It returns task's launch.
func signalledRunsOn(t *testing.T, doc, task string) *Attempt {
	t.Helper()
	e, rb, id := submitToReport(t, doc)
	a := launchOf(t, rb.fakeBackend, task, 1)
	signalled(rb, a, "boom")
	waitStored(t, e, id, task, Failed)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	d := waitDocumentEnded(t, e, id)
	if strings.Contains(strings.Join(d.Notes, "\n"), "stops this document") {
		t.Errorf("notes: %q, want no stop", d.Notes)
	}
	return a
}

// TestOwnLispVarErrorStopsAtReferrer: a block before the one whose Lisp
// :var value signals refers to it: Emacs evaluates the value resolving
// that reference and stops there (checked with Emacs 28.2:
// stop_own_var_lisp_error_ref.org): the referring block is not run, its
// results as they were (no failure drawer), and neither are the blocks
// after it.
func TestOwnLispVarErrorStopsAtReferrer(t *testing.T) {
	const task = "ref :var z=later :var y=(car 1)"
	e, rb, id := submitToReport(t, "#+name: ref\n#+begin_src sh :var z=later\necho \"ref $z\"\n#+end_src\n\n#+RESULTS: ref\n: old ref\n\n"+
		"#+name: later\n#+begin_src sh :var y=(car 1)\necho \"$y\"\n#+end_src\n\n"+afterBlock)
	signalled(rb, launchOf(t, rb.fakeBackend, task, 1), "Wrong type argument: listp, 1")
	d := waitDocumentEnded(t, e, id)
	const why = ", for block " + task + ", " + lispVarStopWhy + ": Wrong type argument: listp, 1"
	for name, want := range map[string]string{"ref": failStopVars + "1" + why, "later": failStopAt + "1" + why, "after": failStopAt + "1" + why} {
		if m, _ := blockMessage(d, name); m != want {
			t.Errorf("%s: %q, want %q", name, m, want)
		}
	}
	resultsKept(t, e, id, "#+RESULTS: ref\n: old ref\n")
	if l := rb.launches(); len(l) != 1 {
		t.Errorf("%d attempts, want 1 (the value's)", len(l))
	}
}

// TestOwnLispVarErrorFirstVarStops: a block's first :var refers to a
// block whose Lisp :var value signals, its second is a Lisp value that
// signals too: Emacs resolves them in order and stops with the first
// one's error (checked with Emacs 28.2:
// stop_own_var_lisp_error_order.org): the second is not evaluated.
func TestOwnLispVarErrorFirstVarStops(t *testing.T) {
	const first = "two :var a=other :var z=(error \"First\")"
	e, rb, id := submitToReport(t, "#+name: two\n#+begin_src sh :var a=other :var y=(error \"Second\")\necho \"$a $y\"\n#+end_src\n\n"+
		"#+name: other\n#+begin_src sh :var z=(error \"First\")\necho \"$z\"\n#+end_src\n\n"+afterBlock)
	signalled(rb, launchOf(t, rb.fakeBackend, first, 1), "First")
	waitStored(t, e, id, first, Failed)
	if launchedBlock(rb, "two :var y=(error \"Second\")") {
		t.Error("the second :var value evaluated, after the first stopped the document")
	}
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); !strings.HasSuffix(m, ": First") {
		t.Errorf("after: %q, want held by the first :var's error", m)
	}
}

// signalled has attempt a, a Lisp :var value's in the document's Emacs,
// run and fail with the Lisp error msg (session.ErrSignalled).
func signalled(rb *reportBackend, a *Attempt, msg string) {
	rb.sink(Update{AttemptID: a.ID, State: Running})
	rb.sink(Update{AttemptID: a.ID, State: Failed, Message: "Emacs Lisp error: " + msg})
}

// afterBlock is the block after those a test's Lisp :var value stops.
const afterBlock = "#+name: after\n#+begin_src sh\necho after\n#+end_src\n"

// TestOwnLispVarErrorRestartBlockLifts: restarting the block own itself
// (not its value's task) evaluates its Lisp :var value again, as Emacs
// does at every run of the block: the value, now without error, lifts
// the stop, own runs, and the block it held runs.
func TestOwnLispVarErrorRestartBlockLifts(t *testing.T) {
	e, rb, id := stoppedAtOwn(t)
	if err := e.RestartBlock(t.Context(), id, "own"); err != nil {
		t.Fatal(err)
	}
	again := launchOf(t, rb.fakeBackend, ownLispVarTask, 2)
	rb.setOutput(again.ID, "s\"fine\"")
	finish(rb.fakeBackend, again, Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "own", 1), Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
}

// TestOwnLispVarErrorOtherPlacementRuns: a block after own of another
// placement (:constraints) does not wait for the environment of own's
// Emacs, and starts with the value's task: as for the other stops known
// at a task's end, a block started before the stop is known runs on, its
// view saying so, and its results are not written, as Emacs, stopped at
// own, never runs it: the document is as submitted.
func TestOwnLispVarErrorOtherPlacementRuns(t *testing.T) {
	doc := strings.Replace(ownLispVarDoc, "#+begin_src sh\necho after", "#+begin_src sh :constraints rack==r1\necho after", 1)
	e, rb, id := submitToReport(t, doc)
	after := launchOf(t, rb.fakeBackend, "after", 1) // before the value has ended
	signalled(rb, launchOf(t, rb.fakeBackend, ownLispVarTask, 1), "boom")
	waitStored(t, e, id, ownLispVarTask, Failed)
	rb.setOutput(after.ID, "after\n")
	finish(rb.fakeBackend, after, Finished, 0)
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, ranPastStopPrefix) || !strings.HasSuffix(m, ranPastUnwritten) {
		t.Errorf("after: %q, want run on (started before the stop was known), its results not written", m)
	}
	wantAsEmacs(t, e, id, doc)
}

// TestOwnLispVarErrorNoSessions: where the backend keeps no sessions, the
// Lisp :var value is evaluated in a batch Emacs of its own, whose failure
// says only its exit status, and no block waits for it: the block after
// it starts at once and runs, own fails (its dependency failed), and no
// stop is made, where Emacs stops at own: a limit the README states.
func TestOwnLispVarErrorNoSessions(t *testing.T) {
	rb := noSessionsBackend{newReportBackend()}
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	v, err := e.Submit(t.Context(), ownLispVarDoc)
	if err != nil {
		t.Fatal(err)
	}
	lv := launchOf(t, rb.fakeBackend, ownLispVarTask, 1)
	after := launchOf(t, rb.fakeBackend, "after", 1) // before the value has ended
	rb.sink(Update{AttemptID: lv.ID, State: Running})
	rb.sink(Update{AttemptID: lv.ID, State: Failed, Message: "exit status 255"})
	rb.setOutput(after.ID, "after\n")
	finish(rb.fakeBackend, after, Finished, 0)
	d := waitDocumentEnded(t, e, v.ID)
	if m, _ := blockMessage(d, "own"); m != "dependency "+ownLispVarTask+" failed" {
		t.Errorf("own: %q, want failed by its dependency", m)
	}
	if len(d.Notes) != 0 {
		t.Errorf("notes %q, want no stop", d.Notes)
	}
	resultsKept(t, e, v.ID, "#+RESULTS: after\n: after\n")
}

// stoppedAtOwn submits ownLispVarDoc and has own's Lisp :var value
// signal: the document ends stopped at own, after held.
func stoppedAtOwn(t *testing.T) (*Engine, *reportBackend, string) {
	t.Helper()
	e, rb, id := submitToReport(t, ownLispVarDoc)
	signalled(rb, launchOf(t, rb.fakeBackend, ownLispVarTask, 1), "boom")
	waitStored(t, e, id, ownLispVarTask, Failed)
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); m != ownLispVarHeld {
		t.Fatalf("after, before the restart: %q", m)
	}
	return e, rb, id
}

// TestOwnLispVarErrorWithPostStops: own has a :post: its Lisp :var
// value's error stops Emacs before own runs, its :post never called, so
// nothing is written in own's place (no failure drawer).
func TestOwnLispVarErrorWithPostStops(t *testing.T) {
	doc := strings.Replace(ownLispVarDoc, "#+begin_src sh :var y", "#+begin_src sh :post wrap(x=*this*) :var y", 1) +
		"\n#+name: wrap\n#+begin_src sh :var x=\"none\"\necho \"<$x>\"\n#+end_src\n"
	e, _, id, _, _ := lispVarSignalled(t, doc, ownLispVarTask)
	doc, err := e.ResultDocument(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(doc, "#+RESULTS") != 1 {
		t.Errorf("results written for a block Emacs never finished:\n%s", doc)
	}
}
