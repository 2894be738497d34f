// Package bench holds Borges' benchmarks of the whole server: each prints
// its figure next to a baseline measured in the same run.
//
//	go test ./bench -run '^$' -bench . -benchtime 1x
package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/api"
	"github.com/wallyqs/borges/internal/backend/local"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

func startEngine(b *testing.B, backend engine.Backend) (*engine.Engine, *store.Store, func()) {
	b.Helper()
	dir := b.TempDir()
	st, err := store.Open(filepath.Join(dir, "borges.db"))
	if err != nil {
		b.Fatal(err)
	}
	eng := engine.New(engine.Config{Backend: backend, Store: st})
	ctx, cancel := context.WithCancel(context.Background())
	if err := eng.Start(ctx); err != nil {
		b.Fatal(err)
	}
	return eng, st, func() { cancel(); st.Close() }
}

// startLocal starts an engine on the local backend in a directory of its
// own (returned), brought to its steady state with doc
// (BORGES_BENCH_STEADY); stop ends it.
func startLocal(b *testing.B, doc string) (dir string, eng *engine.Engine, stop func()) {
	b.Helper()
	dir = b.TempDir()
	backend, err := local.New(local.Config{DataDir: dir, CgroupParent: benchCgroups()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(backend.Close) // its cgroups, with BORGES_BENCH_CGROUPS=1
	eng, _, stop = startEngine(b, backend)
	steadyState(b, eng, doc)
	return dir, eng, stop
}

func trivialDoc(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "#+begin_src sh :results output\necho block %d\n#+end_src\n\n", i)
	}
	return sb.String()
}

