package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// callsDocs are a document of 2,000 blocks each calling f with its own
// argument, one of a chain of calls 120 deep (c_i calls c_{i-1}(n=i)),
// and one of such a chain 80 deep whose every callee is a block of a
// session of its own, with 24 more blocks (sessions): each call brings
// a session back with it (runAgain).
func callsDocs() (wide, deep, sessions string) {
	var s strings.Builder
	s.WriteString("#+name: f\n#+begin_src sh :var n=0\necho $n\n#+end_src\n\n")
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&s, "#+name: b%d\n#+begin_src sh :var y=f(n=%d)\necho $y\n#+end_src\n\n", i, i)
	}
	wide = s.String()
	s.Reset()
	s.WriteString("#+name: c0\n#+begin_src sh :var n=0\necho $n\n#+end_src\n\n")
	for i := 1; i <= 120; i++ {
		fmt.Fprintf(&s, "#+name: c%d\n#+begin_src sh :var n=0 :var y=c%d(n=%d)\necho $y\n#+end_src\n\n", i, i-1, i)
	}
	deep = s.String()
	s.Reset()
	s.WriteString("#+name: c0\n#+begin_src sh :session s0 :var n=0\necho $n\n#+end_src\n\n")
	for i := 1; i <= 80; i++ {
		for j := range 24 {
			fmt.Fprintf(&s, "#+name: o%d_%d\n#+begin_src sh :session s%d\necho %d\n#+end_src\n\n", i-1, j, i-1, j)
		}
		fmt.Fprintf(&s, "#+name: c%d\n#+begin_src sh :session s%d :var n=0 :var y=c%d(n=%d)\necho $y\n#+end_src\n\n", i, i, i-1, i)
	}
	return wide, deep, s.String()
}

// BenchmarkRunAgainCalls: what runAgain costs, under the engine's lock,
// for a restart of one of 2,000 blocks calling f, of the top of a
// chain of calls 120 deep, and of the top of one bringing 80 sessions
// back (callsDocs).
func BenchmarkRunAgainCalls(b *testing.B) {
	e, _ := startEngine(b, b.TempDir(), newReportBackend(), Config{})
	wide, deep, sessions := callsDocs()
	for _, c := range []struct{ doc, block string }{{wide, "b1000"}, {deep, "c120"}, {sessions, "c80"}} {
		v, err := e.Submit(context.Background(), c.doc)
		if err != nil {
			b.Fatal(err)
		}
		block := c.block
		b.Run(block, func(b *testing.B) {
			e.mu.Lock()
			defer e.mu.Unlock()
			ds := e.docs[v.ID]
			x := ds.byName[block]
			if x == nil {
				b.Fatalf("no block %s", block)
			}
			for range b.N {
				e.runAgain(ds, x, e.now(), func(*blockState) string { return "restart requested" }, nil)
			}
		})
	}
}
