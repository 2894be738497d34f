package plan

import (
	"slices"

	"github.com/wallyqs/borges/internal/org"
)

// FoundAfterEmacs reports whether the blocks found in results that rep
// marks (past doc's executables) run beside the document's Emacs written
// (the Emacs that reports its Org buffer), as in a document without
// Emacs Lisp: where every task of that Emacs whose block stands before
// the first block found (a call's task, :var v=f(n=5), at the blocks
// calling it: taskPlaces) has ended, and so has every task whose block
// stands before the last of them (the blocks whose results
// org-babel-execute-buffer searches before it gets there), and none of
// that Emacs's tasks standing after it has run yet (ran). Those wait for
// the blocks whose results they put in its buffer (Task.BufferResults),
// the writers of the blocks found before them among them, and then for
// the blocks found (the engine's addBlock, which has them put their
// results in), and that Emacs marks the blocks found before it puts
// their results in (bufferForms), as org-babel-execute-buffer runs them
// before it gets there. Where a block found stops the document
// (Edits.Stop), the blocks found before it run so all the same, and the
// tasks of that Emacs after it are held by the stop (Edits.StoppedBefore),
// as org-babel-execute-buffer runs those blocks and stops there (checked
// with Emacs: found_runs_then_*.org). ended tells whether a task has
// ended (finished or not); ran whether it has begun, which a server
// started again, where they waited so, tells as never.
func FoundAfterEmacs(doc *org.Document, p *Plan, rep *org.BufferReport, written string, ended, ran func(*Task) bool) bool {
	exes := doc.Executables()
	if len(rep.Marks) <= len(exes) {
		return false
	}
	place := emacsPlaces(doc, p, rep)
	// The places of the first block found and of the last task of the
	// Emacs before them.
	first, last := firstPoint(rep.Marks[len(exes):]), -1
	for _, t := range p.Tasks {
		if !t.InSession(written) {
			continue
		}
		at, ok := place(t)
		switch {
		case !ok:
			return false // not known to stand before them or after
		case at < first && !ended(t), at >= first && ran(t):
			return false // before them, not run yet; after them, run
		case at < first:
			last = max(last, at)
		}
	}
	for _, t := range p.Tasks {
		// A block before the last task may still write a block
		// found before it.
		if at, ok := place(t); (!ok || at < last) && !ended(t) {
			return false
		}
	}
	return true
}

// FoundUnplaced reports whether rep (the results written searched as
// ReportResults searches them) marks blocks found in results past doc's
// executables and a task of the Emacs written (the document's) has no
// place among them (taskPlaces: a run no task of known place names, or
// the reading of the output of a block with no mark, say):
// FoundAfterEmacs then keeps them unrun whatever has run, where
// org-babel-execute-buffer runs them (the engine refuses the results
// document: org.ErrFoundNotPlaced).
func FoundUnplaced(doc *org.Document, p *Plan, rep *org.BufferReport, written string) bool {
	if len(rep.Marks) <= len(doc.Executables()) {
		return false
	}
	place := emacsPlaces(doc, p, rep)
	for _, t := range p.Tasks {
		if _, ok := place(t); t.InSession(written) && !ok {
			return true
		}
	}
	return false
}

// emacsPlaces is taskPlaces with a block's task at its mark in rep.
func emacsPlaces(doc *org.Document, p *Plan, rep *org.BufferReport) func(*Task) (int, bool) {
	mark := markOf(doc.Executables()) // by block index, its mark
	return taskPlaces(p, func(t *Task) (int, bool) {
		i, ok := mark[t.Index]
		if !ok {
			return 0, false
		}
		return rep.Marks[i].Point, true
	})
}

// taskPlaces returns where each task of p runs in the buffer: own gives
// the place of a task of a block of the document (its mark); a task
// without one, a call's (:var v=f(n=5)), runs at the turns of the tasks
// that name it in After (it is resolved before each of them runs), so
// it stands at the last of their places, where every one is known; a
// task of a :post chain stands at the place of the task whose :post it
// is (postRoot), which no task names. The reading of a block's output by
// Emacs (ReadsOutput) stands at the first turn at which Emacs reads it
// (readingPlace). A task no task names, or one named by a task whose
// place is not known, has none.
func taskPlaces(p *Plan, own func(*Task) (int, bool)) func(*Task) (int, bool) {
	users := make(map[string][]*Task)
	byName := make(map[string]*Task, len(p.Tasks))
	for _, t := range p.Tasks {
		byName[t.Block] = t
		for _, a := range t.After {
			users[a] = append(users[a], t)
		}
	}
	visiting := make(map[*Task]bool) // a cycle has no place
	var place func(*Task) (int, bool)
	place = func(t *Task) (int, bool) {
		if at, ok := own(t); ok {
			return at, true
		}
		if o := t.postRoot(); t.Post && o != nil && !visiting[t] {
			// A task of a :post chain runs at its block's turn:
			// org-babel-execute-src-block calls the :post as soon
			// as the body has given its result.
			visiting[t] = true
			defer delete(visiting, t)
			return place(o)
		}
		if t.ReadsOutput && !visiting[t] {
			visiting[t] = true
			defer delete(visiting, t)
			return readingPlace(t, byName, users[t.Block], own, place)
		}
		us := users[t.Block]
		if t.Index >= 0 || len(us) == 0 || visiting[t] {
			return 0, false
		}
		visiting[t] = true
		defer delete(visiting, t)
		// A run a reference makes is resolved at the turn of the
		// blocks using its value (org-babel-ref-resolve), not at that
		// of a task waiting for it only for the order of the
		// document's Emacs (UsesValueOf): those are left out where
		// any uses it.
		if vs := slices.DeleteFunc(slices.Clone(us), func(u *Task) bool { return !u.UsesValueOf(t.Block) }); len(vs) > 0 {
			us = vs
		}
		last := -1
		for _, u := range us {
			at, ok := place(u)
			if !ok {
				return 0, false
			}
			last = max(last, at)
		}
		return last, true
	}
	return place
}

