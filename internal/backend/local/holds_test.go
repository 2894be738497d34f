package local

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/proctest"
)

// noCgroups is a backend whose attempts run without a cgroup.
func noCgroups(t *testing.T, dir string) (*Backend, *recorder) {
	t.Helper()
	return newBackendConfig(t, Config{DataDir: dir, CgroupParent: "-"})
}

// pooledDirs lists the pool's directories.
func pooledDirs(t *testing.T, dataDir string) []string {
	t.Helper()
	var dirs []string
	for _, name := range poolEntries(t, dataDir) {
		if name[0] == poolDirs {
			dirs = append(dirs, name)
		}
	}
	return dirs
}

// removeOne removes an attempt, checks that nothing is left under its
// names, and lists the pool's directories.
func removeOne(t *testing.T, b *Backend, dataDir, id string) []string {
	t.Helper()
	if err := b.RemoveAttempts(context.Background(), []string{id}); err != nil {
		t.Fatal(err)
	}
	if left := madeFor(t, dataDir, id); len(left) != 0 {
		t.Errorf("the removed attempt's files are still there: %v", left)
	}
	return pooledDirs(t, dataDir)
}

// leaveBehind runs, without a cgroup, an attempt that leaves a process
// behind (how starts it: "%s" is its command, which writes its pid, then
// sleeps; "{stdout}" is the path of the attempt's stdout file), and ends once that process has written its pid, after it left
// the group; it returns the attempt and the process, killed when the test
// ends.
func leaveBehind(t *testing.T, b *Backend, r *recorder, how string) (*engine.Attempt, int) {
	t.Helper()
	m := proctest.Marker(t)
	pidFile := filepath.Join(t.TempDir(), "pid")
	a := attempt("", nil)
	a.Script = strings.ReplaceAll(fmt.Sprintf(how, "sh -c 'echo $$ > "+pidFile+"; exec sleep "+m+"'"), "{stdout}", filepath.Join(b.flatPaths(a.ID).outRoot, b.flatPaths(a.ID).stdout)) +
		"\ni=0; while [ ! -s " + pidFile + " ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i+1)); done"
	runOne(t, b, r, a)
	proctest.WaitMarked(t, m, 1)
	pids := proctest.WithMarker(m)
	if len(pids) != 1 {
		t.Fatalf("%d processes left behind, want 1", len(pids))
	}
	return a, pids[0]
}

// environ is a process's environment as it started.
func environ(t *testing.T, pid int) []byte {
	t.Helper()
	env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// Without a cgroup, an ended attempt's sandbox is recycled when a pass
// over the processes proves nothing holds it: the next attempt's
// sandbox is that very directory, emptied.
func TestSandboxRecycledWithoutCgroup(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	first := attempt("mkdir -p sub/deep && echo x > sub/deep/f && echo first > value && echo out", nil)
	runOne(t, b, r, first)
	sandbox := inode(t, b.SandboxDir(first.ID))
	if got := removeOne(t, b, dir, first.ID); len(got) != 1 {
		t.Fatalf("pool's directories = %v, want the sandbox", got)
	}
	second := attempt("ls -A", nil)
	runOne(t, b, r, second)
	if got := inode(t, b.SandboxDir(second.ID)); got != sandbox {
		t.Errorf("the second sandbox is inode %d, not the recycled %d", got, sandbox)
	}
	if data, _, err := b.ReadLog(context.Background(), second.ID, "stdout", 0, 1<<10); err != nil || len(data) != 0 {
		t.Errorf("the recycled sandbox held %q (%v)", data, err)
	}
}

// A process an attempt left behind keeps its sandbox out of the pool,
// whatever it did to its session: with its working directory there and
// no marker in its environment, with a descriptor on a file there or on
// the directory itself and its working directory elsewhere, or holding
// nothing there but carrying the attempt's marker. Each case is checked
// to hold by that one thing alone.
func TestLeftProcessKeepsSandboxOutOfPool(t *testing.T) {
	for _, c := range []struct {
		name, how      string
		marked, inHere bool // its environment carries the marker; its working directory is the sandbox
	}{
		{"working directory", "setsid env -i %s </dev/null >/dev/null 2>&1 &", false, true},
		{"descriptor on a file", "(cd / && setsid env -i %s </dev/null >/dev/null 2>&1 3>\"$BORGES_SANDBOX/held\" &)", false, false},
		{"descriptor on the directory", "(cd / && setsid env -i %s </dev/null >/dev/null 2>&1 3<\"$BORGES_SANDBOX\" &)", false, false},
		{"marker only", "(cd / && setsid %s </dev/null >/dev/null 2>&1 &)", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			b, r := noCgroups(t, dir)
			a, pid := leaveBehind(t, b, r, c.how)
			marker := []byte("BORGES_EXIT_FILE=" + b.exitFile(a.ID) + "\x00")
			if got := bytes.Contains(environ(t, pid), marker); got != c.marked {
				t.Fatalf("the process carries the marker: %v, want %v", got, c.marked)
			}
			cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
			if err != nil {
				t.Fatal(err)
			}
			if got := cwd != "/"; got != c.inHere {
				t.Fatalf("working directory %s", cwd)
			}
			if got := removeOne(t, b, dir, a.ID); len(got) != 0 {
				t.Errorf("the sandbox of an attempt with a process left went to the pool (%v)", got)
			}
		})
	}
}

