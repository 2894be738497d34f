package local

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// The keeper of the outputs. An attempt's outputs are pipes the server
// copies into files (copy.go); should the server die, someone must go on
// reading them, or the program stalls on a full pipe, or dies of a
// broken one, and what it writes is lost. That was each wrapper's
// stand-in, a fork of its shell waiting for the server's death: a fork
// and a process's teardown an attempt, a quarter of a millisecond of CPU,
// the largest cost of a trivial block's processes beyond `xargs`' own
// (profiles of BenchmarkThousandBlocks, docs/performance.md). The keeper
// is one process for the whole server: the server hands it the read ends
// of each attempt's pipes as it launches it (SCM_RIGHTS over a socket
// pair, a message), and drops them once its own copy has ended (another).
// While the server lives the keeper only holds them. When the server's
// end of the socket closes, however the server ends, the keeper takes
// over every attempt it holds, as the stand-in did: it appends what the
// pipes bring to the attempt's output files, under a size limit just over
// the cap (capOutputs cuts them when the attempt is seen to end), never
// through a symbolic link, draining what a file refuses so that the
// program never stalls; it exits when every pipe has ended. A restarted
// server learns from the keeper's log (DATA/kept-outputs) which attempts
// it took over ("+ID") and which of those it has copied all of ("-ID"),
// and reads an ended attempt's outputs only once they are copied
// (waitKept).
//
// The keeper is the server's own executable (/proc/self/exe, so that a
// binary replaced on disk still runs as itself) started with
// BORGES_OUTPUT_KEEPER=1, which the package's init turns into keeperMain
// before anything else runs. It has its own session (no terminal's
// hang-up nor a Ctrl-C of the server's group reaches it) and ignores
// SIGINT, SIGTERM and SIGHUP as the stand-in did; it is no attempt's: not
// in their process groups nor their cgroups, so killing a task does not
// kill it, and nothing it holds is in a sandbox. Should it die while the
// server lives, the server starts another and hands it again what it
// held. Where it cannot be started, attempts get the stand-in as before
// (wrapperHead).
//
// It stays in the server's own cgroup (on cgroup v2, the leaf the server
// moved itself to), on purpose, as the stand-in was in the attempt's: the
// attempts' cgroups are beneath the server's (cgroup.go), so that what
// kills the server's cgroup whole — a systemd unit stopped with its
// default KillMode=control-group, or mixed — kills every attempt as
// well, and there is nothing left to copy but what the pipes hold. Moved
// elsewhere (a sibling of the unit's cgroup, which a delegated unit may
// not even write), it would survive only to copy that tail, a process
// the service manager no longer accounts for nor stops. Where the
// attempts outlive the server — its crash, an OOM killer's pick, a
// SIGKILL of its pid, a unit with KillMode=process (as the README asks
// for tasks to outlive a restart) — the keeper outlives it with them.
// The server's cgroup limits (a unit's MemoryMax=) cover it, as they
// cover the tasks.

// keeperEnv in a process's environment makes it the keeper; keeperLogEnv
// names its log.
const (
	keeperEnv     = "BORGES_OUTPUT_KEEPER"
	keeperLogEnv  = "BORGES_KEEPER_LOG"
	keeperNameEnv = "BORGES_KEEPER_NAME"
	keeperLog     = "kept-outputs"
)

// Each keeper holds, for its whole life, a lock on a file of its own in
// the log's directory of locks (log + keeperLocks), named after it; the
// server takes the lock before it starts the keeper, which inherits it
// (fd 4). A restarted server so knows, whatever the keeper has had time
// to do, which keepers of servers gone are alive: it waits for each to
// note its name ("@NAME") after what it took over (waitKept).
const keeperLocks = ".locks"

func init() {
	if os.Getenv(keeperEnv) != "1" {
		return
	}
	// The variable alone, set by a user or a block, makes no keeper of
	// the program: it must be started as the keeper (its name) with the
	// keeper's socket as descriptor 3.
	if isKeeper(3) {
		os.Exit(keeperMain(3, os.Getenv(keeperLogEnv), os.Getenv(keeperNameEnv)))
	}
	fmt.Fprintf(os.Stderr, "borges: %s=1 ignored: this is no keeper of the outputs\n", keeperEnv)
	os.Unsetenv(keeperEnv)
}

