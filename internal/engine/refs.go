package engine

import (
	"fmt"
	"slices"

	"github.com/wallyqs/borges/internal/plan"
)

// This file works out what a block refers to: the result values of the
// blocks it depends on (:var), read from their outputs once and kept, and
// whether the results of a :cache yes block in the document still stand.
// The scheduling pass and the result documents both ask it.

// refsOf are the result values of the finished blocks b depends on, by
// name (read once, then kept): what they printed, or for a block not run
// because its cached results stand, those results as Babel reads them
// back. The caller holds e.mu.
func (e *Engine) refsOf(b *blockState) map[string]plan.Value {
	return e.refsOfTask(b, b.task)
}

// failedThis is the *this* of t, a :post, after src, the block whose
// result it is (or the :post task before it in a chain), failed with
// org-babel-eval's nil: plan.FailedThis where src is t's block, the link
// to its :file if it has one; nil otherwise, or where the document does
// not parse. The caller holds e.mu.
func (e *Engine) failedThis(ds *docState, t *plan.Task, src *blockState) plan.Value {
	if src.task.Block != t.ResultsWith {
		return plan.Value{IsList: true}
	}
	doc, err := e.parsed(ds)
	if err != nil {
		return plan.Value{IsList: true}
	}
	return plan.FailedThis(doc, src.task)
}

// failedThisOf is the *this* of t, a :post of block b, after src, the
// block whose result it is, exited non-zero: what src's value file
// holds, read as its value is, for a Python or Ruby value block
// (plan.FailedFromFile); else failedThis. The caller holds e.mu.
func (e *Engine) failedThisOf(b *blockState, t *plan.Task, src *blockState) plan.Value {
	if src.task.Block == t.ResultsWith && plan.FailedFromFile(src.task) {
		if v, ok := e.postThisRead(b, src); ok {
			return v
		}
	}
	return e.failedThis(b.doc, t, src)
}

// postThisRead is a :post's *this* read from the attempt of src, the
// block whose result it is, as it ran: its result (its value file's, for
// a value block) as Babel has it (plan.PostThis); ok is false where src
// has no attempt. b is the :post's block. The caller holds e.mu.
func (e *Engine) postThisRead(b, src *blockState) (plan.Value, bool) {
	if src == nil || len(src.instances) == 0 {
		return plan.Value{}, false
	}
	attempt := src.instances[0].rec.AttemptID
	if attempt == "" {
		return plan.Value{}, false
	}
	out := e.readResult(attempt, src.task)
	v := plan.ResultValue(src.task, out)
	if doc, err := e.parsed(b.doc); err == nil {
		v = plan.PostThis(doc, src.task, out, e.refsOf(src))
	}
	return v, true
}

