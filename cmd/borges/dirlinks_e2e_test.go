package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestDirLinksE2E: `borges submit FILE` sends the file's directory and the
// home directory, and the server writes the links of :results file blocks
// whose :dir is absolute or "~/…" relative to that directory, as Emacs
// writes them visiting FILE (org-babel-result-to-file; checked against
// Emacs in the plan's testdata/dirabs.org) — also after a restart of the
// server. A document sent without them keeps the absolute path.
func TestDirLinksE2E(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	s := startServer(t, data)
	docDir, abs, home := t.TempDir(), t.TempDir(), t.TempDir()
	doc := "#+begin_src sh :dir " + abs + "/out :mkdirp yes :results file :file a.txt\necho a\n#+end_src\n\n" +
		"#+begin_src sh :dir ~/w :mkdirp yes :results file :file h.txt :file-desc\necho h\n#+end_src\n\n" +
		"#+begin_src sh :dir " + docDir + " :results file :file e.txt\necho e\n#+end_src\n"
	file := filepath.Join(docDir, "doc.org")
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(binary, "submit", file)
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "BORGES_ADDR="+s.addr, "HOME="+home)
	if err := cmd.Run(); err != nil {
		t.Fatalf("submit: %v\n%s", err, errb.String())
	}
	id := strings.TrimSpace(out.String())
	until(t, "finished", func() bool { return s.doc(id).State.Terminal() })
	if d := s.doc(id); d.State != engine.Finished {
		t.Fatalf("document %s: %+v", d.State, d.Blocks)
	}
	rel := func(p string) string {
		r, err := filepath.Rel(docDir, p)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	want := []string{
		"[[file:" + rel(filepath.Join(abs, "out", "a.txt")) + "]]",
		"[[file:" + rel(filepath.Join(home, "w", "h.txt")) + "][h.txt]]",
		"[[file:e.txt]]",
	}
	check := func(s *server, when string) {
		_, got := s.get("/org/" + id)
		for _, w := range want {
			if !strings.Contains(got, w) || !strings.HasPrefix(w, "[[file:../") && w != "[[file:e.txt]]" {
				t.Errorf("%s: no %s in\n%s", when, w, got)
			}
		}
	}
	check(s, "submitted")
	s.stop()
	check(startServer(t, data), "after a restart")

	// Sent without a directory: the path as the server knows it.
	s3 := startServer(t, t.TempDir())
	v := s3.submit(doc)
	until(t, "finished", func() bool { return s3.doc(v.ID).State.Terminal() })
	if _, got := s3.get("/org/" + v.ID); !strings.Contains(got, "[[file:"+abs+"/out/a.txt]]") {
		t.Errorf("without a directory:\n%s", got)
	}
}
