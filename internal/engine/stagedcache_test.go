package engine

import (
	"context"
	"strings"
	"testing"
)

// cachedWriterDoc is a :cache yes :file writer whose results, with their
// hash, stand in the document (internal/plan's fixture
// file_read_cached_writer.org, checked against Emacs), and a reader.
const cachedWriterDoc = `#+begin_src sh :results file :file out.txt :cache yes
echo hello
#+end_src

#+RESULTS[6ddfaff2385c8dd61a2296b686f75aa8b92b8fc3]:
[[file:out.txt]]

#+begin_src sh :results output
cat out.txt 2>/dev/null || echo no file
#+end_src
`

// TestStagedFileOfCachedWriter: a :cache yes writer whose results stand
// is not run, so it writes no file, and Borges has no earlier run's: the
// reader runs without it, as Emacs runs it in a new directory, and the
// document's notes say why the file is not there.
func TestStagedFileOfCachedWriter(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, err := e.Submit(context.Background(), cachedWriterDoc)
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 1)
	if l[0].Block != "block-2" || len(l[0].Files) != 0 {
		t.Fatalf("launched %s with files %+v", l[0].Block, l[0].Files)
	}
	d, err := e.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range d.Notes {
		if strings.Contains(n, "out.txt") && strings.Contains(n, "block-1") && strings.Contains(n, "block-2") && strings.Contains(n, ":cache") {
			return
		}
	}
	t.Fatalf("no note says why block-2 runs without out.txt: %q", d.Notes)
}
