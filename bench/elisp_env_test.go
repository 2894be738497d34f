package bench

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
)

// BenchmarkEmacsEnvironment measures what the blocks after an Emacs Lisp
// block pay for waiting for it (they get the environment it leaves):
// through the engine and the local backend, in one process, each round
// runs a document of 100 shell blocks (shell-s, the baseline), the same
// after one Emacs Lisp block that calls setenv (elisp-first-s; x-shell is
// its ratio to the baseline), and 50 shell blocks each followed by an
// Emacs Lisp block (pairs-s). Run it on the code before the wait for the
// figures without it.
func BenchmarkEmacsEnvironment(b *testing.B) {
	outside.Need(b, "emacs-nox", "emacs")
	const n, pairs = 100, 50
	var shell, first, pair strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&shell, "#+begin_src sh\necho block %d $FOO\n#+end_src\n\n", i)
	}
	first.WriteString("#+begin_src emacs-lisp\n(setenv \"FOO\" \"bar\")\n#+end_src\n\n" + shell.String())
	for i := 0; i < pairs; i++ {
		fmt.Fprintf(&pair, "#+begin_src sh\necho block %d $FOO\n#+end_src\n\n#+begin_src emacs-lisp\n(setenv \"FOO\" \"%d\")\n#+end_src\n\n", i, i)
	}
	var total [3]time.Duration
	for i := 0; i < b.N; i++ {
		_, eng, stop := startLocal(b, shell.String())
		for k, doc := range []string{shell.String(), first.String(), pair.String()} {
			total[k] += runToEnd(b, eng, doc, 5*time.Minute)
		}
		stop()
	}
	per := func(d time.Duration) float64 { return d.Seconds() / float64(b.N) }
	b.ReportMetric(per(total[0]), "shell-s")
	b.ReportMetric(per(total[1]), "elisp-first-s")
	b.ReportMetric(per(total[2]), "pairs-s")
	b.ReportMetric(total[1].Seconds()/total[0].Seconds(), "x-shell")
}

// runToEnd submits doc to eng and waits (up to limit) until it has
// finished, which it must; it returns how long that took.
func runToEnd(b *testing.B, eng *engine.Engine, doc string, limit time.Duration) time.Duration {
	b.Helper()
	start := time.Now()
	v, err := eng.Submit(b.Context(), doc)
	if err != nil {
		b.Fatal(err)
	}
	for j := 0; ; j++ {
		d, _ := eng.DocumentStatus(v.ID)
		if d.State.Terminal() {
			if d.State != engine.Finished {
				b.Fatalf("document of %d bytes: %s", len(doc), d.State)
			}
			return time.Since(start)
		}
		if time.Duration(j)*5*time.Millisecond > limit {
			b.Fatalf("document of %d bytes did not end in %s", len(doc), limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
