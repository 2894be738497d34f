package engine

import (
	"context"
	"reflect"
	"testing"
)

// TestSessionBlockLost: a block of a session lost by its backend (its
// agent gone, with the interpreter on it) restarts its session, as a
// restart of the block does: the old interpreter is closed, and a new one
// is fed every block of the session again, in order; the blocks outside
// the session are not run again.
func TestSessionBlockLost(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, err := e.Submit(context.Background(), sessionDoc)
	if err != nil {
		t.Fatal(err)
	}
	// The run of mid b's :var m=mid makes (outside the session) is
	// finished as it comes (waitOwnLaunches).
	refs := map[string]bool{}
	for i := 1; i <= 3; i++ {
		l := waitOwnLaunches(t, fb, i, refs)
		if i < 3 {
			finish(fb, l[i-1], Finished, 0)
		}
	}
	l := ownLaunches(fb)
	first := l[0].Session
	if l[2].Block != "b" || l[2].Session != first {
		t.Fatalf("third launch %s in %q", l[2].Block, l[2].Session)
	}
	fb.sink(Update{AttemptID: l[2].ID, State: Running})
	fb.sink(Update{AttemptID: l[2].ID, State: Lost, Message: "agent gone"})
	if c := waitClosed(t, fb, 1); c[0] != first {
		t.Fatalf("closed %q, want %q", c, first)
	}
	var again []string
	for i := 4; i <= 6; i++ {
		l := waitOwnLaunches(t, fb, i, refs)
		a := l[i-1]
		if a.Session == first || a.Session == "" {
			t.Fatalf("%s run again in session %q", a.Block, a.Session)
		}
		again = append(again, a.Block)
		finish(fb, a, Finished, 0)
	}
	if want := []string{"a", "b", "c"}; !reflect.DeepEqual(again, want) {
		t.Fatalf("run again: %q, want %q", again, want)
	}
	waitState(t, e, v.ID, "c", Finished)
	d, _ := e.Document(v.ID)
	for _, b := range d.Blocks {
		if b.Name == "mid" && b.Instances[0].Attempts != 1 {
			t.Errorf("mid ran %d times", b.Instances[0].Attempts)
		}
	}
}
