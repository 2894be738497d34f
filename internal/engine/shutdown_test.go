package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/store"
)

// gatedBackend is the fake backend whose launches wait at a gate: a pass
// stopped after its journal and before its launch. It notes the launches
// made after the engine's writer stopped.
type gatedBackend struct {
	*fakeBackend
	entered   chan string   // an attempt's launch reached the gate
	gate      chan struct{} // closed: the launches go on
	stopped   <-chan struct{}
	lmu       sync.Mutex
	afterStop []string
}

func (g *gatedBackend) Launch(ctx context.Context, a *Attempt) error {
	g.entered <- a.ID
	<-g.gate
	a.WaitDurable()
	select {
	case <-g.stopped:
		g.lmu.Lock()
		g.afterStop = append(g.afterStop, a.ID)
		g.lmu.Unlock()
	default:
	}
	return g.fakeBackend.Launch(ctx, a)
}

// earlyGatedBackend is a gatedBackend given its launches before they
// are journaled (EarlyLauncher), as the local backend is.
type earlyGatedBackend struct{ *gatedBackend }

func (earlyGatedBackend) LaunchesEarly() bool { return true }

// syncBuffer collects what is written from other goroutines while the
// test reads it.
type syncBuffer = proctest.SyncBuffer

// closedWithin says whether ch closes within about d (a bounded wait,
// not an assertion on time: the callers only lose sensitivity should the
// machine be slower than that).
func closedWithin(ch <-chan struct{}, d time.Duration) bool {
	for i := 0; i < int(d/(5*time.Millisecond)); i++ {
		select {
		case <-ch:
			return true
		default:
			time.Sleep(5 * time.Millisecond)
		}
	}
	return false
}

// TestShutdownDuringLaunch: the engine stopped while a scheduling pass is
// between its journal and its launch. Either the pass finishes its
// launches, stored, before the writer stops, or it launches nothing: no
// launch comes after the writer stopped (and with it the store may be
// closed), and every launch made is in the store.
func TestShutdownDuringLaunch(t *testing.T) {
	for _, early := range []bool{false, true} {
		t.Run(fmt.Sprintf("early=%v", early), func(t *testing.T) {
			dir := t.TempDir()
			st, err := store.Open(filepath.Join(dir, "borges.db"))
			if err != nil {
				t.Fatal(err)
			}
			fb := &fakeBackend{capacity: plan.Resources{CPUs: 4, MemMB: 1024}, outputs: map[string]string{}, envs: map[string]string{}}
			g := &gatedBackend{fakeBackend: fb, entered: make(chan string, 8), gate: make(chan struct{})}
			var b Backend = g
			if early {
				b = earlyGatedBackend{g}
			}
			e := New(Config{Backend: b, Store: st})
			g.stopped = e.Stopped()
			ctx, cancel := context.WithCancel(context.Background())
			var once sync.Once
			release := func() { once.Do(func() { close(g.gate) }) }
			t.Cleanup(func() { release(); cancel(); <-e.Stopped(); st.Close() })
			if err := e.Start(ctx); err != nil {
				t.Fatal(err)
			}
			v, err := e.Submit(context.Background(), "#+name: a\n#+begin_src sh\necho a\n#+end_src\n\n#+name: b\n#+begin_src sh\necho b\n#+end_src\n")
			if err != nil {
				t.Fatal(err)
			}
			entered := map[string]bool{}
			for len(entered) < 2 {
				entered[<-g.entered] = true
			}
			cancel()
			// Before the fix the writer stopped here, the launches
			// still to come.
			t.Logf("stopped before the launches: %v", closedWithin(e.Stopped(), time.Second))
			release()
			<-e.Stopped()
			st.Close()
			g.lmu.Lock()
			late := g.afterStop
			g.lmu.Unlock()
			if len(late) > 0 {
				t.Errorf("launched after the engine's writer stopped: %v", late)
			}
			stored := storedStates(t, filepath.Join(dir, "borges.db"), v.ID)
			for _, a := range fb.launches() {
				if s := stored[a.ID]; s != string(Staged) {
					t.Errorf("launched attempt %s stored as %q (stored: %v)", a.ID, s, stored)
				}
			}
		})
	}
}

