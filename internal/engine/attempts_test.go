package engine

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// byIDBackend is a backend that, as the real ones do, knows attempts by
// their id only: a second launch of an id replaces the first (its
// directory, its process, its container name). Launches of blocks listed
// in failFor fail.
type byIDBackend struct {
	fakeBackend
	mu2     sync.Mutex
	live    map[string]*Attempt // what the backend runs, by id
	failFor map[string]error    // block → launch error
}

func newByIDBackend() *byIDBackend {
	return &byIDBackend{fakeBackend: fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}},
		live: map[string]*Attempt{}, failFor: map[string]error{}}
}

func (f *byIDBackend) Launch(ctx context.Context, a *Attempt) error {
	f.mu2.Lock()
	err := f.failFor[a.Block]
	if err == nil {
		f.live[a.ID] = a
	}
	f.mu2.Unlock()
	if err != nil {
		return err
	}
	return f.fakeBackend.Launch(ctx, a)
}

func (f *byIDBackend) Kill(ctx context.Context, id string) error {
	f.mu2.Lock()
	_, known := f.live[id]
	delete(f.live, id)
	f.mu2.Unlock()
	if !known {
		return nil // as the real backends: killing what is not running does nothing
	}
	return f.fakeBackend.Kill(ctx, id)
}

// end reports the attempt's end, as the backend would, and forgets it.
func (f *byIDBackend) end(a *Attempt, state State, code int) {
	f.mu2.Lock()
	delete(f.live, a.ID)
	f.mu2.Unlock()
	finish(&f.fakeBackend, a, state, code)
}

func (f *byIDBackend) knows(id string) bool {
	f.mu2.Lock()
	defer f.mu2.Unlock()
	return f.live[id] != nil
}

// startEngine starts an engine on b with its store in dir; it stops at the
// end of the test, or when stop is called.
func startEngine(t testing.TB, dir string, b Backend, cfg Config) (e *Engine, stop func()) {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Backend, cfg.Store = b, st
	e = New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-e.stopped; st.Close() }) }
	t.Cleanup(stop)
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return e, stop
}

// checkTracked asserts the engine's invariant: every staged or running
// instance is tracked under its own attempt id, by no other instance, and
// (once its launch has returned) its backend knows that attempt.
func checkTracked(t *testing.T, e *Engine, knows func(id string) bool) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	owners := map[string]string{}
	for _, ds := range e.order {
		for _, b := range ds.blocks {
			for _, in := range b.instances {
				if s := State(in.rec.State); s != Staged && s != Running {
					continue
				}
				id := in.rec.AttemptID
				if e.attempts[id] != in {
					t.Errorf("block %s instance %d is %s as attempt %q, which the engine does not track for it", b.name, in.rec.Instance, in.rec.State, id)
				}
				if other, dup := owners[id]; dup {
					t.Errorf("blocks %s and %s share attempt %q", other, b.name, id)
				}
				owners[id] = b.name
				if knows != nil && !knows(id) {
					t.Errorf("block %s is %s as attempt %q, which the backend does not run", b.name, in.rec.State, id)
				}
			}
		}
	}
}

// Three names that differ only in the characters a file name or a Mesos
// task id cannot hold.
const lookalikes = `#+name: a.b
#+begin_src sh
echo dot
#+end_src

#+name: a_b
#+begin_src sh
echo underscore
#+end_src

#+name: a/b
#+begin_src sh
echo slash
#+end_src
`

