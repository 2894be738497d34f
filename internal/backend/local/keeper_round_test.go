package local

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/proctest"
)

// takenOver has a keeper of a server gone (another than b) take over
// attempt id's outputs: it holds the pipes, has noted that it took them
// over, and has written nothing yet (its program still writes). It
// returns the pipes' write ends: the keeper exits once they are closed,
// at the latest when the test ends, and is waited for.
func takenOver(t *testing.T, dataDir, id string) (*keeper, [2]*os.File) {
	t.Helper()
	k := testKeeper(t, dataDir)
	r, w := testPipes(t)
	if err := k.hold(id, heldDir(t, dataDir), "outputs/"+outputShard(id)+"/"+id, 1<<20, r); err != nil {
		t.Fatal(err)
	}
	r[0].Close()
	r[1].Close()
	k.abandon() // its server dies
	for i := 0; ; i++ {
		if st := readKept(k.log); st.taken[id] && len(liveKeepers(k.log, "")) > 0 {
			break
		}
		if i == 1200 {
			t.Fatal("the keeper did not note what it took over within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return k, w
}

// F6: an attempt whose outputs a keeper of a server gone has taken over,
// and not yet written, keeps its sandbox and outputs out of the pool: the
// keeper is about to write into them.
func TestKeeperTakenOverKeepsFilesOutOfPool(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("echo out", nil)
	runOne(t, b, r, a)
	takenOver(t, dir, a.ID)
	removedNotPooled(t, b, dir, a.ID)
}

// A live keeper of a server gone that has not yet noted what it took
// over may hold any attempt: none is recycled meanwhile.
func TestKeeperNotYetNotedKeepsFilesOutOfPool(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("echo out", nil)
	runOne(t, b, r, a)
	// Its lock, as a keeper started by a server gone holds it.
	lock, err := takeKeeperLock(filepath.Join(dir, keeperLog), "gone.0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Close() })
	removedNotPooled(t, b, dir, a.ID)
}

// A server started with a relative data directory (borges serve --data
// ./d) gives its keeper absolute paths: the keeper runs in / and takes
// over after the server's working directory changed.
func TestKeeperRelativeDataDir(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	b, r := noCgroups(t, "d")
	if !filepath.IsAbs(b.keeper.log) {
		t.Errorf("the keeper's log is %q, not an absolute path", b.keeper.log)
	}
	a := attempt("echo out", nil)
	runOne(t, b, r, a)
	if data, _, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 1<<10); err != nil || string(data) != "out\n" {
		t.Errorf("stdout %q (%v)", data, err)
	}
	id := "relative"
	paths := b.flatPaths(id)
	rp, wp := testPipes(t)
	if err := b.keeper.hold(id, paths.outDir, id, 1<<20, rp); err != nil {
		t.Fatal(err)
	}
	rp[0].Close()
	rp[1].Close()
	b.keeper.mu.Lock()
	exited := b.keeper.exited
	b.keeper.mu.Unlock()
	t.Chdir(t.TempDir())
	b.keeper.abandon() // the server dies
	wp[0].WriteString("after\n")
	wp[0].Close()
	wp[1].Close()
	keeperGone(t, exited)
	if got := readFile(filepath.Join(base, "d", outputsDir, outputShard(id)), id+".stdout"); got != "after\n" {
		t.Errorf("%s.stdout %q, want what was written after the server died", id, got)
	}
	if _, copied := keptState(filepath.Join(base, "d", keeperLog), id); !copied {
		t.Error("the keepers' log in the data directory does not say the outputs were copied")
	}
}

// stopKeeperProcess stops keeper k's process (SIGSTOP), let go on
// (SIGCONT) when the test ends, and returns its pid.
func stopKeeperProcess(t *testing.T, k *keeper) int {
	t.Helper()
	k.mu.Lock()
	pid := k.pid
	k.mu.Unlock()
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGCONT) })
	return pid
}

// stopped says whether process pid is stopped (state T in its stat).
func stopped(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := proclist.StatFields(data)
	return len(f) > 0 && f[0] == "T"
}

