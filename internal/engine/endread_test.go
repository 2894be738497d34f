package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// tableBetween has block user, referring to block tbl, whose results (a
// table) may stop Emacs, slow before tbl, and after, which waits for slow.
const tableBetween = "#+name: user\n#+begin_src sh :var x=tbl\necho user\n#+end_src\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: tbl\n#+begin_src sh :results table\nprintf '1\\t2\\n'\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"

// heldAtEnd submits doc to an engine over a countedReads backend, on a
// store in dir, and ends the attempt of its block held with out, that
// read held (endHeld), block slow launched; it returns the engine, its
// stop, the backend, the document's id and slow's attempt.
func heldAtEnd(t *testing.T, dir, doc, held, out string) (*Engine, func(), *countedReads, string, *Attempt) {
	t.Helper()
	c := newCountedReads()
	e, stop := startEngine(t, dir, c, Config{})
	v, err := e.Submit(context.Background(), doc)
	if v == nil || err != nil {
		t.Fatalf("submitting: %v", err)
	}
	a := launchOf(t, c.fakeBackend, held, 1)
	slow := launchOf(t, c.fakeBackend, "slow", 1)
	endHeld(t, c, a, out)
	return e, stop, c, v.ID, slow
}

// outputRead is what a block waits for while the output of tbl, or stop,
// is read once it ended (endReadWhy).
const outputRead = " (its output being read"

// TestResultStopReadOffLock: the output of a plain :results table block
// is read once its attempt has ended, and the read takes long: views
// answer meanwhile (it is not read under the engine's lock), the block
// after it in the buffer waits for it, not launched, and runs once it is
// known (no stop). The output is read once. Block user, before tbl,
// takes its value from the run of tbl its :var x=tbl makes at its own
// turn (Babel runs tbl again at the reference, :results silent, writing
// nothing that could stop Emacs): it waits for that run, not for tbl's
// output, and runs while that output is read.
func TestResultStopReadOffLock(t *testing.T) {
	e, _, c, id, slow := heldAtEnd(t, t.TempDir(), tableBetween, "tbl", "1\t2\n")
	viewedWhileHeld(t, e, c, id, "tbl")
	finish(c.fakeBackend, slow, Finished, 0)
	endWith(t, e, c.reportBackend, id, launchOf(t, c.fakeBackend, "user :var x=tbl", 1), "1\t2\n")
	endWith(t, e, c.reportBackend, id, launchOf(t, c.fakeBackend, afterSlowRun, 1), "slow\n")
	if !waitsOn(e, id, "after", "tbl"+outputRead) {
		d, _ := e.Document(id)
		t.Fatalf("after not waiting for tbl's output: %+v", d)
	}
	if launchedBlock(c.reportBackend, "after") {
		t.Fatal("after launched while tbl's output was read")
	}
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, "user", 1), Finished, 0)
	c.release()
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, "after", 1), Finished, 0)
	if d := waitDocumentEnded(t, e, id); d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
	for _, a := range c.launches() {
		if a.Block == "tbl" && c.reads(a.ID) != 1 {
			t.Errorf("tbl's output read %d times, want once", c.reads(a.ID))
		}
	}
}

