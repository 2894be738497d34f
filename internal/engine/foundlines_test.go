package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// foundRefusedDoc is foundLastDoc with a block :eval refuses found first
// in the last block's results (foundRefusedRaw), before the block that
// runs.
const foundRefusedDoc = "Blocks found after the last block of the document, the first refused.\n\n" +
	"#+begin_src sh\necho first\n#+end_src\n\n" +
	"#+begin_src sh :results raw\nprintf '%s\\n' one two '#+begin_src sh :eval no' 'echo refused' '#+end_src' '#+begin_src sh' 'echo foundafter' '#+end_src'\n#+end_src\nText right after.\n"

// foundRefusedRaw is the raw output of foundRefusedDoc's second block.
const foundRefusedRaw = "one\ntwo\n#+begin_src sh :eval no\necho refused\n#+end_src\n#+begin_src sh\necho foundafter\n#+end_src\n"

// textLine is the line of the first line of text that is want, 0 for none.
func textLine(text, want string) int {
	for i, l := range strings.Split(text, "\n") {
		if l == want {
			return i + 1
		}
	}
	return 0
}

// TestFoundRefusedLineAfterEarlierResults: the block found first is one
// :eval refuses; the results holding it are searched before block-1,
// above them, ends (Borges runs both at once), and block-1's results
// then push both blocks found down the buffer: the refused block, as the
// one that runs, is shown at the line of its #+begin_src in the results
// document, not the line it had in the buffer searched first.
func TestFoundRefusedLineAfterEarlierResults(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundRefusedDoc)
	first := launchOf(t, rb.fakeBackend, "block-1", 1)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), foundRefusedRaw)
	waitBlockListed(t, e, id, "block-2-found-1", true)
	finishLaunch(rb.fakeBackend, first, "first\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2-found-2", 1), "foundafter\n")
	d := waitDocumentEnded(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	refused, runs := textLine(got, "#+begin_src sh :eval no"), textLine(got, "echo foundafter")-1
	if refused == 0 || runs <= 0 || !strings.Contains(got, "#+RESULTS:\n: first\n") {
		t.Fatalf("results document (block-1's results, the blocks found):\n%s", got)
	}
	foundAtLine(t, d, "block-2-found-2", runs)
	foundAtLine(t, d, "block-2-found-1", refused)
}

// TestFoundStopLineAfterRestartAbove: block-1, above the results holding
// the blocks found, is run again and prints two lines more: the blocks
// found stand two lines further down the buffer, and the stop at the
// first, the block held after it and the notes name the line it stands
// at now (19), as the results document has it, not the line of the
// buffer searched before block-1 ran again (17).
func TestFoundStopLineAfterRestartAbove(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundLastDoc)
	restartAboveFoundStop(t, e, rb, id)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 2), "first\nsecond\nthird\n")
	d := waitDocumentEnded(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if line := textLine(got, "#+begin_src emacs-lisp"); line != 19 || !strings.Contains(got, "| first  |\n| second |\n| third  |\n") {
		t.Fatalf("results document (the block found at line %d, want 19, under block-1's new results):\n%s", line, got)
	}
	foundAtLine(t, d, "block-2-found-1", 19)
	if msg := foundMessage(d, "block-2-found-1"); !strings.HasSuffix(msg, "stopped at this block, at line 19: Wrong type argument: listp, 1") {
		t.Errorf("the block found says %q, want the stop at its line 19", msg)
	}
	const held = "not run: org-babel-execute-buffer stopped before it, at the block at line 19, for block block-2-found-1"
	if msg := foundMessage(d, "block-2-found-2"); !strings.HasPrefix(msg, held) {
		t.Errorf("block-2-found-2 says %q, want it held by the stop at the first block found, at its line 19", msg)
	}
	wantNote(t, d, "stops this document at the block at line 19, for block block-2-found-1, an Emacs Lisp block that signalled an error")
}

