package local

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// maxDepth bounds the walk up from a directory to the file system's root
// (inDataDir): deeper than any path the system resolves.
const maxDepth = 4096

// inDataDir says whether the directory d holds is Borges' data directory
// or lies beneath it, by identity, not by its path (a link, a bind, or a
// name with ".." would fool a comparison of strings): each directory
// from d up to the root, by "..", is compared with DATA's and the held
// directories of it (a held one moved aside since is still Borges').
func (r *heldRoots) inDataDir(d *sandboxfs.Dir) (bool, error) {
	data, err := r.identities()
	if err != nil {
		return false, err
	}
	in := false
	err = d.Use(func(fd int) error {
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
			here := fileID{uint64(st.Dev), st.Ino}
			if data[here] {
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
			if (fileID{uint64(st.Dev), st.Ino}) == here {
				return nil // the root: ".." is itself
			}
		}
		return nil
	})
	return in, err
}

// identities are those of DATA (the parent of the held DATA/sandboxes
// and DATA/attempts), DATA/outputs, and the held directories.
func (r *heldRoots) identities() (map[fileID]bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := map[fileID]bool{}
	add := func(d *sandboxfs.Dir, parent bool) error {
		return d.Use(func(fd int) error {
			var st unix.Stat_t
			if err := unix.Fstat(fd, &st); err != nil {
				return &os.PathError{Op: "fstat", Path: d.Path(), Err: err}
			}
			ids[fileID{uint64(st.Dev), st.Ino}] = true
			if !parent {
				return nil
			}
			if err := unix.Fstatat(fd, "..", &st, 0); err != nil {
				return &os.PathError{Op: "stat", Path: d.Join(".."), Err: err}
			}
			ids[fileID{uint64(st.Dev), st.Ino}] = true
			return nil
		})
	}
	for _, d := range []*sandboxfs.Dir{r.sandboxes, r.attempts, r.outputs[0]} {
		if err := add(d, true); err != nil {
			return nil, err
		}
	}
	for _, d := range r.outputs[1:] {
		if err := add(d, false); err != nil {
			return nil, err
		}
	}
	return ids, nil
}
