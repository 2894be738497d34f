package local

import (
	"errors"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

var _ engine.Preparer = (*Backend)(nil)

// preparedFiles are the files of a process attempt made ahead of its
// launch, empty, with the modes the launch gives them: its program and
// its stdout. Its stderr is made only if it writes some (copy.go): few
// blocks do, where most print their result; its exit status goes to the
// exit log (exitlog.go).
var preparedFiles = []struct {
	name string
	mode uint32
}{{"script", 0o700}, {"stdout", 0o600}}

// Prepare makes a process attempt's directory, its sandbox and its files,
// empty, ahead of its launch: on some disks creating a file costs the
// best part of a millisecond, and six of them were most of the time from
// one block's end to the next one's start. Whatever of the attempt exists
// is left as it is (the launch may have come first): files are created
// only if absent, beneath the attempt's directory, through no link. A
// container's attempt is made at its launch, as it was.
func (b *Backend) Prepare(id string, task *plan.Task) {
	if task == nil || task.Container != nil || id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/\\\x00") {
		return
	}
	select {
	case <-b.stopping:
		return
	default:
	}
	if err := b.makeAttemptDirs(id); err != nil {
		b.log.Debug("preparing an attempt", "attempt", id, "err", err)
		return
	}
	dir, err := unix.Open(b.AttemptDir(id), unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	defer unix.Close(dir)
	for _, f := range preparedFiles {
		fd, err := unix.Openat(dir, f.name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, f.mode)
		if err == nil {
			unix.Close(fd)
		} else if !errors.Is(err, os.ErrExist) {
			b.log.Debug("preparing an attempt", "attempt", id, "file", f.name, "err", err)
		}
	}
}
