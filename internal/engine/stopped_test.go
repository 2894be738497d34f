package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// stoppedDoc has a block whose raw results hold a block of a language
// Babel has no function for, and after it a block waiting for it.
const stoppedDoc = "#+name: owner\n#+begin_src sh :results raw\necho '#+begin_src nosuchlang'\necho '#+end_src'\n#+end_src\nAfter.\n\n" +
	"#+begin_src sh :var o=owner\necho after\n#+end_src\n"

// TestStoppedAtBlockFound: org-babel-execute-buffer stops the document at
// a block of no language Babel runs found in results: the block after it
// that had not launched is never launched, says why, and the document
// says where it stopped; the results written stay.
func TestStoppedAtBlockFound(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, _ := startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), stoppedDoc)
	if err != nil {
		t.Fatal(err)
	}
	// The run of owner block-2's :var o=owner makes launches beside
	// owner, before the stop is known: it runs on.
	owner := launchOf(t, rb.fakeBackend, "owner", 1)
	if !strings.Contains(owner.Script, "nosuchlang") {
		t.Fatalf("owner: %q", owner.Script)
	}
	rb.setOutput(owner.ID, "#+begin_src nosuchlang\n#+end_src\n")
	finish(rb.fakeBackend, owner, Finished, 0)
	d := endedFinishingRefRuns(t, e, rb, v.ID, "block-2")
	if l := rb.launches(); len(l) != 1+len(refRunsOf(rb, "block-2")) {
		t.Errorf("%d attempts, want 1 (the block after the stop not run)", len(l))
	}
	var after *BlockView
	for i := range d.Blocks {
		// The block found is listed too, by its name in the buffer.
		if d.Blocks[i].Name == "block-2" && d.Blocks[i].AddedBy == "" {
			after = &d.Blocks[i]
		}
	}
	const why = "not run: org-babel-execute-buffer stopped before it, at the block of language \"nosuchlang\" at line 7 of the Org buffer: \"No org-babel-execute function for nosuchlang!\""
	switch {
	case after == nil:
		t.Errorf("no block-2 in %+v", d.Blocks)
	case len(after.Instances) != 1 || after.Instances[0].Message != why || after.Instances[0].Attempts != 0:
		t.Errorf("block-2: %+v; want not run, %q", after, why)
	}
	noted := false
	for _, n := range d.Notes {
		noted = noted || strings.Contains(n, "stops this document") && strings.Contains(n, "No org-babel-execute function for nosuchlang!")
	}
	if !noted {
		t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
	}
	got, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := "#+name: owner\n#+begin_src sh :results raw\necho '#+begin_src nosuchlang'\necho '#+end_src'\n#+end_src\n\n#+RESULTS: owner\n#+begin_src nosuchlang\n#+end_src\n\nAfter.\n\n" +
		"#+begin_src sh :var o=owner\necho after\n#+end_src\n"
	if got != want {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
}

// blockMessage is the message of block name's only instance in d ("" and
// false when d has no such block, or it has not one instance).
func blockMessage(d *DocumentView, name string) (string, bool) {
	for _, b := range d.Blocks {
		if b.Name == name && b.AddedBy == "" && len(b.Instances) == 1 {
			return b.Instances[0].Message, true
		}
	}
	return "", false
}

// stoppedTwiceDoc has two blocks whose raw results hold a block of a
// language Babel has no function for, and between them a block that
// waits for both.
const stoppedTwiceDoc = "#+name: a\n#+begin_src sh :results raw\necho '#+begin_src nosucha'\necho '#+end_src'\n#+end_src\nAfter A.\n\n" +
	"#+begin_src sh :var x=a :var y=c\necho middle\n#+end_src\n\n" +
	"#+name: c\n#+begin_src sh :results raw\necho '#+begin_src nosuchc'\necho '#+end_src'\n#+end_src\nAfter C.\n"

