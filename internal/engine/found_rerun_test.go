package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// refoundDoc has a block whose code results hold the block it prints,
// with text right after it: Emacs searches its results and runs what it
// finds there.
const refoundDoc = "#+name: b\n#+begin_src sh :results code\necho 'echo AAA'\n#+end_src\nText.\n"

// refoundDrawerDoc has a block whose drawer results hold what it prints,
// with text right after it: a block printed is found and run.
const refoundDrawerDoc = "#+name: b\n#+begin_src sh :results drawer\ncat blocks\n#+end_src\nText.\n"

// answerLaunch waits for fb's n-th launch and finishes it with out.
func answerLaunch(t *testing.T, fb *fakeBackend, n int, out string) *Attempt {
	t.Helper()
	ls := waitLaunches(t, fb, n)
	if len(ls) < n {
		t.Fatalf("%d launches, want %d", len(ls), n)
	}
	a := ls[n-1]
	fb.setOutput(a.ID, out)
	finish(fb, a, Finished, 0)
	return a
}

// runAnswered submits doc to a new engine, answers its launches in turn
// with outs (answerLaunch) and waits for it to finish; it returns the
// engine, its backend and the document's id.
func runAnswered(t *testing.T, doc string, outs []string) (*Engine, *reportBackend, string) {
	t.Helper()
	e, rb, id := submitToReport(t, doc)
	for i, out := range outs {
		answerLaunch(t, rb.fakeBackend, i+1, out)
	}
	waitDocumentFinished(t, e, id)
	return e, rb, id
}

