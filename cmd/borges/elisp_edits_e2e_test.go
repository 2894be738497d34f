package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// elispDeletesDoc's first block deletes the block doomed, which would
// leave a file MARK: org-babel-execute-buffer does not find it, and the
// noweb reference to it expands to nothing.
const elispDeletesDoc = `* Deleting
#+name: editor
#+begin_src emacs-lisp :results silent
(save-excursion
  (when (re-search-forward "^#\\+name: doomed\n#\\+begin_src sh\n\\(?:.*\n\\)*?#\\+end_src\n" nil t)
    (replace-match "" t t)))
#+end_src

#+name: doomed
#+begin_src sh
touch MARK; echo ran
#+end_src

#+RESULTS: doomed
: stays

#+name: noweb
#+begin_src sh :noweb yes
<<doomed>>
echo after the reference
#+end_src

#+name: last
#+begin_src sh
echo last
#+end_src
`

// TestEmacsLispDeletesE2E: a block an earlier Emacs Lisp block deleted is
// never launched (its state says why), and the document is Emacs's, byte
// for byte; a :var reference to it fails with the error Babel signals.
func TestEmacsLispDeletesE2E(t *testing.T) {
	t.Parallel()
	emacs := emacsRunner(t)
	doc, mark := withPath(t, elispDeletesDoc, "MARK")
	s := startServer(t, t.TempDir())
	v, want := submitLikeEmacs(t, s, doc, emacs)
	if !strings.Contains(want, ": after the reference") || strings.Contains(want, "touch") {
		t.Fatalf("Emacs did not delete the block:\n%s", want)
	}
	d := blockOf(s.doc(v.ID), "doomed")
	if d.State != engine.Finished || d.Instances[0].Attempts != 0 || !strings.Contains(d.Instances[0].Message, "deleted it from the Org buffer") {
		t.Errorf("the deleted block: %s %+v", d.State, d.Instances[0])
	}
	if _, err := os.Stat(mark); err == nil {
		t.Errorf("the deleted block ran")
	}

	// Emacs signals an error at a :var reference to it (and stops).
	refers := doc + "\n#+name: refers\n#+begin_src sh :var x=doomed\necho $x\n#+end_src\n"
	v = s.submit(refers)
	until(t, "ended", func() bool { return s.doc(v.ID).State.Terminal() })
	r := blockOf(s.doc(v.ID), "refers")
	if r.State != engine.Failed || r.Instances[0].Attempts != 0 || !strings.Contains(r.Instances[0].Message, "Reference ‘doomed’ not found in this buffer") {
		t.Errorf("the block referring to the deleted one: %s %+v", r.State, r.Instances[0])
	}
}

// elispChangesDoc's first block changes a later shell block's body,
// another's header arguments and a later Emacs Lisp block's body: each
// runs as the buffer then holds it.
const elispChangesDoc = `* Changing
#+name: editor
#+begin_src emacs-lisp :results silent
(save-excursion
  (re-search-forward "^#\\+end_src" nil t)
  (when (search-forward "echo body as submitted" nil t)
    (replace-match "echo body as changed" t t))
  (when (re-search-forward "^#\\+begin_src sh :var v=1$" nil t)
    (replace-match "#+begin_src sh :var v=2 :results raw" t t))
  (when (search-forward "(+ 1 1)" nil t)
    (replace-match "(* 21 2)" t t)))
#+end_src

#+name: body
#+begin_src sh
echo body as submitted
#+end_src

#+RESULTS: body
: old

#+name: header
#+begin_src sh :var v=1
echo v=$v
#+end_src

#+name: lisp
#+begin_src emacs-lisp
(+ 1 1)
#+end_src

#+name: uses
#+begin_src sh :var b=body :var n=lisp
echo "$b / $n"
#+end_src
`

// TestEmacsLispChangesE2E: blocks an earlier Emacs Lisp block changed
// (body, header arguments, an Emacs Lisp block's body) run as they stand
// in the buffer, and a block referring to them gets their values as run
// so, byte for byte as in Emacs.
func TestEmacsLispChangesE2E(t *testing.T) {
	t.Parallel()
	// Written back alike by a server started again.
	emacsLispDocE2E(t, elispChangesDoc, "#+RESULTS: body\n: body as changed\n", "#+RESULTS: header\nv=2\n", "#+RESULTS: lisp\n: 42\n", ": body as changed / 42")
}

// baseAndInserter begin the documents of the tests of inserted blocks:
// the block base, and the first lines of the Emacs Lisp block inserter.
const baseAndInserter = `#+name: base
#+begin_src sh
echo 20
#+end_src

#+name: inserter
#+begin_src emacs-lisp :results silent
`

