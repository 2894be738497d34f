package bench

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
)

// BenchmarkEmacsLispEdits measures what deciding each block from the Org
// buffer of the document's Emacs costs (engine's edits.go): through the
// engine and the local backend, in one process, each round runs a
// document of 200 Emacs Lisp blocks, each followed by a shell block, and
// one of 1,000, the first Emacs Lisp block of each setting a property (so
// that a report of the buffer stands before every later block, which is
// decided against it) and the others editing nothing. small-ms and
// large-ms are the time per block; x-per-block, their ratio, stays near 1
// when the cost per block does not grow with the blocks before it.
func BenchmarkEmacsLispEdits(b *testing.B) {
	outside.Need(b, "emacs-nox", "emacs")
	doc := func(n int) string {
		var d strings.Builder
		d.WriteString("* Blocks\n#+begin_src emacs-lisp :results silent\n(org-set-property \"SEEN\" \"yes\")\n#+end_src\n\n")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&d, "#+begin_src emacs-lisp\n(+ 1 %d)\n#+end_src\n\n#+begin_src sh\necho block %d\n#+end_src\n\n", i, i)
		}
		return d.String()
	}
	sizes := []int{200, 1000}
	var total [2]time.Duration
	for i := 0; i < b.N; i++ {
		for k, n := range sizes {
			_, eng, stop := startLocal(b, doc(2))
			total[k] += runToEnd(b, eng, doc(n), 10*time.Minute)
			stop()
		}
	}
	per := func(k int) float64 { return total[k].Seconds() * 1000 / float64(b.N) / float64(2*sizes[k]-1) }
	b.ReportMetric(per(0), "small-ms")
	b.ReportMetric(per(1), "large-ms")
	b.ReportMetric(per(1)/per(0), "x-per-block")
}
