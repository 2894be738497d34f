package engine

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/store"
)

// This file is the scheduling pass and its loop: which queued instances
// are looked at (touch), which are ready, blocked or cached, which of the
// ready fit the resources free (track), and their launch. A pass runs
// whenever something changed and when a delayed restart is due. The
// decisions are pure functions in decide.go; this file applies them to
// the engine's state.

// touch has the next scheduling pass look at block b and at the blocks
// that depend on it: whatever changes an instance's state calls it, for
// that is all that can make an instance ready, blocked, or due. The caller
// holds e.mu.
func (e *Engine) touch(b *blockState) {
	e.touchBlock(b)
	for _, d := range b.dependents {
		e.touchBlock(d)
	}
	for d, by := range b.doc.failWaits {
		if by == b {
			e.touchBlock(d)
		}
	}
	e.wakeJSWaiters(b)
}

// touchBlock has the next pass look at b if it has a queued instance. An
// instance of b no longer queued no longer waits for capacity (whatever
// ends one touches its block), so that the counts of those waiting stay
// exact without a pass.
func (e *Engine) touchBlock(b *blockState) {
	e.docChanged(b.doc)
	e.toRehold(b.doc)
	b.doc.heldTouched(b)
	queued := false
	for _, in := range b.instances {
		if State(in.rec.State) == Queued {
			queued = true
		} else {
			e.capUnwait(in)
		}
	}
	if queued && b.task != nil {
		e.check[b] = struct{}{}
	}
}

// beforePass, set by the package's tests, is called by the loop with
// the engine before each pass, the lock not held; nil otherwise.
var beforePass func(e *Engine)

// toRehold has the next pass weigh again the blocks a stop holds in ds
// (rehold): a block of it changed, or what one printed was read. The
// caller holds e.mu.
func (e *Engine) toRehold(ds *docState) {
	if e.reholds == nil {
		e.reholds = map[*docState]struct{}{}
	}
	e.reholds[ds] = struct{}{}
}

func (e *Engine) poke() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// loop schedules whenever something changed, and when a restart is due.
func (e *Engine) loop(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if ctx.Err() != nil {
			return // no pass starts after shutdown (the select picks at random)
		}
		next := e.schedule(ctx)
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		wait := time.Hour
		if !next.IsZero() {
			wait = max(next.Sub(e.now()), time.Millisecond)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-e.wake:
		case <-timer.C:
		}
	}
}

// launchPlan is one attempt to hand to the backend.
type launchPlan struct {
	in *instState
	a  *Attempt
}

// track counts an attempt staged or running, and the resources its task
// holds; untrack forgets it once it has ended. The caller holds e.mu.
func (e *Engine) track(id string, in *instState) {
	if old := e.attempts[id]; old != nil {
		e.hold(old.holds, -1)
	}
	e.attempts[id] = in
	in.holds = in.block.task.Resources
	e.hold(in.holds, 1)
}

func (e *Engine) untrack(id string) {
	if in := e.attempts[id]; in != nil {
		delete(e.attempts, id)
		e.hold(in.holds, -1)
		if in.of != nil {
			in.of.rec.Dying = slices.DeleteFunc(slices.Clone(in.of.rec.Dying), func(a string) bool { return a == id })
			if _, ok := in.of.rec.DyingTicks[id]; ok {
				in.of.rec.DyingTicks = maps.Clone(in.of.rec.DyingTicks)
				delete(in.of.rec.DyingTicks, id)
			}
		}
	}
}

// dying has the staged or running attempt of in, killed by a restart
// (requeue), tracked by a stand-in until it has ended, holding what it
// holds (onUpdate lets it go), as a killed attempt is: in itself runs
// again under a new attempt. The caller holds e.mu.
func (e *Engine) dying(in *instState) {
	id := in.rec.AttemptID
	if e.attempts[id] != in {
		return
	}
	e.attempts[id] = &instState{block: in.block, rec: store.Instance{AttemptID: id}, holds: in.holds, dying: true, of: in}
	in.rec.Dying = append(slices.Clip(in.rec.Dying), id)
	if in.rec.LaunchTicks != 0 {
		// Its launch's, which the next launch of in overwrites:
		// recovered with it (recoverDying).
		ticks := maps.Clone(in.rec.DyingTicks)
		if ticks == nil {
			ticks = map[string]uint64{}
		}
		ticks[id] = in.rec.LaunchTicks
		in.rec.DyingTicks = ticks
	}
}

