package plan

import "github.com/wallyqs/borges/internal/org"

// FoundAfterEmacs reports whether the blocks found in results that rep
// marks (past doc's executables) run beside the document's Emacs written
// (the Emacs that reports its Org buffer), as in a document without
// Emacs Lisp: once every task of that Emacs has ended, and every task
// whose block stands before the last of them (the blocks whose results
// org-babel-execute-buffer searches before it gets there), where every
// block found stands after every block that Emacs runs a task for (a
// call's task, :var v=f(n=5), at the blocks calling it: taskPlaces).
// ended tells whether a task has ended (finished or not). The answer
// does not depend on the order the tasks ended in.
func FoundAfterEmacs(doc *org.Document, p *Plan, rep *org.BufferReport, written string, ended func(*Task) bool) bool {
	exes := doc.Executables()
	if len(rep.Marks) <= len(exes) {
		return false
	}
	mark := make(map[int]int, len(exes)) // by block index, its mark
	for i, x := range exes {
		mark[x.Index] = i
	}
	place := taskPlaces(p, func(t *Task) (int, bool) {
		i, ok := mark[t.Index]
		if !ok {
			return 0, false
		}
		return rep.Marks[i].Point, true
	})
	last := -1 // the place of the last block the Emacs runs a task for
	for _, t := range p.Tasks {
		if t.Session == nil || t.Session.Key != written {
			continue
		}
		at, ok := place(t)
		if !ok || !ended(t) {
			return false // not known to stand before them, or to have run
		}
		last = max(last, at)
	}
	for _, t := range p.Tasks {
		// A block before the last task may still write a block found
		// before it.
		if i, ok := mark[t.Index]; (!ok || rep.Marks[i].Point < last) && !ended(t) {
			return false
		}
	}
	for _, m := range rep.Marks[len(exes):] {
		if m.Point <= last {
			return false
		}
	}
	return true
}

// taskPlaces returns where each task of p runs in the buffer: own gives
// the place of a task of a block of the document (its mark); a task
// without one, a call's (:var v=f(n=5)), runs at the turns of the tasks
// that name it in After (it is resolved before each of them runs), so
// it stands at the last of their places, where every one is known. A
// task no task names, or one named by a task whose place is not known,
// has none.
func taskPlaces(p *Plan, own func(*Task) (int, bool)) func(*Task) (int, bool) {
	users := make(map[string][]*Task)
	for _, t := range p.Tasks {
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
		us := users[t.Block]
		if t.Index >= 0 || len(us) == 0 || visiting[t] {
			return 0, false
		}
		visiting[t] = true
		defer delete(visiting, t)
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
