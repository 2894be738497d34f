package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
)

// What held up when Borges was attacked, kept by the suite: a crash with
// many tasks running loses none and runs none twice (R1), and many
// concurrent submissions lose none (R7).

// TestCrashWithManyRunning: kill -9 while 100 instances run; the restarted
// server re-attaches every one (one attempt each, one process each) and a
// DELETE ends them all.
func TestCrashWithManyRunning(t *testing.T) {
	t.Parallel()
	const n = 100
	dir := t.TempDir()
	s := startServer(t, dir, "-cpus", "100")
	v := s.submit(fmt.Sprintf("#+name: many\n#+begin_src sh :instances %d :cpu 0.5 :mem 16\necho up; exec sleep 600\n#+end_src\n", n))
	running := func(s *server) int {
		c := 0
		for _, in := range blockOf(s.doc(v.ID), "many").Instances {
			if in.State == engine.Running {
				c++
			}
		}
		return c
	}
	until(t, "all instances run", func() bool { return running(s) == n })
	// Each instance's program, as the test wrote it: one per instance
	// before and after, never a second one.
	programs := func() int {
		c := 0
		for _, pid := range processesOf(dir) {
			if cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); string(cmd) == "sleep\x00600\x00" {
				c++
			}
		}
		return c
	}
	until(t, "every instance's program runs", func() bool { return programs() == n })
	s.kill9()

	s2 := startServer(t, dir, "-cpus", "100")
	for i := 0; running(s2) != n; i++ {
		if i == 600 {
			states := map[string]int{}
			for _, in := range blockOf(s2.doc(v.ID), "many").Instances {
				states[string(in.State)+" "+in.Message]++
			}
			t.Fatalf("not all re-attached: %v; log:\n%s", states, s2.log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, in := range blockOf(s2.doc(v.ID), "many").Instances {
		if in.Attempts != 1 {
			t.Fatalf("instance %d was run again (%d attempts): %+v", in.Instance, in.Attempts, in)
		}
	}
	if got := programs(); got != n {
		t.Fatalf("after the restart, %d programs run for %d instances; log:\n%s", got, n, s2.log)
	}
	req, _ := http.NewRequest("DELETE", "http://"+s2.addr+"/org/"+v.ID, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	until(t, "all killed", func() bool { return s2.doc(v.ID).State == engine.Killed })
	until(t, "no process left", func() bool { return len(processesOf(dir)) == 0 })
}

// TestConcurrentSubmissions: 2,000 POSTs, 64 at a time: every one answered
// 201 with its own id, and every id listed, also after a restart.
func TestConcurrentSubmissions(t *testing.T) {
	t.Parallel()
	const n, workers = 2000, 64
	dir := t.TempDir()
	s := startServer(t, dir)
	ids := make(chan string, n)
	errs := make(chan string, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				doc := fmt.Sprintf("#+TITLE: doc %d\n#+begin_src sh :eval no\necho %d\n#+end_src\n", j, j)
				req, _ := http.NewRequest("POST", "http://"+s.addr+"/org", strings.NewReader(doc))
				req.Header.Set("Accept", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err.Error()
					continue
				}
				var v engine.DocumentView
				err = json.NewDecoder(resp.Body).Decode(&v)
				resp.Body.Close()
				if resp.StatusCode != 201 || err != nil || v.ID == "" {
					errs <- fmt.Sprintf("doc %d: %d %v", j, resp.StatusCode, err)
					continue
				}
				ids <- v.ID
			}
		}()
	}
	for j := 0; j < n; j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	close(ids)
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	want := map[string]bool{}
	for id := range ids {
		want[id] = true
	}
	if len(want) != n {
		t.Fatalf("%d distinct ids for %d submissions", len(want), n)
	}
	listed := func(s *server) int {
		_, list := s.get("/org")
		c := 0
		for _, line := range strings.Split(list, "\n") {
			if f := strings.Fields(line); len(f) > 0 && want[f[0]] {
				c++
			}
		}
		return c
	}
	if got := listed(s); got != n {
		t.Fatalf("%d of %d documents listed", got, n)
	}
	s.kill9()
	s2 := startServer(t, dir)
	if got := listed(s2); got != n {
		t.Fatalf("after a crash, %d of %d documents listed", got, n)
	}
}