func (e *Engine) hold(r plan.Resources, sign float64) {
	e.used.CPUs += sign * r.CPUs
	e.used.MemMB += sign * r.MemMB
	e.used.DiskMB += sign * r.DiskMB
	e.used.GPUs += int(sign) * r.GPUs
	if sign < 0 {
		// Let go: what waits for capacity is looked at again.
		e.capWaiting.freed = true
	}
	if len(e.attempts) == 0 {
		e.used = plan.Resources{} // no rounding left over
	}
	if len(e.watchedForResources) > 0 {
		e.resourcesChanged()
	}
}

// usedResources is what the staged and running attempts hold. The caller
// holds e.mu.
func (e *Engine) usedResources() plan.Resources {
	return e.used
}

// waitsNow is what b, queued, waits for now, each block's state as b
// sees it, by name: the waits waitsOf lists, at the place b runs
// (runsAt), in their order, each as its kind says. why is not "" when b
// is not to run (nextWaits). A wait for the block whose results b stands
// in is not among them: the pass decides it first (replacedWhy). The
// caller holds e.mu.
func (e *Engine) waitsNow(b *blockState) (deps map[string]State, why string) {
	ds := b.doc
	var next []queuedWait
	at := b.runsAt()
	for _, w := range e.waitsOf(b, at, true) {
		switch w.kind {
		case waitDependency:
			if deps == nil {
				deps = make(map[string]State, len(b.task.After))
			}
			deps[w.name] = ds.waitState(b.task, w.name)
		case waitBuffer, waitEnvironment, waitFailStop, waitReader:
			deps = ds.untilEnded(w.name, deps)
		case waitFinder:
			deps = ds.finderWaits(b, at, deps)
		case waitRefusedCall:
			deps = ds.callWaits(w.block, b, deps)
		case waitJSValue:
			deps = ds.jsValueWaits(w.block, b, deps)
		case waitNext:
			next = append(next, w)
		}
	}
	return e.nextWaits(ds, b, next, deps)
}

