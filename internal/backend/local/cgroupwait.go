package local

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/cgroup"
)

// dyingLeave waits for the processes an ended attempt's process-group
// kill has just hit (its wrapper's stand-in, as a rule) to leave its
// cgroup: it reads one hierarchy's cgroup.procs once and waits on a pidfd
// of each process listed that is of the group pgid, which the kernel
// makes readable once the process has left its cgroups (cgroup_exit comes
// before the exit's notification); at most 20 ms (a process in an
// uninterruptible sleep dies late). The cgroup's kill that follows then
// finds it empty at its first look, where it froze the cgroup, signalled
// and thawed it, and slept a millisecond, for a process that was dying
// anyway. It polled the file every 100 µs for at most 2 ms before: a Go
// sleep that short lasts up to a millisecond on a busy machine, and a
// process killed there took longer than 2 ms to die in one end of ten (a
// chain of 1,000 blocks at load 11: 1.2 ms of waiting on average and then
// the kill's round). A process of another group (one that left it) is not
// waited for: it is not dying, and the cgroup's kill sees to it.
func dyingLeave(cg *attemptCgroup, pgid int) {
	if cg == nil {
		return
	}
	var procs string
	for _, d := range cg.Dirs {
		procs = filepath.Join(d, "cgroup.procs")
		break
	}
	data, err := cgroup.ReadFile(procs)
	if err != nil {
		return
	}
	var fds []unix.PollFd
	for _, f := range strings.Fields(string(data)) {
		pid, err := strconv.Atoi(f)
		if err != nil || pid <= 0 {
			continue
		}
		if g, err := unix.Getpgid(pid); err != nil || g != pgid {
			continue
		}
		fd, err := unix.PidfdOpen(pid, 0)
		if err != nil {
			continue // gone already, or no pidfds: the kill sees to it
		}
		defer unix.Close(fd)
		fds = append(fds, unix.PollFd{Fd: int32(fd), Events: unix.POLLIN})
	}
	deadline := time.Now().Add(20 * time.Millisecond)
	for len(fds) > 0 {
		left := time.Until(deadline)
		if left <= 0 {
			return
		}
		ts := unix.NsecToTimespec(left.Nanoseconds())
		n, err := unix.Ppoll(fds, &ts, nil)
		if err != nil && err != unix.EINTR {
			return
		}
		if n <= 0 {
			continue
		}
		waiting := fds[:0]
		for _, p := range fds {
			if p.Revents == 0 {
				waiting = append(waiting, p)
			}
		}
		fds = waiting
	}
}
