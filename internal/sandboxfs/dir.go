package sandboxfs

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// A Dir is a directory held open: opened once, through no link at its
// path (O_DIRECTORY|O_NOFOLLOW on its last component; the directories
// above it are trusted, as a root is), it is the root of every file
// opened, created, listed or deleted in it after. A link put at its path
// later, or a directory moved there, changes nothing: Borges goes on
// working in the directory it opened. Files beneath it are opened as Open
// and Create open them beneath a root (no link on the way, regular files
// only). Safe for concurrent use, Close included: Close waits for the
// calls under way (each a few system calls), and those after it fail
// (os.ErrClosed), never acting on a descriptor closed, or reused since.
type Dir struct {
	path string
	mu   sync.RWMutex // held to read fd while it is used; to write it by Close
	fd   int
}

// OpenDir opens the directory at path; a link there (to a directory or
// not), or another file, is refused (ErrRefused). It is opened as a
// place (O_PATH), as a root is by its path, not for reading: no read
// permission is needed on it (a block may take its own from its
// sandbox), only the search permission to open beneath it; Names opens
// it again to read it.
func OpenDir(path string) (*Dir, error) {
	fd, err := unix.Open(path, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
			return nil, fmt.Errorf("%s: a symbolic link or not a directory: %w", path, ErrRefused)
		}
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return &Dir{path: path, fd: fd}, nil
}

// Identity is the device and inode of the directory d holds: what
// tells it from another whatever path names it.
func (d *Dir) Identity() (dev, ino uint64, err error) {
	st, err := d.Stat()
	return uint64(st.Dev), st.Ino, err
}

// Stat is the status of the directory d holds (its link count says
// whether it was removed since: 0).
func (d *Dir) Stat() (unix.Stat_t, error) {
	var st unix.Stat_t
	err := d.Use(func(fd int) error {
		if err := unix.Fstat(fd, &st); err != nil {
			return &os.PathError{Op: "fstat", Path: d.path, Err: err}
		}
		return nil
	})
	return st, err
}

// IdentityOf is the device and inode of the file named name in d, a
// link not followed (fstatat on the handle: no path is walked but the
// name).
func (d *Dir) IdentityOf(name string) (dev, ino uint64, err error) {
	if !Valid(name) {
		return 0, 0, notBeneath(name)
	}
	var st unix.Stat_t
	err = d.Use(func(fd int) error {
		if err := unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return &os.PathError{Op: "fstatat", Path: d.Join(name), Err: err}
		}
		return nil
	})
	return uint64(st.Dev), st.Ino, err
}

// Use runs fn with the descriptor d holds, for a system call that
// resolves one name relative to it (renameat2, fstatat, utimensat with
// no link followed): d stays open while fn runs (Close waits), and fn is
// not run once d is closed, nor for a nil Dir (os.ErrClosed). fn neither
// closes fd nor keeps it, and calls no method of d.
func (d *Dir) Use(fn func(fd int) error) error {
	if d == nil {
		return &os.PathError{Op: "open", Path: "", Err: os.ErrClosed}
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.fd < 0 {
		return &os.PathError{Op: "open", Path: d.path, Err: os.ErrClosed}
	}
	return fn(d.fd)
}

// Path is the path d was opened as.
func (d *Dir) Path() string { return d.path }

// Join is the path of name in d, as d was opened (a name, not where the
// file is now: the directory may have moved).
func (d *Dir) Join(name string) string { return filepath.Join(d.path, name) }

// Open opens name, a relative path beneath d, for reading.
func (d *Dir) Open(name string) (*os.File, error) {
	f, _, err := d.open(name, unix.O_RDONLY, 0)
	return f, err
}

// Create opens name beneath d for writing, as Create does beneath a root.
func (d *Dir) Create(name string, perm os.FileMode) (*os.File, error) {
	f, size, err := d.open(name, unix.O_WRONLY|unix.O_CREAT, uint32(perm.Perm()))
	if err != nil {
		return nil, err
	}
	return emptied(f, size, name)
}

// Edit opens an existing file beneath d for reading and writing, as Edit
// does beneath a root.
func (d *Dir) Edit(name string) (*os.File, error) {
	f, _, err := d.open(name, unix.O_RDWR, 0)
	return f, err
}

// Append opens name beneath d for appending, created with perm if it does
// not exist, as it is otherwise.
func (d *Dir) Append(name string, perm os.FileMode) (*os.File, error) {
	f, _, err := d.open(name, unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT, uint32(perm.Perm()))
	return f, err
}

// CreateAppend opens name beneath d for appending, created with perm if
// it does not exist, emptied if it does (as Create empties it).
func (d *Dir) CreateAppend(name string, perm os.FileMode) (*os.File, error) {
	f, size, err := d.open(name, unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT, uint32(perm.Perm()))
	if err != nil {
		return nil, err
	}
	return emptied(f, size, name)
}

// AppendNew creates name beneath d, with perm, for appending; a file (or
// a link) already there is an error (fs.ErrExist).
func (d *Dir) AppendNew(name string, perm os.FileMode) (*os.File, error) {
	f, _, err := d.open(name, unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT|unix.O_EXCL, uint32(perm.Perm()))
	return f, err
}

// WriteFile writes data to name beneath d (see Create).
func (d *Dir) WriteFile(name string, data []byte, perm os.FileMode) error {
	f, err := d.Create(name, perm)
	return written(f, err, data, 0, false)
}

// ReadAt reads at most max bytes of name beneath d from offset, as ReadAt
// does beneath a root.
func (d *Dir) ReadAt(name string, offset int64, max int) ([]byte, int64, error) {
	f, size, err := d.open(name, unix.O_RDONLY, 0)
	return readAt(f, size, err, name, offset, max)
}

// Place writes data to name beneath d with exactly mode, making the
// directories on its way, as Place does beneath a root.
func (d *Dir) Place(name string, data []byte, mode os.FileMode) error {
	if !Valid(name) {
		return notBeneath(name)
	}
	if err := d.Use(func(fd int) error { return mkdirsAt(fd, path.Dir(name), 0o755) }); err != nil {
		return err
	}
	f, err := d.Create(name, 0o600)
	return written(f, err, data, mode, true)
}

// Sub opens the directory name beneath d, through no link on the way nor
// at its end, as OpenDir opens one by its path.
func (d *Dir) Sub(name string) (*Dir, error) {
	fd, err := d.walkTo(name, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC)
	if err != nil {
		return nil, err
	}
	return &Dir{path: d.Join(name), fd: fd}, nil
}

// Mkdir makes the directory name beneath d with perm (as umask leaves
// it), its parent reached through no link; one already there is an error
// (fs.ErrExist).
func (d *Dir) Mkdir(name string, perm os.FileMode) error {
	mkdir := func(parent int) error {
		if err := unix.Mkdirat(parent, path.Base(name), uint32(perm.Perm())); err != nil {
			return &os.PathError{Op: "mkdir", Path: d.Join(name), Err: err}
		}
		return nil
	}
	if dir := path.Dir(name); dir != "." {
		fd, err := d.walkTo(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		return mkdir(fd)
	}
	if !Valid(name) {
		return notBeneath(name)
	}
	return d.Use(mkdir)
}

// MkdirAll makes the directories of name beneath d (mode 0755, as umask
// leaves it), each reached through no link; those already there are
// kept.
func (d *Dir) MkdirAll(name string) error {
	return d.MkdirAllPerm(name, 0o755)
}

// MkdirAllPerm is MkdirAll making each directory with perm.
func (d *Dir) MkdirAllPerm(name string, perm os.FileMode) error {
	if !Valid(name) {
		return notBeneath(name)
	}
	return d.Use(func(fd int) error { return mkdirsAt(fd, name, uint32(perm.Perm())) })
}

// Dup is a descriptor of its own of the directory d holds (O_PATH, close
// on exec), for the caller to close.
func (d *Dir) Dup() (*os.File, error) {
	dup, err := d.dupFd()
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(dup), d.path), nil
}

// Clone is a Dir of its own holding the directory d holds (the same
// directory, not one put at its path since), for the caller to close.
func (d *Dir) Clone() (*Dir, error) {
	dup, err := d.dupFd()
	if err != nil {
		return nil, err
	}
	return &Dir{path: d.path, fd: dup}, nil
}

// dupFd is a descriptor of its own of the directory d holds, close on
// exec.
func (d *Dir) dupFd() (int, error) {
	dup := -1
	err := d.Use(func(fd int) (err error) {
		if dup, err = unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0); err != nil {
			return &os.PathError{Op: "dup", Path: d.path, Err: err}
		}
		return nil
	})
	return dup, err
}