// TestStoppedEarlierFoundLater: the block that finishes first stops the
// document further down; the one that finishes next stops it earlier in
// the buffer, where Emacs stops: the block between them is not launched,
// and says it stopped at the earlier one.
func TestStoppedEarlierFoundLater(t *testing.T) {
	e, rb, id := submitToReport(t, stoppedTwiceDoc)
	c := launchOf(t, rb.fakeBackend, "c", 1)
	a := launchOf(t, rb.fakeBackend, "a", 1)
	endWith(t, e, rb, id, c, "#+begin_src nosuchc\n#+end_src\n")
	rb.setOutput(a.ID, "#+begin_src nosucha\n#+end_src\n")
	finish(rb.fakeBackend, a, Finished, 0)
	// The runs of a and c block-2's :var x=a and y=c make, launched
	// before any stop is known, run on.
	d := endedFinishingRefRuns(t, e, rb, id, "block-2")
	for _, l := range rb.launches() {
		if strings.Contains(l.Script, "echo middle") {
			t.Errorf("the block after the stop was launched: %q", l.Script)
		}
	}
	msg, ok := blockMessage(d, "block-2")
	if !ok || !strings.Contains(msg, `"No org-babel-execute function for nosucha!"`) {
		t.Errorf("block-2: %q (found %v), want not run, stopped at nosucha", msg, ok)
	}
}

// stoppedThenFoundDoc has a block whose raw results hold a block of a
// language Babel has no function for, and after it one whose code
// results hold a block.
const stoppedThenFoundDoc = "#+name: owner\n#+begin_src sh :results raw\necho '#+begin_src nosuch'\necho '#+end_src'\n#+end_src\nAfter.\n\n" +
	"#+name: slow\n#+begin_src sh :results code\necho 'echo found'\n#+end_src\n"