// isKeeper says whether this process was started as the keeper: by its
// name, with a Unix socket of packets on descriptor fd.
func isKeeper(fd int) bool {
	if len(os.Args) == 0 || os.Args[0] != "borges-keeper" {
		return false
	}
	typ, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE)
	if err != nil || typ != unix.SOCK_SEQPACKET {
		return false
	}
	dom, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DOMAIN)
	return err == nil && dom == unix.AF_UNIX
}

// keeper is the server's side of its keeper.
type keeper struct {
	log    string // the keeper's log
	logger *slog.Logger
	mu     sync.Mutex
	fd     int // the server's end of the socket; -1: no keeper
	pid    int
	held   map[string]keptOutputs
	closed bool
	starts int // keepers started (their names)
	// recentStarts: keepers started since one lived long; a few
	// restarts, then the stand-ins.
	recentStarts int
	exited       chan struct{} // closed when the keeper last started has exited
	self         string        // the prefix of this server's keepers' names
	// startKeeper, when set, is called in the place of start (tests).
	startKeeper  func() error
	noStart      error    // why no keeper could be started: the stand-ins copy
	drops        []string // drops not yet sent: the keeper's socket was full
	failedStarts int      // keepers that could not be started
}

// keptOutputs is what the keeper holds of an attempt: its pipes' read
// ends (the server's descriptors, open until it drops them) and where
// their copies go.
type keptOutputs struct {
	// The outputs are name.stdout and name.stderr beneath dir, the
	// directory the server holds open (heldRoots), opened through no
	// link (sandboxfs), as the server's copy opens them. The keeper is
	// handed dir's descriptor with the pipes': it never opens a
	// directory by its path, where a task (running as the server's
	// user) could have put a link.
	dir  *sandboxfs.Dir
	name string
	max  int64
	r    [2]*os.File
}

// errNoKeeper is hold's error once the server has given up keepers: the
// attempts have stand-ins.
var errNoKeeper = errors.New("no keeper of the outputs")

// maxKeeperStarts bounds the keepers a server starts: one that keeps
// exiting is not started for ever.
const maxKeeperStarts = 16

// keeperForgivenAfter is how long a keeper lives for its death not to
// count against the bound: a server that loses one a month (an OOM
// killer's pick) replaces it every time.
var keeperForgivenAfter = time.Hour

func newKeeper(log string, logger *slog.Logger) *keeper {
	self := strconv.Itoa(os.Getpid()) + "." + strconv.FormatInt(time.Now().UnixNano(), 36) + "."
	return &keeper{log: log, logger: logger, fd: -1, held: map[string]keptOutputs{}, self: self}
}

// start starts a keeper; k.mu is held.
func (k *keeper) start() error {
	if k.startKeeper != nil {
		return k.startKeeper()
	}
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return os.NewSyscallError("socketpair", err)
	}
	child := os.NewFile(uintptr(fds[1]), "keeper")
	defer child.Close()
	name := k.self + strconv.Itoa(k.starts)
	lock, err := takeKeeperLock(k.log, name)
	if err != nil {
		unix.Close(fds[0])
		return err
	}
	defer lock.Close()
	cmd := exec.Command("/proc/self/exe")
	cmd.Args = []string{"borges-keeper"}
	cmd.Env = []string{keeperEnv + "=1", keeperLogEnv + "=" + k.log, keeperNameEnv + "=" + name}
	cmd.Dir = "/"
	cmd.ExtraFiles = []*os.File{child, lock}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		unix.Close(fds[0])
		os.Remove(lock.Name())
		return err
	}
	k.fd, k.pid = fds[0], cmd.Process.Pid
	k.starts++
	k.recentStarts++
	exited := make(chan struct{})
	k.exited = exited
	started := time.Now()
	go func() {
		cmd.Wait()
		close(exited)
		k.restart(fds[0], cmd.ProcessState.ExitCode(), time.Since(started))
	}()
	return nil
}

