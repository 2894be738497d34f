package engine

import (
	"context"
	"testing"
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
	// Each attempt prints what its program would (the fake backend runs
	// nothing): found by the script it was given.
	id := checkFoundRun(t, e, rb, foundDoc, []progOutput{
		{"echo 'echo nested'", "echo nested\n"},
		{"echo '#+call: sq(n=3)'", "#+call: sq(n=3)\n"},
		{"echo 'echo not run'", "echo not run\n"},
		{"echo nested", "nested\n"},
		// sq, as called (n=3) and as submitted (n=2).
		{"n='3'", "9\n"},
		{"n=3", "9\n"},
		{"echo $((n*n))", "4\n"},
	}, 6, foundWant)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	again, err := e2.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if again != foundWant {
		t.Errorf("results document of a server started again:\n%s", again)
	}
}

// foundItemDoc has blocks ending list items (the blank lines after them
// the items'), a nested one and one at the end of the text, whose new
// results go right where their elements end: org-babel-execute-buffer
// searches on from there and runs the blocks of their results.
const foundItemDoc = "- item\n  #+begin_src sh :results code\n  echo 'echo one'\n  #+end_src\n\nNext.\n\n" +
	"- outer\n  - inner\n    #+begin_src sh :results code\n    echo 'echo two'\n    #+end_src\n\n  - inner two\n\n" +
	"- last\n  #+begin_src sh :results code\n  echo 'echo three'\n  #+end_src\n\n"

// foundItemWant is what Emacs leaves of foundItemDoc (checked with Emacs
// 28.2, Org 9.5.5: TestAgainstEmacs/results_run:_blocks_ending_items holds
// the same cases).
const foundItemWant = "- item\n  #+begin_src sh :results code\n  echo 'echo one'\n  #+end_src\n\n  #+RESULTS:\n  #+begin_src sh\n  echo one\n  #+end_src\n\n  #+RESULTS:\n  : one\n\nNext.\n\n" +
	"- outer\n  - inner\n    #+begin_src sh :results code\n    echo 'echo two'\n    #+end_src\n\n    #+RESULTS:\n    #+begin_src sh\n    echo two\n    #+end_src\n\n    #+RESULTS:\n    : two\n\n  - inner two\n\n" +
	"- last\n  #+begin_src sh :results code\n  echo 'echo three'\n  #+end_src\n\n  #+RESULTS:\n  #+begin_src sh\n  echo three\n  #+end_src\n\n  #+RESULTS:\n  : three\n\n"

// TestFoundEndingItems: the server runs the blocks found in the new
// results of blocks ending list items, whose elements end at their last
// line (the blank lines after them are the items'), where the results go.
func TestFoundEndingItems(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	checkFoundRun(t, e, rb, foundItemDoc, []progOutput{
		{"echo 'echo one'", "echo one\n"},
		{"echo 'echo two'", "echo two\n"},
		{"echo 'echo three'", "echo three\n"},
		{"echo one", "one\n"},
		{"echo two", "two\n"},
		{"echo three", "three\n"},
	}, 6, foundItemWant)
}
