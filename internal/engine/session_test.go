package engine

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sessionDoc: mid waits for a with :after, not :var (a reference to a
// block of a session runs it again in its session, a task of its own:
// see the plan's rerun.go).
const sessionDoc = `#+name: a
#+begin_src sh :session s
x=1
#+end_src

#+name: mid
#+begin_src sh :after a
echo 1
#+end_src

#+name: b
#+begin_src sh :session s :var m=mid
echo $x $m
#+end_src

#+name: c
#+begin_src sh :session s
echo done
#+end_src
`

func (f *fakeBackend) closedSessions() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.closed...)
}

func waitClosed(t *testing.T, f *fakeBackend, n int) []string {
	t.Helper()
	for i := 0; i < 2000; i++ {
		if c := f.closedSessions(); len(c) >= n {
			return c
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("waited for %d sessions closed, got %q", n, f.closedSessions())
	return nil
}

// TestSessionOrder: a session's blocks run one after the other in
// document order, interleaved with the blocks they depend on; every
// attempt names its session; once every block of the session has ended,
// the session is closed. Restarting one of its blocks restarts the
// session: a new interpreter (a new session id), the old one closed, and
// every block of the session run again in order.
func TestSessionOrder(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, err := e.Submit(context.Background(), sessionDoc)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for i := 1; i <= 4; i++ {
		l := waitLaunches(t, fb, i)
		time.Sleep(10 * time.Millisecond)
		if n := len(fb.launches()); n != i {
			t.Fatalf("%d launches at once, want one at a time: %v", n, fb.launches())
		}
		order = append(order, l[i-1].Block)
		finish(fb, l[i-1], Finished, 0)
	}
	if want := []string{"a", "mid", "b", "c"}; !reflect.DeepEqual(order, want) {
		t.Fatalf("order %q, want %q", order, want)
	}
	l := fb.launches()
	first := l[0].Session
	if first == "" || !strings.HasPrefix(first, v.ID+"/shell:s/") || l[2].Session != first || l[3].Session != first || l[1].Session != "" {
		t.Fatalf("sessions %q %q %q %q", l[0].Session, l[1].Session, l[2].Session, l[3].Session)
	}
	if c := waitClosed(t, fb, 1); c[0] != first {
		t.Fatalf("closed %q, want %q", c, first)
	}

	if err := e.RestartBlock(context.Background(), v.ID, "b"); err != nil {
		t.Fatal(err)
	}
	if c := fb.closedSessions(); len(c) != 2 || c[1] != first {
		t.Fatalf("closed %q after the restart, want %q again", c, first)
	}
	var again []string
	for i := 5; i <= 7; i++ {
		l := waitLaunches(t, fb, i)
		again = append(again, l[i-1].Block)
		if l[i-1].Session == first || l[i-1].Session == "" {
			t.Fatalf("restarted %s in session %q", l[i-1].Block, l[i-1].Session)
		}
		finish(fb, l[i-1], Finished, 0)
	}
	if want := []string{"a", "b", "c"}; !reflect.DeepEqual(again, want) {
		t.Fatalf("restarted %q, want %q", again, want)
	}
	waitState(t, e, v.ID, "c", Finished)
	waitClosed(t, fb, 3)
}

// TestSessionKill: killing a block of a session kills its interpreter
// (the backend's kill of the attempt); the blocks after it in the session
// are not run, and the session is closed.
func TestSessionKill(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, _ := e.Submit(context.Background(), sessionDoc)
	l := waitLaunches(t, fb, 1)
	fb.sink(Update{AttemptID: l[0].ID, State: Running})
	if err := e.KillBlock(context.Background(), v.ID, "a"); err != nil {
		t.Fatal(err)
	}
	waitState(t, e, v.ID, "c", Failed)
	waitClosed(t, fb, 1)
	if n := len(fb.launches()); n != 1 {
		t.Fatalf("%d launches", n)
	}
}

// TestSessionsToClose is the decision itself.
func TestSessionsToClose(t *testing.T) {
	got := SessionsToClose(map[string][]State{
		"d/shell:s/1":  {Finished, Failed, Killed},
		"d/python:p/1": {Finished, Running},
		"d/ruby:r/2":   {Queued},
		"d/shell:t/1":  {},
	})
	if want := []string{"d/shell:s/1", "d/shell:t/1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