// restart starts a keeper in the place of the one on socket fd, which
// has exited with code after it lived for lived, and hands it what the
// server holds, unless the server closed it. One that lost descriptors it was handed
// (keeperLostFds) has the launches from then on get their stand-ins, and
// one more keeper what is held: it was handed them all before.
func (k *keeper) restart(fd, code int, lived time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.fd != fd {
		return
	}
	if lived >= keeperForgivenAfter {
		k.recentStarts = 0
	}
	unix.Close(fd)
	k.fd = -1
	if k.closed {
		return
	}
	if code == keeperLostFds && k.noStart == nil {
		k.noStart = errors.New("keeper: it lost descriptors it was handed (its limit of open files)")
		k.logger.Warn("the keeper of the outputs lost descriptors it was handed: each attempt launched from now on has a stand-in", "err", k.noStart)
		if len(k.held) > 0 {
			if err := k.startHolding(); err != nil {
				k.logger.Warn("no keeper of the outputs: should the server die, the running attempts' outputs are lost", "err", err)
			}
		}
		return
	}
	k.logger.Warn("the keeper of the outputs exited; starting another")
	if k.recentStarts >= maxKeeperStarts {
		k.noStart = errors.New("the keeper of the outputs exited too often")
	}
	if k.noStart != nil {
		k.logger.Warn("no keeper of the outputs: should the server die, the running attempts' outputs are lost", "err", k.noStart)
		return
	}
	if err := k.startHolding(); err != nil {
		// The next launch tries again, and hands it all (hold).
		k.logger.Warn("no keeper of the outputs: should the server die, the running attempts' outputs are lost", "err", err)
	}
}

// handOverFor bounds how long a keeper just started may take to receive
// what the server holds; k.mu is held meanwhile.
const handOverFor = 2 * time.Second

// startHolding starts a keeper and hands it all the server holds (a
// keeper started in the place of one that died, or at a launch after
// such a start failed); k.mu is held.
func (k *keeper) startHolding() error {
	k.drops = nil // the old keeper's
	if err := k.start(); err != nil {
		return fmt.Errorf("keeper: %w", err)
	}
	deadline := time.Now().Add(handOverFor)
	for id, h := range k.held {
		for {
			err := k.send(id, h)
			if !errors.Is(err, unix.EAGAIN) || !time.Now().Before(deadline) {
				if err != nil {
					// Its copy may have ended meanwhile (its pipes closed
					// before it is dropped): nothing is lost then.
					k.logger.Warn("the keeper of the outputs was not handed an attempt's outputs", "attempt", id, "err", err)
				}
				break
			}
			// The keeper receives: wait for room, a little.
			pfd := []unix.PollFd{{Fd: int32(k.fd), Events: unix.POLLOUT}}
			unix.Poll(pfd, 20)
		}
	}
	return nil
}

// holdCopy hands the keeper the pipes of an attempt's outputs out (hold):
// the server's own read ends, which stay open until its copy ends, so
// that they can be handed again to a keeper started in the place of one
// that died (the child's ends are closed once it runs).
func (k *keeper) holdCopy(id string, dir *sandboxfs.Dir, name string, max int64, out *outputCopy) error {
	return k.hold(id, dir, name, max, out.readers)
}

// hold hands the keeper an attempt's pipes, starting it at the first; an
// error says that it holds nothing, and the attempt needs its stand-in.
func (k *keeper) hold(id string, dir *sandboxfs.Dir, name string, max int64, r [2]*os.File) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return errors.New("the backend is closed")
	}
	if k.noStart != nil {
		return fmt.Errorf("%w: %w", errNoKeeper, k.noStart)
	}
	if k.fd < 0 {
		if err := k.startHolding(); err != nil {
			// While it holds what was launched before (a restart
			// failed), each launch tries again, a few times at most:
			// those have no stand-in.
			k.failedStarts++
			if len(k.held) == 0 || k.failedStarts >= maxKeeperStarts {
				k.noStart = err
				k.logger.Warn("no keeper of the outputs: each attempt has a stand-in", "err", err)
			}
			return err
		}
	}
	k.sendDrops()
	h := keptOutputs{dir: dir, name: name, max: max, r: r}
	if err := k.send(id, h); err != nil {
		// A keeper stopped, or slow, fills its socket: the attempt
		// has its stand-in rather than wait for it.
		return fmt.Errorf("keeper: %w", err)
	}
	k.held[id] = h
	return nil
}

