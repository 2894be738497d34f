package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// This file writes a document back with its current results, as Babel
// would (ResultDocument), and says where each block's results go. What to
// write is worked out under the engine's lock and the outputs are read
// after it, so that a large output holds no one up.

// redirectedResults is where the results of block b go: a block of an
// earlier block's name writes where that one does (the last one's
// results stay, as in Emacs); a :post task, or one reading its block's
// output in Emacs, in its block's place, unless the block's results
// stand; a block called with arguments nowhere (ok false).
func (ds *docState) redirectedResults(b *blockState) (int, bool) {
	if b.task.Post && ds.cachedStands(b.task.ResultsWith) && !ds.calledCachedStands(b) || emacsReadStands(b) {
		return 0, false
	}
	to := b.task.ResultsIndex()
	if f := ds.foundFirstOfName(b); f != nil {
		to = f.index
	}
	return to, to >= 0
}

// stoppedUnwritten reports whether in's attempt could not start because
// Emacs stops the document at its block (a reference error, or the
// error of its shell-file-name, its :cmdline or a variable's binding:
// blockState.refErr, kept as the record's RefErr): Emacs signals it before it writes any results
// there, so those in the document stay as they were.
//
// So does an Emacs Lisp block's attempt that failed with the error one
// of its own Lisp :var values signalled (lispVarsFailedIn): Emacs
// signals it reading the block's information, before the block runs;
// and one whose body signalled at its own turn (bodyErrorFailedIn):
// Emacs signals it before org-babel-insert-result.
func stoppedUnwritten(in *instState) bool {
	return State(in.rec.State) == Failed && (in.rec.RefErr != "" || lispVarsFailedIn(in) || bodyErrorFailedIn(in))
}

// valueReadStops reports whether b is a block's own run whose value is
// read in Go, no reading in Emacs planned (a JavaScript block's written
// nowhere, or one added or found in results: plan.Task.FailureStops,
// ValueNeedsEmacsStops), and Emacs cannot read the value it ended with
// (readFails, org.JSReadError: org-babel-js-read signals before
// org-babel-insert-result), or Borges cannot read it without Emacs
// (valueNeedsEmacs): nothing is written under it. The caller holds
// e.mu.
func (ds *docState) valueReadStops(b *blockState) bool {
	if b.task == nil || b.task.ReadsOutput || plan.StopsOnLispError(b.task) ||
		!(b.task.FailureStops && b.task.Reader == org.ReadJS) && !b.task.ValueNeedsEmacsStops {
		return false
	}
	_, ok := ds.readFails(b)
	return ok
}

// stoppedChains are the blocks whose :post chain stopped Emacs before
// it wrote their value: a task of the chain whose attempt could not
// start for a stop (stoppedUnwritten), whose output stops Emacs before
// it is read (resultsStayOf: a value of raw bytes written to a
// temporary file), or whose value Emacs cannot read (readFails of a task
// whose failure stops the document, a JavaScript :post's). Emacs resolves a block's :post before
// org-babel-insert-result, so such a block's results stay as they
// were, not its own value written. So do those of a block whose own
// results stop Emacs before its :post is called (rootStops: a Perl
// block :results output that exits non-zero, inline too): its :post,
// never run, writes nothing there either. The caller holds e.mu.
func (ds *docState) stoppedChains() map[*blockState]bool {
	var out map[*blockState]bool
	for _, p := range ds.blocks {
		if !ds.stopsChain(p) && !ds.rootStops(p) {
			continue
		}
		if r := ds.chainRoot(p); r != nil {
			if out == nil {
				out = map[*blockState]bool{}
			}
			out[r] = true
		}
	}
	return out
}

// rootStops reports whether p is a :post's task whose chain's block
// stopped Emacs with its own results, which stay as they were
// (resultsStayOf): Babel signals inside the language's function, before
// it calls the :post; or whose chain's block stopped Emacs before it
// could run (stoppedUnwritten: a reference's error, a Lisp :var
// value's) or as it ran (an Emacs Lisp block's body's error, which
// leaves org-babel-execute-src-block before its :post's turn): the
// :post, never run, writes nothing in its place (stoppedChains). The
// caller holds e.mu.
func (ds *docState) rootStops(p *blockState) bool {
	if p.task == nil || !p.task.Post {
		return false
	}
	r := ds.chainRoot(p)
	return r != nil && r != p && len(r.instances) == 1 && (resultsStayOf(r.instances[0]) || stoppedUnwritten(r.instances[0]))
}

