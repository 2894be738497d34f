package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/session"
)

// varSignalled ends attempt a of an Emacs Lisp block as the document's
// Emacs does where one of the block's own Lisp :var values signalled
// msg in its program (session.ErrLispVarSignalled), told apart from its
// body's error (signalled).
func varSignalled(rb *reportBackend, a *Attempt, msg string) {
	rb.sink(Update{AttemptID: a.ID, State: Running})
	rb.sink(Update{AttemptID: a.ID, State: Failed, Message: session.ErrLispVarSignalled.Error() + ": " + msg})
}

// ownElispVarDoc has own, an Emacs Lisp block whose own Lisp :var value
// signals, its results old, then after, an Emacs Lisp block with results
// of its own: it runs after own in the document's Emacs, so it has not
// started when own's error is known.
const ownElispVarDoc = "#+name: own\n#+begin_src emacs-lisp :var y=(error \"boom\")\ny\n#+end_src\n\n#+RESULTS: own\n: old own\n\n" +
	"#+name: after\n#+begin_src emacs-lisp\n'after\n#+end_src\n\n#+RESULTS: after\n: old after\n"

// TestOwnElispLispVarErrorStops: an Emacs Lisp block's own Lisp :var
// value, evaluated in the block's program, signals (marked so, apart
// from its body's error): Emacs evaluates it in
// org-babel-get-src-block-info and stops there (checked with Emacs 28.2:
// stop_own_var_lisp_error_elisp.org): the block's results stay as they
// were (no failure drawer), and the block after it is not run, saying
// why.
func TestOwnElispLispVarErrorStops(t *testing.T) {
	// The block's own message says where Emacs stopped, as for a Lisp
	// :var value of a block in another language, without the mark.
	own := ownElispStops(t, ownElispVarDoc, varSignalled, lispVarStopWhy, failStopVars+"1, for block own, "+lispVarStopWhy+": boom")
	if !own.Task.LispVarsStop {
		t.Errorf("own: LispVarsStop not set: its Lisp :var value's error stops Emacs")
	}
}

// ownElispStops submits doc, ends the first attempt of own (line 1) with
// end and the error boom, and wants the document stopped at own for
// why: after not run, saying so, the notes saying where, own's message
// ownMsg, and the results of both as they were. It returns own's launch.
func ownElispStops(t *testing.T, doc string, end func(*reportBackend, *Attempt, string), why, ownMsg string) *Attempt {
	t.Helper()
	e, rb, id := submitToReport(t, doc)
	own := launchOf(t, rb.fakeBackend, "own", 1)
	end(rb, own, "boom")
	waitStored(t, e, id, "own", Failed)
	d := waitDocumentEnded(t, e, id)
	wantHeld(t, rb, d, 1, "after", failStopAt+"1, for block own, "+why+": boom")
	wantNote(t, d, "stops this document at the block at line 1, for block own, "+why+":")
	if m, _ := blockMessage(d, "own"); m != ownMsg {
		t.Errorf("own's message = %q, want %q", m, ownMsg)
	}
	resultsKept(t, e, id, "#+RESULTS: own\n: old own\n")
	resultsKept(t, e, id, "#+RESULTS: after\n: old after\n")
	return own
}

// TestOwnInlineElispLispVarErrorMessage: an inline Emacs Lisp block
// whose own Lisp :var value signals stops the document there; its own
// message says so, as a held block's does, without the program's mark.
func TestOwnInlineElispLispVarErrorMessage(t *testing.T) {
	doc := "Inline: src_emacs-lisp[:var y=(car 1)]{y} done.\n\n" + afterBlock + "\n#+RESULTS: after\n: old after\n"
	e, rb, id := submitToReport(t, doc)
	varSignalled(rb, launchOf(t, rb.fakeBackend, "inline-1", 1), "Wrong type argument: listp, 1")
	d := waitDocumentEnded(t, e, id)
	why := "1, for block inline-1, " + lispVarStopWhy + ": Wrong type argument: listp, 1"
	if m, _ := blockMessage(d, "inline-1"); m != failStopVars+why {
		t.Errorf("inline-1's message = %q", m)
	}
	wantHeld(t, rb, d, 1, "after", failStopAt+why)
	resultsKept(t, e, id, "#+RESULTS: after\n: old after\n")
}

// ownElispBodyDoc has own, an Emacs Lisp block whose body signals, its
// results old, then after, a block in another language, with results of
// its own.
var ownElispBodyDoc = strings.Replace(strings.Replace(ownElispVarDoc, " :var y=(error \"boom\")\ny", "\n(error \"boom\")", 1),
	"#+begin_src emacs-lisp\n'after", "#+begin_src sh\necho after", 1)

