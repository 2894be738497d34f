package engine

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/sandboxfs"
	"github.com/wallyqs/borges/internal/store"
)

// Config configures an Engine.
type Config struct {
	Backend Backend
	Store   *store.Store
	Logger  *slog.Logger
	Plan    plan.Options
	// Now is the clock (tests pass their own).
	Now func() time.Time
	// MaxResultBytes bounds how much of a block's output is read for its
	// results and for dependents (#+borges_max_result:, default 1 MiB):
	// the results of a longer output show the part kept under a note.
	MaxResultBytes int
	// MaxTracked bounds the task instances the engine holds, all
	// documents together (default DefaultMaxTracked): beyond it a
	// submission gets ErrBusy rather than slow the server down for all.
	MaxTracked int
	// Keep is which ended documents are kept (#+borges_keep); the rest
	// are removed in the background every RetainEvery (see remove.go).
	Keep        Retention
	RetainEvery time.Duration
	// RemoveWait bounds how long a removal waits for the kills of its
	// document's tasks to be final (default DefaultRemoveWait).
	RemoveWait time.Duration
	// PlanHook, when set, runs after a submitted document is planned and
	// before it takes effect (tests make planning slow with it).
	PlanHook func(ctx context.Context)
}

// DefaultMaxTracked is twice the instances the server was measured with
// (100,000 in about 120 MB).
const DefaultMaxTracked = 200000

// Engine owns documents and their tasks.
type Engine struct {
	cfg     Config
	backend Backend
	store   *store.Store
	log     *slog.Logger
	now     func() time.Time
	metrics *Metrics

	// writes carries instance states to the writer goroutine, in order:
	// lazy ones (an attempt's end: a restarted server learns it from its
	// backend anyway) and synchronous ones (a launch, a kill), which flush
	// everything before them.
	writes  chan writeReq
	stopped chan struct{} // closed when the writer has stopped

	launchSlots chan struct{} // bounds launches in flight
	prepares    chan prepareReq
	// prepMu is held while an attempt is prepared: a removal waits on it
	// before it deletes its document's files, so that no preparation
	// comes after and leaves a directory behind.
	prepMu sync.Mutex

	// recent keeps the last few parsed documents: a document is parsed
	// again when needed rather than kept, so that a server tracking many
	// tasks holds their texts and tasks, not every parse tree.
	recent []*parsedDoc

	// untitled are documents stored by an older Borges without their
	// title: fillTitles reads them in the background.
	untitled []string

	mu       sync.Mutex
	tracked  int // task instances of every document, against MaxTracked
	docs     map[string]*docState
	order    []*docState
	attempts map[string]*instState // live attempts by id
	used     plan.Resources        // what they hold (see track)
	wake     chan struct{}

	// check is the blocks the next scheduling pass looks at: those of a
	// new document, those whose instances or dependencies changed state,
	// and those left ready or waiting for a restart by the last pass. A
	// pass costs what changed, not everything tracked (see touch).
	check map[*blockState]struct{}
	// sessionDocs are the documents with an open session: each pass closes
	// the sessions whose blocks have all ended (see sessionsToClose).
	sessionDocs map[*docState]struct{}
	// nextPos orders documents for the queue (docState.pos).
	nextPos uint64
	// examined counts the instances the last pass looked at.
	examined int
}

type docState struct {
	id        string
	seq       uint64
	pos       uint64 // place in the queue, in order of arrival
	text      string
	title     string
	submitted time.Time
	plan      *plan.Plan
	// planned is false for a stored document that cannot be planned any
	// more (problem says why).
	planned bool
	problem string // set when a stored document cannot be planned any more
	blocks  []*blockState
	byName  map[string]*blockState

	// removing is set while the document is being removed: it is no
	// longer listed, though its attempts' ends are still applied.
	removing bool

	// lazy is set for a document that had ended when the server started:
	// it is read and planned when first needed (lazy.go).
	lazy *stub
	// lower is its title and id in lower case, for the list's filter
	// (lowerOf: the title it was made from).
	lower, lowerOf string

	// sessionGen counts the restarts of each session (by plan key), and
	// openSessions maps the ids of the sessions attempts were launched in
	// to their keys, until they are closed (see Attempt.Session).
	sessionGen   map[string]int
	openSessions map[string]string

	// visit is where the sender visits the document (SubmitFrom), for
	// the links of its :results file blocks.
	visit org.Visit
}

// sessionID is the id of the current interpreter of a document's session.
func (ds *docState) sessionID(key string) string {
	return fmt.Sprintf("%s/%s/%d", ds.id, key, ds.sessionGen[key]+1)
}

// sessionsToClose are the open sessions of a document whose blocks have
// all ended; they are no longer open once returned. The caller holds e.mu.
func (ds *docState) sessionsToClose() []string {
	if len(ds.openSessions) == 0 {
		return nil
	}
	states := map[string][]State{}
	for id, key := range ds.openSessions {
		states[id] = []State{}
		if id != ds.sessionID(key) {
			continue // a session restarted since: closed already
		}
		for _, b := range ds.blocks {
			if b.task != nil && b.task.Session != nil && b.task.Session.Key == key {
				states[id] = append(states[id], b.states()...)
			}
		}
	}
	ids := SessionsToClose(states)
	for _, id := range ids {
		delete(ds.openSessions, id)
	}
	return ids
}

type blockState struct {
	doc       *docState
	pos       int // place in doc.blocks
	name      string
	index     int
	line      int
	lang      string
	task      *plan.Task
	skipped   *plan.Skipped
	instances []*instState
	result    *plan.Value // cached result value for dependents
	// dependents are the blocks whose readiness depends on this one's
	// state: those naming it in their dependencies (task.After) or
	// writing their results with it (task.ResultsWith).
	dependents []*blockState
}

type instState struct {
	block   *blockState
	rec     store.Instance
	readyAt time.Time     // when it became ready, for scheduling latency
	past    []AttemptView // its attempts that ended, for the page's timeline
	// prepared is the attempt last asked to be prepared for it (see
	// Preparer), whose files a removal deletes should it never run.
	prepared string
}

