package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// readNextDoc has a block writing over the data a reader reads, and
// after the reader the next element of that name: a block.
const readNextDoc = "#+begin_src sh :results output\necho new\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n" +
	"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n" +
	"#+name: data\n#+begin_src sh\necho later\n#+end_src\n"

// TestReadNextNotWaitedWhenWritten: the writer wrote data, so the reader
// reads them and does not depend on the later block of that name (Emacs
// runs it for the reference only when the #+name: names nothing): that
// block failing does not fail the reader.
func TestReadNextNotWaitedWhenWritten(t *testing.T) {
	readNext(t, "new\n", Failed, "", "new")
}

// TestReadNextWaitedWhenEmpty: the writer wrote nothing, so the reader
// reads the later block's result, once it ran.
func TestReadNextWaitedWhenEmpty(t *testing.T) {
	readNext(t, "", Finished, "later\n", "later")
}

// readNext runs readNextDoc: the later block of the name ends first (in
// state later, printing laterOut), then the writer (printing writerOut);
// the reader then runs, with want in its script.
func readNext(t *testing.T, writerOut string, later State, laterOut, want string) {
	t.Helper()
	e, rb, id := submitToReport(t, readNextDoc)
	writer := launchOf(t, rb.fakeBackend, "block-1", 1)
	next := launchOf(t, rb.fakeBackend, "data", 1)
	rb.setOutput(next.ID, laterOut)
	finish(rb.fakeBackend, next, later, 0)
	waitStored(t, e, id, "data", later)
	rb.setOutput(writer.ID, writerOut)
	finish(rb.fakeBackend, writer, Finished, 0)
	user := launchOf(t, rb.fakeBackend, "user", 1)
	if !strings.Contains(user.Script, want) {
		t.Errorf("the reader's script does not bind %q: %q", want, user.Script)
	}
	finish(rb.fakeBackend, user, Finished, 0)
	waitStored(t, e, id, "user", Finished)
}

// TestRefStopLiftedByRerun: a reader stopped by a reference error (its
// writer wrote nothing under the #+name:) holds the block after it; the
// writer runs again and writes data, the reader runs again and reads
// them: the stop is lifted, and the held block runs.
func TestRefStopLiftedByRerun(t *testing.T) {
	e, rb, id, d := refStopped(t)
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, "stopped before it") {
		t.Fatalf("after, before the reruns: %q", m)
	}
	rerunWriterThenReader(t, e, rb, id)
	after := launchOf(t, rb.fakeBackend, "after", 1)
	finish(rb.fakeBackend, after, Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
}

// TestRefStopLiftedWhileRequeued: once the reader stopped by a reference
// error is queued again (its writer running again first), the document
// no longer says it stops there.
func TestRefStopLiftedWhileRequeued(t *testing.T) {
	e, rb, id, d := refStopped(t)
	const note = "stops this document at the block at line 9, for block user, whose reference Emacs found no data for"
	if !strings.Contains(strings.Join(d.Notes, "\n"), note) {
		t.Fatalf("notes, before the reruns: %q; want %q", d.Notes, note)
	}
	if err := e.RestartBlock(context.Background(), id, "block-1"); err != nil {
		t.Fatal(err)
	}
	writer := launchOf(t, rb.fakeBackend, "block-1", 2)
	if err := e.RestartBlock(context.Background(), id, "user"); err != nil {
		t.Fatal(err)
	}
	// The writer has not ended: the reader waits for it, whatever the speed.
	d, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(d.Notes, "\n"), "stops this document") {
		t.Errorf("notes while the reader is queued again: %q", d.Notes)
	}
	rb.setOutput(writer.ID, "new\n")
	finish(rb.fakeBackend, writer, Finished, 0)
	user := launchOf(t, rb.fakeBackend, "user", 1)
	finish(rb.fakeBackend, user, Finished, 0)
	after := launchOf(t, rb.fakeBackend, "after", 1)
	finish(rb.fakeBackend, after, Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
}

// refStopped submits refStopDoc and has its writer write nothing: the
// reader stops the document with a reference error, the slow block runs
// on, and the document ends (d).
func refStopped(t *testing.T) (*Engine, *reportBackend, string, *DocumentView) {
	t.Helper()
	e, rb, id := submitToReport(t, refStopDoc)
	finish(rb.fakeBackend, refErrored(t, e, rb, id), Finished, 0)
	finishLaunchedRunsOf(e, rb, id, "slow")
	d := waitDocumentEnded(t, e, id)
	return e, rb, id, d
}

