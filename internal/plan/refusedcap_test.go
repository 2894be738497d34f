package plan

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// refusedChainDoc is block tick, readers blocks reading r1 (:var a=r1),
// then depth blocks :eval refuses, r1 to rDepth, each naming the next
// (twice with twice: :var a=rN :var b=rN), the last naming tick, and a
// block reading r0 when withR0 (r0 :eval refuses too, naming r1).
// Each reading of r1 runs tick once, or 2^(depth-1) times with twice.
func refusedChainDoc(readers, depth int, twice, withR0 bool) string {
	var sb strings.Builder
	sb.WriteString("#+name: tick\n#+begin_src sh\necho t >> en.txt\n#+end_src\n\n")
	for i := 0; i < readers; i++ {
		sb.WriteString("#+begin_src sh :var a=r1\necho \"$a\"\n#+end_src\n\n")
	}
	for i := 1; i <= depth; i++ {
		v := fmt.Sprintf(":var a=r%d", i+1)
		if twice {
			v += fmt.Sprintf(" :var b=r%d", i+1)
		}
		if i == depth {
			v = ":var x=tick"
		}
		fmt.Fprintf(&sb, "#+name: r%d\n#+begin_src sh :eval no %s\necho r\n#+end_src\n\n", i, v)
	}
	if withR0 {
		sb.WriteString("#+name: r0\n#+begin_src sh :eval no :var y=r1\necho r\n#+end_src\n\n")
		sb.WriteString("#+begin_src sh :var a=r0\nwc -l < en.txt\n#+end_src\n")
	}
	return sb.String()
}

// TestRefusedRunsOverTheLimit: the runs readings of blocks :eval refuses
// make count against #+borges_max_tasks like any reference's, those of
// a refused block's own turn too (planned tentatively, rolled back where
// they cannot be planned): past the limit the document is refused with
// the problem, not planned cut short.
func TestRefusedRunsOverTheLimit(t *testing.T) {
	opts := DefaultOptions
	opts.MaxTasks = 10
	for _, c := range []struct {
		name, doc string
	}{
		// Emacs runs tick 8 times (its own, one for each of four
		// readings of r1, r1's turn, r0's turn reading r1, the last
		// block's reading of r0): 13 tasks.
		{"limit reached at a refused turn", refusedChainDoc(4, 1, false, true)},
		// Each refused block's turn reads the rest of the chain: r1's
		// runs tick 2^5 times.
		{"chain read twice at each step", refusedChainDoc(0, 6, true, false)},
		{"chain read twice, and a reader", refusedChainDoc(1, 6, true, false)},
		// Four readers of tick (a run and the block's own task each),
		// then one more: its run is the tenth task, its own the
		// eleventh.
		{"one over", "#+name: tick\n#+begin_src sh\necho t\n#+end_src\n\n" + strings.Repeat("#+begin_src sh :var a=tick\necho \"$a\"\n#+end_src\n\n", 5)},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Build(mustParse(t, c.doc), Limits{}, opts)
			var rej *RejectError
			if !errors.As(err, &rej) || !strings.Contains(err.Error(), "at most 10") {
				n := 0
				if p != nil {
					n = len(p.Tasks)
				}
				t.Fatalf("got %v (%d tasks), want the document refused for more than 10 tasks", err, n)
			}
		})
	}
	if _, err := Build(mustParse(t, refusedChainDoc(1, 1, false, false)), Limits{}, opts); err != nil {
		t.Fatalf("a reading under the limit: %v", err)
	}
}