// New creates an engine; Start runs it.
func New(cfg Config) *Engine {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxResultBytes == 0 {
		cfg.MaxResultBytes = DefaultMaxResult
	}
	if cfg.MaxTracked == 0 {
		cfg.MaxTracked = DefaultMaxTracked
	}
	e := &Engine{cfg: cfg, backend: cfg.Backend, store: cfg.Store, log: cfg.Logger, now: cfg.Now,
		docs: map[string]*docState{}, attempts: map[string]*instState{}, wake: make(chan struct{}, 1),
		check: map[*blockState]struct{}{}, sessionDocs: map[*docState]struct{}{},
		metrics: newMetrics(), writes: make(chan writeReq, 4096), stopped: make(chan struct{}),
		launchSlots: make(chan struct{}, 2), prepares: make(chan prepareReq, 256)}
	e.metrics.states.count = e.countStates
	return e
}

// countStates counts the task instances of every document by state, for
// the metrics.
func (e *Engine) countStates() map[State]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	counts := map[State]int{}
	for _, ds := range e.order {
		ds.countStates(counts)
	}
	return counts
}

// Metrics returns the engine's Prometheus collectors.
func (e *Engine) Metrics() *Metrics { return e.metrics }

// Start loads the stored state, re-attaches to what still runs, and
// schedules until ctx ends.
func (e *Engine) Start(ctx context.Context) error {
	if err := e.backend.Start(ctx, e.onUpdate); err != nil {
		return fmt.Errorf("backend %s: %w", e.backend.Name(), err)
	}
	recover, kills, err := e.load()
	if err != nil {
		return err
	}
	// Recover runs even with nothing to recover: a backend also clears
	// what no attempt owns any more (containers, say).
	if len(recover) > 0 {
		e.log.Info("recovering attempts", "count", len(recover))
	}
	if err := e.backend.Recover(ctx, recover); err != nil {
		return fmt.Errorf("recover: %w", err)
	}
	for _, id := range kills {
		if err := e.backend.Kill(ctx, id); err != nil {
			e.log.Warn("killing a block of a session that runs again", "attempt", id, "err", err)
		}
	}
	go e.loop(ctx)
	go e.retainLoop(ctx)
	if p, ok := e.backend.(Preparer); ok {
		go e.prepareLoop(ctx, p)
	}
	if e.store != nil {
		go e.writer(ctx)
		go e.fillTitles(ctx)
	} else {
		close(e.stopped)
	}
	e.poke()
	return nil
}

// writeReq is instance states to store; done, when set, receives the
// result once they (and everything queued before) are on disk.
type writeReq struct {
	recs []store.Instance
	done chan error
	seq  uint64 // recs are journaled up to this sequence number (persistAhead)
}

// persist stores recs before returning.
func (e *Engine) persist(recs []*store.Instance) error {
	if e.store == nil || len(recs) == 0 {
		return nil
	}
	req := writeReq{done: make(chan error, 1)}
	for _, r := range recs {
		req.recs = append(req.recs, *r)
	}
	select {
	case e.writes <- req:
		return <-req.done
	case <-e.stopped:
		return e.store.PutInstances(recs)
	}
}

// persistAhead stores recs before returning, as persist does, in the
// store's launch journal: one small synced write, where a database commit
// is two and grows with the database. The writer stores them in the
// database with its next batch. Should the journal refuse them, they are
// stored in the database at once.
func (e *Engine) persistAhead(recs []*store.Instance) error {
	if e.store == nil || len(recs) == 0 {
		return nil
	}
	seq, err := e.store.Journal(recs)
	if err != nil {
		if !errors.Is(err, store.ErrJournalFull) {
			e.log.Warn("launch journal", "err", err)
		}
		return e.persist(recs)
	}
	req := writeReq{seq: seq}
	for _, r := range recs {
		req.recs = append(req.recs, *r)
	}
	select {
	case e.writes <- req:
		return nil
	case <-e.stopped:
		return e.store.PutInstancesUpTo(recs, seq)
	}
}

// persistLater queues a state to be stored with the next batch.
func (e *Engine) persistLater(rec store.Instance) {
	if e.store == nil {
		return
	}
	select {
	case e.writes <- writeReq{recs: []store.Instance{rec}}:
	case <-e.stopped:
		e.store.PutInstances([]*store.Instance{&rec})
	}
}

// writer stores instance states, many to a transaction: one fsync for a
// burst of updates instead of one each.
func (e *Engine) writer(ctx context.Context) {
	defer close(e.stopped)
	pending := map[string]*store.Instance{}
	var waiting []chan error
	// seq is the last journal record whose states are pending or stored
	// (requests arrive in the order they were journaled).
	var seq, storedSeq uint64
	flush := func() {
		var err error
		if len(pending) > 0 || seq > storedSeq {
			recs := make([]*store.Instance, 0, len(pending))
			for _, r := range pending {
				recs = append(recs, r)
			}
			if err = e.store.PutInstancesUpTo(recs, seq); err != nil {
				e.log.Error("storing instance states", "err", err)
			} else {
				storedSeq = seq
			}
			pending = map[string]*store.Instance{}
		}
		for _, w := range waiting {
			w <- err
		}
		waiting = nil
	}
	add := func(req writeReq) {
		seq = max(seq, req.seq)
		for i := range req.recs {
			r := req.recs[i]
			pending[string(r.Key())] = &r
		}
		if req.done != nil {
			waiting = append(waiting, req.done)
			flush()
		} else if len(pending) >= 1024 {
			flush()
		}
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			for {
				select {
				case req := <-e.writes:
					add(req)
				default:
					flush()
					return
				}
			}
		case req := <-e.writes:
			add(req)
		case <-tick.C:
			flush()
		}
	}
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

