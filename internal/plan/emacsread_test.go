package plan

import (
	"strings"
	"testing"
)

// TestEmacsReadTasks: only blocks whose result Babel may evaluate as Lisp
// (Ruby's and Python's value, or output under :results output table;
// JavaScript's too, through org-babel-js-read; written somewhere) get a
// task reading it in Emacs, after the block, its results in the block's
// place; it runs only for output that needs it.
func TestEmacsReadTasks(t *testing.T) {
	cases := []struct {
		header string
		want   bool
	}{
		{"ruby :results output table", true},
		{"python :results output table", true},
		{"ruby :results output table :cache yes", true},
		{"ruby :results output", false},
		{"ruby :results output table verbatim", false},
		{"ruby :results output table silent", false},
		{"ruby", true},
		{"python :results table", true},
		{"ruby :results value scalar", false},
		{"python :results value verbatim", false},
		{"js", true},
		{"js :results output table", true},
		{"js :results output", false},
		{"sh", false},
		{"perl", false},
		{"sh :results output table", false},
		{"perl :results output table", false},
		{"ruby :results output table :instances 2", false},
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			p, err := Build(mustParse(t, "#+name: b\n"+block(c.header, "puts 1")), machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(p.Tasks) == 2; got != c.want {
				t.Fatalf("%d tasks, want a reading task: %v", len(p.Tasks), c.want)
			}
			if !c.want {
				return
			}
			rt := p.Tasks[1]
			if rt.Block != "b output read by Emacs" || !rt.ReadsOutput || rt.ResultsWith != "b" || rt.ResultsIndex() != 0 ||
				len(rt.After) != 1 || rt.After[0] != "b" || rt.Lang != "emacs-lisp" {
				t.Fatalf("reading task %+v", rt)
			}
			if EmacsReadNeeded(rt, "'(1 2)\n") || !EmacsReadNeeded(rt, "`(1 ,(+ 1 1)) x\n") {
				t.Fatal("runs when it need not, or not when it must")
			}
			prog, err := Render(mustParse(t, "#+name: b\n"+block(c.header, "puts 1")), rt, map[string]Value{"b": OutputValue("`(1 ,x)\n")})
			if err != nil || !strings.Contains(prog, `"`+"`(1 ,x)\n"+`"`) || !strings.Contains(prog, "(forward-line 1)") {
				t.Fatalf("program: %v\n%s", err, prog)
			}
		})
	}
}
