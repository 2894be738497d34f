package mesos

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/outside"
)

// TestEmacsLispOnExecutor: with Borges' executor, a document's Emacs
// Lisp blocks and Lisp :var values run in one Emacs, a session task, to
// the local backend's results: a later block sees an earlier one's defun.
func TestEmacsLispOnExecutor(t *testing.T) {
	outside.Need(t, "emacs-nox", "emacs")
	doc := "#+name: defs\n#+begin_src emacs-lisp\n(defun borges-tenfold (n) (* 10 n))\n#+end_src\n\n" +
		"#+name: sh\n#+begin_src sh :var x=(borges-tenfold 4)\necho $x\n#+end_src\n\n" +
		"#+name: use\n#+begin_src emacs-lisp\n(borges-tenfold 5)\n#+end_src\n"
	want := runLocally(t, doc)
	if !strings.Contains(want, "#+RESULTS: sh\n: 40\n") || !strings.Contains(want, "#+RESULTS: use\n: 50\n") {
		t.Fatalf("the local backend's results:\n%s", want)
	}
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Second})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir(), testExecutor(t))
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the document ended", func() bool { d, _ := b.eng.Document(v.ID); return d.State.Terminal() })
	got, err := b.eng.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("differs from the local backend's:\n--- local\n%s\n--- mesos\n%s", want, got)
	}
	if sessions, blocks := sessionTasks(m); len(sessions) != 1 || len(blocks) != 3 {
		t.Fatalf("%d session tasks and %d block tasks, want 1 and 3", len(sessions), len(blocks))
	}
}
