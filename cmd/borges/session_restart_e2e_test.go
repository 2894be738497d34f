package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestSessionServerRestartE2E: the server is killed (-9) between two
// blocks of a session, and started again: the session's interpreter died
// with it, so the session runs again from its first block, and its next
// block sees what the first one set, as in one run.
func TestSessionServerRestartE2E(t *testing.T) {
	t.Parallel()
	gate := filepath.Join(t.TempDir(), "go")
	doc := "#+name: a\n#+begin_src sh :session s\nx=41\n#+end_src\n\n" +
		"#+name: w\n#+begin_src sh\nn=0; while [ ! -e " + gate + " ] && [ $n -lt 3000 ]; do sleep 0.05; n=$((n+1)); done; echo open\n#+end_src\n\n" +
		"#+name: b\n#+begin_src sh :session s :var o=w\necho $o $((x + 1))\n#+end_src\n"
	// One run, uninterrupted.
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	once := startServer(t, t.TempDir())
	v := once.submit(doc)
	until(t, "one run ended", func() bool { return once.doc(v.ID).State.Terminal() })
	_, want := once.get("/org/" + v.ID)
	if !strings.Contains(want, "open 42") {
		t.Fatalf("one run:\n%s", want)
	}
	if err := os.Remove(gate); err != nil {
		t.Fatal(err)
	}

	s := startServer(t, t.TempDir())
	v = s.submit(doc)
	until(t, "w runs", func() bool {
		return blockOf(s.doc(v.ID), "w").State == engine.Running && blockOf(s.doc(v.ID), "a").State == engine.Finished
	})
	s.kill9()
	s2 := startServer(t, s.data)
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	until(t, "ended", func() bool { return s2.doc(v.ID).State.Terminal() })
	d := s2.doc(v.ID)
	if a := blockOf(d, "a"); a.State != engine.Finished || a.Instances[0].Attempts != 2 {
		t.Errorf("a: %+v", a.Instances[0])
	}
	if _, got := s2.get("/org/" + v.ID); got != want {
		t.Fatalf("differs from one run:\n--- one run\n%s\n--- restarted\n%s", want, got)
	}
}
