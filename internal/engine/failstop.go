package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// org-babel-execute-buffer stops the document at a Lisp error it does not
// catch: a JavaScript block's value the Lisp reader finds nothing in
// (plan.Task.FailureStops, the task reading it in Emacs). Borges knows
// that when the block ends (org.JSReadError), or, for a value only
// Emacs's reader reads, when that reading fails; the blocks after it that
// have not started by then are not run, each saying why, and those that
// had started (Borges runs what waits for nothing at once, where Emacs
// runs one block at a time) run on. A reference error stops it likewise:
// a block reading data that the block writing over them left as nothing
// Babel reads (plan.ReferenceError), known when it was to start.

// failureStopBefore says why b, a block's own run (or a run a reference
// makes, held at its referrer's turn: refRunHolds), is not run because a
// task whose failure stops the document failed at a block before it in
// the document, "" when none did, and that task. The caller holds e.mu.
func (ds *docState) failureStopBefore(b *blockState) (string, *blockState) {
	if !ownRun(b) && !addedRun(b) && !refRun(b) {
		return "", nil
	}
	f, at, msg := ds.failedStop()
	return failureStopAt(b, f, at, msg)
}

// failureStopAt is failureStopBefore, the document's failure stop given
// (failedStop's f, at and msg), for callers that weigh many blocks
// against one stop.
func failureStopAt(b *blockState, f *blockState, at place, msg string) (string, *blockState) {
	if f == nil || !ownRun(b) && !addedRun(b) && !refRun(b) {
		return "", nil
	}
	if refRun(b) {
		// Held as its referrer's own run is, at the referrer's turn
		// (refRunHolds), saying what the referrer says.
		if !refRunHolds(b, f, at, msg) {
			return "", nil
		}
		return refRunStopWhy(b, f, at, msg)
	}
	if addedRun(b) {
		if !addedStopHolds(b, f, at) {
			return "", nil
		}
		if refRunOf(f) == b {
			// At b's own line in the buffer, as a block found is
			// named (foundLine).
			return fmt.Sprintf(failStopIn+"%s, for block %s, %s: %s", foundLine(b), stopperShown(f), stopWhy(f, msg), msg), f
		}
		return fmt.Sprintf(failStopAt+"%d, for block %s, %s: %s", shownLine(f, at), stopperShown(f), stopWhy(f, msg), msg), f
	}
	if !stopHolds(b, f, at, msg) {
		return "", nil
	}
	prefix := failStopAt
	if !at.before(placeOf(b)) {
		prefix = failStopIn
		if ownLispVarStop(f) {
			prefix = failStopVars
		}
	}
	return fmt.Sprintf(prefix+"%d, for block %s, %s: %s", shownLine(f, at), stopperShown(f), stopWhy(f, msg), msg), f
}

// addedRun reports whether b is the own run of a block an Emacs Lisp
// block added to the buffer, placed among the submitted document's
// blocks (addedBefore).
func addedRun(b *blockState) bool {
	return b.task != nil && b.addedBy != "" && b.addedBefore != nil && !b.task.Post && !b.task.ReadsOutput
}

// addedStopHolds reports whether the stop f makes at at holds b, an added
// block's own run (addedRun): b stands after at, among the submitted
// document's blocks, or the stop is that of a block added to the buffer
// or found in results, placed among the submitted document's blocks
// (addedBefore): an inline block's value refused there
// (addedInlineStop), the call of a block :eval refuses added or found
// (addedCallRun), or any other stop of an added block's own
// (addedOwnStop: its Lisp error, a JavaScript value not read, a
// reference error, its :post's), and b stands after that block in the
// buffer, on its line or a later one. A stop an added block makes that
// is placed at its line in the buffer (its results stopping Emacs:
// failedStop's resultStop) is not among the submitted document's lines
// that b's place is weighed in: it holds no added block.
func addedStopHolds(b, f *blockState, at place) bool {
	if !madeByAdded(f) {
		return at.before(*b.addedBefore)
	}
	own := addedInlineStop(f, at)
	if own == nil {
		own = addedOwnStop(f, at)
	}
	if own == nil {
		return false
	}
	if at.before(*b.addedBefore) {
		return true
	}
	if own == b || *b.addedBefore != at {
		return false
	}
	if own == f && refRunOf(f) == b {
		// The block found whose reference f runs: Emacs stops
		// resolving it, before it runs.
		return true
	}
	// In the buffer, after own: found in its results, or after the
	// block in whose results own was found (standsBefore), not by a line
	// own was found at before results were written above it.
	return b.doc.standsBefore(own, b)
}

// addedOwnStop is the block added to the buffer or found in results
// (addedRun) whose own stop f makes at at, placed among the submitted
// document's blocks (stopPlace: ownStopPlace), nil for a stop placed
// elsewhere: at a block of the document whose run needs it, or at its
// line in the buffer.
func addedOwnStop(f *blockState, at place) *blockState {
	own := stopOwner(f)
	if !addedRun(own) || *own.addedBefore != at {
		return nil
	}
	return own
}

// refRunOf is the block found in results whose reference f, the call of
// a block added or found (addedCallRun), runs (plan.Edits.foundRefRuns,
// added by it: addBlock), nil for the call of a block :eval refuses,
// which has no task.
func refRunOf(f *blockState) *blockState {
	if !addedCallRun(f) {
		return nil
	}
	if b := f.doc.byName[f.addedBy]; b != nil && b.task != nil {
		return b
	}
	return nil
}

