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
	done := map[string]bool{}
	for n := 1; n <= 3; n++ {
		l := waitLaunches(t, fb, n)
		for _, a := range l {
			if done[a.ID] {
				continue
			}
			done[a.ID] = true
			switch {
			case strings.Contains(a.Script, `"hi"`):
				fb.setOutput(a.ID, "hi-printed\n")
				finish(fb, a, Failed, 1)
			default:
				fb.setOutput(a.ID, "hi\n")
				finish(fb, a, Finished, 0)
			}
		}
	}
	waitState(t, e, v.ID, "main", Finished)
	var res string
	for i := 0; i < 2000; i++ {
		if res, err = e.ResultDocument(context.Background(), v.ID); err == nil && strings.Contains(res, "#+RESULTS: main\n:results:\nborges: failed") {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	want := "#+RESULTS: main\n:results:\nborges: failed — exit status 1\n: nil\n:end:\n"
	if !strings.Contains(res, want) {
		t.Fatalf("no\n%s\nin\n%s", want, res)
	}
}
