package mesos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wallyqs/borges/internal/cutsizes"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/session"
)

// maxKept bounds each stream kept of an ended task, as the engine bounds
// a result (16 MiB).
const maxKept = 16 << 20

// keptDir is where an attempt's output is kept ("" when not kept: no
// OutputDir, or an id that is not one path element).
func (b *Backend) keptDir(id string) string {
	if b.cfg.OutputDir == "" || id == "" || id == "." || id == ".." || filepath.Base(id) != id {
		return ""
	}
	return filepath.Join(b.cfg.OutputDir, id)
}

// keepOutput copies what the results of an ended attempt need from its
// sandbox into OutputDir: stdout, stderr, the value file, the environment
// the document's Emacs left and a :file the block's result is written
// into. The copy appears whole or not at all (written aside, then
// renamed), so a kept directory is complete.
//
// A stream is kept up to maxKept; the size each had in the sandbox is
// kept beside the copies (cutsizes), so that a stream cut reports the
// size it had, as the local backend does, and the engine says the result
// is truncated rather than showing the part kept as the whole.
func (b *Backend) keepOutput(ctx context.Context, a *engine.Attempt) error {
	dest := b.keptDir(a.ID)
	if dest == "" {
		return nil
	}
	if _, err := os.Stat(dest); err == nil {
		return nil // kept already (a re-sent update)
	}
	streams := []string{"stdout", "stderr"}
	if a.Task != nil && a.Task.ValueFile {
		streams = append(streams, "value")
	}
	if a.Task != nil && a.Task.Session != nil && a.Task.Session.Kind == string(session.Emacs) {
		// The report of its buffer the document's Emacs made (written
		// back), and the environment it left, which the blocks after it
		// get (session.EnvironmentFile).
		streams = append(streams, session.BufferFile, session.EnvironmentFile)
	}
	if a.Task != nil && a.Task.FileWritten && engine.SandboxPath(a.Task.File) {
		streams = append(streams, a.Task.File)
	}
	if err := os.MkdirAll(b.cfg.OutputDir, 0o700); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(b.cfg.OutputDir, ".keeping-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cut := cutsizes.Sizes{}
	for _, stream := range streams {
		data, size, err := b.readAgentAll(ctx, a.ID, stream)
		if err != nil {
			return fmt.Errorf("reading %s: %w", stream, err)
		}
		path := filepath.Join(tmp, keptFiles, stream)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return err
		}
		if size > int64(len(data)) {
			cut[stream] = size
		}
	}
	if err := os.MkdirAll(filepath.Join(tmp, keptFiles), 0o700); err != nil {
		return err
	}
	if err := cutsizes.Write(tmp, cut); err != nil {
		return err
	}
	return os.Rename(tmp, dest)
}

// A kept directory holds the copies under keptFiles and the record of
// the sizes each stream cut had in the sandbox (cutsizes.File). One kept
// before the sizes were has the copies at its top and no record: an
// attempt keeps one sandbox file (its :file) beside the streams, so no
// such directory has both a record and a keptFiles directory.
const keptFiles = "sandbox"

// readAgentAll reads a stream of a task's sandbox, up to maxKept, and
// the size the agent reports it has (larger than what was read when the
// stream is over the bound).
func (b *Backend) readAgentAll(ctx context.Context, id, stream string) ([]byte, int64, error) {
	var out []byte
	var off, total int64
	for len(out) < maxKept {
		data, size, err := b.readAgent(ctx, id, stream, off, min(1<<20, maxKept-len(out)))
		if err != nil {
			return nil, 0, err
		}
		total = size
		out = append(out, data...)
		off += int64(len(data))
		if len(data) == 0 || off >= size {
			break
		}
	}
	return out, total, nil
}

// keptLayout returns where the copies of a kept directory are and the
// sizes its streams cut had (nil for a directory kept without them).
func keptLayout(dir string) (files string, sizes cutsizes.Sizes, err error) {
	if _, err := os.Lstat(filepath.Join(dir, cutsizes.File)); errors.Is(err, fs.ErrNotExist) {
		return dir, nil, nil
	} else if err != nil {
		return "", nil, err
	}
	if st, err := os.Stat(filepath.Join(dir, keptFiles)); err != nil || !st.IsDir() {
		return dir, nil, nil // a :file named as the record, kept before sizes were
	}
	if sizes, _, err = cutsizes.Read(dir); err != nil {
		return "", nil, fmt.Errorf("kept output of %s: %w", filepath.Base(dir), err)
	}
	return filepath.Join(dir, keptFiles), sizes, nil
}

// readKept reads a stream from an attempt's kept output; ok is false when
// the attempt's output is not kept, or (for a sandbox file other than the
// streams) the file is not among what was kept.
func (b *Backend) readKept(id, stream string, offset int64, max int) (data []byte, size int64, ok bool, err error) {
	dir := b.keptDir(id)
	if dir == "" {
		return nil, 0, false, nil
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, 0, false, nil
	}
	files, sizes, err := keptLayout(dir)
	if err != nil {
		return nil, 0, false, err
	}
	f, err := os.Open(filepath.Join(files, stream))
	if errors.Is(err, fs.ErrNotExist) {
		switch stream {
		case "stdout", "stderr", "value", session.BufferFile:
			return nil, 0, true, nil // kept, and empty
		}
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, false, err
	}
	// What was kept of a stream cut reads as the start of the whole: its
	// size is the one it had in the sandbox.
	kept := st.Size()
	size = sizes.Of(stream, kept)
	if offset >= kept || max <= 0 {
		return nil, size, true, nil
	}
	buf := make([]byte, min(int64(max), kept-offset))
	n, err := f.ReadAt(buf, offset)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, 0, false, err
	}
	return buf[:n], size, true, nil
}
