package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/plan"
)

// notes are what the planner said of the document as a whole; a stored
// document that cannot be planned any more has none.
func (ds *docState) notes() []string {
	if ds.plan == nil {
		return nil
	}
	notes := ds.plan.Notes
	notes = ds.resultStopsUnread(notes)
	notes = ds.inlineValuesUnread(notes)
	notes = ds.cachedFilesMissing(notes)
	notes = ds.keyTakenNotes(notes)
	notes = ds.failedPostNotes(notes)
	if ds.writeBackNote != "" {
		notes = append(slices.Clip(notes), ds.writeBackNote)
	}
	if f, at, msg := ds.failedStop(); f != nil {
		// The first stop in the buffer (failedStop gives none after
		// a block found that stops it): Emacs makes no other.
		why := stopWhy(f, msg)
		if why == resultStopWhy || why == inlineStopWhy {
			// Which error: for an inline block, the value's, or (at
			// the block the plan stops at) its :results words'.
			why += fmt.Sprintf(" with the error %q", msg)
		}
		if ds.plan.StopNote != "" {
			// Before the stop the plan knows (failedStop gives none
			// after it): that one Emacs never reaches.
			notes = slices.DeleteFunc(slices.Clone(notes), func(n string) bool { return n == ds.plan.StopNote })
		}
		where := fmt.Sprintf("at the block at line %d", shownLine(f, at))
		stopper := stopperShown(f)
		if b := refRunOf(f); b != nil {
			// The run of a block found in results' reference: at
			// that block, named by its own line (foundLine).
			where = fmt.Sprintf("at block %s, found in results at line %s, resolving its reference", b.name, foundLine(b))
		} else if p, in := stopPlace(f); p == at && p != ownStopPlace(in) {
			// A block :eval refuses (plan.Task.RefusedReaders).
			if owner := in.task.LispVarOf(); owner != "" {
				// Its own Lisp :var value, evaluated there: the
				// value said, and its block named, once.
				value := "(" + stopperShown(in) + ")"
				if in == f {
					value = strings.TrimPrefix(stopperShown(in), owner+" :var ")
					stopper = owner
				}
				where += fmt.Sprintf(", %s, evaluating its Lisp :var value %s", ds.refusedWord(p), value)
			} else {
				where += fmt.Sprintf(", %s, resolving a reference that runs block %s (line %d)", ds.refusedWord(p), stopperShown(in), in.task.Line)
			}
		} else if p == at && in != stopOwner(f) {
			where += stopIn(in, stopOwner(f))
		}
		// The stopping block named as the messages of the blocks the
		// stop holds name it (failureStopBefore).
		return append(slices.Clip(notes), fmt.Sprintf("org-babel-execute-buffer stops this document %s, for block %s, %s: the blocks after it that had not started are not run", where, stopper, why))
	}
	if ds.stopped != nil {
		if a, ok := ds.stopped.Stop(); ok {
			return append(slices.Clip(notes), fmt.Sprintf("org-babel-execute-buffer stops this document at the block of language %q found in results at line %d of the Org buffer with the error %q%s: the blocks after it are not run", a.Lang, a.Line, a.StopError, foundStopWhy(a)))
		}
	}
	if ds.refusedEnd != nil {
		// After every task: none failed with it. At the block :eval
		// query whose question is the plan's stop, or before it:
		// Emacs never asks where the stop is known; where it is not
		// (Unread), the form may end well and Emacs ask.
		if ds.plan.StopNote != "" && ds.refusedEnd.Stop != "" {
			notes = slices.DeleteFunc(slices.Clone(notes), func(n string) bool { return n == ds.plan.StopNote })
		}
		return append(slices.Clip(notes), ds.refusedEnd.Note())
	}
	return notes
}

// resultStopsUnread is notes with one for each finished block whose
// output could not be read when it ended, for whether its results stop
// org-babel-execute-buffer (endReadKnown): the blocks after it run,
// though Emacs may stop there; a finder's results are not searched
// either (endResult). The caller holds e.mu.
func (ds *docState) resultStopsUnread(notes []string) []string {
	ds.failedStop() // ds.failStops known
	for _, b := range ds.failStops {
		if ownRun(b) && b.state() == Finished && len(b.instances) > 0 && b.instances[0].rec.ResultStopUnread {
			unsearched := ""
			if slices.Contains(ds.finders, b) {
				unsearched = ", nor searched for the blocks Emacs finds in its results"
			}
			notes = append(slices.Clip(notes), fmt.Sprintf("whether the results of block %s, at line %d, stop org-babel-execute-buffer is not known: its output could not be read when it ended%s; run it again to know", stopperShown(b), b.task.Line, unsearched))
		}
	}
	return notes
}

// ownBlock is the block whose own run f's failure is: f's, or for a
// reading of a block's output, that block's, for a task of a :post
// chain, the block whose :post starts it (Emacs runs the :post within
// that block's evaluation), in turn (stopPlace). Bounded: a chain is
// planned without cycles, and walked at most once per block.
func ownBlock(f *blockState) *blockState {
	x := f
	for range f.doc.blocks {
		var o *blockState
		switch {
		case x.task == nil:
		case x.task.ReadsOutput:
			o = f.doc.byName[x.task.ResultsWith]
		case x.task.Post:
			o = f.doc.byName[x.task.PostOwner()]
		}
		if o == nil || o == x {
			break
		}
		x = o
	}
	return x
}

