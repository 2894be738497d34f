package engine

import (
	"context"
	"strings"
	"testing"
)

// foundTwoOwnersStopDoc has two raw shell blocks before an Emacs Lisp
// block and a shell block: the first's results hold a block that runs,
// the second's a block whose :var names no block, which stops the
// document (as Emacs 28.2 does with internal/plan's
// found_runs_then_referr_before_emacs.org, the two found blocks in one
// owner's results: the first runs, its results written, and Emacs stops
// at the second, at line 19 of the buffer here).
const foundTwoOwnersStopDoc = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh' 'echo first' '#+end_src'\n#+end_src\nText.\n\n" +
	"#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh :var x=nosuchthing' 'echo $x' '#+end_src'\n#+end_src\nText.\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+begin_src sh\necho never\n#+end_src\n"

// finishTwoOwners submits foundTwoOwnersStopDoc to a new engine on a
// store in a new directory and finishes its two raw blocks, the second
// (whose results stop the document) first, then the first.
func finishTwoOwners(t *testing.T) (dir string, rb *reportBackend, e *Engine, stop func(), id string) {
	t.Helper()
	dir, rb, e, stop, id = submitOnDisk(t, foundTwoOwnersStopDoc)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "block-2", 1), "#+begin_src sh :var x=nosuchthing\necho $x\n#+end_src\n")
	waitState(t, e, id, "block-2", Finished)
	finishLaunch(fb, launchOf(t, fb, "block-1", 1), "#+begin_src sh\necho first\n#+end_src\n")
	return dir, rb, e, stop, id
}

// checkTwoOwnersStopped checks document id of e ended as Emacs leaves
// foundTwoOwnersStopDoc: the block found in the first owner's results
// ran, ": first" written, and the Emacs Lisp block and the block after
// it not run, stopped before at line 19; it returns the results document.
func checkTwoOwnersStopped(t *testing.T, e *Engine, id string) string {
	t.Helper()
	d := waitDocumentEnded(t, e, id)
	for _, held := range []string{"block-3", "block-4"} {
		if msg, ok := blockMessage(d, held); !ok || !strings.HasPrefix(msg, "not run: org-babel-execute-buffer stopped before it") || !strings.Contains(msg, "at line 19 ") || !strings.Contains(msg, "nosuchthing") {
			t.Errorf("%s: %q; want not run, stopped before it at line 19", held, msg)
		}
	}
	if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "stops this document") {
		t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "#+begin_src sh\necho first\n#+end_src\n\n#+RESULTS:\n: first\n") || strings.Contains(got, "RESULTS:\n: 3") {
		t.Errorf("results document:\n%s\nwant the found block's ': first' written, the Emacs Lisp block's none", got)
	}
	return got
}

// TestFoundTwoOwnersStopFinishedFirst: the owner whose results stop the
// document finishes before the owner of the block found before the stop;
// that block still runs (it stands before the stop in the buffer), and
// the stop holds the Emacs Lisp block and the block after it.
func TestFoundTwoOwnersStopFinishedFirst(t *testing.T) {
	_, rb, e, _, id := finishTwoOwners(t)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "block-1-found-1", 1), "first\n")
	checkTwoOwnersStopped(t, e, id)
	if l := rb.launches(); len(l) != 3 {
		t.Errorf("%d attempts, want 3 (the two owners and the block found before the stop)", len(l))
	}
}

// TestFoundTwoOwnersStopRestarted is TestFoundTwoOwnersStopFinishedFirst
// with the server started again on the same store while the block found
// before the stop is launched (not yet running) or running: the server
// started again ends the document as the live one does, the block found
// run once.
func TestFoundTwoOwnersStopRestarted(t *testing.T) {
	_, lrb, live, _, lid := finishTwoOwners(t)
	finishLaunch(lrb.fakeBackend, launchOf(t, lrb.fakeBackend, "block-1-found-1", 1), "first\n")
	want := checkTwoOwnersStopped(t, live, lid)
	for _, running := range []bool{false, true} {
		name := "launched"
		if running {
			name = "running"
		}
		t.Run(name, func(t *testing.T) {
			dir, rb, e, stop, id := finishTwoOwners(t)
			fb := rb.fakeBackend
			found := launchOf(t, fb, "block-1-found-1", 1)
			if running {
				fb.sink(Update{AttemptID: found.ID, State: Running})
				waitState(t, e, id, "block-1-found-1", Running)
			}
			stop()
			e2, stop2 := startEngine(t, dir, rb, Config{})
			t.Cleanup(stop2)
			finishLaunch(fb, found, "first\n")
			if got := checkTwoOwnersStopped(t, e2, id); got != want {
				t.Errorf("after a restart:\n%s\nwant (live):\n%s", got, want)
			}
			if l := rb.launches(); len(l) != 3 {
				t.Errorf("%d attempts, want 3 (the two owners and the block found before the stop, once)", len(l))
			}
		})
	}
}
