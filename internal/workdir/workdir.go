// Package workdir opens a process's working directory outside its
// sandbox (an absolute :dir, ~/…, or one climbing out of the sandbox) by
// the one rule every backend starting processes itself keeps (the local
// backend, the Mesos executor): the part that exists is reached as Emacs
// reaches it, following the user's links; the part missing is made
// through no link; Borges' own state (a data directory, an executor's
// files) is never landed in, by a link or by a path, compared by
// identity; and the process is started in the directory opened, not in
// whatever its path leads to by then.
package workdir

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// ID is a file's identity: what tells it from another whatever path
// names it.
type ID struct{ Dev, Ino uint64 }

// maxDepth bounds the walk up from a directory to the file system's root
// (Beneath): deeper than any path the system resolves.
const maxDepth = 4096

// Beneath says whether the directory d holds is one that own says is
// Borges' own, or lies beneath one, by identity, not by its path (a
// link, a bind, or a name with ".." would fool a comparison of strings):
// each directory from d up to the root, by "..", is asked of own.
func Beneath(d *sandboxfs.Dir, own func(ID) bool) (bool, error) {
	in := false
	err := d.Use(func(fd int) error {
		cur, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			return &os.PathError{Op: "dup", Path: d.Path(), Err: err}
		}
		defer func() { unix.Close(cur) }()
		for range maxDepth {
			var st unix.Stat_t
			if err := unix.Fstat(cur, &st); err != nil {
				return &os.PathError{Op: "fstat", Path: d.Path(), Err: err}
			}
			here := ID{uint64(st.Dev), st.Ino}
			if own(here) {
				in = true
				return nil
			}
			up, err := unix.Openat(cur, "..", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
			if err != nil {
				return &os.PathError{Op: "open", Path: d.Path() + "/..", Err: err}
			}
			unix.Close(cur)
			cur = up
			if err := unix.Fstat(cur, &st); err != nil {
				return &os.PathError{Op: "fstat", Path: d.Path(), Err: err}
			}
			if (ID{uint64(st.Dev), st.Ino}) == here {
				return nil // the root: ".." is itself
			}
		}
		return nil
	})
	return in, err
}

// Of is the identity of the directory d holds.
func Of(d *sandboxfs.Dir) (ID, error) {
	dev, ino, err := d.Identity()
	return ID{dev, ino}, err
}

// ParentOf is the identity of the parent of the directory d holds (its
// "..", as it is now).
func ParentOf(d *sandboxfs.Dir) (ID, error) {
	var st unix.Stat_t
	err := d.Use(func(fd int) error {
		if err := unix.Fstatat(fd, "..", &st, 0); err != nil {
			return &os.PathError{Op: "stat", Path: d.Join(".."), Err: err}
		}
		return nil
	})
	return ID{uint64(st.Dev), st.Ino}, err
}

// Own is what a backend holds as Borges' own state: Is says whether a
// directory is one of it, Name names it in a refusal.
type Own struct {
	Is   func(ID) bool
	Name string
}

// Perm is the mode of the directories Borges makes for a :dir (as umask
// leaves it), wherever it makes them and on every backend: mkdir -p's
// and Emacs' make-directory's, as a Mesos command executor's shell and
// the engine make them.
const Perm os.FileMode = 0o755

// Open opens the working directory work (plan.WorkDir's) of a process
// whose sandbox is at the path sandbox: the sandbox itself, or a
// directory beneath it (a relative :dir) made (Perm) and opened beneath the sandbox held by openBox through no link (a link
// there is a task's: never followed); any other by OpenAbs, own (asked
// only then) saying what Borges' own state is. The caller starts the
// process in the directory returned (its descriptor), and closes it.
func Open(openBox func() (*sandboxfs.Dir, error), sandbox, work string, own func() (Own, error)) (*sandboxfs.Dir, error) {
	rel, inside := "", work == sandbox
	if r, ok := strings.CutPrefix(work, sandbox+"/"); ok {
		rel, inside = r, true
	}
	if !inside {
		o, err := own()
		if err != nil {
			return nil, err
		}
		return OpenAbs(work, o.Is, o.Name)
	}
	box, err := openBox()
	if err != nil || rel == "" {
		return box, err
	}
	defer box.Close()
	if err := box.MkdirAllPerm(rel, Perm); err != nil {
		return nil, err
	}
	return box.Sub(rel)
}

