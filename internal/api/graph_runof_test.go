package api

import (
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// TestGraphRunOfNoCycle: a run a reference makes stands right of the
// block it runs, but not where that block's own run waits for it (the
// runs writing one :file wait for each other in Emacs's order: the run
// at the first block's turn, then mk's own): every edge goes from a
// column to one right of it, and mk stands right of the run.
func TestGraphRunOfNoCycle(t *testing.T) {
	doc, err := org.Parse("#+begin_src sh :var f=mk\ncat $f\n#+end_src\n\n#+name: mk\n#+begin_src sh :results file :file mk.txt\necho hi\n#+end_src\n\n" +
		"#+name: gen\n#+begin_src sh\necho 1\n#+end_src\n\n#+begin_src sh :var x=gen\necho $x\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Build(doc, plan.Limits{}, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := &engine.DocumentView{ID: "d"}
	for _, task := range p.Tasks {
		v.Blocks = append(v.Blocks, engine.BlockView{Name: task.Block, Lang: task.Lang, Runnable: true, Task: task})
	}
	nodes, _ := graphLayout(v)
	byName := map[string]*graphNode{}
	runs := map[string]*graphNode{}
	for _, n := range nodes {
		byName[n.b.Name] = n
		if r := n.b.Task.RunOf(); r != "" {
			runs[r] = n
		}
	}
	for _, n := range nodes {
		for _, d := range n.deps {
			if nodes[d].layer >= n.layer {
				t.Errorf("edge %s → %s: columns %d → %d", nodes[d].b.Name, n.b.Name, nodes[d].layer, n.layer)
			}
		}
	}
	mk, run := byName["mk"], runs["mk"]
	if mk == nil || run == nil {
		t.Fatalf("no mk or no run of it: %v", p.Tasks)
	}
	if mk.layer <= run.layer {
		t.Errorf("mk in column %d, the run it waits for (%s) in %d", mk.layer, run.b.Name, run.layer)
	}
	// A run no own run waits for stands right of the block it runs.
	if gen, g := byName["gen"], runs["gen"]; gen == nil || g == nil || g.layer <= gen.layer {
		t.Errorf("the run of gen does not stand right of gen: %v %v", gen, g)
	}
}
