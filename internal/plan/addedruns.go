package plan

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// A block an Emacs Lisp block added to the buffer may be referred to, by
// a block of the document (whose reference the submitted plan left
// unresolved) or by another block added: :var x=counter, <<counter()>>,
// counter(d=5). org-babel-ref-resolve runs the block again for each such
// reference, as it evaluates the referring block, and where the document
// as submitted had the block, Borges plans that run as a task of its own
// (rerun: a block of a session, a call with arguments). The buffer's plan
// has those tasks; refRun names each after its referring block as the
// submitted plan (or Added) names that block, and maps it as any task
// planned from the buffer (mapped): run where the buffer's plan runs it
// (its session after the session's blocks before the referring block),
// its results written nowhere, its value read as for any run again.
// Added puts them on the Addition of the block they run (Addition.Runs),
// which the engine (and the Emacs fixtures' runner) adds with it. A run
// that cannot be planned so is none: the referring block fails saying
// why, rather than run with half its references.

// refRunOf is what refRun made of a run of the buffer's plan: its name
// and task, or the error that keeps it from running.
type refRunOf struct {
	name string
	task *Task
	err  error
	// key is the Addition whose block the run runs (directly, or
	// inside a run of that block).
	key int
}

// errRunCycle is refRun met again while it maps a run (which cannot
// be: a run depends on runs planned before it).
var errRunCycle = errors.New("a run for a reference that depends on itself")

// refRun is n, a task of the buffer's plan, as refRun plans it for a
// block added to the buffer (see above), ok false for a task that is no
// such run. Runs are planned while Added makes its answer only, each
// once; asked after, it answers as it did then.
func (e *Edits) refRun(n string, added map[string]string) (name string, err error, ok bool) {
	if r, ok := e.runs[n]; ok {
		return r.name, r.err, true
	}
	rt := e.byName[n]
	if rt == nil || e.runsDone {
		return "", nil, false
	}
	key, ok := e.runHome(rt, 0)
	if !ok {
		return "", nil, false
	}
	if e.runs == nil {
		e.runs = map[string]refRunOf{}
	}
	e.runs[n] = refRunOf{err: errRunCycle}
	// planRun may set ValueNeedsEmacsStops on the run's task (see there).
	r := e.planRun(rt, added, -1)
	r.key = key
	if r.err != nil {
		r.err = fmt.Errorf("%s, %s, which Borges cannot run: %w", n, e.runWhere(rt), r.err)
	}
	e.runs[n] = r
	e.runOrder = append(e.runOrder, n)
	return r.name, r.err, true
}

// runHome is the key of the block added to the buffer that rt, a task
// of the buffer's plan, runs for a reference (a run again, or a call
// with arguments, of a reference its referring block makes), directly
// or inside a run of such a block; ok false for any other task.
func (e *Edits) runHome(rt *Task, depth int) (int, bool) {
	if (rt.Post || rt.ReadsOutput) && rt.owner != nil && depth <= len(e.Plan.Tasks) {
		// A task of a run's :post chain: the run's (planRun refuses
		// it).
		return e.runHome(rt.owner, depth+1)
	}
	if rt.called == nil || rt.callOf == "" || rt.Post || rt.ReadsOutput || rt.lispVar != nil || rt.Index >= 0 || depth > len(e.Plan.Tasks) {
		return 0, false
	}
	if key, ok := e.addedKeyOf(rt); ok {
		return key, true
	}
	if o := e.byName[rt.callOf]; o != nil {
		if o.Index >= 0 && o.called == nil {
			// A block's own reference: a run of a block of the
			// document that a block added makes (every reference is
			// a run of its own, rerun.go) goes with that block; but
			// for one of a session or of the document's Emacs, which
			// the buffer's plan runs where that session is.
			if rt.Session != nil {
				return 0, false
			}
			return e.addedKeyOf(o)
		}
		return e.runHome(o, depth+1)
	}
	return 0, false
}

