package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

func intp(n int) *int { return &n }

func TestFailureNote(t *testing.T) {
	cases := []struct {
		rec  store.Instance
		want string
	}{
		{store.Instance{State: "failed", Attempts: 1, Message: "timed out after 2s"}, "failed — timed out after 2s"},
		{store.Instance{State: "failed", Attempts: 1, Message: "exit status 3", ExitCode: intp(3)}, "failed — exit status 3"},
		{store.Instance{State: "failed", Attempts: 1, ExitCode: intp(4)}, "failed — exit status 4"},
		{store.Instance{State: "failed", Attempts: 1}, "failed"},
		{store.Instance{State: "failed", Attempts: 1, Message: "could not start: image borges-test/nope could not be pulled"},
			"failed — could not start: image borges-test/nope could not be pulled"},
		{store.Instance{State: "failed", Message: "dependency first failed"}, "failed — not run: dependency first failed"},
		{store.Instance{State: "killed", Attempts: 1, Message: "killed on request"}, "killed on request"},
		{store.Instance{State: "killed", Message: "killed on request"}, "killed on request, before it ran"},
		{store.Instance{State: "killed", Attempts: 1}, "killed"},
		{store.Instance{State: "lost", Attempts: 4, Message: "process gone after a restart of the server"},
			"lost — process gone after a restart of the server"},
		{store.Instance{State: "lost", Attempts: 1, Message: "TASK_LOST"}, "lost — TASK_LOST"},
	}
	for _, c := range cases {
		if got := failureNote(&c.rec); got != c.want {
			t.Errorf("%+v: %q, want %q", c.rec, got, c.want)
		}
	}
}

const failuresDoc = `#+name: first
#+begin_src sh :results output
echo partial; sleep 60
#+end_src

#+name: second
#+begin_src sh :var x=first
echo "$x"
#+end_src
`

// TestFailuresInResults ends the first block as each failure ends it and
// checks the results document: Borges' drawer with the reason and the
// output so far as Babel would write it, and the dependent not run.
func TestFailuresInResults(t *testing.T) {
	cases := []struct {
		name   string
		update Update
		first  string // the first block's results
		second string
	}{
		{name: "timed out", update: Update{State: Failed, Message: "timed out after 1s"},
			first:  "#+RESULTS: first\n:results:\nborges: failed — timed out after 1s\n: partial\n:end:\n",
			second: "#+RESULTS: second\n:results:\nborges: failed — not run: dependency first failed\n:end:\n"},
		{name: "exit status", update: Update{State: Failed, Message: "exit status 3", ExitCode: intp(3)},
			first:  "#+RESULTS: first\n:results:\nborges: failed — exit status 3\n: partial\n:end:\n",
			second: "#+RESULTS: second\n:results:\nborges: failed — not run: dependency first failed\n:end:\n"},
		{name: "image not pulled", update: Update{State: Failed, Message: "could not start: image x:1 could not be pulled"},
			first:  "#+RESULTS: first\n:results:\nborges: failed — could not start: image x:1 could not be pulled\n: partial\n:end:\n",
			second: "#+RESULTS: second\n:results:\nborges: failed — not run: dependency first failed\n:end:\n"},
		{name: "killed", update: Update{State: Killed, Message: "killed on request"},
			first:  "#+RESULTS: first\n:results:\nborges: killed on request\n: partial\n:end:\n",
			second: "#+RESULTS: second\n:results:\nborges: failed — not run: dependency first killed\n:end:\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, fb, stop := newTestEngine(t, t.TempDir())
			t.Cleanup(stop)
			v, err := e.Submit(context.Background(), failuresDoc)
			if err != nil {
				t.Fatal(err)
			}
			// first's own run and the run of it second's :var x=first
			// makes (Babel runs first again at the reference), whose
			// value second takes, end alike.
			for _, name := range []string{"first", "second :var x=first"} {
				a := launchOf(t, fb, name, 1)
				fb.setOutput(a.ID, "partial\n")
				fb.sink(Update{AttemptID: a.ID, State: Running})
				u := c.update
				u.AttemptID = a.ID
				fb.sink(u)
			}
			waitState(t, e, v.ID, "second", Failed)
			res, err := e.ResultDocument(context.Background(), v.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{c.first, c.second} {
				if !strings.Contains(res, w) {
					t.Errorf("no\n%s\nin\n%s", w, res)
				}
			}
		})
	}
}

const instancesDoc = `#+name: web
#+begin_src sh :results output :instances 3
echo "i$BORGES_INSTANCE"
#+end_src
`

