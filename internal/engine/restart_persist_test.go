package engine

import (
	"context"
	"testing"
)

// TestRestartStoredBeforeTheKill: a restart's records are stored before
// the old attempt is killed, so that the new attempt, which may start
// and end while the kill is under way, is what the store keeps: the
// server started again finds the block finished, not queued to run once
// more.
func TestRestartStoredBeforeTheKill(t *testing.T) {
	dir := t.TempDir()
	e, fb, stop := newTestEngine(t, dir)
	v, err := e.Submit(context.Background(), "#+name: b\n#+begin_src sh\nsleep 9\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	first := waitLaunches(t, fb, 1)[0]
	fb.sink(Update{AttemptID: first.ID, State: Running})
	waitState(t, e, v.ID, "b", Running)
	fb.mu.Lock()
	fb.duringKill = func() {
		// The old attempt is gone: the new one starts and ends.
		e.poke()
		second := waitLaunches(t, fb, 2)[1]
		finish(fb, second, Finished, 0)
		waitState(t, e, v.ID, "b", Finished)
	}
	fb.mu.Unlock()
	if err := e.RestartBlock(context.Background(), v.ID, "b"); err != nil {
		t.Fatal(err)
	}
	stop()
	e2, _, stop2 := newTestEngine(t, dir)
	defer stop2()
	got, err := e2.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Blocks[0].State; s != Finished {
		t.Fatalf("after a restart of the server the block is %s; want %s", s, Finished)
	}
}
