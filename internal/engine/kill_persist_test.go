package engine

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// earlyBackend is the fake backend launching before the launches are
// stored (EarlyLauncher), whose programs wait for that (Attempt.Durable):
// a kill's end is reported only once the launch is stored, as a process
// held at its gate dies only then.
type earlyBackend struct{ *fakeBackend }

func (earlyBackend) LaunchesEarly() bool { return true }

func (b earlyBackend) Kill(ctx context.Context, id string) error {
	b.recordKill(id)
	return nil
}

// TestKillDuringLaunchStored: a block killed while its launch is being
// written ahead stays killed in the store: the pass's copy of the launch,
// older than the kill, does not overwrite it, and a server started again
// does not run the block once more.
func TestKillDuringLaunchStored(t *testing.T) {
	dir := t.TempDir()
	fb := earlyBackend{&fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}, envs: map[string]string{}}}
	e, stop := startEngine(t, dir, fb, Config{})
	killed := make(chan error, 1)
	fb.mu.Lock()
	fb.duringLaunch = func(a *Attempt) {
		// Before the pass stores the launch: the program is being made.
		killed <- e.KillBlock(context.Background(), a.DocID, "b")
	}
	fb.mu.Unlock()
	v, err := e.Submit(context.Background(), "#+name: b\n#+begin_src sh\nsleep 9\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := <-killed; err != nil {
		t.Fatal(err)
	}
	<-waitLaunches(t, fb.fakeBackend, 1)[0].Durable
	// The server dies here, before the killed program's end is known.
	stop()
	st, err := store.Open(filepath.Join(dir, "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, err := st.DocumentInstances(v.ID)
	if err != nil || len(recs) != 1 {
		t.Fatalf("stored: %v %v", recs, err)
	}
	if r := recs[0]; !r.Killed {
		t.Fatalf("stored after the kill: state %s, not killed", r.State)
	}
}
