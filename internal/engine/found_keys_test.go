package engine

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"
)

// srcEcho is a source block echoing s, as a block's drawer results print
// it for the search to find.
func srcEcho(s string) string { return "#+begin_src sh\necho " + s + "\n#+end_src\n" }

// outOfOrderOnDisk runs refoundTwoDoc on an engine storing in a new
// directory, b finishing before a (the block found in b's results found
// first, under the first key), restarts b and has it print a block
// echoing NEW. It returns the directory, the backend, the engine, what
// stops it, and the document's id.
func outOfOrderOnDisk(t *testing.T) (string, *reportBackend, *Engine, func(), string) {
	t.Helper()
	dir, rb, e, stop, id := bFirstOnDisk(t)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "a-found-1", 1), "AAA\n")
	waitDocumentFinished(t, e, id)
	if err := e.RestartBlock(context.Background(), id, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "b", 2), srcEcho("NEW"))
	return dir, rb, e, stop, id
}

// bFirstOnDisk submits refoundTwoDoc to an engine storing in a new
// directory (submitOnDisk) and has b finish, printing a block echoing
// OLD, then the block found in its results, then a, printing a block
// echoing AAA: the block found in a's results is launched next.
func bFirstOnDisk(t *testing.T) (string, *reportBackend, *Engine, func(), string) {
	t.Helper()
	dir, rb, e, stop, id := submitOnDisk(t, refoundTwoDoc)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "b", 1), srcEcho("OLD"))
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 1), "OLD\n")
	finishLaunch(fb, launchOf(t, fb, "a", 1), srcEcho("AAA"))
	return dir, rb, e, stop, id
}

// submitOnDisk submits doc to a new engine storing in a new directory; it
// returns the directory, the backend, the engine, what stops it, and the
// document's id.
func submitOnDisk(t *testing.T, doc string) (string, *reportBackend, *Engine, func(), string) {
	t.Helper()
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return dir, rb, e, stop, v.ID
}

// finishRelaunched finishes the n-th launch of block name with out, should
// it come, and waits for document id to end either way (bounded): what a
// test of a state the engine may reach otherwise uses.
func finishRelaunched(t *testing.T, e *Engine, fb *fakeBackend, id, name string, n int, out string) {
	t.Helper()
	done := false
	for range 4000 {
		if !done {
			seen := 0
			for _, a := range fb.launches() {
				if a.Block == name {
					if seen++; seen == n {
						finishLaunch(fb, a, out)
						done = true
					}
				}
			}
		}
		if d, _ := e.Document(id); d != nil && d.State != Running && d.State != Queued {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("document %s has not ended", id)
}

// reloadedSame stops engine e (stop), starts another on dir and backend
// rb, and checks that it has document id as e left it: the same results
// document, the same blocks found (by the same owners), each in the same
// state, and nothing launched by the start.
func reloadedSame(t *testing.T, dir string, rb *reportBackend, e *Engine, stop func(), id string) {
	t.Helper()
	ctx := context.Background()
	want, err := e.ResultDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	wantAdded := addedBlocks(t, e, id)
	wantStates := blockStates(t, e, id)
	launched := len(rb.launches())
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	waitDocumentEnded(t, e2, id)
	got, err := e2.ResultDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("after the server started again:\n%s\nwant (as it ran):\n%s", got, want)
	}
	if added := addedBlocks(t, e2, id); !maps.Equal(added, wantAdded) {
		t.Errorf("blocks found after the server started again: %v, want %v", added, wantAdded)
	}
	if states := blockStates(t, e2, id); !maps.Equal(states, wantStates) {
		t.Errorf("block states after the server started again: %v, want %v", states, wantStates)
	}
	if l := rb.launches(); len(l) != launched {
		t.Errorf("%d attempts after the server started again, want %d (nothing run by the start)", len(l), launched)
	}
}

// finishedAs waits for document id of e to finish and checks that its
// results document is want, after n launches of fb in all.
func finishedAs(t *testing.T, e *Engine, fb *fakeBackend, id, want string, n int) {
	t.Helper()
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("results document:\n%s\nwant:\n%s", got, want)
	}
	if l := fb.launches(); len(l) != n {
		t.Errorf("%d attempts, want %d", len(l), n)
	}
}