// TestStatesQueuedAcrossStop: every state queued for the writer before it
// stopped is in the database once Stopped is closed; one queued after is
// stored at once while the store is open (a backend's last ends), and
// once it is closed refused where it can be seen (an error to the caller
// who waits, the log otherwise), never silently dropped.
func TestStatesQueuedAcrossStop(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "borges.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fb := &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}, envs: map[string]string{}}
	logs := &syncBuffer{}
	e := New(Config{Backend: fb, Store: st, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); <-e.Stopped(); st.Close() })
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	v, err := e.Submit(context.Background(), "#+name: a\n#+begin_src sh\necho a\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	rec := func(w, i int) store.Instance {
		return store.Instance{DocID: v.ID, Block: fmt.Sprintf("w%d-%d", w, i), State: string(Finished),
			AttemptID: fmt.Sprintf("att-w%d-%d", w, i)}
	}
	const workers, each = 4, 300
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := 0; i < each; i++ {
				r := rec(w, i)
				e.mu.Lock()
				if i%2 == 0 {
					e.persistLater(r)
				} else {
					e.queueJournaled([]*store.Instance{&r}, 0)
				}
				e.mu.Unlock()
			}
		}()
	}
	close(start)
	cancel()
	<-e.Stopped()
	wg.Wait()
	// Queued after the writer stopped, the store open: stored.
	late := store.Instance{DocID: v.ID, Block: "late", State: string(Killed), AttemptID: "att-late"}
	e.mu.Lock()
	w := e.queueWrite([]*store.Instance{&late})
	e.mu.Unlock()
	if err := e.awaitWrite(w); err != nil {
		t.Errorf("a write queued after the writer stopped, the store open: %v", err)
	}
	// The store closed: an error to the caller who waits, the log
	// otherwise.
	st.Close()
	closed := store.Instance{DocID: v.ID, Block: "closed", State: string(Killed), AttemptID: "att-closed"}
	e.mu.Lock()
	w = e.queueWrite([]*store.Instance{&closed})
	e.mu.Unlock()
	if err := e.awaitWrite(w); !errors.Is(err, ErrStopped) {
		t.Errorf("a write queued after the store closed: %v, want ErrStopped", err)
	}
	e.mu.Lock()
	e.persistLater(store.Instance{DocID: v.ID, Block: "later", State: string(Finished), AttemptID: "att-later"})
	e.mu.Unlock()
	states := storedStates(t, path, v.ID)
	stored := func(id string) bool { _, ok := states[id]; return ok }
	if !stored("att-late") {
		t.Errorf("a write queued after the writer stopped, the store open, was not stored")
	}
	log := logs.String()
	lost := 0
	for w := 0; w < workers; w++ {
		for i := 0; i < each; i++ {
			id := rec(w, i).AttemptID
			if !stored(id) && !logged(log, id) {
				lost++
			}
		}
	}
	if !logged(log, "att-later") {
		lost++
	}
	if lost > 0 {
		t.Fatalf("%d states queued neither stored nor refused in the log", lost)
	}
}

// logged says whether the log names attempt id.
func logged(log, id string) bool {
	return strings.Contains(log, "attempt="+id+" ") || strings.Contains(log, "attempt="+id+"\n")
}

// storedStates reads, from the database at path opened anew (its launch
// journal replayed), the stored state of each attempt of document doc.
func storedStates(t *testing.T, path, doc string) map[string]string {
	t.Helper()
	states := map[string]string{}
	withStored(t, path, doc, func(_ *store.Store, recs []*store.Instance) {
		for _, r := range recs {
			states[r.AttemptID] = r.State
		}
	})
	return states
}

// withStored opens the database at path anew (its launch journal
// replayed) and calls use with it and the records of document doc.
func withStored(t *testing.T, path, doc string, use func(st *store.Store, recs []*store.Instance)) {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, err := st.DocumentInstances(doc)
	if err != nil {
		t.Fatal(err)
	}
	use(st, recs)
}
