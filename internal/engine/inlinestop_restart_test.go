package engine

import (
	"context"
	"strings"
	"testing"
)

// reportAdded has attempt a of the Emacs Lisp block adder of
// addedInlineDoc report the buffer with inline added at "PLACE HERE", and
// ends it.
func reportAdded(t *testing.T, rb *reportBackend, a *Attempt, inline string) {
	t.Helper()
	reportAddedIn(t, rb, a, strings.Replace(addedInlineDoc, "PLACE HERE", "PLACE HERE "+inline, 1), "src_sh[")
}

// reportAddedIn has attempt a of addedInlineDoc's Emacs Lisp block end,
// its buffer reported as buffer, the block it added marked where mark
// begins.
func reportAddedIn(t *testing.T, rb *reportBackend, a *Attempt, buffer, mark string) {
	t.Helper()
	rb.rmu.Lock()
	rb.reports[a.ID] = addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var"}, markAt{at: mark})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, a, Finished, 0)
}

// addedStopped runs addedInlineDoc, submitted as id, until the inline
// block its Emacs Lisp block adds, of several lines, has stopped it.
func addedStopped(t *testing.T, e *Engine, rb *reportBackend, id string) {
	t.Helper()
	reportAdded(t, rb, launchOf(t, rb.fakeBackend, "adder", 1), "src_sh[:results output]{echo 1; echo 2}")
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	if stopThenSlow(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "1\n2\n", slow) {
		t.Fatal("after launched")
	}
	waitDocumentEnded(t, e, id)
}

// afterRuns fails t unless block after of document id runs (its stop
// lifted), as what says.
func afterRuns(t *testing.T, e *Engine, rb *reportBackend, id, what string) {
	t.Helper()
	if !endedOrLaunched(e, rb, id, "after") {
		d, _ := e.Document(id)
		m, _ := blockMessage(d, "after")
		t.Errorf("after still held after %s: %q %q", what, m, d.Notes)
	}
}

// TestAddedInlineStopAdderRestart: restarting the Emacs Lisp block that
// added an inline block whose value Babel refused, a server restarted
// since, lifts the stop when its new run adds one whose value is
// written: the block the stop held runs.
func TestAddedInlineStopAdderRestart(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, addedInlineDoc)
	addedStopped(t, e, rb, id)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	d := waitDocumentEnded(t, e2, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt) {
		t.Errorf("added stop lost over a server restart: %q", m)
	}
	if err := e2.RestartBlock(context.Background(), id, "adder"); err != nil {
		t.Fatal(err)
	}
	reportAdded(t, rb, launchOf(t, rb.fakeBackend, "adder", 2), "src_sh[:results output]{echo 1}")
	in2 := launchOf(t, rb.fakeBackend, "inline-1", 2)
	rb.setOutput(in2.ID, "1\n")
	finish(rb.fakeBackend, in2, Finished, 0)
	afterRuns(t, e2, rb, id, "the adder ran again")
}

// TestAddedInlineStopRestartItself: restarting the inline block an Emacs
// Lisp block added, whose value stopped the document, lifts the stop: its
// new value, of one line, is written, and the block the stop held runs.
func TestAddedInlineStopRestartItself(t *testing.T) {
	e, rb, id := stoppedThenRestart(t, "inline-1")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 2), "1\n")
	afterRuns(t, e, rb, id, "the inline block ran again")
}

// stoppedThenRestart submits addedInlineDoc, has it stop at the added
// inline block (addedStopped) and restarts block name.
func stoppedThenRestart(t *testing.T, name string) (*Engine, *reportBackend, string) {
	t.Helper()
	e, rb, id := submitToReport(t, addedInlineDoc)
	addedStopped(t, e, rb, id)
	if err := e.RestartBlock(context.Background(), id, name); err != nil {
		t.Fatal(err)
	}
	return e, rb, id
}
