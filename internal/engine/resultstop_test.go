package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// TestStoppedAtResult: a block whose results stop Emacs once it has run
// (plan.ResultStop) stops the document there, known when it ends: the
// block after it that had not started is not run and says why, one that
// had started runs on. A table the exporter leaves no row of has its
// keyword written alone (org.TableStopError); column names that are a
// rule (a :var table starting with one, :colnames yes) and output holding
// a raw byte that Emacs writes to a file leave its results as they were
// (plan.ColnamesStopError, plan.CodingStopError).
func TestStoppedAtResult(t *testing.T) {
	for _, c := range []struct {
		name, head, output, why, written, unwritten string
		line                                        int
		// file is a :file Babel writes before it stops: served, the
		// output in it.
		file string
		// unserved is a :file Babel fails to write: not served.
		unserved string
	}{
		{"table of special rows", "#+name: stop\n#+begin_src sh :results table\nprintf '/\\ta\\n'\n#+end_src\n\n",
			"/\ta\n", org.TableStopError, "#+RESULTS: stop\n\n", "| a |", 1, "", ""},
		{"column names a rule", "#+name: t\n|---+---|\n| a | b |\n\n#+name: stop\n#+begin_src sh :var x=t :colnames yes\necho \"$x\"\n#+end_src\n\n#+RESULTS: stop\n: old\n\n",
			"a\tb\n", plan.ColnamesStopError, "#+RESULTS: stop\n: old\n", "#+RESULTS: stop\n|", 5, "", ""},
		// Output holding a raw byte that Emacs writes to a file: asked
		// for a coding system, it stops, the results as they were.
		{"raw byte in a shell value", "#+name: stop\n#+begin_src sh\nprintf 'c\\351\\n'\n#+end_src\n\n#+RESULTS: stop\n: old\n\n",
			"c\xe9\n", plan.CodingStopError, "#+RESULTS: stop\n: old\n", "#+RESULTS: stop\n: c", 1, "", ""},
		{"raw byte in a silent shell value", "#+name: stop\n#+begin_src sh :results silent\nprintf 'c\\351\\n'\n#+end_src\n\n",
			"c\xe9\n", plan.CodingStopError, "#+end_src\n\n#+name: slow", "#+RESULTS: stop", 1, "", ""},
		// A noweb reference to a heading's CUSTOM_ID leaves point at
		// the heading: the same error as a table's, its results as
		// they were (org.NowebHeadingError).
		{"noweb reference to a heading", "* Notes\n:PROPERTIES:\n:CUSTOM_ID: hd\n:END:\nplain text\n* Run\n#+name: stop\n#+begin_src sh :noweb yes\necho <<hd>>\n#+end_src\n\n#+RESULTS: stop\n: old\n\n",
			"plain text\n", org.NowebHeadingError, "#+RESULTS: stop\n: old\n", "#+RESULTS: stop\n: plain", 7, "", ""},
		{"raw byte in a shell :file", "#+name: stop\n#+begin_src sh :results output file :file o.txt\nprintf 'c\\351\\n'\n#+end_src\n\n",
			"c\xe9\n", plan.CodingStopError, "#+end_src\n\n#+name: slow", "#+RESULTS: stop", 1, "", ""},
		// A :file-mode that is a string: Emacs writes the file, then
		// set-file-modes refuses the string, the results as they were.
		{"file mode a string", "#+name: stop\n#+begin_src sh :results file :file m.txt :file-mode \"0420\"\necho m\n#+end_src\n\n#+RESULTS: stop\n: old\n\n",
			"m\n", plan.FileModeStopPrefix + `"0420"`, "#+RESULTS: stop\n: old\n", "[[file:m.txt]]", 1, "m.txt", ""},
		// A :file in a directory nothing made (:mkdirp makes a :dir
		// alone): with-temp-file fails, no file, the results as they
		// were.
		{"file in a missing directory", "#+name: stop\n#+begin_src sh :results file :file out/m.txt :mkdirp yes\necho m\n#+end_src\n\n#+RESULTS: stop\n: old\n\n",
			"m\n", plan.FileDirStopPrefix + "out/m.txt", "#+RESULTS: stop\n: old\n", "[[file:out/m.txt]]", 1, "", "out/m.txt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, c.head+
				"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
				"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n")
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			rb.setOutput(stop.ID, c.output)
			finish(rb.fakeBackend, stop, Finished, 0)
			finish(rb.fakeBackend, slow, Finished, 0)
			// after's run of slow, launched before the stop is
			// known, runs on.
			d := endedFinishingRefRuns(t, e, rb, id, "after")
			stoppedBeforeAfter(t, rb, d, 2, c.line, c.why)
			// The note says Emacs's error, not a value it could not read.
			if note := fmt.Sprintf("at the block at line %d, for block stop, whose results stop Emacs with the error %q", c.line, c.why); !strings.Contains(strings.Join(d.Notes, "\n"), note) {
				t.Errorf("notes %q, want %q", d.Notes, note)
			}
			doc, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(doc, c.written) || strings.Contains(doc, c.unwritten) {
				t.Errorf("results document:\n%s", doc)
			}
			if c.file != "" {
				if data, err := e.ReadFile(context.Background(), id, c.file); err != nil || string(data) != c.output {
					t.Errorf("file %s: %q, %v; want %q", c.file, data, err, c.output)
				}
			}
			if c.unserved != "" {
				// The program wrote no such file in its sandbox.
				rb.fakeBackend.mu.Lock()
				rb.fakeBackend.noSandboxFiles = true
				rb.fakeBackend.mu.Unlock()
				if data, err := e.ReadFile(context.Background(), id, c.unserved); !errors.Is(err, ErrNotFound) {
					t.Errorf("file %s: %q, %v; want none (%v)", c.unserved, data, err, ErrNotFound)
				}
			}
		})
	}
}

