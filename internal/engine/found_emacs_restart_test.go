package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestFoundWriterRunAgainAfterEmacsRestarted: a block whose results hold
// a block, run again after the Emacs Lisp block after it has run, finds
// none (that block ran before the block found could run before it), and
// a server started again on the same store decides as the live one did:
// the document finished, no block added, nothing launched.
// TestFoundBeforeEmacsLispRestarted is the other order: the blocks found
// ran before the Emacs Lisp block, and a server started again keeps them.
func TestFoundWriterRunAgainAfterEmacsRestarted(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	v := runWriterAgain(t, e, rb, []progOutput{{"(+ 1 2)", "3"}, {"echo hi", "plain\n"}}, "#+begin_src sh\necho nested\n#+end_src\n")
	waitDocumentFinished(t, e, v.ID)
	checkNoneAdded(t, e, v.ID)
	live, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l := len(rb.launches()); l != 3 {
		t.Fatalf("%d attempts live, want 3", l)
	}
	stop()
	e2, stop2 := startEngine(t, dir, rb, Config{})
	t.Cleanup(stop2)
	waitDocumentFinished(t, e2, v.ID)
	checkNoneAdded(t, e2, v.ID)
	again, err := e2.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again != live || len(rb.launches()) != 3 {
		t.Errorf("after a restart %d attempts and\n%s\nwant 3 and (live)\n%s", len(rb.launches()), again, live)
	}
}

// TestFoundWriterRunAgainAfterFoundRanRestarted: the block whose
// results held a block found and run before the Emacs Lisp block after
// it runs again, after that block, and its new results hold another: a
// server started again on the same store shows what the live one did.
func TestFoundWriterRunAgainAfterFoundRanRestarted(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	v := runWriterAgain(t, e, rb, []progOutput{{"(+ 1 2)", "3"}, {"echo hi", "#+begin_src sh\necho nested\n#+end_src\n"}, {"echo nested", "nested\n"}}, "#+begin_src sh\necho other\n#+end_src\n")
	// Whatever runs after: answered, a bounded number of them.
	outs := []progOutput{{"(+ 1 2)", "3"}, {"echo other", "other\n"}, {"echo nested", "nested\n"}, {"echo hi", "#+begin_src sh\necho other\n#+end_src\n"}}
	answered := 4
	for range 4000 {
		if d, _ := e.Document(v.ID); d != nil && d.State == Finished {
			break
		}
		ls := rb.launches()
		if len(ls) == answered {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		if answered >= 9 {
			t.Fatalf("%d launches", len(ls))
		}
		a := ls[answered]
		k := slices.IndexFunc(outs, func(o progOutput) bool { return strings.Contains(a.Script, o.prog) })
		if k < 0 {
			t.Fatalf("launched %s: %q", a.Block, a.Script)
		}
		rb.setOutput(a.ID, outs[k].out)
		finish(rb.fakeBackend, a, Finished, 0)
		answered++
	}
	waitDocumentFinished(t, e, v.ID)
	live, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	l := len(rb.launches())
	stop()
	if again, l2 := restartedResults(t, dir, rb, v.ID); again != live || l2 != l {
		t.Errorf("after a restart %d attempts and\n%s\nwant %d and (live)\n%s", l2, again, l, live)
	}
	t.Logf("live (%d attempts):\n%s", l, live)
}

// foundWriterDoc's block w writes raw results, before an Emacs Lisp block.
const foundWriterDoc = "#+name: w\n#+begin_src sh :results raw\necho hi\n#+end_src\nText right after.\n\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n"

// runWriterAgain submits foundWriterDoc to e, answers its launches with
// first (every one of them until it finishes: len(first) of them), runs
// w again and answers it with again, and returns the document.
func runWriterAgain(t *testing.T, e *Engine, rb *reportBackend, first []progOutput, again string) *DocumentView {
	t.Helper()
	v, err := e.Submit(context.Background(), foundWriterDoc)
	if err != nil {
		t.Fatal(err)
	}
	answerByProgram(t, rb.fakeBackend, len(first), first)
	waitDocumentFinished(t, e, v.ID)
	if err := e.RestartBlock(context.Background(), v.ID, "w"); err != nil {
		t.Fatal(err)
	}
	n := len(first) + 1
	a := waitLaunches(t, rb.fakeBackend, n)[n-1]
	if a.Block != "w" {
		t.Fatalf("launch %d is of %s, want w", n, a.Block)
	}
	rb.setOutput(a.ID, again)
	finish(rb.fakeBackend, a, Finished, 0)
	return v
}

// TestFoundWriterRunAgainTwiceRestarted: the block found first ran
// before the Emacs Lisp block; the writer run again writes none, then
// again, after that block, one more, which the live server does not run
// (that block ran before it), nor does a server started again, though
// the store held a record of a block of that name.
func TestFoundWriterRunAgainTwiceRestarted(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	v := runWriterAgain(t, e, rb, []progOutput{{"(+ 1 2)", "3"}, {"echo hi", "#+begin_src sh\necho nested\n#+end_src\n"}, {"echo nested", "nested\n"}}, "plain\n")
	waitDocumentFinished(t, e, v.ID)
	if err := e.RestartBlock(context.Background(), v.ID, "w"); err != nil {
		t.Fatal(err)
	}
	a := waitLaunches(t, rb.fakeBackend, 5)[4]
	if a.Block != "w" {
		t.Fatalf("launch 5 is of %s, want w", a.Block)
	}
	rb.setOutput(a.ID, "#+begin_src sh\necho other\n#+end_src\n")
	finish(rb.fakeBackend, a, Finished, 0)
	waitDocumentFinished(t, e, v.ID)
	live, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l := len(rb.launches()); l != 5 || strings.Contains(live, ": other") {
		t.Fatalf("live: %d attempts and\n%s\nwant 5, the block found not run", l, live)
	}
	stop()
	if again, l := restartedResults(t, dir, rb, v.ID); again != live || l != 5 {
		t.Errorf("after a restart %d attempts and\n%s\nwant 5 and (live)\n%s", l, again, live)
	}
}
