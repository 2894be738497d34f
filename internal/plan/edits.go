package plan

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/wallyqs/borges/internal/org"
)

// org-babel-execute-buffer finds the blocks it runs in the buffer as it
// goes (org-babel-map-executables): a block an Emacs Lisp block before it
// deleted is not run, one it changed runs as the buffer now holds it, one
// it added runs in its place. The document's Emacs reports its buffer
// after a task that changed it (org.BufferReport); Edits is what such a
// report makes of the plan, decided here, with no state: the engine (and
// the Emacs fixtures' runner) asks it, for each task it is about to
// launch, what the buffer before it holds (Decide), the latest report of
// the Emacs tasks before it given.

// Edits is a plan read again from a report of the document's Org buffer:
// the buffer parsed and planned, each executable of the submitted
// document paired with the one at its mark in the buffer.
type Edits struct {
	submitted *org.Document
	old       *Plan
	rep       *org.BufferReport
	// Doc is the buffer as reported, parsed; Plan its blocks planned
	// (what could not be planned is in failing).
	Doc  *org.Document
	Plan *Plan
	// exes are the submitted document's executables, at[i] the
	// buffer's executable at exes[i]'s mark (nil: deleted).
	exes []*org.Block
	at   []*org.Block
	// ownOld and ownNew are the tasks of a block's own run, by block
	// index, in the submitted plan and the buffer's.
	ownOld, ownNew map[int]*Task
	// laterNew are the buffer plan's tasks of a later block of a name
	// (Task.ResultsWith: its results go to the first's), by block index.
	laterNew map[int]*Task
	// back names a task of the buffer's plan as the submitted plan names
	// it, for the blocks both have.
	back map[string]string
	// failing are the tasks of the buffer's plan that cannot run, and
	// the error Babel signals for each.
	failing map[string]string
	// missing are the tasks of the buffer's plan whose first failure
	// is a reference to a block that is not there (missingInBuffer):
	// the error org-babel-ref-resolve signals, which stops
	// org-babel-execute-buffer at a block added or found in results
	// (Addition.Stops).
	missing map[string]string
	// readStops are the tasks of the buffer's plan that
	// org-babel-execute-buffer stops at, reading a block :eval refuses
	// that they refer to (builder.readStops): the error.
	readStops map[string]string
	// recursing are the tasks of the buffer's plan of the blocks of a
	// cycle of references Babel resolves by running them
	// (builder.recursing).
	recursing map[string]bool
	// refusedStop is the error org-babel-execute-buffer stops with at
	// the own turn of a block of the buffer :eval refuses
	// (builder.refusedOwnStop); where it is "", unread is why Borges
	// does not know that reading it signals nothing (refusedReadUnknown).
	refusedStop func(*org.Block) (stop, unread string)
	// turnRefusedStop is refusedStop at a refused turn
	// (builder.refusedTurnStopOrUnread).
	turnRefusedStop func(*org.Block) (stop, unread, missing string)
	// deletedTasks are the submitted plan's tasks of deleted blocks.
	deletedTasks map[string]bool
	// place is each submitted executable's place in exes, by block
	// index; byName the buffer plan's tasks by name.
	place  map[int]int
	byName map[string]*Task
	// oldByName are the submitted plan's tasks by name; byPoint the
	// buffer's executables by where point goes for them (org.Point).
	oldByName map[string]*Task
	byPoint   map[int]*org.Block
	// oldRefs and newRefs are, in the submitted plan and the buffer's,
	// the block's own run whose reference makes a run, by the run's
	// name (runReferrers).
	oldRefs, newRefs map[string]*Task
	// refusedCalls are the buffer plan's tasks of the calls of the :var
	// values of the blocks added or found that :eval refuses, by block
	// index, in the order planned (builder.refusedMadeBy).
	refusedCalls map[int][]*Task
	// turnsOnce makes refusedTurns and emacsTurns once
	// (refusedTurnStop).
	turnsOnce    sync.Once
	refusedTurns []refusedTurn
	emacsTurns   []int
	// lispRunIndex is the Index of the last task refusedLispRuns
	// made, below every task's of both plans.
	lispRunIndex int
	// nameWriters are the points of the buffer's executables whose run
	// may write a name (nameMayBeWrittenSince), found once there.
	nameWriters []int
	// added and addedNames are Added's answer, made once.
	addedOnce  sync.Once
	added      []Addition
	addedNames map[string]string
	// addedTasks are the added tasks by name (Added's, as it makes
	// them: the runs for references among them); runs what refRun made
	// of the runs for references of the blocks added, by their names in
	// the buffer's plan, in runOrder; runsDone once Added made them.
	addedTasks map[string]*Task
	runs       map[string]refRunOf
	runOrder   []string
	runsDone   bool
	// runNames are the names refRun gave; chained the tasks of the
	// buffer's plan a :post chain runs after.
	runNames map[string]bool
	chained  map[*Task]bool
	// newRuns are what newRun made of the runs of the buffer's plan a
	// block of the document's reference makes that the submitted plan
	// lacks, by their names in the buffer's plan.
	newRuns map[string]refRunOf
	// pairsOnce makes oldRunOf and newRunOf once (pairRuns).
	pairsOnce sync.Once
	// oldRunOf are, for the runs of the buffer's plan a block's own
	// reference makes directly, the submitted plan's run of that
	// reference of that block (nil where it has none), by the buffer
	// run's name; newRunOf the other way, by the submitted run's name.
	oldRunOf, newRunOf map[string]*Task
	// backOf are the submitted own runs back maps to (hasBack).
	backOf map[string]bool
	// refRunsBy are the tasks of the buffer's plan by the block whose
	// reference makes them (callOf), in its order: runsOf's index.
	refRunsBy map[string][]*Task
	// runsOfVisited counts the tasks of the buffer's plan runsOf looked
	// at (TestNewRunsScales).
	runsOfVisited int
	// nthRun is, for each run of the submitted plan a block's own
	// reference makes directly, its place (1 for the first) among the
	// runs that block's reference as written makes; runsMade how many
	// runs each block of the buffer's reference as written makes in the
	// buffer's plan (pairRuns makes both: refDropped's counts).
	nthRun   map[*Task]int
	runsMade map[blockRef]int
	// reordered are the own runs of the buffer's plan whose runs for
	// their references are made anew, in the buffer's order
	// (unpairReordered); reorderedOld the submitted plan's runs they
	// made, not run, each with its referrer's name in the buffer.
	reordered    map[string]bool
	reorderedOld map[*Task]string
	// keptRuns are the runs of the buffer's plan paired with the
	// submitted plan's, by the block they run (keptRunsBefore);
	// planPlace the places of the buffer plan's tasks.
	keptRuns  map[string][]keptRun
	planPlace map[*Task]int
	// refsVisited counts the tasks pairRuns, which refDropped asks,
	// looked at (TestRefDroppedScales).
	refsVisited int
}

// blockRef is a block of the buffer (its index) and a reference it makes
// as written (refWhat).
type blockRef struct {
	index int
	what  string
}