// readCounter is a reportBackend that counts the reads of attempts'
// outputs (stdout), by attempt.
type readCounter struct {
	*reportBackend
	mu    sync.Mutex
	reads map[string]int
	// failing: every read of an output fails
	failing bool
}

func (c *readCounter) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	if stream == "stdout" {
		c.mu.Lock()
		c.reads[id]++
		failing := c.failing
		c.mu.Unlock()
		if failing {
			return nil, 0, errors.New("agent unreachable")
		}
	}
	return c.reportBackend.ReadLog(ctx, id, stream, offset, max)
}

func (c *readCounter) count(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id == "" {
		n := 0
		for _, r := range c.reads {
			n += r
		}
		return n
	}
	return c.reads[id]
}

// TestResultStopReadOnce: whether a block's results stop Emacs is found
// once, when its attempt ends, and kept on its record: a block whose
// results cannot stop it (:results output, a string) has its output never
// read for it, and no view of the document reads any output again; a
// server started again knows the stop from the records, and its views
// read nothing for it.
func TestResultStopReadOnce(t *testing.T) {
	for _, c := range []struct {
		name, block, output string
		reads               int // of its output, when it ends
		stops               bool
	}{
		{"plain", "#+name: stop\n#+begin_src sh :results output\necho /\n#+end_src\n\n", "/\n", 0, false},
		{"may stop", "#+name: stop\n#+begin_src sh :results table\nprintf '/\\ta\\n'\n#+end_src\n\n", "/\ta\n", 1, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			rc := &readCounter{reportBackend: newReportBackend(), reads: map[string]int{}}
			e, stop := startEngine(t, dir, rc, Config{})
			v, err := e.Submit(context.Background(), c.block+slowAfter)
			if err != nil {
				t.Fatal(err)
			}
			a := launchOf(t, rc.fakeBackend, "stop", 1)
			slow := launchOf(t, rc.fakeBackend, "slow", 1)
			rc.setOutput(a.ID, c.output)
			finish(rc.fakeBackend, a, Finished, 0)
			waitState(t, e, v.ID, "stop", Finished)
			finish(rc.fakeBackend, slow, Finished, 0)
			if !c.stops {
				endedOrLaunched(e, rc.reportBackend, v.ID, "after")
				finish(rc.fakeBackend, launchOf(t, rc.fakeBackend, "after", 1), Finished, 0)
			}
			// after's run of slow, launched before any stop is known,
			// runs on.
			endedFinishingRefRuns(t, e, rc.reportBackend, v.ID, "after")
			before := rc.count("")
			for range 5 {
				if _, err := e.Document(v.ID); err != nil {
					t.Fatal(err)
				}
			}
			if n := rc.count(a.ID); n != c.reads {
				t.Errorf("%d reads of its output, want %d", n, c.reads)
			}
			if n := rc.count(""); n != before {
				t.Errorf("%d reads of outputs by views of the document, want none", n-before)
			}
			stop()
			e2, _ := startEngine(t, dir, rc, Config{})
			// The first view reads the document again (its results
			// searched for blocks: found.go); the next read nothing.
			if _, err := e2.Document(v.ID); err != nil {
				t.Fatal(err)
			}
			before = rc.count("")
			for range 5 {
				d, err := e2.Document(v.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Contains(strings.Join(d.Notes, "\n"), "stops this document"); got != c.stops {
					t.Errorf("notes after a restart %q, want a stop: %v", d.Notes, c.stops)
				}
			}
			if n := rc.count(""); n != before {
				t.Errorf("%d reads of outputs by views after a restart, want none", n-before)
			}
		})
	}
}