func TestLookalikeNamesRunApart(t *testing.T) {
	fb := newByIDBackend()
	e, _ := startEngine(t, t.TempDir(), fb, Config{})
	v, err := e.Submit(context.Background(), lookalikes)
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, &fb.fakeBackend, 3)
	time.Sleep(20 * time.Millisecond) // the launch goroutines have returned
	checkTracked(t, e, fb.knows)
	want := map[string]string{"a.b": "echo dot", "a_b": "echo underscore", "a/b": "echo slash"}
	ids := map[string]bool{}
	for _, a := range l {
		if ids[a.ID] {
			t.Errorf("attempt id %s given twice", a.ID)
		}
		ids[a.ID] = true
		if !strings.Contains(a.Script, want[a.Block]) {
			t.Errorf("block %s runs %q", a.Block, a.Script)
		}
		if a.Env["BORGES_ATTEMPT"] != a.ID {
			t.Errorf("BORGES_ATTEMPT %q, id %q", a.Env["BORGES_ATTEMPT"], a.ID)
		}
	}
	for _, a := range l {
		fb.end(a, Finished, 0)
	}
	for name := range want {
		waitState(t, e, v.ID, name, Finished)
	}
	// Ended once the blocks' outputs are read (readAtEnd).
	if d := waitDocumentEnded(t, e, v.ID); d.State != Finished {
		t.Fatalf("document %s", d.State)
	}

	// The same document, killed while all three run: nothing stays.
	v2, err := e.Submit(context.Background(), lookalikes)
	if err != nil {
		t.Fatal(err)
	}
	l = waitLaunches(t, &fb.fakeBackend, 6)[3:]
	for _, a := range l {
		fb.sink(Update{AttemptID: a.ID, State: Running})
	}
	for name := range want {
		waitState(t, e, v2.ID, name, Running)
	}
	checkTracked(t, e, fb.knows)
	if err := e.KillDocument(context.Background(), v2.ID); err != nil {
		t.Fatal(err)
	}
	for name := range want {
		waitState(t, e, v2.ID, name, Killed)
	}
	for _, a := range l {
		if fb.knows(a.ID) {
			t.Errorf("attempt %s of block %s still runs after DELETE", a.ID, a.Block)
		}
	}
}

// TestAttemptIDs: ids name the block by its place in the document (unique)
// and by its name made safe for file names, container names and Mesos
// task ids, kept short.
func TestAttemptIDs(t *testing.T) {
	cases := []struct {
		index           int
		block           string
		instance, count int
		want            string
	}{
		{0, "a.b", 0, 1, "d.0-a_b.0.1"},
		{1, "a_b", 0, 1, "d.1-a_b.0.1"},
		{2, "a/b", 2, 3, "d.2-a_b.2.3"},
		{4, "block-5", 0, 1, "d.4-block-5.0.1"},
		{7, "größe", 0, 1, "d.7-gr__e.0.1"},
		{9, strings.Repeat("x", 300), 0, 1, "d.9-" + strings.Repeat("x", 31) + "-970138f5.0.1"},
	}
	for _, c := range cases {
		if got := AttemptID("d", c.index, c.block, c.instance, c.count); got != c.want {
			t.Errorf("AttemptID(%d, %q) = %q, want %q", c.index, c.block, got, c.want)
		}
	}
	// Names cut that share their start keep ids of their own, however
	// their keys move, and the id a server cutting them gave is known.
	long := strings.Repeat("l", 40)
	if one, two := AttemptID("d", 1, long+"-found-1", 0, 1), AttemptID("d", 1, long+"-found-2", 0, 1); one == two || len(one) != len(two) {
		t.Errorf("blocks %s-found-1 and -2 under ids %q and %q", long, one, two)
	}
	if got, want := legacyAttemptID("d", 9, strings.Repeat("x", 300), 0, 1), "d.9-"+strings.Repeat("x", 40)+".0.1"; got != want {
		t.Errorf("legacy id %q, want %q", got, want)
	}
	if got := legacyAttemptID("d", 0, "a.b", 0, 1); got != "" {
		t.Errorf("legacy id of a name not cut: %q, want none", got)
	}
}

