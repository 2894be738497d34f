package engine

import (
	"context"
	"strings"
	"testing"
)

// foundRefusedCallRawDoc has block a print a block :eval no refuses
// whose :var calls maker with an argument under which maker prints a raw
// byte, and a block after it (as testdata/stop_found_evalno_var_call_raw.org
// of package plan, checked against Emacs): Emacs runs the call resolving
// the :var values, is asked for a coding system writing its output, and
// stops at the refused block, never running the block found after it.
const foundRefusedCallRawDoc = "#+name: maker\n#+begin_src sh :var n=1\nif [ \"$n\" = 2 ]; then printf 'a\\377b'; else echo \"n=$n\"; fi\n#+end_src\n\n" +
	"#+name: a\n#+begin_src sh :results raw\nprintf '#+begin_src sh :eval no :var m=maker(n=2)\\necho skipped\\n#+end_src\\n\\n#+begin_src sh\\necho after\\n#+end_src\\n'\n#+end_src\n"

// foundRefusedCallRawOut is what a prints.
const foundRefusedCallRawOut = "#+begin_src sh :eval no :var m=maker(n=2)\necho skipped\n#+end_src\n\n#+begin_src sh\necho after\n#+end_src\n"

// TestFoundRefusedCallStops: the call of the refused block found in a's
// results prints a raw byte, which stops org-babel-execute-buffer at the
// refused block: the block found after it, which waits for the call (it
// stands after it in the buffer), is not run, saying why; the document
// says where it stopped, and a's results are written.
func TestFoundRefusedCallStops(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundRefusedCallRawDoc)
	endRefusedCall(t, rb, foundRefusedCallRawOut, "a-found-2", "a\xffb")
	d := waitDocumentEnded(t, e, id)
	if launchedBlock(rb, "a-found-2") {
		t.Error("the block found after the refused block ran, though the call's output stopped the document before it")
	}
	checkHeldByCall(t, d, "a-found-2", "End of file during parsing")
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if want := "\n#+RESULTS: a\n" + foundRefusedCallRawOut; !strings.HasSuffix(got, want) || strings.Contains(got, ": after") {
		t.Errorf("results document:\n%s\nwant it to end with a's results, the block found after the stop not run", got)
	}
}

// checkHeldByCall fails the test unless block name of d, one added or
// found, says why, the stop the call of a refused block made, and the
// document's notes say it stopped so.
func checkHeldByCall(t *testing.T, d *DocumentView, name, why string) {
	t.Helper()
	if msg := foundMessage(d, name); !strings.Contains(msg, why) {
		t.Errorf("%s says %q, want the stop the call made (%s)", name, msg, why)
	}
	if !strings.Contains(strings.Join(d.Notes, "\n"), why) {
		t.Errorf("the document's notes do not say it stopped: %q", d.Notes)
	}
}

// TestFoundRefusedCallStopsDocumentBlocks: as TestFoundRefusedCallStops,
// the refused block :eval never, followed by a block of the document
// submitted (as testdata/stop_found_evalnever_var_call_raw.org of
// package plan), which refers to a (so that it has not started when the
// refused block is found: Borges starts at once what waits for nothing):
// that block waits for the call, which stops the document before it; it
// is not run. A call whose output makes no stop lets it run.
func TestFoundRefusedCallStopsDocumentBlocks(t *testing.T) {
	doc := "#+name: maker\n#+begin_src sh :var n=1\nif [ \"$n\" = 2 ]; then printf 'a\\377b'; else echo \"n=$n\"; fi\n#+end_src\n\n" +
		"#+name: a\n#+begin_src sh :results raw\nprintf x\n#+end_src\nText right after.\n\n" +
		"#+name: after\n#+begin_src sh :var x=a\necho after\n#+end_src\n"
	out := "#+begin_src sh :eval never :var m=maker(n=2)\necho skipped\n#+end_src\n"
	for _, tc := range refusedCallOutputs {
		t.Run(tc.name, func(t *testing.T) {
			_, rb, e, _, id := submitOnDisk(t, doc)
			// after's :var x=a runs a again (Babel runs the block at
			// the reference): a run of its own, started at once with a
			// (nothing known to wait for), that after waits for; ended
			// first, after waits for the call alone.
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after :var x=a", 1), "x")
			endRefusedCall(t, rb, out, "after", tc.callOut)
			if !tc.stops {
				finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), "after\n")
			}
			d := waitDocumentEnded(t, e, id)
			if got := launchedBlock(rb, "after"); got == tc.stops {
				t.Errorf("block after launched: %v, want %v", got, !tc.stops)
			}
			if msg, _ := blockMessage(d, "after"); tc.stops && !strings.Contains(msg, "End of file during parsing") {
				t.Errorf("block after says %q, want the stop the call made", msg)
			}
		})
	}
}

// endRefusedCall ends maker and a (printing out), then the call of the
// refused block found in a's results with callOut, failing the test when
// block after, which stands after that block in the buffer, launched
// before the call ended.
func endRefusedCall(t *testing.T, rb *reportBackend, out, after, callOut string) {
	t.Helper()
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "maker", 1), "n=1\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), out)
	call := launchOf(t, rb.fakeBackend, foundRefusedCall, 1)
	if launchedBlock(rb, after) {
		t.Fatalf("block %s launched before the call of the refused block before it ended", after)
	}
	finishLaunch(rb.fakeBackend, call, callOut)
}
