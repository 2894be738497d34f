// Package sandboxfs opens files of a directory that something else — a
// container's program, running as another user — can write into, without
// letting it redirect Borges elsewhere. Borges runs as root on the host:
// a symbolic link `leak -> /etc/shadow` planted in a sandbox and opened
// with os.Open would serve the host's file, and one planted where Borges
// writes would overwrite it. Every open here resolves the name beneath
// its root and refuses any symbolic link on the way (openat2 with
// RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS; where the kernel has no openat2,
// one openat with O_NOFOLLOW per component), and serves regular files
// only: a fifo would block the reader, a device node would be read or
// written as the device.
package sandboxfs

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// ErrRefused is returned (wrapped) for a name that leaves its root, goes
// through a symbolic link, or names something other than a regular file.
var ErrRefused = errors.New("refused")

// noOpenat2 is set once the kernel says it has no openat2 (tests set it
// to exercise the fallback).
var noOpenat2 atomic.Bool

// Open opens name, a relative path beneath root, for reading.
func Open(root, name string) (*os.File, error) {
	f, _, err := open(root, name, unix.O_RDONLY, 0)
	return f, err
}

// Create opens name beneath root for writing, created with perm if it does
// not exist and emptied if it does.
func Create(root, name string, perm os.FileMode) (*os.File, error) {
	f, size, err := open(root, name, unix.O_WRONLY|unix.O_CREAT, uint32(perm.Perm()))
	if err != nil {
		return nil, err
	}
	return emptied(f, size, name)
}

