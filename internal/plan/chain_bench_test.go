package plan

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// sessionChainDoc is n blocks of session s, each but the first referring
// to the one before it (:var x=bI-1): each reference runs the block it
// names again, and that run resolves its own reference, so the document
// plans n(n+1)/2 tasks (rerun.go). With replaced, the last block stands
// in the old results of block owner, written before it (a drawer), and
// is not run (markReplaced): neither are the n-1 runs its reference
// makes, each waited for only by the one after it (markUnneeded).
func sessionChainDoc(n int, replaced bool) string {
	var sb strings.Builder
	if replaced {
		sb.WriteString("#+name: owner\n#+begin_src sh :results drawer\necho hi\n#+end_src\n\n")
	}
	sb.WriteString("#+name: b0\n#+begin_src sh :session s\necho 0\n#+end_src\n\n")
	for i := 1; i < n; i++ {
		if replaced && i == n-1 {
			sb.WriteString("#+RESULTS: owner\n:results:\n")
		}
		fmt.Fprintf(&sb, "#+name: b%d\n#+begin_src sh :session s :var x=b%d\necho $((x+1))\n#+end_src\n\n", i, i-1)
	}
	if replaced {
		sb.WriteString(":end:\n")
	}
	return sb.String()
}

// chainPlan plans sessionChainDoc(n, replaced), checks its tasks (with
// replaced, the last block's and its reference's runs not run), and
// gives the builder and the tasks.
func chainPlan(tb testing.TB, doc *org.Document, n int, replaced bool) (*builder, int) {
	tb.Helper()
	b, p, err := buildDoc(doc, Limits{}, Options{MaxTasks: 100000})
	if err != nil {
		tb.Fatal(err)
	}
	want := n * (n + 1) / 2
	if replaced {
		want++ // owner
	}
	if len(p.Tasks) != want {
		tb.Fatalf("%d tasks, want %d", len(p.Tasks), want)
	}
	notRun := 0
	for _, t := range p.Tasks {
		if t.Replaced != "" {
			notRun++
		}
	}
	if wantNotRun := map[bool]int{false: 0, true: n}[replaced]; notRun != wantNotRun {
		tb.Fatalf("%d tasks not run, want %d", notRun, wantNotRun)
	}
	return b, len(p.Tasks)
}

func parsedChain(tb testing.TB, n int, replaced bool) *org.Document {
	tb.Helper()
	doc, err := org.Parse(sessionChainDoc(n, replaced))
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// TestUnneededScales: the runs a block not run no longer needs are found
// not run (markUnneeded) by work that grows with the tasks, not with
// their number times the depth of the chain of runs waiting for each
// other: a round over every task for each run of the chain found was
// 61 rounds of 1,831 tasks for a chain of 60 blocks and 121 of 7,261 for
// 120 (×8 for ×4 the tasks). Twice the blocks (four times the tasks), at
// most 4.5 times the tasks looked at.
func TestUnneededScales(t *testing.T) {
	const n = 60
	b1, t1 := chainPlan(t, parsedChain(t, n, true), n, true)
	b2, t2 := chainPlan(t, parsedChain(t, 2*n, true), 2*n, true)
	v1, v2 := b1.unneededVisited, b2.unneededVisited
	t.Logf("looked at %d for %d tasks, %d for %d", v1, t1, v2, t2)
	if float64(v2)/float64(t2) > 1.125*float64(v1)/float64(t1) {
		t.Errorf("%d tasks: %d looked at; %d tasks: %d (×%.1f for ×%.1f the tasks)", t1, v1, t2, v2, float64(v2)/float64(max(v1, 1)), float64(t2)/float64(t1))
	}
}

// BenchmarkChainPlan plans session chains (sessionChainDoc) of 60 and
// 120 blocks, 1,830 and 7,260 tasks, and the same with the last block
// not run. The parse is outside the timer.
func BenchmarkChainPlan(b *testing.B) {
	for _, replaced := range []bool{false, true} {
		for _, n := range []int{60, 120} {
			doc := parsedChain(b, n, replaced)
			b.Run(fmt.Sprintf("replaced=%v/N=%d", replaced, n), func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					chainPlan(b, doc, n, replaced)
				}
			})
		}
	}
}

// cpuTime is the CPU time this process has used: on a loaded machine,
// what planning costs, where the time it took is mostly waiting.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkChainPlanRatio plans session chains of 60 and 120 blocks
// (1,830 and 7,260 tasks) in turn, in the same process, and reports
// the CPU time per task of the larger over the smaller's (per-task-x;
// 1 is linear in tasks), the best of each over the iterations: a
// ratio, which a machine's speed and load change far less than a time.
func BenchmarkChainPlanRatio(b *testing.B) {
	for _, replaced := range []bool{false, true} {
		const n = 60
		small, large := parsedChain(b, n, replaced), parsedChain(b, 2*n, replaced)
		b.Run(fmt.Sprintf("replaced=%v", replaced), func(b *testing.B) {
			best := [2]time.Duration{1 << 62, 1 << 62}
			tasks := [2]int{}
			for range b.N {
				for i, d := range []*org.Document{small, large} {
					c := cpuTime()
					_, tasks[i] = chainPlan(b, d, n<<i, replaced)
					best[i] = min(best[i], cpuTime()-c)
				}
			}
			per := func(i int) float64 { return float64(best[i]) / float64(tasks[i]) }
			b.ReportMetric(per(1)/per(0), "per-task-x")
			b.ReportMetric(float64(best[0].Microseconds()), "small-µs")
			b.ReportMetric(float64(best[1].Microseconds()), "large-µs")
		})
	}
}

// plainChainDoc is sessionChainDoc(n, false) without the session: each
// reference is a run of its own all the same (rerun.go), n(n+1)/2 tasks.
func plainChainDoc(n int) string {
	return strings.ReplaceAll(sessionChainDoc(n, false), " :session s", "")
}

// BenchmarkPlainChainPlanRatio plans a plain chain of 120 blocks
// (plainChainDoc: 7,260 tasks, each reference a run of its own) and the
// same chain in a session, in turn, in the same process, and reports
// the CPU time of the plain chain's planning over the session chain's
// (plain-x), the best of each over the iterations.
func BenchmarkPlainChainPlanRatio(b *testing.B) {
	const n = 120
	plain, err := org.Parse(plainChainDoc(n))
	if err != nil {
		b.Fatal(err)
	}
	session := parsedChain(b, n, false)
	best := [2]time.Duration{1 << 62, 1 << 62}
	for range b.N {
		for i, d := range []*org.Document{plain, session} {
			c := cpuTime()
			_, p, err := buildDoc(d, Limits{}, Options{MaxTasks: 100000})
			best[i] = min(best[i], cpuTime()-c)
			if err != nil || len(p.Tasks) != n*(n+1)/2 {
				b.Fatalf("plan: %v", err)
			}
		}
	}
	b.ReportMetric(float64(best[0])/float64(best[1]), "plain-x")
	b.ReportMetric(float64(best[0].Microseconds()), "plain-µs")
	b.ReportMetric(float64(best[1].Microseconds()), "session-µs")
}
