package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
)

// dirFilesDoc writes :results file blocks under :dir, takes a Lisp :var
// value in a shell block (evaluated by a batch Emacs, a task of its own)
// and keeps the rules of a table with :hlines yes.
const dirFilesDoc = `* Heading
:PROPERTIES:
:PROP: hello
:END:

#+begin_src sh :dir sub :mkdirp yes :results file :file out.txt
echo hello
#+end_src

#+begin_src sh :dir sub :mkdirp yes :results file :file secret.txt :file-mode (identity #o600)
echo secret
#+end_src

#+begin_src sh :dir sub :mkdirp yes :results file :file shut.txt :file-mode (identity #o10000)
echo shut
#+end_src

#+begin_src sh :dir sub/deeper :mkdirp yes :results file link :file ../made.txt
echo made > ../made.txt
#+end_src

#+begin_src sh :var x=(+ 1 2) :var p=(org-entry-get nil "PROP" t) :results output
echo "$x $p"
#+end_src

#+name: ruled
| a |
|---|
| b |
|---|
| c |

#+begin_src sh :var t=ruled :hlines yes :results output
echo "$t"
#+end_src
`

// valueFilesDoc writes values that are not strings to :results file:
// Emacs Lisp lists, nested lists, vectors, conses, symbols, numbers and
// nil, and the lists and tables of other languages, each written as
// Babel writes the value it has of them (org-babel-result-cond makes a
// :results file value a string, as the language prints it).
const valueFilesDoc = `#+begin_src emacs-lisp :results file :file el-list.txt
'(1 2 "three" nil sym)
#+end_src

#+begin_src emacs-lisp :results file :file el-nested.txt
'((1 2) ("a b" "c") hline (nil x))
#+end_src

#+begin_src emacs-lisp :results file :file el-string.txt
"a string\nwith lines"
#+end_src

#+begin_src emacs-lisp :results file :file el-num.txt
42.5
#+end_src

#+begin_src emacs-lisp :results file :file el-nil.txt
nil
#+end_src

#+begin_src emacs-lisp :results file :file el-vec.txt
[1 2 "x"]
#+end_src

#+begin_src emacs-lisp :results file :file el-deep.txt
'((1 (2 3)) ("q\"r" [4 5]))
#+end_src

#+begin_src emacs-lisp :results file :file el-sep.txt :sep ,
'((1 2) (3 4))
#+end_src

#+begin_src emacs-lisp :results file :file el-sym.txt
'sym
#+end_src

#+begin_src emacs-lisp :results file :file el-cons.txt
'(1 . 2)
#+end_src

#+begin_src emacs-lisp :results file table :file el-table.txt
'((1 2) ("a b" "c") hline (nil x))
#+end_src

#+begin_src emacs-lisp :results file output :file el-output.txt
(princ "printed\n") '(1 2)
#+end_src

#+begin_src python :results file :file py-list.txt
return [1, 2, "three"]
#+end_src

#+begin_src python :results file :file py-nested.txt
return [[1, 2], ["a", None], [True, 1.5]]
#+end_src

#+begin_src python :results file table :file py-table.txt
return [[1, 2], ["a", None]]
#+end_src

#+begin_src ruby :results file :file rb-list.txt
[1, [2, "x"], nil]
#+end_src

#+begin_src perl :results file :file pl-list.txt
[1, [2, "x"]]
#+end_src

#+begin_src js :results file :file js-list.txt
return [1, [2, "x"], null]
#+end_src

#+begin_src sh :results file :file sh-tbl.txt
printf 'a b\nc d\n'
#+end_src

#+begin_src sh :results file table :file sh-table.txt :sep |
printf 'a b\nc d\n'
#+end_src
`

// TestValueFilesAgainstEmacs: the files of valueFilesDoc's blocks hold
// what Emacs writes into them.
func TestValueFilesAgainstEmacs(t *testing.T) {
	t.Parallel()
	outside.Need(t, "python3", "python3")
	outside.Need(t, "ruby", "ruby")
	outside.Need(t, "perl", "perl")
	outside.Need(t, "nodejs", "node")
	filesAgainstEmacs(t, valueFilesDoc, "(shell . t) (emacs-lisp . t) (python . t) (ruby . t) (perl . t) (js . t)", 17)
}