// elispInsertsDoc's first Emacs Lisp block adds a shell block after
// itself, which refers to the document's block base and waits for the
// file GO (bounded); the Emacs Lisp block after it reads its results in
// the buffer.
const elispInsertsDoc = "* Adding\n" + baseAndInserter + `(save-excursion
  (re-search-forward "^\\* Added here\n")
  (insert "\n#+name: added\n#+begin_src sh :var b=base\nfor i in $(seq 3000); do [ -e GO ] && break; sleep 0.1; done\necho \"added, base $b\"\n#+end_src\n"))
#+end_src

* Added here

* Reading
#+name: reader
#+begin_src emacs-lisp
(save-excursion
  (goto-char (point-min))
  (re-search-forward "^#\\+RESULTS: added\n\\(.*\\)$" nil t)
  (match-string 1))
#+end_src
`

// TestEmacsLispInsertsE2E: a block an Emacs Lisp block added to the Org
// buffer becomes a task of the document (listed, its line the buffer's,
// naming the block that added it, depending on the run of base that its
// reference makes, as Emacs runs base again there), which the later Emacs
// Lisp block waits for; a server killed while it runs and started again keeps it, and the
// document is Emacs's, byte for byte, then and after another restart.
func TestEmacsLispInsertsE2E(t *testing.T) {
	t.Parallel()
	emacs, doc, gate, s, v := gatedInsert(t, elispInsertsDoc, "added")
	a := blockOf(s.doc(v.ID), "added")
	if a.AddedBy != "inserter" || a.Lang != "sh" || a.Task == nil || strings.Join(a.Task.After, " ") != "added :var b=base" {
		t.Fatalf("the added block: %+v", a)
	}
	if r := blockOf(s.doc(v.ID), "reader"); r.State != engine.Queued || !strings.Contains(r.Instances[0].Waiting, "added") {
		t.Fatalf("the reader does not wait for the added block: %+v", r)
	}
	s.kill9()
	s2 := startServer(t, s.data)
	if a := blockOf(s2.doc(v.ID), "added"); a.AddedBy != "inserter" || a.State.Terminal() {
		t.Fatalf("after the restart, the added block: %+v", a)
	}
	openGate(t, gate, s2, v.ID)
	want := emacs(doc)
	if !strings.Contains(want, "#+RESULTS: added\n| added | base 20 |\n") || !strings.Contains(want, ": | added | base 20 |") {
		t.Fatalf("Emacs did not run the added block:\n%s", want)
	}
	// Its line is the buffer's: where Emacs's document has it (nothing
	// before it changes after the Emacs Lisp block added it).
	if line := 2 + strings.Count(want[:strings.Index(want, "\n#+name: added\n")], "\n"); a.Line != line {
		t.Errorf("the added block is at line %d of the buffer, not %d", line, a.Line)
	}
	if _, got := s2.get("/org/" + v.ID); got != want {
		t.Fatalf("differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
	s2.kill9()
	s3 := startServer(t, s.data)
	if _, got := s3.get("/org/" + v.ID); got != want {
		t.Fatalf("after another restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}

// elispRestartEditsDoc's editor changes the Emacs Lisp block lisp one way
// on its first run and another once the file SECOND exists, when it also
// deletes the block doomed; it adds a shell block, which says which run
// added it.
const elispRestartEditsDoc = `* Editing differently when run again
#+name: editor
#+begin_src emacs-lisp :results silent
(save-excursion
  (re-search-forward "^#\\+end_src" nil t)
  (when (search-forward "(+ 1 1)" nil t)
    (replace-match (if (file-exists-p "SECOND") "(* 3 3)" "(* 21 2)") t t))
  (when (and (file-exists-p "SECOND")
             (re-search-forward "^#\\+name: doomed\n#\\+begin_src emacs-lisp\n\\(?:.*\n\\)*?#\\+end_src\n" nil t))
    (replace-match "" t t))
  (re-search-forward "^\\* Added here\n")
  (insert (format "\n#+name: added\n#+begin_src sh\necho %s run\n#+end_src\n" (if (file-exists-p "SECOND") "second" "first"))))
#+end_src

#+name: lisp
#+begin_src emacs-lisp
(+ 1 1)
#+end_src

#+name: doomed
#+begin_src emacs-lisp
"doomed ran"
#+end_src

* Added here
`

// TestEmacsLispRestartEditsE2E: restarting an Emacs Lisp block that
// changes a later one (its session runs again) decides that block again
// from what the new run reports (one changed otherwise, one deleted, one
// added otherwise, which runs again), byte for byte as Emacs runs the
// document then.
func TestEmacsLispRestartEditsE2E(t *testing.T) {
	t.Parallel()
	emacs, doc, s, v := runThenSecond(t, elispRestartEditsDoc, func(want string) bool {
		return strings.Contains(want, "#+RESULTS: lisp\n: 42\n") && strings.Contains(want, ": doomed ran") && strings.Contains(want, "#+RESULTS: added\n: first run\n")
	})
	restartSession(t, s, v.ID, "editor", []string{"editor", "lisp", "added"}, until)
	want := emacs(doc)
	if !strings.Contains(want, "#+RESULTS: lisp\n: 9\n") || strings.Contains(want, `"doomed ran"`) || !strings.Contains(want, "#+RESULTS: added\n: second run\n") {
		t.Fatalf("Emacs's run after the change:\n%s", want)
	}
	if d := blockOf(s.doc(v.ID), "doomed"); d.State != engine.Finished || !strings.Contains(d.Instances[0].Message, "deleted it from the Org buffer") {
		t.Errorf("the block deleted by the new run: %s %+v", d.State, d.Instances[0])
	}
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("after the restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}

// runThenSecond runs text, the word SECOND in it the path of a file not
// made yet, on a new server as Emacs does, holds Emacs's run to
// firstRun, then makes that file: its Emacs Lisp blocks do otherwise
// when they run again.
func runThenSecond(t *testing.T, text string, firstRun func(emacsDoc string) bool) (emacs func(string) string, doc string, s *server, v *engine.DocumentView) {
	t.Helper()
	emacs = emacsRunner(t, "(emacs-lisp . t)", "(shell . t)")
	doc, second := withPath(t, text, "SECOND")
	s = startServer(t, t.TempDir())
	v, want := submitLikeEmacs(t, s, doc, emacs)
	if !firstRun(want) {
		t.Fatalf("Emacs's first run:\n%s", want)
	}
	if err := os.WriteFile(second, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return emacs, doc, s, v
}

// withPath is doc with each word in it made the path of a file (not
// made) in a directory of the test's, and that path.
func withPath(t *testing.T, doc, word string) (string, string) {
	p := filepath.Join(t.TempDir(), strings.ToLower(word))
	return strings.ReplaceAll(doc, word, p), p
}

// elispInsertsLispDoc's inserter adds an Emacs Lisp block after itself,
// which adds a shell block in turn (it refers to the document's block
// base and waits for the file GO, bounded) and sets a variable; the Emacs
// Lisp block after them reads both.
const elispInsertsLispDoc = "* Adding Emacs Lisp\n" + baseAndInserter + `(defun borges-e2e-nested ()
  (save-excursion
    (re-search-forward "^\\* Added by the added\n")
    (insert "\n#+name: nested\n#+begin_src sh :var b=base\nfor i in $(seq 3000); do [ -e GO ] && break; sleep 0.1; done\necho \"nested, base $b\"\n#+end_src\n"))
  (setq borges-e2e-added 42))
(save-excursion
  (re-search-forward "^\\* Added here\n")
  (insert "\n#+name: lisp-added\n#+begin_src emacs-lisp\n(borges-e2e-nested)\n#+end_src\n"))
#+end_src

* Added here

* Added by the added

* Reading
#+name: reader
#+begin_src emacs-lisp
(list borges-e2e-added
      (save-excursion
        (goto-char (point-min))
        (re-search-forward "^#\\+RESULTS: nested\n\\(.*\\)$" nil t)
        (match-string 1)))
#+end_src
`

// TestEmacsLispInsertsEmacsLispE2E: an Emacs Lisp block an Emacs Lisp
// block added runs in the document's Emacs (the reader after it waits for
// it and sees what it set), and the block it adds in turn runs too; a
// server killed while that one runs and started again keeps both, and the
// document is Emacs's, byte for byte.
func TestEmacsLispInsertsEmacsLispE2E(t *testing.T) {
	t.Parallel()
	emacs, doc, gate, s, v := gatedInsert(t, elispInsertsLispDoc, "nested")
	if a := blockOf(s.doc(v.ID), "lisp-added"); a.AddedBy != "inserter" || a.Lang != "emacs-lisp" || a.State != engine.Finished {
		t.Fatalf("the added Emacs Lisp block: %+v", a)
	}
	if n := blockOf(s.doc(v.ID), "nested"); n.AddedBy != "lisp-added" || n.Task == nil || strings.Join(n.Task.After, " ") != "nested :var b=base" {
		t.Fatalf("the block it added: %+v", n)
	}
	if r := blockOf(s.doc(v.ID), "reader"); r.State != engine.Queued || !strings.Contains(r.Instances[0].Waiting, "nested") {
		t.Fatalf("the reader does not wait for the nested block: %+v", r)
	}
	s.kill9()
	s2 := startServer(t, s.data)
	// The document's Emacs is gone with the server: its session runs
	// again, the added Emacs Lisp block with it.
	if a := blockOf(s2.doc(v.ID), "lisp-added"); a.AddedBy != "inserter" || a.Task == nil {
		t.Fatalf("after the restart, the added Emacs Lisp block: %+v", a)
	}
	if n := blockOf(s2.doc(v.ID), "nested"); n.AddedBy != "lisp-added" || n.State.Terminal() {
		t.Fatalf("after the restart, the nested block: %+v", n)
	}
	openGate(t, gate, s2, v.ID)
	want := emacs(doc)
	if !strings.Contains(want, "#+RESULTS: lisp-added\n: 42\n") || !strings.Contains(want, "#+RESULTS: nested\n| nested | base 20 |\n") ||
		!strings.Contains(want, "| 42 |   | nested | base 20 |   |") {
		t.Fatalf("Emacs did not run the added blocks:\n%s", want)
	}
	if _, got := s2.get("/org/" + v.ID); got != want {
		t.Fatalf("differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}

// TestEmacsLispInsertsCallsE2E: a #+call: line, an inline block and an
// inline call an Emacs Lisp block adds to the Org buffer are tasks of the
// document (naming the block that added them), their results where Emacs
// writes them, read by the Emacs Lisp block after them, byte for byte as
// in Emacs, then and after a restart of the server.
func TestEmacsLispInsertsCallsE2E(t *testing.T) {
	t.Parallel()
	s, _, v, want := fixtureLikeEmacs(t, "elisp_insert_calls.org", "src_sh{echo 1} {{{results(=1=)}}} and a call call_base() {{{results(=20=)}}}")
	addedFinished(t, s, v.ID, 3)
	s.kill9()
	s2 := startServer(t, s.data)
	if _, got := s2.get("/org/" + v.ID); got != want {
		t.Fatalf("after a restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}

// TestEmacsLispInsertsReferredToE2E: a document whose block refers by
// :var to a block only an Emacs Lisp block before it inserts is accepted
// (it was refused with 400) and runs as in Emacs, byte for byte; when
// the Emacs Lisp block inserts nothing, the referring block fails with
// Babel's error, naming its line and the :var, without running.
func TestEmacsLispInsertsReferredToE2E(t *testing.T) {
	t.Parallel()
	s, doc, _, _ := fixtureLikeEmacs(t, "elisp_insert_refs.org", ": var: inserted 7")
	none := strings.Replace(doc, `(insert "\n#+name: later`, `(ignore "\n#+name: later`, 1)
	v := s.submit(none)
	until(t, "ended", func() bool { return s.doc(v.ID).State.Terminal() })
	var r engine.BlockView
	for _, b := range s.doc(v.ID).Blocks {
		if b.Line == 13 {
			r = b
		}
	}
	if r.State != engine.Failed || r.Instances[0].Attempts != 0 || r.Instances[0].Message != "line 13, :var x=later: Reference ‘later’ not found in this buffer" {
		t.Errorf("the block referring to a block never inserted: %+v", r)
	}
}

// fixtureLikeEmacs submits the plan's fixture name (in the shell and
// Emacs Lisp) to a server it starts and holds its results to Emacs's,
// which must hold shows; it returns the server, the document, its view
// and Emacs's answer.
func fixtureLikeEmacs(t *testing.T, name, shows string) (*server, string, *engine.DocumentView, string) {
	t.Helper()
	emacs := emacsRunner(t, "(shell . t)", "(emacs-lisp . t)")
	raw, err := os.ReadFile(filepath.Join("..", "..", "internal", "plan", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, t.TempDir())
	v, want := submitLikeEmacs(t, s, string(raw), emacs)
	if !strings.Contains(want, shows) {
		t.Fatalf("Emacs's run of %s has no %q:\n%s", name, shows, want)
	}
	return s, string(raw), v, want
}

// gatedInsert submits text, its word GO made a file's path (gate), to a
// server it starts, and waits for the block named running to run; it
// returns an Emacs to run the document (doc) with, and the server and
// the document's view.
func gatedInsert(t *testing.T, text, running string) (emacs func(string) string, doc, gate string, s *server, v *engine.DocumentView) {
	t.Helper()
	emacs = emacsRunner(t, "(shell . t)", "(emacs-lisp . t)")
	doc, gate = withPath(t, text, "GO")
	s = startServer(t, t.TempDir())
	v = s.submit(doc)
	until(t, running+" runs", func() bool { return blockOf(s.doc(v.ID), running).State == engine.Running })
	return emacs, doc, gate, s, v
}

// openGate makes the file gate, which the gated block waits for, and
// waits for document id of server s to finish.
func openGate(t *testing.T, gate string, s *server, id string) {
	t.Helper()
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	until(t, "ended", func() bool { return s.doc(id).State.Terminal() })
	if d := s.doc(id); d.State != engine.Finished {
		t.Fatalf("document %s: %+v", d.State, d.Blocks)
	}
}

// elispNoLongerAddsDoc's adder adds two shell blocks on its first run,
// and only the second once the file SECOND exists.
const elispNoLongerAddsDoc = `* Adding less when run again
#+name: adder
#+begin_src emacs-lisp :results silent
(save-excursion
  (re-search-forward "^\\* Added here\n")
  (unless (file-exists-p "SECOND")
    (insert "\n#+name: first-only\n#+begin_src sh\necho first run only\n#+end_src\n"))
  (insert "\n#+name: always\n#+begin_src sh\necho every run\n#+end_src\n"))
#+end_src

* Added here
`

// TestEmacsLispRestartNoLongerAddsE2E: restarting an Emacs Lisp block
// that no longer adds a block it added before (its session runs again)
// drops that block, as Emacs does not find it: it is no longer listed,
// its records are gone across a server restart, and the document is
// Emacs's, byte for byte.
func TestEmacsLispRestartNoLongerAddsE2E(t *testing.T) {
	t.Parallel()
	emacs, doc, s, v := runThenSecond(t, elispNoLongerAddsDoc, func(want string) bool {
		return strings.Contains(want, "#+RESULTS: first-only\n: first run only\n") && strings.Contains(want, "#+RESULTS: always\n: every run\n")
	})
	restartSession(t, s, v.ID, "adder", []string{"adder"}, until)
	want := emacs(doc)
	if strings.Contains(want, "#+RESULTS: first-only") || !strings.Contains(want, "#+RESULTS: always\n: every run\n") {
		t.Fatalf("Emacs's run after the change:\n%s", want)
	}
	until(t, "the document ends without the block no longer added", func() bool {
		d := s.doc(v.ID)
		return d.State == engine.Finished && blockOf(d, "first-only").Name == "" && blockOf(d, "always").State == engine.Finished
	})
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("after the restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
	s.kill9()
	s2 := startServer(t, s.data)
	if d := s2.doc(v.ID); blockOf(d, "first-only").Name != "" || d.State != engine.Finished {
		t.Errorf("after a server restart the block no longer added is back, or the document not finished: %s %+v", d.State, blockOf(d, "first-only"))
	}
	if _, got := s2.get("/org/" + v.ID); got != want {
		t.Fatalf("after a server restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}

// TestEmacsLispInsertsSessionE2E: blocks of a shell session an Emacs Lisp
// block inserts (one among the session's blocks, one after them all) run
// through the server in the session's one interpreter, in the buffer's
// order: each sees what the block of the session before it set, and the
// document is Emacs's, byte for byte, then and after a restart of the
// server. They were listed as not run.
func TestEmacsLispInsertsSessionE2E(t *testing.T) {
	t.Parallel()
	s, _, v, want := fixtureLikeEmacs(t, "elisp_insert_session.org", "#+RESULTS: inserted\n: inserted 1\n")
	if !strings.Contains(want, "#+RESULTS: post\n: post 2\n") || !strings.Contains(want, "#+RESULTS:\n: last 3\n") {
		t.Fatalf("Emacs's run of the session:\n%s", want)
	}
	addedFinished(t, s, v.ID, 2)
	s.kill9()
	s2 := startServer(t, s.data)
	if _, got := s2.get("/org/" + v.ID); got != want {
		t.Fatalf("after a restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}

// addedFinished checks that document id of server s has n blocks added
// to the Org buffer, each run and finished.
func addedFinished(t *testing.T, s *server, id string, n int) {
	t.Helper()
	added := 0
	for _, b := range s.doc(id).Blocks {
		if b.AddedBy != "" {
			added++
			if b.State != engine.Finished || !b.Runnable {
				t.Errorf("added block %s: %+v", b.Name, b)
			}
		}
	}
	if added != n {
		t.Errorf("%d blocks added, not %d: %+v", added, n, s.doc(id).Blocks)
	}
}