// refErrored has refStopDoc's writer write nothing under the #+name:, so
// that its reader fails with a reference error, and gives the "slow"
// block's attempt, still running.
func refErrored(t *testing.T, e *Engine, rb *reportBackend, id string) *Attempt {
	t.Helper()
	writer := launchOf(t, rb.fakeBackend, "block-1", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	rb.setOutput(writer.ID, "")
	finish(rb.fakeBackend, writer, Finished, 0)
	waitStored(t, e, id, "user", Failed)
	return slow
}

// rerunWriterThenReader runs refStopDoc's writer again, writing data this
// time, then its reader, which reads them.
func rerunWriterThenReader(t *testing.T, e *Engine, rb *reportBackend, id string) {
	t.Helper()
	if err := e.RestartBlock(context.Background(), id, "block-1"); err != nil {
		t.Fatal(err)
	}
	writer := launchOf(t, rb.fakeBackend, "block-1", 2)
	rb.setOutput(writer.ID, "new\n")
	finish(rb.fakeBackend, writer, Finished, 0)
	waitStored(t, e, id, "block-1", Finished)
	if err := e.RestartBlock(context.Background(), id, "user"); err != nil {
		t.Fatal(err)
	}
	user := launchOf(t, rb.fakeBackend, "user", 1)
	finish(rb.fakeBackend, user, Finished, 0)
}

// writerOverData is a block writing over data named data, printing
// nothing: the #+name: is left on no element.
const writerOverData = "#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n"

// readNextAround is a document whose first block writes over the data
// block user reads (printing nothing, the #+name: is left on no element),
// then between, then the next element of that name: block next.
func readNextAround(between, next string) string {
	return writerOverData +
		"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n" +
		between + "#+name: data\n" + next
}

// endLaunch waits for the nth launch of block name, has it print out and end
// in state, and returns it.
func endLaunch(t *testing.T, rb *reportBackend, name string, n int, out string, state State) *Attempt {
	t.Helper()
	a := launchOf(t, rb.fakeBackend, name, n)
	rb.setOutput(a.ID, out)
	finish(rb.fakeBackend, a, state, 0)
	return a
}

// endEach has the first launch of each block named in pairs (a name, then
// what it prints) end finished, in their order.
func endEach(t *testing.T, rb *reportBackend, pairs ...string) {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		endLaunch(t, rb, pairs[i], 1, pairs[i+1], Finished)
	}
}

// TestReadNextElispBetween: the writer wrote nothing, so the reader
// waits for the later block of the name, which waits for the environment
// of the Emacs Lisp block between them, which waits for the reader's
// results in the document's buffer. Emacs runs the later block for the
// reference before the Lisp block (plan testdata
// readfix_next_elisp_between.org): so does Borges, and the document ends.
func TestReadNextElispBetween(t *testing.T) {
	e, rb, id := submitToReport(t, readNextAround("#+name: lisp\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n",
		"#+begin_src sh :results output\necho later\n#+end_src\n"))
	endLaunch(t, rb, "block-1", 1, "", Finished)
	endLaunch(t, rb, "data", 1, "later\n", Finished)
	userBinds(t, rb, "later")
	endLaunch(t, rb, "lisp", 1, "", Finished)
	noStop(t, waitDocumentEnded(t, e, id))
}

// TestReadNextDroppedWhenWritten: the reader once read the later block
// of the name (its writer wrote nothing), then, its writer run again
// writing data, read them: it no longer runs that block for the
// reference. That block run again with a value Emacs cannot read stops
// the document at its own block, not at the reader's, as it would when
// the reader ran it for the reference.
func TestReadNextDroppedWhenWritten(t *testing.T) {
	e, rb, id := submitToReport(t, readNextAround("#+name: middle\n#+begin_src sh\necho middle\n#+end_src\n\n",
		"#+begin_src js :results silent\nreturn 'ok'\n#+end_src\n"))
	endEach(t, rb, "block-1", "", "data", "'ok'\n", "middle", "middle\n", "user", "[ok]\n")
	waitDocumentEnded(t, e, id)
	restart := func(name string, n int, out string) {
		t.Helper()
		if err := e.RestartBlock(context.Background(), id, name); err != nil {
			t.Fatal(err)
		}
		endLaunch(t, rb, name, n, out, Finished)
		waitDocumentEnded(t, e, id)
	}
	restart("block-1", 2, "new\n")
	restart("user", 2, "[new]\n")
	restart("data", 2, "'   '\n")
	d := waitDocumentEnded(t, e, id)
	const note = "stops this document at the block at line 19, for block data, whose value Emacs could not read"
	if !strings.Contains(strings.Join(d.Notes, "\n"), note) {
		t.Errorf("notes: %q; want %q", d.Notes, note)
	}
}