// schedule launches what is ready and fits; it returns when the next
// delayed restart is due (zero if none). It looks only at the blocks
// something touched since the last pass (see touch), at those that pass
// left waiting for a restart, and, of the instances waiting for capacity,
// at those that fit in what was let go since (capwait.go): its cost is
// what changed, not every instance tracked.
func (e *Engine) schedule(ctx context.Context) time.Time {
	if beforePass != nil {
		beforePass(e)
	}
	now := e.now()
	e.mu.Lock()
	var next time.Time
	ready := e.passBufs.ready[:0]
	var closes []string // sessions whose blocks have all ended
	var changed []*store.Instance
	var passed []string          // intents of instances ended without a launch
	var unlaunched []*blockState // blocks with an instance ended without an attempt
	capAgain := false            // an instance waiting for capacity may fit now
	unstarted := 0               // instances admitted and not staged
	// endUnlaunched ends in, never launched in this pass, in state with
	// message why: a prepared attempt it had is passed on, and its block's
	// found blocks are judged with the others' below.
	endUnlaunched := func(in *instState, state State, why string) {
		passed = in.endsUnlaunched(passed)
		in.rec.State = string(state)
		in.rec.Message = why
		t := now
		in.rec.FinishedAt = &t
		changed = append(changed, &in.rec)
		unlaunched = append(unlaunched, in.block)
		e.touch(in.block)
	}
	cacheHits := 0
	e.examined = 0
	// This pass's number: an instance found ready in it is in ready once
	// (readyIn), however often its block is looked at.
	e.passes++
	// Looked at again by the next pass (a block may be here twice: e.check
	// holds it once): the blocks waiting out a restart's backoff.
	again := e.passBufs.again[:0]
	// Of the instances waiting for capacity, those that fit in what was
	// let go since the last pass, looked at again (capwait.go); the
	// others stay as they are.
	e.capWaiting.visited = 0
	looked := e.capWaitersToLook(e.passBufs.looked[:0])
	// Blocks touched while this pass decides (a dependency found cached
	// or blocked) are looked at in the same pass.
	for len(e.check) > 0 {
		blocks := e.passBufs.blocks[:0]
		for b := range e.check {
			blocks = append(blocks, b)
		}
		// Made anew: a map keeps its size, and going through a large
		// one emptied costs as much as a full one.
		e.check = make(map[*blockState]struct{}, len(blocks)/4)
		slices.SortFunc(blocks, queueOrder)
		e.passBufs.blocks = blocks
		for _, b := range blocks {
			ds := b.doc
			// Looked at: what it waits for is decided again.
			e.capUnwaitBlock(b)
			for _, in := range b.instances {
				if State(in.rec.State) != Queued {
					continue
				}
				e.examined++
				switch RestartBackoff(in.rec.NextRunAt, now) {
				case BackingOff:
					if next.IsZero() || in.rec.NextRunAt.Before(next) {
						next = *in.rec.NextRunAt
					}
					again = append(again, b)
					continue
				case BackoffDue:
					// Its view said when it runs again, and now says
					// what it waits for: its watchers are woken (by
					// this pass, which the loop runs when the next
					// backoff is due). Not stored: a time past is the
					// same as none.
					in.rec.NextRunAt = nil
					e.docChanged(ds)
				}
				if wait, why := ds.replacedWhy(b, in); wait {
					continue // touched when its owner ends
				} else if why != "" {
					endUnlaunched(in, Finished, why)
					continue
				}
				deps, why := e.waitsNow(b)
				if why != "" {
					endUnlaunched(in, Failed, why)
					e.metrics.failures.Inc()
					continue
				}
				switch r, why := DependencyReadiness(deps); r {
				case Ready:
					// Decided as one that has not started
					// (runsUnstarted), as its view says too. Not
					// the pass's count of the admitted not staged
					// (unstarted), which it shadowed.
					fresh := in.runsUnstarted()
					if r := ds.endReadHolds(b, fresh); r != nil {
						// Decided once the output of a block it refers
						// to, or that may stop the document before it,
						// is read (touched then).
						r.holdAtEnd(b)
						continue
					}
					if r := ds.reportReadHolds(b); r != nil {
						// Decided once the report of the buffer
						// of the task before it is read (touched
						// then).
						r.holdAtEnd(b)
						continue
					}
					if w := e.editsWait(b); w != nil {
						// The report it is decided from, let go,
						// read again off the lock (touched then).
						w.holdBlock(b)
						continue
					}
					if e.applyEdit(b, in, now) {
						// Taken from the buffer, looked at again: still
						// waiting for the stop to be decided, the wait
						// kept until it is (lifted then), or ended.
						if State(in.rec.State) != Queued {
							delete(ds.failWaits, b)
							in.rec.WaitsFor = ""
							passed = in.endsUnlaunched(passed)
							changed = append(changed, &in.rec)
							unlaunched = append(unlaunched, b)
							e.touch(b)
						}
						continue
					}
					delete(ds.failWaits, b)
					in.rec.WaitsFor = ""
					if fresh {
						// Not run, its results standing (once only: a
						// restart asked for runs it; a reading in Emacs
						// whenever its block's output needs none).
						if why, cached := e.unrun(b); why != "" {
							if b.task.ReadsOutput {
								in.rec.AttemptID = "" // not an earlier reading's results
							}
							in.rec.HeldBy = ds.heldBy(b, why)
							in.rec.CacheStood = cached
							endUnlaunched(in, Finished, why)
							if cached {
								cacheHits++
							}
							continue
						}
					}
					if e.stagedReadHolds(b) != nil {
						// Decided once the file Babel wrote for a
						// block before it, which it reads, is read,
						// off the lock (touched then).
						continue
					}
					if in.readyAt.IsZero() {
						in.readyAt = now
					}
					if in.readyIn != e.passes {
						in.readyIn = e.passes
						ready = append(ready, in)
					}
				case Blocked:
					if b.task.ReadsOutput {
						in.rec.AttemptID = "" // it never ran: no reading failed
					}
					if held := ds.holdsByFailure(b); held != "" {
						// A dependency whose failure stops the
						// document (a :post chain's): Emacs stops
						// before this block, or in it, resolving
						// the reference, and leaves its results.
						in.rec.HeldBy = ds.heldBy(b, held)
						endUnlaunched(in, Finished, held)
						continue
					}
					endUnlaunched(in, Failed, ds.blockedWhy(deps, why))
					e.metrics.failures.Inc()
				}
			}
		}
	}
	// The queue's order: documents in order of arrival, blocks in
	// document order (queueOrder).
	slices.SortStableFunc(ready, func(a, b *instState) int { return queueOrder(a.block, b.block) })
	var launches []launchPlan
	var prepares []prepareReq
	if len(ready) > 0 {
		admitted := make([]int, 0, len(ready))
		if capacity, ok := e.backend.Capacity(); ok {
			used := e.usedResources()
			cands := e.passBufs.cands[:0]
			for _, in := range ready {
				cands = append(cands, Candidate{Resources: in.block.task.Resources})
			}
			admitted = Admit(cands, capacity, used)
			e.passBufs.cands = cands[:0]
		} else {
			for i := range ready {
				admitted = append(admitted, i)
			}
		}
		// What is not admitted waits for capacity: looked at again
		// once resources are let go (capwait.go).
		if len(admitted) < len(ready) {
			isAdmitted := make([]bool, len(ready))
			for _, i := range admitted {
				isAdmitted[i] = true
			}
			for i, in := range ready {
				if !isAdmitted[i] {
					e.capWait(in)
				}
			}
		}
		for _, i := range admitted {
			in := ready[i]
			unstarted++ // until it is staged
			in.rec.Attempts++
			id := AttemptID(in.rec.DocID, in.block.index, in.rec.Block, in.rec.Instance, in.rec.Attempts)
			a, err := e.attempt(in, id)
			if err == nil {
				if other := e.attempts[id]; other != nil && other != in {
					// Never two instances on one attempt: the backend
					// would run one, and the other would wait forever.
					err = fmt.Errorf("attempt id %s is already block %s's", id, other.block.name)
				}
			}
			if err != nil && in.block.refErr != "" {
				// A block Emacs would stop at, after a stop found
				// before it in this pass (a default :cmdline both
				// take): not run, as the stop before it holds it.
				if why := in.block.doc.holdsByFailure(in.block); why != "" {
					in.rec.Attempts--
					in.block.refErr, in.block.shellStop, in.block.cmdlineStop, in.block.bindStop = "", false, false, false
					in.block.doc.failStopTouched(in.block)
					in.rec.RefErr, in.rec.RefErrShell, in.rec.RefErrCmdline, in.rec.RefErrBinding = "", false, false, false
					in.rec.HeldBy = in.block.doc.heldBy(in.block, why)
					endUnlaunched(in, Finished, why)
					continue
				}
			}
			if err != nil {
				t := now
				in.rec.State = string(Failed)
				in.rec.Message = "could not start: " + err.Error()
				in.rec.FinishedAt = &t
				changed = append(changed, &in.rec)
				unlaunched = append(unlaunched, in.block)
				e.metrics.failures.Inc()
				e.touch(in.block)
				continue
			}
			if a.Session != "" {
				ds := in.block.doc
				if ds.openSessions == nil {
					ds.openSessions = map[string]string{}
				}
				ds.openSessions[a.Session] = in.block.task.Session.Key
				e.sessionDocs[ds] = struct{}{}
			}
			unstarted--
			in.rec.State = string(Staged)
			e.docChanged(in.block.doc)
			// Launched here: its backend knows it, whatever an
			// attempt staged from an intent before it was.
			in.rec.FromIntent, in.rec.BeforeIntent = false, nil
			e.supersedeReport(in) // reportcache.go
			in.rec.AttemptID = id
			// Read before the backend is given it: no process of it
			// started before (Attempt.LaunchTicks).
			a.LaunchTicks = proclist.BootTicks()
			in.rec.LaunchTicks = a.LaunchTicks
			in.rec.RunFor = ""
			if r := in.block.runFor; r != nil {
				in.rec.RunFor = r.name // kept across a restart (knowRunFor)
			}
			in.rec.NextRunAt = nil
			in.rec.ExitCode = nil
			in.rec.Message = ""
			in.rec.TimedOut = new(bool)
			in.rec.Host = ""
			e.track(id, in)
			e.metrics.latency.Observe(now.Sub(in.readyAt).Seconds())
			in.readyAt = time.Time{}
			changed = append(changed, &in.rec)
			launches = append(launches, launchPlan{in: in, a: a})
			prepares = e.toPrepare(in.block, prepares)
		}
	}
	// Room that appeared in this pass without resources let go (hold):
	// an instance admitted that did not start (e.attempt failed, its
	// attempt id taken) never held what it was admitted for, and an
	// instance waiting for capacity looked at again and not launched (no
	// longer ready, or what is free taken by one before it in the queue)
	// leaves room for one not looked at. Either way a pass right after
	// this one looks again, should one that waits fit: none waits with
	// room free for it.
	short := unstarted > 0
	for _, in := range looked {
		if State(in.rec.State) != Staged {
			short = true
			break
		}
	}
	if short && e.anyCapWaiterFits() {
		e.capWaiting.freed = true
		capAgain = true
	}
	found, gone := e.foundOwnersEnded(unlaunched)
	changed = append(changed, found...)
	// Once this pass has decided and launched, and found what the
	// blocks that ended or could not start found: those a stop held in
	// the documents whose blocks changed are held by the document's stop
	// as it stands now (rehold), one learned in this pass too (a
	// reference error found as its block was launched, a stop at a
	// block found in results), which no later pass may come to weigh.
	for ds := range e.reholds {
		if e.docs[ds.id] == ds && !ds.removing {
			changed = append(changed, e.rehold(ds)...)
		} else {
			ds.heldForget()
		}
	}
	clear(e.reholds)
	// Blocks touched after the worklist ran dry (dependents of an attempt
	// that could not start, blocks found again) are for a pass right
	// after this one.
	passAgain := len(e.check) > 0 || capAgain
	if !passAgain && len(again) > len(e.check) {
		// Made for what it takes, not grown step by step to it.
		e.check = make(map[*blockState]struct{}, len(again))
	}
	for _, b := range again {
		e.check[b] = struct{}{}
	}
	// Kept for the next pass, emptied: they hold nothing of this one's.
	e.passBufs.keep(ready, again, looked)
	for ds := range e.sessionDocs {
		closes = append(closes, ds.sessionsToClose()...)
		if len(ds.openSessions) == 0 {
			delete(e.sessionDocs, ds)
		}
	}
	recs := copyRecs(changed)
	e.mu.Unlock()
	if len(passed) > 0 && e.store != nil {
		e.store.PassIntents(passed)
	}
	// Write-ahead: a launch is on disk before its program runs. A backend
	// that starts nothing of a program before its Attempt.Durable is
	// closed (EarlyLauncher) is given the launches first, so that making
	// its processes overlaps the write's sync; the others after it.
	durable := make(chan struct{})
	madeDurable := false
	makeDurable := func() {
		if madeDurable {
			return
		}
		madeDurable = true
		// The records of dropped blocks and of blocks found again go
		// with the ends that drop or find them, in one transaction
		// (the journal holds no removal, and its replay takes only
		// attempts).
		var seq uint64
		if len(gone.recs)+len(found) == 0 {
			seq = e.journal(recs)
		}
		e.mu.Lock()
		var w pendingWrite
		if len(gone.recs)+len(found) > 0 {
			w = e.queueChange(changed, gone.recs)
		} else if seq > 0 {
			e.queueJournaled(changed, seq)
		} else {
			w = e.queueWrite(changed)
		}
		e.mu.Unlock()
		if err := e.awaitWrite(w); err != nil {
			e.log.Error("storing instance states", "err", err)
		}
		close(durable)
		// Prepared while the launches are made and the programs run
		// (not beside the write-ahead, whose sync the files' creation
		// slows).
		for _, p := range prepares {
			select {
			case e.prepares <- p:
			default: // behind: the launch makes what it needs itself
			}
		}
		if len(prepares) > 0 && e.boot != "" {
			select {
			case e.intents <- prepares:
			default: // behind: those launches are synced
			}
		}
	}
	if el, ok := e.backend.(EarlyLauncher); !ok || !el.LaunchesEarly() || len(closes) > 0 {
		makeDurable()
	}
	for _, id := range closes {
		if err := e.backend.CloseSession(ctx, id); err != nil {
			e.log.Warn("closing a session whose blocks have ended", "session", id, "err", err)
		}
	}
	// Launches run side by side: starting a process costs a few
	// milliseconds of system calls, and one at a time would make the
	// scheduler the bottleneck.
	for _, l := range launches {
		e.metrics.launches.Inc()
		select {
		case e.launchSlots <- struct{}{}:
		default:
			// The launches holding the slots may wait for the write.
			makeDurable()
			e.launchSlots <- struct{}{}
		}
		l.a.Durable = durable
		// Counted, and not cancelled by shutdown: the writer stores
		// what a launch under way changes before it stops (closeWrites).
		e.active.Add(1)
		go func(in *instState, a *Attempt) {
			defer e.active.Done()
			defer func() { <-e.launchSlots }()
			ctx := context.WithoutCancel(ctx)
			if err := e.backend.Launch(ctx, a); err != nil {
				// Its end is stored after its launch.
				<-a.Durable
				e.log.Warn("launch failed", "attempt", a.ID, "err", err)
				e.onUpdate(Update{AttemptID: a.ID, State: Failed, Message: "could not start: " + err.Error(), Time: e.now()})
				return
			}
			// A kill or restart that came while the backend was starting
			// the attempt found nothing to stop: stop it now.
			e.mu.Lock()
			orphan := e.attempts[a.ID] != in || in.rec.Killed
			e.mu.Unlock()
			if orphan {
				if err := e.backend.Kill(ctx, a.ID); err != nil {
					e.log.Warn("stopping an attempt killed during its launch", "attempt", a.ID, "err", err)
				}
			}
		}(l.in, l.a)
	}
	makeDurable()
	if len(gone.recs)+len(gone.kills)+len(gone.sessions) > 0 {
		// Stored already (makeDurable): their attempts are killed now.
		go e.forgetDropped(pendingWrite{}, gone)
	}
	if passAgain {
		e.poke()
	}
	return next
}

// passBuffers are a scheduling pass's lists, kept from one pass to the
// next (when a wide document's hundreds of blocks waiting for capacity
// were looked at again at each pass, their lists made anew each time were
// the better part of what the engine allocated). They are used only while
// e.mu is held.
type passBuffers struct {
	blocks, again []*blockState
	ready, looked []*instState
	cands         []Candidate
}

// keep takes back a pass's ready, again and looked lists, emptied (no
// block or instance stays reachable through them), with the blocks
// looked at.
func (p *passBuffers) keep(ready []*instState, again []*blockState, looked []*instState) {
	// Whole: a list shorter this time than before still held the
	// earlier pass's beyond its length.
	clear(ready[:cap(ready)])
	clear(again[:cap(again)])
	clear(looked[:cap(looked)])
	clear(p.blocks[:cap(p.blocks)])
	p.ready, p.again, p.looked, p.blocks = ready[:0], again[:0], looked[:0], p.blocks[:0]
}
