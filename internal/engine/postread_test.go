package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestPostRunValueReadByEmacs: the value of the run a :post makes of a
// block whose value only Emacs reads is read by a task of its own, after
// that run, and the value read is what is written in the place of the
// block whose :post it is (plan's TestAgainstEmacs/found_reading_post_*
// check the values against Emacs); a value Borges reads itself runs no
// such task, the run's own value written.
func TestPostRunValueReadByEmacs(t *testing.T) {
	const doc = "#+name: g\n#+begin_src ruby :var x=\"\" :results output table\nputs x\n#+end_src\n\n" +
		"#+begin_src sh :post g(x=*this*)\necho hi\n#+end_src\n"
	const post = "block-2 :post g(x=*this*)"
	for _, c := range []struct {
		name, output string
		readOut      string // what the Emacs task prints, "" when it must not run
		want         string
	}{
		{name: "read by Emacs", output: "(+ 1 2)\n", readOut: "3", want: "#+RESULTS:\n: 3\n"},
		{name: "read by Borges", output: "'(1 2)\n", want: "#+RESULTS:\n| 1 | 2 |\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, fb, stop := newTestEngine(t, t.TempDir())
			t.Cleanup(stop)
			v, err := e.Submit(context.Background(), doc)
			if err != nil {
				t.Fatal(err)
			}
			g := launchOf(t, fb, "g", 1)
			fb.setOutput(g.ID, "\n")
			finish(fb, g, Finished, 0)
			if gr := plan.ReaderOf("g"); launchedNamed(fb.launches(), gr) {
				t.Fatalf("%s launched for g's own empty output", gr)
			}
			b := launchOf(t, fb, "block-2", 1)
			fb.setOutput(b.ID, "hi\n")
			finish(fb, b, Finished, 0)
			p := launchOf(t, fb, post, 1)
			fb.setOutput(p.ID, c.output)
			finish(fb, p, Finished, 0)
			if c.readOut != "" {
				r := launchOf(t, fb, plan.ReaderOf(post), 1)
				if !strings.Contains(r.Script, "(org-babel-ruby-table-or-string") {
					t.Fatalf("reader: %q", r.Script)
				}
				fb.setOutput(r.ID, c.readOut)
				finish(fb, r, Finished, 0)
			}
			waitDocState(t, e, v.ID, Finished)
			if c.readOut == "" && launchedNamed(fb.launches(), plan.ReaderOf(post)) {
				t.Errorf("%s launched, the value read by Borges", plan.ReaderOf(post))
			}
			res, err := e.ResultDocument(context.Background(), v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(res, "echo hi\n#+end_src\n\n"+c.want) {
				t.Fatalf("results document:\n%s", res)
			}
		})
	}
}

// launchedNamed reports whether a task named name was launched.
func launchedNamed(ls []*Attempt, name string) bool {
	for _, l := range ls {
		if l.Block == name {
			return true
		}
	}
	return false
}