// Own gives name beneath d ("." for d itself) to uid and gid with mode,
// as Own does beneath a root.
func (d *Dir) Own(name string, uid, gid int, mode os.FileMode) error {
	return d.Use(func(fd int) error { return ownAt(fd, name, uid, gid, mode) })
}

// walkTo opens name beneath d with flags, each directory on the way
// through no link (walk).
func (d *Dir) walkTo(name string, flags int) (int, error) {
	if !Valid(name) {
		return -1, notBeneath(name)
	}
	fd := -1
	err := d.Use(func(dir int) (err error) {
		fd, err = walk(dir, name, flags, 0)
		return err
	})
	if errors.Is(err, os.ErrClosed) {
		return -1, err
	}
	if err != nil {
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
			return -1, fmt.Errorf("%s: a symbolic link or not a directory on the way: %w", name, ErrRefused)
		}
		return -1, &os.PathError{Op: "open", Path: d.Join(name), Err: err}
	}
	return fd, nil
}

// Names lists the names in d, sorted.
func (d *Dir) Names() ([]string, error) {
	fd := -1
	err := d.Use(func(dir int) (err error) {
		if fd, err = unix.Openat(dir, ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0); err != nil {
			return &os.PathError{Op: "open", Path: d.path, Err: err}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), d.path)
	defer f.Close()
	names, err := f.Readdirnames(-1)
	slices.Sort(names)
	return names, err
}

// Remove deletes the file name of d itself (not beneath a directory of
// it: a name with a "/" is refused); a link there is deleted, not
// followed.
func (d *Dir) Remove(name string) error {
	if !Valid(name) || strings.Contains(name, "/") {
		return fmt.Errorf("%s: not a name in its directory: %w", name, ErrRefused)
	}
	if err := d.Use(func(fd int) error { return unix.Unlinkat(fd, name, 0) }); err != nil {
		return &os.PathError{Op: "remove", Path: d.Join(name), Err: err}
	}
	return nil
}

// Close lets the directory go, once the calls under way beneath it are
// done; once closed, nothing opens beneath it (a second Close, or a nil
// Dir's, does nothing).
func (d *Dir) Close() error {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fd < 0 {
		return nil
	}
	fd := d.fd
	d.fd = -1
	return unix.Close(fd)
}

func (d *Dir) open(name string, flags int, mode uint32) (*os.File, int64, error) {
	if d != nil && !Valid(name) {
		return nil, 0, notBeneath(name)
	}
	var f *os.File
	var size int64
	err := d.Use(func(fd int) (err error) {
		f, size, err = openAt(fd, d.path, name, flags, mode)
		return err
	})
	return f, size, err
}
