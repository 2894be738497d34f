package engine

import (
	"context"
	"testing"
)

const stagedDoc = `#+begin_src sh :results file :file out.txt :file-mode (identity #o600)
echo hello
#+end_src

#+begin_src sh :results output
cat out.txt
#+end_src

#+begin_src sh :results output
echo alone
#+end_src
`

// TestReaderWaitsForFileWriter: a block naming the :file an earlier
// :results file block writes waits for it, and its attempt carries the
// file (the writer's result as Babel writes it, its :file-mode) for the
// backend to place in its sandbox; a block naming none runs at once.
func TestReaderWaitsForFileWriter(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	if _, err := e.Submit(context.Background(), stagedDoc); err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 2)
	var writer *Attempt
	for _, a := range l {
		switch a.Block {
		case "block-2":
			t.Fatalf("the reader launched before its writer ended: %v", l)
		case "block-1":
			writer = a
		}
	}
	if writer == nil {
		t.Fatalf("launched %v, not the writer", l)
	}
	fb.setOutput(writer.ID, "hello\n")
	finish(fb, writer, Finished, 0)
	l = waitLaunches(t, fb, 3)
	r := l[2]
	if r.Block != "block-2" {
		t.Fatalf("third launch %s", r.Block)
	}
	if len(r.Files) != 1 || r.Files[0].Path != "out.txt" || string(r.Files[0].Data) != "hello\n" || r.Files[0].Mode != 0o600 {
		t.Fatalf("reader's files %+v", r.Files)
	}
}