// TestResultStopUnread: a block whose results may stop Emacs, its output
// not readable when it ended, is not taken for one that does not stop
// it without a word: the document's notes say that it is not known.
func TestResultStopUnread(t *testing.T) {
	rc := &readCounter{reportBackend: newReportBackend(), reads: map[string]int{}, failing: true}
	e, _ := startEngine(t, t.TempDir(), rc, Config{})
	v, err := e.Submit(context.Background(), "#+name: stop\n#+begin_src sh :results table\nprintf '/\\ta\\n'\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :results output\necho after\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	a := launchOf(t, rc.fakeBackend, "stop", 1)
	rc.setOutput(a.ID, "/\ta\n")
	finish(rc.fakeBackend, a, Finished, 0)
	finish(rc.fakeBackend, launchOf(t, rc.fakeBackend, "after", 1), Finished, 0)
	d := waitDocumentEnded(t, e, v.ID)
	if !strings.Contains(strings.Join(d.Notes, "\n"), "whether the results of block stop, at line 1, stop org-babel-execute-buffer is not known") {
		t.Errorf("notes %q", d.Notes)
	}
}

// TestColnamesStopFromBlockRef: column names that are a rule taken from
// a block's value (:var x=src, src's table starting with a rule) stop the
// document as those of named data do, and the results document keeps
// the block's results as they were, as Emacs does (the stop is kept on
// the record, the references resolved when the block ended).
func TestColnamesStopFromBlockRef(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: src\n#+begin_src python\nreturn [None, ['a', 'b'], [1, 2]]\n#+end_src\n\n"+
		"#+name: stop\n#+begin_src sh :var x=src :colnames yes\necho \"$x\"\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+
		slowAfter)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "src", 1), "[None, ['a', 'b'], [1, 2]]")
	// stop's :var x=src is a run of src of its own (Babel runs src
	// again at the reference), whose value stop takes.
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "stop :var x=src", 1), "[None, ['a', 'b'], [1, 2]]")
	d := stopThenSlowEnded(t, e, rb, id, launchOf(t, rb.fakeBackend, "stop", 1), slow, "a\tb\n1\t2\n", Finished)
	stoppedBeforeAfter(t, rb, d, 4, 6, plan.ColnamesStopError)
	resultsKept(t, e, id, "#+RESULTS: stop\n: old\n")
}

// TestTableStopReferredTo: a block whose table result the exporter leaves
// no row of, referred to by a block before it, stops the document at its
// own line only: Emacs runs it for the reference with :results none,
// which writes nothing and does not stop; the blocks between run.
func TestTableStopReferredTo(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: user\n#+begin_src sh :var x=stop\necho user\n#+end_src\n\n"+
		"#+name: between\n#+begin_src sh :var s=slow\necho between\n#+end_src\n\n"+
		"#+name: stop\n#+begin_src sh :results table\nprintf '/\\ta\\n'\n#+end_src\n\n"+
		slowAfter)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "stop", 1), "/\ta\n")
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	// The run of stop user's reference makes prints the same.
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "user :var x=stop", 1), "/\ta\n")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "user", 1), Finished, 0)
	finish(rb.fakeBackend, slow, Finished, 0)
	d := betweenRuns(t, e, rb, id)
	// stop, user's run of stop, user, slow, between's run of slow,
	// between.
	stoppedBeforeAfter(t, rb, d, 6, 11, org.TableStopError)
}