// stopsChain reports whether p, a task of a :post chain or the reading
// of a block's value in Emacs, stopped the document before Emacs wrote
// the value of its chain's block
// (stoppedChains). The caller holds e.mu.
func (ds *docState) stopsChain(p *blockState) bool {
	if p.task == nil || len(p.instances) != 1 {
		return false
	}
	if p.task.ReadsOutput && p.task.FailureStops {
		// The reading in Emacs of a JavaScript value that stopped the
		// document (its reader fails on it, org.JSReadError):
		// org-babel-js-read signals before org-babel-insert-result,
		// and neither the block's value nor the reading's failure is
		// written.
		_, ok := ds.readFails(p)
		return ok
	}
	if !p.task.Post {
		// A block whose :post calls a block :eval refuses: a Lisp
		// :var value of that block, evaluated inside the :post
		// (plan.Task.PostNil, PostLispVars), signalled.
		return p.task.PostNil && ds.lispVarFails(p)
	}
	return stoppedUnwritten(p.instances[0]) || resultsStayOf(p.instances[0]) || ds.postReadFails(p) || ds.lispVarFails(p)
}

// lispVarFails reports whether a Lisp :var value of the block p, a :post's
// task, calls, or of a block that one's :var values, noweb references or
// :stdin run (plan.Task.PostLispVars, found as the plan is built),
// signalled an error, which stops the document inside the :post
// (plan.StopsOnLispError). The caller holds e.mu.
func (ds *docState) lispVarFails(p *blockState) bool {
	for _, a := range p.task.PostLispVars() {
		if f := ds.byName[a]; f != nil && f.task != nil && f.task.LispVarPost() == p.name && plan.StopsOnLispError(f.task) {
			if _, ok := ds.readFails(f); ok {
				return true
			}
		}
	}
	return false
}

// chainStopped reports whether the :post chain of b, a chain's root
// (chainRoot), stopped the document (stoppedChains, for one block): a
// task of it or the reading of b's value in Emacs, a dependent of b or of a task of it whose root is b,
// stopsChain. The caller holds e.mu.
func (ds *docState) chainStopped(b *blockState) bool {
	return ds.chainHas(b, true, ds.stopsChain)
}

// chainHas reports whether f holds for a task of b's :post chain (b
// its root: chainRoot), with readers a reading of a value in Emacs too,
// a dependent of b or of a task of it whose root is b. The caller holds
// e.mu.
func (ds *docState) chainHas(b *blockState, readers bool, f func(*blockState) bool) bool {
	next := []*blockState{b}
	// Bounded: a chain is no longer than the blocks.
	for n := 0; len(next) > 0 && n <= len(ds.blocks); n++ {
		x := next[len(next)-1]
		next = next[:len(next)-1]
		for _, d := range x.dependents {
			if d.task == nil || !d.task.Post && (!readers || !d.task.ReadsOutput) || ds.chainRoot(d) != b {
				continue
			}
			if f(d) {
				return true
			}
			next = append(next, d)
		}
	}
	return false
}

// postStopKept is the message a view shows for a block of
// stoppedChains, which finished but whose results were not written.
const postStopKept = "results kept as they were: its :post stopped org-babel-execute-buffer"

// keptMessage is the message a view shows for b, a block of
// stoppedChains: where it is the reading of b's value in Emacs that
// stopped the document (its reader fails on the value, known in Go or
// from that reading's failure), that error (readStopKept), the block
// having no :post to blame; postStopKept otherwise. The caller holds
// e.mu.
func (ds *docState) keptMessage(b *blockState) string {
	r := ds.readerOf(b)
	if r == nil || !ds.stopsChain(r) {
		return postStopKept
	}
	if msg, ok := ds.readFails(r); ok && msg != "" {
		return readStopKept + msg
	}
	return postStopKept
}

// readStopKept begins keptMessage's message for a block whose value
// Emacs's reader fails on, then the reader's error.
const readStopKept = "results kept as they were: org-babel-execute-buffer stopped at this block, Emacs could not read its value: "