func (k *keeper) send(id string, h keptOutputs) error {
	msg := "A\x00" + id + "\x00" + h.name + "\x00" + strconv.FormatInt(h.max, 10)
	// The descriptors as they are: File.Fd would make a pipe the
	// server reads non-blocking (readPipe) blocking.
	var fds [2]int
	for i, f := range h.r {
		sc, err := f.SyscallConn()
		if err != nil {
			return err
		}
		if err := sc.Control(func(fd uintptr) { fds[i] = int(fd) }); err != nil {
			return err
		}
	}
	// Never waiting for the keeper, k.mu held (MSG_DONTWAIT); the
	// directory's descriptor lent while it is sent (the keeper gets a
	// descriptor of its own of it).
	return h.dir.Use(func(dir int) error {
		return unix.Sendmsg(k.fd, []byte(msg), unix.UnixRights(fds[0], fds[1], dir), nil, unix.MSG_NOSIGNAL|unix.MSG_DONTWAIT)
	})
}

// sendDrops sends the drops the keeper's socket had no room for, in turn,
// while it has; k.mu is held.
func (k *keeper) sendDrops() {
	for len(k.drops) > 0 && k.fd >= 0 {
		err := unix.Sendmsg(k.fd, []byte("D\x00"+k.drops[0]), nil, nil, unix.MSG_NOSIGNAL|unix.MSG_DONTWAIT)
		if errors.Is(err, unix.EAGAIN) {
			return
		}
		k.drops = k.drops[1:]
	}
}

// drop tells the keeper an attempt's outputs are copied: it lets go of
// them. The server's copy has ended (the pipes are at their end).
func (k *keeper) drop(id string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.held[id]; !ok {
		return
	}
	delete(k.held, id)
	if k.fd >= 0 {
		// After those not yet sent; should the socket be full, later.
		k.drops = append(k.drops, id)
		k.sendDrops()
	}
	if k.closed && len(k.held) == 0 {
		k.closeFd()
	}
}

// close lets the keeper exit once it holds nothing: the server's end is
// closed then, not before (the keeper would take over the outputs of
// attempts the server still copies); attempts left running when the
// server exits are the keeper's then, as at its death.
func (k *keeper) close() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.closed = true
	if len(k.held) == 0 {
		k.closeFd()
	}
}

// closeFd closes the server's end; k.mu is held.
func (k *keeper) closeFd() {
	if k.fd >= 0 {
		unix.Close(k.fd)
		k.fd = -1
	}
}

// keeperLostFds is the keeper's exit code once a message came without
// the descriptors it carried (its table full: MSG_CTRUNC).
const keeperLostFds = 3

