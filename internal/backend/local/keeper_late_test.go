package local

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/proctest"
)

// reattachable starts what a restarted server b takes for attempt id's
// wrapper, still running: a process group leader with the wrapper's
// exit-file environment (Recover re-attaches to it), and its pid, once
// its exec has ended (its environment readable: a scan catching it
// mid-exec would set it aside, and look at it again only where an
// attempt's wrapper is missing). end makes it exit, and waits for it.
func reattachable(t *testing.T, b *Backend, id string) (end func(), pid int) {
	t.Helper()
	cmd := exec.Command("sleep", proctest.Marker(t))
	carried := "BORGES_EXIT_FILE=" + b.exitFile(id)
	cmd.Env = append(os.Environ(), carried)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	end = func() {
		once.Do(func() {
			cmd.Process.Kill()
			cmd.Wait()
		})
	}
	t.Cleanup(end)
	proctest.WaitEnv(t, cmd.Process.Pid, carried)
	return end, cmd.Process.Pid
}

// reattached recovers attempt a, a wrapper still running, and returns
// the server's record of it.
func reattached(t *testing.T, b *Backend, r *recorder, a *engine.Attempt) *proc {
	t.Helper()
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	// Recover reports a re-attachment before it returns: no wait. Should
	// it not, the test fails now, saying what it saw, rather than wait
	// for an end a stopped keeper would hold back until the deadline.
	seen := r.of(a.ID)
	if len(seen) == 0 || seen[0].State != engine.Running || !strings.Contains(seen[0].Message, "re-attached") {
		t.Fatalf("Recover reported %+v, want it re-attached; live processes marked with its exit file: %s",
			seen, whyNotLeader(b.exitFile(a.ID)))
	}
	b.mu.Lock()
	p := b.procs[a.ID]
	b.mu.Unlock()
	if p == nil {
		t.Fatal("not re-attached")
	}
	return p
}

// whyNotLeader describes, for a failure, the live processes carrying
// exitFile (their stat lines: state, parent, group), and whether a scan
// made now (groupLeaders) finds the wrapper: found now, the one Recover
// made missed it for a moment; not found, a filter of the scan leaves it
// out.
func whyNotLeader(exitFile string) string {
	var out []string
	for _, pid := range proctest.WithEnv("BORGES_EXIT_FILE=" + exitFile) {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		out = append(out, fmt.Sprintf("%d (stat %q, %v)", pid, strings.TrimSpace(string(stat)), err))
	}
	leaders, later, err := groupLeaders(launches{})
	l, found := leaders[exitFile]
	releaseLeaders(leaders)
	releasePending(later)
	return fmt.Sprintf("%v; a scan now finds it: %v (pid %d, err %v)", out, found, l.pid, err)
}

