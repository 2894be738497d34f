package main

import (
	"os"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestFoundSameNameAgainstEmacs: blocks of one name found in results (in
// two blocks' results, twice in one's, named as a block of the document
// before them) each run, and their results go where Emacs writes them,
// under the first "#+RESULTS: name" of the buffer: the server's document
// is Emacs's, byte for byte, and a server started again over its store
// runs nothing again and writes the same (issue 10). The second fixture
// has blocks of a name found in results, then a block of the document of
// that name, whose results go under the first found, whichever finishes
// first.
func TestFoundSameNameAgainstEmacs(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"results_run_same_name.org", "results_run_same_name_later.org"} {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			foundAgainstEmacs(t, "../../internal/plan/testdata/"+f)
		})
	}
}

// foundAgainstEmacs is TestFoundSameNameAgainstEmacs of the fixture at
// path.
func foundAgainstEmacs(t *testing.T, path string) {
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := emacsRunner(t)(string(doc))
	dir := t.TempDir()
	s := startServer(t, dir)
	v := s.submit(string(doc))
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
	ran := map[string]int{}
	for _, b := range s.doc(v.ID).Blocks {
		if len(b.Instances) == 0 {
			t.Fatalf("block %s has no instance: %+v", b.Name, b)
		}
		ran[b.Name] = b.Instances[0].Attempts
	}
	s.stop()
	s2 := startServer(t, dir)
	until(t, "loaded", func() bool { return s2.doc(v.ID).State == engine.Finished })
	if _, got := s2.get("/org/" + v.ID); got != want {
		t.Fatalf("after a restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
	for _, b := range s2.doc(v.ID).Blocks {
		if n, ok := ran[b.Name]; !ok || len(b.Instances) == 0 || b.Instances[0].Attempts != n {
			t.Errorf("after a restart, block %s: %+v, want %d attempts as before", b.Name, b.Instances, n)
		}
	}
}
