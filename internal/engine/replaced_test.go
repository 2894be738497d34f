package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// replacedDoc has a block whose old results hold a block, replaced by
// its new ones before org-babel-execute-buffer reaches it.
const replacedDoc = "#+begin_src sh :results code\necho 'echo new'\n#+end_src\n\n" +
	"#+RESULTS:\n#+begin_src sh\necho old inner\n#+end_src\n\nText after.\n\n" +
	"#+begin_src sh\necho last\n#+end_src\n"

// replacedWant is what Emacs leaves of replacedDoc
// (TestAgainstEmacs/results_run:_blocks_in_results_replaced holds the
// same case).
const replacedWant = "#+begin_src sh :results code\necho 'echo new'\n#+end_src\n\n" +
	"#+RESULTS:\n#+begin_src sh\necho new\n#+end_src\n\n#+RESULTS:\n: new\n\nText after.\n\n" +
	"#+begin_src sh\necho last\n#+end_src\n\n#+RESULTS:\n: last\n"

// TestReplacedNeverLaunched: a block of the document in old results that
// a block before it replaces is never launched, its status says why, and
// the block found in the new results runs; the results document is
// Emacs's.
func TestReplacedNeverLaunched(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, _ := startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), replacedDoc)
	if err != nil {
		t.Fatal(err)
	}
	outputs := []struct{ prog, out string }{
		{"echo 'echo new'", "echo new\n"},
		{"echo last", "last\n"},
		{"echo new", "new\n"},
	}
	// The owner and the last block, then the block found in the new
	// results: three launches, whichever order the first two come in.
	for n := 1; n <= 3; n++ {
		ls := waitLaunches(t, rb.fakeBackend, n)
		if len(ls) < n {
			t.Fatalf("%d launches, want %d", len(ls), n)
		}
		a := ls[n-1]
		if strings.Contains(a.Script, "old inner") {
			t.Fatalf("the block in the results replaced was launched: %q", a.Script)
		}
		out := "unexpected\n"
		for _, o := range outputs {
			if strings.Contains(a.Script, o.prog) {
				out = o.out
				break
			}
		}
		rb.setOutput(a.ID, out)
		finish(rb.fakeBackend, a, Finished, 0)
	}
	d := waitDocumentEnded(t, e, v.ID)
	if d.State != Finished {
		t.Fatalf("document %s: %+v", v.ID, d)
	}
	if l := rb.launches(); len(l) != 3 {
		t.Errorf("%d attempts, want 3", len(l))
	}
	var inner *BlockView
	for i := range d.Blocks {
		if d.Blocks[i].Name == "block-2" {
			inner = &d.Blocks[i]
		}
	}
	const why = "not run: it stands in the old results of block-1, which its new results replace before org-babel-execute-buffer reaches it"
	switch {
	case inner == nil:
		t.Errorf("no block-2 in %+v", d.Blocks)
	case len(inner.Instances) != 1:
		t.Errorf("block-2: %+v", inner)
	case inner.Instances[0].Message != why || inner.Instances[0].Attempts != 0 || inner.State != Finished:
		t.Errorf("block-2: %s, %q, %d attempts; want finished, %q, none", inner.State, inner.Instances[0].Message, inner.Instances[0].Attempts, why)
	}
	got, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != replacedWant {
		t.Fatalf("results document:\n%s\nwant (Emacs):\n%s", got, replacedWant)
	}
}

// waitDocumentEnded waits, with a generous bound, for document id to be
// neither queued nor running, and returns its view.
func waitDocumentEnded(t *testing.T, e *Engine, id string) *DocumentView {
	t.Helper()
	var d *DocumentView
	for range 12000 {
		if d, _ = e.Document(id); d != nil && d.State != Running && d.State != Queued {
			return d
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("document %s has not ended: %+v", id, d)
	return nil
}

// TestReplacedOwnerKilled: the block whose new results would replace the
// old ones is killed before it writes them: the old results stay, and the
// block in them says so rather than that new results replaced it.
func TestReplacedOwnerKilled(t *testing.T) {
	e, rb, id := submitToReport(t, replacedDoc)
	launchOf(t, rb.fakeBackend, "block-1", 1)
	waitState(t, e, id, "block-1", Staged)
	if d, _ := e.Document(id); d != nil {
		if msg, ok := blockMessage(d, "block-2"); ok && msg != "" {
			t.Errorf("block-2 decided before its owner ended: %q", msg)
		}
	}
	if err := e.KillBlock(context.Background(), id, "block-1"); err != nil {
		t.Fatal(err)
	}
	last := launchOf(t, rb.fakeBackend, "block-3", 1)
	rb.setOutput(last.ID, "last\n")
	finish(rb.fakeBackend, last, Finished, 0)
	d := waitDocumentEnded(t, e, id)
	msg, ok := blockMessage(d, "block-2")
	if !ok || !strings.Contains(msg, "killed") || strings.Contains(msg, "new results replace") {
		t.Errorf("block-2: %q (found %v), want not run, its owner killed", msg, ok)
	}
}

// replacedWaitingDoc has a block in old results that a block before it
// replaces, which refers to a block after it that fails.
const replacedWaitingDoc = "#+begin_src sh :results code\necho 'echo new'\n#+end_src\n\n" +
	"#+RESULTS:\n#+begin_src sh :var x=fails\necho \"old $x\"\n#+end_src\n\n" +
	"#+name: fails\n#+begin_src sh\nexit 1\n#+end_src\n"

// TestReplacedNotBlocked: a block in replaced results is not run whatever
// the blocks it refers to do: one of them failing does not fail it
// (Emacs never reaches it).
func TestReplacedNotBlocked(t *testing.T) {
	e, rb, id := submitToReport(t, replacedWaitingDoc)
	fails := launchOf(t, rb.fakeBackend, "fails", 1)
	finish(rb.fakeBackend, fails, Failed, 1)
	owner := launchOf(t, rb.fakeBackend, "block-1", 1)
	rb.setOutput(owner.ID, "echo new\n")
	finish(rb.fakeBackend, owner, Finished, 0)
	found := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	rb.setOutput(found.ID, "new\n")
	finish(rb.fakeBackend, found, Finished, 0)
	d := waitDocumentEnded(t, e, id)
	for _, b := range d.Blocks {
		if b.Name == "block-2" && b.AddedBy == "" && b.State != Finished {
			t.Errorf("block-2 %s, want finished, not run: %+v", b.State, b.Instances)
		}
	}
}
