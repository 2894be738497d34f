package engine

import (
	"strings"
	"testing"
)

// addedInlineAdder is the Emacs Lisp block of addedInlineDoc and the
// place where it adds the inline block.
const addedInlineAdder = "#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\nPLACE HERE\n\n"

// TestPostMayStopHoldsNothingStarted: block after, whose only
// dependency is slow, stands after an inline block whose :post's value
// may be refused inline and stop the document (TestAddedPostStop), of
// the document submitted or added by an Emacs Lisp block. What holds
// after is its dependency alone, not the :post that may still stop the
// document before it: once slow has ended, after is launched while the
// :post runs, as Borges runs at once what waits for nothing else (the
// README's stops: those started before the stop is known run on and
// write their results). The :post's value refused then stops the
// document, and after, started, runs on. TestAddedPostStopRestart ends
// the :post before slow, where after is held by the stop. after's
// :var s=slow is a run of slow of its own (afterSlowRun), which after
// waits for: it too is launched while the :post runs.
func TestPostMayStopHoldsNothingStarted(t *testing.T) {
	if !strings.Contains(addedPostDoc, addedInlineAdder) {
		t.Fatal("addedPostDoc has no adder to replace")
	}
	const inline = "src_sh[:post twice(x=*this*)]{echo p}"
	for _, added := range []bool{false, true} {
		t.Run(map[bool]string{false: "submitted", true: "added"}[added], func(t *testing.T) {
			var e *Engine
			var rb *reportBackend
			var id string
			var in, slow *Attempt
			if added {
				e, rb, id, in, slow = addedPostStarted(t, inline)
			} else {
				e, rb, id = submitToReport(t, strings.Replace(addedPostDoc, addedInlineAdder, "Text "+inline+"\n\n", 1))
				finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
				in, slow = launchOf(t, rb.fakeBackend, "inline-1", 1), launchOf(t, rb.fakeBackend, "slow", 1)
			}
			endWith(t, e, rb, id, in, "p\n")
			post := launchOf(t, rb.fakeBackend, addedPostPost, 1)
			endWith(t, e, rb, id, slow, "slow\n")
			// after's :var s=slow runs slow again, a run of its own
			// that after waits for, launched as after would be.
			ref := launchOf(t, rb.fakeBackend, afterSlowRun, 1)
			if _, st := current(e, id, addedPostPost); st.Terminal() {
				t.Fatalf("the :post is %s when after's run of slow is launched, want it still running", st)
			}
			endWith(t, e, rb, id, ref, "slow\n")
			after := launchOf(t, rb.fakeBackend, "after", 1)
			if _, st := current(e, id, addedPostPost); st.Terminal() {
				t.Fatalf("the :post is %s when after is launched, want it still running", st)
			}
			endWith(t, e, rb, id, post, "ap\nbp\n")
			endWith(t, e, rb, id, after, "after\n")
			d := waitDocumentEnded(t, e, id)
			// Run to its end, past the stop, its view saying so, its
			// results not written (pastStop.unwrittenNote).
			if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, ranPastStopPrefix) || !strings.HasSuffix(m, ranPastUnwritten) {
				t.Errorf("after: %q, want it run to its end, its view saying it ran past the stop", m)
			}
		})
	}
}
