package local

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// recorder collects updates and lets a test wait for one.
type recorder struct {
	mu      sync.Mutex
	updates []engine.Update
	changed chan struct{}
	stop    context.CancelFunc // stops the backend, as a server's end does
	backend *Backend           // whose ends' cgroup work wait waits for
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{}, 1000)} }

func (r *recorder) sink(u engine.Update) {
	r.mu.Lock()
	r.updates = append(r.updates, u)
	r.mu.Unlock()
	r.changed <- struct{}{}
}

// of lists the updates of attempt id so far.
func (r *recorder) of(id string) []engine.Update {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []engine.Update
	for _, u := range r.updates {
		if u.AttemptID == id {
			out = append(out, u)
		}
	}
	return out
}

// ended says whether attempt id has a terminal update.
func (r *recorder) ended(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, u := range r.updates {
		if u.AttemptID == id && u.State.Terminal() {
			return true
		}
	}
	return false
}

// wait returns the first update of attempt id in a terminal state (or in
// state want, if given), failing once the test's deadline nears
// (proctest.WaitDeadline): it asserts no speed.
func (r *recorder) wait(t *testing.T, id string, want ...engine.State) engine.Update {
	t.Helper()
	deadline := time.After(proctest.WaitTimeout(t))
	for {
		r.mu.Lock()
		for _, u := range r.updates {
			if u.AttemptID != id {
				continue
			}
			if len(want) == 0 && u.State.Terminal() || len(want) > 0 && u.State == want[0] {
				r.mu.Unlock()
				if r.backend != nil && u.State.Terminal() {
					// Its cgroup is kept or removed after its end is
					// reported (finish).
					r.backend.ends.wait()
				}
				return u
			}
		}
		r.mu.Unlock()
		select {
		case <-r.changed:
		case <-deadline:
			t.Fatalf("attempt %s: no update %v; its updates: %+v", id, want, r.of(id))
		}
	}
}

func newBackend(t *testing.T, dir string) (*Backend, *recorder) {
	t.Helper()
	return newBackendConfig(t, Config{DataDir: dir, KillGrace: 2 * time.Second, CgroupParent: "borges-test"})
}

func newBackendConfig(t *testing.T, cfg Config) (*Backend, *recorder) {
	t.Helper()
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Before the test's directories go (registered before, run after),
	// in this order: whatever the test leaves in this instance's cgroups
	// is killed, and the process groups of the attempts left running
	// (without a cgroup, nothing else ends them); their ends are waited
	// for (a little: an end keeps its empty cgroup for a later attempt),
	// and the cgroups removed; then the keeper of the outputs is let go,
	// and waited for: it exits once what it holds has ended, or is killed
	// (stopKeeper).
	// The instance made here (a test may give b others of its own, which
	// it releases).
	cgroups := b.cgroups
	t.Cleanup(func() {
		cgroups.Sweep(nil)
		var launched []*proc
		b.mu.Lock()
		for _, p := range b.procs {
			if p.isReaped() {
				continue // ended, and its group killed: its pgid may be another's
			}
			syscall.Kill(-p.pid, syscall.SIGKILL)
			if p.out != nil { // ends on its own (a re-attached one is watched, and not once the backend stops)
				launched = append(launched, p)
			}
		}
		b.mu.Unlock()
		deadline := time.After(time.Minute)
	ends:
		for _, p := range launched {
			select {
			case <-p.done:
			case <-deadline:
				t.Errorf("attempt %s did not end within a minute of being killed", p.id)
				break ends
			}
		}
		ended := make(chan struct{})
		go func() { b.ends.wait(); close(ended) }()
		select {
		case <-ended:
		case <-deadline:
		}
		b.dropPreparedCgroups()
		cgroups.Release()
		stopKeeper(t, b.keeper)
	})
	r := newRecorder()
	r.backend = b
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r.stop = cancel
	b.Start(ctx, r.sink)
	return b, r
}

var attempts int

// testID is an attempt id made unique to this test process with its
// pid: the hold scan reads every process of the machine and knows an
// attempt's processes by its id alone (markerID), so that a process
// another copy of these tests left behind, were the ids counted alike,
// would hold this copy's attempt of the same number.
func testID(prefix string, n int) string {
	return prefix + strconv.Itoa(os.Getpid()) + ".0." + strconv.Itoa(n)
}

func attempt(script string, mod func(*plan.Task)) *engine.Attempt {
	attempts++
	task := &plan.Task{Block: "b", Interpreter: []string{"sh"}, Resources: plan.Resources{CPUs: 0.5, MemMB: 64}}
	if mod != nil {
		mod(task)
	}
	return &engine.Attempt{ID: testID("d.b", attempts), Task: task, Script: script, Env: map[string]string{"GREETING": "hi"}}
}