// keeperMain is the keeper: it holds what the server hands it on ctl
// until the server's end closes, then copies what it holds.
func keeperMain(ctl int, logPath, name string) int {
	// Its lock goes with it: the file first, so that it is never left.
	if name != "" {
		defer removeKeeperLock(logPath, name)
	}
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE, syscall.SIGXFSZ)
	held := map[string]*keptCopy{}
	buf := make([]byte, 64<<10)
	oob := make([]byte, unix.CmsgSpace(3*4))
	for {
		n, oobn, flags, _, err := unix.Recvmsg(ctl, buf, oob, unix.MSG_CMSG_CLOEXEC)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		var fds []int
		if oobn > 0 {
			if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil {
				for _, m := range msgs {
					if got, err := unix.ParseUnixRights(&m); err == nil {
						fds = append(fds, got...)
					}
				}
			}
		}
		f := strings.Split(string(buf[:n]), "\x00")
		if flags&unix.MSG_CTRUNC != 0 || (f[0] == "A" && len(fds) != 3) {
			// Descriptors lost (the table is full): it lets go of all,
			// and exits; the server hands what it holds to another and
			// gives stand-ins to the attempts it launches (restart).
			// What it held freed, the log opens.
			for _, h := range held {
				h.close()
			}
			for _, fd := range fds {
				unix.Close(fd)
			}
			unix.Close(ctl)
			if logf, err := sandboxfs.Append(filepath.Dir(logPath), filepath.Base(logPath), 0o600); err == nil {
				logf.WriteString("!" + name + " lost the descriptors of an attempt's outputs (" + f[min(1, len(f)-1)] + "): too many open files\n")
				logf.Close()
			}
			return keeperLostFds
		}
		switch {
		case f[0] == "A" && len(f) == 4 && len(fds) == 3:
			max, _ := strconv.ParseInt(f[3], 10, 64)
			if old := held[f[1]]; old != nil {
				old.close()
			}
			dir, err := sandboxfs.DirFromFd(fds[2], f[2])
			if err != nil {
				// Not a directory: nothing is written, what comes is
				// drained (keepCopy with no directory).
				dir = nil
			}
			held[f[1]] = &keptCopy{dir: dir, name: f[2], max: max, fds: [2]int{fds[0], fds[1]}}
			continue
		case f[0] == "D" && len(f) == 2:
			if h := held[f[1]]; h != nil {
				h.close()
				delete(held, f[1])
			}
		}
		for _, fd := range fds {
			unix.Close(fd)
		}
	}
	unix.Close(ctl)
	if len(held) == 0 {
		return 0
	}
	// Read through the runtime's poller, not a thread blocked in read
	// each: a description still blocking (where the server reads it so,
	// pipesReopen) is made non-blocking, the server being gone.
	for _, h := range held {
		unix.SetNonblock(h.fds[0], true)
		unix.SetNonblock(h.fds[1], true)
	}
	// The server is gone: copy what is held.
	// Through no link, as the outputs (the data directory is trusted).
	logf, err := sandboxfs.Append(filepath.Dir(logPath), filepath.Base(logPath), 0o600)
	if err != nil {
		logf = nil
	}
	var logMu sync.Mutex
	note := func(s string) {
		logMu.Lock()
		defer logMu.Unlock()
		if logf != nil {
			logf.WriteString(s)
		}
	}
	var sb strings.Builder
	for id := range held {
		sb.WriteString("+" + id + "\n")
	}
	sb.WriteString("@" + name + "\n")
	note(sb.String())
	var wg sync.WaitGroup
	for id, h := range held {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var streams sync.WaitGroup
			for i, ext := range []string{".stdout", ".stderr"} {
				streams.Add(1)
				go func() {
					defer streams.Done()
					keepCopy(os.NewFile(uintptr(h.fds[i]), "|0"), h.dir, h.name+ext, h.max)
				}()
			}
			streams.Wait()
			h.dir.Close()
			note("-" + id + "\n")
		}()
	}
	wg.Wait()
	return 0
}

// keptCopy is what the keeper holds of an attempt: the directory its
// outputs are in (the server's held directory, as a descriptor of the
// keeper's own; nil: none, what comes is drained), their name there,
// and the pipes.
type keptCopy struct {
	dir  *sandboxfs.Dir
	name string
	max  int64
	fds  [2]int
}

func (h *keptCopy) close() {
	unix.Close(h.fds[0])
	unix.Close(h.fds[1])
	h.dir.Close()
}

// keepCopy appends what r brings, until its end, to the file name
// beneath dir, made at the first byte, never through a symbolic link
// (sandboxfs, as the server's copy), up to a size just over max (as the
// stand-in's ulimit -f), and drains the rest.
func keepCopy(r *os.File, dir *sandboxfs.Dir, name string, max int64) {
	defer r.Close()
	limit := (max + 512) / 512 * 512
	var w *os.File
	var size int64
	refused := false
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 && !refused {
			if w == nil {
				// Only a regular file is written to (a FIFO put there
				// does not hold the open).
				var err error
				var st os.FileInfo
				if w, err = dir.Append(name, 0o600); err == nil {
					if st, err = w.Stat(); err == nil {
						size = st.Size()
					} else {
						w.Close()
						w = nil
					}
				}
				refused = err != nil
			}
			if w != nil {
				k := min(int64(n), limit-size)
				if k > 0 {
					if _, err := w.Write(buf[:k]); err != nil {
						refused = true
					}
					size += k
				}
			}
		}
		if err != nil {
			break
		}
	}
	if w != nil {
		w.Close()
	}
}