// resultsAfter is the results document of document id of e once the
// launches of rb are n, which it checks.
func resultsAfter(t *testing.T, e *Engine, rb *reportBackend, id string, n int) string {
	t.Helper()
	if l := rb.launches(); len(l) != n {
		t.Errorf("%d attempts, want %d", len(l), n)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// freshResults is the results document a first run of doc leaves, its
// launches answered in turn with outs: what a block run again must leave
// once its new results are in.
func freshResults(t *testing.T, doc string, outs ...string) string {
	t.Helper()
	e, rb, id := runAnswered(t, doc, outs)
	return resultsAfter(t, e, rb, id, len(outs))
}

// answerByName answers each launch of fb not yet in answered with
// outs[its block's name] (a run a reference makes, "NAME :var x=b",
// named as such), recording it in answered, until document id of e has
// ended with every launch answered; it fails t on a launch outs has no
// answer for, and returns the document.
func answerByName(t *testing.T, e *Engine, fb *fakeBackend, id string, answered map[string]bool, outs map[string]string) *DocumentView {
	t.Helper()
	return answerByNameWhen(t, e, fb, id, answered, outs, nil)
}

// answerByNameWhen is answerByName answering a launch only once ready,
// when given, says so of it and of the document as it is then: a test
// whose outcome hangs on which of two ends the engine learns first
// holds the later one back until the first has been learned.
func answerByNameWhen(t *testing.T, e *Engine, fb *fakeBackend, id string, answered map[string]bool, outs map[string]string, ready func(*Attempt, *DocumentView) bool) *DocumentView {
	t.Helper()
	for range 12000 {
		fresh := false
		for _, a := range fb.launches() {
			if answered[a.ID] {
				continue
			}
			if ready != nil {
				if d, _ := e.Document(id); d == nil || !ready(a, d) {
					continue
				}
			}
			out, ok := outs[a.Block]
			if !ok {
				t.Fatalf("launch of %s, which has no answer", a.Block)
			}
			answered[a.ID], fresh = true, true
			fb.setOutput(a.ID, out)
			finish(fb, a, Finished, 0)
		}
		if d, _ := e.Document(id); !fresh && d != nil && d.State != Running && d.State != Queued {
			return d
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("document %s has not ended", id)
	return nil
}

// freshResultsByName is the results document a first run of doc leaves,
// its launches answered by their block's names with outs (answerByName).
func freshResultsByName(t *testing.T, doc string, outs map[string]string) string {
	t.Helper()
	e, rb, id := submitToReport(t, doc)
	answerByName(t, e, rb.fakeBackend, id, map[string]bool{}, outs)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// addedBlocks are the names of the blocks of document id that were found
// in results (or added), with the block that added each.
func addedBlocks(t *testing.T, e *Engine, id string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, b := range viewBlocks(t, e, id) {
		if b.AddedBy != "" {
			out[b.Name] = b.AddedBy
		}
	}
	return out
}

// rerunFound runs doc with its launches answered with first
// (runAnswered), restarts block b, answers the launches that follow with
// again, and checks that the document finishes after those attempts with
// want as its results document. It returns the engine, its backend's
// launches and the document's id.
func rerunFound(t *testing.T, doc, b string, first, again []string, want string) (*Engine, []*Attempt, string) {
	t.Helper()
	e, rb, id := runAnswered(t, doc, first)
	if err := e.RestartBlock(context.Background(), id, b); err != nil {
		t.Fatal(err)
	}
	for i, out := range again {
		answerLaunch(t, rb.fakeBackend, len(first)+i+1, out)
	}
	waitDocumentFinished(t, e, id)
	if got := resultsAfter(t, e, rb, id, len(first)+len(again)); got != want {
		t.Fatalf("results document:\n%s\nwant:\n%s", got, want)
	}
	return e, rb.launches(), id
}

// TestFoundRerunOtherBlock: block b run again on request prints another
// block; the block found in its first results is dropped, the one in its
// new results runs, and the results document is what a run with the new
// output leaves.
func TestFoundRerunOtherBlock(t *testing.T) {
	want := freshResults(t, refoundDoc, "echo BBB\n", "BBB\n")
	e, ls, id := rerunFound(t, refoundDoc, "b", []string{"echo AAA\n", "AAA\n"}, []string{"echo BBB\n", "BBB\n"}, want)
	if len(ls) == 4 && ls[3].Block != "b-found-1" {
		t.Errorf("launch 4 is of %s, want b-found-1", ls[3].Block)
	}
	if added := addedBlocks(t, e, id); len(added) != 1 || added["b-found-1"] != "b" {
		t.Errorf("blocks found: %v, want b-found-1 by b", added)
	}
}

// TestFoundRerunNoBlock: block b run again on request prints no block;
// the block found in its first results and its results are gone.
func TestFoundRerunNoBlock(t *testing.T) {
	want := freshResults(t, refoundDrawerDoc, "plain\n")
	e, _, id := rerunFound(t, refoundDrawerDoc, "b", []string{"#+begin_src sh\necho AAA\n#+end_src\n", "AAA\n"}, []string{"plain\n"}, want)
	if added := addedBlocks(t, e, id); len(added) != 0 {
		t.Errorf("blocks found: %v, want none", added)
	}
}

// refoundStopDoc has a block whose drawer results hold what it prints,
// and after it a block that waits for it.
const refoundStopDoc = "#+name: owner\n#+begin_src sh :results drawer\ncat blocks\n#+end_src\nAfter.\n\n" +
	"#+begin_src sh :var o=owner\necho after\n#+end_src\n"

// TestFoundRerunStopCleared: the first results of block owner held a
// block of a language Babel has no function for, which stopped the
// document before block-2; owner run again prints none: the stop is
// cleared, and block-2 runs.
func TestFoundRerunStopCleared(t *testing.T) {
	// block-2's reference runs owner again (block-2 :var o=owner),
	// printing what owner's own run prints.
	plain := map[string]string{"owner": "plain\n", "block-2 :var o=owner": "plain\n", "block-2": "after\n"}
	want := freshResultsByName(t, refoundStopDoc, plain)
	e, rb, id := submitToReport(t, refoundStopDoc)
	answered := map[string]bool{}
	nosuch := "#+begin_src nosuchlang\n#+end_src\n"
	d := answerByName(t, e, rb.fakeBackend, id, answered, map[string]string{"owner": nosuch, "block-2 :var o=owner": nosuch})
	if msg, ok := blockMessage(d, "block-2"); !ok || !strings.Contains(msg, "stopped before it") {
		t.Fatalf("block-2: %q (found %v), want not run, stopped before it", msg, ok)
	}
	if err := e.RestartBlock(context.Background(), id, "owner"); err != nil {
		t.Fatal(err)
	}
	answerByName(t, e, rb.fakeBackend, id, answered, plain)
	if !launchedBlock(rb, "block-2") {
		t.Errorf("block-2 not run once the stop was cleared")
	}
	if got := finishedStopGone(t, e, id, "No org-babel-execute function"); got != want {
		t.Fatalf("results document:\n%s\nwant:\n%s", got, want)
	}
	if added := addedBlocks(t, e, id); len(added) != 0 {
		t.Errorf("blocks found: %v, want none", added)
	}
}

// TestFoundRerunReloaded: a server started again after block b ran
// again, its new results holding another block, has the same blocks,
// by the same names, finished, and writes the same document.
func TestFoundRerunReloaded(t *testing.T) {
	// b-found-1 and b-found-2 answered in either order.
	dir, rb, e, stop, id := restartedOnDisk(t, "#+begin_src sh\necho AAA\n#+end_src\n#+begin_src sh\necho ZZZ\n#+end_src\n", "AAA\n", "AAA\n")
	answerLaunch(t, rb.fakeBackend, 4, "#+begin_src sh\necho BBB\n#+end_src\n")
	answerLaunch(t, rb.fakeBackend, 5, "BBB\n")
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "AAA") || !strings.Contains(got, "BBB") {
		t.Errorf("results document holds the first results' block, or not the new one:\n%s", got)
	}
	before := addedBlocks(t, e, id)
	if len(before) != 1 || before["b-found-1"] != "b" {
		t.Errorf("blocks found: %v, want b-found-1 by b", before)
	}
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	waitDocumentFinished(t, e2, id)
	again, err := e2.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if again != got {
		t.Errorf("after the server started again:\n%s\nwant:\n%s", again, got)
	}
	if after := addedBlocks(t, e2, id); len(after) != len(before) || after["b-found-1"] != "b" {
		t.Errorf("blocks found after the server started again: %v, want %v", after, before)
	}
	if l := rb.launches(); len(l) != 5 {
		t.Errorf("%d attempts, want 5 (nothing run again by the start)", len(l))
	}
}

// refoundTwoDoc has two blocks whose drawer results hold what they print,
// each with text right after it.
const refoundTwoDoc = "#+name: a\n#+begin_src sh :results drawer\ncat a-blocks\n#+end_src\nText A.\n\n" +
	"#+name: b\n#+begin_src sh :results drawer\ncat b-blocks\n#+end_src\nText B.\n"

// finishLaunch finishes attempt a of fb with output out.
func finishLaunch(fb *fakeBackend, a *Attempt, out string) {
	fb.setOutput(a.ID, out)
	finish(fb, a, Finished, 0)
}

// runTwoOwners submits refoundTwoDoc to a new engine and has a, then
// the block found in its results, then b printing a block that echoes
// bOut, then the block found in b's results, finish; it returns the
// engine, its backend and the document's id once the document finished.
func runTwoOwners(t *testing.T, bOut string) (*Engine, *fakeBackend, string) {
	t.Helper()
	return runTwoOwnersPrinting(t, "AAA", bOut)
}

// runTwoOwnersPrinting is runTwoOwners, a printing a block that echoes
// aOut.
func runTwoOwnersPrinting(t *testing.T, aOut, bOut string) (*Engine, *fakeBackend, string) {
	t.Helper()
	src := func(s string) string { return "#+begin_src sh\necho " + s + "\n#+end_src\n" }
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	fb := rb.fakeBackend
	v, err := e.Submit(context.Background(), refoundTwoDoc)
	if err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "a", 1), src(aOut))
	finishLaunch(fb, launchOf(t, fb, "a-found-1", 1), aOut+"\n")
	finishLaunch(fb, launchOf(t, fb, "b", 1), src(bOut))
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 1), bOut+"\n")
	waitDocumentFinished(t, e, v.ID)
	return e, fb, v.ID
}

