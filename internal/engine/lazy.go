package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/store"
)

// This file is how a server starts over a long history without reading
// it: at start, only documents with something queued, staged or running
// are read and planned (their attempts recovered); a document that had
// ended is known by its stored summary (id, title, the states of its
// tasks) until something needs more of it — its view, results, logs,
// files, a kill, restart or removal — which reads and plans it then.

// stub is what a document that had ended at start is known by until it
// is planned.
type stub struct {
	count    int           // its stored instances
	tasks    map[State]int // their states (shared with list answers: never changed)
	state    State
	finished *time.Time // when its last task ended
	once     sync.Once  // plans it, once
	err      error
}

// load rebuilds the in-memory state from the store: documents with
// something that may still run are planned, and their staged or running
// attempts returned to be recovered, with those a restart killed that had
// not ended (recoverDying); the others are stubs. kills are recovered
// attempts to kill once the backend has them (blocks of a session that
// runs again: session_resume.go; those a restart killed).
func (e *Engine) load() (recover []*Attempt, kills []string, err error) {
	if e.store == nil {
		return nil, nil, nil
	}
	docs, briefs, err := e.store.LoadIndex()
	if err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	// Instance keys begin with their document's id: a document's
	// briefs are together.
	byDoc := map[string][]store.Brief{}
	for i := 0; i < len(briefs); {
		j := i + 1
		for j < len(briefs) && briefs[j].DocID == briefs[i].DocID {
			j++
		}
		byDoc[briefs[i].DocID] = briefs[i:j:j]
		i = j
	}
	var fixed []*store.Instance
	// The launch intents the journal held, by instance (intent.go).
	intents := map[string]store.Intent{}
	for _, it := range e.store.Intents() {
		k := string(it.Key())
		if it.Attempts > intents[k].Attempts {
			intents[k] = it
		}
	}
	if len(intents) > 0 && e.boot == "" {
		e.log.Warn("launch intents without a boot id to compare theirs with: their attempts are taken as launched, perhaps after a reboot", "count", len(intents))
	}
	titles := map[string]string{}
	var untitled []string
	now := e.now()
	// The documents that may still run, planned and the reports of
	// their Emacs' buffers read before the lock is taken.
	planned := map[string]loadedDoc{}
	for _, d := range docs {
		if !liveAtLoad(byDoc[d.ID]) {
			continue
		}
		l, err := e.planAtLoad(d)
		if err != nil {
			return nil, nil, err
		}
		planned[d.ID] = l
	}
	// place adopts d (planned) or keeps it as a stub, and puts it in
	// e. The caller holds e.mu.
	place := func(d *store.Document) {
		recs := byDoc[d.ID]
		var ds *docState
		if l, live := planned[d.ID]; live {
			ds = l.ds
			r, f := e.adopt(ds, l.recs, now)
			recover, fixed = append(recover, r...), append(fixed, f...)
			r, dying := e.recoverDying(ds)
			recover, kills = append(recover, r...), append(kills, dying...)
			r, f = e.applyIntents(ds, intents)
			recover, fixed = append(recover, r...), append(fixed, f...)
			k, f := e.resumeSessionsLocked(ds, now)
			kills, fixed = append(kills, k...), append(fixed, f...)
			if !d.TitleKnown {
				titles[d.ID] = ds.title
			}
		} else {
			// Its intents are not looked at: none is of an attempt
			// that may have been launched. An intent's instance was
			// stored queued before the intent (intentLoop), and a
			// document holding it is planned; a record ended since
			// is the end of the intent's attempt (an attempt as late:
			// applyIntents passes the intent over) or one decided
			// without its launch (a dependency failed, a kill, results
			// standing), which never happened: its record says so
			// (Killed, or NotLaunched, which applyIntents passes over
			// too in a document still running); a launch of that
			// attempt after all (a restart) is synced, its intent
			// passed over (the store's PassIntents)
			// (TestIntentOfAnEndedDocument,
			// TestIntentOfABlockEndedUnlaunched).
			ds = stubDocState(d, recs)
			if !d.TitleKnown {
				untitled = append(untitled, d.ID)
			}
		}
		ds.seq = d.Seq
		e.docs[ds.id] = ds
		e.addOrder(ds)
		e.tracked += ds.instances()
	}
	// The documents are placed in batches: the reports of a batch's
	// documents are read (each document's concurrently, prereadAll)
	// and kept (pinned) until the batch is adopted, which ends once
	// they cost reportBudget or more. What is pinned at a start is so
	// at most the budget plus the reports of one document.
	var batch []*store.Document
	var jobs []prereadJob
	var unpins []func()
	flush := func() {
		e.mu.Lock()
		for _, d := range batch {
			place(d)
		}
		e.mu.Unlock()
		for _, u := range unpins {
			u()
		}
		batch, jobs, unpins = batch[:0], jobs[:0], unpins[:0]
	}
	for _, d := range docs {
		batch = append(batch, d)
		l, live := planned[d.ID]
		if !live {
			continue
		}
		j := e.reportsToPreread(l.ds, l.recs)
		unpins = append(unpins, e.prereadAll(j))
		jobs = append(jobs, j...)
		if e.parsedReports.costOf(jobs) >= reportBudget {
			flush()
		}
	}
	flush()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.metrics.documents.Set(float64(len(e.order)))
	var gone []*store.Instance
	for _, ds := range e.docs {
		gone, ds.formerGone = append(gone, ds.formerGone...), nil
	}
	if err := e.store.Commit(fixed, gone, 0); err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	// What became of the intents is stored: they are not to be read again.
	if err := e.store.ForgetIntents(); err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	if err := e.store.SetTitles(titles); err != nil {
		return nil, nil, fmt.Errorf("load: %w", err)
	}
	e.untitled = untitled
	return recover, kills, nil
}