// foundLine names the line of b, a block found in results, as the
// notes name such a block's ("found in results at line N of the Org
// buffer"): that of its #+begin_src in the buffer reported, where Emacs
// has point as it resolves its references, and the results document has
// it too; not the #+RESULTS: line above it, where Org's element begins
// (b.line), nor the place in the submitted document it runs before
// (addedBefore).
func foundLine(b *blockState) string {
	return fmt.Sprintf("%d of the Org buffer", b.beginLine)
}

// viewLine is the line b's view (BlockView.Line) and the notes of a
// stop it makes name: its Org element's first line, but for a block
// found in results, its #+begin_src line in the Org buffer (foundLine),
// not the #+RESULTS: line above it.
func viewLine(b *blockState) int {
	if b.found && b.beginLine > 0 {
		return b.beginLine
	}
	return b.line
}

// madeByAdded reports whether f, a task whose failure may stop the
// document, belongs to a block an Emacs Lisp block added to the buffer
// (its own or that of the block it ends: ownBlock).
func madeByAdded(f *blockState) bool {
	return f.addedBy != "" || ownBlock(f).addedBy != ""
}

// addedInlineStop is the inline block added to the buffer whose value,
// refused, makes f's stop at at, placed among the submitted document's
// blocks (addedBefore), or f itself for the call of a block :eval refuses
// added or found (addedCallRun) stopping there; nil for any other stop.
func addedInlineStop(f *blockState, at place) *blockState {
	if addedCallRun(f) && *f.addedBefore == at {
		return f
	}
	if f.task == nil || !f.task.InlineResults {
		return nil
	}
	own := inlineOwner(f)
	if own == nil || own.addedBefore == nil || *own.addedBefore != at {
		return nil
	}
	return own
}

// shownLine is the line a message names for the stop f makes at at: the
// line of at, but for an inline block added to the buffer, whose stop is
// placed among the submitted document's blocks (addedBefore), the line
// of the buffer it stands at there, as Emacs stops at it; for a block
// added or found, its own line in the buffer (that of its #+begin_src
// for one found).
func shownLine(f *blockState, at place) int {
	if own := addedInlineStop(f, at); own != nil {
		return own.line
	}
	if addedRun(f) && *f.addedBefore == at {
		// Its own stop (stopPlace), at its line in the buffer, as its
		// view gives it.
		return viewLine(f)
	}
	if f.task != nil && f.task.InlineResults {
		if own := inlineOwner(f); own != nil && own.addedBefore != nil && *own.addedBefore == at {
			return own.line
		}
	}
	return at.line
}

// stopperShown names f, a task whose failure stops the document, in the
// messages of the blocks the stop holds, as the other messages of a
// queued or unrun block name blocks (waitWhy, nextCycleWhy): by its
// block, for the task reading a block's output in Emacs, and a :post's
// task as its block and :post.
func stopperShown(f *blockState) string {
	if f.task == nil {
		return f.name
	}
	if r := refusedStopper(f); r != nil {
		return r.name
	}
	if s := f.task.RunOf(); s != "" {
		// A run a reference makes: the block it runs, as the
		// reference wrote it (plan.Task.Shown).
		return s
	}
	if f.task.ReadsOutput && f.task.ResultsWith != "" {
		return f.task.ResultsWith
	}
	if s := f.task.PostShown(); s != "" {
		return s
	}
	return f.name
}

// refusedStopper is, for f, a run a block :eval refuses makes resolving
// its :var values (plan.Task.RefusedReaders) that failed with a
// reference error (refErr: that block, as an Emacs Lisp block left it in
// the Org buffer, refers to itself, plan.Edits.Decide), the first such
// block, where Emacs stops reading it before it would make f's run: the
// block the stop is at (stopPlace), which the messages name. nil for
// another task.
func refusedStopper(f *blockState) *blockState {
	if !refRun(f) || f.refErr == "" {
		return nil
	}
	return f.doc.refusedBlock(f.task)
}

// refusedStopReason is what the view of b, a block :eval refuses, says
// after its reason where the document's failure stop (f, failed with
// msg: failedStop) is at it (refusedStopper): Emacs stopped there,
// resolving its :var values. "" otherwise.
func refusedStopReason(b, f *blockState, msg string) string {
	if b.task != nil || b.skipped == nil || f == nil || refusedStopper(f) != b {
		return ""
	}
	before := ":eval refuses it"
	if b.skipped.Queried() {
		before = ":eval query asks"
	}
	return fmt.Sprintf("; org-babel-execute-buffer stopped at it, resolving its :var values as the Org buffer holds them before %s: %s", before, msg)
}

// refusedWord is how the block at p, a block :eval refuses or asks
// about that a stop stands at, refuses: "which :eval query refuses"
// for one :eval query asks about (plan.Skipped.Queried), "which :eval
// refuses" otherwise.
func (ds *docState) refusedWord(p place) string {
	for _, b := range ds.blocks {
		if b.task == nil && b.skipped != nil && b.addedBy == "" && b.skipped.Line == p.line && b.skipped.Index == p.index {
			if b.skipped.Queried() {
				return "which :eval query refuses"
			}
			break
		}
	}
	return "which :eval refuses"
}

// endedUnrun reports whether in finished without running: no attempt
// and no try (held by a stop, or its :cache yes results standing).
func endedUnrun(in *instState) bool {
	return State(in.rec.State) == Finished && in.rec.AttemptID == "" && in.rec.Tries() == 0
}