// openKeeperLocks opens the directory of the keepers' locks, never
// through a link (the data directory is trusted); mkdir makes it first.
func openKeeperLocks(logPath string, mkdir bool) (int, error) {
	dir := logPath + keeperLocks
	if mkdir {
		if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
			return -1, err
		}
	}
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	return fd, nil
}

// takeKeeperLock makes the lock file of keeper name and locks it.
func takeKeeperLock(logPath, name string) (*os.File, error) {
	dir, err := openKeeperLocks(logPath, true)
	if err != nil {
		return nil, err
	}
	defer unix.Close(dir)
	fd, err := unix.Openat(dir, name, unix.O_RDWR|unix.O_CREAT|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, os.NewSyscallError("open", err)
	}
	if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("flock", err)
	}
	return os.NewFile(uintptr(fd), filepath.Join(logPath+keeperLocks, name)), nil
}

// removeKeeperLock removes the lock file of keeper name.
func removeKeeperLock(logPath, name string) {
	if dir, err := openKeeperLocks(logPath, false); err == nil {
		unix.Unlinkat(dir, name, 0)
		unix.Close(dir)
	}
}

// liveKeepers lists the keepers alive whose names do not start with own
// (a server's own keepers), and removes the lock files of those gone.
func liveKeepers(logPath, own string) []string {
	dir, err := openKeeperLocks(logPath, false)
	if err != nil {
		return nil
	}
	d := os.NewFile(uintptr(dir), logPath+keeperLocks)
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	var live []string
	for _, name := range names {
		if own != "" && strings.HasPrefix(name, own) {
			continue
		}
		fd, err := unix.Openat(dir, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
		if err != nil {
			continue
		}
		if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
			live = append(live, name)
		} else {
			unix.Unlinkat(dir, name, 0)
		}
		unix.Close(fd)
	}
	return live
}

// waitKept waits, at most d, until the keepers of servers gone have
// noted what they took over and have copied all of an attempt's outputs,
// if they took them over; it says whether they are copied (or were never
// taken over). own is the prefix of the asking server's keepers' names.
func waitKept(logPath, id string, d time.Duration, own string) bool {
	return waitKeptAll(logPath, []string{id}, d, own)[id]
}

// keptWait is waitKeptAll (tests count its calls).
var keptWait = waitKeptAll