// A process that left the group (so that the group is gone) but holds
// the attempt's stdout file, opened by its path, keeps it out of the
// pool: it could write into the next attempt's output.
func TestLeftProcessKeepsOutputsOutOfPool(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a, _ := leaveBehind(t, b, r, "echo out; (cd / && setsid env -i %s </dev/null >/dev/null 2>&1 3>>{stdout} &)")
	removedNotPooled(t, b, dir, a.ID)
}

// removedNotPooled removes an attempt something still holds and checks
// that nothing of it went to the pool: neither its sandbox nor its
// outputs.
func removedNotPooled(t *testing.T, b *Backend, dataDir, id string) {
	t.Helper()
	if got := removeOne(t, b, dataDir, id); len(got) != 0 {
		t.Errorf("the sandbox of an attempt still held went to the pool (%v)", got)
	}
	if got := poolEntries(t, dataDir); len(got) != 0 {
		t.Errorf("pool = %v: the outputs of an attempt still held went to it", got)
	}
}

// One pass serves a whole removal: an attempt held keeps its own files
// out of the pool, not the others'.
func TestHeldAttemptAmongOthers(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	var ids []string
	var sandboxes []uint64
	for range 3 {
		a := attempt("echo x > value", nil)
		runOne(t, b, r, a)
		ids = append(ids, a.ID)
		sandboxes = append(sandboxes, inode(t, b.SandboxDir(a.ID)))
	}
	held, _ := leaveBehind(t, b, r, "setsid env -i %s </dev/null >/dev/null 2>&1 &")
	heldIno := inode(t, b.SandboxDir(held.ID))
	if err := b.RemoveAttempts(context.Background(), append(ids[:2:2], held.ID, ids[2])); err != nil {
		t.Fatal(err)
	}
	var got []uint64
	for _, name := range pooledDirs(t, dir) {
		got = append(got, inode(t, filepath.Join(dir, poolDir, name)))
	}
	slices.Sort(got)
	slices.Sort(sandboxes)
	if !slices.Equal(got, sandboxes) || slices.Contains(got, heldIno) {
		t.Errorf("pooled sandboxes %v, want %v (not the held %d)", got, sandboxes, heldIno)
	}
}

// The proof needs nothing remembered: after a restart, an attempt that
// ended before it has its sandbox and outputs recycled when nothing
// holds them, and one that left a process carrying its marker has not.
func TestRecycledAfterRestart(t *testing.T) {
	dir := t.TempDir()
	first, r1 := noCgroups(t, dir)
	done := attempt("echo out", nil)
	runOne(t, first, r1, done)
	left, _ := leaveBehind(t, first, r1, "(cd / && setsid %s </dev/null >/dev/null 2>&1 &)")
	sandbox, stdout := inode(t, first.SandboxDir(done.ID)), inode(t, outputPath(first, done.ID, "stdout"))
	r1.stop()
	first.Close()
	stopKeeper(t, first.keeper) // it exits as the server does

	second, _ := noCgroups(t, dir)
	if err := second.RemoveAttempts(context.Background(), []string{done.ID, left.ID}); err != nil {
		t.Fatal(err)
	}
	var dirs, files []uint64
	for _, name := range poolEntries(t, dir) {
		ino := inode(t, filepath.Join(dir, poolDir, name))
		if name[0] == poolDirs {
			dirs = append(dirs, ino)
		} else {
			files = append(files, ino)
		}
	}
	if !slices.Equal(dirs, []uint64{sandbox}) || !slices.Equal(files, []uint64{stdout}) {
		t.Errorf("pool: directories %v, files %v; want the first attempt's sandbox %d and stdout %d", dirs, files, sandbox, stdout)
	}
	for _, id := range []string{done.ID, left.ID} {
		if got := madeFor(t, dir, id); len(got) != 0 {
			t.Errorf("the removed attempt's files are still there: %v", got)
		}
	}
}

