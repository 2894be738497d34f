package plan

import (
	"path"
	"slices"
	"strings"
)

// FileRead is a file Babel writes for an earlier block (:results file
// with a :file: Task.FileWritten) that a block reads: the engine places
// it in the reader's sandbox before the reader runs, as Emacs, running
// every block in the document's directory, left it there.
type FileRead struct {
	// Block is the writer's task, whose result (FileText) is the file.
	Block string `json:"block"`
	// Path is the file's path in the sandbox (the writer's File,
	// relative to the document's directory).
	Path string `json:"path"`
	// Mode is the file's permissions: the writer's :file-mode
	// (set-file-modes) where it has one, else 0644, as Emacs writes a
	// file under the usual umask (022).
	Mode uint32 `json:"mode"`
}

// DefaultFileMode is the mode of a file Babel writes with no :file-mode.
const DefaultFileMode = 0o644

// markFileReads gives each task whose text names the :file an earlier
// block of the document writes (as Emacs resolves it relative to the
// task's own :dir), or that refers to such a writer by :var, the latest
// writer of that path before it in the document (FileRead), and an
// ordering wait for it (After, Task.orderOnly): Emacs runs the blocks one
// after the other, Borges at once what waits for nothing. Of the
// document as submitted, after the stops are marked (the waits are
// Borges's order alone). Bounded: tasks × writers.
func (b *builder) markFileReads() {
	type writer struct {
		t *Task
		// at, ref, seq order the writers as Emacs runs them: at the
		// turn of the block at at, a reference's run (ref) before
		// the block itself, runs in the order they were planned.
		at, ref, seq int
		// file is w's :file as Emacs writes it: expand-file-name
		// drops "x/.." by the text (an :output-dir and a :file
		// "../up.txt" write up.txt beside the document).
		file string
		// block is the block w runs.
		block string
	}
	before := func(a, c writer) bool {
		if a.at != c.at {
			return a.at < c.at
		}
		if a.ref != c.ref {
			return a.ref > c.ref
		}
		return a.seq < c.seq
	}
	var writers []writer
	for i, w := range b.plan.Tasks {
		file := path.Clean(w.File)
		if !w.FileWritten || w.Replaced != "" || w.lispVar != nil || w.Post || w.ReadsOutput || !SandboxFile(file) {
			continue
		}
		switch {
		case w.called == nil && w.Index >= 0:
			writers = append(writers, writer{w, b.position(w), 0, i, file, w.Block})
		case w.plainRefRun():
			// A reference's run (ob-ref keeps "file" in its
			// :results) writes the file again, at the turn of
			// the block whose reference makes it.
			if at, ok := b.refTurn(w); ok {
				writers = append(writers, writer{w, at, 1, i, file, w.called.name})
			}
		}
	}
	if len(writers) == 0 {
		return
	}
	// The runs writing one path wait for each other in the order Emacs
	// runs them: the engine serves the file of the one that ended last.
	sorted := slices.Clone(writers)
	slices.SortStableFunc(sorted, func(a, c writer) int {
		if before(a, c) {
			return -1
		}
		if before(c, a) {
			return 1
		}
		return 0
	})
	last := map[string]*Task{}
	for _, w := range sorted {
		if p := last[w.file]; p != nil && !slices.Contains(w.t.After, p.Block) && !b.waitsFor(p, w.t.Block) {
			w.t.After = append(w.t.After, p.Block)
			w.t.orderOnly = append(w.t.orderOnly, p.Block)
			w.t.fileOnly = append(w.t.fileOnly, p.Block)
		}
		last[w.file] = w.t
	}
	for i, t := range b.plan.Tasks {
		if !b.readsFiles(t) {
			continue
		}
		self := writer{t: t, at: b.position(t), seq: i}
		texts := b.textOf(t)
		// The latest writer before t of each path t names or whose
		// writer t refers to.
		latest := map[string]writer{}
		var paths []string
		for _, w := range writers {
			if w.t == t || !before(w, self) {
				continue
			}
			if !t.refersOrRuns(w.block) && !namesFile(texts, t.Dir, w.file) {
				continue
			}
			prev, ok := latest[w.file]
			if !ok {
				paths = append(paths, w.file)
			}
			if !ok || before(prev, w) {
				latest[w.file] = w
			}
		}
		for _, p := range paths {
			w := latest[p].t
			if b.waitsFor(w, t.Block) {
				continue // w waits for t: the file cannot be there
			}
			mode := uint32(DefaultFileMode)
			if w.FileModeSet {
				mode = w.FileMode & 0o7777
			}
			t.ReadsFiles = append(t.ReadsFiles, FileRead{Block: w.Block, Path: p, Mode: mode})
			if !slices.Contains(t.After, w.Block) {
				t.After = append(t.After, w.Block)
				t.orderOnly = append(t.orderOnly, w.Block)
				t.fileOnly = append(t.fileOnly, w.Block)
			}
		}
	}
}