// stoppedHandover leaves in dir what attempt id, ended with status
// code while no server ran, leaves (its files, flat, and its exit
// status), and a keeper of the server gone that took over its outputs
// and is stopped (SIGSTOP) before it copied them; what the program wrote
// last, "written last\n", is in the pipe only that keeper reads. It
// returns the keeper's pid.
func stoppedHandover(t *testing.T, dir, id string, code int) int {
	t.Helper()
	for _, d := range []string{filepath.Join(dir, sandboxesDir, id), filepath.Join(dir, "attempts", id)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "attempts", id, "exit"), []byte(strconv.Itoa(code)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := makeLayout(dir); err != nil {
		t.Fatal(err)
	}
	k, w := takenOver(t, dir, id)
	pid := stopKeeperProcess(t, k)
	for i := 0; !stopped(pid); i++ {
		if i == 1200 {
			t.Fatal("the keeper was not seen stopped within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	w[0].WriteString("written last\n")
	w[0].Close()
	w[1].Close()
	return pid
}

// Handover: an attempt ended while no server ran, and the keeper of the
// server gone that took over its outputs is stopped (SIGSTOP) before it
// copied them. The restarted server does not report the attempt ended,
// outputs cut, once its bounded wait is over: it goes on waiting, and
// reports it once the keeper, let go on, has copied them all, once.
func TestKeeperStoppedAtHandover(t *testing.T) {
	dir := t.TempDir()
	a := attempt("exit 0", nil)
	pid := stoppedHandover(t, dir, a.ID, 0)
	b, r := newBackendConfig(t, Config{DataDir: dir, CgroupParent: "-"})
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	for _, u := range r.updates {
		if u.AttemptID == a.ID && u.State.Terminal() {
			t.Errorf("reported %s while the keeper still held its outputs", u.State)
		}
	}
	r.mu.Unlock()
	syscall.Kill(pid, syscall.SIGCONT)
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("%+v", u)
	}
	if data, _, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 1<<10); err != nil || string(data) != "written last\n" {
		t.Errorf("stdout %q (%v), want what the program wrote last, once", data, err)
	}
}

// launchMarked launches on b an attempt that runs "sleep m", waits until
// it runs, and returns it and the pid of b's keeper, which holds its
// outputs.
func launchMarked(t *testing.T, b *Backend, r *recorder, m string) (*engine.Attempt, int) {
	t.Helper()
	a := attempt("echo started; sleep "+m, nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID, engine.Running)
	proctest.WaitMarked(t, m, 1)
	b.keeper.mu.Lock()
	defer b.keeper.mu.Unlock()
	return a, b.keeper.pid
}

// A test's cleanup leaves no keeper alive, nor the attempt it held: a
// backend without cgroups whose attempt still runs when its test ends
// has the attempt killed, then its keeper let go, and waited for.
func TestCleanupLeavesNoKeeper(t *testing.T) {
	m := proctest.Marker(t) // kills what the subtest would leave
	var keeperPid int
	t.Run("running", func(t *testing.T) {
		b, r := noCgroups(t, t.TempDir())
		_, keeperPid = launchMarked(t, b, r, m)
		if keeperPid == 0 {
			t.Fatal("no keeper")
		}
	})
	left := proctest.WithMarker(m)
	if alive(keeperPid) {
		t.Errorf("the keeper %d outlived its test", keeperPid)
		syscall.Kill(keeperPid, syscall.SIGKILL)
	}
	if len(left) > 0 {
		t.Errorf("the attempt's processes %v outlived their test", left)
	}
}

// The keeper shares the server's cgroup, not an attempt's: killing an
// attempt's cgroup (its end, a kill, a sweep of the instance's) leaves it
// alive, and what stops the server's cgroup whole (a systemd unit's
// stop) stops the attempts with it (keeper.go says why).
func TestKeeperSharesTheServersCgroup(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	if b.cgroups == nil {
		t.Skip("no cgroups: " + b.Enforcement())
	}
	m := proctest.Marker(t) // its sleep is killed should the test fail first
	a, pid := launchMarked(t, b, r, m)
	own, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	kept, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	if string(kept) != string(own) {
		t.Errorf("the keeper's cgroups\n%s\nare not the server's\n%s", kept, own)
	}
	b.cgroups.Release() // every attempt's cgroup killed
	r.wait(t, a.ID)
	if !alive(pid) {
		t.Error("the keeper died with the attempts' cgroups")
	}
}