// liveAtLoad reports whether a stored document whose instances' briefs
// are recs may still run: it is planned at a start.
func liveAtLoad(recs []store.Brief) bool {
	for _, r := range recs {
		if !State(r.State).Terminal() || r.Dying || r.BufferUnread {
			// BufferUnread: the report of its buffer is read
			// again (readReportsAgain), which may add blocks.
			return true
		}
	}
	return false
}

// loadedDoc is a stored document planned at a start, with its records.
type loadedDoc struct {
	ds   *docState
	recs []*store.Instance
}

// planAtLoad reads stored document d and plans it; the caller reads the
// reports of its Emacs' buffers (reportsToPreread, prereadAll) before it
// adopts it. The caller does not hold e.mu.
func (e *Engine) planAtLoad(d *store.Document) (loadedDoc, error) {
	rec, _, err := e.store.DocumentRecord(d.ID)
	if err != nil {
		return loadedDoc{}, fmt.Errorf("load: %w", err)
	}
	text, visit, enc := recordText(rec)
	full, err := e.store.DocumentInstances(d.ID)
	if err != nil {
		return loadedDoc{}, fmt.Errorf("load: %w", err)
	}
	ds := e.storedDocState(d.ID, text, visit, d.SubmittedAt)
	ds.enc = enc
	return loadedDoc{ds, full}, nil
}

// storedDocState plans a stored document; one that cannot be planned any
// more (limits changed) stays visible with the reason.
func (e *Engine) storedDocState(id, text string, visit org.Visit, submitted time.Time) *docState {
	ds, _, err := e.newDocState(id, text, visit, submitted)
	if err != nil {
		ds = &docState{id: id, text: text, submitted: submitted, visit: visit, problem: err.Error(), byName: map[string]*blockState{}}
	}
	return ds
}

// recordText is a stored document's text, where its sender visits it and
// how its file holds it (none for a record not stored).
func recordText(d *store.Document) (string, org.Visit, org.Encoding) {
	if d == nil {
		return "", org.Visit{}, org.Encoding{}
	}
	return d.Text, org.Visit{Dir: d.VisitDir, Home: d.VisitHome}, org.Encoding{BOM: d.BOM, EOL: d.EOL, Coding: d.Coding, File: d.File}
}

