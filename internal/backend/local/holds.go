package local

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/proclist"
)

// The proof, for an ended attempt that had no cgroup (or whose end this
// server did not see: it ended before a restart, or long ago), that nothing of it
// still runs or can still write into its sandbox and outputs: one pass
// over the machine's processes, made for all the attempts of a removal
// at once, after their files were moved out of their names into the
// pool's staging area (pool.go) and before they are emptied. An attempt
// is held, and its files deleted as before rather than recycled, if a
// live process
//
//   - carries its marker, BORGES_EXIT_FILE naming its attempt, in the
//     environment it was started with (/proc/PID/environ): every process
//     the wrapper starts inherits it, wherever it goes afterwards (one
//     caught in the middle of an exec, its environment not set up yet, is
//     looked at again, as Recover does, at most execSettleFor; one still
//     in its exec then holds the attempts that started no later than it,
//     as one that cannot be examined does);
//   - has its working directory, its root, its executable, an open
//     descriptor or a mapping on an inode of those files (compared by
//     device and inode number, so that no path, link or mount fools it),
//     in any of its threads;
//   - or cannot be examined (another user's, or not dumpable, when the
//     server is not root) and started after the attempt did; where /proc
//     does not even list other users' processes (hidepid=2), a server
//     that is not root proves nothing.
//
// A zombie holds nothing, and is passed over; so is the PID namespace's
// init, never an attempt's process.
//
// Once the files are out of their names, a process can reach them only
// through something it holds, or through the staging area's own names;
// it cannot take a new hold but from one it has or from another
// process's. Processes that appear while the pass runs are examined in a
// second listing (a child that inherited a hold its parent then let go).
// Not seen: a descriptor in flight in a socket, or one registered with
// io_uring; a mount of the sandbox (a container given it as a volume);
// a process in another PID namespace than the server's; and holds passed
// between two processes, neither carrying the marker, while the pass
// runs. Those all take a program that hides on purpose; what a program
// as privileged as the server does on purpose is beyond any of this, as
// it is beyond the rest of the data directory.
//
// Not chosen: making the server a subreaper (PR_SET_CHILD_SUBREAPER), so
// that the orphans of attempts come back to it. Reaping them would take a
// wait for any child, which can take the status of a child an os/exec
// Cmd (the server's own, and the libraries') is waiting for; waiting
// without reaping (waitid WNOWAIT) still leaves the orphans to be told
// from those children; and a process that outlived a restart of the
// server has gone to init all the same. The pass finds them without
// owning them.

// maxHeldEntries bounds what a staged sandbox may hold to be recycled:
// the inodes of a larger tree are not collected, and it is deleted.
const maxHeldEntries = 4096

// fileKey names an inode.
type fileKey struct{ dev, ino uint64 }

// holdScan finds which of some attempts (indexed from 0) are held.
type holdScan struct {
	inodes  map[fileKey]int // an inode of an attempt's files → the attempt
	markers map[string]int  // its id, as its marker names it → the attempt
	since   []uint64        // when each attempt started, in clock ticks since boot (0: unknown)
	held    []bool
	cur     uint64 // the start of the process being examined
	init    bool   // that process is init
	// later are the processes whose environment could not be seen
	// yet (envPending): looked at again once the passes are over.
	later []execing
}

// execing is a process caught in the middle of an exec by the hold scan:
// pd, its /proc directory, held open, names it and no other that takes
// its pid.
type execing struct {
	pd, pid int
	start   uint64
	init    bool
}

func newHoldScan() *holdScan {
	return &holdScan{inodes: map[fileKey]int{}, markers: map[string]int{}}
}

// attempt adds an attempt: its id and when it started; it returns its
// index.
func (s *holdScan) attempt(id string, since uint64) int {
	i := len(s.held)
	s.markers[id] = i
	s.since = append(s.since, since)
	s.held = append(s.held, false)
	return i
}

// file adds the inodes of path (a file, or a directory and all beneath
// it, found without following a link) to attempt i. A tree too large to
// account for, or one that cannot be read, holds the attempt.
func (s *holdScan) file(i int, path string) {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		if !errors.Is(err, unix.ENOENT) {
			s.held[i] = true
		}
		return
	}
	s.inodes[fileKey{st.Dev, st.Ino}] = i
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return
	}
	budget := maxHeldEntries
	if !s.tree(i, path, st.Dev, &budget) {
		s.held[i] = true
	}
}