// emptied empties f, name opened for writing, of size bytes (closing it
// on an error). Emptied only once known to be a regular file: O_TRUNC at
// open time would act before the type is checked. An empty file is left
// as it is: on ext4 a truncation has the file's data flushed at its
// close (auto_da_alloc), a write to disk for each output. Its size is the
// open's own fstat's (no second one).
func emptied(f *os.File, size int64, name string) (*os.File, error) {
	if size == 0 {
		return f, nil
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return f, nil
}

// Append opens name beneath root for appending, created with perm if it
// does not exist, as it is otherwise.
func Append(root, name string, perm os.FileMode) (*os.File, error) {
	f, _, err := open(root, name, unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT, uint32(perm.Perm()))
	return f, err
}

// Edit opens an existing file beneath root for reading and writing, as it
// is (neither created nor emptied).
func Edit(root, name string) (*os.File, error) {
	f, _, err := open(root, name, unix.O_RDWR, 0)
	return f, err
}

// WriteFile writes data to name beneath root (see Create).
func WriteFile(root, name string, data []byte, perm os.FileMode) error {
	f, err := Create(root, name, perm)
	return written(f, err, data, 0, false)
}

// written writes data to f, opened with err, chmods it to mode where
// chmod says so (0 too: Place gives exactly its mode), and closes it.
func written(f *os.File, err error, data []byte, mode os.FileMode, chmod bool) error {
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && chmod {
		err = f.Chmod(mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ReadAt reads at most max bytes of name beneath root from offset. It
// returns them and the file's size; a missing file reads as empty (size
// 0, no error), as the output of a program that has not written yet.
func ReadAt(root, name string, offset int64, max int) ([]byte, int64, error) {
	// The size is the open's own fstat's (no second one).
	f, size, err := open(root, name, unix.O_RDONLY, 0)
	return readAt(f, size, err, name, offset, max)
}

// readAt is ReadAt's reading of f, name opened with err, of size bytes.
func readAt(f *os.File, size int64, err error, name string, offset int64, max int) ([]byte, int64, error) {
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	if offset < 0 || offset >= size || max <= 0 {
		return nil, size, nil
	}
	buf := make([]byte, min(int64(max), size-offset))
	n, err := f.ReadAt(buf, offset)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, size, fmt.Errorf("%s: %w", name, err)
	}
	return buf[:n], size, nil
}

// Valid reports whether name is a clean relative path that stays beneath
// its root ("a/b", not "/a", "../a", "a/../b", "." or "").
func Valid(name string) bool {
	if name == "" || name == "." || strings.HasPrefix(name, "/") || strings.ContainsRune(name, 0) {
		return false
	}
	return path.Clean(name) == name && name != ".." && !strings.HasPrefix(name, "../")
}

// open opens name beneath root with flags (O_RDONLY, O_RDWR, or
// O_WRONLY|O_CREAT, with O_APPEND or not), and returns its size as the
// fstat that checks its type found it.
// The root itself is trusted: it is a directory of Borges' own, opened by
// its path at each call (a Dir is opened once, through no link).
func open(root, name string, flags int, mode uint32) (*os.File, int64, error) {
	if !Valid(name) {
		return nil, 0, notBeneath(name)
	}
	dir, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, 0, &os.PathError{Op: "open", Path: root, Err: err}
	}
	defer unix.Close(dir)
	return openAt(dir, root, name, flags, mode)
}

// notBeneath is the error for a name that is not a clean relative path.
func notBeneath(name string) error {
	return fmt.Errorf("%s: not a relative path beneath its directory: %w", name, ErrRefused)
}

// openAt is open beneath the directory open at dir, whose path is root (a
// name for the file returned), name already Valid; flags may have O_EXCL
// too.
func openAt(dir int, root, name string, flags int, mode uint32) (*os.File, int64, error) {
	var err error
	// O_NONBLOCK: opening a fifo for reading must not wait for a writer
	// (it is refused below, once fstat says what it is).
	status := flags & unix.O_APPEND // its file status flags but O_NONBLOCK
	flags |= unix.O_NOFOLLOW | unix.O_CLOEXEC | unix.O_NONBLOCK | unix.O_NOCTTY
	var fd int
	walked := noOpenat2.Load()
	if !walked {
		fd, err = unix.Openat2(dir, name, &unix.OpenHow{Flags: uint64(flags), Mode: uint64(mode),
			Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS})
		switch {
		case errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.E2BIG):
			noOpenat2.Store(true) // a kernel before 5.6
			walked = true
		case errors.Is(err, unix.EPERM):
			// Maybe a seccomp filter that does not know openat2 (as
			// old container runtimes had): the walk says for sure.
			walked = true
		}
	}
	if walked {
		fd, err = walk(dir, name, flags, mode)
	}
	if err != nil {
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.EXDEV) || errors.Is(err, unix.ENOTDIR) {
			// ELOOP: a link where RESOLVE_NO_SYMLINKS or O_NOFOLLOW
			// forbid one; EXDEV: an escape RESOLVE_BENEATH caught.
			return nil, 0, fmt.Errorf("%s: a symbolic link or not a directory on the way: %w", name, ErrRefused)
		}
		if errors.Is(err, unix.ENXIO) {
			// A fifo opened for writing without a reader.
			return nil, 0, fmt.Errorf("%s: not a regular file: %w", name, ErrRefused)
		}
		return nil, 0, &os.PathError{Op: "open", Path: name, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, 0, &os.PathError{Op: "fstat", Path: name, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		unix.Close(fd)
		return nil, 0, fmt.Errorf("%s: not a regular file: %w", name, ErrRefused)
	}
	// Back to blocking reads and writes (no effect on a regular file,
	// but the os.File then behaves as any other): one F_SETFL with the
	// status flags it was opened with, O_NONBLOCK left out, where
	// SetNonblock read them first (F_GETFL; os.NewFile reads them again).
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFL, status); err != nil {
		unix.Close(fd)
		return nil, 0, &os.PathError{Op: "fcntl", Path: name, Err: err}
	}
	return os.NewFile(uintptr(fd), path.Join(root, name)), st.Size, nil
}

// walk is open for kernels without openat2 (before 5.6): each directory
// of name is opened by itself with O_NOFOLLOW (a link fails with ELOOP
// or ENOTDIR), and the last component too. Valid already excluded "..".
func walk(dir int, name string, flags int, mode uint32) (int, error) {
	parts := strings.Split(name, "/")
	cur := dir
	closeCur := func() {
		if cur != dir {
			unix.Close(cur)
		}
	}
	for _, p := range parts[:len(parts)-1] {
		next, err := unix.Openat(cur, p, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		closeCur()
		if err != nil {
			return -1, err
		}
		cur = next
	}
	fd, err := unix.Openat(cur, parts[len(parts)-1], flags, mode)
	closeCur()
	return fd, err
}

// Place writes data to name beneath root with exactly mode (no umask),
// making the directories on its way (0755) as it goes: each is opened
// beneath the one before with O_NOFOLLOW, so that a link planted on the
// way is refused, never followed. A file already there is emptied and
// written over (Create).
func Place(root, name string, data []byte, mode os.FileMode) error {
	if !Valid(name) {
		return notBeneath(name)
	}
	if err := mkdirs(root, path.Dir(name)); err != nil {
		return err
	}
	f, err := Create(root, name, 0o600)
	return written(f, err, data, mode, true)
}

// mkdirs makes the directories of dir (a clean relative path, or ".")
// beneath root that do not exist, refusing a link or a file on the way.
func mkdirs(root, dir string) error {
	if dir == "." {
		return nil
	}
	top, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: root, Err: err}
	}
	defer unix.Close(top)
	return mkdirsAt(top, dir, 0o755)
}

// mkdirsAt is mkdirs beneath the directory open at top (left open),
// each directory made with perm (as umask leaves it).
func mkdirsAt(top int, dir string, perm uint32) error {
	if dir == "." {
		return nil
	}
	cur := top
	defer func() {
		if cur != top {
			unix.Close(cur)
		}
	}()
	for _, p := range strings.Split(dir, "/") {
		if err := unix.Mkdirat(cur, p, perm); err != nil && !errors.Is(err, unix.EEXIST) {
			return &os.PathError{Op: "mkdir", Path: dir, Err: err}
		}
		next, err := unix.Openat(cur, p, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
				return fmt.Errorf("%s: a symbolic link or not a directory on the way: %w", dir, ErrRefused)
			}
			return &os.PathError{Op: "open", Path: dir, Err: err}
		}
		if cur != top {
			unix.Close(cur)
		}
		cur = next
	}
	return nil
}
