package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// This file runs a block again on request (RestartBlock); a block of a
// session runs its whole session again, in a new interpreter.

// RestartBlock runs a block again: running instances are killed and
// relaunched, ended ones queued anew.
func (e *Engine) RestartBlock(ctx context.Context, id, block string) error {
	ds, err := e.lockedDoc(id)
	if err != nil {
		return err
	}
	b := ds.byName[block]
	if b == nil {
		for _, x := range ds.blocks {
			if x.name == block && x.skipped != nil {
				e.mu.Unlock()
				return fmt.Errorf("block %s is not runnable (%s): %w", block, x.skipped.Reason, ErrConflict)
			}
		}
		e.mu.Unlock()
		return fmt.Errorf("block %s of document %s: %w", block, id, ErrNotFound)
	}
	if err := TakeEffect(ctx); err != nil {
		e.mu.Unlock()
		return err
	}
	ctx, cancel := afterEffect(ctx)
	defer cancel()
	r := e.runAgain(ds, b, e.now(), func(*blockState) string { return "restart requested" }, nil)
	w := e.queueWrite(r.recs)
	e.mu.Unlock()
	// Stored before the kill, as a kill is: once the old attempt is
	// gone the new one may start and end, and its records must not be
	// overwritten by these older ones. Killed even if that fails, as
	// the engine has the instances queued already (forgetDropped): the
	// old attempts, which hold their resources until they end, must.
	var errs []error
	if err := e.awaitWrite(w); err != nil {
		errs = append(errs, fmt.Errorf("storing the restart: %w", err))
	}
	errs = append(errs, e.endAttempts(ctx, r.kills, r.sessions))
	e.poke()
	return errors.Join(errs...)
}

// rerun is what runAgain did, and leaves to do once the lock is let go:
// the blocks it queued again, the records it changed, to be stored
// before the attempts are killed (kills), and the sessions whose
// interpreters are to be closed after those kills.
type rerun struct {
	blocks          []*blockState
	recs            []*store.Instance
	kills, sessions []string
}

// add is r with what o did too.
func (r *rerun) add(o rerun) {
	r.blocks = append(r.blocks, o.blocks...)
	r.recs = append(r.recs, o.recs...)
	r.kills = append(r.kills, o.kills...)
	r.sessions = append(r.sessions, o.sessions...)
}

// runAgain queues block b of ds again, as a restart does: a block of a
// session runs its whole session again, in order, in a new interpreter
// (the old one's to be closed), and the tasks of their :post (whose
// value is what Babel writes for them, and may stop the document) and the
// blocks reading their output in the document's Emacs run again with
// them, as do the tasks evaluating their Lisp :var values (lispVarsOf:
// Emacs evaluates those at every run) and the runs their references make
// at their places (callRunsOf: Emacs runs a call again at every run).
// Each of their instances, but those keep (if not nil) leaves as they
// are, is queued again, saying why its block runs again (requeue: a
// staged or running attempt is to be killed). The caller holds e.mu.
func (e *Engine) runAgain(ds *docState, b *blockState, now time.Time, why func(*blockState) string, keep func(*instState) bool) (r rerun) {
	blocks := []*blockState{b}
	var sessions, keys []string
	if s := b.task.Session; s != nil {
		blocks = ds.sessionBlocks(s.Key)
		sessions, keys = []string{ds.nextSession(s.Key)}, []string{s.Key}
		if inEmacs(b) && s.Key == ds.writtenEmacs() {
			// Its last task runs again: where Emacs stops past it
			// is known again from the report it then makes
			// (refusedEndAt), not from the one before.
			ds.refusedEnd = nil
		}
	}
	// The :post chains of the blocks queued again run with them, and
	// so do the runs their references make at their places (calls with
	// arguments: callRunsOf); not those of a block keep leaves as it is
	// (killed on request, or new). A :post may make calls, and a call's
	// block have a :post: each round adds what the last one brought
	// (bounded, as each adds blocks of ds not in yet).
	var posts []*blockState
	isCall := map[*blockState]bool{}
	// The blocks of a session run again for a call: by the block
	// making the call.
	forSession := map[*blockState]string{}
	// in has the blocks queued again and the round's calls, made when a
	// call first brings a session back and kept across the rounds
	// (blocks grows at its end: those past inN are added when it is
	// next asked), so that each session brought back costs its own
	// blocks, not all the blocks queued so far.
	var in map[*blockState]bool
	inN := 0
	for n := -1; n != len(blocks); {
		n = len(blocks)
		calls := ds.callRunsOf(requeuedOf(blocks, keep), blocks)
		callsIn := false
		for _, x := range calls {
			isCall[x] = true
			// A run in a session's interpreter runs its whole
			// session again, in a new one, as a restart of it does:
			// it may need what the blocks before it left there. One
			// in the document's Emacs runs alone, as a Lisp :var
			// value does.
			if s := x.task.Session; s != nil && !inEmacs(x) && !slices.Contains(keys, s.Key) {
				keys, sessions = append(keys, s.Key), append(sessions, ds.nextSession(s.Key))
				if in == nil {
					in = make(map[*blockState]bool, len(blocks)+len(calls))
				}
				if !callsIn {
					for _, y := range calls {
						in[y] = true
					}
					callsIn = true
				}
				for _, y := range blocks[inN:] {
					in[y] = true
				}
				for _, y := range ds.sessionBlocks(s.Key) {
					if !in[y] {
						in[y] = true
						blocks = append(blocks, y)
						forSession[y] = x.task.CallOf()
					}
				}
				inN = len(blocks)
			}
		}
		blocks = append(blocks, calls...)
		p := ds.postsOf(requeuedOf(blocks, keep), blocks)
		posts = append(posts, p...)
		blocks = append(blocks, p...)
	}
	isPost := make(map[*blockState]bool, len(posts))
	for _, x := range posts {
		isPost[x] = true
	}
	stopping := ds.stoppingRunsOf(blocks)
	blocks = append(blocks, stopping...)
	blocks = append(blocks, ds.lispVarsOf(blocks)...)
	blocks = append(blocks, ds.readersOf(blocks)...)
	r = e.requeueBlocks(ds, blocks, now, func(x *blockState) string {
		switch {
		case isPost[x]:
			return postRunsAgainWhy(x.task.PostOwner())
		case isCall[x]:
			return callRunsAgainWhy(x.task.CallOf())
		case slices.Contains(stopping, x):
			return stoppingRunAgainWhy(x.task.RunsBlock())
		case forSession[x] != "":
			return sessionRunsAgainWhy(forSession[x])
		}
		return why(x)
	}, keep)
	r.sessions = sessions
	return r
}

