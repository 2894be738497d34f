package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
)

// cacheDoc has :cache yes blocks whose output changes at every run (a
// clock), blocks that take their values, and a cached block whose body
// is edited between the runs.
const cacheDoc = `#+name: stamp
#+begin_src sh :cache yes
date +%s%N
#+end_src

#+begin_src sh :var s=stamp :results output
echo "got $s"
#+end_src

#+name: tab
#+begin_src sh :cache yes
echo "1 $(date +%N)"; echo "2 b"
#+end_src

#+begin_src bash :var t=tab :results output
echo "${t[1]} ${t[2]}"
#+end_src

#+name: edited
#+begin_src sh :cache yes
echo first body
#+end_src
`

// TestCacheReuseAgainstEmacs: Emacs runs the document once; the body of
// one cached block is then edited; Emacs runs it again (cached blocks
// whose hash holds are read back, not run) and so does Borges, from the
// same text: the two documents must be equal, and Borges must not have
// run the blocks whose results stand.
func TestCacheReuseAgainstEmacs(t *testing.T) {
	t.Parallel()
	run := emacsRunner(t)
	first := strings.Replace(run(cacheDoc), "echo first body", "echo second body", 1)
	want := run(first)

	s := startServer(t, t.TempDir())
	v := s.submit(first)
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
	d := s.doc(v.ID)
	for _, name := range []string{"stamp", "tab"} {
		if b := blockOf(d, name); b.Instances[0].Attempts != 0 || !strings.HasPrefix(b.Instances[0].Message, "cached:") {
			t.Errorf("%s was run: %+v", name, b.Instances[0])
		}
	}
	if b := blockOf(d, "edited"); b.Instances[0].Attempts != 1 {
		t.Errorf("the edited block was not run: %+v", b.Instances[0])
	}
	// A restart asked for runs a cached block all the same.
	req, _ := http.NewRequest("POST", "http://"+s.addr+"/org/"+v.ID+"/blocks/stamp/restart", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("restart: %v %v", resp, err)
	}
	until(t, "the restarted block ran", func() bool {
		b := blockOf(s.doc(v.ID), "stamp")
		return b.State == engine.Finished && b.Instances[0].Attempts == 1
	})
	if _, got := s.get("/org/" + v.ID); got == want {
		t.Error("the restarted block's results did not change")
	}
}

// emacsFewerGCs lets an Emacs the tests compare with collect garbage less
// often: what it writes does not depend on when it collects, and loading
// Org and Babel and entering org-mode took 0.89 s of CPU at Emacs's
// default threshold, 0.40 s at this one (the plan package's fixtures, and
// the document's Emacs, raise it too). Five of this package's tests that
// run such an Emacs took 35.4 CPU-s before, 22.0 after (medians of 3).
const emacsFewerGCs = "(setq gc-cons-threshold (* 1024 1024 1024))"

// emacsRunner returns a function that runs a document's blocks in Emacs
// (org-babel-execute-buffer, shell blocks, or the languages langs loads,
// bash as Emacs's shell) and returns the document as Emacs leaves it.
func emacsRunner(t *testing.T, langs ...string) func(text string) string {
	t.Helper()
	load := "(shell . t)"
	if len(langs) > 0 {
		load = strings.Join(langs, " ")
	}
	emacs := outside.Need(t, "emacs-nox", "emacs")
	dir := t.TempDir()
	return func(text string) string {
		t.Helper()
		file := filepath.Join(dir, "doc.org")
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		script := `(progn ` + emacsFewerGCs + ` (require 'org) (require 'ob)
  (org-babel-do-load-languages 'org-babel-load-languages '(` + load + `))
  (setq org-confirm-babel-evaluate nil)
  (with-temp-buffer (insert-file-contents "` + file + `") (org-mode) (org-babel-execute-buffer) (princ (buffer-string))))`
		cmd := exec.Command(emacs, "-Q", "--batch", "--eval", script)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "SHELL=/bin/bash")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("emacs: %v", err)
		}
		return string(out)
	}
}