// TestDirFilesAgainstEmacs runs dirFilesDoc in Emacs, visiting it as a
// file, and through the server: the documents must be equal, and each
// file a link names must hold in Borges (GET /org/ID/files/PATH) what
// Emacs wrote there, relative to the document.
func TestDirFilesAgainstEmacs(t *testing.T) {
	t.Parallel()
	dir, s, id, links := filesAgainstEmacs(t, dirFilesDoc, "(shell . t)", 4)
	// borges get -files writes them where Emacs did, Babel's own with
	// its :file-mode.
	files := t.TempDir()
	get := exec.Command(binary, "get", "-files", files, id)
	get.Env = append(os.Environ(), "BORGES_ADDR="+s.addr)
	if out, err := get.CombinedOutput(); err != nil {
		t.Fatalf("borges get -files: %v\n%s", err, out)
	}
	for _, l := range links {
		name := l[1]
		if name == "sub/made.txt" {
			continue // the program's own file, not Babel's
		}
		e, err1 := os.Stat(filepath.Join(dir, name))
		b, err2 := os.Stat(filepath.Join(files, name))
		if err1 != nil || err2 != nil || e.Mode() != b.Mode() {
			t.Errorf("%s: Emacs made it %v (%v), borges get %v (%v)", name, e.Mode(), err1, b.Mode(), err2)
		}
	}
}

// filesAgainstEmacs runs doc in Emacs (languages langs loaded), visiting
// it as a file, and through the server: the documents must be equal, and
// each of the n files their links name must hold in Borges (GET
// /org/ID/files/PATH) what Emacs wrote there. It returns the directory
// Emacs ran in, the server, the document's id and the links.
func filesAgainstEmacs(t *testing.T, doc, langs string, n int) (string, *server, string, [][]string) {
	t.Helper()
	emacs := outside.Need(t, "emacs-nox", "emacs")
	dir := t.TempDir()
	file := filepath.Join(dir, "doc.org")
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `(progn ` + emacsFewerGCs + ` (require 'org) (require 'ob)
  (org-babel-do-load-languages 'org-babel-load-languages '(` + langs + `))
  (setq org-confirm-babel-evaluate nil)
  (with-current-buffer (find-file-noselect "` + file + `")
    (org-babel-execute-buffer)
    (let ((coding-system-for-write 'utf-8-unix)) (write-region nil nil "emacs.org"))))`
	cmd := exec.Command(emacs, "-Q", "--batch", "--eval", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SHELL=/bin/bash")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	want, err := os.ReadFile(filepath.Join(dir, "emacs.org"))
	if err != nil {
		t.Fatal(err)
	}

	s := startServer(t, t.TempDir())
	v := s.submit(doc)
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	_, got := s.get("/org/" + v.ID)
	if got != string(want) {
		t.Fatalf("differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
	links := regexp.MustCompile(`\[\[file:([^]]+)\]`).FindAllStringSubmatch(got, -1)
	if len(links) != n {
		t.Fatalf("links: %q", links)
	}
	for _, l := range links {
		fi, err := os.Stat(filepath.Join(dir, l[1]))
		if err != nil {
			t.Fatalf("Emacs wrote no %s: %v", l[1], err)
		}
		if fi.Mode().Perm()&0o400 == 0 && os.Geteuid() != 0 {
			// A :file-mode that shuts the owner out (0): only root
			// reads what Emacs wrote; the mode is checked by stat.
			continue
		}
		emacsFile, err := os.ReadFile(filepath.Join(dir, l[1]))
		if err != nil {
			t.Fatalf("Emacs wrote no %s: %v", l[1], err)
		}
		if code, body := s.get("/org/" + v.ID + "/files/" + l[1]); code != 200 || body != string(emacsFile) {
			t.Errorf("%s: %d %q, Emacs wrote %q", l[1], code, body, emacsFile)
		}
	}
	return dir, s, v.ID, links
}