// requeueBlocks queues blocks of ds again (requeue), each instance but
// those keep (if not nil) leaves as they are, saying why its block runs
// again, and has the next pass look at them; a failure stop among them
// is lifted (failStopLifted: the blocks it held wait for it to run
// again, as it may stop the document again or not): the steps a restart
// and a session lost with its interpreter share. The caller holds e.mu.
func (e *Engine) requeueBlocks(ds *docState, blocks []*blockState, now time.Time, why func(*blockState) string, keep func(*instState) bool) (r rerun) {
	// Before they are queued again: the holds of a document read
	// from the store are found from its blocks' states.
	ds.knowFailHeld()
	r.blocks = slices.Clip(blocks) // the blocks lifted are added
	for _, x := range blocks {
		// Run as asked: no longer held, nor waiting.
		x.doc.dropFailHeld(x)
		delete(x.doc.failWaits, x)
		// Its reference error is its last attempt's: it stops the
		// document no more (the next attempt says again).
		x.refErr, x.shellStop, x.cmdlineStop, x.bindStop = "", false, false, false
		x.doc.failStopTouched(x)
		for _, in := range x.instances {
			if keep != nil && keep(in) {
				continue
			}
			r.kills = append(r.kills, e.requeue(in, now, why(x))...)
			r.recs = append(r.recs, &in.rec)
		}
		x.result = nil
	}
	for _, x := range blocks {
		e.touch(x)
	}
	r.add(e.failStopLifted(ds, blocks))
	return r
}

// requeue queues an instance again, saying why, as a restart does: a
// staged or running attempt of it is returned to be killed, its history
// has it end now, and its end counts no more for the instance, but it
// holds its resources until then (dying); those killed so before that
// have not ended are returned to be killed again. Its block is decided
// again from the buffer when it is ready. The caller holds e.mu.
func (e *Engine) requeue(in *instState, now time.Time, why string) (kills []string) {
	switch State(in.rec.State) {
	case Staged, Running:
		e.dying(in)
		in.rememberRestarted(now)
		if !slices.Contains(in.rec.Dying, in.rec.AttemptID) {
			kills = append(kills, in.rec.AttemptID)
		}
	}
	kills = append(kills, in.rec.Dying...)
	// What the last results document's write-back noted is of the run
	// before (writeBackNote): the next write-back says again. (A
	// block made alone, by a test, has no document.)
	if ds := in.block.doc; ds != nil {
		ds.writeBackNote = ""
	}
	in.block.decideAgain()
	// Run in its own place, unless a reader still runs it for its
	// reference (nextWaits has it run there again).
	in.block.runInPlace()
	in.rec.HeldBy, in.rec.CacheStood = "", false
	in.rec.State = string(Queued)
	in.rec.Killed = false
	in.rec.NextRunAt = nil
	in.rec.QuickExits = 0
	in.rec.Message = why
	in.rec.WaitsFor = "" // run as asked (failStopLifted waits again)
	in.rec.RefErr, in.rec.RefErrShell, in.rec.RefErrCmdline, in.rec.RefErrBinding = "", false, false, false
	in.rec.RunFor = "" // as runInPlace: a restarted server decides it in its own place too
	if in.rec.ResultStop != "" || in.rec.ResultStopUnread {
		in.block.doc.failStopTouched(in.block) // its results' stop gone
	}
	clearEndRead(&in.rec)
	return kills
}

