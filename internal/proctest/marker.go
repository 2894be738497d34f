// Package proctest is for tests that start processes: it finds the ones a
// test started, and only those, by a marker in their arguments, kills
// them when the test ends, gives the program that tries every way out of
// its task (escapes), and starts an interpreter the way the local backend
// starts a session's (on a terminal) or through pipes.
package proctest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

var markers atomic.Int64

// Marker is a sleep duration no other process of the machine has as its
// argument ("sleep MARKER" sleeps some 17 minutes), so that a test finds
// the processes it started, and only those; whatever carries it is
// killed when the test ends.
func Marker(t testing.TB) string {
	m := fmt.Sprintf("1000.%d%04d", os.Getpid(), markers.Add(1))
	t.Cleanup(func() {
		for _, pid := range WithMarker(m) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	return m
}

// WithMarker lists the live processes one of whose arguments is m (a
// zombie has no arguments any more).
func WithMarker(m string) []int {
	return withField("cmdline", m)
}

// WithEnv lists the live processes whose environment holds kv
// ("NAME=value").
func WithEnv(kv string) []int {
	return withField("environ", kv)
}

// WaitEnv waits (until WaitDeadline, for a loaded machine) until the
// environment of process pid holds kv ("NAME=value"): its exec has ended.
// exec.Cmd.Start returns once the child's exec has replaced its memory,
// not once the kernel has set up its new environment: a moment after
// (some 7 starts in 100 on an idle machine), /proc/PID/environ still
// reads as empty, as a scan of the processes sees one mid-exec.
func WaitEnv(t testing.TB, pid int, kv string) {
	t.Helper()
	for deadline := WaitDeadline(t); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if hasField(pid, "environ", kv) {
			return
		}
	}
	t.Fatalf("process %d never carried %s in its environment", pid, kv)
}

// hasField says whether one of the NUL-separated fields in
// /proc/PID/file is s.
func hasField(pid int, file, s string) bool {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), file))
	if err != nil {
		return false
	}
	for _, f := range bytes.Split(data, []byte{0}) {
		if string(f) == s {
			return true
		}
	}
	return false
}

// withField lists the live processes one of whose NUL-separated fields in
// /proc/PID/file is s.
func withField(file, s string) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if hasField(pid, file, s) {
			out = append(out, pid)
		}
	}
	return out
}

// WaitMarked waits (until WaitDeadline, for a loaded machine or a real
// agent) until n processes carry m.
func WaitMarked(t testing.TB, m string, n int) {
	t.Helper()
	for deadline := WaitDeadline(t); time.Now().Before(deadline); {
		if len(WithMarker(m)) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%d processes with %s never ran (%d do)", n, m, len(WithMarker(m)))
}

// Escapes is a program that leaves three processes (sleep m) behind that
// its process group, its children or both miss: one in a session of its
// own (setsid), one whose parent exited (a double fork), one both — only
// a cgroup, or a marker in their environment, finds them all, even while
// the program runs. It then waits for the file "go" in its directory
// (bounded) and ends as end says ("exit 0", "sleep 300").
func Escapes(m, end string) string {
	return fmt.Sprintf(`setsid sleep %[1]s &
(sleep %[1]s &) &
(setsid sleep %[1]s &) &
n=0
while [ ! -e go ] && [ $n -lt 3000 ]; do sleep 0.02; n=$((n+1)); done
%[2]s
`, m, end)
}

// WaitGone waits (until WaitDeadline, for a loaded machine or a real
// agent) until no process carries m.
func WaitGone(t testing.TB, m string) {
	t.Helper()
	for deadline := WaitDeadline(t); time.Now().Before(deadline); {
		if len(WithMarker(m)) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("processes %v with %s are left", WithMarker(m), m)
}