// TestOwnElispBodyErrorMimickingVarError: the body's error whose message
// has the words of a Lisp :var value's error (the document's Emacs
// replies to it as to any body's error: session.ErrSignalled alone) is
// the body's: it stops the document as a body's error does
// (TestOwnElispBodyErrorStops), not as a Lisp :var value's.
func TestOwnElispBodyErrorMimickingVarError(t *testing.T) {
	for _, msg := range []string{"#<borges-lisp-var-error>x", session.ErrLispVarSignalled.Error() + ": x"} {
		e, rb, id := submitToReport(t, ownElispBodyDoc)
		signalled(rb, launchOf(t, rb.fakeBackend, "own", 1), msg)
		waitStored(t, e, id, "own", Failed)
		d := waitDocumentEnded(t, e, id)
		wantHeld(t, rb, d, 1, "after", failStopAt+"1, for block own, "+elispRefStopWhy+": "+msg)
		if m, _ := blockMessage(d, "own"); m != failStopBody+"1: "+msg {
			t.Errorf("%q: own's message = %q", msg, m)
		}
	}
}

// TestOwnElispBodyErrorStops: an Emacs Lisp block's body signals at its
// own turn; Emacs stops org-babel-execute-buffer there (checked with
// Emacs 28.2: stop_elisp_body_error.org): the block's results stay as
// they were, and the block after it, in another language, is not run,
// saying why; the block's own message says where Emacs stopped.
func TestOwnElispBodyErrorStops(t *testing.T) {
	own := ownElispStops(t, ownElispBodyDoc, signalled, elispRefStopWhy, failStopBody+"1: boom")
	if !own.Task.BodyErrorStops {
		t.Errorf("own: BodyErrorStops not set: its body's error stops Emacs")
	}
}

// TestOwnElispBodyErrorOnFailureContinue: under :on-failure continue the
// body's error fails its block only: the block after it runs.
func TestOwnElispBodyErrorOnFailureContinue(t *testing.T) {
	a := signalledRunsOn(t, strings.Replace(ownElispBodyDoc, "#+begin_src emacs-lisp", "#+begin_src emacs-lisp :on-failure continue", 1), "own")
	if a.Task.BodyErrorStops {
		t.Errorf("BodyErrorStops set under :on-failure continue")
	}
}

// TestRefArgsReplacedElispRefStops: the call later(y=7) waits for the
// run of bad, an Emacs Lisp block, that its replaced value y=bad makes
// (a run of its own in the document's Emacs); bad's error there stops
// the document at ref (line 1), as Emacs stops resolving the reference
// (stop_own_var_ref_replaced.org): ref does not run, its results as they
// were, and nothing after it runs.
func TestRefArgsReplacedElispRefStops(t *testing.T) {
	const task = "later :var y=bad"
	doc := "#+name: ref\n#+begin_src sh :var z=later(y=7)\necho \"$z\"\n#+end_src\n\n#+RESULTS: ref\n: old ref\n\n" +
		"#+name: bad\n#+begin_src emacs-lisp\n(error \"boom\")\n#+end_src\n\n" +
		"#+name: later\n#+begin_src sh :var y=bad\necho \"$y\"\n#+end_src\n\n" +
		afterBlock + "\n#+RESULTS: after\n: old after\n"
	e, rb, id := submitToReport(t, doc)
	signalled(rb, launchOf(t, rb.fakeBackend, task, 1), "boom")
	// bad's run for later's own reference, after it in the document's
	// Emacs, is made at later's turn, past the stop: Emacs never makes
	// it, and the stop holds it as it holds later (refRunHolds).
	d := waitDocumentEnded(t, e, id)
	for _, a := range rb.launches() {
		if a.Block != task {
			t.Errorf("block %s launched, want only bad's run for ref's call", a.Block)
		}
	}
	// The stopper named as the block the reference runs, as written.
	why := ", for block bad, " + elispRefStopWhy + ": boom"
	if m, _ := blockMessage(d, "ref"); m != failStopIn+"1"+why {
		t.Errorf("ref: %q, want not run, Emacs stopping in it for %s", m, task)
	}
	for _, held := range []string{"later", "later :var y=bad~2"} {
		if m, _ := blockMessage(d, held); m != failStopAt+"1"+why {
			t.Errorf("%s: %q, want held by the stop at line 1", held, m)
		}
	}
	wantHeld(t, rb, d, 1, "after", failStopAt+"1"+why)
	resultsKept(t, e, id, "#+RESULTS: ref\n: old ref\n")
	resultsKept(t, e, id, "#+RESULTS: after\n: old after\n")
}

// TestOwnElispBodyErrorStopLifted: own run again (a restart), its body
// now signalling nothing: the stop is lifted, and the block after it
// runs.
func TestOwnElispBodyErrorStopLifted(t *testing.T) {
	e, rb, id := submitToReport(t, ownElispBodyDoc)
	signalled(rb, launchOf(t, rb.fakeBackend, "own", 1), "boom")
	waitDocumentEnded(t, e, id)
	rerunLifts(t, e, rb, id, "own", "fine", "own run again signals nothing")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
}

