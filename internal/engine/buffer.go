package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// This file serves the document's Emacs, which keeps one Org buffer of the
// document across its tasks (plan's elisp_buffer.go): a task of it waits
// for the blocks whose results it puts in that buffer first
// (Task.BufferResults) to end, finished or not, and its program carries
// those results as the result document writes them.

// bufferNames are the tasks whose results b puts in the document's
// buffer: its task's, then those of blocks added to the buffer
// (added.go), each with the tasks of its :post chain (addPosts), which
// Emacs runs before it goes on. The caller holds e.mu.
func (b *blockState) bufferNames() []string {
	var out []string
	for _, br := range b.task.BufferResults {
		out = append(out, br.Task)
	}
	for _, a := range b.putIn {
		out = append(out, a.Block)
		out = b.doc.appendAddedPosts(out, a.Block)
	}
	return out
}

// appendAddedPosts appends to out the tasks of the :post chains of the
// blocks by added to the buffer (isAddedPost), in the order of ds.blocks
// (the order blocks came, added ones last), and returns it: read from an
// index that the blocks coming, going or changing their task weigh again
// (knowAddedPosts), not a search of every block for each block whose
// results a task puts in the buffer, and appended to the caller's slice
// rather than copied into one of their own. The caller holds e.mu.
func (ds *docState) appendAddedPosts(out []string, by string) []string {
	ds.knowAddedPosts()
	for _, p := range ds.addedPosts[by] {
		out = append(out, p.name)
	}
	return out
}

// untilEnded adds to deps the task name while it has not ended, finished
// or not: what a task of the document's Emacs needs of it (its results,
// its environment) stands once it ended, however it ended.
func (ds *docState) untilEnded(name string, deps map[string]State) map[string]State {
	s := ds.blockState(name)
	if s == Finished || ended(s) || ds.byName[name] == nil {
		return deps
	}
	if deps == nil {
		deps = map[string]State{}
	}
	deps[name] = s
	return deps
}

// takeOverBuffer is b's task as it runs: with the buffer work of the
// tasks before it in the document's Emacs that did not run (a reading of
// output that needed no Emacs, a cached block), which never got an
// attempt (plan.Task.TakeOverBuffer), the results of the blocks found in
// results they were to put in with it (putting). The caller holds e.mu.
func (ds *docState) takeOverBuffer(b *blockState) *plan.Task {
	if b.task.BufferPrev == "" {
		return b.putting(b.task)
	}
	return b.putting(b.task).TakeOverBuffer(func(name string) (*plan.Task, bool) {
		p := ds.byName[name]
		if p == nil || p.task == nil || len(p.instances) == 0 {
			return nil, true
		}
		return p.putting(p.task), p.instances[0].rec.AttemptID != ""
	})
}

// bufferResults are the results the program of b (running as task t, see
// takeOverBuffer) puts in the document's buffer, by task, as
// ResultDocument writes them; a block not run (its cached results stand)
// has none: its results are in the document. The caller holds e.mu.
func (e *Engine) bufferResults(b *blockState, t *plan.Task, doc *org.Document) (map[string]org.Result, error) {
	if len(t.BufferResults) == 0 {
		return nil, nil
	}
	out := make(map[string]org.Result, len(t.BufferResults))
	stopped := b.doc.stoppedChains()
	for _, br := range t.BufferResults {
		w := b.doc.byName[br.Task]
		if w == nil || w.task == nil || len(w.instances) == 0 {
			continue
		}
		if _, ok := b.doc.redirectedResults(w); !ok || len(w.instances) == 1 && stoppedUnwritten(w.instances[0]) || stopped[b.doc.chainRoot(w)] {
			continue
		}
		if parts, ok := resultParts(w); ok {
			out[br.Task] = e.readParts(w.task, parts)
			continue
		}
		in := w.instances[0]
		if State(in.rec.State) != Finished || in.rec.AttemptID == "" {
			continue
		}
		var refs map[string]plan.Value
		if w.task.Cache {
			refs = e.refsOf(w)
		}
		r, err := e.finishedResult(doc, w.task, in.rec.AttemptID, refs)
		if err != nil {
			return nil, err
		}
		out[br.Task] = r
	}
	return out, nil
}

// The document written back is the Org buffer of the document's Emacs
// (of the first one, plan.WrittenEmacs, when blocks ask for several; in
// a document with none, of the Emacs blocks found in results run in,
// once one has changed it: reportedEmacs):
// a task of it that changed the buffer leaves a report of it in its
// attempt (session.BufferFile), and write-back starts from the latest
// one of the tasks that have ended (org.Document.WriteResultsIn). A
// task queued again (its session running again after a restart) does not
// count: its report was of a buffer that Emacs is building anew.

