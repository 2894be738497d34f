package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// lookalikeDoc has three blocks whose names differ only in characters a
// file name, a container name or a Mesos task id cannot hold; each runs
// body with its own word.
func lookalikeDoc(body string) string {
	var b strings.Builder
	for _, n := range [][2]string{{"a.b", "dot"}, {"a_b", "underscore"}, {"a/b", "slash"}} {
		fmt.Fprintf(&b, "#+name: %s\n#+begin_src sh\n%s\n#+end_src\n\n", n[0], strings.ReplaceAll(body, "WORD", n[1]))
	}
	return b.String()
}

// TestLookalikeBlockNames: blocks named a.b, a_b and a/b each run their own
// code in their own attempt, and the document finishes; the same blocks
// running forever are all stopped by DELETE.
func TestLookalikeBlockNames(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	v := s.submit(lookalikeDoc("echo WORD"))
	until(t, "the document has ended", func() bool { return s.doc(v.ID).State != engine.Running })
	if st := s.doc(v.ID).State; st != engine.Finished {
		t.Fatalf("document %s:\n%s", st, s.log)
	}
	_, result := s.get("/org/" + v.ID)
	for _, want := range []string{"#+RESULTS: a.b\n: dot\n", "#+RESULTS: a_b\n: underscore\n", "#+RESULTS: a/b\n: slash\n"} {
		if !strings.Contains(result, want) {
			t.Errorf("results lack %q:\n%s", want, result)
		}
	}
	dirs, _ := os.ReadDir(filepath.Join(s.data, "sandboxes"))
	if len(dirs) != 3 {
		t.Fatalf("%d attempt sandboxes for 3 blocks", len(dirs))
	}

	marker := fmt.Sprint(100000 + rand.IntN(800000)) // the sleep of this test's processes
	forever := s.submit(lookalikeDoc("echo WORD; sleep " + marker))
	until(t, "all three run", func() bool {
		d := s.doc(forever.ID)
		for _, b := range d.Blocks {
			if b.State != engine.Running {
				return false
			}
		}
		return true
	})
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+forever.ID, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	until(t, "all three are killed", func() bool { return s.doc(forever.ID).State == engine.Killed })
	for _, b := range s.doc(forever.ID).Blocks {
		if b.State != engine.Killed {
			t.Errorf("block %s is %s after DELETE", b.Name, b.State)
		}
	}
	until(t, "no process of theirs is left", func() bool { return !processRuns("sleep " + marker) })
}

// processRuns reports whether a process of this machine has cmd as its
// command line (arguments joined by spaces).
func processRuns(cmd string) bool {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		data, err := os.ReadFile(p)
		if err == nil && strings.TrimRight(strings.ReplaceAll(string(data), "\x00", " "), " ") == cmd {
			return true
		}
	}
	return false
}
