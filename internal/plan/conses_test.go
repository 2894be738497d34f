package plan

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/outside"
)

// TestLispConsReferences holds what a block in another language than
// Emacs Lisp makes of a cons, a dotted list, an alist or a vector an
// Emacs Lisp block returns to Emacs: where Babel's variable conversion
// signals an error, the block's render fails with it, naming its line
// and the :var, as a stop (ReferenceError, Binding): the error is not
// caught and org-babel-execute-buffer stops at that block
// (hunt17_lisp_var_values.org); where it signals none, the block runs.
// Emacs encodes each value as the reference's task does (borges--enc),
// and says for each language what org-babel-variable-assignments: does
// (shells with shell-file-name the block's language, as
// org-babel-execute:sh and :bash bind it).
func TestLispConsReferences(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	forms := []string{`'(1 . 2)`, `'(1 2 . 3)`, `'((a . 1) (b . 2))`, `'((1 (2 . 3)))`, `'(1 (2 . 3))`,
		`'((1 2) . 3)`, `'(hline (1 . 2))`, `'("x" . "y")`, `'(a . b)`, `'((1 . 2) . 3)`, `'(1 ("a" . 2.5))`,
		`[1 2]`, `'(1 [2 (3 . 4)])`, `'((1 [2 3]))`, `'(1 2)`,
		`'((1 2) (3 . 4))`, `'((1 2) ("k" . "v") (5 6 7))`, `'((1 2) (3 4 . 5))`, `'((1 2) (3 . (4 . 5)))`, `'((1 2 . 3) (4 5))`}
	langs := []string{"python", "ruby", "js", "perl", "sh", "bash"}
	answers := askEmacsPerLanguage(t, emacs, forms, langs,
		`(condition-case e (let ((shell-file-name %[1]q)) (org-babel-variable-assignments:%[1]s (list (cons :var (cons 'x v)))) "ok") (error (error-message-string e)))`)
	for i, f := range forms {
		got := answers[i]
		v := readLispVar(got[0])
		for j, l := range langs {
			want := got[1+j]
			doc, err := org.Parse("#+name: v\n#+begin_src emacs-lisp\n" + f + "\n#+end_src\n\n#+begin_src " + l + " :var x=v\necho\n#+end_src\n")
			if err != nil {
				t.Fatal(err)
			}
			p, err := Build(doc, Limits{}, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			var task *Task
			for _, tk := range p.Tasks {
				if tk.Lang == l {
					task = tk
				}
			}
			refs := map[string]Value{}
			for _, bv := range task.values {
				refs[bv.ref] = v // the block's value, run again for the reference
			}
			_, err = Render(doc, task, refs)
			switch {
			case want == "ok" && err != nil:
				t.Errorf("%s to %s: %v; Babel signals nothing", f, l, err)
			case want != "ok" && err == nil:
				t.Errorf("%s to %s: no error; Babel signals %q", f, l, want)
			case want != "ok" && !(strings.Contains(err.Error(), want) && strings.Contains(err.Error(), "line 6") && strings.Contains(err.Error(), ":var x")):
				t.Errorf("%s to %s: %v; Babel signals %q (the error names the line and the :var)", f, l, err, want)
			case want != "ok":
				// Not caught by org-babel-execute-buffer: Emacs
				// stops there, Emacs's error the stop's.
				if refErr := (*ReferenceError)(nil); !errors.As(err, &refErr) || !refErr.Binding || refErr.Emacs != want {
					t.Errorf("%s to %s: %#v; want a stop binding the value (ReferenceError, Binding) with %q", f, l, err, want)
				}
			}
		}
	}
}

// askEmacsPerLanguage has Emacs (with Babel's languages loaded) evaluate
// each of forms as v and answer, for each of langs, expr (a format of the
// language's name, %[1]s, a Lisp string: its text): for each form, the
// form's value as borges--enc prints it, then each language's answer.
func askEmacsPerLanguage(t *testing.T, emacs string, forms, langs []string, expr string) [][]string {
	t.Helper()
	var query strings.Builder
	query.WriteString("(progn (require 'org) (require 'ob)\n")
	query.WriteString("(org-babel-do-load-languages 'org-babel-load-languages '((python . t) (ruby . t) (js . t) (perl . t) (shell . t)))\n")
	query.WriteString(lispEncoder)
	for _, f := range forms {
		fmt.Fprintf(&query, "(let ((v %s)) (princ (concat (borges--enc v) \"\\0\"))\n", f)
		for _, l := range langs {
			fmt.Fprintf(&query, "  (princ (concat "+expr+" \"\\0\"))\n", l)
		}
		query.WriteString(")\n")
	}
	query.WriteString(")")
	out, err := exec.Command(emacs, "-Q", "--batch", "--eval", query.String()).Output()
	if err != nil {
		t.Fatalf("emacs: %v", err)
	}
	parts := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(parts) != len(forms)*(1+len(langs)) {
		t.Fatalf("emacs printed %d answers, not %d:\n%s", len(parts), len(forms)*(1+len(langs)), out)
	}
	answers := make([][]string, len(forms))
	for i := range forms {
		answers[i] = parts[i*(1+len(langs)) : (i+1)*(1+len(langs))]
	}
	return answers
}