// TestReadNextFailedFailsReader: the writer wrote nothing, so the reader
// runs the later block of the name for the reference; that block fails:
// the reader is not run, as any block depending on a failed one (Emacs
// runs it with nil, as README's Results say; with :on-failure continue
// it runs, TestReadNextFailedContinued).
func TestReadNextFailedFailsReader(t *testing.T) {
	e, rb, id := submitToReport(t, readNextDoc)
	endLaunch(t, rb, "block-1", 1, "", Finished)
	endLaunch(t, rb, "data", 1, "partial\n", Failed)
	d := waitDocumentEnded(t, e, id)
	if launchedBlock(rb, "user") {
		t.Fatal("the reader ran, its next element of the name failed")
	}
	if m, _ := blockMessage(d, "user"); m != "dependency data failed" {
		t.Errorf("user: %q", m)
	}
}

// TestReadNextFailedContinued: as TestReadNextFailedFailsReader, the
// later block with :on-failure continue: the reader runs with what it
// printed.
func TestReadNextFailedContinued(t *testing.T) {
	e, rb, id := submitToReport(t, strings.Replace(readNextDoc, "#+begin_src sh\necho later", "#+begin_src sh :on-failure continue\necho later", 1))
	endLaunch(t, rb, "block-1", 1, "", Finished)
	endLaunch(t, rb, "data", 1, "partial\n", Failed)
	userBinds(t, rb, "partial")
	waitDocumentEnded(t, e, id)
}

// userBinds waits for block user to launch, checks that its script binds
// want (the later block's result), and has it finish.
func userBinds(t *testing.T, rb *reportBackend, want string) {
	t.Helper()
	user := launchOf(t, rb.fakeBackend, "user", 1)
	if !strings.Contains(user.Script, want) {
		t.Errorf("the reader's script does not bind %q: %q", want, user.Script)
	}
	finish(rb.fakeBackend, user, Finished, 0)
}

// TestReadNextElispLaterNotRun: as TestReadNextElispBetween, the later
// block of the name an Emacs Lisp block too: it runs in the document's
// Emacs after the Lisp block between them, which waits for the reader's
// results. Emacs runs it for the reference first; Borges cannot, and
// says so: the reader is not run, rather than the three waiting for ever.
func TestReadNextElispLaterNotRun(t *testing.T) {
	e, rb, id := submitToReport(t, readNextAround("#+name: lisp\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n",
		"#+begin_src emacs-lisp\n\"later\"\n#+end_src\n"))
	endEach(t, rb, "block-1", "", "lisp", "", "data", "")
	readerNotRun(t, rb, waitDocumentEnded(t, e, id))
}

// TestReadNextBeforeReaderElisp: the next element of the name is a block
// before the reader, an Emacs Lisp block between them: that block runs
// in its place, in the environment it has there (the Lisp block waits for
// its results), and the reader reads its result.
func TestReadNextBeforeReaderElisp(t *testing.T) {
	e, rb, id := submitToReport(t, writerOverData+
		"#+name: data\n#+begin_src sh :results output\necho later\n#+end_src\n\n"+
		"#+name: lisp\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n"+
		"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n")
	endEach(t, rb, "block-1", "", "data", "later\n", "lisp", "")
	userBinds(t, rb, "later")
	noStop(t, waitDocumentEnded(t, e, id))
}

// nestedNextDoc has two blocks writing over data and data2 (printing
// nothing, the #+name:s are left on no element), the reader of data,
// user, and an Emacs Lisp block after it, which waits for its results.
const nestedNextDoc = "#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n" +
	"#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data2\n#+RESULTS:\n: old2\n\n" +
	"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n" +
	"#+name: lisp\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n"

// readerNotRun fails t when block user of d ran, or does not say that
// the next element of the name it reads, which Emacs runs where it is,
// would wait for it in Borges.
func readerNotRun(t *testing.T, rb *reportBackend, d *DocumentView) {
	t.Helper()
	if launchedBlock(rb, "user") {
		t.Error("the reader ran")
	}
	if m, _ := blockMessage(d, "user"); !strings.Contains(m, "Emacs runs it here, within this block's evaluation, but in Borges it waits for this block: ") {
		t.Errorf("user: %q", m)
	}
}

