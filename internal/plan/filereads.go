package plan

import (
	"cmp"
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
	order := func(a, c writer) int {
		return cmp.Or(cmp.Compare(a.at, c.at), cmp.Compare(c.ref, a.ref), cmp.Compare(a.seq, c.seq))
	}
	before := func(a, c writer) bool { return order(a, c) < 0 }
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
	slices.SortStableFunc(sorted, order)
	waits := b.newWaitOrder()
	last := map[string]*Task{}
	for _, w := range sorted {
		if p := last[w.file]; p != nil && !slices.Contains(w.t.After, p.Block) && !waits.waitsFor(p, w.t) {
			w.t.After = append(w.t.After, p.Block)
			w.t.orderOnly = append(w.t.orderOnly, p.Block)
			w.t.fileOnly = append(w.t.fileOnly, p.Block)
			waits.added(w.t, p)
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
			if waits.waitsFor(w, t) {
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
				waits.added(t, w)
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

// waitOrder answers whether a task waits, through After, for another
// while markFileReads adds waits: a walk of the task graph for each writer
// and reader was quadratic in the tasks (a chain of 141 blocks writing
// files, each referring to the one before, plans 10,011 tasks). It keeps
// the tasks in an order where each stands after those it waits for, kept
// as waits are added (Pearce and Kelly's dynamic topological order):
// a task cannot wait for one that stands after it, and a walk from a task
// to one before it looks only at the tasks standing between the two. Where
// the tasks' waits have a cycle (no such order), or a task is not the one
// of its name, it walks the graph whole each time (walk).
type waitOrder struct {
	b *builder
	// walk: answer by walking the graph, with no order.
	walk bool
	// id is each task's index in tasks, by name (byName).
	id    map[string]int
	tasks []*Task
	// after holds the tasks each waits for, waiters those waiting for
	// it, by index; ord each one's place in the order.
	after, waiters [][]int
	ord            []int
	// seen marks the tasks a walk has looked at (== gen).
	seen  []int
	gen   int
	stack []int
}

// newWaitOrder orders the tasks of the plan and those they wait for.
// Bounded: tasks plus waits.
func (b *builder) newWaitOrder() *waitOrder {
	o := &waitOrder{b: b, id: map[string]int{}}
	add := func(t *Task) int {
		if i, ok := o.id[t.Block]; ok {
			return i
		}
		o.id[t.Block] = len(o.tasks)
		o.tasks = append(o.tasks, t)
		return len(o.tasks) - 1
	}
	for _, t := range b.plan.Tasks {
		if b.byName[t.Block] != t {
			o.walk = true
			return o
		}
		add(t)
	}
	for i := 0; i < len(o.tasks); i++ {
		var deps []int
		for _, a := range o.tasks[i].After {
			if d := b.byName[a]; d != nil {
				deps = append(deps, add(d))
			}
		}
		o.after = append(o.after, deps)
	}
	n := len(o.tasks)
	o.waiters = make([][]int, n)
	for i, deps := range o.after {
		for _, d := range deps {
			o.waiters[d] = append(o.waiters[d], i)
		}
	}
	// Depth first, each task placed once all it waits for are: state
	// 1 on the path, 2 placed.
	o.ord = make([]int, n)
	state := make([]byte, n)
	type frame struct{ i, next int }
	next := 0
	for r := range n {
		if state[r] != 0 {
			continue
		}
		path := []frame{{r, 0}}
		state[r] = 1
		for len(path) > 0 {
			f := &path[len(path)-1]
			if f.next < len(o.after[f.i]) {
				d := o.after[f.i][f.next]
				f.next++
				switch state[d] {
				case 1:
					o.walk = true // a cycle
					return o
				case 0:
					state[d] = 1
					path = append(path, frame{d, 0})
				}
				continue
			}
			b.fileReadsVisited++
			state[f.i] = 2
			o.ord[f.i] = next
			next++
			path = path[:len(path)-1]
		}
	}
	o.seen = make([]int, n)
	return o
}

// waitsFor reports whether task w waits, through After, for task t.
func (o *waitOrder) waitsFor(w, t *Task) bool {
	if o.walk {
		return o.b.waitsFor(w, t.Block)
	}
	from, to := o.id[w.Block], o.id[t.Block]
	if o.ord[to] >= o.ord[from] {
		return false // t stands after w, or is w: the order has no cycle
	}
	return o.reach(from, o.after, to, func(i int) bool { return o.ord[i] > o.ord[to] }, nil) == nil
}

// reach walks from task from through next (after or waiters), going on
// from the tasks keep lets it, and gives those it looked at, from first;
// nil if it came to task stop (not looking at the rest).
func (o *waitOrder) reach(from int, next [][]int, stop int, keep func(int) bool, got []int) []int {
	o.gen++
	o.seen[from] = o.gen
	o.stack = append(o.stack[:0], from)
	for len(o.stack) > 0 {
		x := o.stack[len(o.stack)-1]
		o.stack = o.stack[:len(o.stack)-1]
		o.b.fileReadsVisited++
		got = append(got, x)
		for _, y := range next[x] {
			if y == stop {
				return nil
			}
			if o.seen[y] != o.gen && keep(y) {
				o.seen[y] = o.gen
				o.stack = append(o.stack, y)
			}
		}
	}
	return got
}

// added records that task t now waits for task w (appended to t.After;
// w does not wait for t): where w stood after t, the tasks w waits for
// that stand after t, w itself, are placed before t and the tasks that
// wait for it that stand before w, in the places these held.
func (o *waitOrder) added(t, w *Task) {
	if o.walk {
		return
	}
	ti, wi := o.id[t.Block], o.id[w.Block]
	o.after[ti] = append(o.after[ti], wi)
	o.waiters[wi] = append(o.waiters[wi], ti)
	lo, hi := o.ord[ti], o.ord[wi]
	if hi < lo {
		return
	}
	back := o.reach(wi, o.after, -1, func(i int) bool { return o.ord[i] > lo }, nil)
	fwd := o.reach(ti, o.waiters, -1, func(i int) bool { return o.ord[i] < hi }, nil)
	byOrd := func(a, c int) int { return o.ord[a] - o.ord[c] }
	slices.SortFunc(back, byOrd)
	slices.SortFunc(fwd, byOrd)
	moved := append(back, fwd...)
	places := make([]int, len(moved))
	for k, i := range moved {
		places[k] = o.ord[i]
	}
	slices.Sort(places)
	for k, i := range moved {
		o.ord[i] = places[k]
	}
}

// waitsFor reports whether task w waits, through After, for the task
// named name. Bounded: each task is visited once.
func (b *builder) waitsFor(w *Task, name string) bool {
	seen := map[string]bool{}
	stack := []*Task{w}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		b.fileReadsVisited++
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
