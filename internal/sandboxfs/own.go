package sandboxfs

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// Own gives name, a regular file or a directory beneath root ("." for
// root itself), to uid and gid (none given for a negative uid) and sets
// its mode to exactly mode, through no symbolic link: each directory on
// the way is opened with O_NOFOLLOW, and name itself as an O_PATH
// descriptor that a link would be (refused once fstat says so). The
// change is made on that descriptor, never by path. An error of the
// chown is returned as it is (errors.Is(err, os.ErrPermission) where
// Borges may not give files away), before any mode is set.
func Own(root, name string, uid, gid int, mode os.FileMode) error {
	dir, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: root, Err: err}
	}
	defer unix.Close(dir)
	return ownAt(dir, name, uid, gid, mode)
}

// ownAt is Own beneath the directory open at dir (left open).
func ownAt(dir int, name string, uid, gid int, mode os.FileMode) error {
	if name != "." && !Valid(name) {
		return fmt.Errorf("%s: not a relative path beneath its directory: %w", name, ErrRefused)
	}
	fd := dir
	var err error
	if name != "." {
		if fd, err = walk(dir, name, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0); err != nil {
			if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
				return fmt.Errorf("%s: a symbolic link or not a directory on the way: %w", name, ErrRefused)
			}
			return &os.PathError{Op: "open", Path: name, Err: err}
		}
		defer unix.Close(fd)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return &os.PathError{Op: "fstat", Path: name, Err: err}
	}
	if t := st.Mode & unix.S_IFMT; t != unix.S_IFREG && t != unix.S_IFDIR {
		return fmt.Errorf("%s: not a regular file or a directory: %w", name, ErrRefused)
	}
	if uid >= 0 {
		if err := unix.Fchownat(fd, "", uid, gid, unix.AT_EMPTY_PATH); err != nil {
			return &os.PathError{Op: "chown", Path: name, Err: err}
		}
	}
	// An O_PATH descriptor cannot be fchmod'ed; its /proc/self/fd link
	// names the very file it holds (no path is resolved again).
	if err := unix.Fchmodat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(fd), uint32(mode.Perm()), 0); err != nil {
		return &os.PathError{Op: "chmod", Path: name, Err: err}
	}
	return nil
}
