package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/api"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// scaleDoc is document d of the scale benchmarks: a title and n named
// trivial blocks.
func scaleDoc(d, n int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "#+title: Report %d\n\n", d)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "* Part %d\n#+name: b%d\n#+begin_src sh :results output\necho block %d of report %d\n#+end_src\n\n", i, i, i, d)
	}
	return sb.String()
}

// scaleStore writes a database of docs documents of blocks blocks each,
// every task finished (and every fifth document's last block failed), as
// a server that ran them leaves it; running of them (the newest) have
// their last block still running. It returns the database's path.
func scaleStore(b *testing.B, docs, blocks, running int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "borges.db")
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	t0 := time.Now().Add(-time.Duration(docs) * time.Minute)
	work := make(chan int)
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	// Many at once: the store's batches share one commit between them.
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				id := fmt.Sprintf("d%07d", d)
				sub := t0.Add(time.Duration(d) * time.Minute)
				var ins []*store.Instance
				for i := 0; i < blocks; i++ {
					started, ended := sub.Add(time.Second), sub.Add(2*time.Second)
					code := 0
					in := &store.Instance{DocID: id, Block: fmt.Sprintf("b%d", i), State: string(engine.Finished), Attempts: 1,
						AttemptID: engine.AttemptID(id, i, fmt.Sprintf("b%d", i), 0, 1), ExitCode: &code,
						StartedAt: &started, FinishedAt: &ended}
					if i == blocks-1 && d%5 == 0 {
						code = 1
						in.State, in.Message = string(engine.Failed), "exit status 1"
					}
					if i == blocks-1 && d >= docs-running {
						in.State, in.ExitCode, in.FinishedAt, in.Message = string(engine.Running), nil, nil, ""
					}
					ins = append(ins, in)
				}
				if err := st.AddDocument(&store.Document{ID: id, Text: scaleDoc(d, blocks), Title: fmt.Sprintf("Report %d", d), SubmittedAt: sub}, ins); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for d := 0; d < docs; d++ {
		work <- d
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	return path
}