// tree adds the inodes beneath directory dir, within budget entries.
func (s *holdScan) tree(i int, dir string, dev uint64, budget *int) bool {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	var subdirs []string
	buf := make([]byte, 8192)
	for {
		n, err := unix.Getdents(fd, buf)
		if err != nil {
			unix.Close(fd)
			return false
		}
		if n == 0 {
			break
		}
		for off := 0; off < n; {
			// struct linux_dirent64: ino, off, reclen, type, name.
			rec := buf[off:]
			ino := binary.NativeEndian.Uint64(rec[0:8])
			reclen := int(binary.NativeEndian.Uint16(rec[16:18]))
			typ := rec[18]
			name := rec[19:reclen]
			if j := bytes.IndexByte(name, 0); j >= 0 {
				name = name[:j]
			}
			off += reclen
			if string(name) == "." || string(name) == ".." {
				continue
			}
			if *budget--; *budget < 0 {
				unix.Close(fd)
				return false
			}
			s.inodes[fileKey{dev, ino}] = i
			if typ == unix.DT_DIR || typ == unix.DT_UNKNOWN {
				subdirs = append(subdirs, dir+"/"+string(name))
			}
		}
	}
	unix.Close(fd)
	for _, sub := range subdirs {
		var st unix.Stat_t
		if err := unix.Lstat(sub, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFDIR {
			continue
		}
		if st.Dev != dev {
			// A mount inside the sandbox: what is mounted there is not
			// the sandbox's to account for.
			return false
		}
		if !s.tree(i, sub, dev, budget) {
			return false
		}
	}
	return true
}

// run examines every process, and those that appeared meanwhile, and
// says which attempts are held. A process caught in the middle of an exec
// is looked at again (awaitExecs).
func (s *holdScan) run(ctx context.Context) []bool {
	s.passes()
	s.awaitExecs(ctx)
	return s.held
}

// passes examines every process, in two passes.
func (s *holdScan) passes() {
	if len(s.held) == 0 {
		return
	}
	if os.Geteuid() != 0 && procHidesOthers() {
		// Other users' processes are not even listed: none can be
		// told not to hold anything.
		s.holdAll()
		return
	}
	seen := map[int]uint64{} // pid → its start, so that a reused pid is examined again
	for range 2 {
		d, err := os.Open("/proc")
		if err != nil {
			s.holdAll() // nothing can be proved
			return
		}
		names, err := d.Readdirnames(-1)
		d.Close()
		if err != nil {
			s.holdAll()
			return
		}
		for _, name := range names {
			if pid, err := strconv.Atoi(name); err == nil {
				s.process(pid, seen)
			}
		}
	}
}

// awaitExecs looks again at the processes caught in the middle of an
// exec, their environments empty, as Recover does (untilExecsEnd), while
// one may carry the marker of an attempt not held: that is, one started
// no later than it (what an attempt starts inherits its marker, and
// starts after it). Past the wait, or once ctx ends, one still in its
// exec holds those attempts, as one that cannot be examined does.
func (s *holdScan) awaitExecs(ctx context.Context) {
	// A copy: untilExecsEnd takes out of its list (and clears) those
	// seen, whose directories are closed here all the same.
	left, _ := untilExecsEnd(ctx, slices.Clone(s.later), s.lookAgain, func(left []execing) bool {
		for _, p := range left {
			if s.mayHold(p.start) {
				return false
			}
		}
		return true
	})
	for _, p := range left {
		s.cur, s.init = p.start, p.init
		s.uninspectable()
	}
	for _, p := range s.later {
		unix.Close(p.pd)
	}
	s.later = nil
}

// lookAgain reads again the environment of p, caught in the middle of an
// exec, and holds the attempt whose marker it carries; it says whether it
// still cannot be seen.
func (s *holdScan) lookAgain(p execing) (pending bool) {
	env, err := procAt(p.pd, p.pid, "environ")
	if err == nil && len(env) == 0 {
		if s.execPending(p.pd, p.pid) {
			return true
		}
		// Empty for good, or set up since it was read: read again,
		// after, it is the process's own.
		env, err = procAt(p.pd, p.pid, "environ")
	}
	if denied(err) { // an exec of a program that may not be examined
		s.cur, s.init = p.start, p.init
		s.uninspectable()
	}
	s.marked(env)
	return false
}

// execPending says whether process pid, its directory pd, whose
// environment has just read as empty, may be in the middle of an exec
// (envPending, from its stat line read after).
func (s *holdScan) execPending(pd, pid int) bool {
	stat, err := procAt(pd, pid, "stat")
	if err != nil {
		return false
	}
	p, ok := proclist.ParseStat(pid, stat)
	return ok && envPending(p)
}

// mayHold says whether a process started at start may hold an attempt
// not held yet by its marker: one started no later than it.
func (s *holdScan) mayHold(start uint64) bool {
	for i, since := range s.since {
		if !s.held[i] && start >= since {
			return true
		}
	}
	return false
}

// holdAll holds every attempt.
func (s *holdScan) holdAll() []bool {
	for i := range s.held {
		s.held[i] = true
	}
	return s.held
}

// procHidesOthers reports whether /proc is mounted so that other users'
// processes are not listed (hidepid=2 or invisible; 1 or noaccess leaves
// them listed, their entries closed: not examinable, which the pass
// handles).
func procHidesOthers() bool {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return true
	}
	return hidesOthers(data)
}

