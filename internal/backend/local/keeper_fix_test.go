package local

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/proctest"
)

// testPipes makes an attempt's two pipes, closed when the test ends.
func testPipes(t *testing.T) (r, w [2]*os.File) {
	t.Helper()
	for i := range r {
		var err error
		if r[i], w[i], err = os.Pipe(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r[i].Close(); w[i].Close() })
	}
	return r, w
}

// heldKeeper is a keeper in a new directory holding the pipes of
// attempt id.
func heldKeeper(t *testing.T, id string) (k *keeper, dir string, r, w [2]*os.File) {
	t.Helper()
	dir = t.TempDir()
	k = testKeeper(t, dir)
	r, w = testPipes(t)
	if err := k.hold(id, heldDir(t, dir), id, 1<<20, r); err != nil {
		t.Fatal(err)
	}
	return k, dir, r, w
}

// A restarted server that looks at once, before the old keeper has even
// noted what it took over, waits for it: the output is whole (F1).
func TestKeeperRestartedServerWaitsForTheOldKeeper(t *testing.T) {
	k, dir, r, w := heldKeeper(t, "a")
	w[0].WriteString(strings.Repeat("x", 60<<10))
	w[0].Close()
	w[1].Close()
	r[0].Close()
	r[1].Close()
	k.abandon() // the server dies
	// The restarted server, another keeper's.
	if !waitKept(k.log, "a", time.Minute, "restarted.") {
		t.Fatal("not copied within a minute")
	}
	if n := len(readFile(dir, "a.stdout")); n != 60<<10 {
		t.Errorf("a.stdout holds %d bytes once said copied, want %d", n, 60<<10)
	}
}

// A stopped keeper stops no launch nor end: once its socket is full, a
// hold fails at once (the attempt gets its stand-in), and drops return
// (F2).
func TestKeeperStoppedBlocksNothing(t *testing.T) {
	k, dir, r, _ := heldKeeper(t, "first")
	stopKeeperProcess(t, k)
	done := make(chan int)
	go func() {
		refused := 0
		for i := 0; i < 10000; i++ {
			id := "a" + strconv.Itoa(i)
			if k.hold(id, heldDir(t, dir), id, 1<<20, r) != nil {
				refused++
			}
		}
		for i := 0; i < 10000; i++ {
			k.drop("a" + strconv.Itoa(i))
		}
		done <- refused
	}()
	select {
	case refused := <-done:
		if refused == 0 {
			t.Error("no hold was refused by a stopped keeper")
		}
	case <-time.After(5 * time.Minute):
		t.Fatal("holds and drops block on a stopped keeper")
	}
}

// serverDiesThenAWrites closes the server's ends of the pipes of each
// attempt (pipes: id to its read and write ends) and its end of the
// keeper's socket, then has each program write "ID after" and end, and
// waits for the keeper (exited) to exit.
func serverDiesThenAWrites(t *testing.T, k *keeper, exited chan struct{}, pipes map[string][2][2]*os.File) {
	t.Helper()
	for _, p := range pipes {
		p[0][0].Close()
		p[0][1].Close()
	}
	k.abandon() // the server dies
	for id, p := range pipes {
		p[1][0].WriteString(id + " after\n")
		p[1][0].Close()
		p[1][1].Close()
	}
	keeperGone(t, exited)
}

// A keeper that could not be started in the place of one that died is
// started at the next launch, and handed what was held before as well
// (F3).
func TestKeeperStartedAfterAFailedRestartHoldsAll(t *testing.T) {
	k, dir, ra, wa := heldKeeper(t, "a")
	k.mu.Lock()
	first, exited := k.pid, k.exited
	k.startKeeper = func() error { return syscall.EAGAIN }
	k.mu.Unlock()
	syscall.Kill(first, syscall.SIGKILL)
	keeperGone(t, exited)
	// The restart runs once the keeper is seen to exit: wait for it.
	for i := 0; i < 1200; i++ {
		k.mu.Lock()
		fd := k.fd
		k.mu.Unlock()
		if fd < 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	k.mu.Lock()
	k.startKeeper = nil
	k.mu.Unlock()
	rb, wb := testPipes(t)
	if err := k.hold("b", heldDir(t, dir), "b", 1<<20, rb); err != nil {
		t.Fatal(err)
	}
	k.mu.Lock()
	exited = k.exited
	k.mu.Unlock()
	serverDiesThenAWrites(t, k, exited, map[string][2][2]*os.File{"a": {ra, wa}, "b": {rb, wb}})
	if got := readFile(dir, "a.stdout"); got != "a after\n" {
		t.Errorf("a.stdout %q: what was held before the failed restart was lost", got)
	}
	if got := readFile(dir, "b.stdout"); got != "b after\n" {
		t.Errorf("b.stdout %q", got)
	}
}

// BORGES_OUTPUT_KEEPER=1 alone makes no keeper of a program that links
// the package: it must be the keeper's name and have the keeper's socket
// on descriptor 3 as well; otherwise the program does its own work (F5).
func TestKeeperEnvAloneIsNoKeeper(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	for _, c := range []struct {
		name  string
		argv0 string
		fd3   *os.File
	}{
		{"no socket, its own name", exe, nil},
		{"the keeper's name, a pipe", "borges-keeper", pr},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(exe, "-test.list=^TestKeeperEnvAloneIsNoKeeper$")
			cmd.Args[0] = c.argv0
			cmd.Env = append(os.Environ(), keeperEnv+"=1")
			if c.fd3 != nil {
				cmd.ExtraFiles = []*os.File{c.fd3}
			}
			out, err := cmd.Output()
			if err != nil || !strings.Contains(string(out), "TestKeeperEnvAloneIsNoKeeper") {
				t.Errorf("the test binary with %s=1: %v, output %q", keeperEnv, err, out)
			}
		})
	}
}

