package local

import (
	"os"

	"golang.org/x/sys/unix"
)

// An attempt's launch makes three pipes (its stdout and stderr, the
// stand-ins' life, which the wrapper's gate reads first). os.Pipe puts both ends of each in
// the runtime's poller: made non-blocking and registered, made blocking
// again when handed to the child (a pipe's two descriptors in the server
// and in the child share their flags, so the server's read ends, which
// the wrapper's stand-in inherits, block too: its cat cannot read a
// non-blocking pipe), and unregistered at their close — up to six system
// calls per end, for descriptors that all end up blocking. pipe makes
// them blocking from the start, never polled; the server reads an output
// through a dup of its read end (readPipe, copy.go), which shares the
// stand-in's description and makes it non-blocking: the stand-in opens
// one of its own when it takes over (wrapperHead).

// pipe is a pipe of two plain blocking descriptors, closed on exec.
func pipe() (r, w *os.File, err error) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return nil, nil, os.NewSyscallError("pipe2", err)
	}
	return os.NewFile(uintptr(p[0]), "|0"), os.NewFile(uintptr(p[1]), "|1"), nil
}