// EditKind is what the buffer made of a block.
type EditKind int

const (
	Kept    EditKind = iota // as submitted: run the task as planned
	Deleted                 // gone from the buffer: Emacs does not run it
	Changed                 // changed: run Decision.Task, planned from the buffer
	Fails                   // as it stands, Babel signals an error (Decision.Why)
)

// Decision is what Decide says of a task.
type Decision struct {
	Kind EditKind
	// Task is the task as the buffer holds it (Changed): named as the
	// submitted plan names it, its dependencies too, rendered in the
	// buffer (RenderIn and the results functions read its block there).
	Task *Task
	Why  string
	// Stop is, for a task that Fails on a reference the buffer has no
	// block for (one the document does not have either, Task's
	// unresolved, or one an Emacs Lisp block deleted), the
	// error org-babel-ref-resolve signals there ("Reference ‘x’ not
	// found in this buffer"), which stops org-babel-execute-buffer at
	// its block: the blocks after it are not run; or, for one whose
	// text is as submitted, the error Emacs signals merging its header
	// with the defaults the buffer's Emacs holds (a default :exports
	// set to a symbol: org.Block.Stop). "" otherwise.
	Stop string
	// Runs are, for a Changed task, the runs org-babel-ref-resolve
	// makes of the blocks its references as the buffer holds them run
	// that the submitted plan has none of (a reference an Emacs Lisp
	// block gave it: newRun), in the order Babel makes them, each at
	// the task's turn, before it: Task waits for them. The same tasks
	// each time the same Edits is asked.
	Runs []*Task
}

// edited is what a task planned from the buffer keeps of where it came
// from: the buffer it reads its block in, and the submitted document and
// block, which the document's Emacs knows it by (its marks).
type edited struct {
	in        *org.Document
	submitted *org.Document
	origin    *org.Block
	// added is the key of a block an Emacs Lisp block added (origin
	// nil): org.AddedKey and up.
	added int
	// found: the block was found in results written (its mark made
	// by org.Document.ReportResults, not by the document's Emacs),
	// which that Emacs marks where it stands before it runs a task of
	// it (foundMarkForm).
	found bool
	// foundBefore are the blocks found in results under a lower key
	// (nil where the buffer has none at its mark), which that Emacs
	// marks first, in order: its report's marks past the executables
	// are read by key (org.AddedKey and up), so it marks every found
	// block, run there or not.
	foundBefore []foundAt
	// call: the task of a call of an added block :eval refuses
	// (Addition.Calls), which writes its results nowhere.
	call bool
	// refRun: such a task that is the run a reference makes of a block
	// (refRun: Addition.Runs), planned as a call is, not the call of a
	// block :eval refuses: Babel runs it with :results silent, its
	// value given to the reference, no results of its own to stop at.
	refRun bool
	// For such a call run in the document's Emacs: refused is the
	// block :eval refuses, found in results under key refusedKey (nil
	// for one an Emacs Lisp block added, which that Emacs has marked
	// already), which that Emacs marks as it does a block found
	// (found, foundBefore) before the call runs; calledKey is the mark
	// of the block called, where org-babel-ref-resolve runs it.
	refused    *org.Block
	refusedKey int
	calledKey  int
	// lispRun: the run of a Lisp :var value of origin, a block :eval
	// refuses, as the buffer holds it (refusedLispRuns), which writes
	// no results; origin is where the document's Emacs evaluates it.
	lispRun bool
}

// foundAt is a block found in results, under its key in the document's
// Emacs.
type foundAt struct {
	key int
	blk *org.Block
}

// docIn is the document a task's block is read in: the buffer it was
// planned from (Edits), else doc.
func (t *Task) docIn(doc *org.Document) *org.Document {
	if t != nil && t.edit != nil {
		return t.edit.in
	}
	return doc
}

// BufferEdits reads plan p of doc again from rep, a report of the
// document's Org buffer by its Emacs. A report of another document (its
// marks not doc's executables) is an error.
func BufferEdits(doc *org.Document, p *Plan, rep *org.BufferReport, limits Limits, opts Options) (*Edits, error) {
	exes := doc.Executables()
	if len(rep.Marks) < len(exes) {
		return nil, fmt.Errorf("the buffer report has %d marks for %d executables", len(rep.Marks), len(exes))
	}
	nd, err := rep.PlanDocument(doc.Visit)
	if err != nil {
		return nil, fmt.Errorf("the Org buffer of the document: %w", err)
	}
	b := newBuilder(nd, limits, opts)
	b.lenient, b.missing = map[string]string{}, map[string]string{}
	// The calls of blocks :eval refuses are not planned again: Build
	// rolls back those it cannot plan, and marks those Emacs never
	// reaches (markStopped), only for the document as submitted.
	// The submitted plan's call tasks run as planned (decideOther).
	b.noRefusedCalls = true
	// But for the blocks added or found in results, which only the
	// buffer has: Emacs resolves their :var values too before it
	// refuses them, running the calls there (Addition.Calls).
	b.refusedCallsAt, b.refusedMadeBy = addedBlocks(nd, rep, len(exes)), map[int][]string{}
	b.unreached = unreachedBlocks(nd, rep)
	np, err := b.build()
	var rej *RejectError
	if errors.As(err, &rej) {
		// Problems of blocks the edits do not touch stay theirs: each
		// failing task says its own.
		for _, pr := range rej.Problems {
			if _, ok := b.lenient[pr.Block]; !ok {
				b.lenient[pr.Block] = fmt.Sprintf("line %d: %s", pr.Line, pr.Why)
			}
		}
		np, err = b.plan, nil
	}
	if err != nil {
		return nil, err
	}
	// Asked for each block again after this (refusedStop).
	b.freezeTasks()
	e := &Edits{submitted: doc, old: p, rep: rep, Doc: nd, Plan: np, exes: exes,
		at: make([]*org.Block, len(exes)), ownOld: ownTasks(p), ownNew: ownTasks(np), laterNew: laterOfName(np),
		back: map[string]string{}, failing: b.lenient, missing: b.missing, readStops: b.readStops, recursing: b.recursing, refusedStop: b.refusedStopOrUnread, turnRefusedStop: b.refusedTurnStopOrUnread, deletedTasks: map[string]bool{},
		place: make(map[int]int, len(exes)), byName: make(map[string]*Task, len(np.Tasks))}
	for i, x := range exes {
		e.place[x.Index] = i
	}
	e.refusedCalls = map[int][]*Task{}
	for i, names := range b.refusedMadeBy {
		for _, n := range names {
			if t := b.byName[n]; t != nil && slices.Contains(np.Tasks, t) {
				e.refusedCalls[i] = append(e.refusedCalls[i], t)
			}
		}
	}
	e.oldByName = map[string]*Task{}
	if p != nil {
		for _, t := range p.Tasks {
			if _, dup := e.oldByName[t.Block]; !dup {
				e.oldByName[t.Block] = t
			}
		}
	}
	for _, t := range np.Tasks {
		if _, dup := e.byName[t.Block]; !dup {
			e.byName[t.Block] = t
		}
	}
	e.oldRefs, e.newRefs = runReferrers(p, e.oldByName), runReferrers(np, e.byName)
	e.byPoint = map[int]*org.Block{}
	for _, x := range nd.Executables() {
		e.byPoint[nd.Point(x)] = x
	}
	for i, m := range rep.Marks[:len(exes)] {
		if m.Changed && m.Point >= m.BlockEnd {
			if t := e.ownOld[exes[i].Index]; t != nil {
				e.deletedTasks[t.Block] = true
			}
			continue
		}
		x := e.byPoint[m.Point]
		if x == nil {
			continue
		}
		e.at[i] = x
		if ot, nt := e.ownOld[exes[i].Index], e.ownNew[x.Index]; ot != nil && nt != nil {
			e.back[nt.Block] = ot.Block
		}
	}
	return e, nil
}