// addedKeyOf is the key of the block added to the buffer that t, a task
// of the buffer's plan, runs (its own, or a run of it), ok false when
// its block is not one added.
func (e *Edits) addedKeyOf(t *Task) (int, bool) {
	blk, err := t.blockIn(e.Doc)
	if err != nil || blk.Call != nil {
		return 0, false
	}
	for j, m := range e.rep.Marks[len(e.exes):] {
		if m.Point == e.Doc.Point(blk) && !(m.Changed && m.Point >= m.BlockEnd) {
			return org.AddedKey + j, true
		}
	}
	return 0, false
}

// planRun maps rt, a run refRun plans: named after its referring block
// (callOf) as that block is named, its dependencies as they are.
//
// A run in the document's Emacs has point at the block it runs, else,
// where key is not below 0 (a Library of Babel entry: libraryRun), at
// the block key marks.
//
// It changes a task too: where the document's Emacs would read the
// run's value, the task already planned for the run (e.runs, its
// ReadsOutput's owner) is the one named, and it is there that the value
// is read in Go, so planRun sets its ValueNeedsEmacsStops, as
// readAndPosts does for a block's own value. Here, not in the callers,
// for the run's task is known only once that reading is weighed.
func (e *Edits) planRun(rt *Task, added map[string]string, key int) refRunOf {
	if e.chained == nil {
		// The tasks a :post chain runs after, once for every run.
		e.chained = map[*Task]bool{}
		for _, p := range e.Plan.Tasks {
			if p.Post && p.owner != nil {
				e.chained[p.owner] = true
			}
		}
	}
	if rt.ReadsOutput && rt.owner != nil && !rt.owner.Post && !rt.owner.ReadsOutput && !e.chained[rt.owner] {
		if !batchReading(rt) {
			// The document's Emacs would read it, which Borges does
			// not wire for a run a block added or found makes (the
			// forms may call what its Emacs Lisp blocks defined, and
			// read its buffer): the run's value is read in Go, and
			// one only Emacs reads stops the document at the run
			// (ValueNeedsEmacsStops), as for the block's own value
			// (readAndPosts). The referring block refers to the run.
			name, err := e.nameOf(rt.owner.Block, added)
			if r := e.runs[rt.owner.Block]; err == nil && r.task != nil {
				r.task.ValueNeedsEmacsStops = r.task.Reader.MayNeedEmacs(r.task.valueResults())
			}
			return refRunOf{name: name, err: err}
		}
		return e.planRunReading(rt, added)
	}
	if rt.Post || rt.ReadsOutput || e.chained[rt] {
		return refRunOf{err: fmt.Errorf("the block has a :post, or a value only the document's Emacs reads, which Borges does not run for such a run")}
	}
	if _, added := e.addedKeyOf(e.topRun(rt)); added {
		// A run of a block added (a run of a block of the document
		// that a block added makes runs what the buffer reported).
		if w := e.lispBetween(rt); w != nil {
			return refRunOf{err: fmt.Errorf("the Emacs Lisp block at line %d of the Org buffer stands between the block added and the block that refers to it, and may change either before Emacs makes the run", w.Line)}
		}
	}
	owner, err := e.nameOf(rt.callOf, added)
	if err != nil {
		return refRunOf{err: err}
	}
	// Named after its referring block as that block is named; a run
	// made inside another (named after the block that run runs), and
	// a call named by the call at its first place, keep their names,
	// numbered when the document's tasks have them.
	name := rt.Block
	if rest, ok := strings.CutPrefix(rt.Block, rt.callOf+" "); ok {
		name = owner + " " + rest
	}
	for n, base := 2, name; e.oldByName[name] != nil || e.addedTask(name) || e.runNames[name]; n++ {
		name = fmt.Sprintf("%s~%d", base, n)
	}
	if e.runNames == nil {
		e.runNames = map[string]bool{}
	}
	e.runNames[name] = true
	c, err := e.mapped(rt, added)
	if err != nil {
		return refRunOf{err: err}
	}
	ed := &edited{in: e.Doc, submitted: e.submitted, call: true, refRun: true}
	if rt.Session != nil && rt.Session.Kind == string(session.Emacs) {
		if err := e.inEmacs(c, rt, added, e.addedTasks); err != nil {
			return refRunOf{err: err}
		}
		if ed.calledKey = key; key < 0 {
			if ed.calledKey, err = e.keyOf(rt); err != nil {
				return refRunOf{err: err}
			}
		}
	}
	c.Block, c.Name = name, name
	c.RefusedReaders = nil
	c.edit = ed
	for _, k := range e.keptRunsBefore(rt) {
		if !slices.Contains(c.After, k) {
			c.After, c.orderOnly = append(c.After, k), append(c.orderOnly, k)
		}
	}
	return refRunOf{name: name, task: c}
}

