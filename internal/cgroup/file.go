package cgroup

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// A cgroup file is read and written with plain system calls, not
// os.ReadFile and os.WriteFile: those open an *os.File, which puts the
// descriptor in the runtime's poller (a cgroup file, a kernfs file,
// accepts it: two fcntl and an epoll_ctl at the open, another epoll_ctl
// at the close) and reads its size first (fstat). An attempt's launch and
// end read and write about twenty of them (profiles of
// BenchmarkThousandBlocks with a cgroup each, v1), so three system calls
// where there were eight or nine. The test layouts are plain
// directories: a file written is made if it is not there, as before.

// writeFile writes value to the file named file of dir.
func writeFile(dir, file, value string) error {
	path := filepath.Join(dir, file)
	fd, err := open(path, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	data := []byte(value)
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return &os.PathError{Op: "write", Path: path, Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: path, Err: err}
	}
	return nil
}

// ReadFile reads a cgroup file (or any small file) whole.
func ReadFile(path string) ([]byte, error) {
	fd, err := open(path, unix.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	buf := make([]byte, 0, 512)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := unix.Read(fd, buf[len(buf):cap(buf)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}

func open(path string, flags int, mode uint32) (int, error) {
	for {
		fd, err := unix.Open(path, flags|unix.O_CLOEXEC, mode)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return -1, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return fd, nil
	}
}
