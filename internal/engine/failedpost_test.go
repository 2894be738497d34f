package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestFailedPostWritesNil: a JavaScript :post (:on-failure continue)
// whose program fails leaves nil in its block's place, as Babel does
// (org-babel-eval gives nil, org-babel-ref-resolve its name), under the
// note that it failed.
func TestFailedPostWritesNil(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	doc := "#+name: jw\n#+begin_src js :var s=\"x\" :on-failure continue\nreturn s\n#+end_src\n\n" +
		"#+name: main\n#+begin_src sh :post jw(s=*this*)\necho hi\n#+end_src\n"
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	// Each block launched ends as it must: the :post (the one handed
	// main's result) fails, the others finish.
	endLaunches(t, fb, 3, func(a *Attempt) (string, int) {
		if strings.Contains(a.Script, `"hi"`) {
			return "hi-printed\n", 1
		}
		return "hi\n", 0
	})
	waitState(t, e, v.ID, "main", Finished)
	res := waitResults(t, e, v.ID, "#+RESULTS: main\n:results:\nborges: failed")
	want := "#+RESULTS: main\n:results:\nborges: failed — exit status 1\n: nil\n:end:\n"
	if !strings.Contains(res, want) {
		t.Fatalf("no\n%s\nin\n%s", want, res)
	}
}

// TestFailedPostChainReportedOnce: a :post chain stopped by a failure is
// reported where the block's results go, once, with the failure itself
// and in the names the user wrote: not as a task "not run" because of a
// dependency named by the chain's internal key ("main :post
// fails(s=*this*)"), nor because of the block it runs for. The failure
// is one Borges's :timeout made, which has no org-babel-eval nil to run
// the :post with (a program's exit non-zero has: TestFailedCallerPostChain).
func TestFailedPostChainReportedOnce(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	doc := "#+name: fails\n#+begin_src sh :var s=\"\" :post wrap(x=*this*)\nexit 3\n#+end_src\n\n" +
		"#+name: wrap\n#+begin_src sh :var x=\"\"\necho \"[$x]\"\n#+end_src\n\n" +
		"#+name: main\n#+begin_src sh :post fails(s=*this*)\necho hi\n#+end_src\n\n" +
		"#+name: user\n#+begin_src sh :var m=main\necho \"$m\"\n#+end_src\n"
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	// wrap, main, fails, the run of main user's :var m=main makes
	// (Babel runs main again at the reference, its :post too), then
	// main's :post and that run's (fails again): the last launches
	// there are.
	endLaunches(t, fb, 6, func(a *Attempt) (string, int) {
		if strings.Contains(a.Script, "exit 3") {
			return "oops\n", endTimedOut
		}
		return "hi\n", 0
	})
	waitState(t, e, v.ID, "user", Failed)
	res := waitResults(t, e, v.ID, "#+RESULTS: main\n:results:\nborges: failed")
	for _, want := range []string{
		"#+RESULTS: fails\n:results:\nborges: failed — timed out after 1s\n",
		"#+RESULTS: main\n:results:\nborges: failed — :post fails(s=*this*): timed out after 1s\n",
		"#+RESULTS: user\n:results:\nborges: failed — not run: dependency main failed\n",
	} {
		if !strings.Contains(res, want) {
			t.Errorf("no\n%s\nin\n%s", want, res)
		}
	}
	if strings.Contains(res, " :post fails(s=*this*) failed") || strings.Contains(res, "dependency fails failed") {
		t.Errorf("a failure reported under a name the user did not write, or twice:\n%s", res)
	}
	dv, _ := e.Document(v.ID)
	for _, b := range dv.Blocks {
		for _, in := range b.Instances {
			if strings.Contains(in.Message, "main :post") || strings.Contains(in.Message, "fails :post") {
				t.Errorf("%s: message %q names a :post task by its internal name", b.Name, in.Message)
			}
		}
	}
}

// endLaunches ends the first n attempts launched as they come, each as
// end says: having printed out, finished when code is 0, failed as
// Borges's :timeout fails it when code is endTimedOut, else failed with
// that exit code.
func endLaunches(t *testing.T, fb *fakeBackend, n int, end func(a *Attempt) (out string, code int)) {
	t.Helper()
	done := map[string]bool{}
	for k := 1; k <= n; k++ {
		for _, a := range waitLaunches(t, fb, k) {
			if done[a.ID] {
				continue
			}
			done[a.ID] = true
			out, code := end(a)
			fb.setOutput(a.ID, out)
			switch code {
			case 0:
				finish(fb, a, Finished, 0)
			case endTimedOut:
				timedOut(fb, a)
			default:
				finish(fb, a, Failed, code)
			}
		}
	}
}

// endTimedOut, as the code endLaunches is told, fails an attempt as
// Borges's :timeout does (timedOut).
const endTimedOut = -1

// waitResults is the document with its results once they hold want
// (the last one read, for the test's message, if they never do).
func waitResults(t *testing.T, e *Engine, id, want string) string {
	t.Helper()
	var res string
	for i := 0; i < 2000; i++ {
		var err error
		if res, err = e.ResultDocument(context.Background(), id); err == nil && strings.Contains(res, want) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	return res
}