// addedBlocks are the executables of nd, the buffer rep reports, that
// its marks past the exes executables of the document submitted stand
// at (blocks added or found in results), by org.Block.Index.
func addedBlocks(nd *org.Document, rep *org.BufferReport, exes int) map[int]bool {
	if len(rep.Marks) <= exes {
		return nil
	}
	byPoint := map[int]*org.Block{}
	for _, x := range nd.Executables() {
		byPoint[nd.Point(x)] = x
	}
	out := map[int]bool{}
	for _, m := range rep.Marks[exes:] {
		if m.Changed && m.Point >= m.BlockEnd {
			continue
		}
		if x := byPoint[m.Point]; x != nil {
			out[x.Index] = true
		}
	}
	return out
}

// unreachedWhy is the reason a block of the Org buffer that no mark of
// its report stands at is not run (unreachedBlocks).
const unreachedWhy = "org-babel-execute-buffer does not reach it: it stands in results written before the block it walks on from, or in results it did not search (new results put in before the end its walk goes on from)"

// unreachedBlocks are the executables of nd, the buffer rep reports, that
// no mark of rep stands at, by org.Block.Index: the document's Emacs, and
// org.Document.ReportResults, mark every executable of the document and
// every block org-babel-execute-buffer finds past the one it ran (added
// after it, or found in results it searches), so that a block with no
// mark is one it never reaches. Such is a block in the results of a
// block found in results that a blank line kept apart from what followed
// it: org-babel-map-executables goes on from a marker it set at the end
// of that block's element, past the blank line, before the block ran;
// the new results go in before the blank line (org-babel-where-is-src-
// block-result), before the marker, which they push past them, so what
// they hold is never searched. Planned as a task, such a block would be
// run, or ordered among the Emacs Lisp blocks Emacs runs (a later block
// found waiting for it). A named one stays planned: a reference, or a
// later block of its name writing its results there, finds it, and what
// Borges makes of that is said where it is planned.
func unreachedBlocks(nd *org.Document, rep *org.BufferReport) map[int]bool {
	marked := make(map[int]bool, len(rep.Marks))
	for _, m := range rep.Marks {
		marked[m.Point] = true
	}
	var out map[int]bool
	for _, x := range nd.Executables() {
		if x.Name == "" && (x.Call == nil || x.Call.AffName == "") && !marked[nd.Point(x)] {
			if out == nil {
				out = map[int]bool{}
			}
			out[x.Index] = true
		}
	}
	return out
}

// ownTasks are a plan's tasks of a block's own run (not a reference's run
// of it, a call with arguments, a :post, a reading or a Lisp value), by
// block index.
func ownTasks(p *Plan) map[int]*Task { return blockRuns(p, false) }

// laterOfName are a plan's tasks of a block's own run that has the name
// of a block before it (whose results it writes: ResultsWith), by block
// index.
func laterOfName(p *Plan) map[int]*Task { return blockRuns(p, true) }

// blockRuns are ownTasks (later false) or laterOfName (later true).
func blockRuns(p *Plan, later bool) map[int]*Task {
	out := map[int]*Task{}
	if p == nil {
		return out
	}
	for _, t := range p.Tasks {
		if t.called == nil && t.lispVar == nil && !t.Post && !t.ReadsOutput && (t.ResultsWith != "") == later {
			if _, dup := out[t.Index]; !dup {
				out[t.Index] = t
			}
		}
	}
	return out
}

// Decide says what the buffer made of task t of the submitted plan: kept,
// deleted, or changed (its text, or a block it refers to deleted), when
// it is planned again from the buffer with its dependencies named as the
// submitted plan names them. A task that is not a block's own run is
// kept.
func (e *Edits) Decide(t *Task) Decision {
	i := e.exeOf(t)
	if i < 0 {
		return e.decideOther(t)
	}
	why, stop, runs := e.refusedTurnStop(i)
	if why != "" {
		return Decision{Kind: Fails, Why: why, Stop: stop}
	}
	if len(runs) == 0 {
		return e.decideOwn(t, i)
	}
	return withTurnRuns(t, e.decideOwn(t, i), runs, e.turnUnread(i))
}

// decideOwn is Decide of t, the own run of the submitted executable
// exes[i], past the refused blocks before it.
func (e *Edits) decideOwn(t *Task, i int) Decision {
	if e.at[i] == nil {
		return Decision{Kind: Deleted, Why: fmt.Sprintf("not run: an Emacs Lisp block before it deleted it from the Org buffer (line %d of the document), where org-babel-execute-buffer does not find it", e.exes[i].Line)}
	}
	// A block it refers to that the document did not have may be in
	// the buffer now.
	changed := e.rep.Marks[i].Changed || len(t.unresolved) > 0
	for _, a := range t.After {
		if e.deletedTasks[a] {
			changed = true
		}
	}
	nt := e.ownNew[e.at[i].Index]
	if nt != nil {
		if why, ok := e.failing[nt.Block]; ok {
			// As it stands in the buffer it cannot run, though its
			// text is as submitted (a block it refers to renamed with
			// a spelling references do not search).
			return Decision{Kind: Fails, Why: why, Stop: e.failStop(nt, e.at[i])}
		}
		if why := e.readsCycle(nt); why != "" {
			return Decision{Kind: Fails, Why: why, Stop: DepthExceeded}
		}
	} else if x := e.at[i]; x.Problem != "" {
		// Its arguments as the buffer's defaults make them are ones
		// Borges cannot read (a default :results set to a symbol,
		// which Babel evaluates), or ones Emacs stops at as it
		// merges them (x.Stop: a default :exports set to a symbol,
		// which split-string refuses), though its text is as
		// submitted: no task was planned for it.
		return Decision{Kind: Fails, Why: fmt.Sprintf("line %d: %s", x.Line, x.Problem), Stop: x.Stop}
	} else if s := e.skippedAt(x.Index); s != nil {
		// Its text is as submitted, but with the header arguments the
		// buffer's defaults give it (an Emacs Lisp block before it set
		// org-babel-default-header-args, or its language's) Babel
		// does not run it (:eval no, never, query): running it as
		// submitted would write what Emacs does not.
		return Decision{Kind: Fails, Why: fmt.Sprintf("line %d: not run: the header arguments the Org buffer's defaults give it now (set by an Emacs Lisp block before it) make Babel skip it (%s), which Borges does not reproduce: write that header argument in the block itself", e.exes[i].Line, s.Reason)}
	}
	if nt != nil && !changed {
		// Its references' runs come in another order (pairRuns).
		e.pairRuns()
		changed = e.reordered[nt.Block]
	}
	if !changed && nt != nil {
		// Its text is as submitted, but what its noweb references
		// take in may not be.
		changed = !sameRun(e.submitted, e.exes[i], t, e.Doc, e.at[i], nt) || !e.sameTargets(t, nt) || !e.sameNowebCallees(i)
	}
	if !changed {
		return Decision{Kind: Kept}
	}
	if nt == nil {
		return Decision{Kind: Fails, Why: "the block as an Emacs Lisp block before it left it in the Org buffer is not one Borges runs"}
	}
	if why, ok := e.failing[nt.Block]; ok {
		return Decision{Kind: Fails, Why: why, Stop: e.failStop(nt, e.at[i])}
	}
	c, err := e.renamed(nt, t, e.exes[i])
	if err != nil {
		return Decision{Kind: Fails, Why: err.Error(), Stop: stopOf(err)}
	}
	return Decision{Kind: Changed, Task: c, Runs: e.runsOf(nt.Block)}
}