// hidesOthers reads a mountinfo: the super options of the mount at /proc
// (after " - proc proc ").
func hidesOthers(mountinfo []byte) bool {
	for _, line := range bytes.Split(mountinfo, []byte("\n")) {
		f := bytes.Fields(line)
		if len(f) < 5 || string(f[4]) != "/proc" {
			continue
		}
		_, after, ok := bytes.Cut(line, []byte(" - "))
		if !ok {
			continue
		}
		tail := bytes.Fields(after)
		if len(tail) < 3 || string(tail[0]) != "proc" {
			continue
		}
		for _, opt := range bytes.Split(tail[2], []byte(",")) {
			if string(opt) == "hidepid=2" || string(opt) == "hidepid=invisible" {
				return true
			}
		}
	}
	return false
}

// pfKthread marks a kernel thread (linux/sched.h PF_KTHREAD).
const pfKthread = 0x00200000

// denied reports an error that says the process may not be examined
// (as opposed to gone).
func denied(err error) bool {
	return errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM)
}

// process examines one process, unless it was examined already.
func (s *holdScan) process(pid int, seen map[int]uint64) {
	pd, err := unix.Open("/proc/"+strconv.Itoa(pid), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return // gone
	}
	kept := false // pd, by later
	defer func() {
		if !kept {
			unix.Close(pd)
		}
	}()
	stat, err := procAt(pd, pid, "stat")
	if err != nil {
		return
	}
	ps, ok := proclist.ParseStat(pid, stat)
	if !ok || ps.Flags&pfKthread != 0 {
		return
	}
	if start, ok := seen[pid]; ok && start == ps.Start {
		return
	}
	seen[pid] = ps.Start
	s.cur = ps.Start
	if ps.State == 'Z' && ps.Threads <= 1 || ps.State == 'X' {
		return // a zombie holds nothing
	}
	// The PID namespace's init is never an attempt's process (one that
	// is pid 1 of a namespace of its own has another number in the
	// server's), and not always open to examination: a container's init
	// may be neither dumpable nor the server's.
	s.init = pid == 1 && pid != os.Getpid()
	env, err := procAt(pd, pid, "environ")
	if denied(err) {
		s.uninspectable()
		return
	}
	if err == nil && len(env) == 0 && s.mayHold(ps.Start) && s.execPending(pd, pid) {
		kept = true
		s.later = append(s.later, execing{pd: pd, pid: pid, start: ps.Start, init: s.init})
	}
	s.marked(env)
	// Everything is looked at: one process may hold several attempts.
	s.match(pd, "exe")
	s.mapped(pd)
	if ps.Threads <= 1 {
		s.match(pd, "cwd")
		s.match(pd, "root")
		s.fds(pd)
		return
	}
	s.threads(pd)
}

// uninspectable holds every attempt that started no later than the
// process being examined, which cannot be.
func (s *holdScan) uninspectable() {
	if s.init {
		return
	}
	for i, since := range s.since {
		if s.cur >= since {
			s.held[i] = true
		}
	}
}

