package engine

import (
	"context"
	"strings"
	"testing"
)

// foundRefusedCallDoc has block a print a block :eval no refuses whose
// :var calls side with an argument, and a block after it
// (as testdata/found_evalno_var_call_file.org of package plan, checked
// against Emacs): Emacs resolves the :var values before it refuses the block,
// running the call there.
const foundRefusedCallDoc = "#+name: side\n#+begin_src sh :var n=0\necho n=$n\n#+end_src\n\n" +
	"#+name: a\n#+begin_src sh :results raw\nprintf '#+begin_src sh :eval no :var y=side(n=1)\\necho skipped\\n#+end_src\\n\\n#+begin_src sh\\necho after\\n#+end_src\\n'\n#+end_src\n"

// foundRefusedCallOut is what a prints.
const foundRefusedCallOut = "#+begin_src sh :eval no :var y=side(n=1)\necho skipped\n#+end_src\n\n#+begin_src sh\necho after\n#+end_src\n"

// TestFoundRefusedCallRuns: the call of the :eval no block found in a's
// results runs as a task added by it, its results written nowhere, and
// the block found after it runs; the document finishes.
func TestFoundRefusedCallRuns(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundRefusedCallDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "side", 1), "n=0\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), foundRefusedCallOut)
	call := launchOf(t, rb.fakeBackend, "a-found-1 side(n=1)", 1)
	if !strings.Contains(call.Script, "n='1'") {
		t.Errorf("the call launched without n=1:\n%s", call.Script)
	}
	finishLaunch(rb.fakeBackend, call, "n=1\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a-found-2", 1), "after\n")
	if d := waitDocumentEnded(t, e, id); d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(foundRefusedCallDoc, "#+end_src\n\n#+name: a", "#+end_src\n\n#+RESULTS: side\n: n=0\n\n#+name: a", 1) +
		"\n#+RESULTS: a\n" + foundRefusedCallOut + "\n#+RESULTS:\n: after\n"
	if got != want {
		t.Errorf("results document:\n%s\nwant (Emacs, its call's results written nowhere):\n%s", got, want)
	}
}

// TestFoundRefusedCallDroppedWithOwner: block a run again prints no
// block: the refused block found in its first results is dropped, the
// call run for it with it (added by the refused block, as a :post by its
// block), and the document finishes with a's new results.
func TestFoundRefusedCallDroppedWithOwner(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundRefusedCallDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "side", 1), "n=0\n")
	finishFoundRefusedCall(t, rb.fakeBackend)
	waitDocumentEnded(t, e, id)
	if err := e.RestartBlock(context.Background(), id, "a"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 2), "plain\n")
	if d := waitDocumentEnded(t, e, id); d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
	if added := addedBlocks(t, e, id); len(added) != 0 {
		t.Errorf("blocks found: %v, want none", added)
	}
}

// TestFoundRefusedCallKeptOnRekey: block b, whose results hold a block
// found too, runs again: the blocks found in a's results are keyed again
// (rekeyFound), the call of the refused block kept with it, not dropped
// as a block no longer found, nor run again.
func TestFoundRefusedCallKeptOnRekey(t *testing.T) {
	doc := "#+name: b\n#+begin_src sh :results raw\nprintf x\n#+end_src\n\n#+RESULTS: b\nold\n\n" + foundRefusedCallDoc
	_, rb, e, _, id := submitOnDisk(t, doc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "side", 1), "n=0\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "b", 1), "#+begin_src sh\necho bb\n#+end_src\n")
	finishFoundRefusedCall(t, rb.fakeBackend)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "b-found-1", 1), "bb\n")
	waitDocumentEnded(t, e, id)
	if err := e.RestartBlock(context.Background(), id, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "b", 2), "#+begin_src sh\necho bb2\n#+end_src\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "b-found-1", 2), "bb2\n")
	if d := waitDocumentEnded(t, e, id); d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
	if added := addedBlocks(t, e, id); added["a-found-1 side(n=1)"] == "" || added["a-found-2"] != "a" {
		t.Errorf("blocks found: %v, want the call kept", added)
	}
	n := 0
	for _, l := range rb.launches() {
		if l.Block == "a-found-1 side(n=1)" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the call launched %d times, want once", n)
	}
}

// finishFoundRefusedCall finishes the first attempts of block a of
// foundRefusedCallDoc, of the call of the refused block found in its
// results, and of the block found after it, in that order.
func finishFoundRefusedCall(t *testing.T, fb *fakeBackend) {
	t.Helper()
	finishLaunch(fb, launchOf(t, fb, "a", 1), foundRefusedCallOut)
	finishLaunch(fb, launchOf(t, fb, "a-found-1 side(n=1)", 1), "n=1\n")
	finishLaunch(fb, launchOf(t, fb, "a-found-2", 1), "after\n")
}