// refsOfTask is refsOf of b running as task t, which may depend on other
// blocks than b.task: the task b ran as a buffer held it (ranTask), with
// a default :var an Emacs Lisp block set. The caller holds e.mu.
func (e *Engine) refsOfTask(b *blockState, t *plan.Task) map[string]plan.Value {
	refs := map[string]plan.Value{}
	for _, d := range t.After {
		dep := b.doc.byName[d]
		if b.doc.dependencyState(d) == Failed && failedForPost(t, dep) {
			// org-babel-eval's nil, which Babel binds *this* to
			// (plan.PostThis of a nil), or the link to the block's
			// :file (plan.FailedThis).
			src := dep
			if r := readOfFailed(t, dep); r != nil {
				src = r
			}
			refs[d] = e.failedThisOf(b, t, src)
			continue
		}
		if dep == nil || b.doc.dependencyState(d) != Finished {
			continue
		}
		if continuedForPost(t, dep) {
			// A block :on-failure continue that exited non-zero:
			// Babel binds its :post's *this* to org-babel-eval's nil
			// (or its :file's link), not to what it printed, which
			// the blocks referring to it get.
			refs[d] = e.failedThisOf(b, t, dep)
			continue
		}
		if t.ReadsOutput && d == t.ResultsWith {
			// What the block printed, for Emacs to read.
			out, _ := e.blockOutput(b.doc, d)
			refs[d] = plan.OutputValue(out)
			continue
		}
		if t.Post && (d == t.ResultsWith || dep.task.ReadsOutput && dep.task.ResultsWith == t.ResultsWith) {
			// A :post's *this* is its block's result as it ran (read
			// by Emacs, when it was), not its :cache yes results as
			// Babel reads them back for references.
			if failedInlineNil(dep) {
				// org-babel-eval's nil (plan.PostThis of a nil).
				refs[d] = plan.Value{IsList: true}
				continue
			}
			src := dep
			if owner := b.doc.byName[dep.task.ResultsWith]; dep.task.ReadsOutput && owner != nil && dep.instances[0].rec.AttemptID == "" {
				src = owner
			}
			if v, ok := e.postThisRead(b, src); ok {
				refs[d] = v
				continue
			}
		}
		refs[d] = e.valueOf(dep)
	}
	// The next element of a name whose data the block wrote over is
	// gone, run for the reference (waited for only then: nextWaits).
	for _, w := range t.NextWaits() {
		if dep := b.doc.byName[w.Next]; dep != nil && b.doc.dependencyState(w.Next) == Finished {
			refs[w.Next] = e.valueOf(dep)
		}
	}
	// The results of a block written over named data t reads: read back
	// once the block ran (not run, the data stands).
	for _, d := range t.ReadsBack() {
		dep, attempt := b.doc.byName[plan.ReaderOf(d)], ""
		if dep != nil && len(dep.instances) > 0 && b.doc.dependencyState(plan.ReaderOf(d)) == Finished {
			attempt = dep.instances[0].rec.AttemptID
		}
		if attempt == "" {
			dep = b.doc.byName[d]
			if dep == nil || b.doc.dependencyState(d) != Finished || len(dep.instances) == 0 {
				continue
			}
			attempt = dep.instances[0].rec.AttemptID
		}
		if attempt == "" {
			continue
		}
		r, ok := e.readBackOf(dep, attempt, t.ReadBackName(d))
		if !ok {
			continue
		}
		if r.ok {
			refs[plan.ReadBackKey(d)] = r.v
		} else if r.missing != "" {
			refs[plan.NotReadBackKey(d)] = plan.Value{Scalar: r.missing}
		}
	}
	return refs
}

// readBack is plan.ReadBackData of a block's attempt.
type readBack struct {
	v       plan.Value
	missing string
	ok      bool
}

// readBackOf is the results of dep's attempt written over the data named
// name, read back once, then kept with dep; ok is false when its
// document does not parse. The caller holds e.mu.
func (e *Engine) readBackOf(dep *blockState, attempt, name string) (readBack, bool) {
	key := attempt + "\x00" + name
	if r, ok := dep.readBacks[key]; ok {
		return r, true
	}
	doc, err := e.parsed(dep.doc)
	if err != nil {
		return readBack{}, false
	}
	var r readBack
	r.v, r.missing, r.ok = plan.ReadBackData(doc, dep.task, e.readResult(attempt, dep.task), e.refsOf(dep), name)
	if dep.readBacks == nil {
		dep.readBacks = map[string]readBack{}
	}
	dep.readBacks[key] = r
	return r, true
}

// valueOf is the result value of finished block dep for the blocks that
// refer to it (read once, then kept); for a task reading its block's
// output in Emacs, or a :post, that did not run, the block's. The caller holds e.mu.
func (e *Engine) valueOf(dep *blockState) plan.Value {
	if dep.result == nil {
		var v plan.Value
		if attempt := dep.instances[0].rec.AttemptID; attempt != "" {
			v = e.valueIn(dep, e.readResult(attempt, dep.task))
		} else if called, ok := e.calledCachedValue(dep); ok {
			// Not run: the block its :post calls has results that
			// stand as called, read back.
			v = called
		} else if owner := dep.doc.byName[dep.task.ResultsWith]; (dep.task.ReadsOutput || dep.task.Post) && owner != nil {
			// Not run: a :post's block's cached results stand, and
			// are what a reference reads back (the :post not run).
			v = e.valueOf(owner)
		} else if doc, err := e.parsed(dep.doc); err == nil && dep.state() == Finished {
			_, v, _ = plan.CachedValue(doc, dep.task)
		}
		dep.result = &v
	}
	return *dep.result
}

