package engine

import (
	"strings"
	"testing"
	"time"
)

// foundInlineDoc has a block whose raw results hold an inline block
// that org-babel-execute-buffer finds there and runs (it has no #+name:
// Emacs does not search the results of a named block so); slow and
// after follow.
const foundInlineDoc = "#+begin_src sh :results raw\nprintf 'Found src_sh[:results output]{echo 1; echo 2} in results.\\n'\n#+end_src\n" + slowAfter

// launchedInline waits, bounded, for the inline block found in owner's
// results, whose body has code, to launch, and returns its attempt.
func launchedInline(t *testing.T, rb *reportBackend, code string) *Attempt {
	t.Helper()
	return launchMatching(t, rb.fakeBackend, "the inline block found in the first block's results never launched", func(a *Attempt) bool {
		return !strings.Contains(a.Script, "printf") && strings.Contains(a.Script, code)
	})
}

// launchMatching waits, bounded, for a launch of fb that match accepts,
// and returns the first; t fails with never, naming the blocks
// launched, if none comes.
func launchMatching(t *testing.T, fb *fakeBackend, never string, match func(*Attempt) bool) *Attempt {
	t.Helper()
	for range 12000 {
		for _, a := range fb.launches() {
			if match(a) {
				return a
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s (launched: %q)", never, launchedBlocks(fb))
	return nil
}

// foundInlineLaunched has the block of a document shaped as
// foundInlineDoc write out, its raw results, and returns the attempts of
// slow and of the inline block found there, whose body has code.
func foundInlineLaunched(t *testing.T, e *Engine, rb *reportBackend, id, out, code string) (slow, found *Attempt) {
	t.Helper()
	slow = launchOf(t, rb.fakeBackend, "slow", 1)
	// Launched with slow, in no set order: the run of slow after's
	// :var s=slow makes (afterSlowRun), which may come before it.
	owner := launchMatching(t, rb.fakeBackend, "the block writing raw results never launched", func(a *Attempt) bool {
		return strings.Contains(a.Script, "printf")
	})
	endWith(t, e, rb, id, owner, out)
	return slow, launchedInline(t, rb, code)
}

// TestFoundInlineValueStop: an inline block found in results whose
// output has several lines, which Babel refuses inline, stops the
// document there, as Emacs does (TestAgainstEmacs/stop:_inline_block_found_in_results):
// block after, after it, is not run, a server started again since or
// not.
func TestFoundInlineValueStop(t *testing.T) {
	for _, restart := range []bool{false, true} {
		dir, rb, e, stop, id := submitOnDisk(t, foundInlineDoc)
		foundInlineStopped(t, e, rb, id)
		if restart {
			// A server started again keeps the stop.
			stop()
			e2, _ := startEngine(t, dir, rb, Config{})
			checkFoundInlineHeld(t, waitDocumentEnded(t, e2, id))
			if launchedBlock(rb, "after") {
				t.Error("after launched by a server started again")
			}
		}
	}
}

// foundInlineStopped runs foundInlineDoc, submitted as id, until the
// inline block found in the first block's results has stopped it, and
// checks that after is held.
func foundInlineStopped(t *testing.T, e *Engine, rb *reportBackend, id string) {
	t.Helper()
	slow, found := foundInlineLaunched(t, e, rb, id, "Found src_sh[:results output]{echo 1; echo 2} in results.\n", "echo 1; echo 2")
	if stopThenSlow(t, e, rb, id, found, "1\n2\n", slow) {
		t.Fatal("after launched: the inline block found before it stops the document")
	}
	checkFoundInlineHeld(t, waitDocumentEnded(t, e, id))
}

// checkFoundInlineHeld fails t unless block after of d is held by the
// stop of the inline block found in results.
func checkFoundInlineHeld(t *testing.T, d *DocumentView) {
	t.Helper()
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt) || !strings.Contains(m, "multiline result cannot be used") {
		t.Errorf("after: %q, want held by the found inline block's stop", m)
	}
}

// TestFoundInlineFailedStops: an inline block found in results that
// exits non-zero: org-babel-eval's nil, which Babel refuses inline,
// stops the document there, as Emacs does
// (TestAgainstEmacs/stop:_inline_block_found_in_results_that_exits_non-zero):
// block after is not run, and the found block's place in the results
// written is left as it was.
func TestFoundInlineFailedStops(t *testing.T) {
	doc := strings.Replace(foundInlineDoc, "src_sh[:results output]{echo 1; echo 2}", "src_sh{echo x; exit 3}", 1)
	e, rb, id := submitToReport(t, doc)
	slow, found := foundInlineLaunched(t, e, rb, id, "Found src_sh{echo x; exit 3} in results.\n", "exit 3")
	rb.setOutput(found.ID, "x\n")
	finish(rb.fakeBackend, found, Failed, 3)
	waitState(t, e, id, found.Block, Failed)
	finish(rb.fakeBackend, slow, Finished, 0)
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after launched: the failed inline block found before it stops the document")
	}
	if m, _ := blockMessage(waitDocumentEnded(t, e, id), "after"); !strings.HasPrefix(m, failStopAt) || !strings.Contains(m, "list result cannot be used") {
		t.Errorf("after: %q, want held by the found inline block's stop", m)
	}
	resultsKept(t, e, id, "#+RESULTS:\nFound src_sh{echo x; exit 3} in results.\n")
}
