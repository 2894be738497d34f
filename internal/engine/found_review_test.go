package engine

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// These tests reproduce the review of found blocks re-keyed by buffer
// order: attempt ids, parked keys, owners run again that end without a
// launch, and a restart while an owner runs again.

// TestFoundKeysAttemptIDNotReused: found blocks whose names share their
// first 40 characters, re-keyed, do not launch under each other's
// attempt ids (the id names the block by its full name, not its key).
func TestFoundKeysAttemptIDNotReused(t *testing.T) {
	long := strings.Repeat("l", 40)
	doc := "#+name: slow\n#+begin_src sh\nsleep 1\n#+end_src\n\n" +
		"#+name: " + long + "\n#+begin_src sh :results drawer\ncat a-blocks\n#+end_src\nText A.\n\n" +
		"#+name: b\n#+begin_src sh :results drawer\ncat b-blocks\n#+end_src\nText B.\n"
	_, rb, e, _, id := submitOnDisk(t, doc)
	ctx := context.Background()
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "b", 1), srcEcho("BBB"))
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 1), "BBB\n")
	finishLaunch(fb, launchOf(t, fb, long, 1), srcEcho("ONE")+"\n#+begin_src sh :var s=slow\necho TWO\n#+end_src\n")
	one := launchOf(t, fb, long+"-found-1", 1)
	finishLaunch(fb, one, "ONE\n")
	if err := e.RestartBlock(ctx, id, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "b", 2), srcEcho("NEW"))
	finishLaunch(fb, launchOf(t, fb, "slow", 1), "s\n")
	// The found block's :var s=slow runs slow again, a run of its own
	// it waits for.
	finishLaunch(fb, launchOf(t, fb, long+"-found-2 :var s=slow", 1), "s\n")
	two := launchOf(t, fb, long+"-found-2", 1)
	if one.ID == two.ID {
		t.Errorf("two blocks launched under one attempt id %s", one.ID)
	}
}

// TestFoundParkedKeyNotReused: a kept found block whose owner runs again
// is parked past every key the search gives, so a block found meanwhile
// (here in b's new results, then in its found block's) takes a key of
// its own and is added.
func TestFoundParkedKeyNotReused(t *testing.T) {
	e, fb, id := runTwoOwners(t, "BBB")
	ctx := context.Background()
	for _, n := range []string{"a", "b"} {
		if err := e.RestartBlock(ctx, id, n); err != nil {
			t.Fatal(err)
		}
	}
	a2 := launchOf(t, fb, "a", 2)
	fb.sink(Update{AttemptID: a2.ID, State: Running})
	finishLaunch(fb, launchOf(t, fb, "b", 2), "#+begin_src sh :results raw\ncat nested\n#+end_src\nMore.\n")
	finishLaunch(fb, launchOf(t, fb, "b-found-1", 2), srcEcho("NESTED")+"Text.\n")
	launchOf(t, fb, "b-found-1-found-1", 1)
}

// TestFoundRerunBlocked: an owner run again whose dependency fails ends
// without an attempt; the blocks found in its old results are dropped as
// when it fails itself, and a restarted server agrees.
func TestFoundRerunBlocked(t *testing.T) {
	dir, rb, e, stop, id, dep := depAndOwnerRestarted(t)
	fb := rb.fakeBackend
	fb.setOutput(dep.ID, "oops\n")
	finish(fb, dep, Failed, 1)
	waitDocumentEnded(t, e, id)
	if added := addedBlocks(t, e, id); len(added) != 0 {
		t.Errorf("blocks found: %v, want none", added)
	}
	reloadedSame(t, dir, rb, e, stop, id)
}

// TestFoundRekeyErrorKeepsFound: a re-key whose planning of the buffer
// fails keeps the blocks found in other blocks' results as they were
// (and says so), rather than dropping every one.
func TestFoundRekeyErrorKeepsFound(t *testing.T) {
	e, fb, id := runTwoOwners(t, "BBB")
	ctx := context.Background()
	was := bufferEdits
	t.Cleanup(func() { bufferEdits = was })
	bufferEdits = func(*org.Document, *plan.Plan, *org.BufferReport, plan.Limits, plan.Options) (*plan.Edits, error) {
		return nil, errors.New("planning fails")
	}
	if err := e.RestartBlock(ctx, id, "b"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "b", 2), srcEcho("NEW"))
	waitDocumentFinished(t, e, id)
	if added := addedBlocks(t, e, id); added["a-found-1"] != "a" {
		t.Errorf("blocks found: %v, want a-found-1 (of a) kept", added)
	}
}

// TestFoundRestartWhileOwnerReruns: a server started again while the
// owner of a found block runs again does not find that block (its
// owner's results are not written), but counts its attempts on: found
// again in the owner's new results, it launches under a new attempt id,
// not its first attempt's (whose files are still there).
func TestFoundRestartWhileOwnerReruns(t *testing.T) {
	dir, rb, e, stop, id := restartedOnDisk(t, srcEcho("AAA"), "AAA\n")
	fb := rb.fakeBackend
	first := launchOf(t, fb, "b-found-1", 1)
	b2 := launchOf(t, fb, "b", 2)
	fb.sink(Update{AttemptID: b2.ID, State: Running})
	waitState(t, e, id, "b", Running)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	waitState(t, e2, id, "b", Running)
	finishLaunch(fb, b2, srcEcho("AAA"))
	again := launchOf(t, fb, "b-found-1", 2)
	if again.ID == first.ID {
		t.Errorf("b-found-1 launched again under its first attempt's id %s", first.ID)
	}
}