// bufferAttempts are the ended attempts of the tasks of the Emacs the
// document is written back from, the latest first in the order that
// Emacs ran them (each after the one before it there); one whose report
// is being read (reportUnread) counts once it is read, as ended then.
// The caller holds e.mu.
func (ds *docState) bufferAttempts() []string {
	if ds.plan == nil {
		return nil
	}
	key := ds.reportedEmacs()
	if key == "" {
		return nil
	}
	members := ds.sessionBlocks(key)
	in := make(map[string]bool, len(members))
	for _, b := range members {
		in[b.name] = true
	}
	// The order Emacs ran them: each after what it waits for there.
	var order []*blockState
	seen := make(map[*blockState]bool, len(members))
	var visit func(b *blockState)
	visit = func(b *blockState) {
		if seen[b] {
			return
		}
		seen[b] = true
		for _, a := range b.task.After {
			if in[a] {
				visit(ds.byName[a])
			}
		}
		order = append(order, b)
	}
	for _, b := range members {
		visit(b)
	}
	var out []string
	for i := len(order) - 1; i >= 0; i-- {
		for _, in := range order[i].instances {
			if State(in.rec.State).Terminal() && in.rec.AttemptID != "" && !in.reportUnread() {
				out = append(out, in.rec.AttemptID)
			}
		}
	}
	return out
}

// bufferReport is the latest report of the buffer among attempts (latest
// first), nil when none has one. It reads each attempt that has none
// once, and keeps the latest reports read, parsed (e.parsedReports,
// within reportBudget; one let go is read again); a report known to be
// there (kept) that fails to read is an error, never a reason to go on
// to an earlier one. The caller does not hold e.mu.
func (e *Engine) bufferReport(attempts []string) (*org.BufferReport, error) {
	rep, _, err := e.bufferReportRead(attempts)
	return rep, err
}

// bufferReportRead is bufferReport, and whether the latest report there
// is could not be read (larger than a result may be, or not a report):
// nil then is not "no report", as the buffer may have changed. A read
// that fails is the error, whether the report was read before (kept) or
// not: what it holds is not known, and an earlier report is not what
// the buffer holds. The caller does not hold e.mu.
func (e *Engine) bufferReportRead(attempts []string) (rep *org.BufferReport, unreadable bool, err error) {
	for _, a := range attempts {
		rep, unreadable, err := e.readReport(context.Background(), a)
		if err != nil {
			// Kept or never read: not known, never none
			// (firstRead).
			return nil, false, err
		}
		if rep != nil || unreadable {
			return rep, unreadable, nil
		}
	}
	return nil, false, nil
}

// bufferReportMarked is bufferReportRead for what needs to know only
// whether the latest report among attempts is there, or cannot be read:
// an attempt whose report was read is answered from what was kept of
// it, whether or not its text is still kept (reportBudget). The caller
// does not hold e.mu, unless the reports were read before.
func (e *Engine) bufferReportMarked(attempts []string) (has, unreadable bool) {
	for _, a := range attempts {
		if k, ok := e.reports.Load(a); ok {
			return !k.(keptReport).unreadable, k.(keptReport).unreadable
		}
		// Not kept: a read that fails is not none; it counts as
		// there, as what is decided from it then waits or fails
		// (reportLocked reads it again off the lock).
		rep, unreadable, err := e.bufferReportRead([]string{a})
		if err != nil || rep != nil || unreadable {
			return rep != nil || err != nil, unreadable
		}
	}
	return false, false
}

// reportThere reports whether attempt left a report that can be read
// (bufferReportMarked).
func (e *Engine) reportThere(attempt string) bool {
	has, _ := e.bufferReportMarked([]string{attempt})
	return has
}

// keptReport is what the read of an attempt's report found, kept for as
// long as its document is: a report (its text, parsed, kept within a
// budget, e.parsedReports), or one that cannot be read (larger than a
// result may be, or not a report), which is read no more either.
type keptReport struct {
	unreadable bool
	// failed counts the reads again of a report let go that failed at
	// every try, in a row (reloaded); lost, once reportReloadRounds
	// did, says why it is lost: it is read no more, and what needs it
	// fails saying so (reportLost).
	failed int
	lost   string
	// failingSince is when the first of those failed (reloadCounted).
	failingSince time.Time
	// neverRead: lost at its first read (firstReadLost), so not known
	// to have been a report at all.
	neverRead bool
	// maybe: not known to be a report: its record, of an older Borges,
	// does not say (store.Instance.BufferReportKnown), and its read at
	// a start failed (preread). Held as a report let go, read again,
	// until a read says what it is: none, unreadable, or a report.
	maybe bool
}

// errReportGone: a report read before reads now as none (its file gone
// or emptied): it is not none, which would decide the buffer as it
// was submitted.
var errReportGone = errors.New("its file is no longer there")

