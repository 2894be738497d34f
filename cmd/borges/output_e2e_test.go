package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// startCapped starts Borges keeping 100 bytes of each output and reading
// 40 bytes of one for the results.
func startCapped(t *testing.T, data string) *server {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "borges-config.org")
	if err := os.WriteFile(conf, []byte("#+borges_max_output: 100B\n#+borges_max_result: 40B\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return startServer(t, data, "-f", conf)
}

const lines = "0123456789\n"

// TestBigOutput: a block writing far more than the caps runs to its end;
// its log is kept to the cap with a marker line; the results document
// reads 40 bytes of it and says so.
func TestBigOutput(t *testing.T) {
	t.Parallel()
	s := startCapped(t, t.TempDir())
	v := s.submit("#+name: big\n#+begin_src sh\nyes 0123456789 | head -c 5000\necho alive > alive\n#+end_src\n")
	until(t, "finished", func() bool { return s.doc(v.ID).State.Terminal() })
	if st := s.doc(v.ID).State; st != engine.Finished {
		t.Fatalf("state %s", st)
	}
	want := strings.Repeat(lines, 10)[:100] + "\n[borges: output truncated at 100 B]\n"
	if _, log := s.get("/org/" + v.ID + "/blocks/big/log"); log != want {
		t.Fatalf("log %q, want %q", log, want)
	}
	if code, body := s.get("/org/" + v.ID + "/files/alive"); code != 200 || body != "alive\n" {
		t.Fatalf("the program did not go on past the cap: %d %q", code, body)
	}
	_, res := s.get("/org/" + v.ID)
	note := "borges: output truncated: the first 33 B of " + engine.FormatSize(int64(len(want))) + " are shown (#+borges_max_result:)\n"
	if !strings.Contains(res, "#+RESULTS: big\n: "+note+": 0123456789\n: 0123456789\n: 0123456789\n") {
		t.Fatalf("results:\n%s", res)
	}
}

// TestBigOutputAcrossARestart: Borges is killed while a process runs;
// the process writes past the cap while Borges is away and after; its
// output is still kept to the cap, and the process is not stopped.
func TestBigOutputAcrossARestart(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	s := startCapped(t, data)
	v := s.submit("#+name: big\n#+begin_src sh\necho before\n" + waitForGo +
		"echo after\nyes 0123456789 | head -c 5000\necho alive > alive\n#+end_src\n")
	until(t, "running", func() bool {
		_, log := s.get("/org/" + v.ID + "/blocks/big/log")
		return log == "before\n"
	})
	attempt := blockOf(s.doc(v.ID), "big").Instances[0].AttemptID
	s.kill9()
	if err := os.WriteFile(filepath.Join(data, "sandboxes", attempt, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s2 := startCapped(t, data)
	until(t, "finished", func() bool { return s2.doc(v.ID).State.Terminal() })
	if b := blockOf(s2.doc(v.ID), "big"); b.State != engine.Finished || b.Instances[0].Attempts != 1 {
		t.Fatalf("block %+v", b.Instances[0])
	}
	want := ("before\nafter\n" + strings.Repeat(lines, 10))[:100] + "\n[borges: output truncated at 100 B]\n"
	if _, log := s2.get("/org/" + v.ID + "/blocks/big/log"); log != want {
		t.Fatalf("log %q, want %q", log, want)
	}
	disk, _ := filepath.Glob(filepath.Join(data, "outputs", "*", attempt+".stdout"))
	if len(disk) != 1 {
		t.Fatalf("stdout files: %v", disk)
	}
	if disk, _ := os.ReadFile(disk[0]); string(disk) != want {
		t.Fatalf("on disk %q", disk)
	}
	if code, _ := s2.get("/org/" + v.ID + "/files/alive"); code != 200 {
		t.Fatalf("the program did not go on: %d", code)
	}
}