// valueIn is the result value of dep, finished, whose attempt's output
// (as its language's Babel has it: plan.ResultText) is out, for the blocks
// that refer to it (valueOf). The caller holds e.mu.
func (e *Engine) valueIn(dep *blockState, out string) plan.Value {
	doc, err := e.parsed(dep.doc)
	if err != nil {
		return plan.ResultValue(dep.task, out)
	}
	// Column names put back, and a :cache yes block's results as Babel
	// reads them back.
	depRefs := e.refsOf(dep)
	v := plan.ResultValueIn(doc, dep.task, out, depRefs)
	if fresh, ok := plan.FreshCachedValue(doc, dep.task, out, depRefs); ok {
		v = fresh
	}
	return v
}

// cachedStands reports whether block name finished without running
// because its cached results stand.
func (ds *docState) cachedStands(name string) bool {
	b := ds.byName[name]
	if b == nil || len(b.instances) == 0 {
		return false
	}
	rec := b.instances[0].rec
	return State(rec.State) == Finished && rec.AttemptID == "" && rec.Attempts == 0
}

// cacheHit reports whether a :cache yes block's results in the document
// carry the hash the block has now (its :var values resolved): Babel
// then reads them back instead of running the block, and so does this,
// keeping them as the block's result for its dependents. The caller holds
// e.mu.
func (e *Engine) cacheHit(b *blockState) bool {
	doc, err := e.parsed(b.doc)
	if err != nil {
		return false
	}
	v, ok := plan.CacheCurrent(doc, b.task, e.refsOf(b))
	if ok {
		b.result = &v
	}
	return ok
}

// calledCachedValue is, for b, a :post task calling a :cache yes block
// (plan.Task.CalledCache) whose own block ran, that block's results read
// back when they carry the hash it has as the :post calls it
// (plan.CalledCachedValue): Babel returns them, and runs neither the
// block nor its :post. The caller holds e.mu.
func (e *Engine) calledCachedValue(b *blockState) (plan.Value, bool) {
	if !b.task.CalledCache || b.doc.cachedStands(b.task.ResultsWith) {
		return plan.Value{}, false
	}
	doc, err := e.parsed(b.doc)
	if err != nil {
		return plan.Value{}, false
	}
	return plan.CalledCachedValue(doc, b.task, e.refsOf(b))
}

// calledCachedStands reports whether b, a :post task, finished without
// running because the block a :post of its chain calls has results that
// stand as called (calledCachedValue), which its owner's place gets;
// not when it is its owner's own cached results that stand.
func (ds *docState) calledCachedStands(b *blockState) bool {
	// Bounded: a chain is planned without cycles.
	for i := 0; b != nil && b.task != nil && b.task.Post && i < 1000; i++ {
		if !ds.cachedStands(b.name) {
			return false
		}
		if b.task.CalledCache && !ds.cachedStands(b.task.ResultsWith) {
			return true
		}
		b = ds.byName[b.task.ResultsWith]
	}
	return false
}

// calledCacheHit reports whether b, a :post task, is not run because
// the results of the block it calls stand (calledCachedValue), keeping
// them as its result. The caller holds e.mu.
func (e *Engine) calledCacheHit(b *blockState) bool {
	v, ok := e.calledCachedValue(b)
	if ok {
		b.result = &v
	}
	return ok
}

