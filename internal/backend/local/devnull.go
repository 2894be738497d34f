package local

import (
	"fmt"
	"os"
	"os/exec"

	"golang.org/x/sys/unix"
)

// startOnDevNull starts cmd, a process attempt's wrapper, with /dev/null
// as its standard input, read only, through an open file description of
// the attempt's own, which the server closes once the wrapper runs: a
// lock a block takes on its standard input (flock 0) belongs to that
// description, so it ends with the attempt and excludes other attempts'
// locks. Left nil, exec.Cmd opens it with os.Open, whose file the runtime
// tries to put in its poller (a pair of fcntl and an epoll_ctl that
// fails, for a file that cannot be polled); a plain descriptor costs its
// open, os.NewFile's one fcntl and its close. A /dev/null that cannot be
// opened (too many open files) fails the launch, saying so; nothing is
// kept of it for the next launch.
func startOnDevNull(cmd *exec.Cmd) error {
	fd, err := unix.Open(os.DevNull, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("its standard input: %w", &os.PathError{Op: "open", Path: os.DevNull, Err: err})
	}
	stdin := os.NewFile(uintptr(fd), os.DevNull)
	defer stdin.Close()
	cmd.Stdin = stdin
	return cmd.Start()
}