// batchReading reports whether t, a reading of a block's value in
// Emacs, runs in a batch Emacs of its own (no Emacs Lisp block of the
// document for its forms to see: emacsSessions), which reads the value
// as Babel does wherever the run stands, and which the run of a block
// added or found therefore takes along (readAndPosts).
func batchReading(t *Task) bool {
	return t.ReadsOutput && t.Session == nil && len(t.BufferResults) == 0
}

// planRunReading maps rt, the reading in a batch Emacs of the value of a
// run refRun plans (rt.owner): org-babel-ref-resolve runs the block,
// reading included, and hands the referring block the value read. It is
// named after the run, reads the run's output, and, as the run, writes
// nowhere.
func (e *Edits) planRunReading(rt *Task, added map[string]string) refRunOf {
	owner, err := e.nameOf(rt.owner.Block, added)
	if err != nil {
		return refRunOf{err: err}
	}
	run := e.runs[rt.owner.Block]
	if run.task == nil {
		return refRunOf{err: fmt.Errorf("the run whose value it reads is not planned")}
	}
	c, err := e.mapped(rt, added)
	if err != nil {
		return refRunOf{err: err}
	}
	name := ReaderOf(owner)
	for n, base := 2, name; e.oldByName[name] != nil || e.addedTask(name) || e.runNames[name]; n++ {
		name = fmt.Sprintf("%s~%d", base, n)
	}
	if e.runNames == nil {
		e.runNames = map[string]bool{}
	}
	e.runNames[name] = true
	c.Block, c.Name = name, name
	c.ResultsWith, c.owner = owner, run.task
	c.resultsAt = run.task.ResultsIndex()
	c.edit = &edited{in: e.Doc, submitted: e.submitted, call: true, refRun: true}
	return refRunOf{name: name, task: c}
}

// keptRunsBefore are the submitted plan's names of the runs of rt's
// block (a run refRun plans) that a reference of a block the buffer
// kept makes (pairRuns) before rt in the buffer's plan: an Emacs Lisp
// block moved a referrer after another referrer of the same block (cut
// and inserted again: a block added), and org-babel-ref-resolve runs
// the block for the one it reaches first first. rt waits for them (an
// order only), not run ahead of them as the blocks added are, which
// gave their side effects in another order. The runs of each block
// are indexed once per Edits.
func (e *Edits) keptRunsBefore(rt *Task) []string {
	if rt.called == nil {
		return nil
	}
	e.pairRuns()
	if e.keptRuns == nil {
		e.keptRuns = map[string][]keptRun{}
		for i, nt := range e.Plan.Tasks {
			if ot := e.oldRunOf[nt.Block]; ot != nil && nt.called != nil {
				e.keptRuns[nt.called.name] = append(e.keptRuns[nt.called.name], keptRun{i, ot.Block})
			}
		}
		e.planPlace = make(map[*Task]int, len(e.Plan.Tasks))
		for i, nt := range e.Plan.Tasks {
			e.planPlace[nt] = i
		}
	}
	at, ok := e.planPlace[rt]
	if !ok {
		return nil
	}
	var out []string
	for _, k := range e.keptRuns[rt.called.name] {
		if k.place < at {
			out = append(out, k.name)
		}
	}
	return out
}

// keptRun is a run of the buffer's plan paired with the submitted
// plan's (its name there), at its place in the buffer's plan.
type keptRun struct {
	place int
	name  string
}