// adopt gives a planned document's instances their stored states; it
// returns the attempts that were staged or running (to recover), and the
// states it had to change. The caller holds e.mu.
func (e *Engine) adopt(ds *docState, recs []*store.Instance, now time.Time) (recover []*Attempt, fixed []*store.Instance) {
	byKey := make(map[string]*store.Instance, len(recs))
	for _, in := range recs {
		byKey[string(in.Key())] = in
	}
	recover, fixed = e.adoptBlocks(ds.blocks, byKey, now)
	// The reports not read when the server stopped, read again before
	// what follows looks at the buffers (and again below, for those of
	// the blocks added).
	e.readReportsAgain(ds)
	// The blocks its Emacs added to the Org buffer, added again
	// (added.go), then given their states, and those that added ones
	// of its Emacs added in turn (each round adds blocks, of a report
	// that has marks for them, or ends).
	ds.stored = make(map[string]bool, len(recs))
	for _, in := range recs {
		ds.stored[in.Block] = true
	}
	for from := 0; from < len(ds.blocks); {
		n := len(ds.blocks)
		again := e.addedAgain(ds, from)
		r, f := e.adoptBlocks(append(again, e.foundAgain(ds, from)...), byKey, now)
		recover, fixed = append(recover, r...), append(fixed, f...)
		from = n
	}
	// The runs the blocks an Emacs Lisp block changed made for their
	// new references (changedruns.go), given their states too.
	r, f := e.adoptBlocks(e.knowChangedRuns(ds, ds.stored), byKey, now)
	recover, fixed = append(recover, r...), append(fixed, f...)
	ds.stored = nil
	if ds.docResultsMoved() && ds.foundIn != nil {
		// The search wrote the results of a block of the document
		// in its place before the block of its name found in
		// results, where they go, was found: searched again, they
		// are where they go (the blocks found keep their keys,
		// given in the order they stand).
		if doc, err := e.parsed(ds); err == nil {
			ds.searched, ds.foundIn, ds.stopped = nil, nil, nil
			e.searchResults(ds, doc, ds.blocks[0], true, nil)
		}
	}
	ds.unclaimedAttempts(byKey)
	if beforeRefErrs != nil {
		beforeRefErrs(ds)
	}
	ds.knowRefErrs()
	ds.knowFailWaits()
	ds.knowRunFor()
	e.readAtEndAgain(ds)
	e.readReportsAgain(ds)
	fixed = append(fixed, e.requeueGhostHeld(ds, now)...)
	return recover, fixed
}

// unclaimedAttempts counts, as dropped (droppedAttempts), the attempts
// of the stored records (byKey) no block of ds claims: blocks found in
// the results of a block running again when the server stopped, which
// are not searched until it ends. Found again then, they count their
// attempts on, rather than launch under their first attempt's id, whose
// files are still there. The record is kept: the block found again
// stores over it, and a server started again before that counts it
// again. The caller holds e.mu.
func (ds *docState) unclaimedAttempts(byKey map[string]*store.Instance) {
	claimed := map[string]bool{}
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			claimed[string(in.rec.Key())] = true
		}
	}
	for k, rec := range byKey {
		if claimed[k] || rec.DocID != ds.id || rec.Attempts == 0 {
			continue
		}
		if ds.droppedAttempts == nil {
			ds.droppedAttempts = map[string]int{}
		}
		ds.droppedAttempts[rec.Block] = max(ds.droppedAttempts[rec.Block], rec.Attempts)
	}
}

// adoptBlocks gives blocks their stored states (by key), as adopt does.
// The caller holds e.mu.
func (e *Engine) adoptBlocks(blocks []*blockState, byKey map[string]*store.Instance, now time.Time) (recover []*Attempt, fixed []*store.Instance) {
	for _, b := range blocks {
		for _, in := range b.instances {
			rec, ok := byKey[string(in.rec.Key())]
			if former := b.doc.formerRecord(b, in, byKey); former != nil && !ok {
				// Stored under its new name from now on, the
				// older record removed in the same write.
				rec, ok = former, true
				fixed = append(fixed, &in.rec)
				b.doc.formerGone = append(b.doc.formerGone, former)
			}
			if ok {
				in.rec = *rec
				in.rec.Block = b.name
				b.doc.failStopTouched(b) // its results' stop, as stored
			}
			switch State(in.rec.State) {
			case Staged, Running:
				if other := e.attempts[in.rec.AttemptID]; other != nil {
					// An older Borges named attempts by block name
					// only: blocks whose names differ in punctuation
					// shared one. It is the first's; the others run
					// again rather than wait for an attempt no
					// backend runs for them.
					requeueShared(in, other, now)
					fixed = append(fixed, &in.rec)
					continue
				}
				if a := e.recoverAttempt(in); a != nil {
					recover = append(recover, a)
				}
			}
		}
	}
	return recover, fixed
}

// formerRecord is the record an older Borges stored instance in of b
// under b's #+name (formerName), which named a block found in results so
// while no other block had that name, and now names it by its owner and
// place; nil for none, or one of a block of ds that has that name, or
// when another block found has that #+name and b's owner did not end
// before its owner did (that Borges gave the name to the first found). It is
// taken out of byKey: b's record stands for it (unclaimedAttempts does
// not count it), and it is removed from the store with b's record stored
// under b's name (formerGone). The caller holds e.mu.
func (ds *docState) formerRecord(b *blockState, in *instState, byKey map[string]*store.Instance) *store.Instance {
	if b.formerName == "" || ds.byName[b.formerName] != nil {
		return nil
	}
	// That Borges named so the first block of the name found, in the
	// results of the block that ended first: with several found, the
	// record is that one's, or (not known which) none's.
	ended := func(x *blockState) *time.Time {
		if o := ds.byName[x.addedBy]; o != nil && len(o.instances) == 1 {
			return o.instances[0].rec.FinishedAt
		}
		return nil
	}
	for _, o := range ds.blocks {
		if o == b || o.formerName != b.formerName || o.task == nil {
			continue
		}
		mine, theirs := ended(b), ended(o)
		if mine == nil || theirs == nil || !mine.Before(*theirs) {
			return nil
		}
	}
	k := store.Instance{DocID: ds.id, Block: b.formerName, Instance: in.rec.Instance}
	rec, ok := byKey[string(k.Key())]
	if !ok {
		return nil
	}
	delete(byKey, string(k.Key()))
	return rec
}

