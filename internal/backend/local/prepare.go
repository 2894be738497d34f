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

// Prepare makes a process attempt's cgroup (cgroupprep.go), its sandbox
// and its stdout, empty, ahead of its launch, its program's file, empty,
// for an interpreter other than sh (whose program is no file:
// scriptfd.go): on some disks creating a file costs the best part of a
// millisecond, and six of them were most of the time from one block's end
// to the next one's start. Its stderr is made only if it writes some
// (copy.go): few blocks do, where most print their result; its exit
// status goes to the exit log (exitlog.go), and its wrapper is named in
// the wrapper log (wrapperfile.go): neither is a file of its own. Whatever of the attempt
// exists is left as it is (the launch may have come first): files are
// created only if absent, beneath their directory, through no link. A
// container's attempt and a session block's are made at their launch, as
// they were.
func (b *Backend) Prepare(id string, task *plan.Task) {
	if task == nil || task.Container != nil || task.Session != nil || id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/\\\x00") {
		return
	}
	select {
	case <-b.stopping:
		return
	default:
	}
	// Its cgroup first: the files are made whatever the launch finds,
	// the cgroup only before the launch begins.
	b.prepareCgroup(id, task.Resources)
	if err := b.makeSandbox(id); err != nil {
		b.log.Debug("preparing an attempt", "attempt", id, "err", err)
		return
	}
	paths := b.flatPaths(id)
	files := []struct {
		name string
		mode uint32
	}{{paths.stdout, 0o600}}
	if len(task.Interpreter) != 1 || task.Interpreter[0] != "sh" {
		files = append(files, struct {
			name string
			mode uint32
		}{paths.script, 0o700})
	}
	// Beneath the shard's directory held open (heldRoots).
	for i, f := range files {
		made := true
		if dst := in(paths.outDir, f.name); !b.pool.takeAt(poolFiles, dst, os.FileMode(f.mode)) {
			err := dst.do(func(dir int) error {
				fd, err := unix.Openat(dir, f.name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, f.mode)
				if err == nil {
					unix.Close(fd)
				}
				return err
			})
			if err != nil && !errors.Is(err, os.ErrExist) {
				made = false
				b.log.Debug("preparing an attempt", "attempt", id, "file", f.name, "err", err)
			}
		}
		if i == 0 && made {
			b.rememberStdout(id)
		}
	}
}

// maxOutPrepared bounds the attempts whose stdout Prepare made that are
// remembered (an attempt prepared and never launched stays until then).
const maxOutPrepared = 64

// rememberStdout has attempt id's launch know that its stdout was made
// ahead.
func (b *Backend) rememberStdout(id string) { b.remember(&b.outPrepared, id) }

// remember adds attempt id to a set of those prepared (outPrepared),
// under b.mu.
func (b *Backend) remember(set *map[string]struct{}, id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if *set == nil || len(*set) >= maxOutPrepared {
		// Forgotten: their first writes only try the pool first.
		*set = map[string]struct{}{}
	}
	(*set)[id] = struct{}{}
}

// recall says whether attempt id is in a set of those prepared, and
// takes it out.
func (b *Backend) recall(set *map[string]struct{}, id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := (*set)[id]
	delete(*set, id)
	return ok
}

// stdoutPrepared reports whether Prepare made attempt id's stdout, and
// forgets it: its first write opens it where it is, without trying the
// pool first (whose take would find its place taken: three system calls
// for nothing). Should it be gone since, the write makes it as without a
// pool.
func (b *Backend) stdoutPrepared(id string) bool { return b.recall(&b.outPrepared, id) }
