package plan

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// fileChainDoc is n blocks each writing a file of its own (:results file
// :file fI.txt), each but the first referring to the one before it: each
// reference runs the block it names again (rerun.go), so the document
// plans n(n+1)/2 tasks, and block bI's file is written by its own run and
// by a run at the turn of every block after it.
func fileChainDoc(n int) string {
	var sb strings.Builder
	sb.WriteString("#+name: b0\n#+begin_src sh :results file :file f0.txt\necho 0\n#+end_src\n\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&sb, "#+name: b%d\n#+begin_src sh :results file :file f%d.txt :var x=b%d\ncat $x; echo %d\n#+end_src\n\n", i, i, i-1, i)
	}
	return sb.String()
}

// fileChainPlan plans fileChainDoc(n) and gives the builder and the number
// of tasks; each block's own run past the first reads the file the run
// of the block before it at its turn wrote (and those of the runs that
// run makes).
func fileChainPlan(t *testing.T, n int) (*builder, int) {
	t.Helper()
	doc, err := org.Parse(fileChainDoc(n))
	if err != nil {
		t.Fatal(err)
	}
	b, p, err := buildDoc(doc, Limits{}, Options{MaxTasks: 100000})
	if err != nil {
		t.Fatal(err)
	}
	if want := n * (n + 1) / 2; len(p.Tasks) != want {
		t.Fatalf("%d tasks, want %d", len(p.Tasks), want)
	}
	for _, task := range p.Tasks {
		if task.called != nil || task.Index <= 0 {
			continue
		}
		want := fmt.Sprintf("f%d.txt", task.Index-1)
		if !slices.ContainsFunc(task.ReadsFiles, func(f FileRead) bool { return f.Path == want && b.byName[f.Block].callOf == task.Block }) {
			t.Fatalf("%s reads %v, want %s of the run its reference makes", task.Block, task.ReadsFiles, want)
		}
	}
	return b, len(p.Tasks)
}

// TestFileReadsScales: ordering the runs that write one :file and the
// readers after their writers (markFileReads) does work that grows with
// the tasks, not with their square: a walk of the task graph for each
// writer of a path and each reader was 27 s of CPU and 6 GB for a chain
// of 141 such blocks (10,011 tasks). Twice the blocks (3.9 times the
// tasks), at most 4.5 times the tasks looked at.
func TestFileReadsScales(t *testing.T) {
	const n = 30
	b1, t1 := fileChainPlan(t, n)
	b2, t2 := fileChainPlan(t, 2*n)
	v1, v2 := b1.fileReadsVisited, b2.fileReadsVisited
	t.Logf("looked at %d for %d tasks, %d for %d", v1, t1, v2, t2)
	if v2 > v1*9/2 {
		t.Errorf("%d tasks: %d looked at; %d tasks: %d (×%.1f for ×%.1f the tasks, want ≤ ×4.5)", t1, v1, t2, v2, float64(v2)/float64(max(v1, 1)), float64(t2)/float64(t1))
	}
}

// TestWaitOrder: the order markFileReads keeps answers as a walk of the
// whole task graph does while waits are added, those that go against
// the order (a task waiting for one that stood after it) included, and
// stays an order in which each task stands after those it waits for.
func TestWaitOrder(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 1))
		n := 2 + r.IntN(30)
		b := &builder{plan: &Plan{}, byName: map[string]*Task{}}
		// Waits from a shuffled rank to lower ones: a graph with no
		// cycle whose tasks the plan does not hold in its order.
		rank := r.Perm(n)
		for i := range n {
			task := &Task{Block: fmt.Sprintf("t%d", i)}
			b.plan.Tasks = append(b.plan.Tasks, task)
			b.byName[task.Block] = task
		}
		for i, x := range b.plan.Tasks {
			for j, y := range b.plan.Tasks {
				if rank[j] < rank[i] && r.IntN(4) == 0 {
					x.After = append(x.After, y.Block)
				}
			}
		}
		o := b.newWaitOrder()
		if o.walk {
			t.Fatalf("seed %d: no order for a graph with no cycle", seed)
		}
		added := 0
		for range 4 * n {
			x, y := b.plan.Tasks[r.IntN(n)], b.plan.Tasks[r.IntN(n)]
			want := b.waitsFor(x, y.Block)
			if got := o.waitsFor(x, y); got != want {
				t.Fatalf("seed %d: %s waits for %s: %v, want %v", seed, x.Block, y.Block, got, want)
			}
			if x != y && !want && !b.waitsFor(y, x.Block) && !slices.Contains(y.After, x.Block) {
				y.After = append(y.After, x.Block)
				o.added(y, x)
				added++
			}
		}
		for i, x := range o.tasks {
			for _, d := range o.after[i] {
				if o.ord[d] >= o.ord[i] {
					t.Fatalf("seed %d: %s stands at %d, before %s it waits for (%d)", seed, x.Block, o.ord[i], o.tasks[d].Block, o.ord[d])
				}
			}
		}
		if added == 0 {
			t.Logf("seed %d: no wait added", seed)
		}
	}
}
