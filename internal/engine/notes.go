package engine

import (
	"fmt"
	"slices"
)

// notes are what the planner said of the document as a whole; a stored
// document that cannot be planned any more has none.
func (ds *docState) notes() []string {
	if ds.plan == nil {
		return nil
	}
	notes := ds.plan.Notes
	if f, at, msg := ds.failedStop(); f != nil {
		// The first stop in the buffer (failedStop gives none after
		// a block found that stops it): Emacs makes no other.
		why := stopWhy(f, msg)
		if ds.plan.StopNote != "" {
			// Before the stop the plan knows (failedStop gives none
			// after it): that one Emacs never reaches.
			notes = slices.DeleteFunc(slices.Clone(notes), func(n string) bool { return n == ds.plan.StopNote })
		}
		by := f.name
		if why == inlineStopWhy {
			// Which of Babel's inline errors: the value's, or (at
			// the block the plan stops at) its :results words'.
			by += fmt.Sprintf(", %q", msg)
		}
		return append(slices.Clip(notes), fmt.Sprintf("org-babel-execute-buffer stops this document at the block at line %d, %s (%s): the blocks after it that had not started are not run", at.line, why, by))
	}
	if ds.stopped != nil {
		if a, ok := ds.stopped.Stop(); ok {
			return append(slices.Clip(notes), fmt.Sprintf("org-babel-execute-buffer stops this document at the block of language %q found in results at line %d of the Org buffer (\"No org-babel-execute function for %s!\"): the blocks after it are not run", a.Lang, a.Line, a.Lang))
		}
	}
	return notes
}
