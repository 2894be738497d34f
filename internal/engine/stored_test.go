package engine

import (
	"context"
	"sync"
	"testing"
)

// TestStoredAfterCommit: an update's Stored is called once the end it
// made is committed, never while that commit is under way (a backend that
// acknowledges the end in Stored has the master forget the task only once
// a restarted server would find the end in its store); an update that
// makes no state is told at once, with the next batch.
func TestStoredAfterCommit(t *testing.T) {
	var mu sync.Mutex
	var hold chan struct{} // set: commits wait until it is closed
	blocked := make(chan struct{}, 1)
	beforeCommit = func() {
		mu.Lock()
		h := hold
		mu.Unlock()
		if h == nil {
			return
		}
		select {
		case blocked <- struct{}{}:
		default:
		}
		<-h
	}
	t.Cleanup(func() { beforeCommit = nil })

	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, err := e.Submit(context.Background(), "#+begin_src sh\nexit 3\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	a := waitLaunches(t, fb, 1)[0]
	fb.sink(Update{AttemptID: a.ID, State: Running})

	release := make(chan struct{})
	var once sync.Once
	letGo := func() {
		once.Do(func() {
			mu.Lock()
			hold = nil
			mu.Unlock()
			close(release)
		})
	}
	defer letGo() // before stop: the writer's commit does not wait for ever
	mu.Lock()
	hold = release
	mu.Unlock()
	stored := make(chan struct{})
	code := 3
	fb.sink(Update{AttemptID: a.ID, State: Failed, ExitCode: &code, Stored: func() { close(stored) }})
	<-blocked // the writer's next commit, which holds the end, is under way
	select {
	case <-stored:
		t.Fatal("Stored called before the end was committed")
	default:
	}
	letGo()
	<-stored
	recs, err := e.store.DocumentInstances(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].AttemptID != a.ID || State(recs[0].State) != Failed {
		t.Fatalf("stored when Stored was called: %+v", recs)
	}

	// An update of an attempt the engine does not track makes no state.
	unknown := make(chan struct{})
	fb.sink(Update{AttemptID: "nobody", State: Finished, Stored: func() { close(unknown) }})
	<-unknown
}

// TestStoredWithoutStore: with no store, Stored is called at once.
func TestStoredWithoutStore(t *testing.T) {
	e := New(Config{Backend: &fakeBackend{}})
	called := false
	e.onUpdate(Update{AttemptID: "x", State: Finished, Stored: func() { called = true }})
	if !called {
		t.Fatal("Stored not called without a store")
	}
}