func TestRunAndOutput(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	a := attempt("echo \"$GREETING from $(pwd)\"; echo oops >&2; echo \"$GREETING\" > made", nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	u := r.wait(t, a.ID)
	if u.State != engine.Finished || u.ExitCode == nil || *u.ExitCode != 0 {
		t.Fatalf("update = %+v", u)
	}
	out, size, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := "hi from " + b.SandboxDir(a.ID) + "\n"
	if string(out) != want || size != int64(len(want)) {
		t.Fatalf("stdout = %q (%d), want %q", out, size, want)
	}
	errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 100)
	if string(errOut) != "oops\n" {
		t.Fatalf("stderr = %q", errOut)
	}
	part, _, _ := b.ReadLog(context.Background(), a.ID, "stdout", 3, 4)
	if string(part) != "from" {
		t.Fatalf("offset read = %q", part)
	}
	// Any file of the sandbox reads as a stream; nothing outside it does
	// (Borges' own files of the attempt are not in the sandbox).
	if made, _, err := b.ReadLog(context.Background(), a.ID, "made", 0, 100); err != nil || string(made) != "hi\n" {
		t.Fatalf("made = %q, %v", made, err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "a/../../x", "", ".", "../script"} {
		if _, _, err := b.ReadLog(context.Background(), a.ID, bad, 0, 1); err == nil {
			t.Fatalf("stream %q must be refused", bad)
		}
	}
}

func TestExitCodeAndDir(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	dir := t.TempDir()
	a := attempt("pwd > where; exit 3", func(task *plan.Task) { task.Dir = dir })
	b.Launch(context.Background(), a)
	u := r.wait(t, a.ID)
	if u.State != engine.Failed || *u.ExitCode != 3 || u.Message != "exit status 3" {
		t.Fatalf("update = %+v", u)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "where"))
	if strings.TrimSpace(string(got)) != dir {
		t.Fatalf("ran in %q, want %q", got, dir)
	}
}

func TestMissingInterpreter(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	a := attempt("true", func(task *plan.Task) { task.Interpreter = []string{"no-such-interpreter-borges"} })
	b.Launch(context.Background(), a)
	u := r.wait(t, a.ID)
	if u.State != engine.Failed || *u.ExitCode != 127 {
		t.Fatalf("update = %+v", u)
	}
}

func TestTimeout(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	a := attempt("sleep 30", func(task *plan.Task) { task.Timeout = 300 * time.Millisecond })
	b.Launch(context.Background(), a)
	u := r.wait(t, a.ID)
	if u.State != engine.Failed || u.Message != "timed out after 300ms" || !u.TimedOut {
		t.Fatalf("update = %+v", u)
	}
}

func alive(pid int) bool {
	_, err := processStart(pid)
	return err == nil
}

// TestKillKillsTheGroup: with a cgroup or without (the process group is
// then the task), a kill reaches the program's children.
func TestKillKillsTheGroup(t *testing.T) {
	for _, parent := range []string{"borges-test", "-"} {
		t.Run("cgroups "+parent, func(t *testing.T) { killKillsTheGroup(t, parent) })
	}
}

func killKillsTheGroup(t *testing.T, cgroupParent string) {
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: cgroupParent})
	if cgroupParent == "-" && b.cgroups != nil {
		t.Fatalf("cgroups %q: %s", cgroupParent, b.Enforcement())
	}
	pidFile := filepath.Join(t.TempDir(), "child")
	a := attempt("sleep 60 & echo $! > "+pidFile+"; wait", nil)
	b.Launch(context.Background(), a)
	r.wait(t, a.ID, engine.Running)
	var child int
	until(t, "the child's pid is written", func() bool {
		data, _ := os.ReadFile(pidFile)
		child, _ = strconv.Atoi(strings.TrimSpace(string(data)))
		return child != 0
	})
	if child == 0 || !alive(child) {
		t.Fatal("background child did not start")
	}
	b.Kill(context.Background(), a.ID)
	u := r.wait(t, a.ID)
	if u.State != engine.Killed {
		t.Fatalf("update = %+v", u)
	}
	for i := 0; i < 250 && alive(child); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if alive(child) {
		t.Fatalf("grandchild %d survived the kill", child)
	}
	if err := b.Kill(context.Background(), a.ID); err != nil {
		t.Fatalf("killing a finished attempt: %v", err)
	}
}

