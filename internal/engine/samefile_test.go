package engine

import (
	"context"
	"testing"
)

// TestSameFileLastWriterServed: two blocks write one :file. Emacs
// leaves the one that ran last; the server serves the file of the
// writer that finished most recently, also after the first runs again.
func TestSameFileLastWriterServed(t *testing.T) {
	e, rb, id := submitToReport(t,
		"#+name: a\n#+begin_src sh :results file :file same.txt\necho first\n#+end_src\n\n"+
			"#+name: b\n#+begin_src sh :results file :file same.txt\necho second\n#+end_src\n")
	ctx := context.Background()
	// b writes the file a writes: it waits for a to have run.
	a := launchOf(t, rb.fakeBackend, "a", 1)
	rb.setOutput(a.ID, "first\n")
	finish(rb.fakeBackend, a, Finished, 0)
	waitState(t, e, id, "a", Finished)
	b := launchOf(t, rb.fakeBackend, "b", 1)
	rb.setOutput(b.ID, "second\n")
	finish(rb.fakeBackend, b, Finished, 0)
	waitDocumentEnded(t, e, id)
	if data, err := e.ReadFile(ctx, id, "same.txt"); err != nil || string(data) != "second\n" {
		t.Fatalf("same.txt: %q %v, want the last writer's", data, err)
	}
	if err := e.RestartBlock(ctx, id, "a"); err != nil {
		t.Fatal(err)
	}
	a2 := launchOf(t, rb.fakeBackend, "a", 2)
	rb.setOutput(a2.ID, "again\n")
	finish(rb.fakeBackend, a2, Finished, 0)
	waitDocumentEnded(t, e, id)
	if data, err := e.ReadFile(ctx, id, "same.txt"); err != nil || string(data) != "again\n" {
		t.Fatalf("same.txt after a ran again: %q %v", data, err)
	}
}