// marked holds the attempt whose marker env (NUL-separated) carries: the
// attempt's id is the name of its exit file's directory (as the wrapper
// reads it), whatever the data directory was called when it started.
func (s *holdScan) marked(env []byte) {
	const key = "BORGES_EXIT_FILE="
	for len(env) > 0 {
		kv := env
		if j := bytes.IndexByte(env, 0); j >= 0 {
			kv, env = env[:j], env[j+1:]
		} else {
			env = nil
		}
		if v, ok := bytes.CutPrefix(kv, []byte(key)); ok {
			if i, ok := s.markers[markerID(string(v))]; ok {
				s.held[i] = true
			}
		}
	}
}

// markerID is the attempt a BORGES_EXIT_FILE value names.
func markerID(exitFile string) string {
	return filepath.Base(filepath.Dir(exitFile))
}

// match stats name (a link of /proc/PID: cwd, root, exe, fd/N) beneath
// dirfd and holds the attempt whose inode it is. A link that may not be
// followed is a process that cannot be examined.
func (s *holdScan) match(dirfd int, name string) {
	var st unix.Stat_t
	if err := unix.Fstatat(dirfd, name, &st, 0); err != nil {
		if denied(err) {
			s.uninspectable()
		}
		return
	}
	if i, ok := s.inodes[fileKey{st.Dev, st.Ino}]; ok {
		s.held[i] = true
	}
}

// mapped holds the attempts an inode of which the process maps
// (/proc/PID/maps: address perms offset major:minor inode path).
func (s *holdScan) mapped(pd int) {
	maps, err := readAt(pd, "maps")
	if err != nil {
		if denied(err) {
			s.uninspectable()
		}
		return
	}
	for len(maps) > 0 {
		line := maps
		if j := bytes.IndexByte(maps, '\n'); j >= 0 {
			line, maps = maps[:j], maps[j+1:]
		} else {
			maps = nil
		}
		f := bytes.Fields(line)
		if len(f) < 5 || string(f[4]) == "0" {
			continue
		}
		major, minor, ok := bytes.Cut(f[3], []byte(":"))
		if !ok {
			continue
		}
		ma, err1 := strconv.ParseUint(string(major), 16, 32)
		mi, err2 := strconv.ParseUint(string(minor), 16, 32)
		ino, err3 := strconv.ParseUint(string(f[4]), 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		if i, ok := s.inodes[fileKey{unix.Mkdev(uint32(ma), uint32(mi)), ino}]; ok {
			s.held[i] = true
		}
	}
}

// fds looks at every open descriptor beneath dirfd's fd directory.
func (s *holdScan) fds(dirfd int) {
	fdd, err := unix.Openat(dirfd, "fd", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		if denied(err) {
			s.uninspectable()
		}
		return
	}
	f := os.NewFile(uintptr(fdd), "fd")
	defer f.Close()
	names, _ := f.Readdirnames(-1)
	for _, n := range names {
		s.match(fdd, n)
	}
}

// threads looks at each thread of a process: its working directory and
// root (a thread may have its own: unshare(CLONE_FS)) and its descriptors
// where it does not share them with a thread already looked at.
func (s *holdScan) threads(pd int) {
	td, err := unix.Openat(pd, "task", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	f := os.NewFile(uintptr(td), "task")
	defer f.Close()
	names, _ := f.Readdirnames(-1)
	var tables []int // a thread for each descriptor table looked at
	for _, n := range names {
		tid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		t, err := unix.Openat(td, n, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		s.match(t, "cwd")
		s.match(t, "root")
		if !sharesFiles(tables, tid) {
			tables = append(tables, tid)
			s.fds(t)
		}
		unix.Close(t)
	}
}

// sharesFiles reports whether thread tid shares its descriptor table with
// one of tables (kcmp KCMP_FILES); if that cannot be told, it does not.
func sharesFiles(tables []int, tid int) bool {
	const kcmpFiles = 2
	for _, o := range tables {
		r, _, errno := unix.Syscall6(unix.SYS_KCMP, uintptr(o), uintptr(tid), kcmpFiles, 0, 0, 0)
		if errno == 0 && r == 0 {
			return true
		}
	}
	return false
}

// procAt reads /proc/PID/name beneath pd, process pid's directory (a
// variable: tests show a process as the kernel does in the middle of an
// exec, as through procFile).
var procAt = func(pd, pid int, name string) ([]byte, error) { return readAt(pd, name) }

// readAt reads a small /proc file beneath dirfd whole.
func readAt(dirfd int, name string) ([]byte, error) {
	fd, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(f)
	return buf.Bytes(), err
}
