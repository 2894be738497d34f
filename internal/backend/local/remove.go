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
		if err := b.removeAttempt(id); err != nil {
			errs = append(errs, fmt.Errorf("attempt %s: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

// removeAttempt deletes whatever of an attempt exists, in either layout
// (layout.go).
func (b *Backend) removeAttempt(id string) error {
	flat := b.flatPaths(id)
	errs := []error{removeTree(b.AttemptDir(id)), removeTree(flat.sandboxDir())}
	for _, name := range []string{flat.stdout, flat.stderr, flat.script} {
		if err := os.Remove(filepath.Join(flat.outRoot, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
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
