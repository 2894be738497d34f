package engine

import (
	"fmt"
	"strings"
	"testing"
)

// TestRefTurnFoundOnce: the turn of a run a reference makes (refTurn, a
// walk up the chain of runs whose references make one another) is
// found once while the document's links stand, not for every block a
// pass, a view or a stop weighs at every turn. Over a document whose
// 2n calls (of a chain of n blocks calling one another, and by n
// blocks) the stop at line 1 holds, lifted then, the links change with
// the runs, and the walks stay under 2n² (measured: 100 for n=10, 900
// for n=30; 1,426 and 13,438 with every turn walked anew).
func TestRefTurnFoundOnce(t *testing.T) {
	for _, n := range []int{10, 30} {
		w := refTurnWalks(t, n)
		t.Logf("n=%d: %d walks", n, w)
		if w > 2*n*n {
			t.Errorf("refTurn walked %d times for %d calls: want at most %d", w, 2*n, 2*n*n)
		}
	}
}

// refTurnWalks is how many times refTurn walked up a chain over a
// document with n blocks calling one another (bK calls bK-1 with
// arguments) and n blocks calling them, past the stop js makes, held,
// then run once it is lifted.
func refTurnWalks(t *testing.T, n int) int {
	t.Helper()
	var doc strings.Builder
	doc.WriteString("#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n" +
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
		"#+name: b1\n#+begin_src sh :var n=0 :var s=slow\necho b1\n#+end_src\n\n")
	for k := 2; k <= n; k++ {
		fmt.Fprintf(&doc, "#+name: b%d\n#+begin_src sh :var n=0 :var y=b%d(n=1)\necho b%d\n#+end_src\n\n", k, k-1, k)
	}
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&doc, "#+name: u%d\n#+begin_src sh :var x=b%d(n=2)\necho u%d\n#+end_src\n\n", k, k, k)
	}
	e, rb, id := submitToReport(t, doc.String())
	jsStopsThen(t, e, rb, id, "slow")
	waitDocumentEnded(t, e, id)
	liftStop(t, e, rb, id, "x\n")
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.docs[id].refTurnsFound
}