// unrun says why block b, ready and never run, finishes without running
// ("" when it runs); cached when its own :cache yes results stand. The
// caller holds e.mu.
func (e *Engine) unrun(b *blockState) (why string, cached bool) {
	if why := b.doc.holdsByFailure(b); why != "" {
		// Emacs stopped the document at a block before it whose
		// value it could not read.
		return why, false
	}
	if why := b.doc.stoppedBefore(b); why != "" {
		// Emacs stopped the document at a block found in results
		// before it.
		return why, false
	}
	switch {
	case b.task.Cache && e.cacheHit(b):
		// :cache yes and nothing changed since the results in the
		// document: not run, as in Babel; its results stay as they are.
		return cachedStandsWhy, true
	case b.task.Post && b.doc.cachedStands(b.task.ResultsWith):
		// The :post of a block whose cached results stand: Babel runs
		// neither.
		return "cached: the results of " + b.task.ResultsWith + " stand (:cache yes), :post included", false
	case b.task.CalledCache && e.calledCacheHit(b):
		// The block its :post calls, as called, has results that
		// stand: Babel returns them, running neither it nor its :post.
		return "cached: the results of the block its :post calls stand as it calls it (:cache yes)", true
	case e.emacsReadUnneeded(b):
		// Its block's output needs no Emacs to read it: the block's
		// results stand.
		return "not run: Borges reads the output of " + b.task.ResultsWith + " as Emacs does", false
	}
	return "", false
}

// nextWaits is deps with, once b's other waits have finished, the
// blocks b reads for a reference because the results a block wrote over
// the data it names leave the #+name: on no element (plan.Task.NextWaits,
// listed in next by waitsOf): b waits for them only then, and they wake
// it when they end. why is not "" when such a block, run as Emacs runs
// it (runForReader), would still wait for b: b is then not run, saying
// so, rather than wait without end, and that block runs in its own place
// (runInPlace). The caller holds e.mu.
func (e *Engine) nextWaits(ds *docState, b *blockState, next []queuedWait, deps map[string]State) (_ map[string]State, why string) {
	if len(next) == 0 {
		return deps, ""
	}
	for _, s := range deps {
		if s != Finished {
			return deps, ""
		}
	}
	refs := e.refsOf(b)
	for _, n := range next {
		w, dep := n.next, n.block
		if !plan.NextNeeded(w, refs) {
			// Its writer wrote data (again): no longer run for b.
			dep.dropNextReader(b)
			continue
		}
		if !slices.Contains(dep.dependents, b) {
			dep.addDependent(b)
			if dep.nextReaders == nil {
				dep.nextReaders = map[*blockState]bool{}
			}
			dep.nextReaders[b] = true
		}
		e.runForReader(dep, b)
		if back, closes, emacsToo := e.comesBack(dep, b); back {
			// b is not run: dep, not run for it after all, runs in its
			// own place, in its own environment.
			if dep.runFor == b {
				dep.runInPlace()
			}
			return deps, nextCycleWhy(w, dep.name, closes, emacsToo)
		}
		if deps == nil {
			deps = map[string]State{}
		}
		deps[w.Next] = ds.dependencyState(w.Next)
	}
	return deps, ""
}

// nextCycleWhy is why a reader is not run (nextWaits): the block dep it
// runs for its reference to the next element of a name (w) waits for it,
// through closes, a wait Borges makes where Emacs, running dep within the
// reader's evaluation, does not, or (emacsToo) one Emacs makes too.
func nextCycleWhy(w plan.NextWait, dep, closes string, emacsToo bool) string {
	why := fmt.Sprintf("not run: block %s wrote nothing under #+name: %s, and Babel runs the next element so named, block %s, for the reference; ", w.Writer, w.Data, dep)
	if emacsToo {
		return why + fmt.Sprintf("it waits for this block, and so does Emacs, which would evaluate this block again within its evaluation: %s", closes)
	}
	return why + fmt.Sprintf("Emacs runs it here, within this block's evaluation, but in Borges it waits for this block: %s", closes)
}

// runForReader has dep, a block reader b runs for a reference (nextWaits),
// run as Emacs runs it: there, within b's evaluation, in the environment
// and buffer b has (blockState.environmentOf), not after the tasks of the
// document's Emacs between b and dep, which may wait for b's results in
// the buffer (a wait that would never end). Only a block after b (one
// before it Emacs runs in its place first), not launched yet, and not
// itself of that Emacs (whose tasks go one after the
// other); it is woken by the task whose environment it now waits for.
// The caller holds e.mu.
func (e *Engine) runForReader(dep, b *blockState) {
	if dep.runFor != nil || !runsForReader(dep, b) {
		return
	}
	dep.runHereFor(b)
	e.touchBlock(dep)
}