// BenchmarkThousandBlocks: one document of 1,000 trivial blocks through
// the real server (HTTP, engine, bbolt, local processes) until its results
// document is complete, against the same 1,000 commands run by
// `xargs -P2` (two at a time) and nothing else. x-baseline is the ratio
// (goal ≤ 1.5). On a machine others share, where wall-clock time says
// more of them than of Borges, the CPU time of each side is reported
// too: the server's own (server-cpu-s), its processes' (tasks-cpu-s:
// the wrappers and what they waited for, and the keeper of the outputs),
// xargs' and its commands' (baseline-cpu-s), and x-baseline-cpu, the
// ratio of the sums. A stand-in (the keeper's fallback) is waited for by
// no process of the server's: its CPU is in none of these.
func BenchmarkThousandBlocks(b *testing.B) {
	const n = 1000
	doc := trivialDoc(n)
	xargsPath := outside.Need(b, "findutils", "xargs")
	for i := 0; i < b.N; i++ {
		_, eng, stop := startLocal(b, doc)
		srv := httptest.NewServer(api.NewHandler(eng, api.Options{}))
		stopProfile := profileTimed(b)
		cpu0, children0, keeper0 := cpuTime(), childrenCPU(), keeperCPU()
		start := time.Now()
		resp, err := http.Post(srv.URL+"/org", "text/org", strings.NewReader(doc))
		if err != nil || resp.StatusCode != 201 {
			b.Fatalf("POST: %v %v", resp, err)
		}
		id := strings.Fields(readAll(resp.Body))[0]
		for {
			// The summary, not the view of 1,000 blocks: what a poller
			// should cost the server (issue 11).
			v, _ := eng.DocumentStatus(id)
			if v.State != engine.Running {
				if v.State != engine.Finished {
					b.Fatalf("document %s", v.State)
				}
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		resp, err = http.Get(srv.URL + "/org/" + id)
		if err != nil {
			b.Fatal(err)
		}
		result := readAll(resp.Body)
		if strings.Count(result, "#+RESULTS:") != n {
			b.Fatalf("results document has %d results", strings.Count(result, "#+RESULTS:"))
		}
		borges := time.Since(start)
		serverCPU, tasksCPU := cpuTime()-cpu0, childrenCPU()-children0+keeperCPU()-keeper0
		stopProfile()
		srv.Close()
		stop()

		// Baseline: the same commands, two at a time, by xargs -P2.
		var cmds strings.Builder
		for j := 0; j < n; j++ {
			fmt.Fprintf(&cmds, "echo block %d\n", j)
		}
		xargs := exec.Command(xargsPath, "-P2", "-n1", "-d", "\n", "sh", "-c")
		xargs.Stdin = strings.NewReader(cmds.String())
		children0 = childrenCPU()
		start = time.Now()
		out, err := xargs.Output()
		if err != nil || strings.Count(string(out), "block") != n {
			b.Fatalf("xargs: %v (%d lines)", err, strings.Count(string(out), "block"))
		}
		baseline := time.Since(start)
		baselineCPU := childrenCPU() - children0
		b.ReportMetric(serverCPU.Seconds(), "server-cpu-s")
		b.ReportMetric(tasksCPU.Seconds(), "tasks-cpu-s")
		b.ReportMetric(baselineCPU.Seconds(), "baseline-cpu-s")
		b.ReportMetric((serverCPU+tasksCPU).Seconds()/baselineCPU.Seconds(), "x-baseline-cpu")
		b.ReportMetric(borges.Seconds(), "borges-s")
		b.ReportMetric(baseline.Seconds(), "baseline-s")
		b.ReportMetric(borges.Seconds()/baseline.Seconds(), "x-baseline")
	}
}

// profileTimed starts a CPU profile of the server's timed part into the
// file BORGES_BENCH_CPUPROFILE names, if set (-cpuprofile takes in the
// steady state's run and removal, and the baseline), and returns what
// stops it.
func profileTimed(b *testing.B) func() {
	b.Helper()
	name := os.Getenv("BORGES_BENCH_CPUPROFILE")
	if name == "" {
		return func() {}
	}
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// steadyState, when BORGES_BENCH_STEADY=1 asks for it, runs doc once in
// the benchmark's server and removes it, before the figures are taken:
// what a server that has documents submitted and deleted works in (the
// removed attempts' files deleted, or recycled where the backend does),
// where a fresh data directory has none.
func steadyState(b *testing.B, eng *engine.Engine, doc string) {
	b.Helper()
	if os.Getenv("BORGES_BENCH_STEADY") != "1" {
		return
	}
	v, err := eng.Submit(b.Context(), doc)
	if err != nil {
		b.Fatal(err)
	}
	for {
		d, _ := eng.DocumentStatus(v.ID)
		if d.State != engine.Running {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cpu0, start := cpuTime(), time.Now()
	if err := eng.RemoveDocument(b.Context(), v.ID); err != nil {
		b.Fatal(err)
	}
	// What the removal itself cost (its files deleted or recycled).
	b.ReportMetric(time.Since(start).Seconds(), "remove-s")
	b.ReportMetric((cpuTime() - cpu0).Seconds(), "remove-cpu-s")
}

// benchCgroups is the benchmarks' CgroupParent: none ("-"), unless
// BORGES_BENCH_CGROUPS=1 asks for a cgroup per attempt, as a server gets
// where the machine lets it (what they cost, side by side).
func benchCgroups() string {
	if os.Getenv("BORGES_BENCH_CGROUPS") == "1" {
		return "borges-bench"
	}
	return "-"
}

func readAll(r io.ReadCloser) string {
	defer r.Close()
	data, _ := io.ReadAll(r)
	return string(data)
}

// instantBackend finishes every attempt at once, without a process: it
// isolates the cost of the API, the engine and the durable store.
type instantBackend struct {
	sink func(engine.Update)
	run  bool // report finished (else keep everything queued: capacity 0)
}

func (f *instantBackend) Name() string        { return "instant" }
func (f *instantBackend) Limits() plan.Limits { return plan.Limits{} }
func (f *instantBackend) Capacity() (plan.Resources, bool) {
	if f.run {
		return plan.Resources{}, false
	}
	return plan.Resources{}, true // nothing fits: every task stays tracked
}
func (f *instantBackend) Start(ctx context.Context, sink func(engine.Update)) error {
	f.sink = sink
	return nil
}
func (f *instantBackend) Launch(ctx context.Context, a *engine.Attempt) error {
	code := 0
	go func() {
		f.sink(engine.Update{AttemptID: a.ID, State: engine.Running})
		f.sink(engine.Update{AttemptID: a.ID, State: engine.Finished, ExitCode: &code})
	}()
	return nil
}
func (f *instantBackend) Kill(ctx context.Context, id string) error                     { return nil }
func (f *instantBackend) Recover(ctx context.Context, attempts []*engine.Attempt) error { return nil }
func (f *instantBackend) CloseSession(ctx context.Context, session string) error        { return nil }

func (f *instantBackend) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	return nil, 0, nil
}

// BenchmarkPostLatency: POSTs of a small document at 500 a second over
// loopback, each stored durably (bbolt, fsync) before its 201. It reports
// p50 and p99 (goal: p99 ≤ 10 ms) and, as the baseline, the p99 of GET
// /healthz under the same load.
func BenchmarkPostLatency(b *testing.B) {
	const rate, seconds = 500, 4
	doc := "#+title: small\n#+name: a\n#+begin_src sh :cpu 0.1 :mem 16\necho hi\n#+end_src\n"
	for i := 0; i < b.N; i++ {
		eng, _, stop := startEngine(b, &instantBackend{run: true})
		srv := httptest.NewServer(api.NewHandler(eng, api.Options{}))
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
		measure := func(method, path, body string) []time.Duration {
			var mu sync.Mutex
			var lat []time.Duration
			var wg sync.WaitGroup
			tick := time.NewTicker(time.Second / rate)
			defer tick.Stop()
			for k := 0; k < rate*seconds; k++ {
				<-tick.C
				wg.Add(1)
				go func() {
					defer wg.Done()
					req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
					t0 := time.Now()
					resp, err := client.Do(req)
					d := time.Since(t0)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}()
			}
			wg.Wait()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			return lat
		}
		post := measure("POST", "/org", doc)
		health := measure("GET", "/healthz", "")
		pct := func(l []time.Duration, p float64) float64 {
			return float64(l[int(p*float64(len(l)-1))].Microseconds()) / 1000
		}
		b.ReportMetric(pct(post, 0.50), "p50-ms")
		b.ReportMetric(pct(post, 0.99), "p99-ms")
		b.ReportMetric(pct(health, 0.99), "healthz-p99-ms")
		srv.Close()
		stop()
	}
}

// BenchmarkTrackedTasks: memory of the server holding 100,000 tracked
// task instances (1,000 documents of 100 blocks, all queued). Reports the
// heap in use and the process's resident set (goal ≤ 200 MB), and the
// same process's RSS before submitting as the baseline.
func BenchmarkTrackedTasks(b *testing.B) {
	for i := 0; i < b.N; i++ {
		runtime.GC()
		before := rssMB()
		eng, _, stop := startEngine(b, &instantBackend{})
		doc := trivialDoc(100)
		for d := 0; d < 1000; d++ {
			if _, err := eng.Submit(context.Background(), doc); err != nil {
				b.Fatal(err)
			}
		}
		// Steady state: what the runtime's background scavenger would
		// give back to the system in a while, given back now.
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		b.ReportMetric(rssMB(), "rss-MB")
		b.ReportMetric(before, "rss-before-MB")
		tracked := 0
		for _, s := range eng.Documents() {
			for _, n := range s.Tasks {
				tracked += n
			}
		}
		if tracked != 100000 {
			b.Fatalf("%d tasks tracked", tracked)
		}
		stop()
	}
}

func rssMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "VmRSS:") {
			kb, _ := strconv.ParseFloat(strings.Fields(sc.Text())[1], 64)
			return kb / 1024
		}
	}
	return 0
}
