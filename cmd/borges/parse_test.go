package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "doc.org")
	os.WriteFile(file, []byte("#+PROPERTY: header-args :results output\n#+name: a\n#+header: :var x=1\n#+begin_src sh :cpu 2 <b>\necho \"$x\"\n#+end_src\n"), 0o644)
	var out, errb bytes.Buffer
	if code := run([]string{"parse", file}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	want := `{"line":2,"name":"a","lang":"sh","body":"echo \"$x\"","args":{"results":"output replace","exports":"code","cpu":"2 <b>","tangle":"no","hlines":"no","noweb":"no","cache":"no","session":"none"},"vars":["x=1"]}` + "\n"
	if out.String() != want {
		t.Fatalf("got  %s\nwant %s", out.String(), want)
	}
	var v map[string]any
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"parse", filepath.Join(t.TempDir(), "missing.org")}, nil, &out, &errb); code != 2 ||
		strings.Count(errb.String(), "\n") != 1 || !strings.Contains(errb.String(), "missing.org") {
		t.Fatalf("missing file: exit %d, %q", code, errb.String())
	}
}

// TestParseIncludes: parse reads what submit would send — includes
// expanded, src includes kept as blocks — and names each block by its
// line in the user's files; an unnamed block is block-N as everywhere.
func TestParseIncludes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "run.sh"), []byte("echo run\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "part.org"), []byte("\n#+name: p\n#+begin_src sh\necho p\n#+end_src\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "doc.org"), []byte("#+TITLE: t\n#+include: \"run.sh\" src sh :results output\n#+include: \"part.org\"\n"), 0o644)
	var out, errb bytes.Buffer
	if code := run([]string{"parse", filepath.Join(dir, "doc.org")}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d blocks:\n%s", len(lines), out.String())
	}
	for i, want := range []string{
		`{"line":2,"name":"block-1","unnamed":true,"lang":"sh","body":"echo run",`,
		`{"line":2,"file":"` + filepath.Join(dir, "part.org") + `","name":"p","lang":"sh","body":"echo p",`,
	} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("block %d:\n got %s\nwant %s…", i+1, lines[i], want)
		}
	}
}