// TestStoppedFoundAfterStop: a block found, after the document stopped,
// in the results of a block after the stop that had started is not
// launched: Emacs never reaches it.
func TestStoppedFoundAfterStop(t *testing.T) {
	e, rb, id := submitToReport(t, stoppedThenFoundDoc)
	owner := launchOf(t, rb.fakeBackend, "owner", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	rb.setOutput(owner.ID, "#+begin_src nosuch\n#+end_src\n")
	finish(rb.fakeBackend, owner, Finished, 0)
	waitState(t, e, id, "owner", Finished)
	rb.setOutput(slow.ID, "echo found\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	d := waitDocumentEnded(t, e, id)
	if l := rb.launches(); len(l) != 2 {
		t.Errorf("%d attempts, want 2 (the block found after the stop not run)", len(l))
	}
	for _, b := range d.Blocks {
		if b.AddedBy == "slow" && (len(b.Instances) != 1 || !strings.Contains(b.Instances[0].Message, "stopped before it")) {
			t.Errorf("%s: %+v, want not run, stopped before it", b.Name, b)
		}
	}
}

// submitToReport starts an engine on a report backend and submits doc
// to it, returning the engine, the backend and the document's id.
func submitToReport(t *testing.T, doc string) (*Engine, *reportBackend, string) {
	t.Helper()
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return e, rb, v.ID
}

// TestStoppedAtInlineInHeading: an inline block in a heading with no
// contents stops org-babel-execute-buffer once it has run (it has no
// place for its result; the plan knows it, plan.Plan.Stop): the block
// before it and the block itself run, the block after it is never
// launched and says why, and the document says where it stopped.
func TestStoppedAtInlineInHeading(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: first\n#+begin_src sh\necho before\n#+end_src\n\n* A src_sh{echo 1}\n* B\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
	// Bounded: two launches at most are awaited.
	for n := 1; n <= 2; n++ {
		ls := waitLaunches(t, rb.fakeBackend, n)
		finish(rb.fakeBackend, ls[n-1], Finished, 0)
	}
	d := waitDocumentEnded(t, e, id)
	if l := rb.launches(); len(l) != 2 {
		t.Errorf("%d attempts, want 2 (the block after the stop not run)", len(l))
	}
	const why = "not run: org-babel-execute-buffer stopped before it, at the inline block at line 6, in a heading with no contents: \"Wrong type argument: number-or-marker-p, nil\""
	if m, ok := blockMessage(d, "after"); !ok || m != why {
		t.Errorf("after: %q; want %q", m, why)
	}
	if !strings.Contains(strings.Join(d.Notes, "\n"), "stops this document at the inline block") {
		t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
	}
}

// TestStoppedAtJSReadError: a JavaScript block's value with nothing for
// the Lisp reader after its quote ('   ') is read by Emacs, whose error
// org-babel-js-read lets through: org-babel-execute-buffer stops there.
// Known only when the reading fails (plan.Task.FailureStops): a block
// after it that had not started (waiting for another) is not run and
// says why; one that had started runs on.
func TestStoppedAtJSReadError(t *testing.T) {
	e, rb, id := submitToReport(t, jsSlowAfter(""))
	// after's run of slow (after :var s=slow) launches beside them.
	js := launchOf(t, rb.fakeBackend, "js", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	rb.setOutput(js.ID, "'   '\n")
	finish(rb.fakeBackend, js, Finished, 0)
	read := readingLaunch(t, rb.fakeBackend)
	if !read.Task.FailureStops {
		t.Fatalf("%s: want the reading of js's output, whose failure stops", read.Block)
	}
	rb.sink(Update{AttemptID: read.ID, State: Running})
	code := 255
	rb.sink(Update{AttemptID: read.ID, State: Failed, ExitCode: &code, Message: "Emacs Lisp error: End of file during parsing"})
	finish(rb.fakeBackend, slow, Finished, 0)
	stoppedBeforeAfter(t, rb, endedFinishingRefRuns(t, e, rb, id, "after"), 3, 1, "End of file during parsing")
}

// stoppedBeforeAfter checks a document a stop at the block at line ended:
// launches attempts (block "after" not run, saying why, with msg), block
// "slow", started before the stop, run on, the notes saying where it
// stopped. The run of slow after's :var s=slow makes (Babel runs slow
// again at the reference) is not counted: launched, as slow, before
// the stop is known, it runs on; held, it is not launched.
func stoppedBeforeAfter(t *testing.T, rb *reportBackend, d *DocumentView, launches, line int, msg string) {
	t.Helper()
	var l []*Attempt
	for _, a := range rb.launches() {
		if !strings.HasPrefix(a.Block, "after :var ") {
			l = append(l, a)
		}
	}
	if len(l) != launches {
		t.Errorf("%d attempts, want %d (the block after the stop not run)", len(l), launches)
	}
	m, ok := blockMessage(d, "after")
	if !ok || !strings.HasPrefix(m, fmt.Sprintf("not run: org-babel-execute-buffer stopped before it, at the block at line %d,", line)) || !strings.Contains(m, msg) {
		t.Errorf("after: %q", m)
	}
	if !strings.Contains(strings.Join(d.Notes, "\n"), fmt.Sprintf("stops this document at the block at line %d", line)) {
		t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
	}
	// slow started before the stop and runs on: where it stands past
	// the stop, its view says it ran past it, its results not written
	// (pastStop.unwrittenNote).
	for _, b := range d.Blocks {
		if b.Name != "slow" || b.AddedBy != "" || b.Line <= line {
			continue
		}
		if m, _ := blockMessage(d, "slow"); !strings.HasPrefix(m, ranPastStopPrefix) || !strings.HasSuffix(m, ranPastUnwritten) {
			t.Errorf("slow, started before the stop, past it: %q", m)
		}
	}
}

// TestJSFailedDoesNotStop: a JavaScript block that fails or is killed
// gives org-babel-eval's nil, which Emacs reads: the reading of its
// value, never run, does not stop the document, and the block after it
// runs with no word of a stop.
func TestJSFailedDoesNotStop(t *testing.T) {
	for _, end := range []State{Failed, Killed} {
		t.Run(string(end), func(t *testing.T) {
			e, rb, id := submitToReport(t, "#+name: js\n#+begin_src js\nthrow new Error('boom')\n#+end_src\n\n"+
				"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
				"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n")
			js := launchOf(t, rb.fakeBackend, "js", 1)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			finish(rb.fakeBackend, js, end, 1)
			// The reading, not run, has failed before slow ends.
			waitStored(t, e, id, plan.ReaderOf("js"), Failed)
			finish(rb.fakeBackend, slow, Finished, 0)
			// The run after's reference makes of slow (a run of its
			// own) ended too, after runs.
			if !endedOrLaunched(e, rb, id, "after") {
				t.Fatal("after not launched, though a JavaScript block that fails stops nothing")
			}
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
			noStop(t, waitDocumentEnded(t, e, id))
		})
	}
}

// waitStored waits, bounded, until the first instance of block name of
// document id, listed or not, is in state want.
func waitStored(t *testing.T, e *Engine, id, name string, want State) {
	t.Helper()
	for i := 0; i < 2000; i++ {
		if State(stored(e, id, name).State) == want {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s never reached %s: %+v", name, want, stored(e, id, name))
}

// TestStoppedAtJSReadErrorKnownAtEnd: Borges knows when the JavaScript
// block ends that Emacs cannot read its value ('   '): the block after it
// that starts later is held then, before the reading in Emacs has ended,
// and says the Lisp error.
func TestStoppedAtJSReadErrorKnownAtEnd(t *testing.T) {
	e, rb, id := submitToReport(t, jsSlowAfter(""))
	slow := endJS(t, rb, "'   '\n")
	read := readingLaunch(t, rb.fakeBackend)
	if !read.Task.ReadsOutput {
		t.Fatalf("third launch: %s, want the reading of js's output", read.Block)
	}
	// The reading is left running: the stop is known without it.
	finish(rb.fakeBackend, slow, Finished, 0)
	const why = "not run: org-babel-execute-buffer stopped before it, at the block at line 1, for block js, whose value Emacs could not read: End of file during parsing"
	var m string
	for i := 0; i < 2000; i++ {
		d, _ := e.Document(id)
		if m, _ = blockMessage(d, "after"); m != "" {
			break
		}
		// after's run of slow, launched before the stop was known,
		// runs on.
		finishRefRuns(rb, d, "after")
		time.Sleep(5 * time.Millisecond)
	}
	if m != why {
		t.Errorf("after: %q; want %q", m, why)
	}
	failRan(rb, read)
	endedFinishingRefRuns(t, e, rb, id, "after")
	if l := rb.launches(); len(l) != 3+len(refRunsOf(rb, "after")) {
		t.Errorf("%d attempts, want 3 (the block after the stop not run)", len(l))
	}
}

// TestStoppedAtJSReadErrorReferrer: a block before the JavaScript block
// refers to it: Emacs runs the JavaScript block for that reference and
// stops there, at the referring block, so the block between them that
// had not started is not run and says that line.
func TestStoppedAtJSReadErrorReferrer(t *testing.T) {
	d := jsReadStoppedFrom(t, "#+begin_src sh :var x=js\necho \"$x\"\n#+end_src\n")
	wantNote(t, d, "stops this document at the block at line 1, block block-1, resolving a reference to the block at line 15, for block block-1 :var x=js, whose value Emacs could not read")
}

// jsReadStoppedFrom submits first (a block of 3 lines that refers to
// js), then dep, mid waiting for it, and js, whose value Emacs cannot
// read: js ends, its reading starts, dep ends, and the reading fails.
// The document, ended, stops at first's line: mid, after it, is not
// run, though it could have started once dep had ended.
func jsReadStoppedFrom(t *testing.T, first string) *DocumentView {
	t.Helper()
	e, rb, id := submitToReport(t, first+"\n"+
		"#+name: dep\n#+begin_src sh\necho dep\n#+end_src\n\n"+
		"#+name: mid\n#+begin_src sh :var d=dep\necho mid\n#+end_src\n\n"+
		"#+name: js\n#+begin_src js\nreturn '   '\n#+end_src\n")
	// first's reference runs js again (block-1 :var x=js), its value
	// Emacs cannot read either; js's own run ends first.
	js := launchOf(t, rb.fakeBackend, "js", 1)
	ref := launchOf(t, rb.fakeBackend, "block-1 :var x=js", 1)
	dep := launchOf(t, rb.fakeBackend, "dep", 1)
	rb.setOutput(js.ID, "'   '\n")
	finish(rb.fakeBackend, js, Finished, 0)
	rb.setOutput(ref.ID, "'   '\n")
	finish(rb.fakeBackend, ref, Finished, 0)
	finish(rb.fakeBackend, dep, Finished, 0)
	// Every reading of a value (js's, the reference's) fails as
	// Emacs's reader does; mid's run of dep, launched before the stop
	// is known, runs on, finished once the stop is known.
	failed := map[string]bool{}
	for range 4000 {
		d, _ := e.Document(id)
		if d != nil && d.State != Running && d.State != Queued {
			break
		}
		for _, a := range rb.launches() {
			if a.Task != nil && a.Task.ReadsOutput && !failed[a.ID] {
				failed[a.ID] = true
				failRan(rb, a)
			}
		}
		if d != nil && strings.Contains(strings.Join(d.Notes, "\n"), "stops this document") {
			finishRefRuns(rb, d, "mid")
		}
		time.Sleep(5 * time.Millisecond)
	}
	d := waitDocumentEnded(t, e, id)
	wantHeld(t, rb, d, 3+len(failed)+len(refRunsOf(rb, "mid")), "mid", "not run: org-babel-execute-buffer stopped before it, at the block at line 1, for block block-1 :var x=js, whose value Emacs could not read: End of file during parsing")
	return d
}

// wantNote checks that document d's notes hold note.
func wantNote(t *testing.T, d *DocumentView, note string) {
	t.Helper()
	if !strings.Contains(strings.Join(d.Notes, "\n"), note) {
		t.Errorf("notes: %q, want %q", d.Notes, note)
	}
}

// TestJSReadStopLifted: the JavaScript block whose value Emacs could not
// read runs again (a restart) and its value reads now: the stop is lifted,
// and the block it held runs.
func TestJSReadStopLifted(t *testing.T) {
	e, rb, id, d := jsStopped(t)
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, "stopped before it") {
		t.Fatalf("after, before the restart: %q", m)
	}
	// Nothing written under it, for Emacs's reader error, not a :post.
	if m, _ := blockMessage(d, "js"); m != readStopKept+"End of file during parsing" {
		t.Errorf("js, before the restart: %q, want %q", m, readStopKept+"End of file during parsing")
	}
	rerunLifts(t, e, rb, id, "js", "'ok'\n", "the block's new value reads")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
}

// TestStoppedAtJSReadErrorSilent: under :results silent Babel reads the
// value all the same: one Emacs cannot read stops the document at the
// JavaScript block, with no reading task.
func TestStoppedAtJSReadErrorSilent(t *testing.T) {
	e, rb, id := submitToReport(t, jsSlowAfter(" :results silent"))
	slow := endJS(t, rb, "'   '\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	d := endedFinishingRefRuns(t, e, rb, id, "after")
	// js, slow, and after's run of slow (launched before the stop was
	// known, it runs on).
	wantHeld(t, rb, d, 2+len(refRunsOf(rb, "after")), "after", "not run: org-babel-execute-buffer stopped before it, at the block at line 1, for block js, whose value Emacs could not read: End of file during parsing")
}

// TestJSReadErrorOnFailureContinue: with :on-failure continue a value
// Emacs cannot read does not stop the document: the block after it runs.
func TestJSReadErrorOnFailureContinue(t *testing.T) {
	e, rb, id := submitToReport(t, jsSlowAfter(" :on-failure continue"))
	slow := endJS(t, rb, "'   '\n")
	read := readingLaunch(t, rb.fakeBackend)
	failRan(rb, read)
	finish(rb.fakeBackend, slow, Finished, 0)
	if !endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after not launched, though the value not read stops nothing")
	}
	after := launchOf(t, rb.fakeBackend, "after", 1)
	finish(rb.fakeBackend, after, Finished, 0)
	d := endedFinishingRefRuns(t, e, rb, id, "after")
	noStop(t, d)
}

// TestStoppedAtEmacsReadError: a value only Emacs's reader reads (a Lisp
// form Borges does not evaluate) stops the document where that reading
// ran and failed.
func TestStoppedAtEmacsReadError(t *testing.T) {
	e, rb, id := submitToReport(t, jsSlowAfter(""))
	slow := endJS(t, rb, "(car 1)\n")
	read := readingLaunch(t, rb.fakeBackend)
	failRan(rb, read)
	waitStored(t, e, id, plan.ReaderOf("js"), Failed)
	finish(rb.fakeBackend, slow, Finished, 0)
	d := endedFinishingRefRuns(t, e, rb, id, "after")
	const why = "not run: org-babel-execute-buffer stopped before it, at the block at line 1, for block js, whose value Emacs could not read: exit status 255"
	if m, _ := blockMessage(d, "after"); m != why {
		t.Errorf("after: %q; want %q", m, why)
	}
	if m, _ := blockMessage(d, "js"); m != readStopKept+"exit status 255" {
		t.Errorf("js: %q; want %q", m, readStopKept+"exit status 255")
	}
}

// jsSlowAfter is a JavaScript block js with header arguments header,
// returning '   ', a block slow, and a block after waiting for slow.
func jsSlowAfter(header string) string {
	return "#+name: js\n#+begin_src js" + header + "\nreturn '   '\n#+end_src\n\n" +
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"
}

// jsStopped submits jsSlowAfter(""), whose JavaScript block's value
// Emacs cannot read, and has the document end, stopped there.
func jsStopped(t *testing.T) (*Engine, *reportBackend, string, *DocumentView) {
	t.Helper()
	e, rb, id := submitToReport(t, jsSlowAfter(""))
	slow := endJS(t, rb, "'   '\n")
	read := readingLaunch(t, rb.fakeBackend)
	finish(rb.fakeBackend, slow, Finished, 0)
	failRan(rb, read)
	return e, rb, id, endedFinishingRefRuns(t, e, rb, id, "after")
}

// endJS waits for blocks js and slow to launch, and ends js, which
// printed output; it returns slow's attempt.
func endJS(t *testing.T, rb *reportBackend, output string) *Attempt {
	t.Helper()
	js := launchOf(t, rb.fakeBackend, "js", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	rb.setOutput(js.ID, output)
	finish(rb.fakeBackend, js, Finished, 0)
	return slow
}

// failRan has attempt a run and fail, as an Emacs signalling a Lisp
// error does.
func failRan(rb *reportBackend, a *Attempt) {
	code := 255
	rb.sink(Update{AttemptID: a.ID, State: Running})
	rb.sink(Update{AttemptID: a.ID, State: Failed, ExitCode: &code, Message: "exit status 255"})
}

// noStop fails t when a block of d was not run for a stop, or failed
// not run (a wait that would not end), or d's notes speak of a stop. A
// block Borges skips (finished, "not run: ...") is no stop.
func noStop(t *testing.T, d *DocumentView) {
	t.Helper()
	if len(d.Blocks) == 0 {
		t.Fatal("the document has no blocks")
	}
	for _, b := range d.Blocks {
		for _, in := range b.Instances {
			if strings.Contains(in.Message, "stopped before it") || in.State != Finished && strings.HasPrefix(in.Message, "not run") {
				t.Errorf("%s: %q", b.Name, in.Message)
			}
		}
	}
	if strings.Contains(strings.Join(d.Notes, "\n"), "stops this document") {
		t.Errorf("notes: %q", d.Notes)
	}
}

// wantHeld fails t unless rb launched n attempts and block of d, held by
// a stop, says why.
func wantHeld(t *testing.T, rb *reportBackend, d *DocumentView, n int, block, why string) {
	t.Helper()
	if l := rb.launches(); len(l) != n {
		t.Errorf("%d attempts, want %d (%s, after the stop, not run)", len(l), n, block)
	}
	if m, _ := blockMessage(d, block); m != why {
		t.Errorf("%s: %q; want %q", block, m, why)
	}
}

// refStopDoc has a block writing over the data a reader reads, and
// after the reader a block waiting for a slow one.
const refStopDoc = "#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n" +
	"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"

// TestRewrittenDataNotFoundStops: the reference error of a block reading
// data its writer left on no element stops org-babel-execute-buffer, as
// for Emacs (plan's TestAgainstEmacs/refsfix_empty): a block after it
// that had not started by then is not run, saying why; one started
// before runs on.
func TestRewrittenDataNotFoundStops(t *testing.T) {
	_, rb, _, d := refStopped(t)
	stoppedBeforeAfter(t, rb, d, 2, 9, "Reference ‘data’ not found in this buffer")
}

// TestStoppedAtJSReadErrorEvalRefused: a block :eval refuses whose :var
// names a JavaScript block has Emacs run it at the refused block's turn
// (plan.Task.RefusedReaders): a value Emacs cannot read, found by the
// reading of its output, stops the document at the refused block, and
// a block after that one waiting for another is not run.
func TestStoppedAtJSReadErrorEvalRefused(t *testing.T) {
	d := jsReadStoppedFrom(t, "#+begin_src sh :eval no :var x=js\necho \"$x\"\n#+end_src\n")
	wantNote(t, d, "stops this document at the block at line 1, which :eval refuses, resolving a reference that runs block js (line 15), for block block-1 :var x=js")
}

// TestStoppedAtEvalRefusedUnknownRef: a block :eval refuses whose call's
// argument names nothing stops the document at the refused block (plan's
// TestAgainstEmacs/stop:_eval_no_call_args,_unknown_reference): the block
// before it runs, the call is never run, nor are the blocks after it.
func TestStoppedAtEvalRefusedUnknownRef(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: first\n#+begin_src sh\necho before\n#+end_src\n\n"+
		"#+begin_src sh :eval no :var m=maker(n=nosuch)\necho \"m=$m\"\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n\n"+
		"#+name: maker\n#+begin_src sh :var n=1\necho \"n=$n\"\n#+end_src\n")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "first", 1), Finished, 0)
	d := waitDocumentEnded(t, e, id)
	const why = "Reference ‘nosuch’ not found in this buffer"
	if l := rb.launches(); len(l) != 1 {
		t.Errorf("%d attempts, want 1 (first alone)", len(l))
	}
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, "not run: org-babel-execute-buffer stopped before it, at the block at line 6,") || !strings.Contains(m, why) {
		t.Errorf("after: %q", m)
	}
	if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "line 6: org-babel-execute-buffer stops this document at the block resolving its references") || !strings.Contains(n, why) {
		t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
	}
	for _, b := range d.Blocks {
		if strings.Contains(b.Name, "nosuch") {
			t.Errorf("the call %s is shown (%q)", b.Name, b.Reason)
		}
	}
}

