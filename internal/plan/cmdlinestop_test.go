package plan

import (
	"errors"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestCmdlineStopOfResultsAtRun: a bash block whose :cmdline ob-shell's
// concat takes no string of and whose :var is an earlier block's
// results. ob-shell binds the variables before it takes the string, so
// which stop Emacs makes is known only once those results are: the plan
// makes none, and RenderIn makes the binding's (a table keeping its
// rule, which bash cannot bind) or else the :cmdline's.
func TestCmdlineStopOfResultsAtRun(t *testing.T) {
	doc := "#+name: two\n" + block("emacs-lisp", `'(("k" "v") hline ("a" 1))`) +
		"#+name: b\n" + block("bash :var tb=two :hlines yes :colnames no :cmdline [97 a] :results output", `echo "[$1]"`) +
		block("sh :results output", "echo after")
	d := mustParse(t, doc)
	p, err := Build(d, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stop != "" {
		t.Fatalf("plan stops with %q, want no stop known before two has run", p.Stop)
	}
	var b *Task
	for _, task := range p.Tasks {
		if task.Block == "b" {
			b = task
		}
		if task.Replaced != "" {
			t.Errorf("%s: %s", task.Block, task.Replaced)
		}
	}
	if b == nil {
		t.Fatal("no task b")
	}
	rule := Value{Table: [][]string{{"k", "v"}, org.RuleRow(), {"a", "1"}}}
	plain := Value{Table: [][]string{{"k", "v"}, {"a", "1"}}}
	for _, c := range []struct {
		name string
		two  Value
		arg  string
		want string
	}{
		{"binding stops", rule, ":var tb", BashAssocRuleError},
		{"binding binds", plain, CmdlineArg, "Wrong type argument: characterp, a"},
	} {
		refs := map[string]Value{}
		for _, a := range b.After {
			refs[a] = c.two // two's run for the reference
		}
		_, err := Render(d, b, refs)
		var refErr *ReferenceError
		if !errors.As(err, &refErr) || refErr.Arg != c.arg || refErr.Emacs != c.want {
			t.Errorf("%s: %v, want the stop of %s: %q", c.name, err, c.arg, c.want)
		}
	}
}