// TestFoundStopLineHeldAfterReadNoPass: as
// TestFoundStopLineAfterRestartAbove, block-1 run again; its output is
// read off the lock and its results searched then (foundAfterRead),
// which moves the blocks found to the lines they stand at under its new
// results. The pass that follows is held back: the document, ended, read
// before it, has the block held by the stop name the line the stop's
// block stands at (19), not the line the search at block-1's end gave it
// while its results were being read (14).
func TestFoundStopLineHeldAfterReadNoPass(t *testing.T) {
	holdPass, release := holdNextPass(t)
	_, rb, e, _, id := submitOnDisk(t, foundLastDoc)
	defer close(release)
	restartAboveFoundStop(t, e, rb, id)
	again := launchOf(t, rb.fakeBackend, "block-1", 2)
	holdPass(e)
	finishLaunch(rb.fakeBackend, again, "first\nsecond\nthird\n")
	// The read of its output, off the lock, and the search after it
	// end without a pass: block-2-found-1 then stands at line 19.
	var d *DocumentView
	for range 12000 {
		if d, _ = e.Document(id); d != nil && foundLineOf(d, "block-2-found-1") == 19 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if d == nil || d.State == Running || d.State == Queued {
		t.Fatalf("document, want ended: %+v", d)
	}
	foundAtLine(t, d, "block-2-found-1", 19)
	const held = "not run: org-babel-execute-buffer stopped before it, at the block at line 19, for block block-2-found-1"
	if msg := foundMessage(d, "block-2-found-2"); !strings.HasPrefix(msg, held) {
		t.Errorf("block-2-found-2 says %q before the next pass, want it held by the stop at the first block found, at its line 19", msg)
	}
}

// foundLineOf is the line d shows block name at, 0 for none.
func foundLineOf(d *DocumentView, name string) int {
	for _, b := range d.Blocks {
		if b.Name == name {
			return b.Line
		}
	}
	return 0
}

// TestFoundEndReadOffLock: a block found in results, whose results are
// shown verbatim (no block org-babel-execute-buffer could find in
// them), ends: its output is not read under the engine's lock for
// whether its results hold a block (mayHoldExecutables): views answer
// while a read of it is held, and show it finished.
func TestFoundEndReadOffLock(t *testing.T) {
	e, c, id := foundBelowListed(t)
	endedViewed(t, e, c, id, launchOf(t, c.fakeBackend, "block-1-found-1", 1), "found\n")
	finishLaunch(c.fakeBackend, launchOf(t, c.fakeBackend, "block-2", 1), "later\n")
	waitDocumentEnded(t, e, id)
}

// TestFoundPostAfterRestartAbove: p, a block of the document above the
// results holding a block found with :post p, is run again: the search
// starts again from the document with its new results (searchedStale),
// and keys the blocks found again (rekeyFound), the :post chain of the
// block found with it; a restart of the block found then runs its :post
// as before.
func TestFoundPostAfterRestartAbove(t *testing.T) {
	const found = "#+name: fb\n#+begin_src sh :post p(x=*this*)\necho found\n#+end_src\n"
	restartsChanging(t, found, found,
		restartRuns{"p", []string{"p"}},
		restartRuns{"b-found-1", []string{"b-found-1", "b-found-1 :post p(x=*this*)"}},
	)
}

// restartAboveFoundStop runs foundLastDoc until the first block found in
// block-2's results stops it, then runs block-1, above those results,
// again.
func restartAboveFoundStop(t *testing.T, e *Engine, rb *reportBackend, id string) {
	t.Helper()
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), "first\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), foundLastRaw)
	signalled(rb, launchOf(t, rb.fakeBackend, "block-2-found-1", 1), "Wrong type argument: listp, 1")
	checkFoundLastHeld(t, e, rb, id)
	if err := e.RestartBlock(context.Background(), id, "block-1"); err != nil {
		t.Fatal(err)
	}
}
