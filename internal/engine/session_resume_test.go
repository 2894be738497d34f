package engine

import (
	"context"
	"reflect"
	"slices"
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
			// The run of mid b's :var m=mid makes (outside the
			// session), launched with mid: between blocks, it runs
			// on as mid does (b waits for it); with b running, it is
			// finished as it comes.
			mid := launchOf(t, fb, "mid", 1)
			ref := launchOf(t, fb, "b :var m=mid", 1)
			fb.sink(Update{AttemptID: mid.ID, State: Running})
			fb.sink(Update{AttemptID: ref.ID, State: Running})
			waitState(t, e, v.ID, "mid", Running)
			var b *Attempt
			if running {
				finish(fb, mid, Finished, 0)
				finish(fb, ref, Finished, 0)
				b = launchOf(t, fb, "b", 1)
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
				want := map[string]State{"a": Finished, "mid": Running, "b :var m=mid": Running}
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
				// mid and the run of mid b's reference makes.
				var recovered []string
				for _, r := range fb2.recover {
					recovered = append(recovered, r.Block)
				}
				slices.Sort(recovered)
				if !reflect.DeepEqual(recovered, []string{"b :var m=mid", "mid"}) {
					t.Fatalf("recovered %q", recovered)
				}
				for _, r := range fb2.recover {
					fb2.sink(Update{AttemptID: r.ID, State: Finished, ExitCode: new(int)})
				}
			}
			var order []string
			var sessions []string
			for i := 1; i <= 3; i++ {
				a := waitOwnLaunches(t, fb2, i, map[string]bool{})[i-1]
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