// heldBySelf scans for the tree at path alone and says whether it is
// held.
func heldBySelf(t *testing.T, path string) bool {
	t.Helper()
	s := newHoldScan()
	i := s.attempt("no attempt", 1)
	s.file(i, path)
	return s.run(context.Background())[i]
}

// A thread with a working directory of its own (unshare CLONE_FS) holds
// what is there, as its process's other threads do not.
func TestHoldScanSeesAThreadsDirectory(t *testing.T) {
	dir := t.TempDir()
	if heldBySelf(t, dir) {
		t.Fatal("held before anything holds it")
	}
	ready, release, ended := make(chan error), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		// The thread is not unlocked: it ends with the goroutine,
		// and its working directory with it.
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_FS); err != nil {
			ready <- err
			return
		}
		ready <- unix.Chdir(filepath.Join(dir))
		<-release
	}()
	t.Cleanup(func() { close(release); <-ended })
	if err := <-ready; err != nil {
		t.Skipf("a thread's own working directory: %v", err)
	}
	if wd, _ := os.Getwd(); wd == dir {
		t.Fatal("the process's working directory moved too")
	}
	if !heldBySelf(t, dir) {
		t.Error("a thread's working directory in the tree is not seen")
	}
}

// A mapping of a file whose descriptor is closed holds it.
func TestHoldScanSeesAMapping(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mapped")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := unix.Mmap(int(f.Fd()), 0, 1, unix.PROT_READ, unix.MAP_SHARED)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !heldBySelf(t, dir) {
		t.Error("a mapping of a file in the tree is not seen")
	}
	unix.Munmap(mem)
	if heldBySelf(t, dir) {
		t.Error("held once nothing holds it")
	}
}

// A process that cannot be examined holds the attempts that started no
// later than it did, and only those; so does a tree too large to account
// for.
func TestHoldScanUnknowns(t *testing.T) {
	s := newHoldScan()
	early := s.attempt("a", 100)
	late := s.attempt("b", 300)
	unknown := s.attempt("c", 0)
	s.cur = 200
	s.uninspectable()
	if !s.held[early] || s.held[late] || !s.held[unknown] {
		t.Errorf("held %v, want the attempts started at 100 and at an unknown time", s.held)
	}

	dir := t.TempDir()
	for i := range maxHeldEntries + 1 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprint(i)), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if !heldBySelf(t, dir) {
		t.Error("a tree past the bound is not held")
	}
}

// One process holding the files of two attempts holds both; a marker
// names its attempt by the id alone, whatever the data directory was
// called when the attempt started.
func TestHoldScanEveryHold(t *testing.T) {
	s := newHoldScan()
	var dirs []string
	for _, id := range []string{testID("d.a", 1), testID("d.b", 1), testID("d.c", 1)} {
		dir := t.TempDir()
		dirs = append(dirs, dir)
		s.file(s.attempt(id, 1), dir)
	}
	for _, dir := range dirs[:2] {
		f, err := os.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
	}
	if held := s.run(context.Background()); !slices.Equal(held, []bool{true, true, false}) {
		t.Errorf("held %v, want the two attempts whose directories the process holds", held)
	}
	s = newHoldScan()
	i := s.attempt("d.x.0.2", 1)
	s.marked([]byte("A=1\x00BORGES_EXIT_FILE=/elsewhere/attempts/d.x.0.2/exit\x00B=2"))
	if !s.held[i] {
		t.Error("a marker under another spelling of the data directory is not seen")
	}
}

// A /proc that does not list other users' processes is told from one
// that does.
func TestProcHidesOthers(t *testing.T) {
	for _, c := range []struct {
		mountinfo string
		hides     bool
	}{
		{"22 27 0:21 / /proc rw,relatime - proc proc rw\n", false},
		{"22 27 0:21 / /proc rw,relatime - proc proc rw,hidepid=2\n", true},
		{"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n22 27 0:21 / /proc rw,nosuid - proc proc rw,gid=4,hidepid=invisible\n", true},
		{"22 27 0:21 / /proc rw - proc proc rw,hidepid=1\n", false},
		{"30 27 0:21 / /mnt/proc rw - proc proc rw,hidepid=2\n", false},
	} {
		if got := hidesOthers([]byte(c.mountinfo)); got != c.hides {
			t.Errorf("%q: hides others %v, want %v", c.mountinfo, got, c.hides)
		}
	}
}

