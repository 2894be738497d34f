package plan

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/outside"
)

// TestPythonValueAgainstEmacs runs Python blocks as Borges runs them (the
// value-mode wrapper, the value read from BORGES_VALUE_FILE) and compares
// the written-back document with what org-babel-execute-buffer leaves in
// Emacs, byte for byte.
func TestPythonValueAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	python := outside.Need(t, "python3", "python3")
	file, _ := filepath.Abs("testdata/python.org")
	script := `(progn
  (require 'org) (require 'ob)
  (org-babel-do-load-languages 'org-babel-load-languages '((python . t)))
  (setq org-confirm-babel-evaluate nil org-babel-python-command ` + `"` + python + `"` + `)
  (with-temp-buffer
    (insert-file-contents ` + `"` + file + `"` + `)
    (org-mode)
    (org-babel-execute-buffer)
    (princ (buffer-string))))`
	cmd := exec.Command(emacs, "-Q", "--batch", "--eval", script)
	cmd.Dir = t.TempDir()
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("emacs: %v", err)
	}
	text, _ := os.ReadFile(file)
	doc, err := org.Parse(string(text))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(doc, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	results := map[int]org.Result{}
	for _, task := range p.Tasks {
		prog, err := Render(doc, task, nil)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "script")
		os.WriteFile(path, []byte(prog), 0o600)
		valueFile := filepath.Join(dir, "value")
		run := exec.Command(python, path)
		run.Env = append(os.Environ(), "BORGES_VALUE_FILE="+valueFile)
		out, err := run.Output()
		if err != nil {
			t.Fatalf("block %s: %v\n%s", task.Block, err, prog)
		}
		if task.ValueFile {
			v, _ := os.ReadFile(valueFile)
			results[task.Index] = org.Result{Output: string(v), PythonValue: true}
		} else {
			results[task.Index] = org.Result{Output: string(out)}
		}
	}
	got := doc.WriteResults(results)
	if got != string(want) {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := 0; i < len(wl) || i < len(gl); i++ {
			var a, b string
			if i < len(wl) {
				a = wl[i]
			}
			if i < len(gl) {
				b = gl[i]
			}
			if a != b {
				t.Fatalf("line %d differs:\n emacs  %q\n borges %q\n\nEmacs:\n%s", i+1, a, b, want)
			}
		}
	}
}