// TestRecover simulates a restart of the server: a second backend on the
// same data directory takes over the attempts of the first. A wrapper
// re-attached to is held by a handle (a pidfd) only where the kill uses
// one: a plain script's (killGroup).
func TestRecover(t *testing.T) {
	dir := t.TempDir()
	first, r1 := newBackend(t, dir)
	long := attempt("sleep 30", nil)
	// Not plain (a :cmdline): its wrapper dies of the kill's SIGTERM.
	args := attempt("sleep 30", func(task *plan.Task) { task.CmdLine = []string{"arg"} })
	quick := attempt("exit 4", nil)
	first.Launch(context.Background(), long)
	first.Launch(context.Background(), args)
	first.Launch(context.Background(), quick)
	r1.wait(t, long.ID, engine.Running)
	r1.wait(t, args.ID, engine.Running)
	r1.wait(t, quick.ID)
	vanished := attempt("true", nil)

	second, r2 := newBackend(t, dir)
	if err := second.Recover(context.Background(), []*engine.Attempt{long, args, quick, vanished}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []*engine.Attempt{long, args} {
		if u := r2.wait(t, a.ID, engine.Running); !strings.Contains(u.Message, "re-attached") {
			t.Fatalf("%s: %+v", a.ID, u)
		}
		second.mu.Lock()
		p := second.procs[a.ID]
		second.mu.Unlock()
		if p == nil {
			t.Fatalf("%s: not re-attached", a.ID)
		}
		p.mu.Lock()
		held, plain := p.process != nil, p.plain
		p.mu.Unlock()
		if held != (plain && pidfdsAvailable()) || a == args && plain {
			t.Fatalf("%s: re-attached plain %v, held by a handle %v: a handle is held where it is plain (and pidfds are available), and only there", a.ID, plain, held)
		}
	}
	if !second.plainSh {
		// long is not plain: no handle is held, none is looked at.
		if outside.Strict() {
			t.Errorf("BORGES_TEST_STRICT=1: /bin/sh is not dash: no plain wrapper re-attached to")
		} else {
			t.Log("/bin/sh is not dash: no plain wrapper re-attached to, its handle not checked")
		}
	}
	second.Kill(context.Background(), args.ID)
	if u := r2.wait(t, args.ID); u.State != engine.Killed {
		t.Fatalf("args after kill: %+v", u)
	}
	wantRecovered(t, second, r2, long, quick, vanished)
}

// wantRecovered checks what backend b, recording to r, made of the
// attempts it recovered: long re-attached to, quick ended with exit
// status 4 while no server ran, vanished lost; then kills long, which
// ends killed.
func wantRecovered(t *testing.T, b *Backend, r *recorder, long, quick, vanished *engine.Attempt) {
	t.Helper()
	if u := r.wait(t, long.ID, engine.Running); !strings.Contains(u.Message, "re-attached") {
		t.Fatalf("long: %+v", u)
	}
	if u := r.wait(t, quick.ID); u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 4 {
		t.Fatalf("quick: %+v", u)
	}
	if u := r.wait(t, vanished.ID); u.State != engine.Lost {
		t.Fatalf("vanished: %+v", u)
	}
	b.Kill(context.Background(), long.ID)
	if u := r.wait(t, long.ID); u.State != engine.Killed {
		t.Fatalf("long after kill: %+v", u)
	}
}

func TestMemoryLimit(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	if b.cgroups == nil {
		t.Skipf("no cgroups here: %s", b.Enforcement())
	}
	// A shell variable growing past 300 MB under a 50 MB limit.
	a := attempt(`x=$(head -c 300000000 /dev/zero | tr '\0' a); echo survived ${#x}`, func(task *plan.Task) {
		task.Resources.MemMB = 50
	})
	b.Launch(context.Background(), a)
	u := r.wait(t, a.ID)
	if u.State != engine.Failed || !strings.Contains(u.Message, "out of memory") {
		t.Fatalf("update = %+v (%s)", u, b.Enforcement())
	}
}

func TestCapacityDetected(t *testing.T) {
	b, _ := newBackend(t, t.TempDir())
	c, ok := b.Capacity()
	if !ok || c.CPUs < 1 || c.MemMB < 64 {
		t.Fatalf("capacity = %+v", c)
	}
}

// :ports N gives a process N free host ports, none shared by two attempts
// running at once, and takes them back when it ends.
func TestProcessPorts(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	seen := map[string]bool{}
	var running []*engine.Attempt
	for i := 0; i < 3; i++ {
		a := attempt(`echo "$PORT0 $PORT1 $PORTS"; sleep 30`, func(task *plan.Task) { task.Resources.Ports = 2 })
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		r.wait(t, a.ID, engine.Running)
		running = append(running, a)
		var line string
		until(t, "the ports are printed", func() bool {
			out, _, _ := b.ReadLog(context.Background(), a.ID, "stdout", 0, 100)
			line = string(out)
			return strings.HasSuffix(line, "\n")
		})
		f := strings.Fields(line)
		if len(f) != 3 || f[2] != f[0]+","+f[1] {
			t.Fatalf("ports = %q", line)
		}
		for _, p := range f[:2] {
			if seen[p] {
				t.Fatalf("port %s given twice", p)
			}
			seen[p] = true
		}
	}
	for _, a := range running {
		b.Kill(context.Background(), a.ID)
		r.wait(t, a.ID)
	}
	b.ports.mu.Lock()
	defer b.ports.mu.Unlock()
	if len(b.ports.inUse) != 0 {
		t.Fatalf("ports still held: %v", b.ports.inUse)
	}
}

// TestRecoverEndedWhileRecovering: a process seen running when a start
// lists the processes, which appends its status to its exit log after
// the start read the logs and exits before the start looks at it again
// (the programs a stopping server just let go), is reported with that
// status, not lost (TestGracefulShutdown ran such blocks twice).
func TestRecoverEndedWhileRecovering(t *testing.T) {
	dir := t.TempDir()
	first, r1 := newBackend(t, dir)
	a := attempt("while [ ! -e go ]; do sleep 0.05; done; exit 5", nil)
	if err := first.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r1.wait(t, a.ID, engine.Running)
	afterExitLogsRead = func() {
		if err := os.WriteFile(filepath.Join(first.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
			t.Error(err)
		}
		until(t, "the process ended", func() bool {
			leaders, later, err := groupLeaders(launches{})
			if err != nil {
				t.Fatal(err)
			}
			defer releaseLeaders(leaders)
			defer releasePending(later)
			_, alive := leaders[first.exitFile(a.ID)]
			return !alive
		})
	}
	t.Cleanup(func() { afterExitLogsRead = nil })
	second, r2 := newBackend(t, dir)
	if err := second.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, a.ID); u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 5 {
		t.Fatalf("ended while recovered: %+v", u)
	}
}

// TestStdinIsDevNull: a process attempt reads /dev/null, read only, as
// when exec.Cmd opened it for each process, and through an open file
// description of its own, gone with the attempt: a lock a block takes on
// its standard input ends with it (where every attempt shared the
// server's one description, a block's `flock 0` held /dev/null locked,
// machine-wide, for as long as the server ran, and two blocks' locks did
// not exclude each other). flock(1) waits should another program on this
// machine hold /dev/null locked a moment; so does the test's own lock.
func TestStdinIsDevNull(t *testing.T) {
	outside.Need(t, "util-linux", "flock")
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), CgroupParent: "-"})
	for range 2 {
		a := attempt(`readlink /proc/self/fd/0; echo "read $(cat | wc -c)"; if { echo x >&0; } 2>/dev/null; then echo writable; else echo read-only; fi; `+
			`flock -w 60 -x 0 && echo locked`, nil)
		runOne(t, b, r, a)
		if out, want := stdout(t, b, a.ID), "/dev/null\nread 0\nread-only\nlocked\n"; out != want {
			t.Fatalf("stdout = %q, want %q", out, want)
		}
		until(t, "/dev/null is not locked once the attempt has ended", devNullLockable)
	}
}