// readReport is the report of the buffer attempt left, read once and
// kept (e.reports, its text parsed in e.parsedReports while within
// reportBudget, read again once let go; e.unreported when it has
// none), each read of the
// backend under ctx: nil for none, unreadable when it cannot be read
// (larger than a result may be, or not a report), an error, nothing
// kept, when the read failed. The caller does not hold e.mu, unless the
// report was read before (reportReadOff, prereadReports).
func (e *Engine) readReport(ctx context.Context, a string) (rep *org.BufferReport, unreadable bool, err error) {
	k, kept := e.reports.Load(a)
	if kept {
		if k.(keptReport).unreadable {
			return nil, true, nil
		}
		if why := k.(keptReport).lost; why != "" {
			return nil, false, errors.New(why)
		}
		if rep := e.parsedReports.get(a); rep != nil {
			return rep, false, nil
		}
		// Let go (reportBudget): read again, as it was.
	} else if _, none := e.unreported.Load(a); none {
		return nil, false, nil
	}
	text, size, err := e.readCappedCtx(ctx, a, session.BufferFile, e.cfg.MaxResultBytes)
	if errors.Is(err, fs.ErrNotExist) {
		text, err = "", nil
	}
	if err != nil {
		return nil, false, err
	}
	if kept && k.(keptReport).maybe {
		// Never read: what it reads as now is what it is.
		if e.reports.CompareAndDelete(a, k) {
			kept = false
		} else if k, kept = e.reports.Load(a); kept {
			return e.readReport(ctx, a) // decided meanwhile
		}
	}
	if kept {
		// Read before: what reads now as none, or as no report, is
		// a failed read, not what the report was (reloaded counts
		// them).
		if text == "" {
			return nil, false, errReportGone
		}
		if size > int64(len(text)) {
			return nil, false, fmt.Errorf("it is now larger (%s) than a result may be", FormatSize(size))
		}
		rep, perr := org.ParseBufferReport(text)
		if perr != nil {
			return nil, false, fmt.Errorf("what is read is not a report: %w", perr)
		}
		e.parsedReports.put(a, rep)
		e.reportReadAgain(a, k.(keptReport))
		return rep, false, nil
	}
	if text == "" {
		e.unreported.Store(a, true)
		return nil, false, nil
	}
	if size > int64(len(text)) {
		e.log.Warn("the report of the document's Emacs buffer is larger than a result may be: the document is written back from the text submitted", "attempt", a, "size", size)
		e.reports.Store(a, keptReport{unreadable: true})
		return nil, true, nil
	}
	rep, perr := org.ParseBufferReport(text)
	if perr != nil {
		e.log.Warn("reading the report of the document's Emacs buffer: the document is written back from the text submitted", "attempt", a, "err", perr)
		e.reports.Store(a, keptReport{unreadable: true})
		return nil, true, nil
	}
	e.parsedReports.put(a, rep)
	e.reports.Store(a, keptReport{})
	return rep, false, nil
}

// reportReadAgain starts anew the count of failed reads again of the
// report of a (keptReport.failed), read now, k as it was when the read
// started; off the lock, so only while it is as it was then
// (CompareAndSwap): one counted meanwhile (reloadCounted, under e.mu)
// is not undone, and one lost stays lost.
func (e *Engine) reportReadAgain(a string, k keptReport) {
	if k.failed == 0 || k.lost != "" || k.unreadable {
		return
	}
	e.reports.CompareAndSwap(a, k, keptReport{})
}

// reportKnown reports whether what the report of attempt a holds is
// known without a read: kept, or known to be none.
func (e *Engine) reportKnown(a string) bool {
	if _, ok := e.reports.Load(a); ok {
		return true
	}
	_, none := e.unreported.Load(a)
	return none
}

// reportFound reports whether attempt a left a report that was read
// (kept, its text or not), not one known as none or that could not be
// read: its record says so (store.Instance.BufferReport).
func (e *Engine) reportFound(a string) bool {
	k, ok := e.reports.Load(a)
	return ok && !k.(keptReport).unreadable && !e.reportUnknown(a)
}

// reportUnknown reports whether what attempt a left was never read: its
// report lost at its first read, or not known to be one (keptReport).
func (e *Engine) reportUnknown(a string) bool {
	k, ok := e.reports.Load(a)
	return ok && (k.(keptReport).neverRead || k.(keptReport).maybe)
}

// forgetReports drops what the engine keeps of the reports of attempts
// ids (their document removed).
func (e *Engine) forgetReports(ids ...string) {
	for _, a := range ids {
		e.unreported.Delete(a)
		e.reports.Delete(a)
		e.parsedReports.drop(a)
	}
}