// newDocState parses and plans a document.
func (e *Engine) newDocState(id, text string, visit org.Visit, submitted time.Time) (*docState, error) {
	doc, err := org.Parse(text)
	if err != nil {
		return nil, &plan.RejectError{Problems: []plan.Problem{{Line: lineOf(err), Why: err.Error()}}}
	}
	doc.Visit = visit
	p, err := plan.Build(doc, e.backend.Limits(), e.cfg.Plan)
	if err != nil {
		return nil, err
	}
	ds := &docState{id: id, text: text, submitted: submitted, visit: visit, plan: p, planned: true, byName: map[string]*blockState{},
		title: docTitle(doc)}
	tasks := map[int]*plan.Task{}
	for _, t := range p.Tasks {
		tasks[t.Index] = t
	}
	skipped := map[int]*plan.Skipped{}
	for _, s := range p.Skipped {
		skipped[s.Index] = s
	}
	for _, blk := range doc.Executables() {
		b := &blockState{doc: ds, pos: len(ds.blocks), name: plan.BlockName(blk), index: blk.Index, line: blk.Line, lang: blk.Lang,
			task: tasks[blk.Index], skipped: skipped[blk.Index]}
		if b.task != nil {
			b.name = b.task.Block // NAME~2 for a second block of a name
			for i := 0; i < b.task.Instances; i++ {
				b.instances = append(b.instances, &instState{block: b, rec: store.Instance{
					DocID: id, Block: b.name, Instance: i, State: string(Queued)}})
			}
			ds.byName[b.name] = b
		}
		ds.blocks = append(ds.blocks, b)
	}
	// Blocks called with arguments (":var x=sq(n=7)") are tasks of their
	// own, not in the document: their results are written nowhere.
	for _, t := range p.Tasks {
		if t.Index >= 0 {
			continue
		}
		b := &blockState{doc: ds, pos: len(ds.blocks), name: t.Block, index: t.Index, line: t.Line, lang: t.Lang, task: t}
		for i := 0; i < t.Instances; i++ {
			b.instances = append(b.instances, &instState{block: b, rec: store.Instance{
				DocID: id, Block: b.name, Instance: i, State: string(Queued)}})
		}
		ds.byName[b.name] = b
		ds.blocks = append(ds.blocks, b)
	}
	for _, b := range ds.blocks {
		if b.task == nil {
			continue
		}
		seen := map[string]bool{}
		for _, d := range append(append([]string{}, b.task.After...), b.task.ResultsWith) {
			if dep := ds.byName[d]; dep != nil && !seen[d] {
				seen[d] = true
				dep.dependents = append(dep.dependents, b)
			}
		}
	}
	return ds, nil
}

// addOrder appends a document to the queue and has the next pass look at
// its blocks. The caller holds e.mu.
func (e *Engine) addOrder(ds *docState) {
	e.nextPos++
	ds.pos = e.nextPos
	e.order = append(e.order, ds)
	for _, b := range ds.blocks {
		e.touchBlock(b)
	}
}

// touch has the next scheduling pass look at block b and at the blocks
// that depend on it: whatever changes an instance's state calls it, for
// that is all that can make an instance ready, blocked, or due. The caller
// holds e.mu.
func (e *Engine) touch(b *blockState) {
	e.touchBlock(b)
	for _, d := range b.dependents {
		e.touchBlock(d)
	}
}

// touchBlock has the next pass look at b if it has a queued instance.
func (e *Engine) touchBlock(b *blockState) {
	if b.task == nil {
		return
	}
	for _, in := range b.instances {
		if State(in.rec.State) == Queued {
			e.check[b] = struct{}{}
			return
		}
	}
}

func lineOf(err error) int {
	var n int
	fmt.Sscanf(err.Error(), "line %d", &n)
	return n
}

// newID is a sortable, unguessable document id: time then randomness.
func newID(now time.Time) string {
	var b [13]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli()))
	rand.Read(b[8:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[2:]))
}

// instances counts a document's task instances.
func (ds *docState) instances() int {
	if ds.lazy != nil {
		return ds.lazy.count
	}
	n := 0
	for _, b := range ds.blocks {
		n += len(b.instances)
	}
	return n
}

// Submit plans a document whole, stores it durably, then schedules it.
// Nothing of it is kept or run if ctx ends first (ErrTooLate), or if the
// server holds as many instances as it may (ErrBusy).
func (e *Engine) Submit(ctx context.Context, text string) (*DocumentView, error) {
	return e.SubmitFrom(ctx, text, org.Visit{})
}

// SubmitFrom is Submit of a document the sender visits where visit says:
// its :results file links are made as Emacs makes them in a buffer
// visiting it there (org.Visit; the server never reads or writes there).
func (e *Engine) SubmitFrom(ctx context.Context, text string, visit org.Visit) (*DocumentView, error) {
	if err := e.room(1); err != nil {
		return nil, err // refused before the work of planning
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTooLate, err)
	}
	now := e.now()
	id := newID(now)
	ds, err := e.newDocState(id, text, visit, now)
	if err != nil {
		e.metrics.rejected.Inc()
		return nil, err
	}
	if e.cfg.PlanHook != nil {
		e.cfg.PlanHook(ctx)
	}
	var recs []*store.Instance
	for _, b := range ds.blocks {
		for _, in := range b.instances {
			recs = append(recs, &in.rec)
		}
	}
	// Room is reserved before the request takes effect, so that
	// concurrent submissions cannot together go over the limit.
	if err := e.reserve(len(recs)); err != nil {
		return nil, err
	}
	if err := TakeEffect(ctx); err != nil {
		e.reserve(-len(recs))
		return nil, err
	}
	if e.store != nil {
		d := &store.Document{ID: id, Text: text, SubmittedAt: now, Title: ds.title, VisitDir: visit.Dir, VisitHome: visit.Home}
		if err := e.store.AddDocument(d, recs); err != nil {
			e.reserve(-len(recs))
			return nil, fmt.Errorf("storing the document: %w", err)
		}
		ds.seq = d.Seq
	}
	e.mu.Lock()
	e.docs[id] = ds
	e.addOrder(ds)
	e.metrics.documents.Set(float64(len(e.order)))
	v := e.view(ds)
	e.mu.Unlock()
	e.log.Info("document accepted", "id", id, "blocks", len(ds.blocks), "tasks", len(ds.plan.Tasks))
	e.poke()
	return v, nil
}

// room reports whether n more instances may be tracked.
func (e *Engine) room(n int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.tracked+n > e.cfg.MaxTracked {
		return fmt.Errorf("%w (%d of at most %d)", ErrBusy, e.tracked, e.cfg.MaxTracked)
	}
	return nil
}

// reserve counts n more tracked instances (fewer when negative), if there
// is room for them.
func (e *Engine) reserve(n int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n > 0 && e.tracked+n > e.cfg.MaxTracked {
		return fmt.Errorf("%w: the document has %d task instances, the server holds %d of at most %d", ErrBusy, n, e.tracked, e.cfg.MaxTracked)
	}
	e.tracked += n
	return nil
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

// prepareReq is an attempt to prepare (see Preparer).
type prepareReq struct {
	doc, id string
	task    *plan.Task
}

// prepareLoop prepares attempts, one at a time, beside the launches.
func (e *Engine) prepareLoop(ctx context.Context, p Preparer) {
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-e.prepares:
			e.prepMu.Lock()
			e.mu.Lock()
			ds := e.docs[r.doc]
			keep := ds != nil && !ds.removing
			e.mu.Unlock()
			if keep {
				p.Prepare(r.id, r.task)
			}
			e.prepMu.Unlock()
		}
	}
}