// TestColnamesStopViaReference: column names that are a rule stop Emacs
// inside the reference of the block before that refers to the block:
// that block is not run, its results stay as they were, and the blocks
// after it are not run.
func TestColnamesStopViaReference(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: user\n#+begin_src sh :var y=stop\necho user\n#+end_src\n\n#+RESULTS: user\n: old\n\n"+
		"#+name: t\n|---+---|\n| a | b |\n\n"+
		"#+name: stop\n#+begin_src sh :var x=t :colnames yes\necho \"$x\"\n#+end_src\n\n"+
		slowAfter)
	stop := launchOf(t, rb.fakeBackend, "stop", 1)
	// user's :var y=stop is a run of stop of its own (Babel runs stop
	// again at the reference): that run's results stop Emacs.
	ref := launchOf(t, rb.fakeBackend, "user :var y=stop", 1)
	rb.setOutput(ref.ID, "a\tb\n")
	finish(rb.fakeBackend, ref, Finished, 0)
	d := stopThenSlowEnded(t, e, rb, id, stop, launchOf(t, rb.fakeBackend, "slow", 1), "a\tb\n", Finished)
	// user is never launched: Emacs stops resolving its reference.
	stoppedBeforeAfter(t, rb, d, 3, 1, plan.ColnamesStopError)
	if m, _ := blockMessage(d, "user"); !strings.HasPrefix(m, "not run: org-babel-execute-buffer stopped in it, resolving a reference, at line 1, for block ") || !strings.Contains(m, plan.ColnamesStopError) {
		t.Errorf("user: %q", m)
	}
	// Emacs stops at user's block, executing stop's ("executing Sh
	// code block (stop)..."): the note says the results are stop's,
	// not the block's at line 1.
	const note = "stops this document at the block at line 1, block user, resolving a reference to the block at line 13, for block stop, whose results stop Emacs"
	if !strings.Contains(strings.Join(d.Notes, "\n"), note) {
		t.Errorf("notes: %q, want %q", d.Notes, note)
	}
	resultsKept(t, e, id, "#+RESULTS: user\n: old\n")
}

// TestColnamesStopOnFailure: a shell block that fails under column names
// that are a rule stops the document: org-babel-eval's nil goes on to
// org-babel-reassemble-table, which takes the names' length. Its results
// stay as they were.
func TestColnamesStopOnFailure(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: t\n|---+---|\n| a | b |\n\n#+name: stop\n#+begin_src sh :var x=t :colnames yes\nexit 1\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+
		slowAfter)
	stop := launchOf(t, rb.fakeBackend, "stop", 1)
	d := stopThenSlowEnded(t, e, rb, id, stop, launchOf(t, rb.fakeBackend, "slow", 1), "", Failed)
	stoppedBeforeAfter(t, rb, d, 2, 5, plan.ColnamesStopError)
	resultsKept(t, e, id, "#+RESULTS: stop\n: old\n")
}

// betweenRuns fails t unless block between of document id, before the
// stop, is launched; it finishes it and returns the document once ended.
func betweenRuns(t *testing.T, e *Engine, rb *reportBackend, id string) *DocumentView {
	t.Helper()
	if !endedOrLaunched(e, rb, id, "between") {
		d, _ := e.Document(id)
		m, _ := blockMessage(d, "between")
		t.Fatalf("between not run: %q", m)
	}
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "between", 1), Finished, 0)
	d := endedFinishingRefRuns(t, e, rb, id, "after")
	// between, before the stop, ran slow for its reference, a run of
	// its own (slow's own, started before the stop was known, runs on:
	// stoppedBeforeAfter).
	if !blockFinished(d, "between :var s=slow") {
		t.Errorf("the run of slow between's reference makes did not finish")
	}
	return d
}

// slowAfter ends the documents of the tests of stops: slow, which runs
// on, and after, waiting for it, which a stop before holds.
const slowAfter = "#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"

// afterSlowRun is the task of the run of slow that block after's :var
// s=slow makes (slowAfter), as org-babel-ref-resolve runs slow again at
// the reference: after waits for it, not for slow's own run.
const afterSlowRun = "after :var s=slow"