// TestInstancesInResults: every instance's result is written, each under
// its own line, as it stands.
func TestInstancesInResults(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), instancesDoc)
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 3)
	byInstance := map[int]*Attempt{}
	fb.mu.Lock()
	for _, a := range l {
		byInstance[a.Instance] = a
		fb.outputs[a.ID] = "i" + a.Env["BORGES_INSTANCE"] + "\n"
	}
	fb.mu.Unlock()
	if len(byInstance) != 3 {
		t.Fatalf("instances launched: %v", byInstance)
	}
	finish(fb, byInstance[0], Finished, 0)
	fb.sink(Update{AttemptID: byInstance[1].ID, State: Running})
	fb.sink(Update{AttemptID: byInstance[2].ID, State: Running})
	fb.sink(Update{AttemptID: byInstance[2].ID, State: Failed, Message: "exit status 2", ExitCode: intp(2)})
	waitState(t, e, v.ID, "web", Failed)
	res, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := "#+RESULTS: web\n:results:\nborges: instance 0\n: i0\nborges: instance 1 running since "
	if !strings.Contains(res, want) || !strings.Contains(res, "(attempt 1)\n: i1\nborges: instance 2 failed — exit status 2\n: i2\n:end:\n") {
		t.Fatalf("results:\n%s", res)
	}
	finish(fb, byInstance[1], Finished, 0)
	for i := 0; i < 2000; i++ {
		if res, _ = e.ResultDocument(context.Background(), v.ID); strings.Contains(res, "instance 1\n: i1\n") {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	want = "#+RESULTS: web\n:results:\nborges: instance 0\n: i0\nborges: instance 1\n: i1\nborges: instance 2 failed — exit status 2\n: i2\n:end:\n"
	if !strings.Contains(res, want) {
		t.Fatalf("no\n%s\nin\n%s", want, res)
	}
}

const continueDoc = `#+name: first
#+begin_src sh :results output :on-failure continue
echo partial; exit 3
#+end_src

#+name: second
#+begin_src sh :var x=first :results output
echo "got $x"
#+end_src

#+name: third
#+begin_src sh :after second
echo last
#+end_src
`

// TestOnFailureContinue: the dependents of a block with :on-failure
// continue run when it fails, killed or lost, with what it printed as its
// result; its own results still say it failed.
func TestOnFailureContinue(t *testing.T) {
	for _, end := range []Update{
		{State: Failed, Message: "exit status 3", ExitCode: intp(3)},
		{State: Killed, Message: "killed on request"},
	} {
		t.Run(string(end.State), func(t *testing.T) {
			e, fb, stop := newTestEngine(t, t.TempDir())
			t.Cleanup(stop)
			v, err := e.Submit(context.Background(), continueDoc)
			if err != nil {
				t.Fatal(err)
			}
			// first, and the run of first second's :var x=first makes
			// (Babel runs first again at the reference, second taking
			// that run's value), each ending so.
			for _, name := range []string{"first", "second :var x=first"} {
				a := launchOf(t, fb, name, 1)
				fb.setOutput(a.ID, "partial\n")
				fb.sink(Update{AttemptID: a.ID, State: Running})
				u := end
				u.AttemptID = a.ID
				fb.sink(u)
			}
			second := launchOf(t, fb, "second", 1)
			if !strings.HasPrefix(second.Script, "x='partial\n'\n") {
				t.Fatalf("second: %q", second.Script)
			}
			fb.setOutput(second.ID, "got partial\n")
			finish(fb, second, Finished, 0)
			third := launchOf(t, fb, "third", 1)
			fb.setOutput(third.ID, "last\n")
			finish(fb, third, Finished, 0)
			waitState(t, e, v.ID, "third", Finished)
			res, err := e.ResultDocument(context.Background(), v.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{":results:\nborges: " + failureNote(&store.Instance{State: string(end.State), Attempts: 1, Message: end.Message}) + "\n: partial\n:end:\n",
				"#+RESULTS: second\n: got partial\n", "#+RESULTS: third\n: last\n"} {
				if !strings.Contains(res, w) {
					t.Errorf("no\n%s\nin\n%s", w, res)
				}
			}
		})
	}
}

// TestOnFailureContinueWaitsForEveryInstance: a failed instance does not
// start the dependents while another instance still runs.
func TestOnFailureContinueWaitsForEveryInstance(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), "#+name: a\n#+begin_src sh :instances 2 :on-failure continue\nx\n#+end_src\n\n#+name: b\n#+begin_src sh :after a\ny\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 2)
	fb.sink(Update{AttemptID: l[0].ID, State: Running})
	fb.sink(Update{AttemptID: l[1].ID, State: Running})
	fb.sink(Update{AttemptID: l[0].ID, State: Failed, Message: "exit status 1", ExitCode: intp(1)})
	waitState(t, e, v.ID, "a", Failed)
	time.Sleep(50 * time.Millisecond)
	if n := len(fb.launches()); n != 2 {
		t.Fatalf("%d launches while an instance of a still runs", n)
	}
	if d, _ := e.Document(v.ID); blockViewNamed(d, "b").State != Queued {
		t.Fatalf("b is %s while an instance of a still runs", blockViewNamed(d, "b").State)
	}
	finish(fb, l[1], Finished, 0)
	if l = waitLaunches(t, fb, 3); l[2].Block != "b" {
		t.Fatalf("third launch: %s", l[2].Block)
	}
}

func blockViewNamed(d *DocumentView, name string) BlockView {
	for _, b := range d.Blocks {
		if b.Name == name {
			return b
		}
	}
	return BlockView{}
}
