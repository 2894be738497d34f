package plan

import "github.com/wallyqs/borges/internal/org"

// RanAs is r, the results of task t, as t's block writes them: as it
// stood in the Org buffer of the document's Emacs, for a task planned
// again from a report of it (Edits), its text or the properties over it
// changed by an Emacs Lisp block before it; else r as it is. A :post's
// result is read under the :results of the block the :post calls, Babel's
// "silent" for the call included (org.Result.Posted), and written under
// the owner block's.
func RanAs(t *Task, r org.Result) org.Result {
	if fileChars(t, r.Output) {
		r.Chars = true
	}
	if t != nil && t.Post {
		r.Posted, r.PostResults = true, t.Results
	}
	if t != nil && t.PostNil {
		r.PostNil, r.WithoutFile = true, r.WithoutFile || t.File != ""
	}
	if t == nil || t.edit == nil {
		return r
	}
	if blk, err := t.blockIn(t.edit.in); err == nil {
		r.As, r.AsIn = blk, t.edit.in
	}
	return r
}