// TestFoundRerunOthersKept: a finishes first, then b; b run again prints
// another block. The block found in a's results stays as it ran (not run
// again), the one found in b's first results is dropped, the one in its
// new results runs: the results document is what a run with b's new
// output leaves.
func TestFoundRerunOthersKept(t *testing.T) {
	e, fb, id := runTwoOwners(t, "OLD")
	if err := e.RestartBlock(context.Background(), id, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "b", 2), "#+begin_src sh\necho NEW\n#+end_src\n")
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 2), "NEW\n")
	waitDocumentFinished(t, e, id)
	if l := fb.launches(); len(l) != 6 {
		t.Errorf("%d attempts, want 6", len(l))
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	e2, _, id2 := runTwoOwners(t, "NEW")
	want, err := e2.ResultDocument(context.Background(), id2)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("results document:\n%s\nwant:\n%s", got, want)
	}
	if added := addedBlocks(t, e, id); len(added) != 2 || added["a-found-1"] != "a" || added["b-found-1"] != "b" {
		t.Errorf("blocks found: %v, want a-found-1 by a, b-found-1 by b", added)
	}
}

// TestFoundRerunReplacedStaysUnrun: block-1, whose new results replace
// the old results block-2 stands in, run again and printing another
// block: block-2 stays not run, and the block in block-1's newest
// results runs in place of the one found in its first.
func TestFoundRerunReplacedStaysUnrun(t *testing.T) {
	e, rb, id := submitToReport(t, replacedDoc)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "block-1", 1), "echo new\n")
	finishLaunch(fb, launchOf(t, fb, "block-3", 1), "last\n")
	finishLaunch(fb, launchOf(t, fb, "block-1-found-1", 1), "new\n")
	waitDocumentFinished(t, e, id)
	if err := e.RestartBlock(context.Background(), id, "block-1"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "block-1", 2), "echo newer\n")
	a := launchOf(t, fb, "block-1-found-1", 2)
	if !strings.Contains(a.Script, "echo newer") {
		t.Errorf("block-1-found-1 run again as %q, want the block of the new results", a.Script)
	}
	finishLaunch(fb, a, "newer\n")
	d := waitDocumentEnded(t, e, id)
	for _, l := range rb.launches() {
		if strings.Contains(l.Script, "old inner") {
			t.Errorf("the block in the results replaced was launched: %q", l.Script)
		}
	}
	if l := rb.launches(); len(l) != 5 {
		t.Errorf("%d attempts, want 5", len(l))
	}
	const why = "not run: it stands in the old results of block-1, which its new results replace before org-babel-execute-buffer reaches it"
	if msg, ok := blockMessage(d, "block-2"); !ok || msg != why {
		t.Errorf("block-2: %q (found %v), want %q", msg, ok, why)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(replacedWant, "echo new\n#+end_src\n\n#+RESULTS:\n: new", "echo newer\n#+end_src\n\n#+RESULTS:\n: newer")
	if got != want {
		t.Fatalf("results document:\n%s\nwant:\n%s", got, want)
	}
}

