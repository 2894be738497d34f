package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A stopped Borges leaves its tasks running on purpose (the next start
// picks them up), so a test that fails before its DELETE would leave them
// running for good. sweep, run when each test server is cleaned up, kills
// what a server of data directory dir started and the test did not end:
// processes that carry the directory in their BORGES_* environment (escaped
// daemons too, which keep it), and containers labelled with it.

// sweep kills every leftover of the server with data directory dir and
// reports what it found.
func sweep(t testing.TB, dir string) (found []string) {
	// A launch the stopped server had begun may still be between fork
	// and exec (its environment not yet the task's), or its wrapper
	// released only now: look until two looks in a row find nothing.
	quiet := 0
	for try := 0; try < 50 && quiet < 2; try++ {
		pids := processesOf(dir)
		if len(pids) == 0 {
			quiet++
		} else {
			quiet = 0
		}
		for _, pid := range pids {
			found = append(found, "process "+strconv.Itoa(pid))
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The keepers of the outputs of the servers of dir exit once the
	// pipes they hold have ended, their programs killed above: waited
	// for a little, then killed, before the directory goes.
	for try := 0; try < 100 && len(keepersUnder(dir)) > 0; try++ {
		time.Sleep(100 * time.Millisecond)
	}
	for _, pid := range keepersUnder(dir) {
		found = append(found, "keeper "+strconv.Itoa(pid))
		syscall.Kill(pid, syscall.SIGCONT)
		syscall.Kill(pid, syscall.SIGKILL)
	}
	for _, cg := range cgroupsOf(dir) {
		found = append(found, "cgroup "+cg)
		removeCgroup(cg)
	}
	if _, err := exec.LookPath("docker"); err == nil {
		out, err := exec.Command("docker", "ps", "-aq", "--filter", "label=borges.data="+dir).Output()
		if err == nil {
			for _, id := range strings.Fields(string(out)) {
				found = append(found, "container "+id)
				exec.Command("docker", "rm", "-f", id).Run()
			}
		}
	}
	return found
}

// keeperMark is in the environment of a server's keeper of the outputs
// (internal/backend/local).
var keeperMark = []byte("BORGES_OUTPUT_KEEPER=1")

// processesOf lists the processes whose environment has a BORGES_ variable
// with a path under dir: those of tasks, not the server's keeper of the
// outputs (its log is under dir), which lives as long as the server.
func processesOf(dir string) []int {
	needle := []byte("=" + filepath.Clean(dir) + "/")
	return processesWith(func(vars [][]byte) bool {
		if slices.ContainsFunc(vars, func(kv []byte) bool { return bytes.Equal(kv, keeperMark) }) {
			return false
		}
		return slices.ContainsFunc(vars, func(kv []byte) bool {
			return bytes.HasPrefix(kv, []byte("BORGES_")) && bytes.Contains(kv, needle)
		})
	})
}

// processesWith lists the processes but this one whose environment (its
// variables) is one match says yes to.
func processesWith(match func(vars [][]byte) bool) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err == nil && match(bytes.Split(env, []byte{0})) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// keepersUnder lists the keepers of the outputs whose log is under dir.
func keepersUnder(dir string) []int {
	needle := []byte("BORGES_KEEPER_LOG=" + filepath.Clean(dir) + "/")
	return processesWith(func(vars [][]byte) bool {
		return slices.ContainsFunc(vars, func(kv []byte) bool { return bytes.Equal(kv, keeperMark) }) &&
			slices.ContainsFunc(vars, func(kv []byte) bool { return bytes.HasPrefix(kv, needle) })
	})
}

// TestSweep: what a stopped server leaves running is found and removed.
func TestSweep(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir)
	v := s.submit("#+name: loop\n#+begin_src sh\necho started\nwhile true; do sleep 1; done\n#+end_src\n")
	until(t, "the block runs", func() bool {
		_, log := s.get("/org/" + v.ID + "/blocks/loop/log")
		return log == "started\n"
	})
	s.stop()
	if len(processesOf(dir)) == 0 {
		t.Fatal("the running block is not found")
	}
	if found := sweep(t, dir); len(found) == 0 {
		t.Fatal("sweep found nothing")
	}
	until(t, "the block's processes are gone", func() bool { return len(processesOf(dir)) == 0 })
	if left := cgroupsOf(dir); len(left) > 0 {
		t.Fatalf("cgroups left: %v", left)
	}
}

// cgroupsOf lists the cgroup directories of the server instance whose data
// directory is dir (named borges-INSTANCE, INSTANCE kept in
// DATA/cgroup-instance), in every hierarchy.
func cgroupsOf(dir string) []string {
	id, err := os.ReadFile(filepath.Join(dir, "cgroup-instance"))
	if err != nil {
		return nil
	}
	name := "borges-" + strings.TrimSpace(string(id))
	var dirs []string
	var walk func(d string, depth int)
	walk = func(d string, depth int) {
		entries, err := os.ReadDir(d)
		if err != nil || depth > 6 {
			return
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			sub := filepath.Join(d, e.Name())
			if e.Name() == name {
				dirs = append(dirs, sub)
				continue
			}
			walk(sub, depth+1)
		}
	}
	walk("/sys/fs/cgroup", 0)
	return dirs
}

// removeCgroup kills what a cgroup tree holds and removes its directories,
// deepest first.
func removeCgroup(root string) {
	var all []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			all = append(all, p)
		}
		return nil
	})
	for i := len(all) - 1; i >= 0; i-- {
		// A frozen cgroup's processes cannot die until it is thawed.
		os.WriteFile(filepath.Join(all[i], "freezer.state"), []byte("THAWED"), 0o644)
		os.WriteFile(filepath.Join(all[i], "cgroup.freeze"), []byte("0"), 0o644)
		procs, _ := os.ReadFile(filepath.Join(all[i], "cgroup.procs"))
		for _, f := range strings.Fields(string(procs)) {
			if pid, err := strconv.Atoi(f); err == nil {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		for try := 0; try < 50 && os.Remove(all[i]) != nil; try++ {
			time.Sleep(20 * time.Millisecond)
		}
	}
}
