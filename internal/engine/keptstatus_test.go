package engine

import (
	"context"
	"strings"
	"testing"
)

// keptStatus reads a document's status twice in a row (the second from
// the brief kept by the first, unless the engine changed meanwhile),
// checks both against the full view, and says whether the brief is kept
// for the engine's current state.
func keptStatus(t *testing.T, e *Engine, id, when string) DocumentStatus {
	t.Helper()
	s := checkStatus(t, e, id, when)
	again, err := e.DocumentStatus(id)
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	if again.State != s.State || again.Ended != s.Ended || again.blocks != s.blocks || again.tasks != s.tasks {
		// The engine may have moved on between the two: the view says.
		checkStatus(t, e, id, when+" (again)")
	}
	e.mu.lockRead()
	ds := e.docs[id]
	kept := ds.keptGen != 0
	e.mu.Unlock()
	if !kept {
		t.Fatalf("%s: no brief kept after a status", when)
	}
	return s
}

// TestKeptStatusFollowsChangesAndRestart: the status served from a
// document's kept brief follows every change (a block running, failing,
// finishing, restarted) and a restart of the engine over the same store.
func TestKeptStatusFollowsChangesAndRestart(t *testing.T) {
	dir := t.TempDir()
	e, fb, stop := newTestEngine(t, dir)
	// second :after first, not :var x=first, whose reference would be a
	// run of first of its own (Babel runs first again at it), launched
	// beside first: one launch at a time, as the counts below take them.
	v, err := e.Submit(context.Background(), strings.Replace(depsDoc, ":var x=first", ":after first", 1))
	if err != nil {
		t.Fatal(err)
	}
	id, l := v.ID, waitLaunches(t, fb, 1)
	if s := keptStatus(t, e, id, "launched"); s.Ended || s.State != Running {
		t.Fatalf("launched: %+v", s)
	}
	fb.sink(Update{AttemptID: l[0].ID, State: Running})
	waitState(t, e, id, l[0].Block, Running)
	if s := keptStatus(t, e, id, "running"); s.Tasks(Running) != 1 {
		t.Fatalf("running: %+v", s)
	}
	finish(fb, l[0], Failed, 3)
	waitState(t, e, id, l[0].Block, Failed)
	if s := keptStatus(t, e, id, "failed"); s.Tasks(Failed) == 0 || s.Tasks(Running) != 0 {
		t.Fatalf("failed: %+v", s)
	}
	if err := e.RestartBlock(context.Background(), id, l[0].Block); err != nil {
		t.Fatal(err)
	}
	l = waitLaunches(t, fb, 2)
	fb.sink(Update{AttemptID: l[1].ID, State: Running})
	waitState(t, e, id, l[1].Block, Running)
	if s := keptStatus(t, e, id, "restarted"); s.Ended || s.Tasks(Running) != 1 {
		t.Fatalf("restarted: %+v", s)
	}
	stop()

	e2, fb2, stop2 := newTestEngine(t, dir)
	t.Cleanup(stop2)
	if s := keptStatus(t, e2, id, "engine restarted"); s.Ended {
		t.Fatalf("engine restarted: %+v", s)
	}
	if len(fb2.recover) != 1 {
		t.Fatalf("recover = %+v", fb2.recover)
	}
	fb2.sink(Update{AttemptID: fb2.recover[0].ID, State: Lost, Message: "gone"})
	waitLaunches(t, fb2, 1) // launched again: staged, and so it stays
	if s := keptStatus(t, e2, id, "lost after the engine's restart"); s.Tasks(Running) != 0 {
		t.Fatalf("lost after the engine's restart: %+v", s)
	}
}
