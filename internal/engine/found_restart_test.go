package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Two blocks whose code results hold a block that is run; the second
// finishes first. A server started again must write the same document.
func TestFoundInResultsRestartOutOfOrder(t *testing.T) {
	doc := "#+begin_src sh :results code\necho 'echo AAA'\n#+end_src\nText A.\n\n" +
		"#+begin_src sh :results code\necho 'echo BBB'\n#+end_src\nText B.\n"
	dir, rb, e, stop, id := submitOnDisk(t, doc)
	ls := waitLaunches(t, rb.fakeBackend, 2)
	var a1, a2 *Attempt
	for _, a := range ls[:2] {
		if strings.Contains(a.Script, "echo 'echo AAA'") {
			a1 = a
		} else {
			a2 = a
		}
	}
	rb.setOutput(a2.ID, "echo BBB\n")
	finish(rb.fakeBackend, a2, Finished, 0)
	ls = waitLaunches(t, rb.fakeBackend, 3)
	rb.setOutput(ls[2].ID, "BBB\n")
	finish(rb.fakeBackend, ls[2], Finished, 0)
	rb.setOutput(a1.ID, "echo AAA\n")
	finish(rb.fakeBackend, a1, Finished, 0)
	ls = waitLaunches(t, rb.fakeBackend, 4)
	rb.setOutput(ls[3].ID, "AAA\n")
	finish(rb.fakeBackend, ls[3], Finished, 0)
	for range 4000 {
		if d, _ := e.Document(id); d != nil && d.State == Finished {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first:\n%s", got)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	again, err := e2.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if again != got {
		t.Errorf("after restart:\n%s", again)
	}
}

// A block whose output is cut past the results' size limit has no
// results Babel writes: the source block its code results would hold is
// not searched for, and nothing more runs.
func TestFoundInResultsNotInCutOutput(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{MaxResultBytes: 40})
	v, err := e.Submit(context.Background(), "#+name: c\n#+begin_src sh :results code\necho 'echo AAA'\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	ls := waitLaunches(t, rb.fakeBackend, 1)
	rb.setOutput(ls[0].ID, "echo AAA\n"+strings.Repeat("x", 100)+"\n")
	finish(rb.fakeBackend, ls[0], Finished, 0)
	waitState(t, e, v.ID, "c", Finished)
	for range 4000 {
		if d, _ := e.Document(v.ID); d != nil && d.State == Finished {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if d, _ := e.Document(v.ID); d == nil || d.State != Finished {
		t.Fatalf("document not finished: %+v", d)
	}
	if n := len(rb.launches()); n != 1 {
		t.Errorf("%d launches, want 1 (nothing found in a cut output)", n)
	}
}