// postsOf are the tasks of the :post chains of blocks (plan.Task.Post,
// written in their place), not among them already: each post whose block
// (PostOwner) or the task it takes *this* from (ResultsWith, the post
// before it in a nested chain) is among them, or among those found, so
// that a chain runs again to its last post, whose value Babel writes.
//
// Posts among queued, the blocks queued again already, are left out.
func (ds *docState) postsOf(blocks, queued []*blockState) []*blockState {
	return ds.following(blocks, queued, ds.followIndex().posts)
}

// followIndex has, for the name of each block of ds, the blocks whose
// tasks follow its run: calls, those whose plan.Task.CallOf is it (the
// runs its references make at its place); posts, the :post tasks whose
// PostOwner or ResultsWith is it; under and after, for foundafter.go.
// Built at the first use, with one walk
// of ds's blocks, and kept while the plan stands: while ds's blocks,
// their tasks and links are those it was built from (ds.links counts
// the changes to a task, appendBlock the blocks added, and a block
// dropped changes their number). The caller holds e.mu.
func (ds *docState) followIndex() *followIndex {
	if f := ds.follows; f != nil && f.links == ds.links && f.seq == ds.blockSeq && f.n == len(ds.blocks) {
		if checkFollowIndex != nil {
			checkFollowIndex(f, ds.buildFollowIndex())
		}
		return f
	}
	ds.follows = ds.buildFollowIndex()
	return ds.follows
}

// checkFollowIndex, when set (by tests), is called with each index
// followIndex keeps and one built afresh from ds's blocks: a change of a
// task that bumps neither docState.links nor the blocks leaves the kept
// one stale.
var checkFollowIndex func(kept, fresh *followIndex)

// buildFollowIndex walks ds's blocks once for followIndex.
func (ds *docState) buildFollowIndex() *followIndex {
	f := &followIndex{links: ds.links, seq: ds.blockSeq, n: len(ds.blocks),
		calls: map[string][]*blockState{}, posts: map[string][]*blockState{},
		under: map[string][]*blockState{}, after: map[string][]*blockState{}}
	for _, x := range ds.blocks {
		if x.addedBy != "" {
			f.under[x.addedBy] = append(f.under[x.addedBy], x)
		}
		if x.task == nil {
			continue
		}
		for _, name := range x.task.AfterArg {
			if !slices.Contains(f.after[name], x) {
				f.after[name] = append(f.after[name], x)
			}
		}
		// A call hitting its :cache yes callee's own hash: Emacs
		// reads the callee's results, running nothing.
		if c := x.task.CallOf(); c != "" && !x.task.OwnCacheHit() {
			f.calls[c] = append(f.calls[c], x)
		}
		if x.task.Post {
			o := x.task.PostOwner()
			f.posts[o] = append(f.posts[o], x)
			if w := x.task.ResultsWith; w != "" && w != o {
				f.posts[w] = append(f.posts[w], x)
			}
		}
	}
	return f
}

// followIndex is what docState.followIndex builds.
type followIndex struct {
	links, seq   uint64
	n            int
	calls, posts map[string][]*blockState
	// under are the blocks found in the results of a block, or added
	// to the buffer by it (addedBy), by its name; after the blocks
	// whose :after names it (plan.Task.AfterArg): what foundafter.go
	// walks, so that a block's waits cost what they find.
	under, after map[string][]*blockState
}

