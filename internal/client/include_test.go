package client

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

func TestResolve(t *testing.T) {
	got, err := Resolve(filepath.Join(fixture(t, "resolve"), "main.org"))
	if err != nil {
		t.Fatal(err)
	}
	want := "#+PROPERTY: header-args :results output\n#+begin_src sh\necho part\n#+end_src\n2\n3\n#+begin_example\n#+include: \"not-read.org\"\n#+end_example\n"
	if got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if _, err := Resolve(filepath.Join(fixture(t, "loop"), "main.org")); err == nil || !strings.Contains(err.Error(), "includes itself") {
		t.Fatalf("loop: %v", err)
	}
	if _, err := Resolve(filepath.Join(fixture(t, "missing"), "main.org")); err == nil || !strings.Contains(err.Error(), "main.org:2: #+include:") {
		t.Fatalf("missing: %v", err)
	}
}

// TestExpandOrigins: every line of the expanded text names the file and
// line it came from; the wrapper of a src include is the #+include: line.
func TestExpandOrigins(t *testing.T) {
	dir := fixture(t, "origins")
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

// TestExpandSetupfileIncludes: a setup file brings its "#+" settings, also
// those its own includes bring, and nothing else.
func TestExpandSetupfileIncludes(t *testing.T) {
	got, err := Resolve(filepath.Join(fixture(t, "setupfile-includes"), "main.org"))
	if err != nil {
		t.Fatal(err)
	}
	settings := "#+PROPERTY: header-args :results output\n  #+options: toc:nil\n" +
		"#+author: from an include inside the setupfile\n#+LANGUAGE: en\n#+LANGUAGE: en\n"
	if want := "#+TITLE: t\n" + settings + "* Heading\n" + settings + "text\n"; got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// TestExpandRefuses: what Borges will not read is an error naming the
// line, and nothing is fetched.
func TestExpandRefuses(t *testing.T) {
	for _, c := range []struct{ fixture, want string }{
		{"refuse-setupfile-url", "main.org:2: #+setupfile: https://example.org/setup.org is a URL"},
		{"refuse-include-url", "main.org:1: #+include: http://example.org/x.org is a URL"},
		{"refuse-search", "search options"},
		{"refuse-self", "main.org:3: #+include: main.org includes itself"},
		{"refuse-nested-url", "main.org:2: #+include: " + filepath.Join("X", "part.org") + ":2: #+include: " +
			filepath.Join("X", "sub", "inner.org") + ":1: #+setupfile: HTTPS://example.org/setup.org is a URL"},
	} {
		dir := fixture(t, c.fixture)
		_, err := Expand(filepath.Join(dir, "main.org"))
		if want := strings.ReplaceAll(c.want, "X", dir); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", c.fixture, err, want)
		}
	}
}

// TestFixturesAreUsed: every fixture of testdata/include is some test's.
func TestFixturesAreUsed(t *testing.T) {
	used := map[string]bool{"resolve": true, "loop": true, "missing": true, "origins": true, "setupfile-includes": true,
		"refuse-setupfile-url": true, "refuse-include-url": true, "refuse-search": true, "refuse-self": true, "refuse-nested-url": true}
	for _, name := range orgCases {
		used[name] = true
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "include"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !used[e.Name()] {
			t.Errorf("testdata/include/%s is no test's fixture", e.Name())
		}
	}
}

// TestExpandDOSFile: a file whose lines end in CRLF, a BOM before its
// first, is expanded as Emacs's buffer of it holds it (borges.el sends
// that buffer): its #+include: lines are read and expanded, and the text
// sent has LF line ends and no BOM. Failed first: the #+include: line,
// ending in CR, left as it was.
func TestExpandDOSFile(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "main.org")
	if err := os.WriteFile(main, []byte("\ufeff* h\r\n#+include: \"part.org\"\r\n#+begin_src sh\r\necho a\r\n#+end_src\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "part.org"), []byte("text of part\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Expand(main)
	if err != nil {
		t.Fatal(err)
	}
	if want := "* h\ntext of part\n#+begin_src sh\necho a\n#+end_src\n"; s.Text != want {
		t.Fatalf("got %q\nwant %q", s.Text, want)
	}
	if want := (org.Encoding{BOM: true, EOL: "\r\n", File: true}); s.Encoding != want {
		t.Fatalf("encoding %+v, want %+v", s.Encoding, want)
	}
}

// TestExpandDOSIncludes: an included file and a setup file are read as
// Org reads them (insert-file-contents decodes them), whatever the
// including file's line ends. Failed first: the part's block was gone
// (its lines ended in CR, its first began with a BOM).
func TestExpandDOSIncludes(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "main.org")
	files := map[string]string{
		main:                            "#+setupfile: setup.org\n#+include: \"part.org\"\n#+begin_src sh\necho main\n#+end_src\n",
		filepath.Join(dir, "part.org"):  "\ufeff#+begin_src sh\r\necho part\r\n#+end_src\r\n",
		filepath.Join(dir, "setup.org"): "\ufeff#+property: header-args :results output\r\n",
	}
	for name, text := range files {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Expand(main)
	if err != nil {
		t.Fatal(err)
	}
	if want := "#+property: header-args :results output\n#+begin_src sh\necho part\n#+end_src\n#+begin_src sh\necho main\n#+end_src\n"; s.Text != want {
		t.Fatalf("got %q\nwant %q", s.Text, want)
	}
	if s.Encoding != (org.Encoding{File: true}) {
		t.Fatalf("encoding %+v, want the main file's (LF, no BOM)", s.Encoding)
	}
}