// recoverAttempt is in's stored attempt, staged or running, tracked, to
// be recovered; nil (in lost) if its block has no task any more. The
// caller holds e.mu.
func (e *Engine) recoverAttempt(in *instState) *Attempt {
	b := in.block
	if b.task == nil {
		in.rec.State = string(Lost)
		return nil
	}
	a, err := e.attempt(in, in.rec.AttemptID)
	if err != nil {
		// Its program cannot be made again (a dependency's end, stored
		// with a later batch than the launch, was not): a backend
		// re-attaches to an attempt by its id and task, or reports it
		// lost, which runs it again.
		a = attemptByID(in, in.rec.AttemptID)
		a.Number = in.rec.Attempts
	}
	a.FromIntent = in.rec.FromIntent
	a.LaunchTicks = in.rec.LaunchTicks
	e.track(a.ID, in)
	return a
}

// attemptByID is in's attempt id as a backend re-attaches to it: by its
// id and its block's task alone, its program not made again.
func attemptByID(in *instState, id string) *Attempt {
	b := in.block
	a := &Attempt{ID: id, DocID: b.doc.id, Block: b.name, Instance: in.rec.Instance, Task: b.task}
	if b.task.Session != nil {
		a.Session = b.doc.sessionID(b.task.Session.Key)
	}
	return a
}

// recoverDying tracks the attempts of ds's instances a restart killed
// that had not ended (Dying) by stand-ins again, holding their
// resources, and returns them to be recovered, then killed (the kill may
// never have been sent). The caller holds e.mu.
func (e *Engine) recoverDying(ds *docState) (recover []*Attempt, kills []string) {
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			if b.task == nil {
				in.rec.Dying, in.rec.DyingTicks = nil, nil // never run
				continue
			}
			for _, id := range in.rec.Dying {
				if e.attempts[id] != nil {
					continue
				}
				e.track(id, &instState{block: b, rec: store.Instance{AttemptID: id}, dying: true, of: in})
				a := attemptByID(in, id)
				// 0 if not known: the local backend then knows the
				// wrapper by the pid and start it wrote at the launch
				// (local's wrapperfile.go).
				a.LaunchTicks = in.rec.DyingTicks[id]
				recover = append(recover, a)
				kills = append(kills, id)
			}
		}
	}
	return recover, kills
}

// requeueShared queues again an instance whose stored attempt id another
// instance holds (killed instances stay killed).
func requeueShared(in, other *instState, now time.Time) {
	in.rec.Message = fmt.Sprintf("its attempt %s was also block %s's (attempt ids of older versions)", in.rec.AttemptID, other.block.name)
	in.rec.StartedAt = nil
	in.rec.NextRunAt = nil
	if in.rec.Killed {
		in.rec.State = string(Killed)
		in.rec.FinishedAt = &now
		return
	}
	in.rec.State = string(Queued)
	in.rec.Lost++
}

// stubDocState is a document that had ended, as its stored states say.
func stubDocState(d *store.Document, recs []store.Brief) *docState {
	// In key order: a block's instances are together.
	st := &stub{count: len(recs), tasks: map[State]int{}}
	var states, block []State
	for i, r := range recs {
		st.tasks[State(r.State)]++
		if f := r.FinishedAt; f != nil && (st.finished == nil || f.After(*st.finished)) {
			st.finished = f
		}
		block = append(block, State(r.State))
		if i == len(recs)-1 || recs[i+1].Block != r.Block {
			states = append(states, BlockState(block))
			block = block[:0]
		}
	}
	st.state = documentState(states)
	return &docState{id: d.ID, seq: d.Seq, title: d.Title, submitted: d.SubmittedAt,
		byName: map[string]*blockState{}, lazy: st}
}

