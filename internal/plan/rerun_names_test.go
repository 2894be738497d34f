package plan

import (
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// TestRerunNamesDoNotNest: the runs a session chain's references make
// (sessionChainDoc: b99 :var x=b98, b98 :var x=b97...) are named after
// the block whose reference makes each and the reference, numbered when
// that name is taken ("b4 :var x=b3~2"), not after the run they are made
// in, whose name holds the whole chain above it ("b99 :var x=b98 :var
// x=b97 ..."): every name stays short, however long the chain, and
// names one task.
func TestRerunNamesDoNotNest(t *testing.T) {
	const n = 100
	_, p, err := buildDoc(parsedChain(t, n, false), Limits{}, Options{MaxTasks: 100000})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	longest := ""
	for _, x := range p.Tasks {
		if seen[x.Block] {
			t.Fatalf("two tasks named %q", x.Block)
		}
		seen[x.Block] = true
		if len(x.Block) > len(longest) {
			longest = x.Block
		}
	}
	if len(longest) > 24 {
		t.Errorf("longest name %q (%d bytes) for a chain of %d blocks", longest, len(longest), n)
	}
	for _, name := range []string{"b2 :var x=b1", "b1 :var x=b0", "b1 :var x=b0~2", "b99 :var x=b98"} {
		if !seen[name] {
			t.Errorf("no task %q", name)
		}
	}
}

// BenchmarkRerunNames plans a session chain of 100 blocks (5,050 tasks,
// the runs its references make: sessionChainDoc) and, in the same
// process, the chain of 50 as the baseline, and reports the CPU time per
// task of the larger over the baseline's (per-task-x; 1 is linear in
// tasks) and the bytes of the larger's task names per task: a ratio and
// a count, which a machine's speed and load change far less than a
// time. Names that held the chain above each run made both grow with
// the chain's length.
func BenchmarkRerunNames(b *testing.B) {
	const n = 50
	small, large := parsedChain(b, n, false), parsedChain(b, 2*n, false)
	best := [2]time.Duration{1 << 62, 1 << 62}
	tasks := [2]int{}
	names := 0
	for range b.N {
		for i, d := range []*org.Document{small, large} {
			c := cpuTime()
			_, p, err := buildDoc(d, Limits{}, Options{MaxTasks: 100000})
			best[i] = min(best[i], cpuTime()-c)
			if err != nil {
				b.Fatal(err)
			}
			tasks[i] = len(p.Tasks)
			if i == 1 {
				names = 0
				for _, x := range p.Tasks {
					names += len(x.Block)
				}
			}
		}
	}
	per := func(i int) float64 { return float64(best[i]) / float64(tasks[i]) }
	b.ReportMetric(per(1)/per(0), "per-task-x")
	b.ReportMetric(float64(names)/float64(tasks[1]), "name-bytes/task")
	b.ReportMetric(float64(best[1].Microseconds()), "large-µs")
	if tasks[1] != 2*n*(2*n+1)/2 {
		b.Fatalf("%d tasks", tasks[1])
	}
}