// TestLaunchFailureFreesTheInstance: a launch the backend refuses leaves
// the instance failed with the reason, not staged, and its resources go to
// the next block.
func TestLaunchFailureFreesTheInstance(t *testing.T) {
	fb := newByIDBackend()
	fb.capacity = plan.Resources{CPUs: 1, MemMB: 1024}
	fb.failFor["broken"] = errors.New("no such interpreter")
	e, _ := startEngine(t, t.TempDir(), fb, Config{})
	v, err := e.Submit(context.Background(), "#+name: broken\n#+begin_src sh :cpu 1\ntrue\n#+end_src\n\n#+name: next\n#+begin_src sh :cpu 1\ntrue\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, e, v.ID, "broken", Failed)
	l := waitLaunches(t, &fb.fakeBackend, 1)
	if l[0].Block != "next" {
		t.Fatalf("launched %s", l[0].Block)
	}
	d, _ := e.Document(v.ID)
	if msg := d.Blocks[0].Instances[0].Message; !strings.Contains(msg, "could not start") || !strings.Contains(msg, "no such interpreter") {
		t.Fatalf("message %q", msg)
	}
	time.Sleep(20 * time.Millisecond)
	checkTracked(t, e, fb.knows)
}

// slowLaunchBackend holds launches until released, so that a kill or a
// restart can come while the backend is still starting the attempt.
type slowLaunchBackend struct {
	*byIDBackend
	started  chan *Attempt
	release  chan struct{}
	launched chan string // ids whose launch has returned
}

func (f *slowLaunchBackend) Launch(ctx context.Context, a *Attempt) error {
	f.started <- a
	<-f.release
	defer func() { f.launched <- a.ID }()
	return f.byIDBackend.Launch(ctx, a)
}

// waitLaunched waits until the launch of attempt id has returned.
func waitLaunched(t *testing.T, launched chan string, id string) {
	t.Helper()
	for i := 0; i < 3; i++ {
		select {
		case got := <-launched:
			if got == id {
				return
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("the launch of %s never returned", id)
		}
	}
	t.Fatalf("the launch of %s never returned", id)
}

// TestKillDuringLaunch: a kill that arrives while the backend is starting
// the attempt still stops it once started.
func TestKillDuringLaunch(t *testing.T) {
	for _, op := range []string{"kill", "restart"} {
		t.Run(op, func(t *testing.T) {
			fb := &slowLaunchBackend{byIDBackend: newByIDBackend(), started: make(chan *Attempt, 4), release: make(chan struct{}),
				launched: make(chan string, 4)}
			e, _ := startEngine(t, t.TempDir(), fb, Config{})
			// The launch is let go however the test ends (cleanups run
			// last first: before the engine's stop, which waits for it).
			var once sync.Once
			release := func() { once.Do(func() { close(fb.release) }) }
			t.Cleanup(release)
			v, err := e.Submit(context.Background(), "#+name: forever\n#+begin_src sh\nsleep 1000\n#+end_src\n")
			if err != nil {
				t.Fatal(err)
			}
			a := <-fb.started
			if op == "kill" {
				err = e.KillDocument(context.Background(), v.ID)
			} else {
				err = e.RestartBlock(context.Background(), v.ID, "forever")
			}
			if err != nil {
				t.Fatal(err)
			}
			release()
			waitLaunched(t, fb.launched, a.ID) // (a restart may launch the next attempt meanwhile)
			for i := 0; i < 2000 && fb.knows(a.ID); i++ {
				time.Sleep(5 * time.Millisecond)
			}
			if fb.knows(a.ID) {
				t.Fatalf("attempt %s still runs after %s during its launch", a.ID, op)
			}
			if op == "kill" {
				waitState(t, e, v.ID, "forever", Killed)
			}
		})
	}
}

// TestSharedIDsFromAnOlderServer: attempts stored by a Borges that named
// them by block name only may share an id; after a restart one instance
// keeps it and the others run again, none left staged with no attempt.
func TestSharedIDsFromAnOlderServer(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	old := "olddoc.a_b.0.1"
	err = st.AddDocument(&store.Document{ID: "olddoc", Text: lookalikes, SubmittedAt: now}, []*store.Instance{
		{DocID: "olddoc", Block: "a.b", State: string(Running), Attempts: 1, AttemptID: old},
		{DocID: "olddoc", Block: "a_b", State: string(Staged), Attempts: 1, AttemptID: old},
		{DocID: "olddoc", Block: "a/b", State: string(Staged), Attempts: 1, AttemptID: old},
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	fb := newByIDBackend()
	fb.live[old] = &Attempt{ID: old}
	e, _ := startEngine(t, dir, fb, Config{})
	if len(fb.recover) != 1 || fb.recover[0].ID != old {
		t.Fatalf("recovered %d attempts", len(fb.recover))
	}
	l := waitLaunches(t, &fb.fakeBackend, 2)
	time.Sleep(20 * time.Millisecond)
	checkTracked(t, e, fb.knows)
	for _, a := range l {
		if a.ID == old || a.Number != 2 {
			t.Errorf("relaunch %s (attempt %d)", a.ID, a.Number)
		}
	}
}
