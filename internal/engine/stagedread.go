package engine

import (
	"context"
	"fmt"
	"slices"

	"github.com/wallyqs/borges/internal/plan"
)

// A block that reads the :file an earlier block's results wrote
// (plan.Task.ReadsFiles) is given that file, the writer's output as Babel
// writes it (stagedFiles). The output is read once per writer's attempt,
// off the engine's lock, bounded in time (stagedReadTimeout), as the
// attempt-end read is (endread.go): a slow agent holds no view or launch
// of other blocks. Meanwhile the reader, ready otherwise, waits
// (stagedReadHolds); it is decided again once the read ends.

// stagedRead is the read of the file Babel wrote for a writer's attempt.
type stagedRead struct {
	attempt string
	done    bool
	// text is the file (plan.FileText of what was read), size the bytes
	// of the output it was read from (more than read when over
	// MaxStagedFiles); err why it could not be read.
	text string
	size int64
	raw  int
	err  error
	// stale: a failed read that readers were launched with (and failed
	// by); a reader decided later reads the file again.
	stale bool
	// held are the readers waiting for the read.
	held map[*blockState]bool
}

// stagedWriter is the writer of f, a file b reads, and its finished
// attempt, whose file b is given; nil when there is none (not finished:
// it wrote no file). The caller holds e.mu.
func stagedWriter(b *blockState, f plan.FileRead) (*blockState, string) {
	w := b.doc.byName[f.Block]
	if w == nil || w.task == nil || len(w.instances) == 0 || b.doc.blockState(f.Block) != Finished || !SandboxPath(f.Path) {
		return nil, ""
	}
	attempt := w.instances[0].rec.AttemptID
	if attempt == "" {
		return nil, ""
	}
	return w, attempt
}

// stagedReadHolds is the writer whose file b, ready otherwise, waits to
// be read, nil for none: the read is begun when it has not been
// (readStaged), and b is decided again once it ends. The caller holds
// e.mu.
func (e *Engine) stagedReadHolds(b *blockState) *blockState {
	for _, f := range b.task.ReadsFiles {
		w, attempt := stagedWriter(b, f)
		if w == nil {
			continue
		}
		r := w.fileRead
		if r == nil || r.attempt != attempt || r.stale {
			if e.runCtx.Err() != nil || e.readsClosed {
				return w // the engine stops: read on its next start
			}
			r = &stagedRead{attempt: attempt}
			w.fileRead = r
			e.readStaged(w, r)
		}
		if !r.done {
			if r.held == nil {
				r.held = map[*blockState]bool{}
			}
			r.held[b] = true
			return w
		}
	}
	return nil
}

// stagedReadWaits is the writer whose file's read b waits for, as a view
// says it; nil for none. Unlike stagedReadHolds it begins no read. The
// caller holds e.mu.
func stagedReadWaits(b *blockState) *blockState {
	for _, f := range b.task.ReadsFiles {
		if w, attempt := stagedWriter(b, f); w != nil && (w.fileRead == nil || w.fileRead.attempt != attempt || !w.fileRead.done) {
			return w
		}
	}
	return nil
}

// stagedReadWhy is what a block waiting for the read of w's file says
// it waits for.
func stagedReadWhy(w *blockState) string {
	return w.name + " (the file Babel wrote for it, which this block reads, being read)"
}

// stagedReadKey marks the context of a read of a writer's file
// (readStaged), which a backend may tell from the read of the same output
// made as the writer ended (readAtEnd): isStagedRead.
type stagedReadKey struct{}

// isStagedRead reports whether ctx is that of a read of a writer's file
// (readStaged).
func isStagedRead(ctx context.Context) bool {
	v, _ := ctx.Value(stagedReadKey{}).(bool)
	return v
}

