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
	python := outside.Need(t, "python3", "python3")
	compareWithEmacs(t, "testdata/python.org", "(python . t)", `(setq org-babel-python-command "`+python+`")`, map[string]string{"python": python})
}

// TestJSValueAgainstEmacs does the same for JavaScript blocks run by node.
func TestJSValueAgainstEmacs(t *testing.T) {
	node := outside.Need(t, "nodejs", "node")
	compareWithEmacs(t, "testdata/js.org", "(js . t)", `(setq org-babel-js-cmd "`+node+`")`, map[string]string{"js": node})
}

// TestRubyAgainstEmacs does the same for Ruby blocks, value and output.
func TestRubyAgainstEmacs(t *testing.T) {
	ruby := outside.Need(t, "ruby", "ruby")
	compareWithEmacs(t, "testdata/ruby.org", "(ruby . t)", `(setq org-babel-ruby-command "`+ruby+`")`, map[string]string{"ruby": ruby})
}

// TestPerlAgainstEmacs does the same for Perl blocks, value and output.
func TestPerlAgainstEmacs(t *testing.T) {
	perl := outside.Need(t, "perl", "perl")
	compareWithEmacs(t, "testdata/perl.org", "(perl . t)", `(setq org-babel-perl-command "`+perl+`")`, map[string]string{"perl": perl})
}

// TestCacheHashAgainstEmacs executes blocks with :cache yes in Emacs and as
// Borges runs them and compares the documents: the hashes of
// #+RESULTS[HASH]: (literal and resolved :var values, noweb, numbers in
// header args, a stale hash replaced) must be Emacs's, byte for byte.
func TestCacheHashAgainstEmacs(t *testing.T) {
	python := outside.Need(t, "python3", "python3")
	compareWithEmacs(t, "testdata/cache.org", "(shell . t) (python . t)", `(setq org-babel-python-command "`+python+`")`, map[string]string{"python": python})
}

// TestShellVarsAgainstEmacs does the same for the variables of shell
// blocks: lists and tables for sh (one string) and bash (arrays and
// associative arrays), from literals and from other blocks' results.
func TestShellVarsAgainstEmacs(t *testing.T) {
	compareWithEmacs(t, "testdata/shellvars.org", "(shell . t)", "", nil)
}

// compareWithEmacs executes a fixture's blocks in Emacs (languages loaded
// as langs says, set up by setup) and as Borges runs them, in document
// order, each block's result feeding the blocks that refer to it and
// :cache yes blocks hashed; the two documents must be equal, byte for
// byte. interpreters overrides a language's interpreter (shells run as
// the task says).
func compareWithEmacs(t *testing.T, fixture, langs, setup string, interpreters map[string]string) {
	t.Helper()
	emacs := outside.Need(t, "emacs-nox", "emacs")
	file, _ := filepath.Abs(fixture)
	script := `(progn
  (require 'org) (require 'ob)
  (org-babel-do-load-languages 'org-babel-load-languages '(` + langs + `))
  (setq org-confirm-babel-evaluate nil)
  ` + setup + `
  (with-temp-buffer
    (insert-file-contents "` + file + `")
    (org-mode)
    (org-babel-execute-buffer)
    (princ (buffer-string))))`
	cmd := exec.Command(emacs, "-Q", "--batch", "--eval", script)
	cmd.Dir = t.TempDir()
	// The hash expands shell blocks as Emacs's own shell would: bash.
	cmd.Env = append(os.Environ(), "SHELL=/bin/bash")
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
	values := map[string]Value{}
	for _, task := range p.Tasks {
		refs := map[string]Value{}
		for _, d := range task.After {
			refs[d] = values[d]
		}
		prog, err := Render(doc, task, refs)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "script")
		os.WriteFile(path, []byte(prog), 0o600)
		valueFile := filepath.Join(dir, "value")
		interp := task.Interpreter[0]
		if i, ok := interpreters[task.Lang]; ok {
			interp = i
		}
		run := exec.Command(interp, path)
		run.Env = append(os.Environ(), "BORGES_VALUE_FILE="+valueFile)
		out, err := run.Output()
		if err != nil {
			t.Fatalf("block %s: %v\n%s", task.Block, err, prog)
		}
		if task.ValueFile {
			out, _ = os.ReadFile(valueFile)
		}
		hash, err := CacheHash(doc, task, refs)
		if err != nil {
			t.Fatal(err)
		}
		results[task.Index] = org.Result{Output: string(out), Reader: task.Reader, Hash: hash}
		values[task.Block] = ResultValue(task, string(out))
	}
	if got := doc.WriteResults(results); got != string(want) {
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

// TestCallsAgainstEmacs does the same for #+call: lines: the called block
// run with the call's arguments, its results under the call line, a
// named call's results taken by another block.
func TestCallsAgainstEmacs(t *testing.T) {
	python := outside.Need(t, "python3", "python3")
	compareWithEmacs(t, "testdata/calls.org", "(shell . t) (python . t)", `(setq org-babel-python-command "`+python+`")`, map[string]string{"python": python})
}

// TestNamedDataAgainstEmacs does the same for :var values taken from
// named tables (column names and rules as Babel treats them), plain
// lists and example blocks.
func TestNamedDataAgainstEmacs(t *testing.T) {
	python := outside.Need(t, "python3", "python3")
	compareWithEmacs(t, "testdata/namedvars.org", "(shell . t) (python . t)", `(setq org-babel-python-command "`+python+`")`, map[string]string{"python": python})
}