// TestFoundRerunReloadedBeforeEnd: a server started again after block b
// was asked to run again, before it ends, runs it, drops the block
// found in its first results and runs the one in its new results, by
// the same name.
func TestFoundRerunReloadedBeforeEnd(t *testing.T) {
	want := freshResults(t, refoundDrawerDoc, "#+begin_src sh\necho BBB\n#+end_src\n", "BBB\n")
	dir, rb, _, stop, id := restartedOnDisk(t, "#+begin_src sh\necho AAA\n#+end_src\n", "AAA\n")
	waitLaunches(t, rb.fakeBackend, 3)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	// The attempt launched before the stop is adopted or run again:
	// its answer, or the next launch's, is b's new output.
	a := launchOf(t, rb.fakeBackend, "b", 2)
	for _, l := range rb.launches() {
		if l.Block == "b" {
			a = l
		}
	}
	finishLaunch(rb.fakeBackend, a, "#+begin_src sh\necho BBB\n#+end_src\n")
	found := launchOf(t, rb.fakeBackend, "b-found-1", 2)
	if !strings.Contains(found.Script, "echo BBB") {
		t.Errorf("b-found-1 run again as %q, want the block of the new results", found.Script)
	}
	finishLaunch(rb.fakeBackend, found, "BBB\n")
	waitDocumentFinished(t, e2, id)
	got, err := e2.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("results document:\n%s\nwant:\n%s", got, want)
	}
	if added := addedBlocks(t, e2, id); len(added) != 1 || added["b-found-1"] != "b" {
		t.Errorf("blocks found: %v, want b-found-1 by b", added)
	}
}

