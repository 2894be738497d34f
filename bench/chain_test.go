package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
)

// chainDoc is n blocks, each taking the previous one's result through
// :var and adding one: a dependency hop per block. They are :cache yes,
// so that each reference is served by the block's one run, its hash
// current there (as in Emacs): a plain chain is n(n+1)/2 runs, each
// reference running the block it names again, and a chain of 2,000 is
// refused past #+borges_max_tasks.
func chainDoc(n int) string {
	var sb strings.Builder
	sb.WriteString("#+name: b0\n#+begin_src sh :cache yes\necho 0\n#+end_src\n\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&sb, "#+name: b%d\n#+begin_src sh :cache yes :var x=b%d\necho $((x+1))\n#+end_src\n\n", i, i-1)
	}
	return sb.String()
}

// BenchmarkChain runs a chain of BORGES_CHAIN (default 2,000) blocks
// through the engine and the local backend, and the same commands one
// after the other from a shell script as the baseline. blocks/s is the
// figure (goal ≥ 200); x-baseline the ratio. On a machine others share,
// where wall-clock time says more of them than of Borges, the CPU time of
// the server (server-cpu-ms/block: the engine, the backend) and of its
// processes (tasks-cpu-ms/block: the wrappers and what they waited for)
// are reported too.
func BenchmarkChain(b *testing.B) {
	n := 2000
	if v := os.Getenv("BORGES_CHAIN"); v != "" {
		fmt.Sscan(v, &n)
	}
	doc := chainDoc(n)
	for i := 0; i < b.N; i++ {
		dir, eng, stop := startLocal(b, doc)
		cpu0, children0 := cpuTime(), childrenCPU()
		start := time.Now()
		v, err := eng.Submit(b.Context(), doc)
		if err != nil {
			b.Fatal(err)
		}
		// Waiting reads the last block's state alone: a view of the
		// whole document each time would cost the engine as much as the
		// chain (the lock it holds is the scheduler's).
		last := fmt.Sprintf("b%d", n-1)
		for {
			_, _, ended, err := eng.ReadLog(b.Context(), v.ID, last, 0, "stdout", 0, 64)
			if err != nil {
				b.Fatal(err)
			}
			if ended {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		borges := time.Since(start)
		serverCPU, tasksCPU := cpuTime()-cpu0, childrenCPU()-children0
		// The document ends once the last block's output has been
		// read for whether its results stop Emacs: waited for,
		// bounded, after the timing.
		var d *engine.DocumentView
		for range 12000 {
			if d, _ = eng.Document(v.ID); d != nil && d.State != engine.Running && d.State != engine.Queued {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if d == nil || d.State != engine.Finished {
			b.Fatalf("document %+v", d)
		}
		if os.Getenv("BORGES_CHAIN_HOPS") != "" {
			d, _ := eng.Document(v.ID)
			var gap, run, first, last time.Duration
			tenth := max((n-1)/10, 1)
			for k := 1; k < len(d.Blocks); k++ {
				prev, cur := d.Blocks[k-1].Instances[0], d.Blocks[k].Instances[0]
				hop := cur.StartedAt.Sub(*prev.FinishedAt)
				gap += hop
				run += cur.FinishedAt.Sub(*cur.StartedAt)
				if k <= tenth {
					first += hop
				}
				if k >= n-tenth {
					last += hop
				}
			}
			b.Logf("mean hop (end → next start) %v, mean run (start → end) %v; mean hop of the first tenth %v, of the last %v",
				gap/time.Duration(n-1), run/time.Duration(n-1), first/time.Duration(tenth), last/time.Duration(tenth))
		}
		text, err := eng.ResultDocument(b.Context(), v.ID)
		if err != nil || !strings.Contains(text, fmt.Sprintf("]: b%d\n: %d\n", n-1, n-1)) {
			b.Fatalf("last result missing (%v)", err)
		}
		stop()

		// Baseline: each command as its own sh, one after the other,
		// its output read and passed on, as a shell loop would.
		var script strings.Builder
		script.WriteString("x=0\n")
		for j := 1; j < n; j++ {
			script.WriteString("x=$(sh -c 'echo $(($1+1))' _ \"$x\")\n")
		}
		path := filepath.Join(dir, "baseline.sh")
		os.WriteFile(path, []byte(script.String()), 0o600)
		start = time.Now()
		if out, err := exec.Command("sh", path).CombinedOutput(); err != nil {
			b.Fatalf("baseline: %v %s", err, out)
		}
		baseline := time.Since(start)
		b.ReportMetric(float64(n)/borges.Seconds(), "blocks/s")
		b.ReportMetric(float64(n)/baseline.Seconds(), "baseline-blocks/s")
		b.ReportMetric(borges.Seconds()/baseline.Seconds(), "x-baseline")
		b.ReportMetric(serverCPU.Seconds()*1000/float64(n), "server-cpu-ms/block")
		b.ReportMetric(tasksCPU.Seconds()*1000/float64(n), "tasks-cpu-ms/block")
	}
}