// stopHolds reports whether the stop f makes at place at, with error msg
// (failedStop), holds b, a block's own run: b comes after at, and no
// block whose turn comes before at needs it (neededByTurnBefore: Emacs
// runs it for that reference before it stops), or b is
// the block at at, referring to f, and Emacs stops resolving that
// reference, before b runs (column names that are a rule: the error is
// signalled inside the language's function, which the reference runs;
// a task that could not start for a stop, a :post's of the block the
// reference runs: stopPlace put the stop at b for that reference), or
// f is a Lisp :var value whose error Emacs signals resolving b's :var
// values (ownLispVarStop: its own block's, or that of the first block
// whose reference runs it), or the run of an Emacs Lisp block that b's
// reference with arguments makes for a value the arguments replaced
// (plan.Task.RefRunStops), whose error Emacs signals resolving it.
func stopHolds(b, f *blockState, at place, msg string) bool {
	if at.before(placeOf(b)) {
		return !neededByTurnBefore(b, at)
	}
	if placeOf(b) != at || b == f {
		return false
	}
	return resultStop(f, msg) && resultStopReferred(f, msg) || f.refErr != "" && b != ownBlock(f) || ownLispVarStop(f) ||
		readStopReferred(f, b) || refRunStop(f)
}

// readStopReferred reports whether f, the reading in Emacs of a block's
// value whose failure stops the document (plan.Task.FailureStops and
// ReadsOutput: a JavaScript value Emacs cannot read), stops it at b, the
// first block whose reference runs f's block (stopPlace), not at its
// own: Emacs reads the value resolving b's reference, and stops there,
// before b runs.
func readStopReferred(f, b *blockState) bool {
	return f.task != nil && f.task.FailureStops && f.task.ReadsOutput && b != ownBlock(f)
}

// resultStop reports whether f, failed with msg (failedStop), stops the
// document with its results (plan.ResultStop): neither a value Emacs
// could not read, nor a reference error, nor an inline block's value
// Babel refuses.
func resultStop(f *blockState, msg string) bool {
	if _, ok := lispVarsFailed(f); ok {
		return false
	}
	if _, ok := bodyErrorFailed(f); ok {
		return false
	}
	return !f.task.FailureStops && f.refErr == "" && msg != valueNeedsEmacs && !strings.HasPrefix(msg, inlineErrorPrefix)
}

// nowhere is after every place in the buffer.
var nowhere = place{math.MaxInt, 0}

// resultRun reports whether b is a run whose results may stop the
// document (mayResultStop): a block's own run, or a run a reference
// makes (referenceRun: every reference is a run of its own; or
// addedCallRun, the call of a refused block added or found), whose
// results are written nowhere, but whose stop, made before they would
// be, stops the document at the block whose reference it is
// (stopPlace). Not the run a reference makes for a block added or
// found (plan.Task.AddedRefRun), planned as such a call: Babel runs it
// with :results silent, as a reference's run of the document's.
func resultRun(b *blockState) bool {
	return ownRun(b) || referenceRun(b) || addedCallRun(b) && !b.task.AddedRefRun()
}

// referenceRun reports whether b is a run a reference of a block of the
// submitted document makes (refRun: "user :var y=stop"), or that of a
// call with arguments a block :eval refuses makes
// (plan.Task.RefusedReaders): Emacs makes it resolving the reference,
// its results silent, so that only a stop made before results are
// written (resultStopReferred) is made by it, at the first block whose
// reference it is (stopPlace).
func referenceRun(b *blockState) bool {
	return refRun(b) || b.task != nil && b.addedBy == "" && b.task.Index < 0 && !b.task.Post && !b.task.ReadsOutput && len(b.task.RefusedReaders) > 0
}

// addedCallRun reports whether b runs the call of a block :eval refuses
// added or found (addCalls), placed among the submitted document's
// blocks where that block stands (addedBefore): its stop stops the
// document there (stopPlace).
func addedCallRun(b *blockState) bool {
	return refusedCall(b) && b.addedBefore != nil
}

// resultStopRun reports whether b's results, once it has run, are
// weighed for a stop (plan.ResultMayStop): a resultRun, or a task of a
// :post chain, whose stop (its output's coding) Emacs makes inside the
// :post, before the chain's block's results are written (stopsChain).
func resultStopRun(b *blockState) bool {
	return resultRun(b) || b.task != nil && b.task.Post
}

// place is where a block's own run is in the buffer: its line, then,
// among the blocks of that line (inline blocks and calls), its index,
// in the buffer's order.
type place struct{ line, index int }

// placeOf is the place of b, a block's own run.
func placeOf(b *blockState) place {
	return place{b.task.Line, b.task.Index}
}

// submittedPlace is the place of b, a block's own run, in the document
// submitted (blockState.decidedTask), the plan's stop's coordinates
// (plan.Plan.StopLine), not its line in the buffer an Emacs Lisp block
// edited it in (placeOf), which lines put above it move.
func submittedPlace(b *blockState) place {
	t := b.decidedTask()
	return place{t.Line, t.Index}
}

// before reports whether p is before q in the buffer.
func (p place) before(q place) bool {
	return p.line < q.line || p.line == q.line && p.index < q.index
}