// viewBlocks are the blocks of document id's view.
func viewBlocks(t *testing.T, e *Engine, id string) []BlockView {
	t.Helper()
	v, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Blocks
}

// blockStates are the states of document id's blocks, by name.
func blockStates(t *testing.T, e *Engine, id string) map[string]State {
	t.Helper()
	out := map[string]State{}
	for _, b := range viewBlocks(t, e, id) {
		out[b.Name] = b.State
	}
	return out
}

// twoOwnersResults is the results document of a first run of
// refoundTwoDoc, a printing a block that echoes aOut, b one that echoes
// bOut (runTwoOwnersPrinting).
func twoOwnersResults(t *testing.T, aOut, bOut string) string {
	t.Helper()
	e, _, id := runTwoOwnersPrinting(t, aOut, bOut)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestFoundKeysOtherOwnerRekeyed: b finishes before a, so the block found
// in b's results has the first key and a's the second; b run again has
// the search started again, which finds a's block first (buffer order).
// a's found block keeps its run, under its new key; b's new results are
// searched and the block in them runs: the results document is what a
// first run printing b's new block leaves.
func TestFoundKeysOtherOwnerRekeyed(t *testing.T) {
	want := twoOwnersResults(t, "AAA", "NEW")
	_, rb, e, _, id := outOfOrderOnDisk(t)
	fb := rb.fakeBackend
	found := launchOf(t, fb, "b-found-1", 2)
	if !strings.Contains(found.Script, "NEW") {
		t.Errorf("b-found-1 runs again as %q, want the block in b's new results", found.Script)
	}
	finishLaunch(fb, found, "NEW\n")
	finishedAs(t, e, fb, id, want, 6)
	if added := addedBlocks(t, e, id); len(added) != 2 || added["a-found-1"] != "a" || added["b-found-1"] != "b" {
		t.Errorf("blocks found: %v, want a-found-1 by a, b-found-1 by b", added)
	}
}

// TestFoundKeysReloadedAfterRerun: the same run (the block found in a's
// results given another key when b ran again), then a server started
// again from the store: it has the document as the one that ran it.
func TestFoundKeysReloadedAfterRerun(t *testing.T) {
	dir, rb, e, stop, id := outOfOrderOnDisk(t)
	finishRelaunched(t, e, rb.fakeBackend, id, "b-found-1", 2, "NEW\n")
	reloadedSame(t, dir, rb, e, stop, id)
}

// TestFoundKeysRerunFails: b, whose first results held a block that ran,
// runs again and fails. Emacs (28.2, Org 9.5.5) writes a failed shell
// block's results anew (empty: org-babel-eval returns nil) and goes on
// with the buffer: the block in the old results is gone, and not run.
// (A block whose language signals an error stops org-babel-execute-buffer
// before its old results, and what they hold, are reached: not run
// either.) Borges writes its failure drawer, which is not searched: the
// block found in b's first results is dropped, and a server started again
// agrees.
func TestFoundKeysRerunFails(t *testing.T) {
	dir, rb, e, stop, id := restartedOnDisk(t, srcEcho("AAA"), "AAA\n")
	fb := rb.fakeBackend
	a := launchOf(t, fb, "b", 2)
	fb.setOutput(a.ID, "oops\n")
	finish(fb, a, Failed, 1)
	waitDocumentEnded(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "AAA") {
		t.Errorf("results document holds the block of b's first results, or its results:\n%s", got)
	}
	if added := addedBlocks(t, e, id); len(added) != 0 {
		t.Errorf("blocks found: %v, want none (b's first results replaced)", added)
	}
	if l := fb.launches(); len(l) != 3 {
		t.Errorf("%d attempts, want 3", len(l))
	}
	reloadedSame(t, dir, rb, e, stop, id)
}

// TestFoundKeysRerunKilled: b, whose first results held a block that
// ran, runs again and is killed on request while it runs. Its results
// are a kill's drawer, not searched, which replaces the old ones: the
// block found there is dropped, as a server started again has it.
func TestFoundKeysRerunKilled(t *testing.T) {
	dir, rb, e, stop, id := restartedOnDisk(t, srcEcho("AAA"), "AAA\n")
	fb := rb.fakeBackend
	a := launchOf(t, fb, "b", 2)
	fb.sink(Update{AttemptID: a.ID, State: Running})
	if err := e.KillBlock(context.Background(), id, "b"); err != nil {
		t.Fatal(err)
	}
	waitDocumentEnded(t, e, id)
	if added := addedBlocks(t, e, id); len(added) != 0 {
		t.Errorf("blocks found: %v, want none (b's first results replaced)", added)
	}
	reloadedSame(t, dir, rb, e, stop, id)
}

// depAndOwnerRestarted submits, stored on disk, a document where b,
// whose results hold a block, refers to dep; runs it to its end; and
// restarts dep and b. It returns what submitOnDisk returns, and the
// second launch of the run of dep b's :var d=dep makes (Babel runs dep
// again at the reference), which b waits for, dep's own second run
// ended.
func depAndOwnerRestarted(t *testing.T) (string, *reportBackend, *Engine, func(), string, *Attempt) {
	t.Helper()
	const refRun = "b :var d=dep"
	dir, rb, e, stop, id := submitOnDisk(t, "#+name: dep\n#+begin_src sh\necho d\n#+end_src\n\n"+
		"#+name: b\n#+begin_src sh :results drawer :var d=dep\ncat blocks\n#+end_src\nText.\n")
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "dep", 1), "d\n")
	finishLaunch(fb, launchOf(t, fb, refRun, 1), "d\n")
	finishLaunch(fb, launchOf(t, fb, "b", 1), srcEcho("AAA"))
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 1), "AAA\n")
	waitDocumentFinished(t, e, id)
	for _, name := range []string{"dep", "b"} {
		if err := e.RestartBlock(context.Background(), id, name); err != nil {
			t.Fatal(err)
		}
	}
	finishLaunch(fb, launchOf(t, fb, "dep", 2), "d\n")
	return dir, rb, e, stop, id, launchOf(t, fb, refRun, 2)
}

