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
	// The run of mid b's :var m=mid makes (outside the session, a
	// task of its own) is finished as it comes: b waits for it, not for
	// mid's own run, so mid (outside the session, after a) and b may run
	// side by side; the session's blocks launch one at a time, in order.
	refs := map[string]bool{}
	step := func(n int) []*Attempt {
		l := waitOwnLaunches(t, fb, n, refs)
		time.Sleep(10 * time.Millisecond)
		if got := len(ownLaunches(fb)); got != n {
			t.Fatalf("%d launches at once, want %d: %v", got, n, ownLaunches(fb))
		}
		return l
	}
	l := step(1)
	finish(fb, l[0], Finished, 0)
	l = step(3)
	finish(fb, l[1], Finished, 0)
	finish(fb, l[2], Finished, 0)
	l = step(4)
	finish(fb, l[3], Finished, 0)
	byName := map[string]*Attempt{}
	var order []string
	for _, a := range l {
		byName[a.Block] = a
		order = append(order, a.Block)
	}
	if order[0] != "a" || order[3] != "c" || byName["mid"] == nil || byName["b"] == nil {
		t.Fatalf("order %q, want a, mid and b, c", order)
	}
	if len(refs) != 1 {
		t.Errorf("%d runs of mid for b's reference, want 1", len(refs))
	}
	first := byName["a"].Session
	if first == "" || !strings.HasPrefix(first, v.ID+"/shell:s/") || byName["b"].Session != first || byName["c"].Session != first || byName["mid"].Session != "" {
		t.Fatalf("sessions %q %q %q %q", byName["a"].Session, byName["mid"].Session, byName["b"].Session, byName["c"].Session)
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
		l := waitOwnLaunches(t, fb, i, refs)
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

// ownLaunches is fb's launches but those of the runs references make
// (plan.Task.Index < 0: Babel runs a block again at each reference).
func ownLaunches(fb *fakeBackend) []*Attempt {
	var own []*Attempt
	for _, a := range fb.launches() {
		if a.Task == nil || a.Task.Index >= 0 {
			own = append(own, a)
		}
	}
	return own
}

// waitOwnLaunches waits, bounded, for n ownLaunches of fb, finishing
// the runs references make as they are launched (finished holds their
// attempts' ids).
func waitOwnLaunches(t *testing.T, fb *fakeBackend, n int, finished map[string]bool) []*Attempt {
	t.Helper()
	for range 2000 {
		for _, a := range fb.launches() {
			if a.Task != nil && a.Task.Index < 0 && !finished[a.ID] {
				finished[a.ID] = true
				finish(fb, a, Finished, 0)
			}
		}
		if l := ownLaunches(fb); len(l) >= n {
			return l
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("waited for %d launches of blocks' own runs, got %d", n, len(ownLaunches(fb)))
	return nil
}
