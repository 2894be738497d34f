package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestPastStopRefQueuedWhenKnown: block other stands after an inline
// block whose value Babel refuses inline, which stops the document; block
// a, before that, refers to it, and other waits for slow, so that it is
// still queued when the stop is known. Emacs runs other for a's
// reference before it reaches the stop: that run, a task of its own
// (with the run of slow other's :var s=slow makes in it), is not held;
// it runs, a runs with its value; other's own run, past the stop, is
// not run, nor its results written; late, which only blocks past the
// stop need, is not run.
func TestPastStopRefQueuedWhenKnown(t *testing.T) {
	doc := "#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
		"#+name: a\n#+begin_src sh :var v=other\necho \"a $v\"\n#+end_src\n\n" +
		"Text src_sh[:results output]{echo 1; echo 2} here.\n\n" +
		"#+name: other\n#+begin_src sh :var s=slow\necho other\n#+end_src\n\n" +
		"#+name: late\n#+begin_src sh :var s=slow\necho late\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "1\n2\n")
	waitStopNoted(t, e, id)
	endWith(t, e, rb, id, slow, "slow\n")
	// a's :var v=other is a run of other of its own (Babel runs other
	// again at the reference, before the stop), which makes other's
	// :var s=slow again: those runs end as they launch, then a runs.
	for i := 0; !launchedBlock(rb, "a"); i++ {
		if i == 4000 {
			t.Fatal("a never launched: the runs its reference makes held")
		}
		d, _ := e.Document(id)
		finishRefRuns(rb, d, "a")
		finishRefRuns(rb, d, "other")
		time.Sleep(5 * time.Millisecond)
	}
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
	// The run of slow late's :var s=slow makes, launched at once before
	// the stop was known, runs on (endedOrLaunched finishes it).
	if endedOrLaunched(e, rb, id, "late") {
		t.Error("late, past the stop and needed by no block before it, ran")
	}
	waitDocumentEnded(t, e, id)
	if launchedBlock(rb, "other") {
		t.Error("other's own run, past the stop, ran: a takes its value from the run its reference makes")
	}
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "#+RESULTS: a\n: a other\n") || strings.Contains(text, otherResults) {
		t.Errorf("results document: want a's results, not other's:\n%s", text)
	}
}
