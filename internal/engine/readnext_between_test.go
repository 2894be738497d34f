package engine

import (
	"strings"
	"testing"
	"time"
)

// endEveryLaunch submits text and ends each launch as it comes, printing
// its block's name (a writer's "block-N" nothing), failed with exit code
// 3 for the blocks in fail, until the document ends; it returns the
// document and its blocks in the order they were launched. Bounded.
func endEveryLaunch(t *testing.T, text string, fail ...string) (*DocumentView, []string) {
	t.Helper()
	e, rb, id := submitToReport(t, text)
	done := map[string]bool{}
	var order []string
	for range 12000 {
		for _, a := range rb.launches() {
			if done[a.ID] {
				continue
			}
			done[a.ID] = true
			order = append(order, a.Block)
			out := a.Block + "\n"
			if strings.HasPrefix(a.Block, "block-") {
				out = ""
			}
			rb.setOutput(a.ID, out)
			if strings.Contains(" "+strings.Join(fail, " ")+" ", " "+a.Block+" ") {
				finish(rb.fakeBackend, a, Failed, 3)
			} else {
				finish(rb.fakeBackend, a, Finished, 0)
			}
		}
		if d, _ := e.Document(id); d != nil && d.State != Running && d.State != Queued {
			return d, order
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("document %s has not ended", id)
	return nil, nil
}

// TestReadNextSessionBetweenReferred: the block of session s between the
// reader and block data, the next element of the name it reads, is one
// block data refers to: Babel runs it again within block data's
// evaluation, within the reader's, so it does not wait for the reader
// (that would close a circle: the reader waits for block data, which
// waits for it). Emacs runs every block.
func TestReadNextSessionBetweenReferred(t *testing.T) {
	d, order := endEveryLaunch(t, readNextAround("#+name: between\n#+begin_src sh :session s :results output\necho between\n#+end_src\n\n",
		"#+begin_src sh :session s :var b=between :results output silent\necho \"later $b\"\n#+end_src\n"))
	t.Logf("launched %v", order)
	everyBlockRan(t, d)
}

// TestReadNextSessionBetweenOtherReader: block pd of session s waits for
// no reader when that would close a circle through the next element a
// reader before it (r0, of session s2, before user) runs: r0 runs pd
// for its reference, user waits for r0 in session s2, and pd would wait
// for user. Emacs runs every block.
func TestReadNextSessionBetweenOtherReader(t *testing.T) {
	const doc = "#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: pd\n#+RESULTS:\n: old\n\n" +
		"#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n" +
		"#+name: r0\n#+begin_src sh :session s2 :var x=pd :results output\necho \"r0 [$x]\"\n#+end_src\n\n" +
		"#+name: user\n#+begin_src sh :session s2 :var x=data :results output\necho \"user [$x]\"\n#+end_src\n\n" +
		"#+name: pd\n#+begin_src sh :session s :results output silent\necho between\n#+end_src\n\n" +
		"#+name: data\n#+begin_src sh :session s :results output silent\necho later\n#+end_src\n"
	d, order := endEveryLaunch(t, doc)
	t.Logf("launched %v", order)
	everyBlockRan(t, d)
}

// TestReadNextSessionBetweenFailedReader: the wait of the block between
// for the reader only keeps Emacs's order: when the reader fails, the
// block between still runs, as in Emacs, and fails for no dependency.
func TestReadNextSessionBetweenFailedReader(t *testing.T) {
	d, order := endEveryLaunch(t, readNextSessionBetweenDoc, "user")
	t.Logf("launched %v", order)
	ran := false
	for _, b := range d.Blocks {
		for _, in := range b.Instances {
			if b.Name == "between" {
				ran = in.State == Finished
			}
			if strings.Contains(in.Message, "dependency user failed") {
				t.Errorf("%s: %q", b.Name, in.Message)
			}
		}
	}
	if !ran {
		t.Error("between did not run after the reader failed; Emacs runs it")
	}
}

// TestStopNotMovedByAfter: a block at line 1 with :after js waits for
// block js in Borges only (Emacs ignores :after): when Emacs cannot read
// js's value, the document stops at js's block, at line 11, as in Emacs
// (plan testdata stop_after_js.org), not at line 1, and the block
// between runs.
func TestStopNotMovedByAfter(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: first\n#+begin_src sh :after js :results output\necho first\n#+end_src\n\n"+
		"#+name: slow\n#+begin_src sh :results output\necho slow\n#+end_src\n\n"+
		"#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n")
	slow := endJS(t, rb, "'   '\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	endLaunch(t, rb, "first", 1, "first\n", Finished)
	d := waitDocumentEnded(t, e, id)
	onlyStop(t, d, "line 11, for block js, "+failStopWhy)
	for _, b := range d.Blocks {
		if b.Name == "slow" && b.Instances[0].State != Finished {
			t.Errorf("slow: %s %q", b.Instances[0].State, b.Instances[0].Message)
		}
	}
}
