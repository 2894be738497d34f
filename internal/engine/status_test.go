package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// statusOfView is what DocumentStatus must say, worked out from the full
// view: the document's state, its blocks counted by state and its task
// instances counted by state.
func statusOfView(v *DocumentView) DocumentStatus {
	s := DocumentStatus{State: v.State, Ended: v.State != Running}
	for _, b := range v.Blocks {
		if !b.Runnable {
			continue
		}
		s.blocks[stateIndex(b.State)]++
		for _, in := range b.Instances {
			s.tasks[stateIndex(in.State)]++
			if f := in.FinishedAt; s.Ended && f != nil && (s.FinishedAt == nil || f.After(*s.FinishedAt)) {
				s.FinishedAt = f
			}
		}
	}
	return s
}

// checkStatus compares DocumentStatus with the full view, and returns it.
func checkStatus(t *testing.T, e *Engine, id, when string) (s DocumentStatus) {
	t.Helper()
	v, err := e.Document(id)
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	s, err = e.DocumentStatus(id)
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	want := statusOfView(v)
	if (s.FinishedAt == nil) != (want.FinishedAt == nil) || (s.FinishedAt != nil && !s.FinishedAt.Equal(*want.FinishedAt)) {
		t.Fatalf("%s: finished at %v, view says %v", when, s.FinishedAt, want.FinishedAt)
	}
	finished := s.FinishedAt
	s.FinishedAt, want.FinishedAt = nil, nil
	if s != want {
		t.Fatalf("%s: status %+v, view says %+v", when, s, want)
	}
	s.FinishedAt = finished
	for _, st := range allStates {
		n := 0
		for _, b := range v.Blocks {
			if b.Runnable && b.State == st {
				n++
			}
		}
		if s.Blocks(st) != n {
			t.Fatalf("%s: Blocks(%s) = %d, view has %d", when, st, s.Blocks(st), n)
		}
	}
	return s
}

// TestDocumentStatusAgreesWithView follows a document through its life
// (queued, running, failed, finished, killed, restarted, removed) and
// checks at each step that the summary says what the full view says.
func TestDocumentStatusAgreesWithView(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	// Three blocks of one CPU each on two CPUs: the third waits queued.
	var doc strings.Builder
	doc.WriteString("#+title: status\nsome text\n#+begin_src unknown-lang\nx\n#+end_src\n")
	for _, name := range []string{"a", "b", "c"} {
		doc.WriteString("#+name: " + name + "\n#+begin_src sh :cpus 1\necho " + name + "\n#+end_src\n")
	}
	v, err := e.Submit(context.Background(), doc.String())
	if err != nil {
		t.Fatal(err)
	}
	id := v.ID
	if s := checkStatus(t, e, id, "submitted"); s.Ended || s.State != Running {
		t.Fatalf("submitted: %+v", s)
	}
	l := waitLaunches(t, fb, 2)
	fb.sink(Update{AttemptID: l[0].ID, State: Running})
	waitState(t, e, id, l[0].Block, Running)
	s := checkStatus(t, e, id, "one running")
	if s.Blocks(Running) != 1 || s.Tasks(Running) != 1 || s.Ended {
		t.Fatalf("one running: %+v", s)
	}
	finish(fb, l[0], Failed, 3)
	waitState(t, e, id, l[0].Block, Failed)
	checkStatus(t, e, id, "one failed")
	finish(fb, l[1], Finished, 0)
	waitState(t, e, id, l[1].Block, Finished)
	checkStatus(t, e, id, "one failed, one finished")
	l = waitLaunches(t, fb, 3)
	fb.sink(Update{AttemptID: l[2].ID, State: Running})
	waitState(t, e, id, l[2].Block, Running)
	if err := e.KillDocument(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	waitState(t, e, id, l[2].Block, Killed)
	if s := checkStatus(t, e, id, "killed"); !s.Ended || s.Blocks(Killed) != 1 || s.Blocks(Failed) != 1 || s.Blocks(Finished) != 1 {
		t.Fatalf("killed: %+v", s)
	}
	if err := e.RestartBlock(context.Background(), id, l[0].Block); err != nil {
		t.Fatal(err)
	}
	l = waitLaunches(t, fb, 4)
	if s := checkStatus(t, e, id, "restarted"); s.Ended {
		t.Fatalf("restarted: %+v", s)
	}
	finish(fb, l[3], Finished, 0)
	waitState(t, e, id, l[3].Block, Finished)
	checkStatus(t, e, id, "restarted and finished")
	if err := e.RemoveDocument(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DocumentStatus(id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed: %v", err)
	}
}