// TestResultStopReadAfterRestart: the server stops while a table
// block's output is read for whether its results stop Emacs, its record
// stored saying so: a server started again reads it again, finds the
// stop, and the block after it waiting is not run.
func TestResultStopReadAfterRestart(t *testing.T) {
	dir := t.TempDir()
	doc := "#+name: stop\n#+begin_src sh :results table\nprintf '/\\ta\\n'\n#+end_src\n\n" + slowAfter
	e, stop, c, id, slow := heldAtEnd(t, dir, doc, "stop", "/\ta\n")
	finish(c.fakeBackend, slow, Finished, 0)
	waitState(t, e, id, "slow", Finished)
	// The run of slow after's :var s=slow makes, started at once
	// (waiting for nothing) before any stop was known, runs on.
	endWith(t, e, c.reportBackend, id, launchOf(t, c.fakeBackend, afterSlowRun, 1), "slow\n")
	if !waitsOn(e, id, "after", "stop"+outputRead) {
		t.Fatal("after not waiting for stop's output")
	}
	stop()
	c.release()
	st, recs := storedRecords(t, dir, id)
	var reading []string
	for _, r := range recs {
		if r.ResultStopReading {
			reading = append(reading, r.Block)
		}
	}
	st.Close()
	if !slices.Contains(reading, "stop") {
		t.Fatalf("records stored with their output being read: %q, want stop's", reading)
	}
	s := launchOf(t, c.fakeBackend, "stop", 1)
	n := c.reads(s.ID)
	e2, _ := startEngine(t, dir, c, Config{})
	d := waitDocumentEnded(t, e2, id)
	stoppedBeforeAfter(t, c.reportBackend, d, 2, 1, "")
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, "whose results stop Emacs") {
		t.Errorf("after: %q", m)
	}
	if m := c.reads(s.ID) - n; m < 1 {
		t.Errorf("stop's output read %d times after the restart, want it read again", m)
	}
}

// TestResultStopReadAfterRestartLast: the server stops while the output
// of the document's last block, whose results stop Emacs, is read, with
// nothing queued after it: a server started again reads it again all
// the same, and its record and the notes have the stop.
func TestResultStopReadAfterRestartLast(t *testing.T) {
	dir := t.TempDir()
	doc := "#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
		"#+name: stop\n#+begin_src sh :results table\nprintf '/\\ta\\n'\n#+end_src\n"
	_, stop, c, id, slow := heldAtEnd(t, dir, doc, "stop", "/\ta\n")
	finish(c.fakeBackend, slow, Finished, 0)
	stop()
	c.release()
	e2, _ := startEngine(t, dir, c, Config{})
	d := waitDocumentEnded(t, e2, id)
	if !strings.Contains(strings.Join(d.Notes, "\n"), "stops this document at the block at line 6") {
		t.Errorf("notes %q, want the stop", d.Notes)
	}
	e2.mu.Lock()
	defer e2.mu.Unlock()
	for _, b := range e2.docs[id].blocks {
		if b.name == "stop" && (b.instances[0].rec.ResultStopReading || b.instances[0].rec.ResultStop == "") {
			t.Errorf("stop's record: reading %v, stop %q", b.instances[0].rec.ResultStopReading, b.instances[0].rec.ResultStop)
		}
	}
}

// TestResultStopReadFailsQuickly: the output of a block whose results
// may stop Emacs cannot be read (the agent unreachable): after at most
// one more try it is kept as not read, and the block after it, waiting
// for the run of slow its :var s=slow makes, launches;
// its output was read no more than twice by then.
func TestResultStopReadFailsQuickly(t *testing.T) {
	fr := &readCounter{reportBackend: newReportBackend(), reads: map[string]int{}, failing: true}
	e, _ := startEngine(t, t.TempDir(), fr, Config{})
	doc := "#+name: tbl\n#+begin_src sh :results table\nprintf '1\\t2\\n'\n#+end_src\n\n" +
		slowAfter
	if v, err := e.Submit(context.Background(), doc); v == nil || err != nil {
		t.Fatalf("submitting: %v", err)
	}
	tbl := launchOf(t, fr.fakeBackend, "tbl", 1)
	finish(fr.fakeBackend, tbl, Finished, 0)
	finish(fr.fakeBackend, launchOf(t, fr.fakeBackend, "slow", 1), Finished, 0)
	finish(fr.fakeBackend, launchOf(t, fr.fakeBackend, afterSlowRun, 1), Finished, 0)
	launchOf(t, fr.fakeBackend, "after", 1)
	failed := fr.count(tbl.ID)
	if failed < 1 || failed > 2 {
		t.Errorf("tbl's output read %d times before after launched, want once or twice", failed)
	}
}