// following are the blocks of ds, not among blocks or queued, that
// follow (by the index next: the blocks following a block's name) one of
// blocks, or one found, in the order of ds's blocks: what it costs is
// what it finds (and the blocks it is given).
func (ds *docState) following(blocks, queued []*blockState, next map[string][]*blockState) []*blockState {
	in := make(map[*blockState]bool, len(blocks)+len(queued))
	for _, b := range slices.Concat(blocks, queued) {
		in[b] = true
	}
	var out []*blockState
	todo := slices.Clone(blocks)
	for len(todo) > 0 {
		b := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, x := range next[b.name] {
			if !in[x] {
				in[x] = true
				out = append(out, x)
				todo = append(todo, x)
			}
		}
	}
	slices.SortFunc(out, func(a, b *blockState) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

// lispVarsOf are the tasks evaluating the Lisp :var values of blocks
// (plan's lispvar.go), not among blocks: Emacs evaluates them again at
// every run of their block, so a restart of the block runs them again,
// and one whose error stopped the document may now lift the stop. Each
// block waits for them (its task's After).
func (ds *docState) lispVarsOf(blocks []*blockState) []*blockState {
	in := make(map[*blockState]bool, len(blocks))
	for _, b := range blocks {
		in[b] = true
	}
	var out []*blockState
	for _, b := range blocks {
		if b.task == nil {
			continue
		}
		for _, a := range b.task.After {
			if x := ds.byName[a]; x != nil && x.task != nil && !in[x] && x.task.LispVarOf() == b.name {
				in[x] = true
				out = append(out, x)
			}
		}
	}
	return out
}

// callRunsOf are the runs the references of blocks make at their places
// (plan.Task.CallOf: a call with arguments, f(n=2) in a :var value, a
// noweb reference, a :stdin; a block run again for a reference, as it
// makes one or reaches a session), not among queued, down to those their own runs make
// (h's :var k=g runs g again, which calls f(n=4) again): Emacs resolves
// those references anew each time it evaluates the block, running the
// callee again (org-babel-ref-resolve), so a restart of the block runs
// them again, and the block waits for their new values (its task's
// After); runAgain runs the session of one run in a session again.
// A restart of the callee itself makes none of them again: Emacs runs
// the blocks referring to it only when it evaluates them.
func (ds *docState) callRunsOf(blocks, queued []*blockState) []*blockState {
	return ds.following(blocks, queued, ds.followIndex().calls)
}

// stoppingRunsOf are the runs references make of blocks among blocks
// (plan.Task.RunsBlock), not among them, whose stop holds blocks of ds
// (failHolds): a stop Emacs makes resolving a reference is weighed on
// the results of the reference's run (resultRun), so that block's run
// again makes that run again, lifting the stop (failStopLifted) to be
// decided again from the new run's results. The caller holds e.mu.
func (ds *docState) stoppingRunsOf(blocks []*blockState) []*blockState {
	ds.knowFailHeld()
	var out []*blockState
	for by := range ds.failHolds {
		if !referenceRun(by) || !ds.inDoc(by) || slices.Contains(blocks, by) {
			continue
		}
		if o := ds.byName[by.task.RunsBlock()]; o != nil && slices.Contains(blocks, o) {
			out = append(out, by)
		}
	}
	slices.SortFunc(out, bySeq)
	return out
}

// stoppingRunAgainWhy is why a run a reference makes of block of, whose
// results stopped the document, is queued again (stoppingRunsOf).
func stoppingRunAgainWhy(of string) string {
	return "block " + of + " runs again, and this run of it a reference makes, whose results stopped org-babel-execute-buffer, with it"
}

// requeuedOf are the blocks of which keep (nil: none) leaves some
// instance to be queued again.
func requeuedOf(blocks []*blockState, keep func(*instState) bool) []*blockState {
	if keep == nil {
		return blocks
	}
	var out []*blockState
	for _, b := range blocks {
		if slices.ContainsFunc(b.instances, func(in *instState) bool { return !keep(in) }) {
			out = append(out, b)
		}
	}
	return out
}

// postRunsAgainWhy is why the task of a :post of block owner is queued
// again: the block runs again, and its :post chain with it.
func postRunsAgainWhy(owner string) string {
	return "its block " + owner + " runs again, and this :post with it"
}

// callRunsAgainWhy is why the task of a run a reference of block by
// makes at its place is queued again (callRunsOf): the block runs
// again, and resolves the reference again.
func callRunsAgainWhy(by string) string {
	return "block " + by + " runs again, and resolves this reference again"
}

// sessionRunsAgainWhy is why a block of a session is queued again for a
// run in that session that a reference of block by makes (runAgain):
// the session runs again, in a new interpreter, for that run.
func sessionRunsAgainWhy(by string) string {
	return "its session runs again, in a new interpreter, for a reference of block " + by + ", which runs again"
}
