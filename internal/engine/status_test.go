package engine

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/proctest"
)

// checkStatus compares DocumentStatus with the full view, and returns it.
func checkStatus(t *testing.T, e *Engine, id, when string) DocumentStatus {
	t.Helper()
	// The summary and the view are two reads: the engine may move on in
	// between (a queued block launched as another ends). They are
	// compared where the view read before and after the summary agree.
	var s DocumentStatus
	var want StatusView
	deadline := proctest.WaitDeadline(t)
	for {
		before, err := e.Document(id)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if s, err = e.DocumentStatus(id); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		after, err := e.Document(id)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if want = StatusOf(before); reflect.DeepEqual(want, StatusOf(after)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the document never stood still long enough to compare", when)
		}
		time.Sleep(10 * time.Millisecond)
	}
	got := s.View(id)
	if (got.FinishedAt == nil) != (want.FinishedAt == nil) || (got.FinishedAt != nil && !got.FinishedAt.Equal(*want.FinishedAt)) {
		t.Fatalf("%s: finished at %v, view says %v", when, got.FinishedAt, want.FinishedAt)
	}
	got.FinishedAt, want.FinishedAt = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: status %+v, view says %+v", when, got, want)
	}
	for _, st := range allStates {
		if s.Blocks(st) != want.Blocks[st] || s.Tasks(st) != want.Tasks[st] {
			t.Fatalf("%s: %s: %d blocks, %d tasks; view says %+v", when, st, s.Blocks(st), s.Tasks(st), want)
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
