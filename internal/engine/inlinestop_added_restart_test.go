package engine

import (
	"context"
	"testing"
)

// TestAddedInlineStopRestartMidRead: the server stops while the value of
// an added inline block is being read (its reads failing), the added
// inline block after it held; started again, it reads the value again
// and the stop holds that block: it is never run, as in Emacs.
func TestAddedInlineStopRestartMidRead(t *testing.T) {
	doc := "#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n" +
		"PLACE HERE\n\n#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n"
	dir := t.TempDir()
	rb := newReportBackend()
	// Only inline-1's reads fail: the other blocks' outputs, read for
	// whether their results stop Emacs, would otherwise be tried twice
	// and kept as not read, or not, as the stop below comes first or
	// not (a note each, seen under load in the suite).
	fr := &failingReads{reportBackend: rb, fail: true, only: "inline-1"}
	e, stop := startEngine(t, dir, fr, Config{endRead: fastRetry(neverGivesUp)})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	id := v.ID
	addTwoInline(t, rb, doc, "#+begin_src sh\necho after")
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	in1 := launchOf(t, rb.fakeBackend, "inline-1", 1)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	waitState(t, e, id, "after", Finished)
	rb.setOutput(in1.ID, "1\n2\n")
	finish(rb.fakeBackend, in1, Finished, 0)
	waitState(t, e, id, "inline-1", Finished)
	finish(rb.fakeBackend, slow, Finished, 0)
	waitState(t, e, id, "slow", Finished)
	l2 := launchedBlock(rb, "inline-2")
	t.Logf("engine1: after launched=%v inline-2 launched=%v", launchedBlock(rb, "after"), l2)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	if l2 {
		t.Fatal("inline-2 launched while inline-1's value was being read")
	}
	inline2Held(t, e2, rb, id, 6)
}