// TestRevNestedNext: the later block of the name, run for the reader's
// reference, reads the next element of another name itself: that one
// runs in the reader's environment too (the whole runFor chain), not
// after the Emacs Lisp block between, which waits for the reader.
func TestRevNestedNext(t *testing.T) {
	doc := nestedNextDoc +
		"#+name: data\n#+begin_src sh :var y=data2 :results output\necho \"D:$y\"\n#+end_src\n\n" +
		"#+name: data2\n#+begin_src sh :results output\necho N2\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	endEach(t, rb, "block-1", "", "block-2", "")
	endEach(t, rb, "data2", "N2\n", "data", "D:N2\n")
	userBinds(t, rb, "D:N2")
	endEach(t, rb, "lisp", "")
	waitDocumentEnded(t, e, id)
}

// TestRevStaleRunFor: the later block of the name ran for the reader's
// reference; the reader, run again, no longer reads it (its writer wrote
// data): that block run again runs in its own place, in the environment
// the Emacs Lisp block before it left.
func TestRevStaleRunFor(t *testing.T) {
	e, rb, id := submitToReport(t, readNextAround("#+name: lisp\n#+begin_src emacs-lisp\n(setenv \"RNX\" \"lisp\")\n#+end_src\n\n",
		"#+begin_src sh :results output\necho later:$RNX\n#+end_src\n"))
	endEach(t, rb, "block-1", "", "data", "later:\n")
	userBinds(t, rb, "later:")
	lisp := launchOf(t, rb.fakeBackend, "lisp", 1)
	rb.fakeBackend.mu.Lock()
	rb.fakeBackend.envs[lisp.ID] = `{"set":{"RNX":"lisp"}}`
	rb.fakeBackend.mu.Unlock()
	finish(rb.fakeBackend, lisp, Finished, 0)
	waitDocumentEnded(t, e, id)
	restart := func(name string, n int, out string) *Attempt {
		t.Helper()
		if err := e.RestartBlock(context.Background(), id, name); err != nil {
			t.Fatal(err)
		}
		a := endLaunch(t, rb, name, n, out, Finished)
		waitDocumentEnded(t, e, id)
		return a
	}
	restart("block-1", 2, "new\n")
	restart("user", 2, "[new]\n")
	if d := restart("data", 2, "later:lisp\n"); d.Env["RNX"] != "lisp" {
		t.Errorf("data run again in its place: RNX=%q, want lisp", d.Env["RNX"])
	}
}

// TestReadNextInReaderEnvironment: an Emacs Lisp block before the reader
// sets a variable, one between the reader and the later block of the
// name sets it otherwise. Emacs runs that block for the reference within
// the reader's evaluation, in the reader's environment: so does Borges,
// and it sees the first value, not the second (nor does it wait for the
// Lisp block between, which waits for the reader).
func TestReadNextInReaderEnvironment(t *testing.T) {
	doc := readNextAround("#+name: lisp\n#+begin_src emacs-lisp\n(setenv \"RNX\" \"between\")\n#+end_src\n\n",
		"#+begin_src sh :results output\necho later:$RNX\n#+end_src\n")
	lisp0 := "#+name: lisp0\n#+begin_src emacs-lisp\n(setenv \"RNX\" \"before\")\n#+end_src\n\n"
	e, rb, id := submitToReport(t, strings.Replace(doc, "#+name: user\n", lisp0+"#+name: user\n", 1))
	endLaunch(t, rb, "block-1", 1, "", Finished)
	setEnv := func(name, env string) {
		t.Helper()
		a := launchOf(t, rb.fakeBackend, name, 1)
		rb.fakeBackend.mu.Lock()
		rb.fakeBackend.envs[a.ID] = env
		rb.fakeBackend.mu.Unlock()
		finish(rb.fakeBackend, a, Finished, 0)
	}
	setEnv("lisp0", `{"set":{"RNX":"before"}}`)
	if d := endLaunch(t, rb, "data", 1, "later:before\n", Finished); d.Env["RNX"] != "before" {
		t.Errorf("data run for the reference: RNX=%q, want before (the reader's environment)", d.Env["RNX"])
	}
	userBinds(t, rb, "later:before")
	setEnv("lisp", `{"set":{"RNX":"between"}}`)
	noStop(t, waitDocumentEnded(t, e, id))
}

// TestReadNextSessionAfterFinder: the later block of the name is a block
// of a session, after a block whose results may hold blocks (a finder)
// that refers to the reader. Emacs runs the later block for the
// reference within the reader's evaluation, before the finder: so does
// Borges (it waits for the finders before the reader, none), rather than
// the three waiting for one another for ever.
func TestReadNextSessionAfterFinder(t *testing.T) {
	e, rb, id := submitToReport(t, readNextAround("#+name: finder\n#+begin_src sh :var u=user :results raw\necho \"$u\"\n#+end_src\n\n",
		"#+begin_src sh :session s :results output\necho later\n#+end_src\n"))
	endEach(t, rb, "block-1", "", "data", "later\n")
	userBinds(t, rb, "later")
	// finder's reference is a run of user of its own.
	endEach(t, rb, "finder :var u=user", "[later]\n", "finder", "[later]\n")
	noStop(t, waitDocumentEnded(t, e, id))
}