// skippedAt is the buffer plan's skipped block of index, nil for none.
func (e *Edits) skippedAt(index int) *Skipped {
	for _, s := range e.Plan.Skipped {
		if s.Index == index {
			return s
		}
	}
	return nil
}

// exeOf is the place among the submitted executables of the block whose
// own run t is, -1 for another task.
func (e *Edits) exeOf(t *Task) int {
	if o := e.ownOld[t.Index]; o == nil || o != t && !o.sameOwn(t) {
		return -1
	}
	if i, ok := e.place[t.Index]; ok {
		return i
	}
	return -1
}

// sameOwn reports whether c is a copy of t, a block's own run (the
// engine's, wired to run after or in the environment of an added block):
// of the same block, by the same name, itself a block's own run.
func (t *Task) sameOwn(c *Task) bool {
	return t.Block == c.Block && t.Line == c.Line && c.called == nil && c.lispVar == nil && !c.Post && !c.ReadsOutput && c.ResultsWith == ""
}

// EnvironmentIn is the task of the document's Emacs whose environment
// the block of submitted task t gets as the buffer stands (an Emacs Lisp
// block added before it there leaves its own), named as the submitted
// plan, and Added, name them; "" when t is no block's own run, or gets
// none.
func (e *Edits) EnvironmentIn(t *Task) string {
	i := e.exeOf(t)
	if i < 0 || e.at[i] == nil {
		return ""
	}
	nt := e.ownNew[e.at[i].Index]
	if nt == nil || nt.EnvironmentOf == "" {
		return ""
	}
	e.Added()
	n, err := e.nameOf(nt.EnvironmentOf, e.addedNames)
	if err != nil {
		return ""
	}
	return n
}

// renamed is nt, planned from the buffer, as the submitted plan's old
// runs it (origin: its block in the submitted document): its name, its place in the document's Emacs (session, buffer
// work, environment) and its dependencies named as that plan names them.
func (e *Edits) renamed(nt, old *Task, origin *org.Block) (*Task, error) {
	e.Added()
	c, err := e.mapped(nt, e.addedNames)
	if err != nil {
		return nil, fmt.Errorf("line %d: block %s as it stands in the Org buffer refers to %w", old.Line, old.Block, err)
	}
	c.Block, c.Named = old.Block, old.Named
	c.Session, c.BufferStart, c.BufferResults = old.Session, old.BufferStart, old.BufferResults
	c.BufferPrev, c.EnvironmentOf = old.BufferPrev, old.EnvironmentOf
	c.edit = &edited{in: e.Doc, submitted: e.submitted, origin: origin}
	return c, nil
}

