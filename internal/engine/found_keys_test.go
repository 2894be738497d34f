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
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), refoundTwoDoc)
	if err != nil {
		t.Fatal(err)
	}
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "b", 1), srcEcho("OLD"))
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 1), "OLD\n")
	finishLaunch(fb, launchOf(t, fb, "a", 1), srcEcho("AAA"))
	finishLaunch(fb, launchOf(t, fb, "a-found-1", 1), "AAA\n")
	waitDocumentFinished(t, e, v.ID)
	if err := e.RestartBlock(context.Background(), v.ID, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "b", 2), srcEcho("NEW"))
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

// blockStates are the states of document id's blocks, by name.
func blockStates(t *testing.T, e *Engine, id string) map[string]State {
	t.Helper()
	v, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]State{}
	for _, b := range v.Blocks {
		out[b.Name] = b.State
	}
	return out
}

// TestFoundKeysOtherOwnerRekeyed: b finishes before a, so the block found
// in b's results has the first key and a's the second; b run again has
// the search started again, which finds a's block first (buffer order).
// a's found block keeps its run, under its new key; b's new results are
// searched and the block in them runs: the results document is what a
// first run printing b's new block leaves.
func TestFoundKeysOtherOwnerRekeyed(t *testing.T) {
	want := func() string {
		e, _, id := runTwoOwnersPrinting(t, "AAA", "NEW")
		got, err := e.ResultDocument(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}()
	_, rb, e, _, id := outOfOrderOnDisk(t)
	fb := rb.fakeBackend
	found := launchOf(t, fb, "b-found-1", 2)
	if !strings.Contains(found.Script, "NEW") {
		t.Errorf("b-found-1 runs again as %q, want the block in b's new results", found.Script)
	}
	finishLaunch(fb, found, "NEW\n")
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("results document:\n%s\nwant:\n%s", got, want)
	}
	if l := fb.launches(); len(l) != 6 {
		t.Errorf("%d attempts, want 6 (a-found-1 not run again)", len(l))
	}
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
	dir, rb, e, stop, v := restartedOnDisk(t, srcEcho("AAA"), "AAA\n")
	fb := rb.fakeBackend
	a := launchOf(t, fb, "b", 2)
	fb.setOutput(a.ID, "oops\n")
	finish(fb, a, Failed, 1)
	waitDocumentEnded(t, e, v.ID)
	got, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "AAA") {
		t.Errorf("results document holds the block of b's first results, or its results:\n%s", got)
	}
	if added := addedBlocks(t, e, v.ID); len(added) != 0 {
		t.Errorf("blocks found: %v, want none (b's first results replaced)", added)
	}
	if l := fb.launches(); len(l) != 3 {
		t.Errorf("%d attempts, want 3", len(l))
	}
	reloadedSame(t, dir, rb, e, stop, v.ID)
}

// TestFoundKeysRerunKilled: b, whose first results held a block that
// ran, runs again and is killed on request while it runs. Its results
// are a kill's drawer, not searched, which replaces the old ones: the
// block found there is dropped, as a server started again has it.
func TestFoundKeysRerunKilled(t *testing.T) {
	dir, rb, e, stop, v := restartedOnDisk(t, srcEcho("AAA"), "AAA\n")
	fb := rb.fakeBackend
	a := launchOf(t, fb, "b", 2)
	fb.sink(Update{AttemptID: a.ID, State: Running})
	if err := e.KillBlock(context.Background(), v.ID, "b"); err != nil {
		t.Fatal(err)
	}
	waitDocumentEnded(t, e, v.ID)
	if added := addedBlocks(t, e, v.ID); len(added) != 0 {
		t.Errorf("blocks found: %v, want none (b's first results replaced)", added)
	}
	reloadedSame(t, dir, rb, e, stop, v.ID)
}

// TestFoundKeysRerunKilledQueued: the same, b killed while it waits, run
// again, for the block it refers to: no attempt of it ends, and the block
// found in its first results is dropped all the same.
func TestFoundKeysRerunKilledQueued(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	ctx := context.Background()
	v, err := e.Submit(ctx, "#+name: dep\n#+begin_src sh\necho d\n#+end_src\n\n"+
		"#+name: b\n#+begin_src sh :results drawer :var d=dep\ncat blocks\n#+end_src\nText.\n")
	if err != nil {
		t.Fatal(err)
	}
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "dep", 1), "d\n")
	finishLaunch(fb, launchOf(t, fb, "b", 1), srcEcho("AAA"))
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 1), "AAA\n")
	waitDocumentFinished(t, e, v.ID)
	for _, name := range []string{"dep", "b"} {
		if err := e.RestartBlock(ctx, v.ID, name); err != nil {
			t.Fatal(err)
		}
	}
	dep := launchOf(t, fb, "dep", 2)
	if err := e.KillBlock(ctx, v.ID, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, dep, "d\n")
	waitDocumentEnded(t, e, v.ID)
	if n := countLaunches(rb, "b"); n != 1 {
		t.Errorf("b launched %d times, want 1 (killed before it ran again)", n)
	}
	if added := addedBlocks(t, e, v.ID); len(added) != 0 {
		t.Errorf("blocks found: %v, want none (b's first results replaced)", added)
	}
	reloadedSame(t, dir, rb, e, stop, v.ID)
}

// TestFoundKeysRekeyedWhileRunning: the block found in a's results is
// still running when b, run again, has the search started again give it
// another key: its results, when it ends, are written where it stands,
// and the document is what a first run printing the same leaves, and
// what a server started again has.
func TestFoundKeysRekeyedWhileRunning(t *testing.T) {
	want := func() string {
		e, _, id := runTwoOwnersPrinting(t, "AAA", "NEW")
		got, err := e.ResultDocument(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}()
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	ctx := context.Background()
	v, err := e.Submit(ctx, refoundTwoDoc)
	if err != nil {
		t.Fatal(err)
	}
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "b", 1), srcEcho("OLD"))
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 1), "OLD\n")
	finishLaunch(fb, launchOf(t, fb, "a", 1), srcEcho("AAA"))
	running := launchOf(t, fb, "a-found-1", 1)
	fb.sink(Update{AttemptID: running.ID, State: Running})
	if err := e.RestartBlock(ctx, v.ID, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "b", 2), srcEcho("NEW"))
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 2), "NEW\n")
	finishLaunch(fb, running, "AAA\n")
	waitDocumentFinished(t, e, v.ID)
	got, err := e.ResultDocument(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("results document:\n%s\nwant:\n%s", got, want)
	}
	if n := countLaunches(rb, "a-found-1"); n != 1 {
		t.Errorf("a-found-1 launched %d times, want 1", n)
	}
	reloadedSame(t, dir, rb, e, stop, v.ID)
}
