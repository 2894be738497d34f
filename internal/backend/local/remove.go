package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wallyqs/borges/internal/engine"
)

var _ engine.FileRemover = (*Backend)(nil)

// RemoveAttempts deletes ended attempts' files (their sandboxes whole:
// whatever the program left there goes with its output; layout.go). Symbolic
// links are removed as links, never followed: os.RemoveAll unlinks a link
// it meets, the directory itself included, and never descends through
// one. A running attempt's directory is left alone, and an id that is not
// one directory name is refused; the others are removed all the same.
func (b *Backend) RemoveAttempts(ctx context.Context, ids []string) error {
	var errs []error
	var groups liveGroups
	for _, id := range ids {
		if id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/\\\x00") {
			errs = append(errs, fmt.Errorf("attempt %q: not an attempt id", id))
			continue
		}
		b.mu.Lock()
		running := b.procs[id] != nil || b.ctrs[id] != nil
		b.mu.Unlock()
		if running {
			errs = append(errs, fmt.Errorf("attempt %s: still running; its directory is kept", id))
			continue
		}
		if err := b.removeAttempt(id, &groups); err != nil {
			errs = append(errs, fmt.Errorf("attempt %s: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

// removeAttempt deletes whatever of an attempt exists, in either layout
// (layout.go); a flat attempt's sandbox and outputs go to the pool
// instead where its end proved that nothing of it can reach them
// (pool.go, settle.go).
func (b *Backend) removeAttempt(id string, groups *liveGroups) error {
	flat := b.flatPaths(id)
	outputs, sandbox := b.settled.take(id, groups)
	errs := []error{removeTree(b.AttemptDir(id))}
	if sandbox {
		errs = append(errs, b.pool.put(poolDirs, flat.sandboxDir()))
	} else {
		errs = append(errs, removeTree(flat.sandboxDir()))
	}
	for _, name := range []string{flat.stdout, flat.stderr, flat.script} {
		path := filepath.Join(flat.outRoot, name)
		if outputs {
			errs = append(errs, b.pool.put(poolFiles, path))
		} else {
			errs = append(errs, removePath(poolFiles, path))
		}
	}
	return errors.Join(errs...)
}

// removeTree removes dir and everything in it. A program may have left
// directories without write permission, which a server not running as root
// cannot empty: those are made writable (directories only, found without
// following links) and the removal tried again.
func removeTree(dir string) error {
	err := os.RemoveAll(dir)
	if err == nil || !errors.Is(err, fs.ErrPermission) {
		return err
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o700)
		}
		return nil
	})
	return os.RemoveAll(dir)
}