// TestReadNextNestedNotRun: the later block of the name, run for the
// reader's reference, reads the next element of another name, a block
// before it but after an Emacs Lisp block after the reader, which waits
// for the reader's results: a wait of a wait (the next element of the
// block in the middle, whose environment is that Lisp block's) that
// comes back to the reader. Emacs runs both within the reader's
// evaluation; Borges cannot, and says so: the reader is not run, rather
// than the four waiting for ever; the others then run.
func TestReadNextNestedNotRun(t *testing.T) {
	e, rb, id := nestedNotRun(t, `echo "D:$y"`)
	endEach(t, rb, "lisp", "", "data2", "N2\n", "data", "D:N2\n")
	readerNotRun(t, rb, waitDocumentEnded(t, e, id))
}

// nestedNotRun submits the document of TestReadNextNestedNotRun, the
// later block of the name running script, and has its writers end: the
// reader ends not run.
func nestedNotRun(t *testing.T, script string) (*Engine, *reportBackend, string) {
	t.Helper()
	e, rb, id := submitToReport(t, nestedNextDoc+
		"#+name: data2\n#+begin_src sh :results output\necho N2\n#+end_src\n\n"+
		"#+name: data\n#+begin_src sh :var y=data2 :results output\n"+script+"\n#+end_src\n")
	endEach(t, rb, "block-2", "")
	waitStored(t, e, id, "block-2", Finished)
	endEach(t, rb, "block-1", "")
	waitStored(t, e, id, "user", Failed)
	return e, rb, id
}

// TestReadNextDroppedFinderWakes: the next element of the name the reader
// (a block of a session) reads is a finder before it, which the reader
// waits for as a finder. Its writer run again writes data: the reader no
// longer reads that block, but waits for it still, as a finder, and its
// end wakes the reader, which runs.
func TestReadNextDroppedFinderWakes(t *testing.T) {
	e, rb, id := submitToReport(t, writerOverData+
		"#+name: data\n#+begin_src sh :results raw\necho hi\n#+end_src\n\n"+
		"#+name: user\n#+begin_src sh :session s :var x=data :results output\necho \"[$x]\"\n#+end_src\n")
	finder := launchOf(t, rb.fakeBackend, "data", 1)
	endLaunch(t, rb, "block-1", 1, "", Finished)
	waitWaitingFor(t, e, id, "user", "data")
	if err := e.RestartBlock(context.Background(), id, "block-1"); err != nil {
		t.Fatal(err)
	}
	endLaunch(t, rb, "block-1", 2, "new\n", Finished)
	waitStored(t, e, id, "block-1", Finished)
	if launchedBlock(rb, "user") {
		t.Fatal("the reader launched while the finder before it runs")
	}
	rb.setOutput(finder.ID, "hi\n")
	finish(rb.fakeBackend, finder, Finished, 0)
	userBinds(t, rb, "new")
	noStop(t, waitDocumentEnded(t, e, id))
}

// waitWaitingFor waits, bounded, until block name of document id is
// queued waiting for block what.
func waitWaitingFor(t *testing.T, e *Engine, id, name, what string) {
	t.Helper()
	for range 4000 {
		if queuedWaitingFor(e, id, name, what) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("block %s never waited for %s", name, what)
}

// TestRevNotRunReaderFreesNext: as TestReadNextNestedNotRun, the reader
// is not run. The later block of the name, which it would have run for
// its reference, then runs in its own place, in the environment the
// Emacs Lisp block before it left, as in Emacs, not in the reader's.
func TestRevNotRunReaderFreesNext(t *testing.T) {
	e, rb, id := nestedNotRun(t, `echo "D:$y:$RNX"`)
	lisp := launchOf(t, rb.fakeBackend, "lisp", 1)
	rb.fakeBackend.mu.Lock()
	rb.fakeBackend.envs[lisp.ID] = `{"set":{"RNX":"lisp"}}`
	rb.fakeBackend.mu.Unlock()
	finish(rb.fakeBackend, lisp, Finished, 0)
	endEach(t, rb, "data2", "N2\n")
	if d := endLaunch(t, rb, "data", 1, "D:N2:lisp\n", Finished); d.Env["RNX"] != "lisp" {
		t.Errorf("data, its reader not run: RNX=%q, want lisp (its own environment)", d.Env["RNX"])
	}
	readerNotRun(t, rb, waitDocumentEnded(t, e, id))
}