// runHereFor has x run for reader b's reference (runFor), woken by the
// task whose environment it takes there, and by the block of its
// session it waits for there (sessionWaitAt). The caller holds e.mu.
func (x *blockState) runHereFor(b *blockState) {
	x.runFor = b
	if env := x.doc.byName[x.environmentOf()]; env != nil && !slices.Contains(env.dependents, x) {
		env.addDependent(x)
	}
	if _, p := x.sessionWaitAt(x.runsAt()); p != "" {
		if d := x.doc.byName[p]; d != nil && !slices.Contains(d.dependents, x) {
			d.addDependent(x)
		}
	}
}

// sessionWaitAt is, for y run at the place of reader at (runForReader),
// the block of its session y no longer waits for there (skip), and the
// one it waits for instead ("" for none): Emacs sends y to the session
// within the reader's evaluation, before the blocks of the session
// between the two, which wait for the reader (plan.Task.SessionWaitFor).
// Both are "" when y keeps its session's order. The caller holds e.mu.
func (y *blockState) sessionWaitAt(at *blockState) (skip, instead string) {
	if at == nil || at == y || at.task == nil || y.task == nil {
		return "", ""
	}
	p, ok := y.task.SessionWaitFor(at.task, func(name string) *plan.Task {
		if d := y.doc.byName[name]; d != nil {
			return d.task
		}
		return nil
	})
	if !ok {
		return "", ""
	}
	return y.task.SessionPrev(), p
}

// knowRunFor gives, for a document read from the store, the blocks
// launched for a reader's reference (runForReader) that reader again,
// from their records (store.Instance.RunFor): they are decided at its
// place, as when they launched. A record without it (of an older
// Borges) leaves its block in its own place, as does a record queued
// but to retry the attempt that ran there (NextRunAt): a block queued
// again runs in its own place (requeue, runInPlace), unless its reader,
// still queued, runs it for its reference again (nextWaits), which the
// pass finds anew. The caller holds e.mu.
func (ds *docState) knowRunFor() {
	for _, b := range ds.blocks {
		if b.task == nil || len(b.instances) == 0 || b.runFor != nil {
			continue
		}
		rec := &b.instances[0].rec
		if State(rec.State) == Queued && rec.NextRunAt == nil {
			continue
		}
		if r := ds.byName[rec.RunFor]; r != nil && r != b && r.task != nil {
			b.runHereFor(r)
		}
	}
}

// runsForReader reports whether dep, the next element of a name reader b
// runs for its reference, runs where b is (runForReader): a block after
// b, not of the document's Emacs, not launched yet.
func runsForReader(dep, b *blockState) bool {
	return !inEmacs(dep) && dep.task.Line >= b.task.Line && len(dep.instances) > 0 && State(dep.instances[0].rec.State) == Queued
}

// dropNextReader has b, a reader that no longer runs block x for a
// reference to the next element of a name (nextWaits), no longer among
// x's dependents, where only that wait put it (waitsOtherwise): x's ends
// wake it no more, nor does a failure stop at x stop the document at b
// (stopLine). A block x not launched yet is no longer run where b is
// (runInPlace). The caller holds e.mu.
func (x *blockState) dropNextReader(b *blockState) {
	if x.nextReaders[b] {
		delete(x.nextReaders, b)
		if !x.doc.waitsOtherwise(b, x) {
			x.dependents = slices.DeleteFunc(x.dependents, func(d *blockState) bool { return d == b })
			x.doc.linksChanged()
		}
	}
	if x.runFor == b && len(x.instances) > 0 && State(x.instances[0].rec.State) == Queued {
		x.runInPlace()
	}
}

