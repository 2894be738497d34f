package engine

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// pastStopPostDoc has stop, whose value holds a raw byte Emacs asks a
// coding system for (it stops org-babel-execute-buffer there, checked
// with Emacs 28.2: free's results stay as they were, p gets none), free
// after it, waiting for nothing, whose :post calls p, p, and late,
// referring to free.
const pastStopPostDoc = "#+name: stop\n#+begin_src sh\nprintf 'c\\351\\n'\n#+end_src\n\n#+RESULTS: stop\n: old\n\n" +
	"#+name: free\n#+begin_src sh :post p(x=*this*)\necho free\n#+end_src\n\n#+RESULTS: free\n: old free\n\n" +
	"#+name: p\n#+begin_src sh :var x=\"\"\necho \"p $x\"\n#+end_src\n\n" +
	"#+name: late\n#+begin_src sh :var y=free\necho \"late $y\"\n#+end_src\n"

// TestPastStopPostHeld: free, past the stop, started before the stop was
// known (it waits for nothing) and runs on; its :post, not started when
// the stop was known, is held as a block past the stop that had not
// started is, saying so: Emacs never runs free nor its :post, and Borges
// knew that before launching it. free's results stay as they were, its
// view saying that it ran past the stop, its results not written. So
// too the :post of the run of free late's reference makes (late's turn
// past the stop), started before the stop was known. The document is
// Emacs's, byte for byte: as submitted.
func TestPastStopPostHeld(t *testing.T) {
	const post, refRun = "free :post p(x=*this*)", "late :var y=free"
	const refPost = refRun + " :post p(x=*this*)"
	e, rb, id := submitToReport(t, pastStopPostDoc)
	stop := launchOf(t, rb.fakeBackend, "stop", 1)
	free := launchOf(t, rb.fakeBackend, "free", 1)
	ref := launchOf(t, rb.fakeBackend, refRun, 1)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "p", 1), "p\n")
	endWith(t, e, rb, id, stop, "c\xe9\n")
	waitStopNoted(t, e, id)
	endWith(t, e, rb, id, free, "free\n")
	endWith(t, e, rb, id, ref, "free\n")
	for _, run := range []string{post, refPost} {
		if endedOrLaunched(e, rb, id, run) {
			t.Fatalf("%s launched past the stop, known before it was ready:\n%s", run, scriptOf(rb, run))
		}
	}
	d := waitDocumentEnded(t, e, id)
	for _, run := range []string{post, refPost} {
		if m, _ := anyBlockMessage(d, run); !strings.HasPrefix(m, failStopAt+"1, ") {
			t.Errorf("%s: %q, want held by the stop at line 1", run, m)
		}
	}
	wantRanPast(t, d, "free", 1)
	// The run late's reference made, written nowhere, ran: its :post
	// held, its view says its results stay as they were.
	if m, _ := anyBlockMessage(d, refRun); m != postHeldKept {
		t.Errorf("%s: %q, want %q", refRun, m, postHeldKept)
	}
	wantAsEmacs(t, e, id, pastStopPostDoc)
}

// wantRanPast checks that the view of block name says it ran past the
// stop at line, its results not written.
func wantRanPast(t *testing.T, d *DocumentView, name string, line int) {
	t.Helper()
	if m, _ := blockMessage(d, name); !strings.HasPrefix(m, fmt.Sprintf("%s%d ", ranPastStopPrefix, line)) || !strings.HasSuffix(m, ranPastUnwritten) {
		t.Errorf("%s: %q, want it to say it ran past the stop at line %d, its results not written", name, m, line)
	}
}

// TestPastStopRanSaysSo: p, past the stop, started before the stop was
// known, ran on, its output kept, but its results are not written, as
// Emacs, stopped before it, writes none: its view says so, and the
// document is Emacs's, as submitted. A backend that leaves its own
// message on the attempt, as the local one does ("pid 4242"), has the
// view say so in place of that stale message of a process gone.
func TestPastStopRanSaysSo(t *testing.T) {
	for _, backendSays := range []string{"", "pid 4242"} {
		t.Run("backend message "+strconv.Quote(backendSays), func(t *testing.T) {
			e, rb, id := submitToReport(t, pastStopPostDoc)
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			p := launchOf(t, rb.fakeBackend, "p", 1)
			endWith(t, e, rb, id, stop, "c\xe9\n")
			waitStopNoted(t, e, id)
			if backendSays != "" {
				rb.sink(Update{AttemptID: p.ID, State: Running, Message: backendSays})
			}
			endWith(t, e, rb, id, p, "p\n")
			d := endedFinishingLaunched(t, e, rb, id)
			wantRanPast(t, d, "p", 1)
			wantAsEmacs(t, e, id, pastStopPostDoc)
		})
	}
}
