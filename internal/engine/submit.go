package engine

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// This file takes a document in while the server runs (Submit): parsed
// and planned whole, counted against the instances the server may hold,
// stored, then queued. Documents the server had stored come back through
// lazy.go instead.

// newDocState parses and plans a document; it returns the parse too.
func (e *Engine) newDocState(id, text string, visit org.Visit, submitted time.Time) (*docState, *org.Document, error) {
	doc, err := org.Parse(text)
	if err != nil {
		return nil, nil, &plan.RejectError{Problems: []plan.Problem{{Line: lineOf(err), Why: err.Error()}}}
	}
	doc.Visit = visit
	p, err := plan.Build(doc, e.backend.Limits(), e.cfg.Plan)
	if err != nil {
		return nil, nil, err
	}
	ds := &docState{id: id, text: text, submitted: submitted, visit: visit, plan: p, planned: true, byName: map[string]*blockState{},
		title: docTitle(doc), output: e.printed,
		inline: e.inlineRefused}
	tasks := map[int]*plan.Task{}
	for _, t := range p.Tasks {
		tasks[t.Index] = t
	}
	skipped := map[int]*plan.Skipped{}
	for _, s := range p.Skipped {
		skipped[s.Index] = s
	}
	// Blocks called with arguments (":var x=sq(n=7)"), and the runs
	// references make of a block (rerun.go in package plan), are tasks
	// of their own, not in the document: their results are written
	// nowhere. Each takes its place in the queue where the plan made
	// it, at the turn of the block whose reference (or :post, or
	// reading of output) made it, as Emacs runs it evaluating that
	// block: before the block for a reference, after it for its :post.
	// Those made after every block (a call of a block :eval refuses)
	// come last. Each block's turn starts at the first of its
	// reference's runs, after the :post (or reading) of the block
	// before it (ds.turns), where a block added to the buffer before it
	// is queued (queueAdded).
	next := 0 // the first task of p.Tasks not yet given its place
	called := func(upTo int) (turn int) {
		turn = -1
		for ; next < upTo; next++ {
			if t := p.Tasks[next]; t.Index < 0 {
				c := calledState(ds, id, t)
				ds.appendBlock(c)
				if t.Post || t.ReadsOutput {
					turn = -1
				} else if turn < 0 {
					turn = c.pos
				}
			}
		}
		return turn
	}
	ds.turns = map[int]int{}
	var unrun []int // blocks with no task, not given their turn yet
	at := make(map[*plan.Task]int, len(p.Tasks))
	for i, t := range p.Tasks {
		at[t] = i
	}
	for _, blk := range doc.Executables() {
		b := &blockState{doc: ds, name: plan.BlockName(blk), index: blk.Index, line: blk.Line, lang: blk.Lang,
			task: tasks[blk.Index], skipped: skipped[blk.Index]}
		turn := -1
		if b.task != nil {
			turn = called(at[b.task])
		}
		if b.task != nil {
			b.name = b.task.Block // NAME~2 for a second block of a name
			for i := 0; i < b.task.Instances; i++ {
				b.instances = append(b.instances, &instState{block: b, rec: store.Instance{
					DocID: id, Block: b.name, Instance: i, State: string(Queued)}})
			}
			ds.byName[b.name] = b
		}
		ds.appendBlock(b)
		if b.task == nil {
			// Nothing runs for it: its turn is the next block's that
			// has a task, after the :post of the block before it (none
			// after the last: a block added before it comes last).
			unrun = append(unrun, b.index)
			continue
		}
		if turn < 0 {
			turn = b.pos
		}
		for _, i := range unrun {
			ds.turns[i] = turn
		}
		unrun = unrun[:0]
		ds.turns[b.index] = turn
	}
	called(len(p.Tasks))
	for _, b := range ds.blocks {
		if b.task == nil {
			continue
		}
		seen := map[string]bool{}
		deps := append(append(append([]string{}, b.task.After...), b.task.ReadersBefore()...), b.task.ResultsWith)
		for _, br := range b.task.BufferResults {
			deps = append(deps, br.Task)
		}
		deps = append(deps, b.task.EnvironmentOf) // environment.go
		deps = append(deps, b.task.ReplacedBy)    // replaced.go
		for _, d := range deps {
			if dep := ds.byName[d]; dep != nil && !seen[d] {
				seen[d] = true
				// Not addDependent: a new document's state holds no
				// place an attempt's end read found, so no links to bump.
				dep.dependents = append(dep.dependents, b)
			}
		}
	}
	return ds, doc, nil
}

// calledState is the state of t, a task of document id with no block of
// its own in the document (a block called with arguments, a run a
// reference makes), known by its name (ds.byName).
func calledState(ds *docState, id string, t *plan.Task) *blockState {
	b := &blockState{doc: ds, name: t.Block, index: t.Index, line: t.Line, lang: t.Lang, task: t}
	for i := 0; i < t.Instances; i++ {
		b.instances = append(b.instances, &instState{block: b, rec: store.Instance{
			DocID: id, Block: b.name, Instance: i, State: string(Queued)}})
	}
	ds.byName[b.name] = b
	return b
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
	// Read as Emacs reads the file (CRLF line ends, a BOM, a coding
	// cookie): the text Babel runs and writes into. A coding Borges
	// cannot read as Emacs does refuses the document, naming the line.
	text, enc, err := org.DocumentText(text)
	if err != nil {
		e.metrics.rejected.Inc()
		n := lineOf(err)
		return nil, &plan.RejectError{Problems: []plan.Problem{{Line: n, Why: strings.TrimPrefix(err.Error(), fmt.Sprintf("line %d: ", n))}}}
	}
	return e.SubmitDecoded(ctx, text, visit, enc)
}

// SubmitDecoded is SubmitFrom of a document's text as Emacs reads it
// (a buffer's text, or a file decoded by the sender: it is not decoded
// again), which its file holds in encoding enc: the document given back
// (ResultDocument) is encoded so.
func (e *Engine) SubmitDecoded(ctx context.Context, text string, visit org.Visit, enc org.Encoding) (*DocumentView, error) {
	if err := e.room(1); err != nil {
		return nil, err // refused before the work of planning
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTooLate, err)
	}
	now := e.now()
	id := newID(now)
	ds, doc, err := e.newDocState(id, text, visit, now)
	if err != nil {
		e.metrics.rejected.Inc()
		return nil, err
	}
	ds.enc = enc
	// New: none of its blocks is held yet (knowFailHeld).
	ds.newFailHeld()
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
		d := &store.Document{ID: id, Text: text, SubmittedAt: now, Title: ds.title, VisitDir: visit.Dir, VisitHome: visit.Home, BOM: enc.BOM, EOL: enc.EOL, Coding: enc.Coding, File: enc.File}
		if err := e.store.AddDocument(d, recs); err != nil {
			e.reserve(-len(recs))
			return nil, fmt.Errorf("storing the document: %w", err)
		}
		ds.seq = d.Seq
	}
	e.mu.Lock()
	e.docs[id] = ds
	// Its parse is the engine's next (parsed): the first pass over it
	// would parse it again, under e.mu.
	e.recent.put(id, doc)
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