// stopThenSlowEnded ends stop's attempt with out (Failed: exit status 1), then
// slow's, and waits for document id to end.
func stopThenSlowEnded(t *testing.T, e *Engine, rb *reportBackend, id string, stop, slow *Attempt, out string, state State) *DocumentView {
	t.Helper()
	rb.setOutput(stop.ID, out)
	code := 0
	if state == Failed {
		code = 1
	}
	finish(rb.fakeBackend, stop, state, code)
	waitState(t, e, id, "stop", state)
	finish(rb.fakeBackend, slow, Finished, 0)
	// The run of slow after's reference makes (afterSlowRun), if
	// launched, finished as slow is.
	endedOrLaunched(e, rb, id, "after")
	return waitDocumentEnded(t, e, id)
}

// resultsKept checks that document id's results document has kept, the
// results of a block a stop left as they were.
func resultsKept(t *testing.T, e *Engine, id, kept string) {
	t.Helper()
	doc, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc, kept) {
		t.Errorf("results document, without %q:\n%s", kept, doc)
	}
}

// finishWith finishes attempt a, its output out.
func finishWith(fb *fakeBackend, a *Attempt, out string) {
	fb.setOutput(a.ID, out)
	finish(fb, a, Finished, 0)
}

// evalRefusedStopDoc has at line 1 a block :eval refuses whose :var
// names block stop, then slowAfter, then block stop, which prints a raw
// byte (evalRefusedStopped).
const evalRefusedStopDoc = "#+begin_src sh :eval no :var x=stop\necho \"x=$x\"\n#+end_src\n\n" +
	slowAfter + "\n#+name: stop\n#+begin_src sh\nprintf 'c\\351\\n'\n#+end_src\n"

// refusedStopRun is the run of block stop the :var x=stop of the block
// :eval refuses at line 1 of evalRefusedStopDoc makes (Emacs resolving
// it runs stop again, at the refused block's turn).
const refusedStopRun = "block-1 :var x=stop"

// evalRefusedStopped ends the run of block stop the refused block's
// reference makes (refusedStopRun) of document id (evalRefusedStopDoc)
// with output holding a raw byte, which Emacs writes to a file and stops
// at, stop's own run (launched as the document starts, its turn past
// the stop) with "ok", then block slow, and waits for the document to
// end.
func evalRefusedStopped(t *testing.T, e *Engine, rb *reportBackend, id string) *DocumentView {
	t.Helper()
	return evalRefusedStoppedBy(t, e, rb, id, refusedStopRun)
}

// evalRefusedStoppedBy is evalRefusedStopped for a document whose run of
// stop that stops it is named refusedStopRun.
func evalRefusedStoppedBy(t *testing.T, e *Engine, rb *reportBackend, id, refusedStopRun string) *DocumentView {
	t.Helper()
	ref := launchOf(t, rb.fakeBackend, refusedStopRun, 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "stop", 1), "ok\n")
	rb.setOutput(ref.ID, "c\xe9\n")
	finish(rb.fakeBackend, ref, Finished, 0)
	waitState(t, e, id, refusedStopRun, Finished)
	finish(rb.fakeBackend, slow, Finished, 0)
	return endedFinishingRefRuns(t, e, rb, id, "after")
}