// postReadFails reports whether p, a task of a :post chain, or the
// reading of its output in Emacs, stops the document as Emacs reads its
// value (readFails). The caller holds e.mu.
func (ds *docState) postReadFails(p *blockState) bool {
	for _, f := range []*blockState{p, ds.byName[plan.ReaderOf(p.name)]} {
		if f != nil && f.task != nil && f.task.FailureStops {
			if _, ok := ds.readFails(f); ok {
				return true
			}
		}
	}
	return false
}

// chainRoot is the block whose results b's go in place of
// (plan.ChainRoot, the rule the differential runner keeps results by
// too): b itself for a block's own run; nil when a block of the chain
// is not known. The caller holds e.mu.
func (ds *docState) chainRoot(b *blockState) *blockState {
	if b == nil || b.task == nil {
		return b
	}
	r := plan.ChainRoot(b.task, ds.taskNamed, len(ds.blocks))
	if r == nil {
		return nil
	}
	return ds.byName[r.Block]
}

// taskNamed is the task of the block of that name, nil when there is
// none. The caller holds e.mu.
func (ds *docState) taskNamed(name string) *plan.Task {
	if b := ds.byName[name]; b != nil {
		return b.task
	}
	return nil
}

// foundFirstOfName is, for a block of the document whose results go to
// the first block of its #+name in the document that writes results
// (its own, or an earlier block's), the block of that name found in
// results that Emacs runs before that first block (found in the results
// of a block before it) and that writes its results in its own place:
// the first "#+RESULTS: name" of the buffer is that block's by the time
// Emacs runs the document's, which write theirs there. A block that
// writes none (:results silent or none) leaves no "#+RESULTS:" to find,
// unless it kept one from before under it (keptResults). Names are
// compared ignoring case, as Emacs finds "#+RESULTS: name".
// nil when there is none. The caller holds e.mu.
func (ds *docState) foundFirstOfName(b *blockState) *blockState {
	if b.addedBy != "" || b.task == nil || b.task.Post || b.task.ReadsOutput || b.task.WritesNoResults() {
		return nil
	}
	first := b
	if w := b.task.ResultsWith; w != "" {
		first = ds.byName[w]
		if first == nil || first.addedBy != "" || first.task == nil || first.task.ResultsWith != "" {
			return nil
		}
	}
	if !first.task.Named {
		return nil
	}
	var out *blockState
	for _, f := range ds.foundNamed[org.FoldKey(first.task.Name)] {
		if f.task == nil || f.task.ResultsWith != "" || f.task.WritesNoResults() && !f.keptResults {
			continue
		}
		if r := ds.rootOf(f); r == nil || r.index >= first.index {
			continue
		}
		if out == nil || ds.runOrder(f, out) < 0 {
			out = f
		}
	}
	return out
}

// indexFound adds b, a block found in results with a #+name
// (foundKey), to ds.foundNamed, or removes it (gone): the blocks
// foundFirstOfName looks through. The caller holds e.mu.
func (ds *docState) indexFound(b *blockState, gone bool) {
	if b.foundKey == "" {
		return
	}
	if !gone {
		if ds.foundNamed == nil {
			ds.foundNamed = map[string][]*blockState{}
		}
		ds.foundNamed[b.foundKey] = append(ds.foundNamed[b.foundKey], b)
		return
	}
	l := slices.DeleteFunc(ds.foundNamed[b.foundKey], func(f *blockState) bool { return f == b })
	if len(l) == 0 {
		delete(ds.foundNamed, b.foundKey)
		return
	}
	ds.foundNamed[b.foundKey] = l
}

// rootOf is the block of the document up b's chain of owners (the block
// whose results held it, or that added it, in turn); b itself for a
// block of the document, nil when an owner is not known. The caller
// holds e.mu.
func (ds *docState) rootOf(b *blockState) *blockState {
	// A chain longer than the blocks goes round: no owner is known.
	// Counted, not remembered, so that asking allocates nothing.
	for n := 0; b != nil && b.addedBy != "" && n <= len(ds.blocks); n++ {
		b = ds.byName[b.addedBy]
	}
	if b == nil || b.addedBy != "" {
		return nil
	}
	return b
}

