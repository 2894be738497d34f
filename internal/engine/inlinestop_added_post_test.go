package engine

import (
	"context"
	"strings"
	"testing"
)

// addedPostDoc is addedInlineDoc after block twice, which an added inline
// block's :post calls: its Emacs Lisp block adds the inline block at
// "PLACE HERE" (line 11).
const addedPostDoc = "#+name: twice\n#+begin_src sh :var x=\"\" :results output\necho a$x\n#+end_src\n\n" + addedInlineDoc

// addedPostPost is the task of the :post of the inline block the Emacs
// Lisp block of addedPostDoc adds.
const addedPostPost = "inline-1 :post twice(x=*this*)"

// reportAddedPost has attempt a of block adder of addedPostDoc report the
// buffer with inline added at "PLACE HERE", and ends it.
func reportAddedPost(t *testing.T, rb *reportBackend, a *Attempt, inline string) {
	t.Helper()
	buffer := strings.Replace(addedPostDoc, "PLACE HERE", "PLACE HERE "+inline, 1)
	rb.rmu.Lock()
	rb.reports[a.ID] = addedReport(t, buffer, markAt{at: "#+begin_src sh :var x"}, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var s=slow"}, markAt{at: "src_sh["})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, a, Finished, 0)
}

// addedPostStarted submits addedPostDoc, has its Emacs Lisp block add
// inline, and returns the attempts of the inline block and of slow.
func addedPostStarted(t *testing.T, inline string) (*Engine, *reportBackend, string, *Attempt, *Attempt) {
	t.Helper()
	e, rb, id := submitToReport(t, addedPostDoc)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
	reportAddedPost(t, rb, launchOf(t, rb.fakeBackend, "adder", 1), inline)
	return e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), launchOf(t, rb.fakeBackend, "slow", 1)
}

// TestAddedPostStop: an inline block an Emacs Lisp block adds with a
// :post has its :post run with its value as *this*, and the :post's
// value decides, as Emacs writes it in the inline block's place: of
// several lines, refused ("Inline error: multiline result cannot be
// used"), it stops the document there, and block after is not run; of
// one line, it is written inline, and after runs. An added block that
// exits non-zero has its :post called with nil (not what it printed).
func TestAddedPostStop(t *testing.T) {
	for _, c := range []struct {
		name, inline, post string
		code               int
		stops              bool
	}{
		{"several lines", "src_sh[:post twice(x=*this*)]{echo p}", "ap\nbp\n", 0, true},
		{"one line", "src_sh[:post twice(x=*this*)]{echo p}", "ap\n", 0, false},
		{"failed, one line", "src_sh[:post twice(x=*this*)]{echo p; exit 3}", "a\n", 3, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id, in, slow := addedPostStarted(t, c.inline)
			rb.setOutput(in.ID, "p\n")
			state := Finished
			if c.code != 0 {
				state = Failed
			}
			finish(rb.fakeBackend, in, state, c.code)
			waitState(t, e, id, "inline-1", state)
			postThenSlow(t, e, rb, id, addedPostPost, c.code != 0, c.post, slow, c.stops)
			if c.stops {
				m, _ := blockMessage(waitDocumentEnded(t, e, id), "after")
				if !strings.HasPrefix(m, failStopAt+"11, for block inline-1") || !strings.HasSuffix(m, "Inline error: multiline result cannot be used") {
					t.Errorf("after: %q, want held by the stop of the added block's :post", m)
				}
				return
			}
			afterThenWritten(t, e, rb, id, c.inline+" {{{results(="+strings.TrimSuffix(c.post, "\n")+"=)}}}\n")
		})
	}
}

// TestAddedFailedStop: an inline block an Emacs Lisp block adds, with no
// :post, exits non-zero: org-babel-eval's nil, which Babel refuses inline
// ("Inline error: list result cannot be used"), stops the document there,
// and block after is not run; running the inline block again, now
// exiting zero with one line, lifts the stop.
func TestAddedFailedStop(t *testing.T) {
	e, rb, id := submitToReport(t, addedInlineDoc)
	reportAdded(t, rb, launchOf(t, rb.fakeBackend, "adder", 1), "src_sh[:var y=1]{echo out; exit 3}")
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	in := launchOf(t, rb.fakeBackend, "inline-1", 1)
	inlineExitsThenSlow(t, e, rb, id, in, slow, "out\n")
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after launched: an added inline block that exits non-zero stopped nothing")
	}
	m, _ := blockMessage(waitDocumentEnded(t, e, id), "after")
	if want := failStopAt + "6, for block inline-1, " + inlineStopWhy + ": Inline error: list result cannot be used"; m != want {
		t.Errorf("after: %q, want %q", m, want)
	}
	// Written from the buffer of the document's Emacs, which holds the
	// added block: Org refuses the nil before it writes anything, so
	// the block's place is left as it was, as in the document's own
	// text (TestInlineFailedStops).
	if text, err := e.ResultDocument(context.Background(), id); err != nil || !strings.Contains(text, "PLACE HERE src_sh[:var y=1]{echo out; exit 3}\n") {
		t.Errorf("the failed added inline block's place written (%v):\n%s", err, text)
	}
	if err := e.RestartBlock(context.Background(), id, "inline-1"); err != nil {
		t.Fatal(err)
	}
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 2), "1\n")
	afterRuns(t, e, rb, id, "the inline block ran again")
}

// TestAddedPostStopLifted: the stop made by the :post of an inline block
// an Emacs Lisp block added is lifted by running the inline block again:
// its :post runs again with it, and its new value, of one line, is
// written, so block after runs.
func TestAddedPostStopLifted(t *testing.T) {
	e, rb, id, in, slow := addedPostStarted(t, "src_sh[:post twice(x=*this*)]{echo p}")
	endWith(t, e, rb, id, in, "p\n")
	if stopThenSlow(t, e, rb, id, launchOf(t, rb.fakeBackend, addedPostPost, 1), "ap\nbp\n", slow) {
		t.Fatal("after launched")
	}
	waitDocumentEnded(t, e, id)
	if err := e.RestartBlock(context.Background(), id, "inline-1"); err != nil {
		t.Fatal(err)
	}
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 2), "q\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, addedPostPost, 2), "aq\n")
	afterRuns(t, e, rb, id, "the inline block and its :post ran again")
}
