package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestGracefulShutdown: on SIGTERM `borges serve` stops taking requests,
// leaves the running tasks running (the README: they are picked up at the
// next start), stores what it knows and exits 0. A document submitted
// just before, whose scheduling pass may be under way, has each of its
// blocks run once: a launch is stored before the store closes, or not
// made. Started again on the same data, the server re-attaches to the
// running task and the documents end as if it had never stopped.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	runs := filepath.Join(dir, "runs")
	if err := os.Mkdir(runs, 0o700); err != nil {
		t.Fatal(err)
	}
	release := filepath.Join(dir, "release")
	pidFile := filepath.Join(dir, "long.pid")
	s := startServer(t, data)
	// The long block runs until the test releases it (bounded: two
	// minutes at most, should the test fail before).
	long := s.submit(fmt.Sprintf(`#+name: long
#+begin_src sh
echo $$ > %s
echo start
i=0
while [ ! -e %s ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done
echo end
#+end_src

#+name: after
#+begin_src sh :after long
echo after
#+end_src
`, pidFile, release))
	quick := s.submit("#+name: quick\n#+begin_src sh\necho quick\n#+end_src\n")
	until(t, "long runs and quick ended", func() bool {
		_, err := os.Stat(pidFile)
		return err == nil && blockOf(s.doc(long.ID), "long").State == engine.Running &&
			blockOf(s.doc(quick.ID), "quick").State == engine.Finished
	})
	var burst strings.Builder
	const blocks = 12
	for i := 0; i < blocks; i++ {
		fmt.Fprintf(&burst, "#+name: b%d\n#+begin_src sh\necho ran >> %s\necho b%d\n#+end_src\n\n", i, filepath.Join(runs, fmt.Sprint(i)), i)
	}
	late := s.submit(burst.String())
	// At once: the pass scheduling the burst may be under way.
	if code := s.stop(); code != 0 {
		t.Fatalf("exit status %d on SIGTERM:\n%s", code, s.log)
	}
	if !strings.Contains(s.log.String(), "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", s.log)
	}
	if resp, err := http.Get("http://" + s.addr + "/healthz"); err == nil {
		resp.Body.Close()
		t.Errorf("requests taken after the server exited")
	}
	text, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(text)))
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, 0); err != nil {
		t.Errorf("the running task (pid %d) did not outlive the server: %v", pid, err)
	}

	s2 := startServer(t, data)
	if b := blockOf(s2.doc(long.ID), "long"); b.State != engine.Running || b.Instances[0].Attempts != 1 {
		t.Fatalf("long after the restart: %+v", b.Instances)
	}
	if err := os.WriteFile(release, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	until(t, "every document ended", func() bool {
		return s2.doc(long.ID).State.Terminal() && s2.doc(quick.ID).State.Terminal() && s2.doc(late.ID).State.Terminal()
	})
	for _, c := range []struct{ doc, block string }{{long.ID, "long"}, {long.ID, "after"}, {quick.ID, "quick"}} {
		if b := blockOf(s2.doc(c.doc), c.block); b.State != engine.Finished || b.Instances[0].Attempts != 1 {
			t.Errorf("%s after the restart: %+v", c.block, b.Instances)
		}
	}
	if _, log := s2.get("/org/" + long.ID + "/blocks/long/log"); log != "start\nend\n" {
		t.Errorf("long's log %q", log)
	}
	v := s2.doc(late.ID)
	for i := 0; i < blocks; i++ {
		name := fmt.Sprintf("b%d", i)
		if b := blockOf(v, name); b.State != engine.Finished {
			t.Errorf("%s after the restart: %+v", name, b.Instances)
		}
		text, err := os.ReadFile(filepath.Join(runs, fmt.Sprint(i)))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		if n := strings.Count(string(text), "ran\n"); n != 1 {
			t.Errorf("%s ran %d times", name, n)
		}
	}
	if t.Failed() {
		t.Logf("the first server's log:\n%s\nthe second's:\n%s", s.log, s2.log)
		logs, _ := filepath.Glob(filepath.Join(data, "exits", "*"))
		for _, l := range logs {
			text, _ := os.ReadFile(l)
			t.Logf("exit log %s:\n%s", filepath.Base(l), text)
		}
	}
}
