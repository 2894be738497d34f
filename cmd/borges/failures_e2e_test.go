package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

const failuresE2EDoc = `#+name: slow
#+begin_src sh :results output :timeout 1s
echo partial
sleep 60
#+end_src

#+name: broken
#+begin_src sh :results output
echo oops-out
exit 3
#+end_src

#+name: uses
#+begin_src sh :var x=broken
echo "$x"
#+end_src

#+name: web
#+begin_src sh :results output :instances 3
echo "i$BORGES_INSTANCE $BORGES_BLOCK"
#+end_src

#+name: half
#+begin_src sh :on-failure continue
echo half
exit 4
#+end_src

#+name: anyway
#+begin_src sh :var x=half :results output
echo "got $x"
#+end_src
`

// TestFailuresInResultsE2E runs real processes: one timed out, one
// failing, a dependent of the failing one, three instances, and a failing
// block with :on-failure continue whose dependent runs; the results
// document says what happened to each.
func TestFailuresInResultsE2E(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	v := s.submit(failuresE2EDoc)
	t.Cleanup(func() { s.killDocument(v.ID) })
	until(t, "every block has ended", func() bool { return s.doc(v.ID).State != engine.Running })
	_, res := s.get("/org/" + v.ID)
	for _, want := range []string{
		"#+RESULTS: slow\n:results:\nborges: failed — timed out after 1s\n: partial\n:end:\n",
		"#+RESULTS: broken\n:results:\nborges: failed — exit status 3\n: oops-out\n:end:\n",
		"#+RESULTS: uses\n:results:\nborges: failed — not run: dependency broken failed\n:end:\n",
		"#+RESULTS: web\n:results:\nborges: instance 0\n: i0 web\nborges: instance 1\n: i1 web\nborges: instance 2\n: i2 web\n:end:\n",
		"#+RESULTS: half\n:results:\nborges: failed — exit status 4\n: half\n:end:\n",
		"#+RESULTS: anyway\n: got half\n",
	} {
		if !strings.Contains(res, want) {
			t.Errorf("no\n%s\nin\n%s", want, res)
		}
	}
}

// TestKilledInResultsE2E kills a running block: its results say so, over
// what it printed.
func TestKilledInResultsE2E(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	v := s.submit("#+name: loop\n#+begin_src sh :results output\necho started\nsleep 60\n#+end_src\n")
	t.Cleanup(func() { s.killDocument(v.ID) })
	until(t, "it printed", func() bool {
		_, log := s.get("/org/" + v.ID + "/blocks/loop/log")
		return strings.Contains(log, "started")
	})
	s.killDocument(v.ID)
	until(t, "it is killed", func() bool { return blockOf(s.doc(v.ID), "loop").State == engine.Killed })
	_, res := s.get("/org/" + v.ID)
	if want := "#+RESULTS: loop\n:results:\nborges: killed on request\n: started\n:end:\n"; !strings.Contains(res, want) {
		t.Fatalf("no\n%s\nin\n%s", want, res)
	}
}

// killDocument kills a document's tasks (DELETE /org/ID).
func (s *server) killDocument(id string) {
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+id, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Logf("DELETE %s: %v", id, err)
		return
	}
	resp.Body.Close()
}

// rerunDoc fails in Borges (a timeout, an exit status, a dependent not
// run) and runs as several instances, but finishes at once in Emacs,
// where BORGES_BLOCK is not set.
const rerunDoc = `#+name: slow
#+begin_src sh :results output :timeout 1s
echo partial
[ -n "$BORGES_BLOCK" ] && sleep 60
echo done
#+end_src

#+name: broken
#+begin_src sh
echo 1 2; echo 3 4
exit 3
#+end_src

#+name: uses
#+begin_src sh :var x=broken :results output
echo "got $x"
#+end_src

#+name: web
#+begin_src sh :instances 3 :results output
echo "i${BORGES_INSTANCE:-none}"
#+end_src

text after
`

// TestFailureDrawersRerunInEmacs: the results document Borges writes for
// failures and instances, run again in Emacs (org-babel-execute-buffer),
// is what Emacs writes for the document without results: Emacs replaces
// Borges' drawers whole, and nothing of them is left.
func TestFailureDrawersRerunInEmacs(t *testing.T) {
	t.Parallel()
	run := emacsRunner(t)
	s := startServer(t, t.TempDir())
	v := s.submit(rerunDoc)
	t.Cleanup(func() { s.killDocument(v.ID) })
	until(t, "every block has ended", func() bool { return s.doc(v.ID).State != engine.Running })
	_, borges := s.get("/org/" + v.ID)
	for _, want := range []string{"borges: failed — timed out after 1s\n: partial\n", "borges: failed — exit status 3\n| 1 | 2 |\n| 3 | 4 |\n",
		"borges: failed — not run: dependency broken failed\n", "borges: instance 2\n: i2\n"} {
		if !strings.Contains(borges, want) {
			t.Fatalf("no %q in Borges' results:\n%s", want, borges)
		}
	}
	want := run(rerunDoc)
	if got := run(borges); got != want {
		t.Fatalf("Emacs over Borges' results differs from Emacs over the document:\n--- emacs\n%s\n--- emacs over borges\n%s", want, got)
	}
}
