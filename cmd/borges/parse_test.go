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
