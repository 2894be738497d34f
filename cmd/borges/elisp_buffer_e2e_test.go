package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/session"
)

// elispBufferDoc's Emacs Lisp blocks read the results of the blocks
// before them, and a property an earlier one set, from the document's
// buffer, as org-babel-execute-buffer leaves them there. (The property is
// deleted again, in the buffer and in the document written back.)
const elispBufferDoc = `* Tables
#+name: tbl
#+begin_src sh :results table
printf '1 2\n3 4\n'
#+end_src

#+name: cell
#+begin_src emacs-lisp
(org-table-get-remote-range "tbl" "@2$2")
#+end_src

#+name: set
#+begin_src emacs-lisp :results silent
(org-set-property "SEEN" "yes")
#+end_src

#+name: seen
#+begin_src sh :var seen=(org-entry-get nil "SEEN" t)
echo "seen $seen"
#+end_src

#+name: unset
#+begin_src emacs-lisp :results silent
(org-delete-property "SEEN")
#+end_src
`

// TestEmacsLispBufferE2E: the server's document's Emacs keeps one Org
// buffer: the Emacs Lisp block sees the shell block's table, the Lisp
// :var value the property a block set, byte for byte as in Emacs.
func TestEmacsLispBufferE2E(t *testing.T) {
	t.Parallel()
	emacs := emacsRunner(t)
	s := startServer(t, t.TempDir())
	_, want := submitLikeEmacs(t, s, elispBufferDoc, emacs)
	for _, w := range []string{"#+RESULTS: cell\n: 4\n", "#+RESULTS: seen\n: seen yes\n"} {
		if !strings.Contains(want, w) {
			t.Fatalf("Emacs's results lack %q:\n%s", w, want)
		}
	}
}

// TestEmacsLispBufferAfterFailureE2E: an Emacs Lisp block after a shell
// block that fails waits for it, is not held back by its failure, and
// sees its results as Borges writes them (its drawer).
func TestEmacsLispBufferAfterFailureE2E(t *testing.T) {
	t.Parallel()
	emacsRunner(t)
	s := startServer(t, t.TempDir())
	v := s.submit("#+name: bad\n#+begin_src sh\necho partial\nexit 3\n#+end_src\n\n" +
		"#+name: look\n#+begin_src emacs-lisp\n(save-excursion (goto-char (point-min)) (if (search-forward \"borges: failed\" nil t) \"drawer seen\" \"no drawer\"))\n#+end_src\n")
	until(t, "ended", func() bool { return s.doc(v.ID).State.Terminal() })
	d := s.doc(v.ID)
	if b := blockOf(d, "look"); b.State != engine.Finished {
		t.Fatalf("look: %+v", b.Instances[0])
	}
	if _, res := s.get("/org/" + v.ID); !strings.Contains(res, "#+RESULTS: look\n: drawer seen\n") {
		t.Fatalf("results:\n%s", res)
	}
}

// elispEditsDoc's Emacs Lisp blocks change the buffer (a property, a
// paragraph inserted, an earlier paragraph edited) around shell blocks;
// GATE is a file the block w waits for (3000 times 0.05 s at most).
const elispEditsDoc = `* Edited
#+name: prop
#+begin_src emacs-lisp :results silent
(org-set-property "SEEN" "yes")
#+end_src

The word is ORIGINAL.

#+name: first
#+begin_src sh
echo first
#+end_src

#+name: put
#+begin_src emacs-lisp
(save-excursion
  (goto-char (point-min))
  (replace-string "ORIGINAL" "CHANGED")
  (goto-char (point-max))
  (insert "\nA paragraph the block put.\n"))
"put"
#+end_src

#+name: w
#+begin_src sh
n=0; while [ ! -e GATE ] && [ $n -lt 3000 ]; do sleep 0.05; n=$((n+1)); done; echo open
#+end_src

#+name: after
#+begin_src emacs-lisp
(org-entry-put nil "AFTER" "w")
(org-entry-get nil "SEEN")
#+end_src

#+name: last
#+begin_src sh :results output
echo last
#+end_src
`

// TestEmacsLispEditsE2E: what the Emacs Lisp blocks change in the
// document's buffer is in the document the server writes back, as Emacs
// leaves it: while the document runs (the edits of the blocks run so far,
// a running block's status line in its place), and after the server is
// killed in the middle and started again (the document's Emacs runs again
// from its first block, and its edits are made again, not twice).
func TestEmacsLispEditsE2E(t *testing.T) {
	t.Parallel()
	emacs := emacsRunner(t)
	gate := filepath.Join(t.TempDir(), "go")
	doc := strings.ReplaceAll(elispEditsDoc, "GATE", gate)
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	once := startServer(t, t.TempDir())
	_, want := submitLikeEmacs(t, once, doc, emacs)
	for _, w := range []string{":SEEN:     yes", ":AFTER:    w", "The word is CHANGED.", "A paragraph the block put.", "#+RESULTS: after\n: yes\n"} {
		if !strings.Contains(want, w) {
			t.Fatalf("Emacs's results lack %q:\n%s", w, want)
		}
	}
	if err := os.Remove(gate); err != nil {
		t.Fatal(err)
	}

	s := startServer(t, t.TempDir())
	v := s.submit(doc)
	until(t, "w runs after put", func() bool {
		d := s.doc(v.ID)
		return blockOf(d, "w").State == engine.Running && blockOf(d, "put").State == engine.Finished
	})
	_, mid := s.get("/org/" + v.ID)
	for _, w := range []string{":SEEN:     yes", "The word is CHANGED.", "#+RESULTS: put\n: put\n", "#+RESULTS: w\n: borges: running", "A paragraph the block put."} {
		if !strings.Contains(mid, w) {
			t.Errorf("while w runs, the results lack %q:\n%s", w, mid)
		}
	}
	if strings.Contains(mid, ":AFTER:") {
		t.Errorf("while w runs, the results hold an edit of a block not run:\n%s", mid)
	}
	s.kill9()
	s2 := startServer(t, s.data)
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	until(t, "ended", func() bool { return s2.doc(v.ID).State.Terminal() })
	if p := blockOf(s2.doc(v.ID), "prop"); p.Instances[0].Attempts != 2 {
		t.Errorf("prop did not run again after the restart: %+v", p.Instances[0])
	}
	if _, got := s2.get("/org/" + v.ID); got != want {
		t.Fatalf("after the restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}

// TestNoEmacsLispWrittenBackE2E: a document without Emacs Lisp is written
// back as before, from the text submitted: a block that writes a file of
// the name the document's Emacs reports its buffer in changes nothing.
func TestNoEmacsLispWrittenBackE2E(t *testing.T) {
	t.Parallel()
	emacs := emacsRunner(t)
	s := startServer(t, t.TempDir())
	doc := "* Shell only\n#+begin_src sh\nprintf '0\\nnot a document' > " + session.BufferFile + "; echo wrote\n#+end_src\n\n" +
		"#+begin_src sh :results table\nprintf '1 2\\n'\n#+end_src\n\n#+RESULTS:\n: old\n"
	submitLikeEmacs(t, s, doc, emacs)
}