// maxPrepared bounds the attempts prepared for one launch.
const maxPrepared = 8

// toPrepare are the next attempts of the blocks that wait on nothing but
// block b, whose attempt is being launched. The caller holds e.mu.
func (e *Engine) toPrepare(b *blockState, out []prepareReq) []prepareReq {
	n := 0
	for _, d := range b.dependents {
		if d.task == nil || !e.onlyWaitsOn(d, b) {
			continue
		}
		for _, in := range d.instances {
			if State(in.rec.State) != Queued || in.rec.Killed {
				continue
			}
			if n == maxPrepared {
				return out
			}
			n++
			id := AttemptID(d.doc.id, d.index, d.name, in.rec.Instance, in.rec.Attempts+1)
			if in.prepared == id {
				continue
			}
			in.prepared = id
			out = append(out, prepareReq{doc: d.doc.id, id: id, task: d.task})
		}
	}
	return out
}

// onlyWaitsOn reports whether every dependency of d but b has finished.
func (e *Engine) onlyWaitsOn(d, b *blockState) bool {
	for _, name := range d.task.After {
		if name != b.name && d.doc.dependencyState(name) != Finished {
			return false
		}
	}
	return true
}

// launchPlan is one attempt to hand to the backend.
type launchPlan struct {
	in *instState
	a  *Attempt
}

// track counts an attempt staged or running, and the resources its task
// holds; untrack forgets it once it has ended (or is dropped by a
// restart). The caller holds e.mu.
func (e *Engine) track(id string, in *instState) {
	if old := e.attempts[id]; old != nil {
		e.hold(old.block.task.Resources, -1)
	}
	e.attempts[id] = in
	e.hold(in.block.task.Resources, 1)
}

func (e *Engine) untrack(id string) {
	if in := e.attempts[id]; in != nil {
		delete(e.attempts, id)
		e.hold(in.block.task.Resources, -1)
	}
}

func (e *Engine) hold(r plan.Resources, sign float64) {
	e.used.CPUs += sign * r.CPUs
	e.used.MemMB += sign * r.MemMB
	e.used.DiskMB += sign * r.DiskMB
	e.used.GPUs += int(sign) * r.GPUs
	if len(e.attempts) == 0 {
		e.used = plan.Resources{} // no rounding left over
	}
}

// usedResources is what the staged and running attempts hold. The caller
// holds e.mu.
func (e *Engine) usedResources() plan.Resources {
	return e.used
}

