package client

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	write("main.org", "#+setupfile: setup/conf.org\n#+include: \"part.org\"\n#+include: \"nums.txt\" :lines \"2-4\"\n#+begin_example\n#+include: \"not-read.org\"\n#+end_example\n")
	write("setup/conf.org", "#+PROPERTY: header-args :results output\nprose is dropped\n")
	write("part.org", "#+begin_src sh\necho part\n#+end_src")
	write("nums.txt", "1\n2\n3\n4\n5\n")
	got, err := Resolve(filepath.Join(dir, "main.org"))
	if err != nil {
		t.Fatal(err)
	}
	want := "#+PROPERTY: header-args :results output\n#+begin_src sh\necho part\n#+end_src\n2\n3\n#+begin_example\n#+include: \"not-read.org\"\n#+end_example\n"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	write("loop.org", "#+include: \"loop.org\"\n")
	if _, err := Resolve(filepath.Join(dir, "loop.org")); err == nil || !strings.Contains(err.Error(), "includes itself") {
		t.Fatalf("loop: %v", err)
	}
	write("missing.org", "text\n#+include: \"nope.org\"\n")
	if _, err := Resolve(filepath.Join(dir, "missing.org")); err == nil || !strings.Contains(err.Error(), "missing.org:2: #+include:") {
		t.Fatalf("missing: %v", err)
	}
}

// TestExpandOrigins: every line of the expanded text names the file and
// line it came from; the wrapper of a src include is the #+include: line.
func TestExpandOrigins(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.org": "#+TITLE: t\n#+setupfile: conf.org\n#+include: \"run.sh\" src sh\n#+include: \"part.org\"\nend\n",
		"conf.org": "prose\n#+PROPERTY: header-args :results output\n",
		"run.sh":   "\necho run\n",
		"part.org": "#+name: p\n#+begin_src sh :cpu x\necho p\n#+end_src\n",
	})
	main := filepath.Join(dir, "main.org")
	s, err := Expand(main)
	if err != nil {
		t.Fatal(err)
	}
	conf, run, part := filepath.Join(dir, "conf.org"), filepath.Join(dir, "run.sh"), filepath.Join(dir, "part.org")
	want := []Origin{{main, 1}, {conf, 2}, {main, 3}, {run, 2}, {main, 3}, {part, 1}, {part, 2}, {part, 3}, {part, 4}, {main, 5}}
	if got := strings.Count(s.Text, "\n"); got != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", got, len(want), s.Text)
	}
	for i, w := range want {
		if got, ok := s.Where(i + 1); !ok || got != w {
			t.Errorf("line %d (%q): from %v, want %v", i+1, strings.Split(s.Text, "\n")[i], got, w)
		}
	}
	if _, ok := s.Where(len(want) + 1); ok {
		t.Errorf("a line past the end has an origin")
	}
}

// TestExpandRefuses: what Borges will not read is an error naming the
// line, and nothing is fetched.
func TestExpandRefuses(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"a\n#+setupfile: https://example.org/setup.org\n", "main.org:2: #+setupfile: https://example.org/setup.org is a URL"},
		{"#+include: \"http://example.org/x.org\"\n", "main.org:1: #+include: http://example.org/x.org is a URL"},
		{"#+include: \"other.org::*Heading\"\n", "search options"},
		{"\n\n#+include: \"main.org\"\n", "main.org:3: #+include: main.org includes itself"},
	} {
		dir := writeFiles(t, map[string]string{"main.org": c.doc})
		_, err := Expand(filepath.Join(dir, "main.org"))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.doc, err, c.want)
		}
	}
}