// runOrder compares blocks x and y by the order org-babel-execute-buffer
// runs them in: a block of the document in its place, the blocks found
// in its results (or added by it), in turn, after it and before the next
// block of the document, by line. The caller holds e.mu.
func (ds *docState) runOrder(x, y *blockState) int {
	key := func(b *blockState) (int, int, int) {
		r := ds.rootOf(b)
		if r == nil {
			return int(^uint(0) >> 1), 1, b.line
		}
		if r == b {
			return b.index, 0, 0
		}
		return r.index, 1, b.line
	}
	xi, xf, xl := key(x)
	yi, yf, yl := key(y)
	if c := cmp.Compare(xi, yi); c != 0 {
		return c
	}
	if c := cmp.Compare(xf, yf); c != 0 {
		return c
	}
	return cmp.Compare(xl, yl)
}

// ResultDocument is the document with current results written back:
// finished blocks get their output, running ones a status line and their
// output so far, failed ones and those run as several instances a drawer
// (failures.go).
//
// A report of the Org buffer the results are decided from whose text was
// let go (reportBudget) is read again off the lock, waited for without
// it, and kept (pinned) until the document is written. When it cannot be
// read (every try failed, or the engine is stopping), or after
// resultReloadRounds rounds, the document is not written as if the
// blocks were as submitted: the error is ErrReportUnread; once a report
// is lost (reportReloadRounds reads again of it failed), ErrReportLost.
//
// It is encoded as the sender's file held it (SubmitDecoded), as Emacs
// saves the buffer; ResultText is it as the buffer holds it.
func (e *Engine) ResultDocument(ctx context.Context, id string) (string, error) {
	text, enc, err := e.resultText(ctx, id)
	if err != nil {
		return text, err
	}
	// A character the document's coding cannot hold: Emacs asks
	// which coding to save in (org.ErrCannotSave).
	return enc.Encode(text)
}

// ResultText is ResultDocument as Emacs's buffer holds it (decoded), for
// its rendering.
func (e *Engine) ResultText(ctx context.Context, id string) (string, error) {
	text, _, err := e.resultText(ctx, id)
	return text, err
}

func (e *Engine) resultText(ctx context.Context, id string) (string, org.Encoding, error) {
	text, _, err := e.writeBack(ctx, id)
	if err != nil {
		return text, org.Encoding{}, err
	}
	e.mu.Lock()
	var enc org.Encoding
	if ds := e.docs[id]; ds != nil {
		enc = ds.enc
	}
	e.mu.Unlock()
	return text, enc, nil
}

// writeBack is ResultDocument, and whether what it found is of the
// document as it still is once it has ended (current, false on an error
// before it made the document): whatever it
// noted of it (writeBackNote) is noted only then, for a change of the
// document meanwhile (docState.changes: a restart, a block ended) makes
// what it found out of date.
func (e *Engine) writeBack(ctx context.Context, id string) (string, bool, error) {
	var current bool
	var pinned []string
	defer func() {
		for _, a := range pinned {
			e.parsedReports.unpin(a)
		}
	}()
	for round := 0; ; round++ {
		text, reloads, err := e.resultDocument(id, true, &current)
		if err != nil || len(reloads) == 0 {
			return text, current, err
		}
		for _, r := range reloads {
			pinned = append(pinned, r.attempt) // by resultDocument
		}
		if round == resultReloadRounds {
			return "", false, fmt.Errorf("document %s: %w", id, ErrReportUnread)
		}
		for _, r := range reloads {
			if r.pausing {
				// Its reads failed before: it waits (up to
				// reloadPauseMost) before it reads again; the
				// request is not held that long.
				return "", false, fmt.Errorf("document %s: %w", id, ErrReportUnread)
			}
			select {
			case <-r.done:
			case <-ctx.Done():
				return "", false, ctx.Err()
			}
			if !r.read {
				if why := e.reportLost(r.attempt); why != "" {
					e.mu.Lock()
					err := e.lostReportErr(r.ds)
					e.mu.Unlock()
					if err != nil {
						return "", false, err
					}
				}
				e.log.Warn("writing the results document: a report of the Org buffer it is decided from could not be read again", "doc", id, "attempt", r.attempt)
				return "", false, fmt.Errorf("document %s: %w", id, ErrReportUnread)
			}
		}
	}
}