// readingPlace is the place of t, the reading of its block's output by
// the document's Emacs (ReadsOutput: users, the tasks naming it, and
// byName, the plan's tasks by name, given): Babel reads the output as
// the language's org-babel-execute function returns it, inside
// org-babel-execute-src-block, so wherever Emacs runs that block: at the
// block's own turn (org-babel-execute-buffer), and at the turn of each
// block whose reference runs it (org-babel-ref-resolve runs a named
// block again, :results silent, before the block referring to it runs;
// referToReaders has those name the reading), a #+call: line's at its
// own. Borges reads it once, for the first of them, where its buffer
// stands (bufferResults' forPos): its place is the least of its block's
// own place (a block or #+call: of the document, or a :post's task at
// its block's) and those of the tasks naming it. A run a reference makes
// (a block called with arguments: :var v=f(n=5)) has no turn of its own,
// its users naming the reading instead (referToReaders): the reading
// stands at theirs alone, and the run there too (taskPlaces, by the
// reading naming it). None where one of them is not known, where the
// block has none (a task of no block known), or where nothing places it.
func readingPlace(t *Task, byName map[string]*Task, users []*Task, own func(*Task) (int, bool), place func(*Task) (int, bool)) (int, bool) {
	first, known := -1, false
	o := t.owner
	if o == nil {
		o = byName[t.ResultsWith]
	}
	if o == nil {
		return 0, false
	}
	if at, ok := own(o); ok {
		first, known = at, true
	} else if o.Post {
		// Not through the reading: a :post's task stands at its
		// chain's block (postRoot).
		at, ok := place(o)
		if !ok {
			return 0, false
		}
		first, known = at, true
	} else if o.Index >= 0 || o.called == nil {
		return 0, false // a block of its own whose place is not known
	}
	for _, u := range users {
		at, ok := place(u)
		if !ok {
			return 0, false
		}
		if !known || at < first {
			first, known = at, true
		}
	}
	if !known {
		return 0, false
	}
	return first, true
}

// FoundAfterChanged reports whether the blocks found in results that ext
// marks past its first n marks (org.Document.ReportChanged of the
// report, n marks, of the document's Emacs written, a task of which
// changed its buffer) run beside that Emacs, every task of which has
// finished (the caller knows it: the engine's searchChanged looks
// before it reads that report): every task of it (among tasks, the
// document's and those added to its buffer, each at its mark: an added
// one's results key, org.AddedKey and up) stands before the first block
// found. org-babel-execute-buffer then runs the blocks found after
// every task of that Emacs, whose buffer (its last report) is the one
// their results are written in, and no task of it waits for them or has
// them marked. A task of it after them, or one not known to stand
// before them, keeps them unrun (the write-back refuses the document:
// org.ErrFoundInChangedBuffer).
func FoundAfterChanged(doc *org.Document, tasks []*Task, ext *org.BufferReport, n int, written string) bool {
	exes := doc.Executables()
	if n < len(exes) || len(ext.Marks) <= n {
		return false
	}
	mark := markOf(exes)
	place := taskPlaces(&Plan{Tasks: tasks}, func(t *Task) (int, bool) {
		i, ok := mark[t.Index]
		if k := t.ResultsIndex(); k >= org.AddedKey {
			i, ok = len(exes)+k-org.AddedKey, true
		}
		if !ok || i >= n {
			return 0, false
		}
		return ext.Marks[i].Point, true
	})
	first := firstPoint(ext.Marks[n:])
	for _, t := range tasks {
		if !t.InSession(written) {
			continue
		}
		if at, ok := place(t); !ok || at >= first {
			return false
		}
	}
	return true
}

// FoundBeside reports whether none of the blocks ed adds from key from
// on (found in results written in the buffer of the document's Emacs
// written, a task of which changed it: FoundAfterChanged) runs in that
// Emacs, itself, its :post chain or the calls its references make
// (Addition.Calls): those would run there after its last task, which
// Borges does not have it do, so they are not run and the write-back
// refuses the document (org.ErrFoundInChangedBuffer).
func FoundBeside(ed *Edits, from int, written string) bool {
	inEmacs := func(t *Task) bool { return t.InSession(written) }
	for _, a := range ed.Added() {
		if a.Key < from {
			continue
		}
		if len(a.Calls) > 0 || inEmacs(a.Task) || slices.ContainsFunc(a.Posts, inEmacs) {
			return false
		}
	}
	return true
}

// markOf is, by block index, the mark of each of a document's
// executables exes in a report of its buffer (the report marks them in
// that order).
func markOf(exes []*org.Block) map[int]int {
	mark := make(map[int]int, len(exes))
	for i, x := range exes {
		mark[x.Index] = i
	}
	return mark
}

// firstPoint is the least place among marks (the first in the buffer of
// the blocks they mark), -1 for none.
func firstPoint(marks []org.BufferMark) int {
	first := -1
	for _, m := range marks {
		if first < 0 || m.Point < first {
			first = m.Point
		}
	}
	return first
}