// waitReaped waits, at most a minute, until finish has seen p's end and
// killed its group: it then waits for the keeper of the server gone.
func waitReaped(t *testing.T, p *proc) {
	t.Helper()
	for i := 0; !p.isReaped(); i++ {
		if i == 1200 {
			t.Fatal("the attempt's end was not seen within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitDone waits, at most a minute, for finish to be done with p.
func waitDone(t *testing.T, p *proc) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(time.Minute):
		t.Fatal("finish did not return within a minute")
	}
}

// noEnd fails if an end of attempt id was reported.
func noEnd(t *testing.T, r *recorder, id string) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, u := range r.updates {
		if u.AttemptID == id && u.State.Terminal() {
			t.Errorf("reported %s %q", u.State, u.Message)
		}
	}
}

// waitCopied waits, at most a minute, until the keepers' log of dataDir
// says attempt id's outputs were copied.
func waitCopied(t *testing.T, dataDir, id string) {
	t.Helper()
	for i := 0; ; i++ {
		if _, copied := keptState(filepath.Join(dataDir, keeperLog), id); copied {
			return
		}
		if i == 1200 {
			t.Fatal("the keeper did not copy the outputs within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// statusAtEnd takes away the exit status stoppedHandover left for
// attempt id in dir, for a wrapper still running: a wrapper writes its
// status last, as it ends, and a status there is an end (Recover does not
// look again for a wrapper then). The function returned writes it back,
// before the stand-in wrapper ends.
func statusAtEnd(t *testing.T, dir, id string) (write func()) {
	t.Helper()
	path := filepath.Join(dir, "attempts", id, "exit")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Error(err)
		}
	}
}

// endsAtStoppedHandover has a restarted server (b, on dir) re-attach to
// attempt a (its record p), which then exits 3 while the keeper of the
// server gone (pid), which took over its outputs, is stopped: finish
// waits for that keeper when it returns.
func endsAtStoppedHandover(t *testing.T, dir string) (*Backend, *recorder, *engine.Attempt, *proc, int) {
	t.Helper()
	a := attempt("exit 3", nil)
	pid := stoppedHandover(t, dir, a.ID, 3)
	status := statusAtEnd(t, dir, a.ID)
	b, r := noCgroups(t, dir)
	end, _ := reattachable(t, b, a.ID)
	p := reattached(t, b, r, a)
	status()
	end()
	waitReaped(t, p)
	return b, r, a, p, pid
}

// A re-attached attempt ends while the keeper of the server gone, which
// took over its outputs, is stopped; the server stops while finish waits
// for that keeper. Its end is not reported, outputs cut short: the next
// start finds it ended, and reports it with all its outputs.
func TestKeeperHandoverLeftToTheNextStart(t *testing.T) {
	dir := t.TempDir()
	_, r, a, p, pid := endsAtStoppedHandover(t, dir)
	r.stop()
	waitDone(t, p)
	noEnd(t, r, a.ID)
	syscall.Kill(pid, syscall.SIGCONT)
	waitCopied(t, dir, a.ID)
	b2, r2 := noCgroups(t, dir)
	if err := b2.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, a.ID); u.State != engine.Failed || u.Message != "exit status 3" {
		t.Fatalf("%+v", u)
	}
	if data, _, err := b2.ReadLog(context.Background(), a.ID, "stdout", 0, 1<<10); err != nil || string(data) != "written last\n" {
		t.Errorf("stdout %q (%v), want what the program wrote last", data, err)
	}
}

// A kill while finish waits for the keeper of a server gone is of an
// attempt that ended on its own: no process group is signalled (its id
// may be another's by then), and its end is its own, not a kill's.
func TestKeeperHandoverKillIsNoKill(t *testing.T) {
	var mu sync.Mutex
	var signalled []int
	old := signalGroup
	signalGroup = func(pgid int, sig syscall.Signal) error {
		mu.Lock()
		signalled = append(signalled, pgid)
		mu.Unlock()
		return nil
	}
	t.Cleanup(func() { signalGroup = old })
	dir := t.TempDir()
	b, r, a, _, pid := endsAtStoppedHandover(t, dir)
	if err := b.Kill(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(pid, syscall.SIGCONT)
	if u := r.wait(t, a.ID); u.State != engine.Failed || u.Message != "exit status 3" {
		t.Errorf("%+v", u)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(signalled) > 0 {
		t.Errorf("process groups %v signalled", signalled)
	}
}

// inKeptLater counts the goroutines waiting for keepers of servers gone.
func inKeptLater() int {
	buf := make([]byte, 1<<20)
	return strings.Count(string(buf[:runtime.Stack(buf, true)]), "(*Backend).keptLater(")
}

// Close ends the waits for keepers of servers gone (Recover's and
// finish's), and waits for them: nothing is reported after it returns.
func TestKeeperHandoverWaitEndsWithClose(t *testing.T) {
	dir := t.TempDir()
	ended, running := attempt("exit 0", nil), attempt("exit 3", nil)
	pids := []int{stoppedHandover(t, dir, ended.ID, 0), stoppedHandover(t, dir, running.ID, 3)}
	status := statusAtEnd(t, dir, running.ID)
	b, r := noCgroups(t, dir)
	end, _ := reattachable(t, b, running.ID)
	if err := b.Recover(context.Background(), []*engine.Attempt{ended}); err != nil {
		t.Fatal(err)
	}
	p := reattached(t, b, r, running)
	status()
	end()
	waitReaped(t, p)
	closed := make(chan struct{})
	go func() { b.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(time.Minute):
		t.Fatal("Close did not return within a minute")
	}
	if n := inKeptLater(); n > 0 {
		t.Errorf("%d waits for a keeper of a server gone outlived Close", n)
	}
	waitDone(t, p)
	noEnd(t, r, ended.ID)
	noEnd(t, r, running.ID)
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGCONT)
	}
}

// appendTo appends s to the file path.
func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// A last line of the keepers' log without its "\n" is being written: it
// is not read (a "-id" cut short could name another attempt).
func TestReadKeptWholeLinesOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), keeperLog)
	appendTo(t, path, "@k\n+a\n-a")
	if st := readKept(path); !st.noted["k"] || !st.taken["a"] || st.copied["a"] {
		t.Errorf("%+v, want a taken over, not yet copied", st)
	}
	appendTo(t, path, "\n")
	if st := readKept(path); !st.copied["a"] {
		t.Errorf("%+v, want a copied", st)
	}
}

// An attempt's outputs are done with when no keeper took them over, or
// the last that did has copied them (a keeper may take over what an
// earlier one copied).
func TestKeptLogDone(t *testing.T) {
	path := filepath.Join(t.TempDir(), keeperLog)
	appendTo(t, path, "@k\n+a\n-a\n+b\n+c\n-c\n+c\n")
	st := readKept(path)
	for id, want := range map[string]bool{"a": true, "b": false, "c": false, "d": true} {
		if got := st.done(id); got != want {
			t.Errorf("%s: done %v, want %v (%+v)", id, got, want, st)
		}
	}
}