// lispBetween is an Emacs Lisp block of the buffer's plan that stands
// between the block added that rt, a run refRun plans, runs (for the
// reference of a block's own run: topRun) and that referring block, nil
// for none. Emacs makes the run only as it reaches the referring block,
// after that Emacs Lisp block ran, which may have changed the reference
// or deleted the block added; Borges, which plans the run from the
// buffer as reported before, does not run it ahead of it but refuses it
// (as it did every such run before; review of the runs for references).
func (e *Edits) lispBetween(rt *Task) *Task {
	top := e.topRun(rt)
	o := e.byName[top.callOf]
	callee, err := top.blockIn(e.Doc)
	if o == nil || err != nil {
		return nil
	}
	for _, p := range e.Plan.Tasks {
		if p.Index >= 0 && p.Session != nil && p.Session.Kind == string(session.Emacs) && p.Line > callee.Line && p.Line < o.Line {
			return p
		}
	}
	return nil
}

// addedTask reports whether name is an added task's (Added, so far).
func (e *Edits) addedTask(name string) bool {
	_, ok := e.addedTasks[name]
	return ok
}

// attachRuns plans the runs for references of the blocks added that the
// buffer's plan has (refRun) and puts those it can on the Addition of
// the block each runs (Addition.Runs), in the order planned; after it,
// no run is planned anew. names are the added blocks' names.
func (e *Edits) attachRuns(out []Addition, names map[string]string) {
	for _, rt := range e.Plan.Tasks {
		if _, ok := names[rt.Block]; !ok {
			e.refRun(rt.Block, names)
		}
	}
	e.runsDone = true
	var failed []string
	for _, n := range e.runOrder {
		r := e.runs[n]
		if r.err != nil || r.task == nil {
			continue
		}
		i := slices.IndexFunc(out, func(a Addition) bool { return a.Key == r.key })
		if i < 0 || out[i].Task == nil {
			// Its block does not run: neither does the run.
			r.err = fmt.Errorf("%s, %s, which Borges cannot run: the block added is not run", n, e.runWhere(e.byName[n]))
			r.task = nil
			e.runs[n] = r
			failed = append(failed, r.name)
			continue
		}
		out[i].Runs = append(out[i].Runs, r.task)
		e.addedTasks[r.name] = r.task
	}
	if len(failed) == 0 {
		return
	}
	// What depends on a run that does not run does not run either
	// (planned before it was known not to).
	for i := range out {
		if t := out[i].Task; t != nil && slices.ContainsFunc(failed, func(n string) bool { return slices.Contains(t.After, n) }) {
			out[i].Task, out[i].Runs, out[i].Posts = nil, nil, nil
			out[i].Why = fmt.Sprintf("it refers to a run of a block added to the Org buffer that Borges cannot run (%s)", strings.Join(failed, ", "))
		}
	}
}

// runWhere says what run rt is, a run refRun plans: of which block, for
// which reference, at which line of the Org buffer.
func (e *Edits) runWhere(rt *Task) string {
	for i := 0; (rt.Post || rt.ReadsOutput) && rt.owner != nil && i < len(e.Plan.Tasks); i++ {
		rt = rt.owner
	}
	what := strings.TrimPrefix(rt.Block, rt.callOf+" ")
	if o := e.byName[rt.callOf]; o != nil && o.Index >= 0 {
		return fmt.Sprintf("the run of block %s that Emacs makes for %s at line %d of the Org buffer", rt.called.name, what, o.Line)
	}
	return fmt.Sprintf("the run of block %s that Emacs makes for %s", rt.called.name, what)
}

// topRun is the run rt is made in, or rt, followed up to the run a
// block's own reference makes (its callOf no run): a run's name begins
// with the name of the block whose reference makes it (rerunName).
func (e *Edits) topRun(rt *Task) *Task {
	for i := 0; i <= len(e.Plan.Tasks); i++ {
		o := e.byName[rt.callOf]
		if o == nil || o.called == nil || o.Index >= 0 {
			break
		}
		rt = o
	}
	return rt
}
