package engine

import (
	"context"
	"strings"
	"testing"
)

// TestFoundRefusedCallStopsRefBefore: block x, before a, refers to y,
// which stands after the refused block found in a's results and waits
// for slow, so that it is queued when the call is found, and then waits
// for the call too. The call's output stops the document at the refused
// block: y, past the stop, still runs for x's reference (no circle of
// waits, no deadlock), x's results are written and y's own are not, as
// Emacs's reference run writes none.
//
// It failed before y, needed by x, whose turn comes before the stop, was
// let go by the stop (neededByTurnBefore): the stop held y, and the
// document never ended.
func TestFoundRefusedCallStopsRefBefore(t *testing.T) {
	doc := "#+name: maker\n#+begin_src sh :var n=1\nif [ \"$n\" = 2 ]; then printf 'a\\377b'; else echo \"n=$n\"; fi\n#+end_src\n\n" +
		"#+name: x\n#+begin_src sh :var v=y\necho \"x $v\"\n#+end_src\n\n" +
		"#+name: a\n#+begin_src sh :results raw\nprintf x\n#+end_src\nText.\n\n" +
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
		"#+name: y\n#+begin_src sh :var s=slow\necho y\n#+end_src\n"
	out := "#+begin_src sh :eval no :var m=maker(n=2)\necho skipped\n#+end_src\n"
	_, rb, e, _, id := submitOnDisk(t, doc)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "maker", 1), "n=1\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), out)
	call := launchOf(t, rb.fakeBackend, foundRefusedCall, 1)
	finishLaunch(rb.fakeBackend, slow, "slow\n")
	// x's :var v=y runs y again (Babel runs the block at the
	// reference), at x's turn, before the stop, and that run's :var
	// s=slow runs slow again: x waits for those runs, not for y's own,
	// whose turn is past the stop. Both y's runs of slow (for that run
	// and for y's own) are ended as launched.
	launchOf(t, rb.fakeBackend, "y :var s=slow", 1)
	for _, a := range rb.launches() {
		if strings.HasPrefix(a.Block, "y :var s=slow") {
			finishLaunch(rb.fakeBackend, a, "slow\n")
		}
	}
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "x :var v=y", 1), "y\n")
	if launchedBlock(rb, "y") {
		t.Fatal("y launched before the call of the refused block before it ended")
	}
	finishLaunch(rb.fakeBackend, call, "a\xffb")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "x", 1), "x y\n")
	waitDocumentEnded(t, e, id)
	if launchedBlock(rb, "y") {
		t.Error("y launched: its own turn is past the stop, and x takes the value of its own run of y")
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "#+RESULTS: x\n: x y\n") || strings.Contains(got, "#+RESULTS: y\n") {
		t.Errorf("results document: want x's results, not y's (past the stop):\n%s", got)
	}
}