// TestFoundKeysRerunKilledQueued: the same, b killed while it waits, run
// again, for the block it refers to: no attempt of it ends, and the block
// found in its first results is dropped all the same.
func TestFoundKeysRerunKilledQueued(t *testing.T) {
	dir, rb, e, stop, id, dep := depAndOwnerRestarted(t)
	ctx := context.Background()
	fb := rb.fakeBackend
	if err := e.KillBlock(ctx, id, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, dep, "d\n")
	waitDocumentEnded(t, e, id)
	if n := countLaunches(rb, "b"); n != 1 {
		t.Errorf("b launched %d times, want 1 (killed before it ran again)", n)
	}
	if added := addedBlocks(t, e, id); len(added) != 0 {
		t.Errorf("blocks found: %v, want none (b's first results replaced)", added)
	}
	reloadedSame(t, dir, rb, e, stop, id)
}

// TestFoundKeysRekeyedWhileRunning: the block found in a's results is
// still running when b, run again, has the search started again give it
// another key: its results, when it ends, are written where it stands,
// and the document is what a first run printing the same leaves, and
// what a server started again has.
func TestFoundKeysRekeyedWhileRunning(t *testing.T) {
	want := twoOwnersResults(t, "AAA", "NEW")
	dir, rb, e, stop, id := bFirstOnDisk(t)
	ctx := context.Background()
	fb := rb.fakeBackend
	running := launchOf(t, fb, "a-found-1", 1)
	fb.sink(Update{AttemptID: running.ID, State: Running})
	if err := e.RestartBlock(ctx, id, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "b", 2), srcEcho("NEW"))
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 2), "NEW\n")
	finishLaunch(fb, running, "AAA\n")
	finishedAs(t, e, fb, id, want, 6)
	if n := countLaunches(rb, "a-found-1"); n != 1 {
		t.Errorf("a-found-1 launched %d times, want 1", n)
	}
	reloadedSame(t, dir, rb, e, stop, id)
}
