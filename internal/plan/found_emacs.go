package plan

import "github.com/wallyqs/borges/internal/org"

// FoundAfterEmacs reports whether the blocks found in results that rep
// marks (past doc's executables) run beside the document's Emacs written
// (the Emacs that reports its Org buffer), as in a document without
// Emacs Lisp: once every task of that Emacs has ended, and every task
// whose block stands before the last of them (the blocks whose results
// org-babel-execute-buffer searches before it gets there), where every
// block found stands after every block that Emacs runs a task for.
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
	last := -1 // the place of the last block the Emacs runs a task for
	for _, t := range p.Tasks {
		if t.Session == nil || t.Session.Key != written {
			continue
		}
		i, ok := mark[t.Index]
		if !ok || !ended(t) {
			return false // not known to stand before them, or to have run
		}
		last = max(last, rep.Marks[i].Point)
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