// restartedOnDisk submits refoundDrawerDoc to an engine storing in a new
// directory, answers its launches in turn with outs, waits for it to
// finish and restarts block b. It returns the directory, the backend,
// the engine, what stops it, and the document's id.
func restartedOnDisk(t *testing.T, outs ...string) (string, *reportBackend, *Engine, func(), string) {
	t.Helper()
	dir, rb, e, stop, id := submitOnDisk(t, refoundDrawerDoc)
	for i, out := range outs {
		answerLaunch(t, rb.fakeBackend, i+1, out)
	}
	waitDocumentFinished(t, e, id)
	if err := e.RestartBlock(context.Background(), id, "b"); err != nil {
		t.Fatal(err)
	}
	return dir, rb, e, stop, id
}

// twoOwnersRestarted runs refoundTwoDoc (runTwoOwners, b printing OLD),
// restarts a and b, and has a print a block echoing aOut and b one echoing
// BNEW, a finishing first.
func twoOwnersRestarted(t *testing.T, aOut string) (*Engine, *fakeBackend, string) {
	t.Helper()
	e, fb, id := runTwoOwners(t, "OLD")
	ctx := context.Background()
	if err := e.RestartBlock(ctx, id, "a"); err != nil {
		t.Fatal(err)
	}
	if err := e.RestartBlock(ctx, id, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "a", 2), "#+begin_src sh\necho "+aOut+"\n#+end_src\n")
	finishLaunch(fb, launchOf(t, fb, "b", 2), "#+begin_src sh\necho BNEW\n#+end_src\n")
	return e, fb, id
}

// TestFoundRerunBothOwnersRestarted: both owners are run again; a finishes
// while b is still running. The block found in a's first results is
// dropped and the one in its new results runs, though b's results are not
// there yet to search (its found block is judged when b ends).
func TestFoundRerunBothOwnersRestarted(t *testing.T) {
	e, fb, id := twoOwnersRestarted(t, "ANEW")
	fa := launchOf(t, fb, "a-found-1", 2)
	if !strings.Contains(fa.Script, "ANEW") {
		t.Errorf("a-found-1 runs again as %q, want the block in a's new results", fa.Script)
	}
	finishLaunch(fb, fa, "ANEW\n")
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 2), "BNEW\n")
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "OLD") || strings.Contains(got, "AAA") {
		t.Errorf("results of the first run left:\n%s", got)
	}
}

// TestFoundRerunBothOwnersRestartedDoc: the same, the results document
// compared whole with a first run printing the new blocks: a block found
// again under its key but with other text is not given the old block's
// results.
func TestFoundRerunBothOwnersRestartedDoc(t *testing.T) {
	want := twoOwnersResults(t, "ANEW", "BNEW")
	e, fb, id := twoOwnersRestarted(t, "ANEW")
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 2), "BNEW\n")
	finishLaunch(fb, launchOf(t, fb, "a-found-1", 2), "ANEW\n")
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("results:\n%s\nwant:\n%s", got, want)
	}
}