// A wait reads the keepers' log as it grows: each read parses only what
// was appended since the last, and a line once it is whole.
func TestKeptReaderReadsOnlyWhatWasAppended(t *testing.T) {
	path := filepath.Join(t.TempDir(), keeperLog)
	appendTo(t, path, "@k\n+a\n-")
	r := newKeptReader(path)
	if st := r.read(); !st.taken["a"] || st.copied["a"] {
		t.Errorf("%+v", st)
	}
	appendTo(t, path, "a\n+b\n")
	if st := r.read(); !st.copied["a"] || !st.taken["b"] || !st.noted["k"] {
		t.Errorf("%+v", st)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.off != fi.Size() {
		t.Errorf("read up to %d of %d bytes", r.off, fi.Size())
	}
	delete(r.st.taken, "b") // a line read again would bring it back
	appendTo(t, path, "-b\n")
	if st := r.read(); st.taken["b"] || !st.copied["b"] {
		t.Errorf("%+v: lines read again, or the new one not read", st)
	}
	// A log made anew (shorter than what was read) is read from its start.
	if err := os.WriteFile(path, []byte("+c\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if st := r.read(); !st.taken["c"] || st.copied["a"] {
		t.Errorf("%+v, want the new log's", st)
	}
}

// keptLaterCopied runs keptLater over ids on the keepers' log of a
// backend, as finish does, and says, for each it reports, whether the
// keepers of servers gone had copied its outputs.
func keptLaterCopied(t *testing.T, logPath string, ids ...string) map[string]bool {
	t.Helper()
	b := &Backend{keeper: &keeper{log: logPath, self: "own."}, log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		stopping: make(chan struct{}), closing: make(chan struct{})}
	copied := map[string]bool{}
	if !b.keptLater(ids, func(id string, c bool) { copied[id] = c }) {
		t.Fatal("keptLater did not report")
	}
	return copied
}

// An ended attempt's end is reported with whether its outputs are
// copied, as the keepers' log says where keptLater read it: one a live
// keeper of a server gone copied; one no keeper took over, not copied
// while a live keeper has not yet noted what it took over (it may hold
// it); one taken over but not copied by a keeper that is gone; one taken
// over and never copied by a live keeper, not copied once keptLaterFor has
// passed (shortened here, so that a wait without end fails the test
// rather than holding it for minutes).
func TestKeptLaterSaysWhatIsCopied(t *testing.T) {
	oldFor, oldPoll := keptLaterFor, keptLaterPoll
	keptLaterFor, keptLaterPoll = 50*time.Millisecond, 5*time.Millisecond
	t.Cleanup(func() { keptLaterFor, keptLaterPoll = oldFor, oldPoll })
	path := filepath.Join(t.TempDir(), keeperLog)
	appendTo(t, path, "+gone\n")
	if got := keptLaterCopied(t, path, "gone", "never"); got["gone"] || !got["never"] {
		t.Errorf("no live keeper: %v, want gone not copied, never copied", got)
	}
	lock, err := takeKeeperLock(path, "gone.0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Close() })
	if got := keptLaterCopied(t, path, "never"); got["never"] {
		t.Errorf("a live keeper that has not noted: %v, want never not copied", got)
	}
	appendTo(t, path, "@gone.0\n+a\n-a\n")
	if got := keptLaterCopied(t, path, "a", "never"); !got["a"] || !got["never"] {
		t.Errorf("a live keeper that noted: %v, want both copied", got)
	}
	appendTo(t, path, "+b\n")
	if got := keptLaterCopied(t, path, "b", "a"); got["b"] || !got["a"] || len(got) != 2 {
		t.Errorf("a live keeper that took b over and never copied it: %v, want b not copied, a copied", got)
	}
}

// Where the machine's processes cannot be listed, Recover cannot tell a
// wrapper still running from one gone: it fails, reporting nothing,
// rather than report a running attempt lost (or ended, from its exit
// file) and leave its processes unwatched.
func TestRecoverFailsWithoutTheProcessList(t *testing.T) {
	old := listProcesses
	listProcesses = func() ([]os.DirEntry, error) { return nil, syscall.EMFILE }
	t.Cleanup(func() { listProcesses = old })
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	reattachable(t, b, a.ID)
	recoverFails(t, b, r, a, "too many open files")
}

// recoverFails checks that Recover of attempt a fails with an error
// saying want, and reports nothing.
func recoverFails(t *testing.T, b *Backend, r *recorder, a *engine.Attempt, want string) {
	t.Helper()
	err := b.Recover(context.Background(), []*engine.Attempt{a})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Recover: %v, want an error saying %q", err, want)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.updates) > 0 {
		t.Errorf("reported %+v", r.updates)
	}
}
