package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
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
	pr := proving{scan: newHoldScan()}
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
		b.dropPreparedCgroup(id)
		if err := b.removeAttempt(id, &pr); err != nil {
			errs = append(errs, fmt.Errorf("attempt %s: %w", id, err))
		}
	}
	return errors.Join(append(errs, pr.settle(ctx, b.pool, b.keeper))...)
}

// proving gathers the files of a removal's attempts that wait for their
// proof, one pass over the processes for all of them (holds.go).
type proving struct {
	scan    *holdScan
	entries [][]staged // by the scan's attempt index
}

// settle runs the pass, then recycles the files of the attempts nothing
// holds and deletes the others'. Besides the processes, the keepers of
// the outputs of servers gone hold what they took over and have not
// copied all of (keeper.go): a keeper opens an output only at its first
// byte, so that no descriptor of it says so yet. Asked after the files
// left their names, as the processes are.
func (pr *proving) settle(ctx context.Context, pool *recycler, k *keeper) error {
	if len(pr.entries) == 0 {
		return nil
	}
	held := pr.scan.run(ctx)
	kept, all := keptHolds(k.log, k.self)
	for id, i := range pr.scan.markers {
		if all || kept[id] {
			held[i] = true
		}
	}
	var errs []error
	for i, es := range pr.entries {
		for _, e := range es {
			if held[i] {
				errs = append(errs, pool.drop(e))
			} else {
				errs = append(errs, pool.settle(e))
			}
		}
	}
	return errors.Join(errs...)
}

// removeAttempt deletes whatever of an attempt exists, in either layout
// (layout.go); a flat attempt's sandbox and outputs go to the pool
// instead where its end proved that nothing of it can reach them
// (pool.go, settle.go), or wait, out of their names, for the removal's
// pass over the processes to prove it (holds.go).
func (b *Backend) removeAttempt(id string, pr *proving) error {
	defer b.roots.forgetLayout(id)
	flat := b.flatPaths(id)
	proved, started := b.settled.take(id)
	// An attempt of the Borges before the wrapper logs may have its
	// wrapper named in a file (wrapperfile.go); a line in a wrapper log
	// goes with the log, at a start that needs none of its lines.
	_, wrapper := b.wrapperFile(id)
	// Beneath the directories held open (heldRoots): one replaced by
	// a link since the start is not followed.
	errs := []error{removeTreeAt(in(b.roots.dir("attempts"), id)), removeAt(poolFiles, in(flat.outDir, wrapper+".new"))}
	var wait []staged
	recycle := func(kind byte, src at, proved bool) {
		if proved {
			errs = append(errs, b.pool.putAt(kind, src))
			return
		}
		e, ok, err := b.pool.stageInAt(kind, src)
		if ok {
			wait = append(wait, e)
		}
		errs = append(errs, err)
	}
	recycle(poolDirs, in(flat.boxDir, flat.sandbox), proved)
	for _, name := range []string{flat.stdout, flat.stderr, flat.script, wrapper} {
		recycle(poolFiles, in(flat.outDir, name), proved)
	}
	if len(wait) > 0 {
		i := pr.scan.attempt(id, started)
		for _, e := range wait {
			pr.scan.file(i, e.path)
		}
		pr.entries = append(pr.entries, wait)
	}
	return errors.Join(errs...)
}

// removeTree removes dir and everything in it (removeTreeAt).
func removeTree(dir string) error {
	return removeTreeAt(at{nil, dir})
}

// removeTreeAt removes src and everything in it, beneath its directory
// (at; for a path, its parent's) and no link followed (os.Root: for a
// held directory, opened on it through its /proc/self/fd entry, which
// names that very directory, the held one kept open only for that open).
// A program may have left directories without write permission, which a
// server not running as root cannot empty: those are made writable
// (directories only, found without following links) and the removal
// tried again.
func removeTreeAt(src at) error {
	name := src.name
	open := func(dir int) (*os.Root, error) { return os.OpenRoot("/proc/self/fd/" + strconv.Itoa(dir)) }
	if src.dir == nil {
		name = filepath.Base(src.name)
		open = func(int) (*os.Root, error) { return os.OpenRoot(filepath.Dir(src.name)) }
	}
	var root *os.Root
	if err := src.do(func(dir int) (err error) {
		root, err = open(dir)
		return err
	}); err != nil {
		if src.dir == nil && errors.Is(err, fs.ErrNotExist) {
			return nil // as os.RemoveAll: nothing there
		}
		return err
	}
	defer root.Close()
	err := root.RemoveAll(name)
	if err == nil || !errors.Is(err, fs.ErrPermission) {
		return err
	}
	fs.WalkDir(root.FS(), name, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			root.Chmod(p, 0o700)
		}
		return nil
	})
	return root.RemoveAll(name)
}