// TestStoppedAtMissingDir: a block whose :dir names a directory nothing
// made, without :mkdirp, stops org-babel-execute-buffer before its
// program starts (plan.DirStopPrefix, known from the document: the plan's
// Stop): neither it nor the block after it is launched, each says why,
// the document says where it stopped, and its text is as sent.
func TestStoppedAtMissingDir(t *testing.T) {
	const doc = "#+name: first\n#+begin_src sh :dir nowhere\necho x\n#+end_src\n\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	d := waitDocumentEnded(t, e, id)
	if l := rb.launches(); len(l) != 0 {
		t.Errorf("%d attempts, want none (the block stops Emacs before its program runs)", len(l))
	}
	stop := fmt.Sprintf("%q", plan.DirStopPrefix+"nowhere/")
	for _, name := range []string{"first", "after"} {
		if m, ok := blockMessage(d, name); !ok || !strings.HasPrefix(m, "not run: org-babel-execute-buffer stop") || !strings.HasSuffix(m, stop) {
			t.Errorf("%s: %q; want not run, stopped with %s", name, m, stop)
		}
	}
	if !strings.Contains(strings.Join(d.Notes, "\n"), "stops this document at the block starting its program in its :dir") {
		t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != doc {
		t.Errorf("results document:\n%s\nwant (Emacs) the document as sent", got)
	}
}

// readingLaunch waits, bounded, for fb's first launch of a reading of a
// block's output (plan.Task.ReadsOutput), among the runs references
// make that launch beside it.
func readingLaunch(t *testing.T, fb *fakeBackend) *Attempt {
	t.Helper()
	for range 12000 {
		for _, a := range fb.launches() {
			if a.Task != nil && a.Task.ReadsOutput {
				return a
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no reading launched: %v", fb.launches())
	return nil
}

// refRunsOf is rb's launches of the runs block name's :var references
// make ("NAME :var x=b").
func refRunsOf(rb *reportBackend, name string) []*Attempt {
	var l []*Attempt
	for _, a := range rb.launches() {
		if strings.HasPrefix(a.Block, name+" :var ") {
			l = append(l, a)
		}
	}
	return l
}
