package plan

import (
	"maps"
	"slices"
	"testing"
)

// TestRefArgsReplacedRefRunsPerReference: later's replaced value names
// an Emacs Lisp block (a session's: the document's Emacs), which Emacs
// runs again at each reference with arguments, before the referring
// block: each is a task of its own that the call or the referring
// block waits for (the second reference's call being a run of its own,
// as each place that makes a call is); a #+call: line (read light) runs
// none.
func TestRefArgsReplacedRefRunsPerReference(t *testing.T) {
	p := mustPlan(t, "#+begin_src sh :var z=later(y=7)\necho \"$z\"\n#+end_src\n\n"+
		"#+begin_src sh :var z=later(y=7)\necho \"$z\"\n#+end_src\n\n"+
		"#+name: side\n#+begin_src emacs-lisp\n(insert \"x\")\n#+end_src\n\n"+
		"#+name: later\n#+begin_src sh :var y=side\necho \"$y\"\n#+end_src\n\n#+call: later(y=9)\n")
	runs := map[string]*Task{}
	byCall := map[string]*Task{} // the runs, by the run they are made in
	for _, x := range p.Tasks {
		if x.Lang == "emacs-lisp" {
			runs[x.Block] = x
			byCall[x.CallOf()] = x
		}
	}
	first, second := byCall["later(y=7)"], byCall["block-2 :var z=later(y=7)"]
	if first == nil || second == nil || len(runs) != 4 {
		t.Fatalf("Emacs Lisp runs %v, want side, later's own reference's, one per reference with arguments", slices.Collect(maps.Keys(runs)))
	}
	for name, want := range map[string]string{"later(y=7)": first.Block, "block-2 :var z=later(y=7)": second.Block} {
		i := slices.IndexFunc(p.Tasks, func(x *Task) bool { return x.Block == name })
		if i < 0 || !slices.Contains(p.Tasks[i].After, want) || p.Tasks[i].OrdersOnly(want) {
			t.Errorf("%s does not wait for %s, as a reference", name, want)
		}
	}
}
