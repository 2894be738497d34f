package sandboxfs

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// DirFromFd is the directory open at fd (received from another process,
// which opened it as OpenDir or Sub does), held as a Dir: closing the Dir
// closes fd. path names it in errors only. A descriptor of anything but
// a directory is refused (ErrRefused), and closed.
func DirFromFd(fd int, path string) (*Dir, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		unix.Close(fd)
		return nil, fmt.Errorf("%s: not a directory: %w", path, ErrRefused)
	}
	return &Dir{path: path, fd: fd}, nil
}