// A zombie holds nothing, whatever it carried and held: the wrapper's
// stand-in, orphaned, is one until its new parent reaps it, which some
// init processes do only now and then.
func TestHoldScanZombie(t *testing.T) {
	dir := t.TempDir()
	s := newHoldScan()
	id := testID("d.z", 1)
	i := s.attempt(id, 1)
	s.file(i, dir)
	cmd := exec.Command("sh", "-c", "exit 0")
	cmd.Dir = dir
	cmd.Env = []string{"BORGES_EXIT_FILE=/data/attempts/" + id + "/exit"}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Wait() })
	pid := cmd.Process.Pid
	until(t, "the child is a zombie", func() bool { p, ok := proclist.Of(pid); return ok && p.Zombie() })
	if s.run(context.Background())[i] {
		t.Error("a zombie holds its attempt")
	}
}

// A process an attempt left behind, carrying its marker and holding
// nothing else, caught by the hold scan in the middle of an exec (its
// environment not set up yet: empty) is looked at again once its exec
// has set it up: it holds the attempt. The scan closes the /proc
// directory it held it by, and nothing else (the server's standard
// input stays what it was).
func TestHoldScanWaitsForAnExecToEnd(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a, pid := leaveBehind(t, b, r, "(cd / && setsid %s </dev/null >/dev/null 2>&1 &)")
	midExec(t, pid, 2)
	var before, after unix.Stat_t
	stdin := unix.Fstat(0, &before) == nil // not where the test runs with it closed
	removedNotPooled(t, b, dir, a.ID)
	if !stdin {
		t.Log("no standard input: not checked to stay what it was")
		return
	}
	if err := unix.Fstat(0, &after); err != nil || after.Dev != before.Dev || after.Ino != before.Ino {
		t.Errorf("the standard input was closed or replaced by the scan (%v)", err)
	}
}

// One that stays in the middle of its exec past the wait holds the
// attempts that started no later than it did, as a process that cannot be
// examined does.
func TestHoldScanPastAStuckExec(t *testing.T) {
	shortExecWait(t)
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a, pid := leaveBehind(t, b, r, "(cd / && setsid %s </dev/null >/dev/null 2>&1 &)")
	reads := midExec(t, pid, math.MaxInt)
	removedNotPooled(t, b, dir, a.ID)
	if reads() < 2 {
		t.Errorf("the process's environment was read %d times, want it looked at again", reads())
	}
}

// A process stuck in an exec that started before every attempt removed
// cannot carry their markers: it is not waited for (its environment is
// read once, in each of the scan's two passes at most), and holds nothing.
func TestHoldScanDoesNotWaitForAnOlderStuckExec(t *testing.T) {
	shortExecWait(t)
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	_, older := reattachable(t, b, "other")
	waitTick(t, older)
	a := attempt("echo out", nil)
	runOne(t, b, r, a)
	reads := midExec(t, older, math.MaxInt)
	if got := removeOne(t, b, dir, a.ID); len(got) != 1 {
		t.Errorf("pool's directories = %v, want the sandbox", got)
	}
	if n := reads(); n != 1 {
		t.Errorf("the stuck process's environment was read %d times, want once", n)
	}
}

// A process stuck in an exec that may carry the marker of an attempt is
// not waited for once that attempt is held by something else (a process
// the scan lists after it, its working directory in the attempt's
// files): nothing it could carry would change what is held. Its
// environment is read in the pass and once more at most, not for the
// whole wait.
func TestHoldScanStopsWaitingOnceAllThatMayBeHeldIs(t *testing.T) {
	dir := t.TempDir()
	s := newHoldScan()
	i := s.attempt(testID("d.w", 1), 1)
	s.file(i, dir)
	stuck := sleeper(t, "")
	var holder int
	for range 10 {
		// Listed after the stuck process: a later pid (not one past a
		// wrap of the pids).
		if holder = sleeper(t, dir); holder > stuck {
			break
		}
	}
	if holder < stuck {
		t.Skipf("the pids wrapped: no process listed after %d", stuck)
	}
	reads := midExec(t, stuck, math.MaxInt)
	if !s.run(context.Background())[i] {
		t.Fatal("the attempt whose directory a process works in is not held")
	}
	if n := reads(); n > 2 {
		t.Errorf("the stuck process's environment was read %d times, want at most twice", n)
	}
}

// sleeper starts a process that sleeps, in dir if not "", killed when
// the test ends; it returns its pid.
func sleeper(t *testing.T, dir string) int {
	t.Helper()
	cmd := exec.Command("sleep", proctest.Marker(t))
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd.Process.Pid
}