// schedule launches what is ready and fits; it returns when the next
// delayed restart is due (zero if none). It looks only at the blocks
// something touched since the last pass (see touch), and at those that
// pass left ready or waiting for a restart: its cost is what changed, not
// every instance tracked.
func (e *Engine) schedule(ctx context.Context) time.Time {
	now := e.now()
	e.mu.Lock()
	var next time.Time
	var ready []*instState
	var closes []string // sessions whose blocks have all ended
	var changed []*store.Instance
	cacheHits := 0
	e.examined = 0
	again := map[*blockState]struct{}{} // looked at again by the next pass
	isReady := map[*instState]bool{}
	// Blocks touched while this pass decides (a dependency found cached
	// or blocked) are looked at in the same pass.
	for len(e.check) > 0 {
		blocks := make([]*blockState, 0, len(e.check))
		for b := range e.check {
			blocks = append(blocks, b)
		}
		// Made anew: a map keeps its size, and going through a large
		// one emptied costs as much as a full one.
		e.check = make(map[*blockState]struct{}, len(blocks)/4)
		slices.SortFunc(blocks, func(a, b *blockState) int {
			if a.doc.pos != b.doc.pos {
				return cmp.Compare(a.doc.pos, b.doc.pos)
			}
			return cmp.Compare(a.pos, b.pos)
		})
		for _, b := range blocks {
			ds := b.doc
			for _, in := range b.instances {
				if State(in.rec.State) != Queued {
					continue
				}
				e.examined++
				if in.rec.NextRunAt != nil && in.rec.NextRunAt.After(now) {
					if next.IsZero() || in.rec.NextRunAt.Before(next) {
						next = *in.rec.NextRunAt
					}
					again[b] = struct{}{}
					continue
				}
				var deps map[string]State
				if len(b.task.After) > 0 {
					deps = make(map[string]State, len(b.task.After))
					for _, d := range b.task.After {
						deps[d] = ds.dependencyState(d)
					}
				}
				switch r, why := DependencyReadiness(deps); r {
				case Ready:
					if b.task.Cache && in.rec.Attempts == 0 && in.rec.FinishedAt == nil && e.cacheHit(b) {
						// :cache yes and nothing changed since the
						// results in the document: not run, as in
						// Babel; its results stay as they are. (Once
						// only: a restart asked for runs it.)
						in.rec.State = string(Finished)
						in.rec.Message = "cached: the results in the document have the same hash (:cache yes)"
						t := now
						in.rec.FinishedAt = &t
						changed = append(changed, &in.rec)
						cacheHits++
						e.touch(b)
						continue
					}
					if b.task.Post && in.rec.Attempts == 0 && in.rec.FinishedAt == nil && ds.cachedStands(b.task.ResultsWith) {
						// The :post of a block whose cached results
						// stand: Babel runs neither.
						in.rec.State = string(Finished)
						in.rec.Message = "cached: the results of " + b.task.ResultsWith + " stand (:cache yes), :post included"
						t := now
						in.rec.FinishedAt = &t
						changed = append(changed, &in.rec)
						e.touch(b)
						continue
					}
					if in.readyAt.IsZero() {
						in.readyAt = now
					}
					if !isReady[in] {
						isReady[in] = true
						ready = append(ready, in)
					}
				case Blocked:
					in.rec.State = string(Failed)
					in.rec.Message = why
					t := now
					in.rec.FinishedAt = &t
					changed = append(changed, &in.rec)
					e.metrics.failures.Inc()
					e.touch(b)
				}
			}
		}
	}
	// The queue's order: documents in order of arrival, blocks in
	// document order.
	slices.SortStableFunc(ready, func(a, b *instState) int {
		if a.block.doc.pos != b.block.doc.pos {
			return cmp.Compare(a.block.doc.pos, b.block.doc.pos)
		}
		return cmp.Compare(a.block.pos, b.block.pos)
	})
	var launches []launchPlan
	var prepares []prepareReq
	if len(ready) > 0 {
		admitted := make([]int, 0, len(ready))
		if capacity, ok := e.backend.Capacity(); ok {
			used := e.usedResources()
			cands := make([]Candidate, len(ready))
			for i, in := range ready {
				cands[i] = Candidate{Resources: in.block.task.Resources}
			}
			admitted = Admit(cands, capacity, used)
		} else {
			for i := range ready {
				admitted = append(admitted, i)
			}
		}
		for _, i := range admitted {
			in := ready[i]
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
			if err != nil {
				t := now
				in.rec.State = string(Failed)
				in.rec.Message = "could not start: " + err.Error()
				in.rec.FinishedAt = &t
				changed = append(changed, &in.rec)
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
			in.rec.State = string(Staged)
			in.rec.AttemptID = id
			in.rec.NextRunAt = nil
			in.rec.ExitCode = nil
			in.rec.Message = ""
			in.rec.Host = ""
			e.track(id, in)
			e.metrics.latency.Observe(now.Sub(in.readyAt).Seconds())
			in.readyAt = time.Time{}
			changed = append(changed, &in.rec)
			launches = append(launches, launchPlan{in: in, a: a})
			prepares = e.toPrepare(in.block, prepares)
		}
	}
	// What is ready and was not admitted waits for capacity: the next
	// pass (an attempt's end frees some) looks at it again.
	for _, in := range ready {
		if State(in.rec.State) == Queued {
			again[in.block] = struct{}{}
		}
	}
	// Blocks touched after the worklist ran dry (dependents of an attempt
	// that could not start) are for a pass right after this one.
	passAgain := len(e.check) > 0
	for b := range again {
		e.check[b] = struct{}{}
	}
	for ds := range e.sessionDocs {
		closes = append(closes, ds.sessionsToClose()...)
		if len(ds.openSessions) == 0 {
			delete(e.sessionDocs, ds)
		}
	}
	recs := copyRecs(changed)
	e.mu.Unlock()
	// Write-ahead: a launch is on disk before its process exists.
	if err := e.persistAhead(recs); err != nil {
		e.log.Error("storing instance states", "err", err)
	}
	// Prepared while the launches are made and the programs run (not
	// beside the write-ahead, whose sync the files' creation slows).
	for _, p := range prepares {
		select {
		case e.prepares <- p:
		default: // behind: the launch makes what it needs itself
		}
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
		e.launchSlots <- struct{}{}
		go func(in *instState, a *Attempt) {
			defer func() { <-e.launchSlots }()
			if err := e.backend.Launch(ctx, a); err != nil {
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
	if passAgain {
		e.poke()
	}
	return next
}

func copyRecs(in []*store.Instance) []*store.Instance {
	out := make([]*store.Instance, len(in))
	for i, r := range in {
		c := *r
		out[i] = &c
	}
	return out
}

// AttemptID names one attempt: "<doc>.<index>-<name>.<instance>.<n>". The
// block's place in the document makes it unique (names that differ only in
// characters safeName replaces, a.b and a_b, would otherwise share an
// attempt: its directory, process, container and Mesos task); the name,
// made safe and cut short, is there for people reading it. It is stored
// with the instance, so a restarted server finds its attempts by it.
func AttemptID(doc string, index int, block string, instance, n int) string {
	name := safeName(block)
	if len(name) > maxIDName {
		name = name[:maxIDName]
	}
	return fmt.Sprintf("%s.%d-%s.%d.%d", doc, index, name, instance, n)
}

// maxIDName bounds the block name in an attempt id, which is also a
// directory name and part of a container name.
const maxIDName = 40

// safeName keeps a block name usable in file names and Mesos task ids.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// refsOf are the result values of the finished blocks b depends on, by
// name (read once, then kept): what they printed, or for a block not run
// because its cached results stand, those results as Babel reads them
// back. The caller holds e.mu.
func (e *Engine) refsOf(b *blockState) map[string]plan.Value {
	refs := map[string]plan.Value{}
	for _, d := range b.task.After {
		dep := b.doc.byName[d]
		if dep == nil || b.doc.dependencyState(d) != Finished {
			continue
		}
		if b.task.Post && d == b.task.ResultsWith {
			// A :post's *this* is its block's result as it ran, not its
			// :cache yes results as Babel reads them back for references.
			if attempt := dep.instances[0].rec.AttemptID; attempt != "" {
				out := e.readAll(attempt, resultStream(dep.task))
				v := plan.ResultValue(dep.task, out)
				if doc, err := e.parsed(b.doc); err == nil {
					v = plan.ResultValueIn(doc, dep.task, out, e.refsOf(dep))
				}
				refs[d] = v
				continue
			}
		}
		if dep.result == nil {
			var v plan.Value
			if attempt := dep.instances[0].rec.AttemptID; attempt != "" {
				out := e.readAll(attempt, resultStream(dep.task))
				v = plan.ResultValue(dep.task, out)
				if doc, err := e.parsed(b.doc); err == nil {
					// Column names put back, and a :cache yes block's
					// results as Babel reads them back.
					depRefs := e.refsOf(dep)
					v = plan.ResultValueIn(doc, dep.task, out, depRefs)
					if fresh, ok := plan.FreshCachedValue(doc, dep.task, out, depRefs); ok {
						v = fresh
					}
				}
			} else if doc, err := e.parsed(b.doc); err == nil && BlockState(dep.states()) == Finished {
				_, v, _ = plan.CachedValue(doc, dep.task)
			}
			dep.result = &v
		}
		refs[d] = *dep.result
	}
	return refs
}

// redirectedResults is where the results of block b go: a block of an
// earlier block's name writes where that one does (the last one's
// results stay, as in Emacs); a :post task in its block's place, unless
// the block's cached results stand; a block called with arguments
// nowhere (ok false).
func (ds *docState) redirectedResults(b *blockState) (int, bool) {
	if b.task.Post && ds.cachedStands(b.task.ResultsWith) {
		return 0, false
	}
	to := b.task.ResultsIndex()
	return to, to >= 0
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
	old, v, ok := plan.CachedValue(doc, b.task)
	if !ok {
		return false
	}
	hash, err := plan.CacheHash(doc, b.task, e.refsOf(b))
	if err != nil || hash != old {
		return false
	}
	b.result = &v
	return true
}

// attempt builds an Attempt for an instance: the program with the results
// of its dependencies bound.
func (e *Engine) attempt(in *instState, id string) (*Attempt, error) {
	b := in.block
	ds := b.doc
	refs := e.refsOf(b)
	doc, err := e.parsed(ds)
	if err != nil {
		return nil, err
	}
	script, err := plan.Render(doc, b.task, refs)
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	for k, v := range b.task.Env {
		env[k] = v
	}
	env["BORGES_DOCUMENT"] = ds.id
	env["BORGES_BLOCK"] = b.name
	env["BORGES_INSTANCE"] = fmt.Sprint(in.rec.Instance)
	env["BORGES_ATTEMPT"] = id
	a := &Attempt{ID: id, DocID: ds.id, Block: b.name, Instance: in.rec.Instance, Number: in.rec.Attempts,
		Task: b.task, Script: script, Env: env}
	if b.task.Session != nil {
		a.Session = ds.sessionID(b.task.Session.Key)
	}
	return a, nil
}

// resultStream is where a task's result is: its value for a Python block
// in value mode, else its standard output.
func resultStream(t *plan.Task) string {
	if t != nil && t.ValueFile {
		return "value"
	}
	return "stdout"
}

// DefaultMaxResult is what is read of one block's output for its results
// unless configured: write-back is linear (about 3 bytes allocated a byte
// of output), and 16 MiB formatted as Babel does answers within a second.
const DefaultMaxResult = 16 << 20

// maxServedFile bounds a file the files route serves (it is answered
// from memory).
const maxServedFile = 16 << 20

// readAll reads a stream of an attempt whole, up to the results cap.
func (e *Engine) readAll(attemptID string, stream ...string) string {
	which := "stdout"
	if len(stream) > 0 {
		which = stream[0]
	}
	out, _ := e.readCapped(attemptID, which, e.cfg.MaxResultBytes)
	return out
}

// readCapped reads at most max bytes of a stream of an attempt, and says
// how large the stream is (more than len(out) when it was cut).
func (e *Engine) readCapped(attemptID, stream string, max int) (out string, size int64) {
	if attemptID == "" {
		return "", 0
	}
	var buf []byte
	var off int64
	for len(buf) < max {
		data, n, err := e.backend.ReadLog(context.Background(), attemptID, stream, off, min(1<<20, max-len(buf)))
		size = max64(size, n)
		if err != nil || len(data) == 0 {
			break
		}
		buf = append(buf, data...)
		off += int64(len(data))
		if off >= n {
			break
		}
	}
	return string(buf), max64(size, int64(len(buf)))
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// truncatedNote is the note over the results of an output longer than
// the results cap: the part kept ends at its last line break, and is
// shown verbatim (a table of part of the lines would mislead).
func truncatedNote(out string, size int64) (string, string) {
	if i := strings.LastIndexByte(out, '\n'); i >= 0 {
		out = out[:i+1]
	}
	return out, fmt.Sprintf("borges: output truncated: the first %s of %s are shown (#+borges_max_result:)",
		FormatSize(int64(len(out))), FormatSize(size))
}

func (b *blockState) states() []State {
	out := make([]State, len(b.instances))
	for i, in := range b.instances {
		out[i] = State(in.rec.State)
	}
	return out
}

func (ds *docState) blockState(name string) State {
	b := ds.byName[name]
	if b == nil {
		return Failed
	}
	return BlockState(b.states())
}

// onUpdate applies a backend's status update.
func (e *Engine) onUpdate(u Update) {
	if u.Time.IsZero() {
		u.Time = e.now()
	}
	e.mu.Lock()
	in := e.attempts[u.AttemptID]
	if in == nil || in.rec.AttemptID != u.AttemptID {
		e.mu.Unlock()
		return
	}
	t := u.Time
	// A lost block of a session runs its session again (session_lost.go).
	var lostSession string
	var lostKills []string
	var others []*store.Instance
	in.rec.Host = u.Host
	if u.Message != "" {
		in.rec.Message = u.Message
	}
	if u.ExitCode != nil {
		c := *u.ExitCode
		in.rec.ExitCode = &c
	}
	switch {
	case u.State == Running || u.State == Staged:
		if State(in.rec.State) != Running && u.State == Running {
			in.rec.StartedAt = &t
		}
		in.rec.State = string(u.State)
	case u.State.Terminal():
		e.untrack(u.AttemptID)
		in.rec.FinishedAt = &t
		ran := time.Duration(0)
		if in.rec.StartedAt != nil {
			ran = t.Sub(*in.rec.StartedAt)
		}
		if u.State == Lost {
			in.rec.Lost++
		}
		previousLost := in.rec.Lost
		if u.State == Lost {
			previousLost--
		}
		in.remember(u.State)
		out := AfterAttempt(in.block.task, u.State, in.rec.Attempts, in.rec.QuickExits, previousLost, ran, in.rec.Killed, u.Time)
		in.rec.QuickExits = out.Quick
		in.rec.State = string(out.State)
		e.touch(in.block)
		if out.Restart {
			n := out.NextRunAt
			in.rec.NextRunAt = &n
		}
		if u.State == Failed || u.State == Lost {
			e.metrics.failures.Inc()
		}
		in.block.result = nil
		e.log.Info("attempt ended", "attempt", u.AttemptID, "state", u.State, "message", u.Message, "next", out.State)
		if u.State == Lost && out.Restart && in.block.task.Session != nil {
			var changed []*store.Instance
			lostSession, lostKills, changed = e.restartLostSessionLocked(in)
			others = copyRecs(changed)
		}
	}
	rec := in.rec
	e.mu.Unlock()
	e.persistLater(rec)
	for _, r := range others {
		e.persistLater(*r)
	}
	if lostSession != "" {
		go e.closeLostSession(lostSession, lostKills)
	}
	e.poke()
}

// Document returns one document's view.
func (e *Engine) Document(id string) (*DocumentView, error) {
	if err := e.loaded(id); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	ds := e.docs[id]
	if ds == nil {
		return nil, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	return e.view(ds), nil
}

func (e *Engine) view(ds *docState) *DocumentView {
	return e.viewPage(ds, 0, len(ds.blocks))
}

// viewPage is the view of ds with the blocks from offset, at most limit
// of them; the document's state is its whole state. The caller holds
// e.mu.
func (e *Engine) viewPage(ds *docState, offset, limit int) *DocumentView {
	v := &DocumentView{ID: ds.id, Title: ds.title, SubmittedAt: ds.submitted, Notes: ds.notes()}
	waiting := e.waitingFor()
	blocks := ds.blocks[min(offset, len(ds.blocks)):]
	blocks = blocks[:min(limit, len(blocks))]
	v.Blocks = make([]BlockView, 0, len(blocks))
	for _, b := range blocks {
		bv := BlockView{Name: b.name, Line: b.line, Lang: b.lang, Runnable: b.task != nil, Task: b.task}
		if b.skipped != nil {
			bv.Reason = b.skipped.Reason
		}
		if b.task != nil {
			bv.State = BlockState(b.states())
			for _, in := range b.instances {
				bv.Instances = append(bv.Instances, InstanceView{Instance: in.rec.Instance, State: State(in.rec.State),
					Attempts: in.rec.Attempts, AttemptID: in.rec.AttemptID, ExitCode: in.rec.ExitCode, Message: in.rec.Message,
					Host: in.rec.Host, StartedAt: in.rec.StartedAt, FinishedAt: in.rec.FinishedAt, NextRunAt: in.rec.NextRunAt,
					Waiting: waiting.reason(b, in), PastAttempts: in.pastAttempts()})
			}
		}
		v.Blocks = append(v.Blocks, bv)
	}
	if len(v.Blocks) == 0 {
		v.Blocks = nil
	}
	v.State = ds.brief().state
	return v
}

// documentState: running while any block is not terminal; then failed if
// any failed or was lost, killed if any was killed, else finished.
func documentState(blocks []State) State {
	if len(blocks) == 0 {
		return Finished
	}
	result := Finished
	for _, s := range blocks {
		switch s {
		case Queued, Staged, Running:
			return Running
		case Failed, Lost:
			result = Failed
		case Killed:
			if result == Finished {
				result = Killed
			}
		}
	}
	return result
}

// ResultDocument is the document with current results written back:
// finished blocks get their output, running ones a status line and their
// output so far, failed ones and those run as several instances a drawer
// (failures.go).
func (e *Engine) ResultDocument(ctx context.Context, id string) (string, error) {
	if err := e.loaded(id); err != nil {
		return "", err
	}
	e.mu.Lock()
	ds := e.docs[id]
	if ds == nil {
		e.mu.Unlock()
		return "", fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	if !ds.planned {
		e.mu.Unlock()
		return ds.text, nil
	}
	type pending struct {
		index   int
		attempt string
		status  string
		task    *plan.Task
		refs    map[string]plan.Value // for the hash of a :cache yes block
		parts   []partPlan            // failures and instances (failures.go)
	}
	var todo []pending
	for _, b := range ds.blocks {
		if b.task == nil || len(b.instances) == 0 {
			continue
		}
		if parts, ok := resultParts(b); ok {
			todo = append(todo, pending{index: b.index, task: b.task, parts: parts})
			continue
		}
		in := b.instances[0]
		switch State(in.rec.State) {
		case Finished:
			if in.rec.AttemptID == "" {
				continue // not run: its cached results stand
			}
			p := pending{b.index, in.rec.AttemptID, "", b.task, nil, nil}
			if b.task.Cache {
				p.refs = e.refsOf(b)
			}
			todo = append(todo, p)
		case Running, Staged:
			since := ""
			if in.rec.StartedAt != nil {
				since = " since " + in.rec.StartedAt.Format(time.RFC3339)
			}
			todo = append(todo, pending{b.index, in.rec.AttemptID, fmt.Sprintf("borges: %s%s (attempt %d)", in.rec.State, since, in.rec.Attempts), nil, nil, nil})
		case Queued:
			if in.rec.Attempts > 0 && in.rec.AttemptID != "" {
				todo = append(todo, pending{b.index, in.rec.AttemptID, fmt.Sprintf("borges: restarting (attempt %d ended: %s)", in.rec.Attempts, in.rec.Message), nil, nil, nil})
			}
		}
	}
	// Results written in another block's place, or nowhere (see
	// redirectedResults).
	byIndex := make(map[int]*blockState, len(ds.blocks))
	for _, b := range ds.blocks {
		if b.task != nil {
			byIndex[b.index] = b
		}
	}
	kept := todo[:0]
	for _, p := range todo {
		if b := byIndex[p.index]; b != nil {
			var ok bool
			if p.index, ok = ds.redirectedResults(b); !ok {
				continue
			}
		}
		kept = append(kept, p)
	}
	todo = kept
	doc, err := e.parsed(ds)
	e.mu.Unlock()
	if err != nil {
		return "", err
	}
	results := map[int]org.Result{}
	for _, p := range todo {
		t := p.task
		if p.parts != nil {
			results[p.index] = e.readParts(t, p.parts)
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
		out, size := e.readCapped(p.attempt, resultStream(t), e.cfg.MaxResultBytes)
		if size > int64(len(out)) {
			out, note := truncatedNote(out, size)
			results[p.index] = org.Result{Output: out, Status: note}
			continue
		}
		r := org.Result{Output: out, Reader: t.Reader, Colnames: plan.ResultColnames(doc, t, p.refs), Rownames: plan.ResultRownames(doc, t, p.refs)}
		if t.Cache {
			hash, err := plan.CacheHash(doc, t, p.refs)
			if err != nil {
				return "", err
			}
			r.Hash = hash
		}
		results[p.index] = r
	}
	return doc.WriteResults(results), nil
}

// KillDocument kills every task of a document.
func (e *Engine) KillDocument(ctx context.Context, id string) error {
	return e.kill(ctx, id, "")
}

// KillBlock kills every instance of one block.
func (e *Engine) KillBlock(ctx context.Context, id, block string) error {
	return e.kill(ctx, id, block)
}

func (e *Engine) kill(ctx context.Context, id, block string) error {
	if err := e.loaded(id); err != nil {
		return err
	}
	e.mu.Lock()
	ds := e.docs[id]
	if ds == nil {
		e.mu.Unlock()
		return fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	var targets []*blockState
	if block == "" {
		targets = ds.blocks
	} else if b := ds.byName[block]; b != nil {
		targets = []*blockState{b}
	} else {
		e.mu.Unlock()
		return fmt.Errorf("block %s of document %s: %w", block, id, ErrNotFound)
	}
	if err := TakeEffect(ctx); err != nil {
		e.mu.Unlock()
		return err
	}
	ctx, cancel := afterEffect(ctx)
	defer cancel()
	kills, recs := e.killAll(targets)
	e.mu.Unlock()
	if err := e.persist(recs); err != nil {
		return fmt.Errorf("storing the kill: %w", err)
	}
	var errs []error
	for _, a := range kills {
		if err := e.backend.Kill(ctx, a); err != nil {
			errs = append(errs, err)
		}
	}
	e.poke()
	return errors.Join(errs...)
}

// RestartBlock runs a block again: running instances are killed and
// relaunched, ended ones queued anew.
func (e *Engine) RestartBlock(ctx context.Context, id, block string) error {
	if err := e.loaded(id); err != nil {
		return err
	}
	e.mu.Lock()
	ds := e.docs[id]
	if ds == nil {
		e.mu.Unlock()
		return fmt.Errorf("document %s: %w", id, ErrNotFound)
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
	var kills []string
	var changed []*store.Instance
	// A block of a session restarts its session: a new interpreter, fed
	// every block of the session again, in order.
	targets := []*blockState{b}
	var oldSession string
	if s := b.task.Session; s != nil {
		targets = ds.sessionBlocks(s.Key)
		oldSession = ds.sessionID(s.Key)
		if ds.sessionGen == nil {
			ds.sessionGen = map[string]int{}
		}
		ds.sessionGen[s.Key]++
		delete(ds.openSessions, oldSession)
	}
	for _, b := range targets {
		for _, in := range b.instances {
			switch State(in.rec.State) {
			case Staged, Running:
				// The old attempt is dropped from tracking; its end will not
				// count. The new one starts once it is gone.
				kills = append(kills, in.rec.AttemptID)
				e.untrack(in.rec.AttemptID)
				in.rememberRestarted(e.now())
			}
			in.rec.State = string(Queued)
			in.rec.Killed = false
			in.rec.NextRunAt = nil
			in.rec.QuickExits = 0
			in.rec.Message = "restart requested"
			changed = append(changed, &in.rec)
		}
		b.result = nil
	}
	for _, b := range targets {
		e.touch(b)
	}
	recs := copyRecs(changed)
	e.mu.Unlock()
	for _, a := range kills {
		if err := e.backend.Kill(ctx, a); err != nil {
			return err
		}
	}
	if oldSession != "" {
		if err := e.backend.CloseSession(ctx, oldSession); err != nil {
			return err
		}
	}
	if err := e.persist(recs); err != nil {
		return err
	}
	e.poke()
	return nil
}

// sessionBlocks are the blocks of a session, in document order.
func (ds *docState) sessionBlocks(key string) []*blockState {
	var out []*blockState
	for _, b := range ds.blocks {
		if b.task != nil && b.task.Session != nil && b.task.Session.Key == key {
			out = append(out, b)
		}
	}
	return out
}

// ReadLog reads a block instance's current attempt's stream.
func (e *Engine) ReadLog(ctx context.Context, id, block string, instance int, stream string, offset int64, max int) ([]byte, int64, bool, error) {
	if err := e.loaded(id); err != nil {
		return nil, 0, false, err
	}
	e.mu.Lock()
	ds := e.docs[id]
	if ds == nil {
		e.mu.Unlock()
		return nil, 0, false, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	b := ds.byName[block]
	if b == nil || instance < 0 || instance >= len(b.instances) {
		e.mu.Unlock()
		return nil, 0, false, fmt.Errorf("block %s instance %d of document %s: %w", block, instance, id, ErrNotFound)
	}
	in := b.instances[instance]
	attempt := in.rec.AttemptID
	terminal := State(in.rec.State).Terminal()
	e.mu.Unlock()
	if attempt == "" {
		return nil, 0, terminal, nil
	}
	data, size, err := e.backend.ReadLog(ctx, attempt, stream, offset, max)
	if err != nil {
		return nil, offset, false, err
	}
	next := offset + int64(len(data))
	return data, next, terminal && next >= size, nil
}

// ReadFile returns a file a document's blocks made, by the path its
// #+RESULTS: link names: the :file of a finished block whose result Babel
// writes into it (its result, as org-babel-format-result writes a string
// result), or else the file of that path in the sandbox of the first of
// its blocks' current attempts that has it (a program that writes its
// :file itself: :results graphics or link, or output naming a file).
func (e *Engine) ReadFile(ctx context.Context, id, name string) ([]byte, error) {
	if !SandboxPath(name) {
		return nil, fmt.Errorf("file %q: not a relative path inside the document's directory: %w", name, ErrNotFound)
	}
	if err := e.loaded(id); err != nil {
		return nil, err
	}
	e.mu.Lock()
	ds := e.docs[id]
	if ds == nil {
		e.mu.Unlock()
		return nil, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	var written *plan.Task
	var writtenAttempt string
	var attempts []string
	for _, b := range ds.blocks {
		if b.task == nil || len(b.instances) == 0 {
			continue
		}
		in := b.instances[0]
		if in.rec.AttemptID == "" {
			continue
		}
		if b.task.FileWritten && b.task.File == name && State(in.rec.State) == Finished && written == nil {
			written, writtenAttempt = b.task, in.rec.AttemptID
		}
		attempts = append(attempts, in.rec.AttemptID)
	}
	e.mu.Unlock()
	if written != nil {
		out, _ := e.readCapped(writtenAttempt, resultStream(written), maxServedFile)
		return []byte(out), nil
	}
	for _, a := range attempts {
		data, size, err := e.backend.ReadLog(ctx, a, name, 0, maxServedFile)
		if errors.Is(err, sandboxfs.ErrRefused) {
			continue // a link, or not a regular file: not a file the block made
		}
		if err != nil {
			return nil, err
		}
		if size > 0 {
			return data, nil
		}
	}
	return nil, fmt.Errorf("file %s of document %s: %w", name, id, ErrNotFound)
}

type parsedDoc struct {
	id  string
	doc *org.Document
}

const recentDocs = 16

// parsed returns the document's parse, from the cache or parsed anew.
// Callers hold e.mu.
func (e *Engine) parsed(ds *docState) (*org.Document, error) {
	for i, p := range e.recent {
		if p.id == ds.id {
			copy(e.recent[1:i+1], e.recent[:i])
			e.recent[0] = p
			return p.doc, nil
		}
	}
	doc, err := org.Parse(ds.text)
	if err != nil {
		return nil, err
	}
	doc.Visit = ds.visit
	e.recent = append([]*parsedDoc{{id: ds.id, doc: doc}}, e.recent...)
	if len(e.recent) > recentDocs {
		e.recent = e.recent[:recentDocs]
	}
	return doc, nil
}
