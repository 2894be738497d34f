package engine

import (
	"context"
	"errors"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// startFailsBackend is a fakeBackend whose Start fails.
type startFailsBackend struct{ *fakeBackend }

func (startFailsBackend) Start(context.Context, func(Update)) error {
	return errors.New("the backend does not start")
}

// endChecksQueued is how many documents the end check holds, after a
// document whose blocks found in results may have run in an Emacs of
// their own is touched.
func endChecksQueued(e *Engine) int {
	ds := &docState{id: "touched", foundIn: &org.BufferReport{}}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.docChanged(ds)
	return len(e.endChecks)
}

// TestEndCheckQueueAfterStop: once the end check's loop has returned (the
// engine's context ended), or never started (Start failed), a document
// touched is not held for it: nothing would ever let it go.
func TestEndCheckQueueAfterStop(t *testing.T) {
	t.Run("stopped", func(t *testing.T) {
		fb := &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}}
		e, stop := startEngine(t, t.TempDir(), fb, Config{})
		stop() // the loop has returned once the engine has stopped
		if n := endChecksQueued(e); n != 0 {
			t.Errorf("the engine stopped, %d documents held for the end check", n)
		}
	})
	t.Run("start failed", func(t *testing.T) {
		fb := &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}}
		e := New(Config{Backend: startFailsBackend{fb}})
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		if err := e.Start(ctx); err == nil {
			t.Fatal("Start did not fail")
		}
		if n := endChecksQueued(e); n != 0 {
			t.Errorf("Start failed, %d documents held for the end check", n)
		}
	})
}