// namesIn is names, each as name gives it; the first error of name.
func namesIn(names []string, name func(string) (string, error)) ([]string, error) {
	var out []string
	for _, a := range names {
		o, err := name(a)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// mapped is a copy of nt, planned from the buffer, with the tasks it
// depends on (and the Emacs Lisp block whose environment it runs in)
// named as the submitted plan names them, or as added names the blocks
// added to the buffer.
func (e *Edits) mapped(nt *Task, added map[string]string) (*Task, error) {
	c := *nt
	name := func(n string) (string, error) { return e.nameOf(n, added) }
	// An Emacs Lisp block the submitted plan does not have: the
	// environment is that of the blocks before it.
	c.EnvironmentOf, _ = name(nt.EnvironmentOf)
	// The task whose run makes this call (CallOf), as the engine knows
	// it: a restart of that task runs the call again (its callRunsOf).
	// One the names do not know (a block :eval refuses, which is not
	// restarted) keeps the buffer's name.
	if o, err := name(nt.callOf); nt.callOf != "" && err == nil {
		c.callOf = o
	}
	if nt.sessionPrev != "" {
		prev, err := name(nt.sessionPrev)
		if err != nil {
			return nil, err
		}
		c.sessionPrev = prev
	}
	var err error
	if c.After, err = namesIn(nt.After, name); err != nil {
		return nil, err
	}
	if c.readersBefore, err = namesIn(nt.readersBefore, name); err != nil {
		return nil, err
	}
	if c.orderOnly, err = namesIn(nt.orderOnly, name); err != nil {
		return nil, err
	}
	if c.fileOnly, err = namesIn(nt.fileOnly, name); err != nil {
		return nil, err
	}
	c.values = append([]boundValue(nil), nt.values...)
	for i := range c.values {
		if c.values[i].ref != "" {
			o, err := name(c.values[i].ref)
			if err != nil {
				return nil, err
			}
			c.values[i].ref = o
		}
	}
	c.nowebRefs = append([]nowebRef(nil), nt.nowebRefs...)
	for i := range c.nowebRefs {
		if c.nowebRefs[i].data != nil {
			continue // named data, read from the buffer: no block to name
		}
		o, err := name(c.nowebRefs[i].block)
		if err != nil {
			return nil, err
		}
		c.nowebRefs[i].block = o
	}
	if nt.stdin != nil && nt.stdin.ref != "" {
		s := *nt.stdin
		o, err := name(s.ref)
		if err != nil {
			return nil, err
		}
		s.ref = o
		c.stdin = &s
	}
	return &c, nil
}

// nameOf is task n of the buffer's plan as the submitted plan names it,
// or as added names the blocks added to the buffer.
func (e *Edits) nameOf(n string, added map[string]string) (string, error) {
	if o, ok := e.back[n]; ok {
		return o, nil
	}
	if o, ok := added[n]; ok {
		return o, nil
	}
	if o, err, ok := e.refRun(n, added); ok {
		return o, err
	}
	rt := e.byName[n]
	if ot, ok := e.pairedOld(n); ok {
		// A run a reference of a block makes is named after its
		// block, an unnamed one by its place ("block-3 :var
		// x=a"), which an Emacs Lisp block deleting or inserting a
		// block before it shifts: it is the submitted run of its
		// referrer's reference, whatever that run's name.
		if ot != nil {
			return ot.Block, nil
		}
	} else if e.oldByName[n] != nil {
		return n, nil
	}
	if o, err, ok := e.libraryRun(rt, added); ok {
		return o, err
	}
	if o, err, ok := e.newRun(rt, added); ok {
		return o, err
	}
	if e.ownRunLate(rt) {
		return "", fmt.Errorf("block %s (%s), which stands after it: Emacs runs %s there, at this block's turn, before the blocks between; Borges did not plan that run from the document as submitted, and %s's own run, after them, may give another value", rt.called.name, e.refWritten(rt), rt.called.name, rt.called.name)
	}
	if rt != nil && rt.called != nil && rt.Index < 0 {
		return "", fmt.Errorf("block %s (%s), a run of it Borges did not plan from the document as submitted", rt.called.name, e.refWritten(rt))
	}
	return "", fmt.Errorf("%s, which Borges did not plan from the document as submitted", n)
}

// ownRunLate reports whether rt, a run of the buffer's plan for a
// reference a block of the document makes, is of a block standing after
// that referrer (in the buffer, or, as submitted, its own run after the
// referrer's): Emacs runs the block at the reference, before the blocks
// between run, and its own run comes after them, so the own run cannot
// serve the reference (its value may be another, a block between writing
// what it reads), nor can the referrer wait for it: where newRun does
// not plan the run (a block of a session), the referrer fails saying so
// (nameOf).
func (e *Edits) ownRunLate(rt *Task) bool {
	if rt == nil || rt.called == nil || rt.Index >= 0 {
		return false
	}
	by, own := e.byName[rt.callOf], e.byName[rt.called.name]
	if by == nil || own == nil || by.Index < 0 || own.Index < 0 || by.called != nil || own.called != nil {
		return false
	}
	if own.Index > by.Index {
		return true
	}
	ob, oo := e.oldByName[e.back[by.Block]], e.oldByName[e.back[own.Block]]
	return ob != nil && oo != nil && ob.Index >= 0 && oo.Index > ob.Index
}

// refWritten is the reference that makes rt, a run for a reference, as
// written (":var x=data"): its name after the block making it.
func (e *Edits) refWritten(rt *Task) string {
	by := rt.callOf
	if o := e.byName[by]; o != nil && o.called != nil && o.Index < 0 {
		by = o.called.name
	}
	return strings.TrimPrefix(trimRunSeq(rt.Block), by+" ")
}

// missingInBuffer handles, planning the Org buffer, t's reference to a
// block a that is not there (an Emacs Lisp block deleted it): a :var or
// :stdin value, or a noweb reference that evaluates it (<<a()>>:
// org-babel-ref-resolve), makes t fail with the error Babel signals. (A
// plain noweb reference, <<a>>, expands to nothing, as
// org-babel-expand-noweb-references leaves one it does not find: it is
// no dependency.) It reports whether the reference is handled so.
func (b *builder) missingInBuffer(t *Task, a string) bool {
	switch arg := argFor(t, a); arg {
	case ":var", ":stdin", ":noweb":
		if why := b.libraryUnrun(a); why != "" {
			// An entry of the Library of Babel Borges does not run:
			// Emacs runs it (or stops there), Borges fails the block.
			if _, ok := b.lenient[t.Block]; !ok {
				b.lenient[t.Block] = fmt.Sprintf("line %d of the Org buffer, %s: %s", b.blocks[t].Line, refArg(t, arg, a), why)
			}
			return true
		}
		if _, ok := b.lenient[t.Block]; !ok {
			b.lenient[t.Block] = fmt.Sprintf("line %d of the Org buffer, %s: %s", b.blocks[t].Line, refArg(t, arg, a), org.RefNotFound(a))
			b.missing[t.Block] = org.RefNotFound(a)
		}
		return true
	}
	return false
}

// refArg is t's header argument arg that refers to block a, as written
// (":var x=a"), or its noweb reference ("<<a()>>"), or arg.
func refArg(t *Task, arg, a string) string {
	for _, v := range t.Vars {
		if v.Ref == a && arg == ":var" {
			return ":var " + v.Name + "=" + a
		}
	}
	for _, r := range t.nowebRefs {
		if r.block == a && arg == ":noweb" {
			call, _, _ := strings.Cut(r.call, "\n") // its first time (org.NowebKey)
			return "<<" + call + ">>"
		}
	}
	return arg
}

// unresolvedStop is, for task t of the submitted plan as the buffer
// holds it (nt), the reference error org-babel-execute-buffer stops with
// at its block when it refers to a block not in the buffer
// (missingInBuffer): one the document did not have either (t's
// unresolved) and no Emacs Lisp block before it inserted, or one an
// Emacs Lisp block before it deleted. org-babel-ref-resolve signals it
// either way. "" otherwise.
func (e *Edits) unresolvedStop(nt *Task) string {
	return e.missing[nt.Block]
}

// failStop is the error org-babel-execute-buffer stops with at blk, the
// buffer's block of nt, a task of the buffer's plan that cannot run
// (e.failing): a reference not found (unresolvedStop), or, where a :var
// value refers to blk itself (an Emacs Lisp block before it rewrote
// ":var x=a" into ":var x=ref" in block ref), DepthExceeded: Emacs runs
// the block again at that reference, and again, until the binding depth
// runs out, as for a new run that refers to its own block (newRun). ""
// otherwise.
func (e *Edits) failStop(nt *Task, blk *org.Block) string {
	if s := e.unresolvedStop(nt); s != "" {
		return s
	}
	if e.recursing[nt.Block] {
		// Longer: ref's :var x=b, b's :var z=ref.
		return DepthExceeded
	}
	for _, v := range nt.Vars {
		// Var.Ref names the run the reference makes (rerunName),
		// after the block and the reference as written; the builder
		// keeps none of a cycle.
		rhs, ok := strings.CutPrefix(trimRunSeq(v.Ref), nt.Block+" :var "+v.Name+"=")
		if !ok {
			continue
		}
		if r, ok := parseRef(rhs); ok && sameBlockAt(e.Doc.RefCallee(r.name), blk) {
			return DepthExceeded
		}
	}
	return ""
}

// sameBlockAt reports whether a and b are one block of a document, by
// where they stand (RefCallee's blocks are not numbered); a may be nil.
func sameBlockAt(a, b *org.Block) bool {
	return a != nil && a.Start == b.Start && a.End == b.End
}

// WithoutReport is what becomes of task t when no Emacs Lisp block
// before it changed the Org buffer: a block it refers to (:var, :stdin)
// that the document does not have is not there either, and it fails as
// Babel fails on it, org-babel-execute-buffer stopping there
// (Decision.Stop). (A noweb reference to such a block expands to
// nothing as submitted, and to the block once the buffer has it.)
func WithoutReport(t *Task) Decision {
	if len(t.unresolved) == 0 {
		return Decision{Kind: Kept}
	}
	a := t.unresolved[0]
	return Decision{Kind: Fails, Why: fmt.Sprintf("line %d, %s: Reference ‘%s’ not found in this buffer", t.Line, refArg(t, argFor(t, a), a), a), Stop: org.RefNotFound(a)}
}

// expansion is blk's body as Babel evaluates it (noweb references
// expanded: named data as its text, the results of evaluated references
// left as their calls): what Decide compares of a block in the document
// and in the buffer.
func expansion(doc *org.Document, blk *org.Block, t *Task) string {
	if !org.NowebEnabled(blk.Args) {
		return blk.Body
	}
	results := map[string]string{}
	for _, r := range t.nowebRefs {
		if r.data != nil {
			results[r.call] = nowebInsert(*r.data)
			continue
		}
		results[r.call] = "\x00" + r.call
	}
	body, err := doc.ExpandedBody(blk, results)
	if err != nil {
		return "\x00" + err.Error()
	}
	return body
}

// decideOther is Decide of a task that is not a block's own run: a run
// of a block for a reference (of a block of a session, called with
// arguments), named alike in the buffer's plan, runs as the buffer holds
// the block when that differs from the document as submitted.
func (e *Edits) decideOther(t *Task) Decision {
	if why := e.refusedLispReplaced(t); why != "" {
		return Decision{Kind: Deleted, Why: why}
	}
	if why := e.refusedLispGone(t); why != "" {
		return Decision{Kind: Deleted, Why: why}
	}
	if t.lispVar != nil && t.edit == nil && t.lispVar.owner != nil {
		// A Lisp :var value of a block after refused blocks whose
		// forms Emacs evaluates before it: after them.
		if j, ok := e.place[t.lispVar.owner.Index]; ok && t.lispVar.post == nil && t.lispVar.postKey == "" {
			if why, _, runs := e.refusedTurnStop(j); why == "" && len(runs) > 0 {
				return withTurnRuns(t, Decision{Kind: Kept}, runs, "")
			}
		}
	}
	if t.lispVar != nil || t.ReadsOutput || t.Post {
		return Decision{Kind: Kept}
	}
	if why, stop := e.refusedReaderStop(t); stop != "" {
		return Decision{Kind: Fails, Why: why, Stop: stop}
	}
	j := e.runPlace(t)
	why, stop, runs := e.refusedTurnStop(j)
	if why != "" {
		return Decision{Kind: Fails, Why: why, Stop: stop}
	}
	if len(runs) == 0 {
		return e.decideRun(t)
	}
	return withTurnRuns(t, e.decideRun(t), runs, e.turnUnread(j))
}

// decideRun is decideOther of t, a run for a reference, past the
// refused blocks before its turn.
func (e *Edits) decideRun(t *Task) Decision {
	if why := e.reorderedWhy(t); why != "" {
		return Decision{Kind: Deleted, Why: why}
	}
	nt := e.byName[t.Block]
	if bt, ok := e.pairedNew(t.Block); ok {
		// A run a block's reference makes is its referrer's in the
		// buffer too, whatever its name there (pairRuns).
		nt = bt
	} else if nt != nil && !e.sameReferrer(t, nt) {
		// Named alike, but made by another reference: the name of
		// a run is numbered in plan order (rerunName), and the
		// reference that made t's gone, or another block's of the
		// same name, or the block moved, another run took it.
		nt = nil
	}
	if nt == nil {
		if c := t.called; c != nil && e.submitted.RefCallee(c.name) != nil && e.Doc.RefCallee(c.name) == nil {
			// The block it runs for a reference is gone from the
			// buffer: org-babel-ref-resolve finds no block of the
			// name there, and the block whose reference it is
			// fails (Decide), not this run.
			return Decision{Kind: Deleted, Why: fmt.Sprintf("not run: an Emacs Lisp block before it deleted block %s from the Org buffer, where org-babel-ref-resolve does not find it", c.name)}
		}
		if why := e.refDropped(t); why != "" {
			return Decision{Kind: Deleted, Why: why}
		}
		return Decision{Kind: Kept}
	}
	ob, err := t.blockIn(e.submitted)
	if err != nil {
		return Decision{Kind: Kept}
	}
	nb, err := nt.blockIn(e.Doc)
	if err != nil || sameRun(e.submitted, ob, t, e.Doc, nb, nt) {
		return Decision{Kind: Kept}
	}
	if why, ok := e.failing[nt.Block]; ok {
		return Decision{Kind: Fails, Why: why, Stop: e.cycleStop(nt)}
	}
	c, err := e.renamed(nt, t, ob)
	if err != nil {
		return Decision{Kind: Fails, Why: err.Error(), Stop: e.cycleStop(nt)}
	}
	return Decision{Kind: Changed, Task: c}
}

// refusedReaderStop is, for t, a run of the submitted plan that a block
// :eval refuses makes resolving its :var values (Task.RefusedReaders),
// the error org-babel-execute-buffer stops with at the first such block
// as the buffer holds it, reading its information before
// org-babel-check-evaluate refuses it (refusedStop: an Emacs Lisp block
// before it rewrote its ":var x=a" into ":var x=ref", a reference to
// itself, which Emacs resolves by running it again, without end), and
// why t fails so: Emacs stops there, before it would make t's run, and
// the stop stands at that block's turn, whose run t is (the engine's
// stopPlace, the fixtures' runner). "" where it does not stop, or the
// buffer runs that block.
func (e *Edits) refusedReaderStop(t *Task) (why, stop string) {
	first, ok := t.FirstRefusedReader()
	if !ok {
		return "", ""
	}
	i, ok := e.place[first.Index]
	if !ok || e.at[i] == nil {
		return "", ""
	}
	x := e.at[i]
	refuses, before := "which :eval refuses", "refuses it"
	switch {
	case e.refusedInBuffer(x):
	case e.queriedInBuffer(x):
		// Emacs resolves its :var values before it asks, too.
		refuses, before = "which :eval query asks about", "asks"
	default:
		return "", ""
	}
	if stop, _ = e.refusedStop(x); stop == "" {
		return "", ""
	}
	return fmt.Sprintf("line %d of the Org buffer: block %s, %s, as it stands there: org-babel-execute-buffer stops at it resolving its :var values, before it %s: %q", x.Line, BlockName(x), refuses, before, stop), stop
}

// queriedInBuffer reports whether x, a block of the Org buffer, is one
// :eval query asks about there that no task of the buffer's plan runs,
// with no stop or problem of its own: Emacs reads its information,
// resolving its :var values, before it asks (refusedReaderStop).
func (e *Edits) queriedInBuffer(x *org.Block) bool {
	return evalQuery(x.Args) && e.ownNew[x.Index] == nil && x.Stop == "" && x.Problem == ""
}

// readsCycle is, for nt, a block's own run of the buffer's plan, why it
// cannot run where a reference of it runs a block of a cycle of
// references (cycleStop): Emacs stops there, the binding depth run
// out; "" otherwise.
func (e *Edits) readsCycle(nt *Task) string {
	for _, a := range nt.After {
		if rt := e.byName[a]; rt != nil && rt.callOf == nt.Block && e.cycleStop(rt) != "" {
			return fmt.Sprintf("line %d: block %s (%s) as it stands in the Org buffer, which refers to itself through other blocks: org-babel-ref-resolve runs them again at each reference, without end", nt.Line, rt.called.name, e.refWritten(rt))
		}
	}
	return ""
}

// cycleStop is, for nt, a run of the buffer's plan for a reference, the
// error org-babel-execute-buffer stops with at its referrer where the
// block it runs is in a cycle of references (an Emacs Lisp block
// rewrote ref's :var x=a into :var x=b, b referring to ref, and another
// block refers to ref): Emacs runs the blocks of the cycle again and
// again until the binding depth runs out (builder.recursing);
// "" otherwise.
func (e *Edits) cycleStop(nt *Task) string {
	if nt.called != nil && e.recursing[nt.called.name] {
		return DepthExceeded
	}
	return ""
}

// sameRun reports whether block ob of the submitted document (task t)
// and nb of the buffer (task nt) run alike: the same header arguments
// and :var values, the same body as expanded.
func sameRun(od *org.Document, ob *org.Block, t *Task, nd *org.Document, nb *org.Block, nt *Task) bool {
	return sameReading(ob, nb) &&
		sameData(t.values, nt.values) &&
		expansion(od, ob, t) == expansion(nd, nb, nt)
}

// sameTargets reports whether nt, task t's block planned from the
// buffer, takes its :var and :stdin references from the tasks t does,
// named as the submitted plan names them: an Emacs Lisp block that puts
// the first block of a name in a COMMENT subtree, or takes one out of
// it, has org-babel-ref-resolve find another block of the name
// (builder.uncommentedOfName) though the referring block's text is as
// submitted. A reference the submitted plan has no name for is left to
// the rest of Decide.
func (e *Edits) sameTargets(t, nt *Task) bool {
	if len(t.Vars) != len(nt.Vars) {
		return false
	}
	e.Added()
	same := func(old, new string) bool {
		if old == "" || new == "" {
			return old == new
		}
		n, err := e.nameOf(new, e.addedNames)
		return err != nil || n == old
	}
	for i := range t.Vars {
		if !same(t.Vars[i].Ref, nt.Vars[i].Ref) {
			return false
		}
	}
	var os, ns string
	if t.stdin != nil {
		os = t.stdin.ref
	}
	if nt.stdin != nil {
		ns = nt.stdin.ref
	}
	return same(os, ns)
}

// sameNowebCallees reports whether the noweb references with arguments
// ("<<f(n=1)>>") of the submitted executable exes[i] call, in the
// buffer, the blocks they call in the document as submitted (at the
// marks of the same executables): an Emacs Lisp block that puts the
// first block of a name in a COMMENT subtree, or takes one out of it,
// has org-babel-ref-resolve run another block of the name though the
// referring block's text is as submitted (as sameTargets for :var and
// :stdin). A callee the report does not place counts as changed.
func (e *Edits) sameNowebCallees(i int) bool {
	calls := e.submitted.NowebCalls(e.exes[i])
	if len(calls) == 0 {
		return true
	}
	for _, id := range calls {
		r, ok := parseRef(id)
		if !ok {
			continue
		}
		old, now := e.submitted.RefCallee(r.name), e.Doc.RefCallee(r.name)
		if old == nil || now == nil {
			if old != now {
				return false
			}
			continue
		}
		j := slices.IndexFunc(e.exes, func(x *org.Block) bool { return x.BeginLine == old.BeginLine })
		if j < 0 || e.at[j] == nil || e.at[j].BeginLine != now.BeginLine {
			return false
		}
	}
	return true
}

// sameData is whether the values a task binds that are not results of
// blocks (literals, named tables, lists, paragraphs) are the same in
// the document as submitted and in the buffer: named data an Emacs Lisp
// block changed reaches the block as the buffer holds it.
func sameData(old, new []boundValue) bool {
	if len(old) != len(new) {
		return false
	}
	for i := range old {
		o, n := old[i], new[i]
		if o.ref != "" || n.ref != "" {
			continue // a block's result, compared as its run
		}
		if o.lisp != n.lisp || !reflect.DeepEqual(o.value, n.value) || !reflect.DeepEqual(o.colnames, n.colnames) {
			return false
		}
	}
	return true
}

// Refers reports whether task t depends on block name: :var, :stdin,
// :after, an evaluated noweb reference; or its references run the block
// (a run of its own for a reference, a call with arguments: refRuns).
func (t *Task) Refers(name string) bool {
	if slices.Contains(t.After, name) || t.runsRef(name) {
		return true
	}
	for _, r := range t.nowebRefs {
		if r.block == name {
			return true
		}
	}
	return false
}

// RefersUnresolved reports whether task t refers (:var, :stdin) to a
// block of that name the document as submitted does not have, which an
// Emacs Lisp block before it may insert: the task planned from the
// buffer did not replace it (its reference, to a block added there, is
// one Borges did not plan), and the reference is still t's.
func (t *Task) RefersUnresolved(name string) bool {
	return slices.Contains(t.unresolved, name)
}

// TakesIn reports whether task t, planned from a buffer (Decide, Added),
// takes in there by a noweb reference the block standing in a buffer as
// in says (InBuffer, Addition.In), as Babel expands them from the buffer
// as it stands when the block runs: a reference to its name, to its
// :noweb-ref, or to a block that takes it in. The block t takes in is
// that one when it has its #+name and its text.
func (t *Task) TakesIn(in BufferBlock) bool {
	if t.edit == nil || in == (BufferBlock{}) {
		return false
	}
	doc := t.edit.in
	b, err := t.blockIn(doc)
	if err != nil || !org.NowebEnabled(b.Args) {
		return false
	}
	for _, x := range doc.NowebIncluded(b) {
		if inBuffer(doc, x) == in {
			return true
		}
	}
	return false
}

// BufferBlock is a block as it stands in an Org buffer: its #+name (""
// for none) and its text from its #+begin_src line to its end.
type BufferBlock struct{ Name, Text string }

// inBuffer is block b of doc as it stands there.
func inBuffer(doc *org.Document, b *org.Block) BufferBlock {
	return BufferBlock{Name: b.Name, Text: doc.Text[doc.Point(b):doc.BlockEnd(b)]}
}

// InBuffer is the block of task t as it stands in the buffer t was
// planned from (Decide, Added): the zero BufferBlock for a task planned
// from the document as submitted.
func (t *Task) InBuffer() BufferBlock {
	doc := t.docIn(nil)
	if doc == nil {
		return BufferBlock{}
	}
	b, err := t.blockIn(doc)
	if err != nil {
		return BufferBlock{}
	}
	return inBuffer(doc, b)
}

// ResultsOrgText reports whether t's results, by the merged header
// arguments of its block as it stands in the buffer t was planned from
// (InBuffer), may hold a block org-babel-execute-buffer finds
// (org.ResultsAsOrgText): known without its output. True where that
// block is not known (a task planned from the document as submitted):
// only its output says.
func (t *Task) ResultsOrgText() bool {
	doc := t.docIn(nil)
	if doc == nil {
		return true
	}
	b, err := t.blockIn(doc)
	if err != nil {
		return true
	}
	return org.ResultsAsOrgText(b.Args)
}

// refusedIsNil handles t's references to a block a that :eval refuses
// (a block of the document, a #+call: of such a block, a block found in
// results or one an Emacs Lisp block added): org-babel-ref-resolve runs
// it, org-babel-check-evaluate refuses, and org-babel-ref-resolve gives
// the symbol it got, nil, as the string "nil" (printed, as any symbol,
// before an index is looked at), which t runs with: as a :var value, on
// :stdin, and where a noweb reference <<a()>> stands. The task reading
// t's output in Emacs (emacsReadTask) waits for a no more once t does
// not. It reports whether every reference of t to a is now "nil";
// otherwise nothing changes, and the reference is refused as before:
// where reading a's header arguments may signal or run something
// (refusedRead), in the document as submitted and in the Org buffer
// alike.
func (b *builder) refusedIsNil(t *Task, a string, read refusedReading) bool {
	if !b.refusedNames[a] {
		return false
	}
	if argFor(t, a) == ":after" {
		if t.ReadsOutput && t.owner != nil {
			// The owner comes first in the plan: resolved already.
			return !slices.Contains(t.owner.After, a)
		}
		return false
	}
	if !read.found || (read.why != "" && !t.refusedRunsPlanned(a)) {
		// (Where Emacs runs blocks reading a's information, t
		// waits for their runs: refusedRefRuns.)
		return false
	}
	for _, v := range t.values {
		if v.ref == a && (v.readBack != "" || v.this) {
			return false
		}
	}
	bindNil(t, a)
	return true
}

// bindNil has t's references to a (:var values, :stdin, noweb) the
// string "nil", a refers to no task.
func bindNil(t *Task, a string) {
	for i := range t.values {
		if t.values[i].ref == a {
			t.values[i].ref, t.values[i].index = "", ""
			t.values[i].value = Value{Scalar: "nil"}
		}
	}
	if t.stdin != nil && t.stdin.ref == a {
		t.stdin = &boundValue{value: Value{Scalar: "nil"}}
	}
	for i := range t.nowebRefs {
		if t.nowebRefs[i].block == a {
			v := Value{Scalar: "nil"}
			t.nowebRefs[i].block, t.nowebRefs[i].index, t.nowebRefs[i].data = "", "", &v
		}
	}
}

// refusedRead reports whether the first block named a, skipped, is one
// :eval refuses, outside COMMENT subtrees (found), and, if so, why
// reading its information may signal or run something, "" where it
// cannot. org-babel-ref-resolve runs it with org-babel-execute-src-block,
// which reads it with org-babel-get-src-block-info, not light, before
// org-babel-check-evaluate refuses it: each header value is read
// (org-babel-read evaluates a Lisp form, *this* too, in whatever layer,
// a later one replacing it or not), its :var values resolved
// (org-babel-ref-parse: a value that is no literal runs a block or
// stops, an empty one is "Reference ‘’ not found"), their lists split by
// :rownames, and org-babel-generate-file-param makes the :output-dir and
// concatenates a :file-ext to the name. Where every value is a literal
// Borges reads, nothing runs or signals there, and the reference is
// "nil". Where what it signals is known (refusedRefStop), Emacs stops
// there. a may name a call of such a block with arguments
// (refusedCallRead).
func (b *builder) refusedRead(a string) refusedReading {
	s := b.skipped[a]
	if s == nil {
		return refusedReading{}
	}
	if s.Index < 0 {
		return b.refusedCallRead(a)
	}
	blk := b.doc.BlockAt(s.Index)
	if blk == nil || BlockName(blk) != a || blk.Commented {
		// References skip COMMENT subtrees: left as before.
		return refusedReading{}
	}
	if _, refused := org.EvalRefused(blk.Args); !refused {
		// The first block of the name is not run for another reason
		// (Emacs runs it for the reference, and may stop there): a
		// later block of the name refused is not what it finds.
		return refusedReading{}
	}
	return refusedReading{found: true, why: refusedReadWhy(blk, false), stop: refusedRefStop(blk)}
}

// refusedReadWhy is why reading the information of blk, a block :eval
// refuses, may signal or run something as org-babel-ref-resolve reads
// it (refusedRead), "" where it cannot; this: a :var value *this* is
// read too (a :post's call: Emacs evaluates the variable, bound to the
// block's result, which cannot signal).
func refusedReadWhy(blk *org.Block, this bool) string {
	const reads = "Emacs reads its header arguments for the reference before :eval refuses it"
	if why := readsLispWhy(blk, reads); why != "" {
		return why
	}
	rownames, hasRownames := blk.Args.Get("rownames")
	for _, raw := range blk.Vars {
		_, rhs, ok := strings.Cut(raw, "=")
		rhs = trimVarComma(strings.TrimSpace(rhs))
		if this && rhs == "*this*" {
			continue
		}
		if !ok || rhs == "" {
			return reads + fmt.Sprintf(", and :var %s names nothing (Emacs stops: \"Reference ‘’ not found in this buffer\")", raw)
		}
		v, literal, err := parseLiteral(rhs)
		if err != nil || !literal {
			return reads + fmt.Sprintf(", resolving :var %s, which Borges does not do for it", raw)
		}
		if v.IsList && hasRownames && rownames != "no" {
			return reads + fmt.Sprintf(", taking row names off the list of :var %s, which Borges does not do for it", raw)
		}
	}
	if _, ok := blk.Args.Get("output-dir"); ok {
		return reads + ", making its :output-dir, which Borges does not do for it"
	}
	if ext, ok := blk.Args.Lookup("file-ext"); ok && (ext.Symbol || ext.Printed || !ext.String && isNumber(ext.Value)) {
		return reads + fmt.Sprintf(", joining its :file-ext %s to its name, which it cannot (a string is needed)", ext.Value)
	}
	return ""
}

// refusedFirst reports whether the first block of name a, before task
// dep of the name, is one :eval refuses (read, refusedRead, finds it).
func (b *builder) refusedFirst(a string, dep *Task, read refusedReading) bool {
	s, blk := b.skipped[a], b.blocks[dep]
	if !b.refusedNames[a] || s == nil || blk == nil || s.Line >= blk.Line {
		return false
	}
	return read.found
}

// refusedUnread refuses t's reference to the block a that :eval refuses
// whose reading Borges cannot tell (refusedRead says why).
func (b *builder) refusedUnread(t *Task, a, why string) {
	b.problem(b.blocks[t], t.Block, argFor(t, a), "depends on block %q, which Borges does not run (%s): %s", a, b.skipped[a].Reason, why)
}

// isNumber reports whether org-babel-read reads s as a number.
func isNumber(s string) bool {
	_, ok := lispNumber(s)
	return ok
}
