package local

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// A directory of logs in DATA (DATA/exits, DATA/wrappers) is opened once,
// at New, through no link, and held open (a sandboxfs.Dir): every log in
// it is created, read and deleted relative to that handle (openat,
// unlinkat), so that a link at its path, put there before the start or
// after, is never followed out of DATA, nor a link in it. Recover deletes
// what reads as a log nothing needs: followed to a directory elsewhere,
// it would delete files there.
type logDir struct {
	path string // what it was opened as (DATA/NAME)
	dir  *sandboxfs.Dir
}

// openLogDir makes the directory at path if it is not there and opens
// it; anything but a directory of its own (a link, to a directory or
// not, or another file) is refused.
func openLogDir(path string) (*logDir, error) {
	if err := os.Mkdir(path, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	dir, err := sandboxfs.OpenDir(path)
	if errors.Is(err, sandboxfs.ErrRefused) {
		return nil, fmt.Errorf("%s is not a directory (a link, or another file): refusing to keep logs there", path)
	}
	if err != nil {
		return nil, err
	}
	return &logDir{path: path, dir: dir}, nil
}

// pathOf is the path of the log named name in d.
func (d *logDir) pathOf(name string) string { return d.dir.Join(name) }

// nameOf is the name in d of the log at path, if it is one of d's.
func (d *logDir) nameOf(path string) (string, bool) {
	if filepath.Dir(path) != d.path {
		return "", false
	}
	name := filepath.Base(path)
	return name, name != "." && name != ".." && name != string(filepath.Separator)
}

// create makes a log named name, for appending; none is there.
func (d *logDir) create(name string) (*os.File, error) {
	return d.dir.AppendNew(name, 0o600)
}

// open opens the log named name for reading: a regular file, not a link
// (nor a pipe, which would block its reader).
func (d *logDir) open(name string) (*os.File, error) {
	return d.dir.Open(name)
}

// openPath opens the log at path, which must be in d: a path elsewhere
// (a process's environment may say anything) is none of d's logs.
func (d *logDir) openPath(path string) (*os.File, error) {
	name, ok := d.nameOf(path)
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("not a log in %s", d.path)}
	}
	return d.open(name)
}

// names lists the logs in d, sorted.
func (d *logDir) names() ([]string, error) { return d.dir.Names() }

// remove deletes the log named name.
func (d *logDir) remove(name string) error { return d.dir.Remove(name) }

// close lets the directory go (once: Close may be called again).
func (d *logDir) close() error {
	if d == nil {
		return nil
	}
	return d.dir.Close()
}

// scanLines calls line with each line of a log (without its newline), in
// the order written, and says how many were longer than max and skipped:
// a task may write to its run's logs, and a line it makes too long does
// not stop the reading of the lines after it. A last line with no
// newline (cut short by a crash) is given only if partial.
func scanLines(r io.Reader, max int, partial bool, line func([]byte)) (long int, err error) {
	br := bufio.NewReaderSize(r, max)
	for {
		text, err := br.ReadSlice('\n')
		switch {
		case err == nil:
			line(text[:len(text)-1])
		case errors.Is(err, bufio.ErrBufferFull):
			long++
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err == io.EOF {
				return long, nil
			}
			if err != nil {
				return long, err
			}
		case err == io.EOF:
			if partial && len(text) > 0 {
				line(text)
			}
			return long, nil
		default:
			return long, err
		}
	}
}