// loaded makes sure document id, if there is one, is planned: a stub is
// read and planned now (outside the engine's lock), once, and takes its
// place.
func (e *Engine) loaded(id string) error {
	e.mu.Lock()
	ds := e.docs[id]
	e.mu.Unlock()
	if ds == nil || ds.lazy == nil {
		return nil
	}
	ds.lazy.once.Do(func() { ds.lazy.err = e.planStub(ds) })
	return ds.lazy.err
}

// planStub reads and plans a stub and puts the planned document in its place.
func (e *Engine) planStub(old *docState) error {
	if e.store == nil {
		return nil
	}
	rec, ok, err := e.store.DocumentRecord(old.id)
	if err != nil {
		return fmt.Errorf("reading document %s: %w", old.id, err)
	}
	text, visit, enc := recordText(rec)
	if !ok {
		return fmt.Errorf("document %s: %w", old.id, ErrNotFound)
	}
	recs, err := e.store.DocumentInstances(old.id)
	if err != nil {
		return fmt.Errorf("reading document %s: %w", old.id, err)
	}
	ds := e.storedDocState(old.id, text, visit, old.submitted)
	ds.enc = enc
	ds.seq = old.seq
	ds.pos = old.pos
	defer e.prereadReports(ds, recs)()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.docs[old.id] != old {
		return nil // removed meanwhile
	}
	// Nothing of it was staged or running: nothing to recover.
	_, fixed := e.adopt(ds, recs, e.now())
	e.docs[ds.id] = ds
	i := sort.Search(len(e.order), func(i int) bool { return e.order[i].seq >= old.seq })
	if i < len(e.order) && e.order[i] == old {
		e.order[i] = ds
	} else {
		for k, x := range e.order {
			if x == old {
				e.order[k] = ds
			}
		}
	}
	e.tracked += ds.instances() - old.lazy.count
	for _, b := range ds.blocks {
		e.touchBlock(b)
	}
	if len(e.check) > 0 {
		// Tasks it has now and had no state for (its limits or the
		// languages installed changed since): they run, as at a start.
		e.poke()
	}
	if gone := ds.formerGone; len(fixed)+len(gone) > 0 {
		ds.formerGone = nil
		w := e.queueChange(fixed, gone)
		go func() {
			if err := e.awaitWrite(w); err != nil {
				e.log.Error("storing instance states", "err", err)
			}
		}()
	}
	return nil
}

// fillTitles reads the titles of the documents an older Borges stored
// without one, newest first, and stores them, in the background.
func (e *Engine) fillTitles(ctx context.Context) {
	e.mu.Lock()
	ids := e.untitled
	e.untitled = nil
	e.mu.Unlock()
	titles := map[string]string{}
	save := func() {
		if err := e.store.SetTitles(titles); err != nil {
			e.log.Warn("storing the titles of documents", "err", err)
		}
		titles = map[string]string{}
	}
	for i := len(ids) - 1; i >= 0 && ctx.Err() == nil; i-- {
		text, ok, err := e.store.DocumentText(ids[i])
		if err != nil || !ok {
			continue
		}
		doc, err := org.Parse(text)
		if err != nil {
			continue
		}
		title := docTitle(doc)
		e.mu.Lock()
		if ds := e.docs[ids[i]]; ds != nil && ds.lazy != nil {
			ds.title = title
			e.docChanged(ds)
		}
		e.mu.Unlock()
		titles[ids[i]] = title
		if len(titles) >= 500 {
			save()
		}
	}
	save()
}

// docTitle is a document's #+TITLE (the last one).
func docTitle(doc *org.Document) string {
	title := ""
	for _, k := range doc.Keywords {
		if strings.EqualFold(k.Key, "TITLE") {
			title = k.Value
		}
	}
	return title
}

// countStates adds the states of ds's instances to counts.
func (ds *docState) countStates(counts map[State]int) {
	if ds.lazy != nil {
		for st, n := range ds.lazy.tasks {
			counts[st] += n
		}
		return
	}
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			counts[State(in.rec.State)]++
		}
	}
}

// beforeRefErrs, set by the package's tests, is called by adopt with
// the document just before its stored reference errors are put back
// (knowRefErrs); nil otherwise. The caller holds e.mu.
var beforeRefErrs func(ds *docState)

// knowRefErrs rebuilds, from the records of a document read again, each
// block's reference error (blockState.refErr): its failed instance's, the
// stop it makes then looked for again. The caller holds e.mu.
func (ds *docState) knowRefErrs() {
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			if State(in.rec.State) == Failed && in.rec.RefErr != "" {
				b.refErr, b.shellStop, b.cmdlineStop, b.bindStop = in.rec.RefErr, in.rec.RefErrShell, in.rec.RefErrCmdline, in.rec.RefErrBinding
				ds.failStopTouched(b)
			}
		}
	}
}
