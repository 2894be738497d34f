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
	notes = ds.resultStopsUnread(notes)
	if f, at, msg := ds.failedStop(); f != nil {
		// The first stop in the buffer (failedStop gives none after
		// a block found that stops it): Emacs makes no other.
		why := stopWhy(f, msg)
		if why == resultStopWhy {
			why += fmt.Sprintf(" with the error %q", msg)
		}
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
		where := fmt.Sprintf("at the block at line %d", at.line)
		if p, in := stopPlace(f); p == at && in != ownBlock(f) {
			// Stopped in a block whose reference runs f's block
			// (Emacs executes that one then: "executing ... code
			// block (NAME)..."): the stop is f's, not that block's.
			where += fmt.Sprintf(" (%s), resolving a reference to the block at line %d", in.name, ownBlock(f).task.Line)
		}
		return append(slices.Clip(notes), fmt.Sprintf("org-babel-execute-buffer stops this document %s, %s (%s): the blocks after it that had not started are not run", where, why, by))
	}
	if ds.stopped != nil {
		if a, ok := ds.stopped.Stop(); ok {
			return append(slices.Clip(notes), fmt.Sprintf("org-babel-execute-buffer stops this document at the block of language %q found in results at line %d of the Org buffer (\"No org-babel-execute function for %s!\"): the blocks after it are not run", a.Lang, a.Line, a.Lang))
		}
	}
	return notes
}

// resultStopsUnread is notes with one for each finished block whose
// output could not be read when it ended, for whether its results stop
// org-babel-execute-buffer (noteResultStop): the blocks after it run,
// though Emacs may stop there. The caller holds e.mu.
func (ds *docState) resultStopsUnread(notes []string) []string {
	ds.failedStop() // ds.failStops known
	for _, b := range ds.failStops {
		if ownRun(b) && b.state() == Finished && len(b.instances) > 0 && b.instances[0].rec.ResultStopUnread {
			notes = append(slices.Clip(notes), fmt.Sprintf("whether the results of the block at line %d (%s) stop org-babel-execute-buffer is not known: its output could not be read when it ended; run it again to know", b.task.Line, b.name))
		}
	}
	return notes
}

// ownBlock is the block whose own run f's failure is: f's, or for a
// reading of a block's output, that block's (stopPlace).
func ownBlock(f *blockState) *blockState {
	if o := f.doc.byName[f.task.ResultsWith]; f.task.ReadsOutput && o != nil {
		return o
	}
	return f
}