// TestOwnElispBodyErrorStopKeptOverServerRestart: the server started
// again over the stored records keeps the stop: the block after own is
// still not run, saying why, and own's message still says where Emacs
// stopped.
func TestOwnElispBodyErrorStopKeptOverServerRestart(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), ownElispBodyDoc)
	if err != nil {
		t.Fatal(err)
	}
	signalled(rb, launchOf(t, rb.fakeBackend, "own", 1), "boom")
	waitDocumentEnded(t, e, v.ID)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	d := waitDocumentEnded(t, e2, v.ID)
	wantHeld(t, rb, d, 1, "after", failStopAt+"1, for block own, "+elispRefStopWhy+": boom")
	if m, _ := blockMessage(d, "own"); m != failStopBody+"1: boom" {
		t.Errorf("own's message = %q", m)
	}
	resultsKept(t, e2, v.ID, "#+RESULTS: own\n: old own\n")
}

// TestFoundElispBodyErrorStops: an Emacs Lisp block found in results
// before the document's Emacs Lisp block, whose body signals, stops the
// document there, as Emacs stops (found_before_emacs_stop.org): the
// document's Emacs Lisp block after it is not run.
func TestFoundElispBodyErrorStops(t *testing.T) {
	doc := "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(car 1)' '#+end_src'\n#+end_src\nText right after.\n\n" +
		"#+name: later\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	w := launchOf(t, rb.fakeBackend, "block-1", 1)
	rb.setOutput(w.ID, "#+begin_src emacs-lisp\n(car 1)\n#+end_src\n")
	finish(rb.fakeBackend, w, Finished, 0)
	signalled(rb, launchOf(t, rb.fakeBackend, "block-1-found-1", 1), "Wrong type argument: listp, 1")
	d := waitDocumentEnded(t, e, id)
	for _, a := range rb.launches() {
		if a.Block == "later" {
			t.Errorf("later launched after the found block's error")
		}
	}
	wantNote(t, d, "stops this document at the block at line 6, for block block-1-found-1, an Emacs Lisp block that signalled an error")
	if m, _ := blockMessage(d, "later"); !strings.Contains(m, "not run") {
		t.Errorf("later's message = %q, want it not run", m)
	}
}

// TestOwnElispBodyErrorWithPostStops: an Emacs Lisp block whose body
// signals has a :post: the error leaves org-babel-execute-src-block
// before the :post's turn, and Emacs stops there (checked with Emacs
// 28.2: postcaller_elisp_caller_error.org): the block's results stay as
// they were (no failure drawer), its :post is not run, and the block
// after it is not run, saying why.
func TestOwnElispBodyErrorWithPostStops(t *testing.T) {
	e, rb, id := ownSignalsWithPost(t, "")
	d := waitDocumentEnded(t, e, id)
	for _, a := range rb.launches() {
		if a.Block != "own" {
			t.Errorf("block %s launched after own's body signalled", a.Block)
		}
	}
	wantHeld(t, rb, d, 1, "after", failStopAt+"1, for block own, "+elispRefStopWhy+": boom")
	if m, _ := blockMessage(d, "own"); m != failStopBody+"1: boom" {
		t.Errorf("own's message = %q", m)
	}
	resultsKept(t, e, id, "#+RESULTS: own\n: old own\n")
	resultsKept(t, e, id, "#+RESULTS: after\n: old after\n")
}

// TestOwnElispBodyErrorContinuePostNotRun: an Emacs Lisp block that
// signals under :on-failure continue with a :post: the error fails the
// block only (the blocks after it run), and the block is what failed,
// :post included (Emacs never runs the :post after the error): the
// :post is not run, and the block's results are its failure drawer, not
// the :post's value of nil written as a success.
func TestOwnElispBodyErrorContinuePostNotRun(t *testing.T) {
	e, rb, id := ownSignalsWithPost(t, " :on-failure continue")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "wrap", 1), Finished, 0)
	waitDocumentEnded(t, e, id)
	for _, a := range rb.launches() {
		if strings.HasPrefix(a.Block, "own :post") {
			t.Errorf("%s launched after own's body signalled", a.Block)
		}
	}
	resultsKept(t, e, id, "#+RESULTS: own\n:results:\nborges: failed")
}

// ownSignalsWithPost submits ownElispBodyDoc, block own with header words
// head and :post wrap(x=*this*) (a shell block), and has own signal.
func ownSignalsWithPost(t *testing.T, head string) (*Engine, *reportBackend, string) {
	t.Helper()
	doc := strings.Replace(ownElispBodyDoc, "#+begin_src emacs-lisp", "#+begin_src emacs-lisp"+head+" :post wrap(x=*this*)", 1) +
		"\n#+name: wrap\n#+begin_src sh :var x=\"none\"\necho \"<$x>\"\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	signalled(rb, launchOf(t, rb.fakeBackend, "own", 1), "boom")
	waitStored(t, e, id, "own", Failed)
	return e, rb, id
}