// shownMessage is the message of in, an instance of b, as a view shows
// it: for one ended unrun because the stop the plan knows holds it
// (plan.Plan.Stop, Task.Replaced), the failure stop at or before that
// one that stops the document instead, when one does (failedStop), the
// stop Emacs makes and the notes give. The caller holds e.mu.
//
// For an Emacs Lisp block's attempt that failed with its own Lisp :var
// value's error (lispVarsFailedIn), the stop it makes, worded as for a
// Lisp :var value of a block in another language (failStopVars), the
// error without its mark.
func (ds *docState) shownMessage(b *blockState, in *instState) string {
	m := in.rec.Message
	if msg, ok := ownErrorIn(in, plan.LispVarErrorStop); ok {
		at, _ := stopPlace(b)
		prefix := failStopVars
		if at.before(placeOf(b)) {
			prefix = failStopAt
		}
		return fmt.Sprintf(prefix+"%d, for block %s, %s: %s", shownLine(b, at), stopperShown(b), lispVarStopWhy, msg)
	}
	if msg, ok := ownErrorIn(in, plan.BodyErrorStop); ok {
		at, _ := stopPlace(b)
		return fmt.Sprintf(failStopBody+"%d: %s", shownLine(b, at), msg)
	}
	if ds.plan == nil || ds.plan.StopLine == 0 || !ownRun(b) || b.task.ReplacedBy != "" || m == "" || m != b.task.Replaced {
		return m
	}
	if why, _ := ds.failureStopBefore(b); why != "" {
		return why
	}
	return m
}

// stopWhy says, in the message of a block it holds and in the notes,
// what f, failed with msg (failedStop), stopped the document for.
func stopWhy(f *blockState, msg string) string {
	switch {
	case shellFileNameStop(f):
		return shellStopWhy
	case f.refErr != "" && f.bindStop:
		// Before the :cmdline's: ob-shell binds the variables first.
		return bindStopWhy
	case f.refErr != "" && (f.cmdlineStop || f.task != nil && f.task.CmdlineStop() != ""):
		return cmdlineStopWhy
	case refusedStopper(f) != nil:
		if refusedStopper(f).skipped.Queried() {
			return refusedQueryStopWhy
		}
		return refusedStopWhy
	case f.refErr != "":
		return refStopWhy
	case strings.HasPrefix(msg, inlineErrorPrefix):
		return inlineStopWhy
	case f.task != nil && plan.ShellBindStop(f.task, msg):
		// Its program printed Emacs's error binding its values
		// (plan's shellbindstop.go): it did not run.
		return bindStopWhy
	case msg == valueNeedsEmacs:
		return needsEmacsStopWhy
	case resultStop(f, msg):
		return resultStopWhy
	case lispVarStop(f):
		return lispVarStopWhy
	case refRunStop(f):
		return elispRefStopWhy
	case f.task != nil && f.task.BodyErrorStops:
		if _, ok := bodyErrorFailed(f); ok {
			return elispRefStopWhy
		}
	}
	return failStopWhy
}

// failStopAt and failStopWhy begin and go on the message of a block that
// a failure stop holds (failureStopBefore).
const (
	failStopAt = "not run: org-babel-execute-buffer stopped before it, at the block at line "
	// failStopIn begins that of the block whose reference Emacs
	// stopped resolving (stopHolds).
	failStopIn  = "not run: org-babel-execute-buffer stopped in it, resolving a reference, at line "
	failStopWhy = "whose value Emacs could not read"
	// needsEmacsStopWhy goes on that of a block a block found in
	// results or added stops, whose value only Emacs reads
	// (valueNeedsEmacs).
	needsEmacsStopWhy = "whose value Borges cannot read without Emacs"
	// elispRefStopWhy goes on that of a block the error of an Emacs
	// Lisp block stops, run resolving a reference
	// (plan.Task.RefRunStops).
	elispRefStopWhy = "an Emacs Lisp block that signalled an error"
	// refStopWhy goes on that of a block a reference error stops
	// (blockState.refErr).
	refStopWhy = "whose reference Emacs found no data for"
	// refusedStopWhy goes on that of a block held by the stop at a
	// block :eval refuses whose :var values, as the Org buffer holds
	// them, stop Emacs resolving them (refusedStopper).
	refusedStopWhy = "which :eval refuses, whose :var values Emacs resolves before it refuses it"
	// refusedQueryStopWhy is refusedStopWhy of a block :eval query
	// asks about.
	refusedQueryStopWhy = "which :eval query refuses, whose :var values Emacs resolves before it asks"
	// bindStopWhy goes on that of a block whose variable's value Emacs
	// cannot bind (blockState.bindStop).
	bindStopWhy = "whose variable's value ob-shell cannot bind"
	// inlineStopWhy goes on that of a block an inline block's value
	// that Babel refuses inline stops (inlineRefused).
	inlineStopWhy = "whose result Babel does not write inline"
	// shellStopWhy goes on that of a block a shell block stops
	// because the shell-file-name an Emacs Lisp block left is no
	// program (shellFileNameStop).
	shellStopWhy = "whose shell-file-name (set by an Emacs Lisp block) Emacs cannot run"
	// cmdlineStopWhy goes on that of a block a shell block stops
	// because ob-shell's concat takes no string of its :cmdline (a
	// default an Emacs Lisp block set: plan.Task.CmdlineStop).
	cmdlineStopWhy = "whose :cmdline Emacs cannot make a string of"
	// resultStopWhy goes on that of a block a block's results stop
	// (plan.ResultStop), with Emacs's error.
	resultStopWhy = "whose results stop Emacs"
)

// failStopMessage reports whether why is the message of a block a
// failure stop holds (failureStopBefore).
func failStopMessage(why string) bool {
	return strings.HasPrefix(why, failStopAt) || strings.HasPrefix(why, failStopIn) || strings.HasPrefix(why, failStopVars)
}

