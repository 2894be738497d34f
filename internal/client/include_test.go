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
