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
	emacs := emacsRunner(t)
	mark := filepath.Join(t.TempDir(), "mark")
	doc := strings.ReplaceAll(elispDeletesDoc, "MARK", mark)
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
	// Written back alike by a server started again.
	emacsLispDocE2E(t, elispChangesDoc, "#+RESULTS: body\n: body as changed\n", "#+RESULTS: header\nv=2\n", "#+RESULTS: lisp\n: 42\n", ": body as changed / 42")
}