// holdsByFailure says why b is not run because a failure stop holds it
// (failureStopBefore), or holds a task its value is made of
// (heldDependency), "" when none does, and keeps the hold in
// ds.failHeld. The caller holds e.mu.
func (ds *docState) holdsByFailure(b *blockState) string {
	why, by := ds.failureStopBefore(b)
	if why == "" {
		why, by = ds.heldDependency(b)
	}
	if why != "" {
		ds.knowFailHeld()
		ds.setFailHeld(b, by)
	}
	return why
}

// heldBy is the name of the task whose failure stop holds b, ended
// unrun saying why, as its instances' records keep it
// (store.Instance.HeldBy); "" when none holds it. The caller holds e.mu.
func (ds *docState) heldBy(b *blockState, why string) string {
	if by := ds.failHeld[b]; by != nil && failStopMessage(why) {
		return by.name
	}
	return ""
}

// knowFailHeld finds the blocks a failure stop holds when ds.failHeld is
// not known (nil: a document read from the store, whose held blocks
// ended before the server started): those of its blocks whose
// instances all finished, unrun, held by a task of the document, as
// their records say (store.Instance.HeldBy), tasks held with a task
// their value is made of (heldDependency) among them. A record stored before
// those said so is held when it ended saying a failure stop held it
// (failStopMessage) and the stop holds it now (stopHolds): not one whose
// :cache yes results stood, ended without an attempt too. The caller
// holds e.mu.
func (ds *docState) knowFailHeld() {
	if ds.failHeld != nil {
		return
	}
	ds.newFailHeld()
	defer ds.weighingStops()()
	f, at, msg := ds.failedStop()
	for _, b := range ds.blocks {
		// A task a stop does not weigh itself is held with a task its
		// value is made of (heldDependency), its record naming the
		// holder.
		if b.task == nil || len(b.instances) == 0 || slices.ContainsFunc(b.instances, func(in *instState) bool {
			return !endedUnrun(in) || !failStopMessage(in.rec.Message)
		}) {
			continue
		}
		if by := ds.byName[b.instances[0].rec.HeldBy]; by != nil {
			ds.setFailHeld(b, by)
		} else if f != nil && (ownRun(b) && stopHolds(b, f, at, msg) || addedRun(b) && addedStopHolds(b, f, at) || refRun(b) && refRunHolds(b, f, at, msg)) {
			// Stored before records named the holder, or held
			// by a task the document has no more (a found block
			// renamed or dropped): held by the stop that holds it
			// now. Held by none, it was queued again on load
			// (requeueGhostHeld).
			ds.setFailHeld(b, f)
		}
	}
}

// requeueGhostHeld queues again, for a document read from the store, the
// blocks whose records say a task it has no more held them (a found
// block renamed or dropped) and that no stop holds now: no lift of a
// stop would queue them again. Those a stop holds are held by it
// (knowFailHeld). It returns the records changed. The caller holds e.mu.
func (e *Engine) requeueGhostHeld(ds *docState, now time.Time) (fixed []*store.Instance) {
	defer ds.weighingStops()()
	looked := false
	var f *blockState
	var at place
	var msg string
	for _, b := range ds.blocks {
		// A task a stop does not weigh itself, held with a task its
		// value is made of (heldDependency), is queued again, and
		// held again while that task is.
		if b.task == nil || addedRun(b) || len(b.instances) == 0 {
			continue
		}
		held := b.instances[0].rec.HeldBy
		if held == "" || ds.byName[held] != nil {
			continue
		}
		if !looked {
			f, at, msg = ds.failedStop()
			looked = true
		}
		if f != nil && (ownRun(b) && stopHolds(b, f, at, msg) || refRun(b) && refRunHolds(b, f, at, msg)) {
			continue
		}
		why := "queued: block " + held + ", which stopped org-babel-execute-buffer before it, is no longer in the document"
		for _, in := range b.instances {
			if endedUnrun(in) && in.rec.HeldBy == held {
				// Finished: no attempt of it is to be killed
				// (one dying is recovered as such).
				e.requeue(in, now, why)
				fixed = append(fixed, &in.rec)
			}
		}
		b.result = nil
	}
	return fixed
}

// failStopLifted is what lifting the failure stops held by a task among
// blocks, run again, does: the blocks they held are queued again, and
// wait until that task has ended again (failWaits, waitsOf), its new value
// read, before they are decided again (unrun: held still, by that stop
// or another, or run). The caller holds e.mu.
func (e *Engine) failStopLifted(ds *docState, blocks []*blockState) (r rerun) {
	// The holds of a document read from the store are found from its
	// blocks' states, whatever was called before.
	ds.knowFailHeld()
	now := e.now()
	if checkIndexes != nil {
		checkIndexes(ds, failHoldsIndex)
	}
	// The blocks they hold, from the index of the blocks each stop
	// holds, in the order of ds.blocks (the order blocks came, added
	// ones last, as a search of every block met them): not a search of
	// every block.
	for _, b := range ds.heldByAny(blocks) {
		by, ok := ds.failHeld[b]
		if !ok || !slices.Contains(blocks, by) {
			continue // let go by a block queued again before it
		}
		ds.dropFailHeld(b)
		e.requeueHeld(ds, b, by, now, &r)
	}
	return r
}