// runInPlace has x, a block run for a reader's reference (runFor), run in
// its own place again: no longer among the dependents of the task whose
// environment it took there (runForReader), unless it waits for that
// task otherwise. The caller holds e.mu.
func (x *blockState) runInPlace() {
	if x.runFor == nil {
		return
	}
	env := x.doc.byName[x.environmentOf()]
	x.runFor = nil
	for _, in := range x.instances {
		if State(in.rec.State) == Queued {
			in.rec.RunFor = "" // kept so when its record is next stored
		}
	}
	if env != nil && !env.nextReaders[x] && !x.doc.waitsOtherwise(x, env) {
		env.dependents = slices.DeleteFunc(env.dependents, func(d *blockState) bool { return d == x })
		x.doc.linksChanged()
	}
}

// waitsOtherwise reports whether b waits for x, so that x's ends wake
// it, otherwise than as the next element of a name (nextWaits): as a
// dependency (its task's, or the one it was submitted as), for its
// results, for the results it puts in the buffer of the document's
// Emacs, for its environment, as a finder (finderWaits), for a failure
// stop (failWaits), for the results it stands in (replacedWhy).
// The caller holds e.mu.
func (ds *docState) waitsOtherwise(b, x *blockState) bool {
	t, n := b.task, x.name
	if t == nil {
		return false
	}
	if slices.Contains(t.After, n) || b.submitted != nil && slices.Contains(b.submitted.After, n) ||
		t.ResultsWith == n || t.EnvironmentOf == n || b.environmentOf() == n || t.ReplacedBy == n ||
		slices.Contains(b.bufferNames(), n) {
		return true
	}
	return ds.finderWakes[[2]*blockState{x, b}] || ds.failWaits[b] == x || refusedCall(x) && ds.byName[x.name] == x && ds.waitsForCall(b, x)
}

// comesBack reports whether x, run for reader b's reference, waits for
// b, directly or through what it waits for as the scheduling pass has it
// wait (waitsOf, each conditional wait counted as made), and what closes
// that circle of waits (closes, waitWhy): the first wait on the way that
// Emacs, running x within b's evaluation, does not make, else (emacsToo)
// the first wait. A block not queued (launched, or ended) waits for
// nothing. Bounded: each block is looked at once. The caller holds e.mu.
func (e *Engine) comesBack(x, b *blockState) (back bool, closes string, emacsToo bool) {
	type step struct {
		w      queuedWait
		closes string // what closes the circle on the way to w, "" for none yet
		first  string // the first wait on the way to w
	}
	seen := map[*blockState]bool{}
	todo := []step{{w: queuedWait{block: x, reader: b}}}
	for len(todo) > 0 {
		s := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		y := s.w.block
		if y == b {
			if s.closes == "" {
				return true, s.first, true
			}
			return true, s.closes, false
		}
		if seen[y] || y.task == nil || !slices.ContainsFunc(y.instances, func(in *instState) bool { return State(in.rec.State) == Queued }) {
			continue
		}
		seen[y] = true
		at := y.runsAt()
		if r := s.w.reader; r != nil && y.runFor == nil && runsForReader(y, r) {
			at = r.runsAt()
		}
		var refs map[string]plan.Value
		for _, v := range e.waitsOf(y, at, false) {
			if v.block == nil {
				continue
			}
			if v.kind == waitNext {
				if refs == nil {
					refs = e.refsOf(y)
				}
				if !plan.NextNeeded(v.next, refs) {
					continue
				}
			}
			next := step{w: v, closes: s.closes, first: s.first}
			why, emacsToo := y.doc.waitWhy(y, v)
			if next.first == "" {
				next.first = why
			}
			if next.closes == "" && !emacsToo {
				next.closes = why
			}
			todo = append(todo, next)
		}
	}
	return false, "", false
}