// afterWriteBackSnapshot, set by the package's tests, is called by
// resultDocument with document id once it has taken what it writes back
// from, the lock let go; nil otherwise.
var afterWriteBackSnapshot func(e *Engine, id string)

// resultReloadRounds bounds the rounds ResultDocument waits for reports
// read again: each is pinned once read, so the second round finds them.
const resultReloadRounds = 3

// resultDocument is ResultDocument, or, when wait says so and the
// reports some results are decided from are read again off the lock
// (reloadReport), those reads, to wait for before it is made again;
// their reports are kept (pinned) until the caller unpins them. Once it
// has made the document, current is set to whether the document has not
// changed since it took what it writes back from (writeBack).
func (e *Engine) resultDocument(id string, wait bool, current *bool) (string, []*reportReload, error) {
	ds, err := e.lockedDoc(id)
	if err != nil {
		return "", nil, err
	}
	var reloads []*reportReload
	if !ds.planned {
		e.mu.Unlock()
		return ds.text, nil, nil
	}
	if s := ds.refusedEnd; s != nil && s.Stop == "" && len(s.Runs) == 0 {
		// Its :var values, which Borges does not evaluate, may stop
		// Emacs there or change the buffer (insert text): writing the
		// document as if they did neither would be silently wrong.
		e.mu.Unlock()
		return "", nil, fmt.Errorf("document %s: line %d of the Org buffer: block %s: as it stands there, %s: %w", id, s.Line, s.Name, s.Unread, ErrEndUnknown)
	}
	type pending struct {
		// from is the block whose results they are; index is where
		// they are written (redirectedResults: blocks added at one
		// key, a found block and the runs its references make,
		// addCalls, share theirs).
		from    *blockState
		index   int
		attempt string
		status  string
		task    *plan.Task
		refs    map[string]plan.Value // for the hash of a :cache yes block
		parts   []partPlan            // failures and instances (failures.go)
		// called, for a :post task not run, is the value of the
		// cached results of the block a :post of its chain calls,
		// written in its owner's place (calledCachedStands).
		called *plan.Value
		// writtenBy is, for results going to the "#+RESULTS: name" of
		// a found block (one that writes results, or writes none but
		// kept them, keptResults), the index of the block whose they
		// are, whose header says how they are written, as Emacs
		// writes them by the block it ran; -1 otherwise.
		writtenBy int
	}
	var todo []pending
	stopped := ds.stoppedChains()
	past := &pastStop{ds: ds}
	// pastSkipped is whether some results are left unwritten so.
	pastSkipped := false
	for _, b := range ds.inResultsOrder() {
		if b.task == nil || len(b.instances) == 0 {
			continue
		}
		if len(b.instances) == 1 && (resultsStayOf(b.instances[0]) || stoppedUnwritten(b.instances[0]) || failedInline(b, b.instances[0])) || stopped[ds.chainRoot(b)] || ds.valueReadStops(b) {
			// Emacs stops before it writes them: the results there
			// stay as they were (an inline block that exited
			// non-zero: Org refuses org-babel-eval's nil inline).
			continue
		}
		if past.unwrittenPastStop(b) {
			// Its turn, past the stop, never comes (paststop.go).
			pastSkipped = true
			continue
		}
		if ds.chainRoot(b) == b && ds.postHeld(b) {
			// Its :post, held by a stop before its turn, never
			// ran, nor does Emacs run it (depheld.go).
			pastSkipped = true
			continue
		}
		if parts, ok := resultParts(b); ok {
			todo = append(todo, pending{from: b, task: b.task, parts: parts})
			continue
		}
		in := b.instances[0]
		switch State(in.rec.State) {
		case Finished:
			if in.rec.AttemptID == "" && ds.calledCachedStands(b) {
				v := e.valueOf(b)
				p := pending{from: b, task: b.task, called: &v}
				if b.task.Cache {
					p.refs = e.refsOf(b)
				}
				todo = append(todo, p)
				continue
			}
			if in.rec.AttemptID == "" {
				continue // not run: its cached results stand
			}
			t, w := e.ranTaskWait(b)
			if r, ok := w.(*reportReload); ok && wait {
				// Kept, once read, until the document is
				// written (pinned before the read ends).
				e.parsedReports.pin(r.attempt)
				reloads = append(reloads, r)
			}
			p := pending{from: b, attempt: in.rec.AttemptID, task: t}
			if t.Cache {
				// The references of the task it ran, not those of
				// the one submitted.
				p.refs = e.refsOfTask(b, t)
			}
			todo = append(todo, p)
		case Running, Staged:
			since := ""
			if in.rec.StartedAt != nil {
				since = " since " + in.rec.StartedAt.Format(time.RFC3339)
			}
			todo = append(todo, pending{from: b, attempt: in.rec.AttemptID, status: fmt.Sprintf("borges: %s%s (attempt %d)", in.rec.State, since, in.rec.Tries())})
		case Queued:
			if in.rec.Tries() > 0 && in.rec.AttemptID != "" {
				todo = append(todo, pending{from: b, attempt: in.rec.AttemptID, status: fmt.Sprintf("borges: restarting (attempt %d ended: %s)", in.rec.Tries(), in.rec.Message)})
			}
		}
	}
	// Results written in another block's place, or nowhere (see
	// redirectedResults).
	kept := todo[:0]
	for _, p := range todo {
		var ok bool
		if p.index, ok = ds.redirectedResults(p.from); !ok {
			continue
		}
		p.writtenBy = -1
		if ds.foundFirstOfName(p.from) != nil {
			p.writtenBy = p.from.index
		}
		kept = append(kept, p)
	}
	todo = kept
	// A report lost: the document is not written as if the buffer
	// were as submitted, which Emacs would not write (as a document
	// Borges cannot reproduce is refused); the blocks' states and
	// outputs are there to see.
	if err := e.lostReportErr(ds); err != nil {
		e.mu.Unlock()
		return "", nil, err
	}
	if ds.reportsFailing() {
		// A report whose first read failed: not known, neither a
		// report nor none (firstRead).
		e.mu.Unlock()
		return "", nil, fmt.Errorf("document %s: %w", id, ErrReportUnread)
	}
	buffered := ds.bufferAttempts()
	if wait {
		// The report written back from, let go, read again too,
		// rather than passed over for an earlier one (bufferReport).
		if r := e.latestReload(ds, buffered); r != nil {
			e.parsedReports.pin(r.attempt)
			reloads = append(reloads, r)
		}
	}
	if len(reloads) > 0 {
		e.mu.Unlock()
		return "", reloads, nil
	}
	foundIn, searchFrom := ds.foundIn, ds.searchFrom
	changedBase, changedIn := ds.changedBase, ds.changedIn
	changedStop := -1
	if ds.stopped != nil {
		if a, ok := ds.stopped.Stop(); ok {
			changedStop = a.Key
		}
	}
	// With no Emacs of the document's own, buffered are those of the
	// Emacs blocks found in results run in (reportedEmacs).
	foundEmacs := ds.writtenEmacs() == ""
	ended := e.briefOf(ds).state != Running
	pl, written := ds.plan, ds.writtenEmacs()
	taken := ds.changes
	doc, err := e.parsed(ds)
	e.mu.Unlock()
	if err != nil {
		return "", nil, err
	}
	if afterWriteBackSnapshot != nil {
		afterWriteBackSnapshot(e, id)
	}
	results := map[int]org.Result{}
	for _, p := range todo {
		t := p.task
		if p.parts != nil {
			results[p.index] = e.readParts(t, p.parts)
			continue
		}
		if p.called != nil {
			var hash string
			if t.Cache {
				if hash, err = plan.CacheHash(doc, t, p.refs); err != nil {
					return "", nil, err
				}
			}
			results[p.index] = plan.CalledCachedResult(t, *p.called, hash)
			continue
		}
		if p.status != "" || t == nil {
			// Not finished: the output so far, under a status line.
			out, size := e.readCapped(p.attempt, "stdout", e.cfg.MaxResultBytes)
			status := p.status
			if size > int64(len(out)) && status != "" {
				status += fmt.Sprintf("; the first %s of %s of its output are shown", FormatSize(int64(len(out))), FormatSize(size))
			}
			results[p.index] = org.Result{Output: out, Status: status}
			continue
		}
		r, err := e.finishedResult(doc, t, p.attempt, p.refs)
		if err != nil {
			return "", nil, err
		}
		results[p.index] = r
	}
	for _, p := range todo {
		if r, ok := results[p.index]; ok && p.writtenBy >= 0 {
			r.WrittenBy = doc.BlockAt(p.writtenBy)
			results[p.index] = r
		}
	}
	rep, err := e.bufferReport(buffered)
	if err != nil {
		return "", nil, fmt.Errorf("document %s: %w: %v", id, ErrReportUnread, err)
	}
	if rep == nil && foundIn != nil || rep != nil && foundEmacs {
		// The blocks found in the results written have their results
		// where Emacs writes them (found.go): in the buffer with the
		// finished blocks' results, searched as before.
		finished := writtenOf(results)
		if pastSkipped {
			// A buffer searched before the stop was known may hold
			// those results, which a search keeps: searched again,
			// without them.
			foundIn = nil
		}
		if rep != nil && searchFrom != nil && sameReport(searchFrom, rep) {
			// The search went on from this report of the Emacs blocks
			// found in results run in (foundfrom.go): its buffer is
			// written, with the blocks found there as that search
			// keyed them, or the document is refused.
			var from *org.BufferReport
			if foundIn != nil {
				from = doc.ReportResults(finished, foundIn)
			}
			ext, ferr := doc.ReportFoundFrom(finished, results, rep, from, doc.ReportResults(finished, nil))
			if ferr != nil {
				*current = e.noteWriteBack(ds, taken, fmt.Sprintf("the results document is not written, as Emacs writes it otherwise: %v", ferr))
				return "", nil, fmt.Errorf("document %s: %w", id, ferr)
			}
			*current = e.noteWriteBack(ds, taken, "")
			return doc.WriteResultsIn(results, ext), nil, nil
		}
		searched := doc.ReportResults(finished, foundIn)
		if rep == nil {
			rep = searched
		} else {
			// The report of the Emacs blocks found in results run
			// in, which places each result of a block found at
			// that very block (org.Document.PlacesAdded, matched by
			// the search's keys), or, where blocks were found in
			// the results of blocks that ended after it reported,
			// with those written in its buffer and searched there
			// (org-babel-execute-buffer goes on in it). Where one
			// is not found there, the document is written from
			// the results, without that Emacs's edit, and a note
			// of the document says so, rather than its results
			// left out or written at another block. A block that
			// Emacs marks and no search found (one an Emacs Lisp
			// block found in results added there, which Emacs
			// runs and Borges does not) stops the write-back with
			// that error: neither placement is Emacs's. So does a
			// block of the document it marks changed past the first
			// block found, which Emacs runs as changed and Borges ran
			// as submitted.
			ext, ferr := doc.ReportFoundAfter(finished, results, rep, searched)
			if errors.Is(ferr, org.ErrFoundMarkNotFound) {
				// Said in the document's notes too, so that its
				// status tells why its results document is refused.
				*current = e.noteWriteBack(ds, taken, fmt.Sprintf("the results document is not written, as Emacs writes it otherwise: %v", ferr))
				return "", nil, fmt.Errorf("document %s: %w", id, ferr)
			}
			note := ""
			if ferr != nil {
				ext = searched
				note = fmt.Sprintf("the document is written from the results, without what the Emacs that blocks found in results ran in changed in its buffer: %v", ferr)
				e.log.Warn("writing the results of blocks found in results in the buffer of the Emacs blocks found before ran in: written from the results", "doc", id, "err", ferr)
			}
			rep = ext
			*current = e.noteWriteBack(ds, taken, note)
			return doc.WriteResultsIn(results, rep), nil, nil
		}
	}
	if rep != nil && !foundEmacs {
		// The report of the document's Emacs, which a task of it
		// changed: the results written there are not searched for
		// blocks (searchesBesideEmacs). Where Emacs finds one in them
		// and runs it, the document is not written without its
		// results: the error names its line, in the notes too.
		// Where the blocks found there were run (searchChanged), their
		// results are written at their marks in that buffer, the
		// search going on from the report it made.
		finished := writtenOf(results)
		if changedBase == nil || !sameReport(changedBase, rep) {
			changedIn = nil
		}
		ext, ferr := doc.ChangedWriteReport(finished, results, rep, changedIn, changedStop)
		if ferr != nil {
			*current = e.noteWriteBack(ds, taken, fmt.Sprintf("the results document is not written, as Emacs writes it otherwise: %v", ferr))
			return "", nil, fmt.Errorf("document %s: %w", id, ferr)
		}
		rep = ext
	}
	if rep == nil && foundIn == nil && !foundEmacs && ended {
		// The document's Emacs, no task of which changed its buffer,
		// the results written not searched beside it as a task of it
		// has no place among the blocks found there (plan.FoundUnplaced:
		// a run no task of known place names, say): where Emacs finds a block
		// in them and runs it, the document is not written without
		// its results: the error names its line, in the notes too.
		// Only once the document has ended: until then the search may
		// come. (Blocks found in the results of a block run again
		// after that Emacs's tasks are not run, as C-c C-c runs the
		// block alone: that document is written.)
		if searched := doc.ReportResults(writtenOf(results), nil); plan.FoundUnplaced(doc, pl, searched, written) {
			if ferr := doc.FoundNotPlaced(searched, changedStop); ferr != nil {
				*current = e.noteWriteBack(ds, taken, fmt.Sprintf("the results document is not written, as Emacs writes it otherwise: %v", ferr))
				return "", nil, fmt.Errorf("document %s: %w", id, ferr)
			}
		}
	}
	e.mu.lockRead()
	*current = ds.changes == taken
	e.mu.Unlock()
	return doc.WriteResultsIn(results, rep), nil, nil
}

