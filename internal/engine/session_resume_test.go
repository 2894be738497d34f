package engine

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// TestSessionResumedAfterRestart: a session's interpreter does not outlive
// the server (nor, on Mesos, is it found again): a session that had begun
// and not ended when the server stopped runs again, from its first block,
// when it starts — between two of its blocks, or with one running (killed
// once recovered, and run again).
func TestSessionResumedAfterRestart(t *testing.T) {
	for _, running := range []bool{false, true} {
		name := "between blocks"
		if running {
			name = "a block running"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			e, fb, stop := newTestEngine(t, dir)
			v, err := e.Submit(context.Background(), sessionDoc)
			if err != nil {
				t.Fatal(err)
			}
			l := waitLaunches(t, fb, 1)
			finish(fb, l[0], Finished, 0) // a
			l = waitLaunches(t, fb, 2)
			fb.sink(Update{AttemptID: l[1].ID, State: Running}) // mid
			waitState(t, e, v.ID, "mid", Running)
			var b *Attempt
			if running {
				finish(fb, l[1], Finished, 0)
				b = waitLaunches(t, fb, 3)[2]
				fb.sink(Update{AttemptID: b.ID, State: Running})
				waitState(t, e, v.ID, "b", Running)
			}
			// Stored before the server stops (states are written in
			// batches).
			stored := func() bool {
				recs, err := e.store.DocumentInstances(v.ID)
				if err != nil {
					return false
				}
				want := map[string]State{"a": Finished, "mid": Running}
				if running {
					want = map[string]State{"a": Finished, "mid": Finished, "b": Running}
				}
				for _, r := range recs {
					if w, ok := want[r.Block]; ok && State(r.State) == w {
						delete(want, r.Block)
					}
				}
				return len(want) == 0
			}
			for i := 0; i < 2000 && !stored(); i++ {
				time.Sleep(5 * time.Millisecond)
			}
			stop()

			e2, fb2, stop2 := newTestEngine(t, dir)
			defer stop2()
			if running {
				if len(fb2.recover) != 1 || fb2.recover[0].ID != b.ID {
					t.Fatalf("recovered %+v (%s, %s)", fb2.recover, fb2.recover[0].ID, fb2.recover[0].Block)
				}
				waitKilled(t, fb2, b.ID)
			} else {
				if len(fb2.recover) != 1 || fb2.recover[0].Block != "mid" {
					t.Fatalf("recovered %+v (%s, %s)", fb2.recover, fb2.recover[0].ID, fb2.recover[0].Block)
				}
				fb2.sink(Update{AttemptID: fb2.recover[0].ID, State: Finished, ExitCode: new(int)})
			}
			var order []string
			var sessions []string
			for i := 1; i <= 3; i++ {
				a := waitLaunches(t, fb2, i)[i-1]
				order = append(order, a.Block)
				sessions = append(sessions, a.Session)
				finish(fb2, a, Finished, 0)
			}
			if want := []string{"a", "b", "c"}; !reflect.DeepEqual(order, want) {
				t.Fatalf("after the restart: %q, want %q", order, want)
			}
			if sessions[0] == "" || sessions[1] != sessions[0] || sessions[2] != sessions[0] {
				t.Fatalf("sessions %q", sessions)
			}
			waitState(t, e2, v.ID, "c", Finished)
		})
	}
}

func waitKilled(t *testing.T, f *fakeBackend, id string) {
	t.Helper()
	waitFor := func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, k := range f.killed {
			if k == id {
				return true
			}
		}
		return false
	}
	for i := 0; i < 2000 && !waitFor(); i++ {
		time.Sleep(5 * time.Millisecond)
	}
	if !waitFor() {
		t.Fatalf("%s was never killed", id)
	}
}
