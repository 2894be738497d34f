package local

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/proclist"
)

// testKeeper is a keeper of a server that the test is: its end closed
// (abandon) as the server's death closes it, at the latest when the test
// ends, so that the keeper exits once what it holds has ended.
func testKeeper(t *testing.T, dir string) *keeper {
	t.Helper()
	k := newKeeper(filepath.Join(dir, keeperLog), slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { stopKeeper(t, k) })
	return k
}

// stopKeeper closes the server's end of keeper k's socket (abandon), as
// the server's death does, and waits, at most a minute, for the keeper it
// started last to exit once what it holds has ended; one that has not
// (something the test started still holds a pipe, or it is stopped) is
// killed, and the test fails. No keeper is left alive.
func stopKeeper(t *testing.T, k *keeper) {
	t.Helper()
	k.abandon()
	k.mu.Lock()
	exited, pid := k.exited, k.pid
	k.mu.Unlock()
	if exited == nil || exitsWithinAMinute(exited) {
		return
	}
	syscall.Kill(pid, syscall.SIGCONT)
	syscall.Kill(pid, syscall.SIGKILL)
	<-exited // killed: waited for at once
	t.Errorf("the keeper %d did not exit within a minute of the test's end: killed", pid)
}

// keeperGone waits, at most a minute, for a keeper to exit.
func keeperGone(t *testing.T, exited chan struct{}) {
	t.Helper()
	if !exitsWithinAMinute(exited) {
		t.Fatal("the keeper did not exit")
	}
}

// exitsWithinAMinute waits, at most a minute, for a keeper to exit
// (exited closed), and says whether it did.
func exitsWithinAMinute(exited chan struct{}) bool {
	for i := 0; i < 1200; i++ {
		select {
		case <-exited:
			return true
		default:
			time.Sleep(50 * time.Millisecond)
		}
	}
	return false
}

// The keeper takes over the outputs of an attempt whose server died, as
// the stand-in does (TestStandInTakesOver): the real wrapper for kept
// outputs runs a program writing on both streams before and after the
// server's ends close; what it writes after reaches the files, or is
// drained when the file refuses it (past its size cap, a full disk, a
// link), the program never stalls nor dies of a broken pipe, the keeper
// exits once the pipes have ended, and its log says it copied them all.
func TestKeeperTakesOver(t *testing.T) {
	for _, sc := range takeOverScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			dir := sc.prepare(t)
			k := testKeeper(t, dir)
			out, err := newOutputCopy(dir, nil, "a.stdout", "a.stderr", nil, false)
			if err != nil {
				t.Fatal(err)
			}
			if err := k.hold("a", heldDir(t, dir), "a", sc.max, [2]*os.File{out.extra[0], out.extra[1]}); err != nil {
				out.abort()
				t.Fatal(err)
			}
			exited := k.exited
			takeOver(t, dir, sc, keptWrapper, out, []*os.File{nil, nil, out.extra[2]}, k.abandon, func() {
				if taken, copied := keptState(k.log, "a"); !taken || copied {
					t.Errorf("the keeper's log while it copies: taken %v, copied %v", taken, copied)
				}
			})
			// The keeper ends with the program's outputs.
			keeperGone(t, exited)
			if taken, copied := keptState(k.log, "a"); !taken || !copied {
				t.Errorf("the keeper's log once it exited: taken %v, copied %v", taken, copied)
			}
			sc.check(t, dir)
		})
	}
}

// A keeper that dies while its server lives is replaced, and the new one
// handed what the server holds: should the server die then, it copies.
func TestKeeperReplacedWhenItDies(t *testing.T) {
	dir := t.TempDir()
	k := testKeeper(t, dir)
	r, w := testPipes(t)
	if err := k.hold("a", heldDir(t, dir), "a", 1<<20, r); err != nil {
		t.Fatal(err)
	}
	_, exited := killKeeper(t, k)
	// The server dies; the program writes, and ends.
	r[0].Close()
	r[1].Close()
	k.abandon()
	w[0].WriteString("after\n")
	w[0].Close()
	w[1].Close()
	keeperGone(t, exited)
	if out := readFile(dir, "a.stdout"); out != "after\n" {
		t.Errorf("stdout %q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.stderr")); !os.IsNotExist(err) {
		t.Errorf("an empty stderr was made: %v", err)
	}
}

