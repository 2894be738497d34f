// Package proclist lists the machine's processes with what killing a
// tree, a group or a session of them needs: each one's parent, process
// group and session, as /proc/PID/stat gives them; and what telling one
// process from another with its pid, or one in the middle of an exec,
// takes: its start, its flags and the end of its environment.
package proclist

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// BootTicks is the machine's boot clock (CLOCK_BOOTTIME) in clock ticks,
// the unit of a process's start (Proc.Start): a process started after
// this call started at this tick or later (the kernel rounds its start
// down to a tick as this does). A tick is 1/100 s: USER_HZ, which is 100
// on every architecture Linux runs on. 0 where the clock cannot be read.
//
// Both this clock and a start, as read, add the reader's time namespace's
// offset (/proc/PID/timens_offsets): a start and a stamp compare only as
// read from one time namespace. A server that stamped a launch in a
// namespace with a larger boot-time offset than the one it reads starts in
// after a restart would see that launch's processes start before the
// stamp; no offset is stored with it (a setup that changes namespaces
// across a restart is taken not to occur). Should one occur, the local
// backend's Recover passes those processes over (logging each as started
// before its launch): each attempt still running is reported lost, what
// its cgroup holds killed (without one it runs on unwatched), and it runs
// again. The other way, a smaller offset then than now, the check is
// weaker by the difference: a process started that much before a launch
// passes for one started after it.
func BootTicks() uint64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return 0
	}
	return uint64(ts.Nano()) / 1e7
}

// Proc is one process.
type Proc struct {
	PID, PPID, PGID, SID int
	State                byte   // R, S, D, Z…: the first letter of its state
	Flags                uint64 // the kernel's PF_* flags (linux/sched.h)
	Threads              int
	Start                uint64 // its start, in clock ticks since boot: with the pid, it names one process
	// EnvEnd is the address where its environment ends: 0 while it has
	// none set up (in the middle of an exec), has no memory (a zombie,
	// one exiting), or where the kernel does not show it (another
	// user's process). HasEnvEnd says whether the line had it (not
	// before Linux 3.5).
	EnvEnd    uint64
	HasEnvEnd bool
}

// Zombie reports whether the process has ended and waits only for its
// parent to reap it.
func (p Proc) Zombie() bool { return p.State == 'Z' }

// Of reads one process (false: it is not there, or has just ended).
func Of(pid int) (Proc, bool) {
	stat, err := ReadRecord("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return Proc{}, false
	}
	return ParseStat(pid, stat)
}

// recordBufs pools the buffers ReadRecord reads into: big enough for a
// stat line (52 numbers and a command of at most 64 bytes as escaped)
// many times over.
var recordBufs = sync.Pool{New: func() any { b := make([]byte, 4096); return &b }}

// recordMax bounds what ReadRecord reads: no record of the kernel's
// comes near it.
const recordMax = 1 << 20

// ReadRecord reads a /proc file that the kernel writes whole at each read
// (one record made at once: /proc/PID/stat, statm, comm, cgroup; not a
// list, such as mountinfo, whose read stops at a record that does not
// fit, nor environ, read page by page) with one open and one read into a
// pooled buffer: a snapshot of one moment, in three system calls where
// os.ReadFile makes ten (the runtime's poller tried: two fcntl, an
// epoll_ctl, two more fcntl; an fstat; a read more to see the end). A read that
// does not fill the buffer had the whole record; one that fills it is
// made again, from the start, into one twice the size. The bytes returned
// are the caller's.
func ReadRecord(path string) ([]byte, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	for errors.Is(err, unix.EINTR) {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	pooled := recordBufs.Get().(*[]byte)
	defer recordBufs.Put(pooled)
	buf := *pooled
	for {
		n, err := unix.Pread(fd, buf, 0)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n < len(buf) {
			return bytes.Clone(buf[:n]), nil
		}
		if 2*len(buf) > recordMax {
			return nil, &os.PathError{Op: "read", Path: path, Err: errors.New("longer than a record")}
		}
		buf = make([]byte, 2*len(buf))
	}
}

// All lists the live processes; one that ends while the list is read is
// left out.
func All() []Proc {
	var out []Proc
	entries, _ := os.ReadDir("/proc")
	for _, en := range entries {
		pid, err := strconv.Atoi(en.Name())
		if err != nil {
			continue
		}
		if p, ok := Of(pid); ok {
			out = append(out, p)
		}
	}
	return out
}

// StatFields splits a /proc/PID/stat line into its fields from the
// state on (field 3 of proc(5) at index 0: field n at n-3); nil if the
// line is cut. The command before them, in parentheses, may hold spaces
// and parentheses itself: the fields are those after its last ")".
func StatFields(stat []byte) []string {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(stat[i+1:]))
}

// ParseStat reads process pid's /proc/PID/stat line (proc(5)): state
// (field 3), parent (4), process group (5), session (6), flags (9),
// threads (20), start (22) and, where the line has it, the end of its
// environment (51). False if the line is cut before the start, or a field
// is not a number: All then leaves the process out, and the kills of a
// tree, group or session built on it would miss it; no kernel the
// backends run on (Linux 2.6 and later, all 52 fields since 3.5) writes
// such a line, so none is read more loosely for them.
func ParseStat(pid int, stat []byte) (Proc, bool) {
	fields := StatFields(stat)
	if len(fields) < 20 || fields[0] == "" {
		return Proc{}, false
	}
	p := Proc{PID: pid, State: fields[0][0]}
	// Field n is at n-3.
	ok := true
	for _, f := range []struct {
		at int
		to *int
	}{{1, &p.PPID}, {2, &p.PGID}, {3, &p.SID}, {17, &p.Threads}} {
		n, err := strconv.Atoi(fields[f.at])
		*f.to, ok = n, ok && err == nil
	}
	for _, f := range []struct {
		at int
		to *uint64
	}{{6, &p.Flags}, {19, &p.Start}, {48, &p.EnvEnd}} {
		if f.at >= len(fields) {
			continue
		}
		n, err := strconv.ParseUint(fields[f.at], 10, 64)
		*f.to, ok = n, ok && err == nil
	}
	if !ok {
		return Proc{}, false
	}
	p.HasEnvEnd = len(fields) > 48
	return p, true
}