// endedFinishingRefRuns waits, bounded, for document id to end,
// finishing as they are launched the runs the :var references of the
// blocks names make (finishRefRuns): launched, as slow, before a stop
// is known, they run on.
func endedFinishingRefRuns(t *testing.T, e *Engine, rb *reportBackend, id string, names ...string) *DocumentView {
	t.Helper()
	for range 4000 {
		d, _ := e.Document(id)
		if d != nil && d.State != Running && d.State != Queued {
			break
		}
		for _, n := range names {
			finishRefRuns(rb, d, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return waitDocumentEnded(t, e, id)
}

// TestResultStopAtEvalRefused: a block :eval no refuses still has its
// :var references resolved, Emacs running the block one names
// (plan.Task.RefusedReaders): output holding a raw byte that Emacs
// writes to a file stops the document at the refused block, and the
// blocks between it and the named one that had not started are not run.
func TestResultStopAtEvalRefused(t *testing.T) {
	e, rb, id := submitToReport(t, evalRefusedStopDoc+"\n#+RESULTS: stop\n: old\n")
	d := evalRefusedStopped(t, e, rb, id)
	// The reference's run of stop, slow, and stop's own run, launched
	// as the document starts, before the stop is known.
	stoppedBeforeAfter(t, rb, d, 3, 1, plan.CodingStopError)
	wantNote(t, d, "stops this document at the block at line 1, which :eval refuses, resolving a reference that runs block stop (line 15), for block stop, whose results stop Emacs")
	// The run that stopped (:results silent) writes nothing; stop's
	// own run and slow's, started before the stop was known, ran on,
	// their results not written: the document is Emacs's, as submitted.
	wantAsEmacs(t, e, id, evalRefusedStopDoc+"\n#+RESULTS: stop\n: old\n")
}

// TestResultStopAtEvalRefusedLifted: the block a refused (:eval no)
// block names, whose output stopped the document at the refused block,
// runs again (a restart) and prints what Emacs reads: the run of it the
// refused block's reference makes, whose results made the stop, runs
// again with it, the stop is lifted, and the block it held runs.
func TestResultStopAtEvalRefusedLifted(t *testing.T) {
	e, rb, id := submitToReport(t, evalRefusedStopDoc)
	d := evalRefusedStopped(t, e, rb, id)
	if m, _ := blockMessage(d, "after"); !strings.Contains(m, "stopped before it, at the block at line 1") {
		t.Fatalf("after, before the restart: %q", m)
	}
	// The stop is made by the run of stop the refused block's :var
	// x=stop makes: it runs again with stop, printing what Emacs reads
	// too.
	if err := e.RestartBlock(context.Background(), id, "stop"); err != nil {
		t.Fatal(err)
	}
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1 :var x=stop", 2), "ok\n")
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "stop", 2), "ok\n")
	if !endedOrLaunched(e, rb, id, "after") {
		d, _ := e.Document(id)
		m, _ := blockMessage(d, "after")
		t.Fatalf("after: %q, notes %q: still held though block stop's new output reads", m, d.Notes)
	}
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
}

// TestResultStopAtEvalRefusedCall: a block :eval no refuses whose :var
// calls a block with arguments has Emacs run the block with them at its
// turn (the call a task of its own: plan.Task.RefusedReaders): output
// holding a raw byte that Emacs writes to a file stops the document at
// the refused block, and the blocks after it that had not started are
// not run (plan's TestAgainstEmacs/stop_evalno_call_args).
// refusedCallStopDoc: a block :eval refuses at line 1 calls stop(n=2),
// whose run prints a raw byte (block stop, after slow and after, at the
// end).
const refusedCallStopDoc = "#+begin_src sh :eval no :var x=stop(n=2)\necho \"x=$x\"\n#+end_src\n\n" +
	slowAfter + "\n#+name: stop\n#+begin_src sh :var n=1\nprintf 'c\\351\\n'\n#+end_src\n"

func TestResultStopAtEvalRefusedCall(t *testing.T) {
	e, rb, id := submitToReport(t, refusedCallStopDoc)
	callPrintsRawByte(t, e, rb, id, "stop(n=2)", Finished)
	d := endedFinishingRefRuns(t, e, rb, id, "after")
	stoppedBeforeAfter(t, rb, d, 3, 1, plan.CodingStopError)
	wantNote(t, d, "stops this document at the block at line 1, which :eval refuses, resolving a reference that runs block stop(n=2)")
}

// TestResultStopAtEvalRefusedCallBefore: the same, the block called
// standing before the refused block: Emacs runs the call at the refused
// block's turn, not at the called block's, so a block between the two
// runs.
func TestResultStopAtEvalRefusedCallBefore(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src sh :var n=1\nprintf 'c\\351\\n'\n#+end_src\n\n"+
		"#+name: between\n#+begin_src sh :var s=slow\necho between\n#+end_src\n\n"+
		"#+begin_src sh :eval no :var x=stop(n=2)\necho \"x=$x\"\n#+end_src\n\n"+slowAfter)
	callStopsBeforeAfter(t, e, rb, id, "stop(n=2)", Finished)
}

// callPrintsRawByte has block stop print "ok" and its call stop(n=2) a
// raw byte, waits for block wait to be in state, then ends slow
// (slowAfter).
func callPrintsRawByte(t *testing.T, e *Engine, rb *reportBackend, id, wait string, state State) {
	t.Helper()
	call := launchOf(t, rb.fakeBackend, "stop(n=2)", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "stop", 1), "ok\n")
	finishWith(rb.fakeBackend, call, "c\xe9\n")
	waitState(t, e, id, wait, state)
	finish(rb.fakeBackend, slow, Finished, 0)
}

