package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// timedOut ends attempt a as a backend reports a block its :timeout
// killed: failed, "timed out after 1s", the exit status its wrapper saw
// (128+SIGTERM on the local backend, a pod's container on Kubernetes).
func timedOut(fb *fakeBackend, a *Attempt) {
	code := 143
	fb.sink(Update{AttemptID: a.ID, State: Running})
	fb.sink(Update{AttemptID: a.ID, State: Failed, ExitCode: &code, Message: "timed out after 1s", TimedOut: true})
}

// TestTimedOutNoNilStop: a block Borges's own :timeout killed stops
// nothing, whatever its language: Emacs, which has no :timeout and runs
// each block to its end, has no value for it to use as nil, so the nil
// stops of a Perl output block or a Python table (plan.FailureStop) are
// not made; the block fails as a timed-out block of any language does,
// its failure saying the timeout, and the blocks after it run. A shell
// block is the control.
func TestTimedOutNoNilStop(t *testing.T) {
	for _, head := range []string{
		"perl :results output",
		"perl :results output silent",
		"python :results output table",
		"ruby :results output table",
		"sh :results output",
	} {
		t.Run(head, func(t *testing.T) {
			e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src "+head+" :timeout 1\nsleep 9\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+slowAfter)
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			rb.setOutput(stop.ID, "partial\n")
			timedOut(rb.fakeBackend, stop)
			waitState(t, e, id, "stop", Failed)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "slow", 1), Finished, 0)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, afterSlowRun, 1), Finished, 0)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
			d := waitDocumentEnded(t, e, id)
			noStop(t, d)
			if m, _ := blockMessage(d, "stop"); !strings.Contains(m, "timed out after 1s") {
				t.Errorf("stop: %q, want its timeout said", m)
			}
			if notes := strings.Join(d.Notes, "\n"); strings.Contains(notes, "char-or-string-p") || strings.Contains(notes, "arrayp") {
				t.Errorf("notes: %q, want no nil error of a block that timed out", notes)
			}
			if strings.HasSuffix(head, "silent") {
				return
			}
			resultsKept(t, e, id, "#+RESULTS: stop\n:results:\nborges: failed — timed out after 1s\n")
		})
	}
}

// TestInlineTimedOutNoStop: an inline block its :timeout killed stops
// nothing either, neither with its language's nil error (Perl output)
// nor with Babel's inline refusal of nil (a shell block): the blocks
// after it run, and its results say it failed and why.
func TestInlineTimedOutNoStop(t *testing.T) {
	for _, inline := range []string{
		`src_perl[:results output :timeout 1]{sleep 9}`,
		`src_sh[:timeout 1]{sleep 9}`,
	} {
		t.Run(inline[:strings.Index(inline, "[")], func(t *testing.T) {
			doc := strings.Replace(inlineStopDoc, "src_sh[:results output]{echo 1; echo 2}", inline, 1)
			e, rb, id := submitToReport(t, doc)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "before", 1), Finished, 0)
			in := launchOf(t, rb.fakeBackend, "inline-1", 1)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			timedOut(rb.fakeBackend, in)
			waitState(t, e, id, "inline-1", Failed)
			finish(rb.fakeBackend, slow, Finished, 0)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, afterSlowRun, 1), Finished, 0)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
			d := waitDocumentEnded(t, e, id)
			noStop(t, d)
			if m, _ := blockMessage(d, "inline-1"); !strings.Contains(m, "timed out after 1s") {
				t.Errorf("inline-1: %q, want its timeout said", m)
			}
			// Written failed, as a block's drawer says it, never an
			// empty value a success could have given.
			doc, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if want := inline + " {{{results(=borges: failed — timed out after 1s=)}}} here."; !strings.Contains(doc, want) {
				t.Errorf("results document, without %q:\n%s", want, doc)
			}
		})
	}
}

// TestTimedOutWordsNoTimeout: a block that failed with an exit status of
// its own program is not taken as timed out because the failure's
// message, its backend's, begins with "timed out" (a program's error
// text, a message kept from an earlier attempt): a timeout is what its
// backend says it is (Update.TimedOut), not words. Its Perl output nil
// stops the document as for any failure (TestFailedNilStop).
func TestTimedOutWordsNoTimeout(t *testing.T) {
	for _, msg := range []string{"timed out waiting for the lock", "timed out after 1s"} {
		t.Run(msg, func(t *testing.T) {
			e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src perl :results output\ndie;\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+slowAfter)
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			rb.setOutput(stop.ID, "partial\n")
			code := 4
			rb.sink(Update{AttemptID: stop.ID, State: Running})
			rb.sink(Update{AttemptID: stop.ID, State: Failed, ExitCode: &code, Message: msg})
			waitState(t, e, id, "stop", Failed)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "slow", 1), Finished, 0)
			// A missed stop launches "after": it fails here at once.
			if m := heldOrLaunched(t, e, rb, id, "after"); !strings.HasSuffix(m, ": "+plan.PerlOutputNilError) {
				t.Fatalf("after: %q, want held by the stop at stop with %q", m, plan.PerlOutputNilError)
			}
			d := waitDocumentEnded(t, e, id)
			stoppedBeforeAfter(t, rb, d, 2, 1, plan.PerlOutputNilError)
			resultsKept(t, e, id, "#+RESULTS: stop\n: old\n")
		})
	}
}

// TestTimedOutFlagNoNilStop: a timeout is its backend's flag
// (Update.TimedOut), whatever its message says: a Perl output block so
// ended stops nothing, the blocks after it run.
func TestTimedOutFlagNoNilStop(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src perl :results output :timeout 1\nsleep 9;\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+slowAfter)
	stop := launchOf(t, rb.fakeBackend, "stop", 1)
	rb.setOutput(stop.ID, "partial\n")
	code := 143
	rb.sink(Update{AttemptID: stop.ID, State: Running})
	rb.sink(Update{AttemptID: stop.ID, State: Failed, ExitCode: &code, Message: "its deadline passed", TimedOut: true})
	waitState(t, e, id, "stop", Failed)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "slow", 1), Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, afterSlowRun, 1), Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
}