// waitKeptAll is waitKept for many attempts at once, under one bound: it
// says for each whether it is copied.
func waitKeptAll(logPath string, ids []string, d time.Duration, own string) map[string]bool {
	deadline := time.Now().Add(d)
	log := newKeptReader(logPath)
	for {
		live := liveKeepers(logPath, own)
		st := log.read()
		done := map[string]bool{}
		all := st.allNoted(live)
		settled := all
		for _, id := range ids {
			done[id] = all && st.done(id)
			settled = settled && done[id]
		}
		if settled || !time.Now().Before(deadline) {
			return done
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// keptHolds says which attempts' outputs the live keepers of servers
// gone (own is the prefix of the asking server's keepers' names) may
// still write: those taken over and not yet copied all of; all, when a
// live keeper has not yet noted what it took over (it may hold any).
func keptHolds(logPath, own string) (held map[string]bool, all bool) {
	live := liveKeepers(logPath, own)
	if len(live) == 0 {
		return nil, false
	}
	st := readKept(logPath)
	if !st.allNoted(live) {
		return nil, true
	}
	held = map[string]bool{}
	for id := range st.taken {
		if !st.done(id) {
			held[id] = true
		}
	}
	return held, false
}

// keptLaterFor bounds how long a server waits for the keepers of
// servers gone to copy an ended attempt's outputs, past the first 2 s,
// before it reports the attempt's end all the same (a keeper stopped for
// good); keptLaterPoll is how often it looks meanwhile.
var (
	keptLaterFor  = 10 * time.Minute
	keptLaterPoll = 100 * time.Millisecond
)

// keptLater waits for the keepers of servers gone to have copied the
// outputs of ended attempts ids, then calls report for each, with
// whether its outputs are copied. copied is waitKeptAll's answer from the
// same read of the log: never taken over or copied, and every live keeper
// has noted what it took over. Each is reported once its outputs are
// copied, or were never taken over (a keeper that has not
// noted what it took over within the first wait is not waited for: its
// server may live on, and copy them itself), once no keeper of a server
// gone lives (nothing more comes), or once keptLaterFor has passed (a
// warning then); it then returns true. Should the server stop (or the
// backend be closed) meanwhile, it returns false without reporting the
// others: they are left to the next start, which finds them ended as
// this one did (finish then reports nothing). Until an attempt's end is reported its files are
// not removed, and a removal after that does not recycle them while a
// live keeper holds them (keptHolds).
func (b *Backend) keptLater(ids []string, report func(id string, copied bool)) bool {
	deadline := time.Now().Add(keptLaterFor)
	log := newKeptReader(b.keeper.log)
	for len(ids) > 0 {
		live := liveKeepers(b.keeper.log, b.keeper.self)
		st := log.read()
		noted := st.allNoted(live)
		past := !time.Now().Before(deadline)
		var rest []string
		for _, id := range ids {
			done := st.done(id)
			switch {
			case done || len(live) == 0:
				report(id, noted && done)
			case past:
				b.log.Warn("a keeper of the outputs of a server gone has not copied an ended attempt's outputs: its end is reported with what is there", "attempt", id, "waited", keptLaterFor)
				report(id, false)
			default:
				rest = append(rest, id)
			}
		}
		ids = rest
		if len(ids) == 0 {
			return true
		}
		select {
		case <-b.stopping:
			return false
		case <-b.closing:
			return false
		case <-time.After(keptLaterPoll):
		}
	}
	return true
}

// keptLog is what the keepers' log says.
type keptLog struct {
	taken, copied, noted map[string]bool
}

// done says whether no keeper of a server gone is to write attempt id's
// outputs any more: none took them over, or the one that did has copied
// all of them.
func (st keptLog) done(id string) bool {
	return !st.taken[id] || st.copied[id]
}

// allNoted says whether every keeper of live has noted what it took over
// (one that has not may hold any attempt's outputs).
func (st keptLog) allNoted(live []string) bool {
	for _, name := range live {
		if !st.noted[name] {
			return false
		}
	}
	return true
}

func readKept(logPath string) keptLog {
	return newKeptReader(logPath).read()
}

// keptReader reads the keepers' log as it grows: each read parses only
// what was appended since the last, whole lines only (a line still being
// written, without its "\n" yet, is read once it ends).
type keptReader struct {
	path string
	off  int64 // where the lines not yet read begin
	st   keptLog
}

func newKeptReader(logPath string) *keptReader {
	r := &keptReader{path: logPath}
	r.reset()
	return r
}

func (r *keptReader) reset() {
	r.off = 0
	r.st = keptLog{taken: map[string]bool{}, copied: map[string]bool{}, noted: map[string]bool{}}
}

// read reads what was appended since the last read, and returns what the
// whole log says (the maps are the reader's, updated by later reads).
func (r *keptReader) read() keptLog {
	f, err := sandboxfs.Open(filepath.Dir(r.path), filepath.Base(r.path))
	if err != nil {
		return r.st
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() < r.off {
		r.reset() // a log made anew
	}
	if _, err := f.Seek(r.off, io.SeekStart); err != nil {
		return r.st
	}
	br := bufio.NewReader(f)
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			return r.st // at the end: a last line without "\n" is not whole yet
		}
		r.off += int64(len(l))
		l = l[:len(l)-1]
		if len(l) < 2 {
			continue
		}
		switch l[0] {
		case '+':
			r.st.taken[l[1:]], r.st.copied[l[1:]] = true, false
		case '-':
			r.st.copied[l[1:]] = true
		case '@':
			r.st.noted[l[1:]] = true
		}
	}
}