// waitWhy says why queued block y waits for w (waitsOf), for a circle
// of waits comesBack finds, and whether Emacs, running y for a
// reference, waits so too (emacsToo: a block it refers to or runs
// after, the block whose results its :post or its reading of output
// takes, the next element of a name it runs), where the other waits are
// Borges' own: the order of the tasks of the document's Emacs (their
// buffer, their environment), of a session's blocks, of the blocks of a
// session after a finder, a failure stop's, replaced results'. The
// caller holds e.mu.
func (ds *docState) waitWhy(y *blockState, w queuedWait) (why string, emacsToo bool) {
	t := y.task
	switch w.kind {
	case waitDependency:
		switch {
		case w.name == t.BufferPrev:
			return "the document's Emacs runs block " + w.name + " before block " + y.name, false
		case w.name == t.SessionPrev() && t.Session != nil:
			return "session " + t.Session.Name + " runs block " + w.name + " before block " + y.name, false
		case w.name == t.ResultsWith && t.Post:
			return "block " + y.name + ", a :post of block " + w.name + ", runs after it", true
		case w.name == t.ResultsWith && t.ReadsOutput:
			return "block " + y.name + " reads what block " + w.name + " printed", true
		}
		if w.block != nil && w.block.addedBy != "" && !slices.Contains(t.After, w.name) {
			if !w.block.found {
				return "block " + y.name + " runs after block " + w.name + ", added to the Org buffer by a block its :after names", true
			}
			return "block " + y.name + " runs after block " + w.name + ", found in the results of a block its :after names", true
		}
		return "block " + y.name + " refers to block " + w.name + " or runs after it, as its :after says", true
	case waitReader:
		session := ""
		if t.Session != nil {
			session = ", of session " + t.Session.Name
		}
		return "block " + y.name + session + ", runs after block " + w.name + ", which may send the session a later block first", false
	case waitBuffer:
		return "the buffer of the document's Emacs holds the results of block " + w.name + " before block " + y.name + " runs", false
	case waitEnvironment:
		return "block " + y.name + " takes the environment block " + w.name + " leaves in the document's Emacs", false
	case waitFailStop:
		return "block " + y.name + " waits for block " + w.name + ", run again after it stopped the document, to end", false
	case waitRefusedCall:
		return "block " + y.name + " waits for block " + w.name + ", the call of a block :eval refuses before it, which may stop the document, to end", false
	case waitJSValue:
		return "block " + y.name + " waits for block " + w.name + ", before it, to end: the JavaScript value it reads may stop the document", false
	case waitFinder:
		return "block " + y.name + ", of a session, waits for block " + w.name + ", before it, whose results may hold blocks", false
	case waitReplaced:
		return "block " + y.name + " stands in the results of block " + w.name + ", and waits for it", false
	}
	return "block " + y.name + " runs block " + w.name + ", the next element of a name, for a reference", true
}

// waitKind is how a queued block waits for a block (waitsOf), which says
// what the scheduling pass makes of that block's state (waitsNow).
type waitKind uint8

const (
	// waitDependency is a dependency (its task's After), in the state
	// its dependents see (dependencyState): one ended unfinished blocks
	// the waiting block; one missing is failed.
	waitDependency waitKind = iota
	// waitBuffer, waitEnvironment and waitFailStop are waits until the
	// block has ended, finished or not (untilEnded): for the results it
	// puts in the buffer of the document's Emacs (bufferNames), for the
	// environment it leaves (environmentOf), for the task a failure stop
	// waits for to run again (failWaits).
	waitBuffer
	waitEnvironment
	waitFailStop
	// waitReader is a reader the waiting block, of a session, waits for
	// until it has ended, however it ended (plan.Task.ReadersBefore):
	// only to keep Emacs's order in the session.
	waitReader
	// waitFinder is the finder before the waiting block (finderWaitAt),
	// waited for once the waits listed before it are finished.
	waitFinder
	// waitReplaced is the block whose results the waiting block stands
	// in (replacedWhy), which the pass decides before any other wait.
	waitReplaced
	// waitRefusedCall is the call of a block :eval refuses, added or
	// found, standing before the waiting block in the buffer
	// (callsBefore), waited for until it has ended: a stop it makes
	// stops the document before the waiting block.
	waitRefusedCall
	// waitJSValue is a JavaScript block found or added before the
	// waiting block in the buffer, or the reading of its value in
	// Emacs, waited for until it has ended (jsValuesBefore): the stop
	// its value may make holds the waiting block.
	waitJSValue
	// waitNext is the next element of a name the waiting block runs for
	// a reference (nextWaits), waited for only when its writer wrote
	// nothing under the name (plan.NextNeeded of next), and once every
	// other wait is finished.
	waitNext
)