// requeueHeld queues again b, which the stop of by held (no more), to
// wait for by to have run again (failStopLifted), adding to r what it
// did. The caller holds e.mu.
func (e *Engine) requeueHeld(ds *docState, b, by *blockState, now time.Time, r *rerun) {
	why := "queued: decided again once block " + stopperShown(by) + ", which stopped org-babel-execute-buffer before it, has run again"
	requeued := false
	for _, in := range b.instances {
		if endedUnrun(in) {
			r.kills = append(r.kills, e.requeue(in, now, why)...)
			in.rec.WaitsFor = by.name
			r.recs = append(r.recs, &in.rec)
			requeued = true
		}
	}
	if !requeued {
		return
	}
	if ds.failWaits == nil {
		ds.failWaits = map[*blockState]*blockState{}
	}
	ds.failWaits[b] = by
	b.result = nil
	r.blocks = append(r.blocks, b)
	e.touch(b)
}

// knowFailWaits finds, for a document read from the store, the blocks
// that wait for a task that stopped the document to run again
// (failStopLifted), from their instances' records. The caller holds e.mu.
func (ds *docState) knowFailWaits() {
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			if by := ds.byName[in.rec.WaitsFor]; in.rec.WaitsFor != "" && by != nil && State(in.rec.State) == Queued {
				if ds.failWaits == nil {
					ds.failWaits = map[*blockState]*blockState{}
				}
				ds.failWaits[b] = by
			}
		}
	}
}

// failStopsChanged has the blocks bs, which came or went or took another
// task, weighed again in the index of those whose failure may stop the
// document (failedStop) and that of the :post tasks of added blocks
// (appendAddedPosts), and forgets the holds and waits of blocks dropped
// (those for a JavaScript value as well: jsWaiters), and
// their places in the index of the blocks held (heldMerge). The caller
// holds e.mu.
func (ds *docState) failStopsChanged(bs ...*blockState) {
	ds.blocksChanged(bs...)
	ds.linksChanged()
	for b := range ds.failHeld {
		if ds.byName[b.name] != b {
			ds.dropFailHeld(b)
		}
	}
	for b := range ds.held {
		if ds.byName[b.name] != b {
			delete(ds.held, b)
		}
	}
	for b, by := range ds.failWaits {
		if ds.byName[b.name] != b || ds.byName[by.name] != by {
			delete(ds.failWaits, b)
		}
	}
	for j := range ds.jsWaiters {
		if ds.byName[j.name] != j {
			delete(ds.jsWaiters, j)
		}
	}
}

// stopOwner is the block a stop made by f stands for (ownBlock): for a
// Lisp :var value of the block a :post calls, or of a block that one's
// references run (plan.Task.LispVarPost, plan.StopsOnLispError), the
// block whose :post it is, as Emacs evaluates it inside the :post.
func stopOwner(f *blockState) *blockState {
	if f.task != nil && plan.StopsOnLispError(f.task) {
		of := f.task.LispVarPost()
		if of == "" {
			of = f.task.LispVarOf()
		}
		if o := f.doc.byName[of]; o != nil {
			return ownBlock(o)
		}
	}
	return ownBlock(f)
}

// stopPlace is the place of the block org-babel-execute-buffer stops
// at, and that block, when f, a task whose failure stops the document,
// fails: f's own (ownBlock: the block it reads the output of, for a
// reading; the block whose :post it is, for a :post's task), or
// that of the first block in the buffer whose run needs f's (referring
// to its block, or to a block that does, in turn), where Emacs runs f's
// block for the reference; or that of a block :eval refuses whose :var
// names one of these (plan.Task.RefusedReaders), where Emacs runs it
// resolving the reference; the block returned is then the one named.
// The caller holds e.mu.
func stopPlace(f *blockState) (place, *blockState) {
	if addedCallRun(f) {
		// Where the refused block it is the call of stands: no block
		// refers to it.
		return *f.addedBefore, f
	}
	at := stopOwner(f)
	p := ownStopPlace(at)
	if p.index < 0 && !addedRun(at) {
		// A call with arguments runs at the turn of a block that
		// makes it, never at the called block's: that block's line
		// counts only where none is found (below).
		p = nowhere
	}
	seen := map[*blockState]bool{f: true}
	next := []*blockState{f}
	// Bounded: each block is looked at once.
	for len(next) > 0 {
		x := next[len(next)-1]
		next = next[:len(next)-1]
		// The refused blocks naming x's block: a reading or a :post
		// stands for the block it ends (ownBlock), which they name.
		if o := ownBlock(x); o.task != nil {
			if r, ok := o.task.FirstRefusedReader(); ok {
				if q := (place{r.Line, r.Index}); q.before(p) {
					p, at = q, o
				}
			}
		}
		for _, d := range x.dependents {
			if seen[d] || d.task != nil && d.task.OrdersOnly(x.name) {
				continue // Emacs ignores :after, and a session's order
			}
			seen[d] = true
			next = append(next, d)
			if ownRun(d) && placeOf(d).before(p) {
				p, at = placeOf(d), d
			}
		}
	}
	if p == nowhere && !addedRun(at) {
		// A block added or found after the last of the document's
		// stands at its end (addedBefore): nowhere, as it is weighed
		// against the blocks added after it (addedStopHolds).
		return placeOf(at), at
	}
	return p, at
}

// ownStopPlace is where b's own stop stands among the submitted
// document's blocks, whose places the blocks after it are weighed in:
// its place, or, for a block added to the buffer or found in results
// (addedRun), the place before the document's block after it
// (addedBefore), not its line of the buffer, which results written
// before it may put past the lines of the document's blocks after it.
func ownStopPlace(b *blockState) place {
	if addedRun(b) {
		return *b.addedBefore
	}
	return placeOf(b)
}

