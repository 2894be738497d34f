package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

const foundDoc = "#+name: sq\n#+begin_src sh :var n=2\necho $((n*n))\n#+end_src\n\n" +
	"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\nText right after.\n\n" +
	"#+begin_src sh :results raw\necho '#+call: sq(n=3)'\n#+end_src\nAfter the call.\n\n" +
	"#+begin_src sh :results code\necho 'echo not run'\n#+end_src\n\nAfter a blank line.\n"

// foundWant is what Emacs leaves of foundDoc (as
// TestAgainstEmacs/results_run_* holds of the same cases).
const foundWant = "#+name: sq\n#+begin_src sh :var n=2\necho $((n*n))\n#+end_src\n\n#+RESULTS: sq\n: 4\n\n" +
	"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho nested\n#+end_src\n\n#+RESULTS:\n: nested\n\nText right after.\n\n" +
	"#+begin_src sh :results raw\necho '#+call: sq(n=3)'\n#+end_src\n\n#+RESULTS:\n#+call: sq(n=3)\n\n#+RESULTS:\n: 9\n\nAfter the call.\n\n" +
	"#+begin_src sh :results code\necho 'echo not run'\n#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho not run\n#+end_src\n\nAfter a blank line.\n"

// TestFoundInResultsRun: the server runs the blocks org-babel-execute-buffer
// finds in the results it has just written (a block in :results code
// output with text right after its block, a #+call: in raw output), and
// writes their results where Emacs does; a block in results after a
// blank line is not run. A server started again has them, and writes the
// same document.
func TestFoundInResultsRun(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), foundDoc)
	if err != nil {
		t.Fatal(err)
	}
	// Each attempt prints what its program would (the fake backend runs
	// nothing): found by the script it was given.
	outputs := []struct{ prog, out string }{
		{"echo 'echo nested'", "echo nested\n"},
		{"echo '#+call: sq(n=3)'", "#+call: sq(n=3)\n"},
		{"echo 'echo not run'", "echo not run\n"},
		{"echo nested", "nested\n"},
	}
	done := 0
	for n := 1; n <= 6; n++ {
		ls := waitLaunches(t, rb.fakeBackend, n)
		if len(ls) < n {
			t.Fatalf("%d launches, want %d", len(ls), n)
		}
		a := ls[n-1]
		out := "unexpected\n"
		for _, o := range outputs {
			if strings.Contains(a.Script, o.prog) {
				out = o.out
				break
			}
		}
		if strings.Contains(a.Script, "echo $((n*n))") {
			// sq, as submitted (n=2) and called (n=3).
			out = "4\n"
			if strings.Contains(a.Script, "n='3'") || strings.Contains(a.Script, "n=3") {
				out = "9\n"
			}
		}
		rb.setOutput(a.ID, out)
		finish(rb.fakeBackend, a, Finished, 0)
		done++
	}
	finished := false
	for range 4000 {
		if d, _ := e.Document(v.ID); d != nil && d.State == Finished {
			finished = true
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !finished {
		t.Fatalf("document %s has not finished after %d attempts", v.ID, done)
	}
	if l := rb.launches(); len(l) != 6 {
		t.Errorf("%d attempts, want 6 (4 blocks, 2 found in results)", len(l))
	}
	got, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != foundWant {
		t.Fatalf("results document:\n%s\nwant (Emacs):\n%s", got, foundWant)
	}
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	again, err := e2.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again != foundWant {
		t.Errorf("results document of a server started again:\n%s", again)
	}
}