// queuedWait is a block a queued block waits for (waitsOf): name, and
// block, nil for a dependency missing; how it waits (kind); and for the
// next element of a name it runs for a reference, the reader it runs it
// for (runForReader) and the wait as planned (next).
type queuedWait struct {
	block, reader *blockState
	name          string
	kind          waitKind
	next          plan.NextWait
}

// waitsOf are the blocks y, queued, waits for, in the order the
// scheduling pass (schedule, through waitsNow) takes them, run at the
// place of block at (runsAt, or the reader it is to run for): its
// dependencies (After), the readers it waits for (ReadersBefore), the tasks whose results it puts in the buffer
// (bufferNames), the task whose environment it gets (environmentOf), the
// finder before it (finderWaits), the task a failure stop it waits for
// runs again (failWaits), the calls of refused blocks and the JavaScript
// values found or added before it (callsBefore, jsValuesBefore), the
// block whose results it stands in
// (replacedWhy), and the next elements of names it may run for its
// references (nextWaits). The pass, the search for a cycle of waits
// (comesBack) and what a view says a block waits for (waitingFor) all
// take them from here, so that they cannot differ.
//
// For the pass (pass), the finder is listed but not found (block nil):
// the pass finds it only once the waits before it are finished
// (finderWaits), as most queued blocks of a session wait for the one
// before them, and finding it takes every finder before the block; nor
// is the block whose results y stands in listed, as the pass decides
// that first (replacedWhy). The caller holds e.mu.
func (e *Engine) waitsOf(y, at *blockState, pass bool) []queuedWait {
	ds := y.doc
	var out []queuedWait
	add := func(name string, kind waitKind) {
		if d := ds.byName[name]; d != nil {
			out = append(out, queuedWait{block: d, name: name, kind: kind})
		}
	}
	skip, instead := y.sessionWaitAt(at)
	for _, name := range y.task.After {
		if name == skip {
			continue
		}
		out = append(out, queuedWait{block: ds.byName[name], name: name, kind: waitDependency})
	}
	if instead != "" && !slices.Contains(y.task.After, instead) {
		add(instead, waitDependency)
	}
	out = ds.foundAfterWaits(y, out)
	for _, name := range y.task.ReadersBefore() {
		add(name, waitReader)
	}
	for _, name := range y.bufferNames() {
		add(name, waitBuffer)
	}
	if !inEmacs(y) {
		add(at.task.EnvironmentOf, waitEnvironment)
	}
	e.knowFinders(ds)
	if pass {
		if len(ds.finders) > 0 {
			out = append(out, queuedWait{kind: waitFinder})
		}
	} else if f := ds.finderWaitAt(y, at); f != nil {
		out = append(out, queuedWait{block: f, name: f.name, kind: waitFinder})
	}
	if by := ds.failWaits[y]; by != nil {
		add(by.name, waitFailStop)
	}
	for c := range ds.callsBefore(y) {
		add(c.name, waitRefusedCall)
	}
	for j := range ds.jsValuesBefore(y) {
		add(j.name, waitJSValue)
		if r := ds.readerOf(j); r != nil {
			add(r.name, waitJSValue)
		}
	}
	for _, in := range y.instances {
		if pass {
			break // decided first (replacedWhy)
		}
		if wait, _ := ds.replacedWhy(y, in); wait {
			add(y.task.ReplacedBy, waitReplaced)
			break
		}
	}
	for _, w := range y.task.NextWaits() {
		if d := ds.byName[w.Next]; d != nil {
			out = append(out, queuedWait{block: d, reader: y, name: w.Next, kind: waitNext, next: w})
		}
	}
	return out
}