// writtenOf are the results of results written as org-babel-execute-buffer
// leaves them (asWritten), where the blocks found in results are searched.
func writtenOf(results map[int]org.Result) map[int]org.Result {
	finished := make(map[int]org.Result, len(results))
	for i, r := range results {
		if asWritten(r) {
			finished[i] = r
		}
	}
	return finished
}

// noteWriteBack has ds's notes say note (writeBackNote), what a
// write-back found of ds as it was when it took what it writes back from
// (taken, its docState.changes then), and reports whether it did: not
// when ds has changed since, for a restart, say, would have it show
// during its new run what the write-back found of the run before.
func (e *Engine) noteWriteBack(ds *docState, taken uint64, note string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if ds.changes != taken {
		return false
	}
	ds.writeBackNote = note
	return true
}

// finishedResult is the result of a finished attempt of task t for
// write-back: its output (cut, under a note, past the results' size
// limit) read as its language's Babel reads it, column and row names put
// back, and for :cache yes its hash (refs the values it was run with).
func (e *Engine) finishedResult(doc *org.Document, t *plan.Task, attempt string, refs map[string]plan.Value) (org.Result, error) {
	r, _, err := e.readFinished(doc, t, attempt, refs)
	return r, err
}

// readFinished is finishedResult, made of what was read of the output when
// a read of it failed, and that read's error (readErr).
func (e *Engine) readFinished(doc *org.Document, t *plan.Task, attempt string, refs map[string]plan.Value) (r org.Result, readErr, err error) {
	out, size, readErr := e.readCappedErr(attempt, resultStream(t), e.cfg.MaxResultBytes)
	r, err = finishedOf(doc, t, out, size, refs)
	return r, readErr, err
}

// finishedOf is finishedResult of the output read, out, of a stream of
// size bytes (more than out when it was cut at the results' size limit).
func finishedOf(doc *org.Document, t *plan.Task, out string, size int64, refs map[string]plan.Value) (org.Result, error) {
	if size > int64(len(out)) {
		out, note := truncatedNote(out, size)
		return org.Result{Output: out, Status: note}, nil
	}
	out = plan.ResultText(t, out)
	r := plan.WithNames(doc, t, refs, org.Result{Output: out, Reader: t.Reader, WithoutFile: t.PostOfFile})
	if t.Cache {
		hash, err := plan.CacheHash(doc, t, refs)
		if err != nil {
			return org.Result{}, err
		}
		r.Hash = hash
	}
	return plan.RanAs(t, r), nil
}