// TestFoundRerunStopMoved: the owner run again prints a block before the
// one that stops the document. The stop moves later; the block it holds
// says where the stop now is, as in a first run printing the same.
func TestFoundRerunStopMoved(t *testing.T) {
	out1 := "#+begin_src nosuchlang\n#+end_src\n"
	out2 := "#+begin_src sh\necho X\n#+end_src\n\n#+begin_src nosuchlang\n#+end_src\n"
	// block-2's reference runs owner again (block-2 :var o=owner),
	// printing what owner's own run prints.
	outs := map[string]string{"owner": out2, "block-2 :var o=owner": out2, "owner-found-1": "X\n"}
	// That run and owner's own are launched side by side. block-2 waits
	// for that run alone: were its end learned before owner's, block-2
	// would start before the stop in owner's results is known, and run
	// past it (paststop.go), which Borges allows and says so. The
	// stop is learned first here, as Emacs, at block-2's turn, knows it:
	// the run is answered once owner has ended and its results been
	// searched (the blocks found there are in the document).
	stopKnown := func(a *Attempt, d *DocumentView) bool {
		if a.Block != "block-2 :var o=owner" {
			return true
		}
		ended, found := false, false
		for _, b := range d.Blocks {
			if b.Name == "owner" && b.AddedBy == "" && len(b.Instances) > 0 {
				ended = b.Instances[len(b.Instances)-1].State == Finished
			}
			found = found || b.AddedBy == "owner"
		}
		return ended && found
	}
	e0, rb0, id0 := submitToReport(t, refoundStopDoc)
	d0 := answerByNameWhen(t, e0, rb0.fakeBackend, id0, map[string]bool{}, outs, stopKnown)
	want, err := e0.ResultDocument(context.Background(), id0)
	if err != nil {
		t.Fatal(err)
	}
	wantMsg, ok := blockMessage(d0, "block-2")
	if !ok {
		t.Fatal("no block-2 in a first run")
	}

	e, rb, id := submitToReport(t, refoundStopDoc)
	answered := map[string]bool{}
	answerByNameWhen(t, e, rb.fakeBackend, id, answered, map[string]string{"owner": out1, "block-2 :var o=owner": out1}, stopKnown)
	if err := e.RestartBlock(context.Background(), id, "owner"); err != nil {
		t.Fatal(err)
	}
	d := answerByNameWhen(t, e, rb.fakeBackend, id, answered, outs, stopKnown)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("results:\n%s\nwant:\n%s", got, want)
	}
	if msg, _ := blockMessage(d, "block-2"); msg != wantMsg {
		t.Errorf("block-2 says %q, want %q", msg, wantMsg)
	}
	// owner twice and the block found once; block-2, held, never.
	n := map[string]int{}
	for _, a := range rb.launches() {
		n[a.Block]++
	}
	if n["owner"] != 2 || n["owner-found-1"] != 1 || n["block-2"] != 0 {
		t.Errorf("launches %v, want owner twice, owner-found-1 once, block-2 never", n)
	}
}

// TestFoundRerunKeptTextChanged: b finishes before a; b run again prints
// another block, and the block found in a's results takes the first key
// (TestFoundKeysOtherOwnerRekeyed). a run again prints no block: the
// block found in b's new results takes the first key in turn, keeps its
// run, and the document is what a first run printing the same leaves,
// and what a server started again has.
func TestFoundRerunKeptTextChanged(t *testing.T) {
	want := func() string {
		e, rb, id := submitToReport(t, refoundTwoDoc)
		fb := rb.fakeBackend
		finishLaunch(fb, launchOf(t, fb, "a", 1), "nothing\n")
		finishLaunch(fb, launchOf(t, fb, "b", 1), srcEcho("NEW"))
		finishLaunch(fb, launchOf(t, fb, "b-found-1", 1), "NEW\n")
		waitDocumentFinished(t, e, id)
		got, err := e.ResultDocument(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}()
	dir, rb, e, stop, id := outOfOrderOnDisk(t)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 2), "NEW\n")
	waitDocumentFinished(t, e, id)
	ctx := context.Background()
	if err := e.RestartBlock(ctx, id, "a"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "a", 2), "nothing\n")
	// 7 attempts: b-found-1 not run again.
	finishedAs(t, e, fb, id, want, 7)
	if added := addedBlocks(t, e, id); len(added) != 1 || added["b-found-1"] != "b" {
		t.Errorf("blocks found: %v, want b-found-1 by b", added)
	}
	reloadedSame(t, dir, rb, e, stop, id)
}

// TestFoundRerunEarlierResultsGrow: a run again prints lines before its
// new block, moving down the block found in b's results. That block is
// still the same block (sameFound does not take the move for another
// block): a's new results are searched, and b's found block is not run
// again.
func TestFoundRerunEarlierResultsGrow(t *testing.T) {
	e, fb, id := runTwoOwners(t, "OLD")
	if err := e.RestartBlock(context.Background(), id, "a"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "a", 2), "one\ntwo\nthree\n\n#+begin_src sh\necho ANEW\n#+end_src\n")
	fa := launchOf(t, fb, "a-found-1", 2)
	if !strings.Contains(fa.Script, "ANEW") {
		t.Errorf("a-found-1 runs again as %q, want the block in a's new results", fa.Script)
	}
	finishLaunch(fb, fa, "ANEW\n")
	waitDocumentFinished(t, e, id)
	if l := fb.launches(); len(l) != 6 {
		t.Errorf("%d attempts, want 6 (b's found block not run again)", len(l))
	}
}