// A keeper started in the place of one that died is handed again the
// pipes of an attempt launched before, whose descriptors the server
// handed the first one it has closed since (those the wrapper inherits
// without a keeper): should the server die then, the new one copies.
func TestKeeperReplacedHoldsWhatTheServerLaunched(t *testing.T) {
	dir := t.TempDir()
	k := testKeeper(t, dir)
	out, err := newOutputCopy(dir, nil, "a.stdout", "a.stderr", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	// The program's ends, as the child would hold them.
	stdout, err := unix.FcntlInt(out.stdout.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := os.NewFile(uintptr(stdout), "stdout")
	defer w.Close()
	if err := k.holdCopy("a", heldDir(t, dir), "a", 1<<20, out); err != nil {
		out.abort()
		t.Fatal(err)
	}
	out.start(1 << 20) // closes the child's ends, as a launch does
	second, exited := killKeeper(t, k)
	// Until the new keeper has been handed what it holds: a message it
	// reads, the socket then empty (checked, as the test has no other
	// way to know the restart's sends are done).
	for i := 0; i < 1200 && !receiving(second); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	// The server dies: its copy stops, its ends close.
	out.readers[0].Close()
	out.readers[1].Close()
	out.life.Close()
	k.abandon()
	w.WriteString("after\n")
	w.Close()
	keeperGone(t, exited)
	if got := readFile(dir, "a.stdout"); got != "after\n" {
		t.Errorf("stdout %q: the new keeper did not take over", got)
	}
}

// killKeeper kills k's keeper and waits, at most a minute, for the one
// started in its place, which it returns.
func killKeeper(t *testing.T, k *keeper) (int, chan struct{}) {
	t.Helper()
	k.mu.Lock()
	first, exited := k.pid, k.exited
	k.mu.Unlock()
	syscall.Kill(first, syscall.SIGKILL)
	keeperGone(t, exited)
	for i := 0; i < 1200; i++ {
		k.mu.Lock()
		pid, exited := k.pid, k.exited
		k.mu.Unlock()
		if pid != first {
			return pid, exited
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no keeper started in the place of the one that died")
	return 0, nil
}

// The keeper lets go of what the server drops, and exits, copying
// nothing, when the server's end closes with nothing held.
func TestKeeperDropsWhatEnded(t *testing.T) {
	dir := t.TempDir()
	k := testKeeper(t, dir)
	r, w := testPipes(t)
	if err := k.hold("a", heldDir(t, dir), "a", 1<<20, r); err != nil {
		t.Fatal(err)
	}
	exited := k.exited
	k.drop("a")
	k.close() // nothing held: the end closes, the keeper exits
	keeperGone(t, exited)
	// The pipes are the server's alone again: a write without a reader
	// but the server's still works, and nothing was copied.
	if _, err := w[0].WriteString("x\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(k.log); !os.IsNotExist(err) {
		t.Errorf("the keeper wrote its log though it took nothing over: %v", err)
	}
}

// While the server lives the keeper only holds an attempt's outputs: it
// is seen waiting for the server's messages (a thread of it blocked
// reading its socket, which nothing but a message or the server's end
// wakes), the attempt has no stand-in (nothing in its group but the
// wrapper and its program, none holding an output's read end), and the
// server's copy alone makes the outputs: no stderr file for a program
// that writes none, and stdout once.
func TestKeeperWaitsWhileTheServerLives(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	waitsWhileTheServerLives(t, b, r, "the keeper", func(p *proc) bool {
		if !p.kept {
			t.Fatal("the keeper does not hold the attempt's outputs")
		}
		b.keeper.mu.Lock()
		pid := b.keeper.pid
		b.keeper.mu.Unlock()
		return receiving(pid)
	}, func(p *proc) {
		var pipes []string
		for _, f := range p.out.readers {
			var st unix.Stat_t
			if err := unix.Fstat(int(f.Fd()), &st); err != nil {
				t.Fatal(err)
			}
			pipes = append(pipes, fmt.Sprintf("pipe:[%d]", st.Ino))
		}
		for _, proc := range proclist.All() {
			if proc.PGID != p.pid {
				continue
			}
			fds, _ := os.ReadDir("/proc/" + strconv.Itoa(proc.PID) + "/fd")
			for _, fd := range fds {
				target, _ := os.Readlink("/proc/" + strconv.Itoa(proc.PID) + "/fd/" + fd.Name())
				if fd.Name() != "1" && fd.Name() != "2" && slices.Contains(pipes, target) {
					t.Errorf("process %d of the attempt holds an output pipe on fd %s", proc.PID, fd.Name())
				}
			}
		}
	})
}

// receiving says whether a thread of process pid is blocked in recvmsg on
// its descriptor 3 (the keeper's socket). Where the kernel does not show
// the system call a thread is blocked in, it cannot say: it says yes.
func receiving(pid int) bool {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, task := range tasks {
		if in, known := inSyscall(filepath.Join(dir, task.Name()), unix.SYS_RECVMSG, 3); in || !known {
			return true
		}
	}
	return false
}

// abandon closes the server's end whatever the keeper holds, as the
// server's death does: it takes over all it holds.
func (k *keeper) abandon() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.closed = true
	k.closeFd()
}

// keptState reads the keepers' log: whether attempt id was taken over,
// and whether all of it was copied since.
func keptState(logPath, id string) (taken, copied bool) {
	st := readKept(logPath)
	return st.taken[id], st.copied[id]
}
