package client

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// The fixtures of the include tests are testdata/include/NAME/main.org
// and the files it includes; cmd/borges's tests check that the Emacs
// client expands every one of them as Expand does.

// orgCases are the fixtures Org 9.5 expands too: no #+setupfile: (Org
// leaves it to the exporter) and nothing Borges refuses.
var orgCases = []string{
	"src-example-wrappers", // src and example keep their wrapper, escaped
	"org-files",            // indentation, headings under the including heading, :lines, nesting
	"minlevel",             // headings moved to :minlevel, blank lines around removed
	"comment-headings",     // nothing expanded under a COMMENT heading
	"comment-after-todo",   // COMMENT after Org's own TODO keyword and a priority
	"no-final-newline",     // files without a final newline
	"export-and-lines",     // export block and a :lines range of a src include
}

// fixture copies testdata/include/NAME to a directory of its own (Emacs
// may leave lock files next to what it visits) and returns that directory.
func fixture(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "include", name))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestExpandAgainstEmacs expands each case with Emacs and with Expand.
func TestExpandAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	for _, name := range orgCases {
		t.Run(name, func(t *testing.T) {
			dir := fixture(t, name)
			out := filepath.Join(t.TempDir(), "expanded.org")
			cmd := exec.Command(emacs, "-Q", "--batch", "--eval",
				`(progn (require 'ox) (find-file "main.org") (org-export-expand-include-keyword) (write-region nil nil `+quoteLisp(out)+`))`)
			cmd.Dir = dir
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("emacs: %v\n%s", err, b)
			}
			want, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Expand(filepath.Join(dir, "main.org"))
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != string(want) {
				t.Errorf("Borges:\n%s\nEmacs:\n%s", got.Text, want)
			}
		})
	}
}

func quoteLisp(s string) string {
	b := []byte{'"'}
	for _, r := range []byte(s) {
		if r == '"' || r == '\\' {
			b = append(b, '\\')
		}
		b = append(b, r)
	}
	return string(append(b, '"'))
}