// OpenAbs opens the absolute working directory work as Emacs does: its
// existing part by its path, links followed (a task runs as the user: a
// link on the user's file system gives it nothing it could not do
// itself), the rest made beneath it (Perm)
// component by component through no link (only Borges makes those: a
// link there is a race, refused). Borges' own state is the one place no
// link is followed into: a working directory that own says is Borges'
// (ownName, for the message), or lies beneath one, by its path or by a
// link (one a task could put in its sandbox), is refused before
// anything is made (Beneath). The caller starts the process in the
// directory returned (its descriptor), and closes it.
func OpenAbs(work string, own func(ID) bool, ownName string) (*sandboxfs.Dir, error) {
	clean := filepath.Clean(work)
	if !filepath.IsAbs(clean) {
		return nil, fmt.Errorf("%s: not an absolute path", work)
	}
	existing, rest, err := openExisting(clean)
	if err != nil {
		return nil, err
	}
	in, err := Beneath(existing, own)
	if err != nil {
		existing.Close()
		return nil, err
	}
	if in {
		existing.Close()
		return nil, fmt.Errorf("%s: in %s, or beneath it: refusing to make or run there", work, ownName)
	}
	if rest == "" {
		return existing, nil
	}
	defer existing.Close()
	if err := existing.MkdirAllPerm(rest, Perm); err != nil {
		return nil, LinkRefused(work, err)
	}
	dir, err := existing.Sub(rest)
	if err != nil {
		return nil, LinkRefused(work, err)
	}
	return dir, nil
}

// Start is where a process is started for its working directory: the
// directory opened, held.
type Start struct {
	// Path names the directory held (/proc/self/fd/N), which the child
	// resolves, before it execs, to the directory opened, not to
	// whatever a path leads to by then.
	Path string
	// File holds the directory: the caller closes it once the process
	// has started.
	File *os.File
	// Written is the working directory as written (plan.WorkDir's,
	// cleaned) where that path leads to the directory opened, else "":
	// the process's PWD, as Emacs gives its :dir (links not resolved),
	// so that `pwd` and $PWD print it as under Emacs.
	Written string
}

// Hold holds the directory dir (Open's, which the caller still closes)
// for a process to start in, its working directory written as work.
func Hold(dir *sandboxfs.Dir, work string) (Start, error) {
	held, err := dir.Dup()
	if err != nil {
		return Start{}, err
	}
	s := Start{Path: filepath.Join("/proc/self/fd", strconv.Itoa(int(held.Fd()))), File: held}
	// By the path as written, the user's links followed: a name for the
	// directory only where it is the directory opened (a shell takes a
	// PWD only where it names "." all the same).
	var st unix.Stat_t
	if id, err := Of(dir); err == nil && unix.Stat(work, &st) == nil && id == (ID{uint64(st.Dev), st.Ino}) {
		s.Written = filepath.Clean(work)
	}
	return s, nil
}

// openExisting opens the longest part of the clean absolute path clean
// that exists, following links, and says what is left of it to make.
func openExisting(clean string) (*sandboxfs.Dir, string, error) {
	at, rest := clean, ""
	for {
		fd, err := unix.Open(at, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err == nil {
			d, err := sandboxfs.DirFromFd(fd, at)
			return d, rest, err
		}
		if !errors.Is(err, unix.ENOENT) || at == "/" {
			return nil, "", &os.PathError{Op: "open", Path: at, Err: err}
		}
		rest = path.Join(path.Base(at), rest)
		at = path.Dir(at)
	}
}

// LinkRefused says, of a refusal (sandboxfs.ErrRefused) to make the
// working directory work, why.
func LinkRefused(work string, err error) error {
	if errors.Is(err, sandboxfs.ErrRefused) {
		return fmt.Errorf("%s: a symbolic link (or a file that is no directory) appeared where Borges made a working directory: it follows no link there (%w)", work, err)
	}
	return err
}