// failedStop is the block whose failure stops the document
// (plan.Task.FailureStops) that failed and stops it first in the buffer,
// nil for none, the place it stops at (stopPlace) and the error it
// failed with (readFails). The caller holds e.mu.
func (ds *docState) failedStop() (first *blockState, at place, why string) {
	first, at, _, why = ds.failedStopAt()
	return first, at, why
}

// failedStopAt is failedStop, and the block the stop's place is that of
// (stopPlace's, or the block itself for a stop its results make),
// whose place in the document submitted (submittedPlace) may differ
// from at, a place in the buffer, when an Emacs Lisp block edited it.
// The caller holds e.mu.
func (ds *docState) failedStopAt() (first *blockState, at place, by *blockState, why string) {
	// Those touched since weighed again alone (failStopTouched): most
	// documents have none.
	ds.knowFailStops()
	for _, f := range ds.failStops {
		msg, ok := ds.readFails(f)
		var l place
		var b *blockState
		if ok {
			l, b = stopPlace(f)
			if resultStop(f, msg) && !resultStopReferred(f, msg) && referenceRun(f) {
				// Made writing results, which a reference's run,
				// its results silent, does not write: no stop.
				continue
			}
			if resultStop(f, msg) && !resultStopReferred(f, msg) {
				// Results written that stop Emacs (a table the
				// exporter leaves nothing of, a noweb reference that
				// left point at a heading) stop it at the block's own
				// place: a reference runs it with :results silent,
				// which writes nothing.
				b = ownBlock(f)
				l = placeOf(b)
			}
		} else if ds.inline != nil && f.task != nil && f.task.InlineResults {
			// Refused inline: only the block's own run writes its
			// result there, and stops (a reference runs it silently).
			msg, l, b = ds.inline(f)
			ok = msg != ""
		}
		// One after the stop the plan knows (plan.Plan.StopLine,
		// StopIndex) Emacs never reaches; one at its block is the value
		// refused there (org.Document.InlineValueRefused), which Emacs
		// names first. One at its block with its error is that stop
		// (a block whose :file-mode stops Emacs, run for the reference
		// the plan stops at: plan's fileModeRun).
		if ok && !ds.afterPlanStop(l) && !ds.isPlanStop(l, msg) && (first == nil || l.before(at)) && !ds.foundStopBefore(l, b) {
			first, at, by, why = f, l, b, msg
		}
	}
	return first, at, by, why
}

// foundStopBefore reports whether org-babel-execute-buffer, stopped at a
// block found in results (ds.stopped), stops before at, where a failure
// stops it by block b (stopPlace): Emacs never reaches at, and that stop
// is the one it makes. At a block :eval refuses (at is not b's place:
// b is the block it names, which may stand after the block found), the
// refused block is the one weighed: Emacs runs b there, before it
// reaches the block found. The caller holds e.mu.
func (ds *docState) foundStopBefore(at place, b *blockState) bool {
	if at != placeOf(b) {
		return ds.stopped != nil && ds.stopped.StoppedBeforeBlock(at.index)
	}
	return ds.foundStopWhy(b) != ""
}

// readFails says whether f, a task whose failure stops the document,
// fails, and with what error: its block's value (its own, for a block
// whose value is read and written nowhere) is one Emacs cannot read, known
// when the block has ended (org.JSReadError), or f, a reading of the
// block's current attempt, ran and failed; for an Emacs Lisp block a
// :post calls (plan.StopsOnLispError), the error it signalled. One never run because its
// block failed or was killed does not: Emacs reads org-babel-eval's nil.
// For an Emacs Lisp block's run, the error one of its own Lisp :var
// values signalled (lispVarsFailed). The caller holds e.mu.
func (ds *docState) readFails(f *blockState) (msg string, ok bool) {
	if f.refErr != "" {
		return f.refErr, true
	}
	if msg, ok := lispVarsFailed(f); ok {
		return msg, true
	}
	if msg, ok := bodyErrorFailed(f); ok {
		return msg, true
	}
	if !f.task.FailureStops {
		if msg := ds.valueReadErr(f, f); msg != "" {
			return msg, true
		}
		return ds.resultStopped(f)
	}
	if plan.StopsOnLispError(f.task) {
		// An Emacs Lisp block a :post calls: the error it signalled,
		// the document's Emacs's failure, or the value a batch Emacs
		// of its own wrote for it (found when it ended, as a result
		// stop: plan.ResultStop).
		for _, in := range f.instances {
			if State(in.rec.State) == Failed && in.rec.AttemptID != "" {
				return plan.LispErrorStop(in.rec.Message)
			}
		}
		return ds.resultStopped(f)
	}
	owner := f // under :results silent, the block itself: no reading
	if f.task.ReadsOutput {
		owner = ds.byName[f.task.ResultsWith]
	}
	if owner == nil || owner.state() != Finished || len(owner.instances) == 0 {
		// Not run, failed or killed: Emacs reads org-babel-eval's
		// nil, and a reading of an earlier attempt counts no more.
		return "", false
	}
	if msg := ds.valueReadErr(f, owner); msg != "" {
		return msg, true
	}
	// A reading runs only once its block's attempt has ended, and is
	// queued again when the block is: one that ran and failed now read
	// the current attempt's value.
	for _, in := range f.instances {
		if f.task.ReadsOutput && State(in.rec.State) == Failed && in.rec.AttemptID != "" {
			return in.rec.Message, true
		}
	}
	return "", false
}

