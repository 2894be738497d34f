package plan

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/outside"
)

// TestAgainstEmacs runs each fixture's blocks as Borges runs them (value
// wrappers, values read from BORGES_VALUE_FILE, :var values resolved from
// other blocks' results, #+call: lines, :cache hashes) and compares the
// written-back document with what org-babel-execute-buffer leaves in
// Emacs, byte for byte.
func TestAgainstEmacs(t *testing.T) {
	cases := []struct {
		name, fixture string
		langs         string // org-babel-load-languages
		program, pkg  string // the interpreter the fixture needs, its Debian package
		setup         string // Lisp that sets Babel's command for it (%s: its path)
		lang          string // the language whose interpreter it is
	}{
		{"python values", "testdata/python.org", "(python . t)", "python3", "python3", `(setq org-babel-python-command "%s")`, "python"},
		{"javascript values", "testdata/js.org", "(js . t)", "node", "nodejs", `(setq org-babel-js-cmd "%s")`, "js"},
		{"ruby values and output", "testdata/ruby.org", "(ruby . t)", "ruby", "ruby", `(setq org-babel-ruby-command "%s")`, "ruby"},
		{"perl values and output", "testdata/perl.org", "(perl . t)", "perl", "perl", `(setq org-babel-perl-command "%s")`, "perl"},
		// Literal and resolved :var values, noweb, numbers in header
		// args, a stale hash replaced.
		{"cache hashes", "testdata/cache.org", "(shell . t) (python . t)", "python3", "python3", `(setq org-babel-python-command "%s")`, "python"},
		// Lists and tables for sh (one string) and bash (arrays and
		// associative arrays), from literals and from results.
		{"shell variables", "testdata/shellvars.org", "(shell . t)", "", "", "", ""},
		// Arguments, inside and outside header args, a named call
		// feeding another block.
		{"calls", "testdata/calls.org", "(shell . t) (python . t)", "python3", "python3", `(setq org-babel-python-command "%s")`, "python"},
		// Named tables (column names, rules), lists, example blocks.
		{"named data", "testdata/namedvars.org", "(shell . t) (python . t)", "python3", "python3", `(setq org-babel-python-command "%s")`, "python"},
		// Values, tables, output, pp and code, :var values Lisp
		// evaluates, :lexical, the document's context.
		{"emacs lisp", "testdata/elisp.org", "(emacs-lisp . t)", "", "", "", ""},
		// Inline blocks in paragraphs and items: results macros added
		// and replaced, :results and :wrap forms, commas escaped.
		{"inline blocks", "testdata/inline.org", "(shell . t) (python . t) (emacs-lisp . t)", "python3", "python3", `(setq org-babel-python-command "%s")`, "python"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			setup, interpreters := "", map[string]string{}
			if c.program != "" {
				path := outside.Need(t, c.pkg, c.program)
				setup = fmt.Sprintf(c.setup, path)
				interpreters[c.lang] = path
			}
			compareWithEmacs(t, c.fixture, c.langs, setup, interpreters)
		})
	}
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
    (let ((coding-system-for-write 'utf-8-unix))
      (write-region nil nil "emacs.org"))))`
	// The document goes to a file: blocks (Emacs Lisp's print, pp) may
	// write on standard output.
	cmd := exec.Command(emacs, "-Q", "--batch", "--eval", script)
	cmd.Dir = t.TempDir()
	// The hash expands shell blocks as Emacs's own shell would: bash.
	cmd.Env = append(os.Environ(), "SHELL=/bin/bash")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	want, err := os.ReadFile(filepath.Join(cmd.Dir, "emacs.org"))
	if err != nil {
		t.Fatal(err)
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
		argv := append(append([]string{}, task.Interpreter[1:]...), path)
		run := exec.Command(interp, argv...)
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
