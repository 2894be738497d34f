package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// postBlocksDoc is a document of n blocks each with a :post calling f, a
// :cache yes block with a literal :var; with lisp, f has a Lisp :var
// value too, evaluated inside each :post (a task of its own each).
func postBlocksDoc(n int, lisp bool) string {
	var s strings.Builder
	vars := ":var x=\"\""
	if lisp {
		vars += " :var y=(+ 1 2)"
	}
	fmt.Fprintf(&s, "#+name: f\n#+begin_src sh :cache yes %s\necho \"$x\"\n#+end_src\n\n", vars)
	for i := range n {
		fmt.Fprintf(&s, "#+name: b%d\n#+begin_src sh :post f(x=*this*)\necho %d\n#+end_src\n\n", i, i)
	}
	return s.String()
}

// postPlanVisits plans postBlocksDoc(n, lisp) and gives the tasks looked
// at finding the Lisp :var values evaluated inside the :posts, and the
// plan's tasks.
func postPlanVisits(t testing.TB, n int, lisp bool) (visited, tasks int) {
	t.Helper()
	doc, err := org.Parse(postBlocksDoc(n, lisp))
	if err != nil {
		t.Fatal(err)
	}
	b, p, err := buildDoc(doc, Limits{}, Options{MaxTasks: 100000})
	if err != nil {
		t.Fatal(err)
	}
	want, posts := 0, 0
	if lisp {
		want = 1
	}
	for _, x := range p.Tasks {
		if !x.Post {
			continue
		}
		posts++
		if got := x.PostLispVars(); len(got) != want {
			t.Fatalf("%s: the Lisp :var values evaluated inside it are %q, want %d", x.Block, got, want)
		}
	}
	if posts != n {
		t.Fatalf("%d tasks of a :post for %d blocks with a :post", posts, n)
	}
	return b.postVisited, len(p.Tasks)
}

// TestPostPlanScales: planning a document of many blocks with a :post
// does work that grows with the document, not with its square: each
// :post's task looked for the Lisp :var values evaluated inside it among
// every task planned before it. Twice the blocks, at most 2.5 times the
// tasks looked at; with f's Lisp :var value, each :post's value task is
// found all the same.
func TestPostPlanScales(t *testing.T) {
	for _, lisp := range []bool{false, true} {
		t.Run(fmt.Sprintf("lisp=%v", lisp), func(t *testing.T) {
			const n = 200
			v1, t1 := postPlanVisits(t, n, lisp)
			v2, t2 := postPlanVisits(t, 2*n, lisp)
			t.Logf("visited %d for %d tasks, %d for %d", v1, t1, v2, t2)
			if t2 < 2*n {
				t.Fatalf("%d tasks for %d blocks with a :post", t2, 2*n)
			}
			if v2 > v1*5/2 {
				t.Errorf("%d blocks with a :post: %d tasks looked at; %d blocks: %d (×%.1f, want ≤ ×2.5)", n, v1, 2*n, v2, float64(v2)/float64(max(v1, 1)))
			}
		})
	}
}

// BenchmarkPostPlan plans documents of 250 and 1,000 blocks with a :post
// calling a :cache yes block with a literal :var (postBlocksDoc); the
// parse is outside the timer.
func BenchmarkPostPlan(b *testing.B) {
	for _, n := range []int{250, 1000} {
		doc, err := org.Parse(postBlocksDoc(n, false))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := Build(doc, Limits{}, Options{MaxTasks: 100000}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