// devNullLockable says whether an exclusive lock on /dev/null can be had
// now (it is let go at once).
func devNullLockable() bool {
	f, err := os.Open(os.DevNull)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return false
	}
	unix.Flock(int(f.Fd()), unix.LOCK_UN)
	return true
}

// startLeader starts a process-group leader for a test, as a wrapper is
// (BORGES_EXIT_FILE in its environment, plain), removed at the test's end.
func startLeader(t *testing.T, exitFile string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sleep", "600")
	cmd.Env = []string{"BORGES_EXIT_FILE=" + exitFile, plainEnv + "=1"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// TestReattachSameProcess: a wrapper found running is re-attached to only
// if the process its environment was read from still runs; a stranger
// given its pid since (here: the found leader's pid replaced by another
// process's, as a reused pid would be) is not re-attached to, and the
// attempt goes the way of an ended one (its logged exit).
func TestReattachSameProcess(t *testing.T) {
	exitFile := filepath.Join(t.TempDir(), "exit")
	wrapper := startLeader(t, exitFile)
	stranger := startLeader(t, filepath.Join(t.TempDir(), "other"))
	leaders, later, err := groupLeaders(launches{})
	if err != nil {
		t.Fatal(err)
	}
	releasePending(later)
	t.Cleanup(func() { releaseLeaders(leaders) })
	l, ok := leaders[exitFile]
	if !ok || l.pid != wrapper.Process.Pid || !l.plain {
		t.Fatalf("leader %+v (found %v), want pid %d, plain", l, ok, wrapper.Process.Pid)
	}
	wrapper.Process.Kill()
	wrapper.Wait()
	l.pid = stranger.Process.Pid
	handle, _, err := reattach(l)
	if err == nil || handle != nil {
		t.Fatalf("re-attached to a stranger: handle %v, err %v", handle, err)
	}
}