// restartOnce opens the database at path, starts an engine and the API
// over it, and measures how long until /healthz answers and until a small
// document is accepted. It stops everything before returning.
func restartOnce(b *testing.B, path string) (health, accept, cpu time.Duration) {
	b.Helper()
	cpu0 := cpuTime()
	start := time.Now()
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	eng := engine.New(engine.Config{Backend: &instantBackend{run: true}, Store: st})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := eng.Start(ctx); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api.NewHandler(eng, api.Options{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	health = time.Since(start)
	resp, err = http.Post(srv.URL+"/org", "text/org", strings.NewReader("#+name: a\n#+begin_src sh\necho hi\n#+end_src\n"))
	if err != nil || resp.StatusCode != 201 {
		b.Fatalf("POST: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	accept = time.Since(start)
	return health, accept, cpuTime() - cpu0
}

// cpuTime is the CPU time this process has used, user and system: on a
// machine others share, what the work costs apart from the waiting.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childrenCPU is the CPU time of this process's children that were
// waited for, user and system.
func childrenCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// keeperCPU is the CPU time, user and system, of this process's children
// that are keepers of the outputs (the local backend's, one a backend):
// not waited for while they run, so not in childrenCPU.
func keeperCPU() time.Duration {
	entries, _ := os.ReadDir("/proc")
	var ticks uint64
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || !strings.HasPrefix(string(cmdline), "borges-keeper\x00") {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// The fields after the command's name, which ends at the last ")".
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) < 13 || f[1] != strconv.Itoa(os.Getpid()) {
			continue
		}
		u, _ := strconv.ParseUint(f[11], 10, 64)
		s, _ := strconv.ParseUint(f[12], 10, 64)
		ticks += u + s
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ
}

// BenchmarkRestart: a server restarted over 100,000 finished tasks
// (10,000 documents of 10 blocks; ten of them with a block still
// running) until it answers /healthz and until it accepts a document,
// against the same over an empty database (the baseline). Goal: 2 s.
func BenchmarkRestart(b *testing.B) {
	empty := scaleStore(b, 0, 0, 0)
	full := scaleStore(b, 10000, 10, 10)
	for b.Loop() {
		baseH, baseA, baseC := restartOnce(b, empty)
		h, a, c := restartOnce(b, full)
		b.ReportMetric(float64(h.Microseconds())/1000, "healthz-ms")
		b.ReportMetric(float64(a.Microseconds())/1000, "accept-ms")
		b.ReportMetric(float64(baseH.Microseconds())/1000, "empty-healthz-ms")
		b.ReportMetric(float64(baseA.Microseconds())/1000, "empty-accept-ms")
		b.ReportMetric(ms(c), "cpu-ms")
		b.ReportMetric(ms(baseC), "empty-cpu-ms")
	}
}

// scaleServer restarts a server over the database at path (made by
// scaleStore) and serves its API; everything stops at the end of the
// benchmark.
func scaleServer(b *testing.B, path string, opts plan.Options) (*engine.Engine, *httptest.Server) {
	b.Helper()
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	eng := engine.New(engine.Config{Backend: &instantBackend{run: true}, Store: st, Plan: opts, MaxTracked: 1 << 20})
	ctx, cancel := context.WithCancel(context.Background())
	if err := eng.Start(ctx); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(api.NewHandler(eng, api.Options{}))
	b.Cleanup(func() { srv.Close(); cancel(); st.Close() })
	return eng, srv
}

// timeGet is how long GET path takes, the answer read whole, at best of
// three; it fails the benchmark unless the answer is 200.
func timeGet(b *testing.B, srv *httptest.Server, path string) (time.Duration, int) {
	return timeGetN(b, srv, path, 3)
}

// timeGetN is timeGet at best of n.
func timeGetN(b *testing.B, srv *httptest.Server, path string, n int) (time.Duration, int) {
	b.Helper()
	best, size := time.Duration(0), 0
	for k := 0; k < n; k++ {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept", "application/json")
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(start)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		if k == 0 || d < best {
			best, size = d, len(data)
		}
	}
	return best, size
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkLists: GET /org over 10,000 documents and 100,000 tasks: a
// page of 50, filtered by state and by text, and `borges status` (the
// program, run against the server), against the whole list in one answer
// as it was before pages (the baseline). Goal: each under 100 ms.
func BenchmarkLists(b *testing.B) {
	path := scaleStore(b, 10000, 10, 10)
	_, srv := scaleServer(b, path, plan.Options{})
	bin := buildBorges(b)
	for b.Loop() {
		whole, size := timeGet(b, srv, "/org")
		page, _ := timeGet(b, srv, "/org?limit=50")
		failed, _ := timeGet(b, srv, "/org?state=failed&limit=50")
		text, _ := timeGet(b, srv, "/org?q=report+99&limit=50")
		last, _ := timeGet(b, srv, "/org?offset=9950&limit=50")
		status := timeStatus(b, bin, srv.URL)
		b.ReportMetric(ms(whole), "whole-ms")
		b.ReportMetric(float64(size)/(1<<20), "whole-MB")
		b.ReportMetric(ms(page), "page-ms")
		b.ReportMetric(ms(failed), "failed-ms")
		b.ReportMetric(ms(text), "text-ms")
		b.ReportMetric(ms(last), "lastpage-ms")
		b.ReportMetric(ms(status), "status-ms")
	}
}

// buildBorges builds the borges program into the benchmark's directory.
func buildBorges(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "borges")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/borges").CombinedOutput()
	if err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// timeStatus is how long `borges status` takes against the server at url,
// best of three.
func timeStatus(b *testing.B, bin, url string) time.Duration {
	b.Helper()
	var best time.Duration
	for k := 0; k < 3; k++ {
		cmd := exec.Command(bin, "status", "--addr", url)
		cmd.Env = append(os.Environ(), "BORGES_TOKEN=", "BORGES_DATA="+b.TempDir())
		var out strings.Builder
		cmd.Stdout = &out
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("borges status: %v", err)
		}
		d := time.Since(start)
		if !strings.Contains(out.String(), "Report 9999") {
			b.Fatalf("borges status does not show the newest document:\n%.500s", out.String())
		}
		if k == 0 || d < best {
			best = d
		}
	}
	return best
}

// BenchmarkDocumentView: GET /org/ID.json of a document of 100,000 blocks,
// all finished: a page of 100 blocks, and the first view after a restart
// (which plans the document), against the whole view (the baseline, the
// only answer there was). Goal: a page under 100 ms.
func BenchmarkDocumentView(b *testing.B) {
	const n = 100000
	path := scaleStore(b, 1, n, 0)
	opts := plan.Options{MaxTasks: n}
	for b.Loop() {
		_, srv := scaleServer(b, path, opts)
		first, _ := timeGetN(b, srv, "/org/d0000000.json?limit=100", 1)
		page, _ := timeGet(b, srv, "/org/d0000000.json?offset=50000&limit=100")
		whole, size := timeGet(b, srv, "/org/d0000000.json")
		b.ReportMetric(ms(first), "first-ms")
		b.ReportMetric(ms(page), "page-ms")
		b.ReportMetric(ms(whole), "whole-ms")
		b.ReportMetric(float64(size)/(1<<20), "whole-MB")
	}
}