// refTurn is where the block stands at whose turn Emacs makes t, a run
// a reference makes (callOf, followed through the runs that make runs).
func (b *builder) refTurn(t *Task) (int, bool) {
	for i := 0; t != nil && i <= len(b.plan.Tasks); i++ {
		if t.Index >= 0 && t.called == nil {
			return b.position(t), true
		}
		if t.callOf == "" {
			return 0, false
		}
		t = b.byName[t.callOf]
	}
	return 0, false
}

// readsFiles reports whether the engine places the files t names in its
// sandbox: a block's own run (a :post, a call with arguments, a reading of
// output and a Lisp :var value name no file) that Borges runs in a sandbox
// of its own (not a session's interpreter, not the document's Emacs),
// whose working directory is that sandbox or a relative :dir in it.
func (b *builder) readsFiles(t *Task) bool {
	if t.Replaced != "" || t.called != nil || t.lispVar != nil || t.Post || t.ReadsOutput || t.Session != nil || inDocumentEmacs(t) {
		return false
	}
	return t.Dir == "" || path.Clean(t.Dir) == "." || SandboxFile(path.Clean(t.Dir))
}

// waitsFor reports whether task w waits, through After, for the task
// named name. Bounded: each task is visited once.
func (b *builder) waitsFor(w *Task, name string) bool {
	seen := map[string]bool{}
	stack := []*Task{w}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, a := range x.After {
			if a == name {
				return true
			}
			if !seen[a] && b.byName[a] != nil {
				seen[a] = true
				stack = append(stack, b.byName[a])
			}
		}
	}
	return false
}

// textOf is what of task t's block may name a file: its body and the
// bodies its noweb references take in, its raw :var assignments (a
// literal value, a quoted path), and its :cmdline, :stdin, :prologue and
// :epilogue.
func (b *builder) textOf(t *Task) []string {
	blk := b.blocks[t]
	if blk == nil {
		return nil
	}
	return blockTexts(b.doc, blk)
}

// namesFile reports whether texts (textOf a task of :dir dir) name file,
// a path relative to the document's directory, as the block reads it
// from its working directory: "out.txt" from the document's directory is
// "out.txt" there and "../out.txt" under :dir sub. A name counts where
// no character of a file name stands right before or after it.
func namesFile(texts []string, dir, file string) bool {
	name := file
	if d := path.Clean(dir); dir != "" && d != "." {
		name = relativeTo(d, file)
	}
	for _, s := range texts {
		if containsName(s, name) {
			return true
		}
	}
	return false
}

// relativeTo is file (relative to the document's directory) as a path
// relative to dir (also): "sub/a" from "sub" is "a", from "x" "../sub/a".
func relativeTo(dir, file string) string {
	d, f := strings.Split(dir, "/"), strings.Split(file, "/")
	i := 0
	for i < len(d) && i < len(f)-1 && d[i] == f[i] {
		i++
	}
	var parts []string
	for range d[i:] {
		parts = append(parts, "..")
	}
	return strings.Join(append(parts, f[i:]...), "/")
}

// containsName reports whether s holds name with no file name character
// right before or after it.
func containsName(s, name string) bool {
	return containsBounded(s, name, fileNameByte)
}

// containsBounded reports whether w stands in s with no byte that inside
// says may continue it touching it on either side.
func containsBounded(s, w string, inside func(byte) bool) bool {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(w)
		if (i == 0 || !inside(s[i-1])) && (end == len(s) || !inside(s[end])) {
			return true
		}
		off = i + 1
	}
	return false
}

// fileNameByte reports whether c may stand in a file name next to
// another name's characters (a letter, a digit, "_", "-", "."; not "/",
// which a longer path names the file through).
func fileNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c >= 0x80
}

// SandboxFile reports whether p is a clean relative path that stays
// beneath the document's directory ("a/b", not "/a", "../a", "~/a").
func SandboxFile(p string) bool {
	if p == "" || p == "." || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") || strings.ContainsRune(p, 0) {
		return false
	}
	return path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../")
}

// WaitsOnlyForFile reports whether t waits for the task named name only
// for the :file Babel wrote for it (ReadsFiles): until it has ended,
// however it ended, as Emacs, for which a block's non-zero exit is no
// error, runs t after it (with no file, where the writer did not
// finish).
func (t *Task) WaitsOnlyForFile(name string) bool { return slices.Contains(t.fileOnly, name) }

// refersOrRuns reports whether t refers to block name (refersTo), or a
// run its references make runs it (runsRef): either runs the block, and
// writes its :file, at t's turn.
func (t *Task) refersOrRuns(name string) bool { return t.refersTo(name) || t.runsRef(name) }
