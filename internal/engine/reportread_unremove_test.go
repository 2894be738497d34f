package engine

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// stubbornKills is a report backend whose kills of the attempts
// stubborn are ignored: a removal waiting for them to end fails.
type stubbornKills struct {
	*heldReports
	smu      sync.Mutex
	stubborn map[string]bool
}

func (s *stubbornKills) Kill(ctx context.Context, id string) error {
	s.smu.Lock()
	st := s.stubborn[id]
	s.smu.Unlock()
	if st {
		return nil
	}
	return s.heldReports.Kill(ctx, id)
}

// unremoveDoc is addingDoc with a block that runs beside its Emacs (its
// own process) and that a kill does not stop.
const unremoveDoc = addingDoc + "\n#+name: free\n#+begin_src sh :constraints rack==r1\nsleep 1000\n#+end_src\n"

// waitRemoving waits, bounded, until document id is being removed.
func waitRemoving(t *testing.T, e *Engine, ds *docState) {
	t.Helper()
	for range 6000 {
		e.mu.Lock()
		removing := ds.removing
		e.mu.Unlock()
		if removing {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the document never began to be removed")
}

// TestBufferReportAppliedAfterFailedRemoval: the report of an Emacs Lisp
// block's buffer that lands while its document is being removed, a
// removal that then fails (a task that does not stop: ErrConflict), is
// applied (the block it adds is the document's), not lost: what is
// decided later (a restart of the block after it) reads no report under
// the engine's lock.
func TestBufferReportAppliedAfterFailedRemoval(t *testing.T) {
	h := &stubbornKills{heldReports: newHeldReports(), stubborn: map[string]bool{}}
	e, _ := startEngine(t, t.TempDir(), h, Config{RemoveWait: 300 * time.Millisecond})
	v, err := e.Submit(context.Background(), unremoveDoc)
	if err != nil {
		t.Fatal(err)
	}
	editor, free := waitLaunchOf(t, h.fakeBackend, "editor"), waitLaunchOf(t, h.fakeBackend, "free")
	h.setReport(editor.ID, addingReportOf(t, unremoveDoc))
	h.smu.Lock()
	h.stubborn[free.ID] = true
	h.smu.Unlock()
	h.endHeld(t, editor)
	e.mu.Lock()
	ds := e.docs[v.ID]
	e.mu.Unlock()
	removed := make(chan error, 1)
	go func() { removed <- e.RemoveDocument(context.Background(), v.ID) }()
	waitRemoving(t, e, ds)
	h.release() // the report lands while the document is being removed
	if err := <-removed; !errors.Is(err, ErrConflict) {
		t.Fatalf("remove: %v, want ErrConflict (a task did not stop)", err)
	}
	readsDrained(t, e)
	e.mu.Lock()
	in := ds.byName["editor"].instances[0]
	unread, added := in.rec.BufferUnread, ds.byName["added"] != nil
	e.mu.Unlock()
	if unread || !added {
		t.Errorf("after the removal failed: editor's report not read %v, its block added %v; want read and applied", unread, added)
	}
	h.mu.Lock()
	h.gate = make(chan struct{}) // the first hold's was let go
	h.mu.Unlock()
	h.hold(t, editor.ID)
	answeredBounded(t, h.heldReports, "the restart of a block after the Emacs Lisp block read its report under the engine's lock", func() error {
		return e.RestartBlock(context.Background(), v.ID, "after")
	})
	answeredBounded(t, h.heldReports, "a view waited after the restart: a report read under the engine's lock", func() error {
		_, err := e.Document(v.ID)
		return err
	})
}