// readStaged reads r, the file Babel wrote for w's attempt, off the lock
// (at most MaxStagedFiles bytes and one more, to tell a file over it),
// and keeps it on r; the readers it holds are decided again. Under the
// document's reads context (docReads): removing the document ends the
// read at once and waits for it (readsEnded), and a read ended so, or by
// the engine stopping, keeps nothing (read again if wanted). Counted in
// e.reading, as closeWrites waits for it. The caller holds e.mu.
func (e *Engine) readStaged(w *blockState, r *stagedRead) {
	stream := resultStream(w.task)
	ctx, readDone := e.docReads(w.doc)
	e.reading.start()
	go func() {
		defer e.reading.done()
		defer readDone()
		rctx, cancel := context.WithTimeout(context.WithValue(ctx, stagedReadKey{}, true), stagedReadTimeout)
		raw, size, err := e.readCappedCtx(rctx, r.attempt, stream, MaxStagedFiles+1)
		cancel()
		e.mu.Lock()
		defer e.mu.Unlock()
		if ctx.Err() != nil {
			if w.fileRead == r {
				w.fileRead = nil // read again if a reader still wants it
			}
			return
		}
		r.done, r.size, r.raw, r.err = true, size, len(raw), err
		if err == nil && !r.over() {
			r.text = plan.FileText(w.task, raw)
		}
		e.touchHeld(w.doc, r.held)
		r.held = nil
		e.dropStagedText(w, nil) // its readers were killed meanwhile
		e.docChanged(w.doc)
		e.poke()
	}()
}

// over reports whether the file read is over MaxStagedFiles: no reader
// can be given it, and its text is not kept.
func (r *stagedRead) over() bool {
	return r.size > int64(r.raw)
}

// stagedFiles are the files in's block b reads that Babel wrote for
// earlier blocks (plan.Task.ReadsFiles): each writer's result, as
// ReadFile serves it (plan.FileText), read off the lock before b was
// ready (stagedReadHolds), for the writers that finished (a writer that
// did not wrote no file). A read that failed, or files over
// MaxStagedFiles in all, are an error: the attempt could not start. A
// failed read is kept as failed (stale) for every reader launched in
// the same pass, and made again for a reader decided later
// (stagedReadHolds). Once no other reader of a writer's file waits to
// launch, its text is dropped (stagedTextUnwanted). An attempt recovered
// (not queued), whose files were placed as it launched, is given none
// not read. The caller holds e.mu.
func (e *Engine) stagedFiles(in *instState) ([]StagedFile, error) {
	b := in.block
	var out []StagedFile
	total := 0
	for _, f := range b.task.ReadsFiles {
		w, attempt := stagedWriter(b, f)
		if w == nil {
			continue
		}
		r := w.fileRead
		if r == nil || r.attempt != attempt || !r.done {
			if State(in.rec.State) != Queued {
				continue
			}
			// Not reached: a queued reader is launched only once
			// stagedReadHolds found every file it reads read.
			return nil, fmt.Errorf("the file Babel wrote for %s (:file %s), which it reads, was not read before it launched (an error of Borges's; run it again)", f.Block, f.Path)
		}
		if r.err != nil {
			r.stale = true // read again for a reader decided later
			return nil, fmt.Errorf("could not read the file Babel wrote for %s (:file %s), which it reads: %v", f.Block, f.Path, r.err)
		}
		if r.over() || total+len(r.text) > MaxStagedFiles {
			e.dropStagedText(w, in)
			return nil, fmt.Errorf("the files it reads that Babel wrote for earlier blocks (%s, :file %s, and those before it) are over %d bytes, the most Borges places in a sandbox", f.Block, f.Path, MaxStagedFiles)
		}
		total += len(r.text)
		out = append(out, StagedFile{Path: f.Path, Data: []byte(r.text), Mode: f.Mode})
	}
	for _, f := range b.task.ReadsFiles {
		if w, _ := stagedWriter(b, f); w != nil {
			e.dropStagedText(w, in)
		}
	}
	return out, nil
}

// dropStagedText drops the read of w's file once no reader of it but
// launching (being launched now) is still queued: a reader run again
// later reads it again (stagedReadHolds). The read of a failed read is
// kept, for the readers launched with it (stale). The caller holds e.mu.
func (e *Engine) dropStagedText(w *blockState, launching *instState) {
	r := w.fileRead
	if r == nil || !r.done || r.err != nil {
		return
	}
	for _, b := range w.doc.blocks {
		if b.task == nil || !slices.ContainsFunc(b.task.ReadsFiles, func(f plan.FileRead) bool { return f.Block == w.name }) {
			continue
		}
		for _, in := range b.instances {
			if in != launching && State(in.rec.State) == Queued {
				return
			}
		}
	}
	w.fileRead = nil
}
