package engine

import (
	"context"
	"testing"
	"time"
)

// waitChange waits, bounded, for ch to be closed.
func waitChange(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(time.Minute):
		t.Fatalf("no change seen: %s", what)
	}
}

// isClosed says whether ch is closed (a change came), without waiting.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// TestDocumentChanges: a document's watchers wake when one of its blocks
// changes state, and those watching after it wait for the next change; a document whose block
// waits for CPUs changes when another document's attempt takes some (its
// view says what is free); a removed document wakes its watchers.
func TestDocumentChanges(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	ctx := context.Background()
	hog, err := e.Submit(ctx, "#+name: hog\n#+begin_src sh :cpu 1\nsleep 1\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	a := waitLaunches(t, fb, 1)[0]
	changed, err := e.DocumentChanges(hog.ID)
	if err != nil {
		t.Fatal(err)
	}
	fb.sink(Update{AttemptID: a.ID, State: Running})
	waitChange(t, changed, "a block running")
	waitState(t, e, hog.ID, "hog", Running)
	if next, _ := e.DocumentChanges(hog.ID); isClosed(next) {
		t.Fatal("a watch begun after the change wakes at once: the change is seen twice")
	}

	waiter, err := e.Submit(ctx, "#+name: w\n#+begin_src sh :cpu 2\nsleep 1\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	changed, _ = e.DocumentChanges(waiter.ID)
	if _, err := e.Submit(ctx, "#+name: small\n#+begin_src sh :cpu 1\nsleep 1\n#+end_src\n"); err != nil {
		t.Fatal(err)
	}
	waitChange(t, changed, "the CPUs a queued block waits for taken")
	waitState(t, e, waiter.ID, "w", Queued)

	changed, _ = e.DocumentChanges(hog.ID)
	if err := e.RemoveDocument(ctx, hog.ID); err != nil {
		t.Fatal(err)
	}
	waitChange(t, changed, "the document removed")
	if _, err := e.DocumentChanges(hog.ID); err == nil {
		t.Fatal("a removed document's changes are watched")
	}
}