// A restart waits for the keepers of the attempts that ended while no
// server ran once, for all of them together, not for each in turn (F4).
func TestKeeperRecoverWaitsOnce(t *testing.T) {
	dir := t.TempDir()
	var attempts []*engine.Attempt
	var log strings.Builder
	for i := 0; i < 20; i++ {
		a := attempt("exit 0", nil)
		attempts = append(attempts, a)
		if err := os.MkdirAll(filepath.Join(dir, "attempts", a.ID, "sandbox"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "attempts", a.ID, "exit"), []byte("0\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		log.WriteString("+" + a.ID + "\n") // taken over, never copied
	}
	if err := os.WriteFile(filepath.Join(dir, keeperLog), []byte(log.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var calls [][]string
	keptWait = func(logPath string, ids []string, d time.Duration, own string) map[string]bool {
		calls = append(calls, ids)
		return waitKeptAll(logPath, ids, 0, own)
	}
	t.Cleanup(func() { keptWait = waitKeptAll })
	b, r := newBackendConfig(t, Config{DataDir: dir, CgroupParent: "-"})
	if err := b.Recover(context.Background(), attempts); err != nil {
		t.Fatal(err)
	}
	for _, a := range attempts {
		if u := r.wait(t, a.ID); u.State != engine.Finished {
			t.Fatalf("%s: %+v", a.ID, u)
		}
	}
	if len(calls) != 1 || len(calls[0]) != len(attempts) {
		t.Errorf("the keepers waited for %d times, for %v: want once, for all %d", len(calls), calls, len(attempts))
	}
}

// The keeper writes through no symbolic link: neither its log (a link at
// DATA/kept-outputs to a file elsewhere) nor an output whose directory
// is a link to a directory elsewhere; what is outside stays as it was
// (F7).
func TestKeeperWritesThroughNoLink(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "log"), []byte("outside\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "log"), filepath.Join(dir, keeperLog)); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "out", "shard")); err != nil {
		t.Fatal(err)
	}
	k := testKeeper(t, dir)
	r, w := testPipes(t)
	if err := k.hold("a", heldDir(t, filepath.Join(dir, "out")), "shard/a", 1<<20, r); err != nil {
		t.Fatal(err)
	}
	k.mu.Lock()
	exited := k.exited
	k.mu.Unlock()
	r[0].Close()
	r[1].Close()
	k.abandon() // the server dies
	if _, err := w[0].WriteString("after\n"); err != nil {
		t.Errorf("the program's write: %v", err)
	}
	w[0].Close()
	w[1].Close()
	keeperGone(t, exited)
	if got := readFile(outside, "log"); got != "outside\n" {
		t.Errorf("the file the log's link points to was written: %q", got)
	}
	if _, err := os.Stat(filepath.Join(outside, "a.stdout")); !os.IsNotExist(err) {
		t.Errorf("an output was written through its directory's link: %v", err)
	}
}

// A keeper whose table of descriptors is full receives an attempt's
// message without its pipes (MSG_CTRUNC): it says so in its log and
// exits; the server notices, launches from then on with stand-ins, and
// hands what it held, the attempt whose pipes were lost included, to one
// more keeper, which copies them should the server die (F8).
func TestKeeperLostDescriptorsFallsBack(t *testing.T) {
	k, dir, ra, wa := heldKeeper(t, "a")
	k.mu.Lock()
	pid, exited := k.pid, k.exited
	k.mu.Unlock()
	// Once it runs (its loader opens files) and has received a's, the
	// lowest descriptor free in the keeper becomes its limit: it can
	// receive none.
	for i := 0; i < 1200 && !receiving(pid); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	free := 0
	for ; free < 1024; free++ {
		if _, err := os.Lstat("/proc/" + strconv.Itoa(pid) + "/fd/" + strconv.Itoa(free)); err != nil {
			break
		}
	}
	lim := unix.Rlimit{Cur: uint64(free), Max: uint64(free)}
	if err := unix.Prlimit(pid, unix.RLIMIT_NOFILE, &lim, nil); err != nil {
		t.Skipf("prlimit: %v", err)
	}
	rb, wb := testPipes(t)
	if err := k.hold("b", heldDir(t, dir), "b", 1<<20, rb); err != nil {
		t.Fatal(err)
	}
	keeperGone(t, exited)
	// The server's watch of the keeper notices.
	for i := 0; i < 1200; i++ {
		k.mu.Lock()
		noticed := k.noStart != nil
		exited = k.exited
		k.mu.Unlock()
		if noticed {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	rc, _ := testPipes(t)
	if err := k.hold("c", heldDir(t, dir), "c", 1<<20, rc); err == nil {
		t.Error("a launch after the keeper lost descriptors is held by a keeper: want its stand-in")
	}
	if log := readFile(dir, keeperLog); !strings.Contains(log, "lost") {
		t.Errorf("the keeper's log says nothing of the descriptors lost: %q", log)
	}
	serverDiesThenAWrites(t, k, exited, map[string][2][2]*os.File{"a": {ra, wa}, "b": {rb, wb}})
	for _, id := range []string{"a", "b"} {
		if got := readFile(dir, id+".stdout"); got != id+" after\n" {
			t.Errorf("%s.stdout %q", id, got)
		}
	}
}

// The keeper reads the pipes it takes over without a thread each: it
// makes blocking descriptions (those of a server where pipes do not open
// again through /proc, pipesReopen) non-blocking, the server being dead
// (F8).
func TestKeeperTakesOverNonBlocking(t *testing.T) {
	dir := t.TempDir()
	k := testKeeper(t, dir)
	var r, w [2]*os.File
	for i := range r {
		var p [2]int
		if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
			t.Fatal(err)
		}
		r[i], w[i] = os.NewFile(uintptr(p[0]), "r"), os.NewFile(uintptr(p[1]), "w")
		t.Cleanup(func() { r[i].Close(); w[i].Close() })
	}
	// The test's view of the description the keeper reads.
	view, err := unix.FcntlInt(r[0].Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(view)
	if err := k.hold("a", heldDir(t, dir), "a", 1<<20, r); err != nil {
		t.Fatal(err)
	}
	k.mu.Lock()
	name := k.self + strconv.Itoa(k.starts-1)
	k.mu.Unlock()
	r[0].Close()
	r[1].Close()
	k.abandon() // the server dies
	for i := 0; i < 1200 && !readKept(k.log).noted[name]; i++ {
		time.Sleep(50 * time.Millisecond)
	}
	if !readKept(k.log).noted[name] {
		t.Fatal("the keeper did not note its takeover within a minute")
	}
	fl, err := unix.FcntlInt(uintptr(view), unix.F_GETFL, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fl&unix.O_NONBLOCK == 0 {
		t.Error("the keeper reads a pipe it took over blocking")
	}
}

// An attempt whose outputs no keeper holds (none could be started) says
// in the server's log why it has a stand-in (F9).
func TestKeeperHoldFailureLogged(t *testing.T) {
	var logged proctest.SyncBuffer
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), CgroupParent: "-",
		Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	b.keeper.mu.Lock()
	b.keeper.startKeeper = func() error { return syscall.EAGAIN }
	b.keeper.mu.Unlock()
	a := attempt("echo hi", nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("%+v", u)
	}
	var line string
	for _, l := range strings.Split(logged.String(), "\n") {
		if strings.Contains(l, a.ID) && strings.Contains(l, "stand-in") {
			line = l
		}
	}
	if !strings.Contains(line, syscall.EAGAIN.Error()) {
		t.Errorf("no line of the log says why attempt %s has a stand-in: %q", a.ID, logged.String())
	}
}

// A keeper that lived long (keeperForgivenAfter) gives back the restarts
// the server allows itself: one that dies once a month for a year is
// replaced each time, however many died before (F9).
func TestKeeperLongLivedRestartsAgain(t *testing.T) {
	saved := keeperForgivenAfter
	keeperForgivenAfter = 0 // every keeper lived long
	t.Cleanup(func() { keeperForgivenAfter = saved })
	k, _, _, _ := heldKeeper(t, "a")
	k.mu.Lock()
	k.recentStarts = maxKeeperStarts // as many as the server allows died
	k.mu.Unlock()
	killKeeper(t, k)
}
