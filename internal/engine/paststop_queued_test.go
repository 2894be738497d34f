package engine

import (
	"context"
	"strings"
	"testing"
)

// TestPastStopRefQueuedWhenKnown: block other stands after an inline
// block whose value Babel refuses inline, which stops the document; block
// a, before that, refers to it, and other waits for slow, so that it is
// still queued when the stop is known. Emacs runs other for a's
// reference before it reaches the stop: the stop does not hold it
// (neededByTurnBefore); it runs, a runs with its value, and other's own
// results are not written; late, which only blocks past the stop need,
// is not run. Before the fix the stop held other, and a ran without it.
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
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "other", 1), "other\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
	waitDocumentEnded(t, e, id)
	if launchedBlock(rb, "late") {
		t.Error("late, past the stop and needed by no block before it, ran")
	}
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "#+RESULTS: a\n: a other\n") || strings.Contains(text, otherResults) {
		t.Errorf("results document: want a's results, not other's:\n%s", text)
	}
}
