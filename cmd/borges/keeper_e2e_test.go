package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// keepersOf lists the keepers of the outputs whose parent is pid, each
// with the log it was handed (BORGES_KEEPER_LOG).
func keepersOf(pid int) map[int]string {
	found := map[int]string{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		rest := stat[bytes.LastIndexByte(stat, ')')+1:]
		if f := strings.Fields(string(rest)); len(f) < 2 || f[1] != strconv.Itoa(pid) {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !bytes.Contains(env, append(keeperMark, 0)) {
			continue
		}
		for _, kv := range bytes.Split(env, []byte{0}) {
			if v, ok := bytes.CutPrefix(kv, []byte("BORGES_KEEPER_LOG=")); ok {
				found[p] = string(v)
			}
		}
	}
	return found
}

// TestKeeperRelativeDataDirCLI: borges serve -data ./d hands its keeper
// of the outputs the data directory's absolute paths (the keeper runs in
// /): killed while a block runs, its outputs written meanwhile are whole
// after a restart.
func TestKeeperRelativeDataDirCLI(t *testing.T) {
	t.Parallel()
	cwd := t.TempDir()
	s := startServerIn(t, cwd, "d")
	v := s.submit("#+name: b\n#+begin_src sh\necho before\n" + waitForGo + "echo after\n#+end_src\n")
	until(t, "running", func() bool {
		_, log := s.get("/org/" + v.ID + "/blocks/b/log")
		return log == "before\n"
	})
	keepers := keepersOf(s.cmd.Process.Pid)
	if len(keepers) == 0 {
		t.Fatal("the server has no keeper of the outputs")
	}
	for pid, log := range keepers {
		if want := filepath.Join(cwd, "d", "kept-outputs"); log != want {
			t.Errorf("keeper %d has the log %q, want %q", pid, log, want)
		}
	}
	attempt := blockOf(s.doc(v.ID), "b").Instances[0].AttemptID
	s.kill9()
	if err := os.WriteFile(filepath.Join(cwd, "d", "sandboxes", attempt, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s2 := startServerIn(t, cwd, "d")
	until(t, "finished", func() bool { return s2.doc(v.ID).State.Terminal() })
	if _, log := s2.get("/org/" + v.ID + "/blocks/b/log"); log != "before\nafter\n" {
		t.Errorf("log %q: what the block wrote while no server ran is lost", log)
	}
}