// stopIn says, of a stop at block in whose run needs own's (stopPlace),
// the block whose failure stops the document: where in reaches own
// through references (referencesReach), Emacs executes own resolving
// one ("executing ... code block (NAME)..."), and the stop is own's, not
// in's; otherwise (in waits for own as the order of the document's
// Emacs or a session has it, or takes its environment) only that in
// needs own's run.
func stopIn(in, own *blockState) string {
	if referencesReach(in, own) {
		return fmt.Sprintf(", block %s, resolving a reference to the block at line %d", in.name, own.task.Line)
	}
	return fmt.Sprintf(", block %s, whose run needs the block at line %d", in.name, own.task.Line)
}

// referencesReach reports whether block from reaches block to through
// references alone: its task's dependencies (but the blocks before it in
// the order of the document's Emacs and of its session, and the waits
// of Borges's order alone: plan.Task.OrdersOnly), and the next
// elements of names it runs for one (plan.Task.NextWaits), in turn.
// Bounded: each block is looked at once. The caller holds e.mu.
func referencesReach(from, to *blockState) bool {
	ds := from.doc
	seen := map[*blockState]bool{from: true}
	todo := []*blockState{from}
	for len(todo) > 0 {
		x := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if x == to {
			return true
		}
		if x.task == nil {
			continue
		}
		names := slices.Clone(x.task.After)
		for _, w := range x.task.NextWaits() {
			names = append(names, w.Next)
		}
		for _, n := range names {
			if n == x.task.BufferPrev || n == x.task.SessionPrev() || x.task.OrdersOnly(n) {
				continue
			}
			if d := ds.byName[n]; d != nil && !seen[d] {
				seen[d] = true
				todo = append(todo, d)
			}
		}
	}
	return false
}

// inlineValuesUnread is notes with one for each inline block (or inline
// call) whose value could not be read when its attempt ended, every try
// failing (readAtEnd): whether org-babel-insert-result refuses it
// inline, which stops org-babel-execute-buffer there, was not checked,
// and the blocks after it run. The caller holds e.mu.
func (ds *docState) inlineValuesUnread(notes []string) []string {
	for _, b := range ds.blocks {
		if b.task == nil || !b.task.InlineResults || len(b.instances) != 1 || !b.instances[0].rec.InlineUnread || State(b.instances[0].rec.State) != Finished {
			continue
		}
		line := b.task.Line
		if own := inlineOwner(b); own != nil && own.task != nil {
			line = own.task.Line
		}
		notes = append(slices.Clip(notes), fmt.Sprintf("the value of inline block %s, at line %d, could not be read when it ended, so whether Org refuses it inline, which stops org-babel-execute-buffer there, was not checked: the blocks after it run; run it again to know", stopperShown(b), line))
	}
	return notes
}

// foundStopWhy is why, in Borges's terms, a block found in results stops the
// document, when Emacs's error does not say it (a block :eval query).
func foundStopWhy(a plan.Addition) string {
	if a.StopError != plan.QueryStop {
		return ""
	}
	return " (" + a.Why + ")"
}

// failedPostNotes is notes with one for each block that exited non-zero
// whose :post ran all the same, as Babel runs it (failedForPost,
// continuedForPost): its results are the :post's value, written as
// Emacs writes it, with no trace of the failure, which the notes say.
// The caller holds e.mu.
func (ds *docState) failedPostNotes(notes []string) []string {
	for _, b := range ds.blocks {
		if b.task == nil || b.task.Post || b.task.ReadsOutput || len(b.instances) != 1 {
			continue
		}
		rec := &b.instances[0].rec
		if State(rec.State) != Failed || !exitedNonZero(rec) || rec.ExitCode == nil {
			continue
		}
		chain := postChain(b)
		if len(chain) == 0 || chain[0].instances[0].rec.Tries() == 0 {
			continue
		}
		note := fmt.Sprintf("block %s, at line %d, exited with status %d: its %s ran all the same, *this* bound as Babel binds it after a failure (org-babel-eval's nil, the link to its :file, or a Python or Ruby value file's text), ", b.task.Shown(), b.task.Line, *rec.ExitCode, strings.TrimPrefix(chain[0].task.Block, b.name+" "))
		if len(chain) == 1 {
			note += "and its results are what that :post gave"
		} else {
			// Its results are the value of the chain's last :post,
			// not of the first (Babel's *this* passed down it).
			last := chain[len(chain)-1]
			post := strings.TrimPrefix(last.task.Block, chain[len(chain)-2].task.Block+" ")
			if last.instances[0].rec.Tries() > 0 {
				note += "then the :posts of its chain after it, and its results are what the last of them, " + post + ", gave"
			} else {
				note += "but its chain of :posts stopped before its last, " + post + ": its results say where"
			}
		}
		notes = append(slices.Clip(notes), note)
	}
	return notes
}

// postChain is the tasks of b's :post chain, in the order Babel runs
// them: the task of b's :post, then that of each :post after it (the
// :post of the block the one before calls, whose ResultsWith it is);
// nil for a block with no :post. Each has one instance. The caller holds
// e.mu.
func postChain(b *blockState) []*blockState {
	var chain []*blockState
	cur := b
	// Bounded, as a chain is planned without cycles.
	for range len(b.doc.blocks) {
		i := slices.IndexFunc(cur.dependents, func(y *blockState) bool {
			return y.task != nil && y.task.Post && y.task.ResultsWith == cur.name && len(y.instances) == 1
		})
		if i < 0 {
			break
		}
		cur = cur.dependents[i]
		chain = append(chain, cur)
	}
	return chain
}