// callStopsBeforeAfter is callPrintsRawByte, then between runs
// (betweenRuns), and checks that the document stopped at line 11, after
// not run.
func callStopsBeforeAfter(t *testing.T, e *Engine, rb *reportBackend, id, wait string, state State) {
	t.Helper()
	callPrintsRawByte(t, e, rb, id, wait, state)
	d := betweenRuns(t, e, rb, id)
	if launchedBlock(rb, "caller") {
		t.Errorf("caller launched, though Emacs stops resolving its call")
	}
	// stop, stop(n=2), slow, between's run of slow, between.
	stoppedBeforeAfter(t, rb, d, 5, 11, plan.CodingStopError)
}

// blockFinished reports whether block name of d has finished.
func blockFinished(d *DocumentView, name string) bool {
	for _, b := range d.Blocks {
		if b.Name == name {
			return len(b.Instances) == 1 && b.Instances[0].State == Finished
		}
	}
	return false
}

// TestResultStopAtEvalRefusedCallBeforeFound: the call a block :eval
// refuses makes prints a raw byte, and a block between the refused block
// and the called one prints a block of a language Emacs has no function
// for: Emacs stops at the refused block, never reaching the block found
// (plan's TestAgainstEmacs/stop_evalno_call_found_between). The notes
// give that stop only.
func TestResultStopAtEvalRefusedCallBeforeFound(t *testing.T) {
	e, rb, id := submitToReport(t, "#+begin_src sh :eval no :var x=stop(n=2)\necho \"x=$x\"\n#+end_src\n\n"+
		"#+name: owner\n#+begin_src sh :results raw\necho nosuch\n#+end_src\nAfter.\n\n"+
		"#+name: stop\n#+begin_src sh :var n=1\nprintf 'c\\351\\n'\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :var s=owner\necho after\n#+end_src\n")
	call := launchOf(t, rb.fakeBackend, "stop(n=2)", 1)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "stop", 1), "ok\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "owner", 1), "#+begin_src nosuch\n#+end_src\n")
	finishWith(rb.fakeBackend, call, "c\xe9\n")
	// after's run of owner, launched as the document starts, runs on.
	d := endedFinishingRefRuns(t, e, rb, id, "after")
	if notes := strings.Join(d.Notes, "\n"); strings.Contains(notes, "nosuch") || !strings.Contains(notes, "which :eval refuses, resolving a reference that runs block stop(n=2)") {
		t.Errorf("notes: %q, want only the stop at the refused block", notes)
	}
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"1, ") || !strings.Contains(m, plan.CodingStopError) {
		t.Errorf("after: %q, want held by the stop at the refused block", m)
	}
}

// TestResultStopAtRunnableCaller: a runnable block calls a block with
// arguments whose run prints a raw byte, and a block stands between the
// called block and the caller: Emacs runs the call at the caller's turn
// (stopPlace's nowhere for a call: never the called block's line), so
// it runs the block between and stops at the caller
// (TestAgainstEmacs/stop_js_call_runnable_caller, for a JavaScript
// value Emacs cannot read).
func TestResultStopAtRunnableCaller(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src sh :var n=1\nprintf 'c\\351\\n'\n#+end_src\n\n"+
		"#+name: between\n#+begin_src sh :var s=slow\necho between\n#+end_src\n\n"+
		"#+name: caller\n#+begin_src sh :var x=stop(n=2)\necho \"x=$x\"\n#+end_src\n\n"+slowAfter)
	// The caller, stopped in as it resolves its call, is not run (its
	// call's run has ended, the caller holds no attempt of its own).
	callStopsBeforeAfter(t, e, rb, id, "caller", Finished)
	d, _ := e.Document(id)
	if m, _ := blockMessage(d, "caller"); !strings.HasPrefix(m, "not run: org-babel-execute-buffer stopped in it,") {
		t.Errorf("caller: %q, want stopped in as it resolves its call", m)
	}
}

