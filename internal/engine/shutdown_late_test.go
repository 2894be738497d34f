package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// startStored is an engine on a fresh store, its context's cancel, and
// the store's path.
func startStored(t *testing.T) (*Engine, context.CancelFunc, *store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "borges.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fb := &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}, envs: map[string]string{}}
	e := New(Config{Backend: fb, Store: st})
	ctx, cancel := context.WithCancel(context.Background())
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return e, cancel, st, path
}

// untilSendClosed spins until the writer takes no more requests.
func untilSendClosed(e *Engine) {
	for {
		e.sendMu.RLock()
		closed := e.sendClosed
		e.sendMu.RUnlock()
		if closed {
			return
		}
	}
}

// TestLateWriteAfterWritersLastCommit: a write made once the writer takes
// no more requests returns after the writer's last commit (it stopped),
// so that flush is a barrier then too. The window is narrow: rounds.
func TestLateWriteAfterWritersLastCommit(t *testing.T) {
	for round := 0; round < 20; round++ {
		e, cancel, st, _ := startStored(t)
		cancel()
		untilSendClosed(e)
		if err := e.flush(); err != nil {
			t.Fatal(err)
		}
		early := !isClosed(e.Stopped())
		<-e.Stopped()
		st.Close()
		if early {
			t.Fatalf("round %d: flush returned before the writer's last commit", round)
		}
	}
}

// TestLateStatesNotOverwritten: states stored once the writer takes no
// more requests (attempts ending as the server stops) are not overwritten
// by the older states of the writer's last batch.
func TestLateStatesNotOverwritten(t *testing.T) {
	for round := 0; round < 60; round++ {
		e, cancel, st, path := startStored(t)
		v, err := e.Submit(context.Background(), "#+name: a\n#+begin_src sh\necho a\n#+end_src\n")
		if err != nil {
			t.Fatal(err)
		}
		recs := make([]*store.Instance, 300)
		for i := range recs {
			recs[i] = &store.Instance{DocID: v.ID, Block: fmt.Sprintf("b%d", i), State: string(Running), AttemptID: fmt.Sprintf("att-%d", i)}
		}
		e.mu.Lock()
		for _, r := range recs {
			e.persistLater(*r) // batched: the writer holds them
		}
		e.mu.Unlock()
		cancel()
		untilSendClosed(e)
		e.mu.Lock()
		for _, r := range recs {
			r.State = string(Finished)
		}
		w := e.queueWrite(recs)
		e.mu.Unlock()
		if err := e.awaitWrite(w); err != nil {
			t.Fatal(err)
		}
		<-e.Stopped()
		st.Close()
		states := storedStates(t, path, v.ID)
		for _, r := range recs {
			if states[r.AttemptID] != string(Finished) {
				t.Fatalf("round %d: %s stored %q after it was stored finished", round, r.AttemptID, states[r.AttemptID])
			}
		}
	}
}
