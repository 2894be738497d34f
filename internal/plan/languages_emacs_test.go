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
		// Indexed references: tbl[1,0], [1], [,0], [0:1], [-1,-1], of
		// named tables and of results.
		{"indexed references", "testdata/indexes.org", "(shell . t) (python . t) (perl . t)", "python3", "python3", `(setq org-babel-python-command "%s")`, "python"},
		// :stdin NAME and :cmdline for shells.
		{"standard input and arguments", "testdata/stdin.org", "(shell . t)", "", "", "", ""},
		// Blocks of one name, calls of named calls.
		{"names", "testdata/names.org", "(shell . t) (python . t)", "python3", "python3", `(setq org-babel-python-command "%s")`, "python"},
		// Blocks called with arguments: :var x=sq(n=7), <<sq(n=3)>>,
		// :stdin.
		{"blocks called with arguments", "testdata/called.org", "(shell . t) (python . t)", "python3", "python3", `(setq org-babel-python-command "%s")`, "python"},
		// :post: a block called with *this*, its result in the block's
		// place.
		{"post-processing", "testdata/post.org", "(shell . t) (python . t)", "python3", "python3", `(setq org-babel-python-command "%s")`, "python"},
		// References, calls with arguments, :stdin, :cmdline and :post
		// across Ruby, JavaScript, Perl and shells.
		{"references in every language", "testdata/refsmore.org", "(shell . t) (ruby . t) (js . t) (perl . t)", "ruby", "ruby", `(setq org-babel-ruby-command "%s")`, "ruby"},
		// Tables and lists reach Perl as nested array references.
		{"perl variables", "testdata/perlvars.org", "(perl . t) (python . t)", "perl", "perl", `(setq org-babel-perl-command "%s")`, "perl"},
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
		var run *exec.Cmd
		if len(task.Interpreter) == 0 {
			// :shebang: the script runs by its #! line.
			os.Chmod(path, 0o700)
			run = exec.Command(path, task.CmdLine...)
		} else {
			interp := task.Interpreter[0]
			if i, ok := interpreters[task.Lang]; ok {
				interp = i
			}
			run = exec.Command(interp, append([]string{path}, task.CmdLine...)...)
		}
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
		if task.ResultsIndex() >= 0 { // a block called with arguments writes nothing
			results[task.ResultsIndex()] = org.Result{Output: string(out), Reader: task.Reader, Hash: hash}
		}
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