// valueReadErr is the error f stops the document with for the value of
// owner (f itself, or the block f reads the output of), read in Go once
// owner has ended: Emacs's reader's error (org.JSReadError) for a task
// whose failure stops the document, or, for a block found in results or
// added (plan.Task.ValueNeedsEmacsStops), valueNeedsEmacs where only
// Emacs reads its value as Babel does (org.Reader.NeedsEmacs): no
// reading in Emacs is planned for it, and it stops there rather than
// write a value read otherwise. "" when the value reads, or when owner
// has not ended (not run, failed or killed: Emacs reads
// org-babel-eval's nil). The caller holds e.mu.
func (ds *docState) valueReadErr(f, owner *blockState) string {
	if !f.task.FailureStops && !f.task.ValueNeedsEmacsStops || owner == nil || owner.state() != Finished || len(owner.instances) == 0 {
		return ""
	}
	attempt := owner.instances[0].rec.AttemptID
	if attempt == "" || ds.output == nil {
		return ""
	}
	if f.readErrOf != attempt {
		// A read that failed says nothing of the value: read again
		// next time, not known readable until the next attempt.
		f.readErr, f.readErrOf = "", ""
		if out, err := ds.output(owner); err == nil {
			if f.task.FailureStops {
				// Under e.mu: JSReadError bounds the
				// reading it does by the value's size.
				f.readErr, _ = org.JSReadError(out)
			}
			if f.readErr == "" && f == owner && f.task.ValueNeedsEmacsStops && f.task.Reader.NeedsEmacs(out, f.task.ValueResults()) {
				f.readErr = valueNeedsEmacs
			}
			f.readErrOf = attempt
		}
	}
	return f.readErr
}

// afterPlanStop reports whether p is after the block the plan knows
// org-babel-execute-buffer stops at (plan.Plan.StopLine, StopIndex).
func (ds *docState) afterPlanStop(p place) bool {
	return ds.plan != nil && ds.plan.StopLine != 0 && (place{ds.plan.StopLine, ds.plan.StopIndex}).before(p)
}

// isPlanStop reports whether a stop at p with error why is the stop
// the plan knows (plan.Plan.Stop at StopLine, StopIndex).
func (ds *docState) isPlanStop(p place, why string) bool {
	return ds.plan != nil && ds.plan.StopLine != 0 && p == place{ds.plan.StopLine, ds.plan.StopIndex} && why == ds.plan.Stop
}

// resultStopped says whether f, a block's own run, stops the document
// once it has run, and with what error: that its last attempt's record
// keeps (store.Instance.ResultStop, found when it ended: noteAttemptEnd, endReadKnown),
// no output read. The caller holds e.mu.
func (ds *docState) resultStopped(f *blockState) (msg string, ok bool) {
	if !resultStopRun(f) || len(f.instances) == 0 || f.state() != Finished && f.state() != Failed {
		return "", false
	}
	rec := &f.instances[0].rec
	if rec.AttemptID == "" {
		return "", false
	}
	return rec.ResultStop, rec.ResultStop != ""
}

// mayResultStop reports whether b's record says its results stop the
// document, or that this could not be known (failedStop looks at those
// only).
func mayResultStop(b *blockState) bool {
	return len(b.instances) > 0 && (b.instances[0].rec.ResultStop != "" || b.instances[0].rec.ResultStopUnread)
}

// resultStopReferred reports whether the stop f's results make, with
// error msg, is made before Emacs writes them, and so by a reference
// that runs f's block too (plan.ResultStopReferred): Emacs stops at the
// first block whose reference runs it (stopPlace, stopHolds).
func resultStopReferred(f *blockState, msg string) bool {
	return len(f.instances) > 0 && plan.ResultStopReferred(msg, resultsStayOf(f.instances[0]))
}

// resultsStayOf reports whether the results of in's attempt stop Emacs
// before it writes them: they stay as they were (a record from before
// ResultStopKept says so by its error alone).
func resultsStayOf(in *instState) bool {
	return in.rec.ResultStop != "" && (in.rec.ResultStopKept || plan.StopKeepsResults(in.rec.ResultStop))
}

// shellFileNameStop reports whether f, a "shell" block, stops the
// document because the shell-file-name an Emacs Lisp block left is no
// string a process can be started with (session.Environment's
// ShellError, kept as its reference error by attempt, which marks it
// shellStop): not a reference error, whatever its message.
func shellFileNameStop(f *blockState) bool {
	return f.refErr != "" && f.shellStop
}

// valueNeedsEmacs is the error a block found in results or added by an
// Emacs Lisp block stops the document with when its value is one only
// Emacs's reader reads as its language's Babel does
// (org.Reader.NeedsEmacs, plan.Task.ValueNeedsEmacsStops) and Borges
// plans no reading of it in Emacs: the reading would run in the
// document's Emacs (a document with Emacs Lisp blocks), which Borges does
// not wire for such a block, and it writes no value it cannot be sure
// of. (In a batch Emacs of its own, the reading is planned:
// plan.Edits.Added.) The message it holds blocks with says which block
// (needsEmacsStopWhy).
const valueNeedsEmacs = "Borges cannot read this value without Emacs, and does not read the value of a block found in results or added by an Emacs Lisp block in the document's Emacs, where the forms may use what its Emacs Lisp blocks defined (a known limitation): stopped here rather than write a value that may be wrong"
