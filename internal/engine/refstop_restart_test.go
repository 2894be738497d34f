package engine

import (
	"strings"
	"testing"
)

// TestRefStopAcrossRestart: a reader whose reference Emacs finds no data
// for stops the document (refStopDoc); a server started again keeps that
// stop (its note, and the block after the reader not run), and lifts it
// once the writer and then the reader run again fine, as Emacs runs the
// buffer again once the data are there.
func TestRefStopAcrossRestart(t *testing.T) {
	t.Run("undecided", func(t *testing.T) {
		dir, rb, e, stop, id := submitOnDisk(t, refStopDoc)
		slow := refErrored(t, e, rb, id)
		stop()
		e2, _ := startEngine(t, dir, rb, Config{})
		finish(rb.fakeBackend, slow, Finished, 0)
		finishLaunchedRunsOf(e2, rb, id, "slow")
		if endedOrLaunched(e2, rb, id, "after") {
			t.Errorf("after launched after a server restart: the reference-error stop was lost")
		}
		d := waitDocumentEnded(t, e2, id)
		m, _ := blockMessage(d, "after")
		t.Logf("after: %q; notes %q", m, d.Notes)
	})
	t.Run("lift", func(t *testing.T) {
		dir, rb, e, stop, id := submitOnDisk(t, refStopDoc)
		slow := refErrored(t, e, rb, id)
		finish(rb.fakeBackend, slow, Finished, 0)
		finishLaunchedRunsOf(e, rb, id, "slow")
		d := waitDocumentEnded(t, e, id)
		m, _ := blockMessage(d, "after")
		t.Logf("held: %q", m)
		stop()
		e2, _ := startEngine(t, dir, rb, Config{})
		d, _ = e2.Document(id)
		if !strings.Contains(strings.Join(d.Notes, "\n"), "stops this document") {
			t.Errorf("notes after the server restart lost the stop: %q (after says %q)", d.Notes, m)
		}
		rerunWriterThenReader(t, e2, rb, id)
		if !endedOrLaunched(e2, rb, id, "after") {
			d, _ := e2.Document(id)
			m, _ := blockMessage(d, "after")
			t.Errorf("after never launched once the reader ran fine after a server restart: %q notes %q", m, d.Notes)
		}
	})
}

// TestEvalRefusedStopAcrossRestart: the stop at a refused (:eval no)
// block whose named block printed what Emacs cannot read stays at the
// refused block on a server started again (RefusedReaders comes again
// from the plan built on load).
func TestEvalRefusedStopAcrossRestart(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, evalRefusedStopDoc)
	stopKeptOnRestart(t, dir, rb, evalRefusedStopped(t, e, rb, id), stop, id, "")
}

// stopKeptOnRestart checks that block after of document d (id) is held
// by the stop at line 1 before and after the server (stop) starts again
// from dir, and that the notes say that stop, followed by more.
func stopKeptOnRestart(t *testing.T, dir string, rb *reportBackend, d *DocumentView, stop func(), id, more string) {
	t.Helper()
	const at = "at the block at line 1"
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, at) {
		t.Fatalf("after, before the server restart: %q", m)
	}
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	d, _ = e2.Document(id)
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, at) {
		t.Errorf("after, once the server started again: %q", m)
	}
	if !strings.Contains(strings.Join(d.Notes, "\n"), "stops this document "+at+more) {
		t.Errorf("notes after the server restart: %q", d.Notes)
	}
}

// TestEvalRefusedCallStopAcrossRestart: the same for the call with
// arguments a refused block makes (its task's RefusedReaders, and the
// result stop kept on its record, a call's run's as a block's own run's).
func TestEvalRefusedCallStopAcrossRestart(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, refusedCallStopDoc)
	call := launchOf(t, rb.fakeBackend, "stop(n=2)", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "stop", 1), "ok\n")
	endWith(t, e, rb, id, call, "c\xe9\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	afterHeldEnded(t, e, rb, id)
	stopKeptOnRestart(t, dir, rb, waitDocumentEnded(t, e, id), stop, id, ", which :eval refuses, resolving a reference that runs block stop(n=2)")
}

// TestEvalRefusedCallStopLifted: the call with arguments whose output
// stopped the document at the refused block runs again (a restart) and
// prints what Emacs reads: the stop is lifted, and the block it held
// runs.
func TestEvalRefusedCallStopLifted(t *testing.T) {
	e, rb, id := submitToReport(t, refusedCallStopDoc)
	call := launchOf(t, rb.fakeBackend, "stop(n=2)", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "stop", 1), "ok\n")
	endWith(t, e, rb, id, call, "c\xe9\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	afterHeldEnded(t, e, rb, id)
	if m, _ := blockMessage(waitDocumentEnded(t, e, id), "after"); !strings.Contains(m, "stopped before it, at the block at line 1") {
		t.Fatalf("after, before the restart: %q", m)
	}
	rerunLifts(t, e, rb, id, "stop(n=2)", "ok\n", "the call's new value is one Emacs reads")
}

// afterHeldEnded finishes the run of slow after's :var s=slow makes
// (afterSlowRun), launched before the stop was known, which after
// waits for (endedOrLaunched), and fails t if after, past the stop, is
// launched.
func afterHeldEnded(t *testing.T, e *Engine, rb *reportBackend, id string) {
	t.Helper()
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after launched past the stop at the refused block")
	}
}
