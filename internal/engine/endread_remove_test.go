package engine

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestRemoveStopsEndReads: removing a document ends at once the reads of
// its blocks' outputs made off the lock as they end (readAtEnd), as it
// ends the reads of its reports (TestRemoveStopsReportReads): a read
// held by a slow backend does not go on for its whole bound after the
// document is gone, and nothing of it is stored.
func TestRemoveStopsEndReads(t *testing.T) {
	c := newCountedReads()
	// A try bounded beyond heldReadLimit: only the removal can end the
	// held read before the fake lets it go.
	slow := &endReadRetry{timeout: 2 * heldReadLimit, tries: 8, first: time.Millisecond, max: time.Millisecond}
	e, _ := startEngine(t, t.TempDir(), c, Config{endRead: slow})
	v, err := e.Submit(context.Background(), "Text src_sh{echo 1} here.\n\n"+
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	in := launchOf(t, c.fakeBackend, "inline-1", 1)
	endHeld(t, c, in, "1\n")
	if err := e.RemoveDocument(context.Background(), v.ID); err != nil {
		t.Fatal(err)
	}
	// The held read returns on its context alone: were it not ended by
	// the removal, it would wait for heldReadLimit and count as stuck
	// (countedReads.hold's cleanup fails the test).
	readsDrained(t, e)
	c.mu.Lock()
	stuck := c.stuck
	c.mu.Unlock()
	if stuck > 0 {
		t.Fatalf("%d reads of the removed document's outputs went on after its removal", stuck)
	}
	noneStoredAfterRemoval(t, e, v.ID)
}

// stubbornCounted is countedReads whose kill of the attempt stubborn is
// ignored: a removal waiting for it to end fails (unremove).
type stubbornCounted struct {
	*countedReads
	stubborn string
}

func (s *stubbornCounted) Kill(ctx context.Context, id string) error {
	if id == s.stubborn {
		return nil
	}
	return s.countedReads.Kill(ctx, id)
}

// TestEndReadAgainAfterFailedRemoval: a read of a block's output that a
// removal ended (TestRemoveStopsEndReads) is made again once that removal
// fails (a task that does not stop: ErrConflict), as a server started
// again makes it (readAtEndAgain): what it decides is not lost with it.
func TestEndReadAgainAfterFailedRemoval(t *testing.T) {
	c := newCountedReads()
	s := &stubbornCounted{countedReads: c}
	slow := &endReadRetry{timeout: 2 * heldReadLimit, tries: 8, first: time.Millisecond, max: time.Millisecond}
	e, _ := startEngine(t, t.TempDir(), s, Config{endRead: slow, RemoveWait: 300 * time.Millisecond})
	v, err := e.Submit(context.Background(), "#+name: one\n#+begin_src sh\necho 1\n#+end_src\n\n"+
		"#+name: free\n#+begin_src sh\nsleep 1000\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	one, free := launchOf(t, c.fakeBackend, "one", 1), launchOf(t, c.fakeBackend, "free", 1)
	s.stubborn = free.ID // set before any kill: no race with Kill
	endHeld(t, c, one, "1\n")
	if err := e.RemoveDocument(context.Background(), v.ID); !errors.Is(err, ErrConflict) {
		t.Fatalf("remove: %v, want ErrConflict (a task did not stop)", err)
	}
	select {
	case <-c.entered:
	case <-time.After(time.Minute):
		t.Fatal("one's output not read again once its document's removal failed")
	}
	c.release()
	readsDrained(t, e)
	e.mu.Lock()
	in := e.docs[v.ID].byName["one"].instances[0]
	reading, pending := in.endReading, in.rec.ResultStopReading
	e.mu.Unlock()
	if reading != "" || pending {
		t.Errorf("one's output read again, but its read not decided: reading %q, ResultStopReading %v", reading, pending)
	}
	if n := c.reads(one.ID); n != 2 {
		t.Errorf("one's output read %d times, want twice (once cut by the removal)", n)
	}
}
