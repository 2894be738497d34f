package engine

import (
	"context"
	"strings"
	"testing"
)

// stoppedDoc has a block whose raw results hold a block of a language
// Babel has no function for, and after it a block waiting for it.
const stoppedDoc = "#+name: owner\n#+begin_src sh :results raw\necho '#+begin_src nosuchlang'\necho '#+end_src'\n#+end_src\nAfter.\n\n" +
	"#+begin_src sh :var o=owner\necho after\n#+end_src\n"

// TestStoppedAtBlockFound: org-babel-execute-buffer stops the document at
// a block of no language Babel runs found in results: the block after it
// that had not launched is never launched, says why, and the document
// says where it stopped; the results written stay.
func TestStoppedAtBlockFound(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, _ := startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), stoppedDoc)
	if err != nil {
		t.Fatal(err)
	}
	ls := waitLaunches(t, rb.fakeBackend, 1)
	if len(ls) != 1 || !strings.Contains(ls[0].Script, "nosuchlang") {
		t.Fatalf("launches: %+v", ls)
	}
	rb.setOutput(ls[0].ID, "#+begin_src nosuchlang\n#+end_src\n")
	finish(rb.fakeBackend, ls[0], Finished, 0)
	d := waitDocumentEnded(t, e, v.ID)
	if l := rb.launches(); len(l) != 1 {
		t.Errorf("%d attempts, want 1 (the block after the stop not run)", len(l))
	}
	var after *BlockView
	for i := range d.Blocks {
		// The block found is listed too, by its name in the buffer.
		if d.Blocks[i].Name == "block-2" && d.Blocks[i].AddedBy == "" {
			after = &d.Blocks[i]
		}
	}
	const why = "not run: org-babel-execute-buffer stopped before it, at the block of language \"nosuchlang\" at line 7 of the Org buffer: \"No org-babel-execute function for nosuchlang!\""
	switch {
	case after == nil:
		t.Errorf("no block-2 in %+v", d.Blocks)
	case len(after.Instances) != 1 || after.Instances[0].Message != why || after.Instances[0].Attempts != 0:
		t.Errorf("block-2: %+v; want not run, %q", after, why)
	}
	noted := false
	for _, n := range d.Notes {
		noted = noted || strings.Contains(n, "stops this document") && strings.Contains(n, "No org-babel-execute function for nosuchlang!")
	}
	if !noted {
		t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
	}
	got, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := "#+name: owner\n#+begin_src sh :results raw\necho '#+begin_src nosuchlang'\necho '#+end_src'\n#+end_src\n\n#+RESULTS: owner\n#+begin_src nosuchlang\n#+end_src\n\nAfter.\n\n" +
		"#+begin_src sh :var o=owner\necho after\n#+end_src\n"
	if got != want {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
}