// TestSharedRefusedCallOneStop: a block :eval refuses and a runnable
// block after it both call stop(n=2), each place a run of its own (as
// Emacs runs them), the refused block's output holding a raw byte:
// Emacs stops at the refused block, and the notes give that stop once
// (not a second one at the runnable caller, whose own run of the call,
// started as it waits for nothing, prints the same byte).
func TestSharedRefusedCallOneStop(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src sh :var n=1\nprintf 'c\\351\\n'\n#+end_src\n\n"+
		"#+begin_src sh :eval no :var x=stop(n=2)\necho \"x=$x\"\n#+end_src\n\n"+
		"#+name: caller\n#+begin_src sh :var y=stop(n=2)\necho \"y=$y\"\n#+end_src\n\n"+slowAfter)
	callPrintsRawByte(t, e, rb, id, "stop(n=2)", Finished)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "caller :var y=stop(n=2)", 1), "c\xe9\n")
	onlyStop(t, endedFinishingRefRuns(t, e, rb, id, "after"), "at the block at line 6, which :eval refuses")
	if launchedBlock(rb, "caller") || launchedBlock(rb, "after") {
		t.Errorf("a block after the stop launched")
	}
}

// TestResultStopAtRefusedReference: a block referring to a block :eval
// no refuses whose :var names a block has Emacs run that block as it
// resolves the reference (plan's refusedRefRuns), a run of its own for
// the reading, besides the one the refused block's own turn makes:
// output holding a raw byte that Emacs writes to a file stops the
// document at the referring block, which does not run, nor the blocks
// after it that had not started (plan's TestAgainstEmacs/stop:_reference_to_a_refused_block_with_a_reference_of_its_own,_unread).
// The refused block's own turn's run, launched as the document starts,
// prints the same byte, a stop at noeval's turn, after ref: the earlier
// stop, the reading's, at ref, wins.
func TestResultStopAtRefusedReference(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: ref\n#+begin_src sh :var v=noeval\necho \"v=$v\"\n#+end_src\n\n"+
		slowAfter+"\n#+name: noeval\n#+begin_src sh :eval no :var x=stop\necho \"x=$x\"\n#+end_src\n\n"+
		"#+name: stop\n#+begin_src sh\nprintf 'c\\351\\n'\n#+end_src\n")
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "noeval :var x=stop", 1), "c\xe9\n")
	d := evalRefusedStoppedBy(t, e, rb, id, "ref :var v=noeval x=stop")
	// stop, slow, the run of stop ref's reading of noeval makes and
	// the one noeval's own turn makes.
	stoppedBeforeAfter(t, rb, d, 4, 1, plan.CodingStopError)
	if m, _ := blockMessage(d, "ref"); !strings.HasPrefix(m, "not run:") {
		t.Errorf("ref: %q, want not run (Emacs stops resolving its reference)", m)
	}
}

// TestNowebHeadingStopNotAtReferrer: a block whose noweb reference
// leaves point at a heading stops Emacs inserting its results
// (org.NowebHeadingError), which a reference running it (results
// silent) never does: the earlier block referring to it runs, and the
// document stops at the block's own turn (plan.ResultStopReferred;
// stop_hunt9b_noweb_heading.org), holding the block after it.
func TestNowebHeadingStopNotAtReferrer(t *testing.T) {
	e, rb, id := submitToReport(t, "* Notes\n:PROPERTIES:\n:CUSTOM_ID: hd\n:END:\nplain text\n* Run\n"+
		"#+name: ref\n#+begin_src sh :var v=stop\necho \"$v\"\n#+end_src\n\n"+
		"#+name: stop\n#+begin_src sh :noweb yes\necho <<hd>>\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+
		"#+name: after\n#+begin_src sh :var s=stop\necho after\n#+end_src\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "stop", 1), "plain text\n")
	// ref's reference runs stop again (results silent): that run does
	// not stop.
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "ref :var v=stop", 1), "plain text\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "ref", 1), "plain text\n")
	// after's run of stop, launched before the stop is known, runs on.
	d := endedFinishingRefRuns(t, e, rb, id, "after")
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"12, for block stop") {
		t.Errorf("after: %q, want held by the stop at stop's own line (12)", m)
	}
	if launchedBlock(rb, "after") {
		t.Error("after launched past the stop")
	}
	doc, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc, "#+RESULTS: stop\n: old\n") || !strings.Contains(doc, "#+RESULTS: ref\n: plain text\n") {
		t.Errorf("results document:\n%s", doc)
	}
}
