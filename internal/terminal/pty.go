package terminal

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/proclist"
)

// Open opens a pseudo-terminal set as Emacs sets it (Emacs), its window
// 0×0: its master, which Borges reads and writes, and its slave, the
// program's.
func Open() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("opening a pseudo-terminal: %w", err)
	}
	// The master is used through its poller (a Close unblocks a Read):
	// its descriptor is reached through SyscallConn, never Fd, which
	// would make it blocking.
	var n uint32
	ctlErr := control(master, func(fd int) error {
		if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
			return fmt.Errorf("unlocking the pseudo-terminal: %w", err)
		}
		var err error
		n, err = unix.IoctlGetUint32(fd, unix.TIOCGPTN)
		return err
	})
	if ctlErr != nil {
		master.Close()
		return nil, nil, ctlErr
	}
	slave, err = os.OpenFile("/dev/pts/"+strconv.FormatUint(uint64(n), 10), os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("opening the pseudo-terminal's slave: %w", err)
	}
	if err := set(slave); err != nil {
		master.Close()
		slave.Close()
		return nil, nil, err
	}
	return master, slave, nil
}

// set gives a terminal Emacs's settings and a 0×0 window.
func set(f *os.File) error {
	t := Emacs()
	return control(f, func(fd int) error {
		if err := unix.IoctlSetTermios(fd, unix.TCSETS, &t); err != nil {
			return fmt.Errorf("setting the terminal: %w", err)
		}
		if err := unix.IoctlSetWinsize(fd, unix.TIOCSWINSZ, &unix.Winsize{}); err != nil {
			return fmt.Errorf("setting the terminal's window: %w", err)
		}
		return nil
	})
}

func control(f *os.File, do func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var doErr error
	if err := rc.Control(func(fd uintptr) { doErr = do(int(fd)) }); err != nil {
		return err
	}
	return doErr
}

// Start starts cmd on a new pseudo-terminal (Open): its standard input,
// output and error, and its controlling terminal, cmd the leader of a new
// session (and so of a process group: Kill ends them). It returns the
// terminal's master: what cmd writes is read there, what is written there
// cmd reads. Once every process holding the terminal has ended, reading
// the master fails (EIO). cmd.SysProcAttr must not ask for a process
// group (a session leader has its own).
func Start(cmd *exec.Cmd) (*os.File, error) {
	if cmd.SysProcAttr != nil && cmd.SysProcAttr.Setpgid {
		return nil, errors.New("terminal.Start: a session leader cannot change its process group")
	}
	master, slave, err := Open()
	if err != nil {
		return nil, err
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setsid = true
	cmd.SysProcAttr.Setctty = true
	cmd.SysProcAttr.Ctty = 0 // the child's standard input
	err = cmd.Start()
	slave.Close()
	if err != nil {
		master.Close()
		return nil, err
	}
	return master, nil
}

// Kill sends sig to the session a process started by Start leads: its
// process group, and the process groups its shell's job control made for
// the jobs it runs (in Emacs as here, a shell on a terminal runs each job
// in a group of its own).
func Kill(leader int, sig syscall.Signal) {
	if leader <= 0 {
		return
	}
	syscall.Kill(-leader, sig)
	for _, p := range proclist.All() {
		if p.SID == leader && p.PID != leader {
			syscall.Kill(p.PID, sig)
		}
	}
}
