package plan

import (
	"fmt"
	"maps"
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// org-babel-execute-buffer goes on from the end of the block it ran
// (org-babel-map-executables): a source block an Emacs Lisp block added
// to the buffer after itself is found and run there, its results written
// where it stands. The document's Emacs marks such a block when its
// report of the buffer is made (org.BufferReport, the marks past the
// executables'); Added is what the plan makes of those marks, decided
// here with no state: a task for each, planned from the buffer as the
// submitted plan names things, which the engine (and the Emacs fixtures'
// runner) adds to the document, and PuttingIn the task of the document's
// Emacs that puts its results in the buffer before it runs, as Emacs has
// them there by then.

// Addition is what Added makes of a block added to the buffer.
type Addition struct {
	// Key is the block's key in the document's Emacs (org.AddedKey and
	// up), and where its results go (Task.ResultsIndex).
	Key int
	// Name and Lang are the block's (BlockName; for a block found in
	// results with no #+name, the name foundName gives it, run or not),
	// Line where it stands in the buffer reported.
	Name, Lang string
	Line       int
	// BeginLine is the line of its #+begin_src there: past Line by its
	// affiliated keywords, of which the #+RESULTS: line above a block
	// found in results is one (Org's element begins there).
	BeginLine int
	// In is the block as it stands in the buffer reported.
	In BufferBlock
	// Task runs it; nil when Borges cannot (Why says why).
	Task *Task
	Why  string
	// Posts are the tasks that run after Task: the reading of its
	// value in a batch Emacs of its own when only Emacs may read it as
	// Babel does (ReaderOf, emacsReadTask; readAndPosts), then the
	// tasks of its :post chain, in the order they run
	// (the last one's value is written in its place, or refused there,
	// as for a block of the document), named after Task; none when it
	// has no :post, or one Borges does not run for an added block (one
	// that runs in a session, or calls a block Borges did not plan
	// from the document as submitted).
	Posts []*Task
	// Runs are the runs of its block that references to it make,
	// from a block of the document or one added (:var x=NAME,
	// <<NAME()>>, NAME(x=1)), where the document as submitted, had it
	// the block, would have them as tasks of their own (a block of a
	// session, a call with arguments: rerun), with the runs inside
	// them: named after the referring block (Edits.refRun), run where
	// Emacs runs them, as it evaluates that block, their results
	// written nowhere; in the order planned.
	Runs []*Task
	// Gone: a later Emacs Lisp block deleted it from the buffer (a
	// report after the one that added it); there is nothing to run.
	Gone bool
	// FoundIn names the block in whose results it was found (a block
	// of the document, or one found before it), "" for a block an Emacs
	// Lisp block added: that block owns it, as Emacs finds it there.
	FoundIn string
	// Stops: Babel has no org-babel-execute function for its language,
	// and org-babel-execute-buffer, finding it, stops the document there
	// (Edits.Stop).
	Stops bool
	// StopError is the error org-babel-execute-buffer stops with there
	// (Stops): Emacs's own words ("No org-babel-execute function for
	// LANG!", or QueryStop for a block :eval query, which Babel asks
	// about, reading an answer there is none of).
	StopError string
	// Refused: :eval refuses it (no, never; Skipped's reason is Why):
	// org-babel-execute-buffer finds it, does not run it and goes on
	// to the blocks after it, as for a block of the document that :eval
	// refuses. It has no task, and is no failure.
	Refused bool
	// Calls are the tasks of the calls with arguments of a Refused
	// block's :var values (y=side(n=1)), which Emacs runs resolving
	// them (org-babel-get-src-block-info) before org-babel-check-evaluate
	// refuses the block, as refusedCalls plans them for a block of the
	// document: run in its place, their results written nowhere, a stop
	// one makes (its output asks for a coding system, a value not read)
	// stopping the document there. Named after the block (its found
	// name, or added-N), in the order planned; none when a task of them
	// runs in a session (the document's Emacs among them), which Borges
	// does not wire for a block added, or refers to what neither the
	// submitted plan nor the added blocks name.
	Calls []*Task
	// KeptResults: a named block that writes none (:results silent or
	// none) has the first "#+RESULTS: name" of the buffer under it
	// (org.Document.KeepsResults), kept from before: a later block of
	// its name writes there.
	KeptResults bool
}

// Added are the blocks the report marks as added to the buffer, in the
// order they were added. A block with no task of its own in the buffer's
// plan (one that Babel does not run), one in a session, or one that
// refers to what the submitted plan does not have, has Why instead of a
// task; one that Babel fails on as it stands has a task and Why.
func (e *Edits) Added() []Addition {
	e.addedOnce.Do(func() { e.added, e.addedNames = e.additions() })
	return e.added
}

// additions are Added, made once, and the names they give the blocks
// added, by their names in the buffer's plan.
func (e *Edits) additions() ([]Addition, map[string]string) {
	exes := len(e.exes)
	// Their names: the buffer's, unless the submitted plan has that
	// name; then added-N. A block found in results is named by its
	// owner and place (foundName). tasks are the added tasks by those
	// names.
	names := map[string]string{}
	if len(e.rep.Marks) <= exes {
		return nil, names
	}
	tasks := map[string]*Task{}
	e.addedTasks = tasks
	written := ""
	if e.old != nil {
		written = WrittenEmacs(e.old.Tasks)
	}
	// emacs is the Emacs the blocks added run in: the document's; in a
	// document with no Emacs Lisp block of its own, where
	// org-babel-execute-buffer meets an Emacs Lisp block found in
	// results and runs it all the same, the one the buffer's plan runs
	// its first Emacs task in, which the first of them starts there
	// (inEmacs: in the buffer as written so far).
	emacs := written
	if emacs == "" {
		emacs = WrittenEmacs(e.Plan.Tasks)
	}
	var out []Addition
	posts := postsByOwner(e.Plan.Tasks)
	// given are the names given to the added blocks, by mark past the
	// executables' ("" for one with no task).
	given := make([]string, len(e.rep.Marks)-exes)
	for j, m := range e.rep.Marks[exes:] {
		a := Addition{Key: org.AddedKey + j}
		if m.Changed && m.Point >= m.BlockEnd {
			// Deleted since it was added: another block may start
			// where its mark now stands.
			a.Why, a.Gone = "an Emacs Lisp block deleted it from the Org buffer", true
			out = append(out, a)
			continue
		}
		x := e.byPoint[m.Point]
		if x == nil {
			a.Why = "not found in the Org buffer where the document's Emacs marked it"
			out = append(out, a)
			continue
		}
		a.Name, a.Lang, a.Line, a.BeginLine, a.In = BlockName(x), x.Lang, x.Line, x.BeginLine, inBuffer(e.Doc, x)
		a.KeptResults = writesNoResults(x) && e.Doc.KeepsResults(x)
		if m.FoundIn > 0 {
			a.FoundIn = e.ownerOf(m, exes+j, given)
			if x.Name == "" {
				// By its owner and place (foundName), whether Borges
				// runs it or not: block-N, its place in the buffer,
				// may name a block of the document.
				a.Name = e.foundName(m, exes+j, given)
			}
		}
		nt := e.ownNew[x.Index]
		if nt == nil && m.FoundIn > 0 {
			// A later block of a name found in results: Emacs runs
			// it, and writes its results under the first
			// "#+RESULTS: name" of the buffer (sameNameResults).
			nt = e.laterNew[x.Index]
		}
		why, refused := org.EvalRefused(x.Args)
		refusedHere := nt == nil && refused && x.Stop == "" && x.Problem == ""
		stop, unread := "", ""
		if refusedHere {
			stop, unread = e.refusedStop(x)
		}
		switch {
		case stop != "":
			// Found, Emacs reads its header arguments before :eval
			// refuses it, its references in turn, and stops there.
			a.Stops, a.StopError = true, stop
			a.Why = fmt.Sprintf("%s; org-babel-execute-buffer, reading its header arguments before :eval refuses it, stops there: %q", why, a.StopError)
		case unread != "":
			// Emacs may stop reading it, or not: not run, saying
			// why.
			a.Why = fmt.Sprintf("%s; %s", why, unread)
		case nt != nil && e.readStops[nt.Block] != "":
			// It refers to a block :eval refuses, whose reading
			// stops Emacs at it.
			a.Stops, a.StopError = true, e.readStops[nt.Block]
			a.Why = fmt.Sprintf("org-babel-execute-buffer stops at it, reading a block :eval refuses that it refers to: %q", a.StopError)
		case nt != nil && e.missing[nt.Block] != "":
			// Its reference names a block that is not there:
			// org-babel-execute-buffer stops at it, resolving it.
			// (A block of the document whose reference an Emacs
			// Lisp block deleted still fails alone: Decide.)
			a.Stops, a.StopError = true, e.missing[nt.Block]
			a.Why = fmt.Sprintf("org-babel-execute-buffer stops at it, resolving its references: %q", a.StopError)
		case refusedHere:
			// Found and skipped, as Emacs skips it.
			a.Why, a.Refused = why, true
			base := fmt.Sprintf("added-%d", j+1)
			if m.FoundIn > 0 {
				base = e.foundName(m, exes+j, given)
			}
			var gap string
			at := callAt{key: a.Key}
			if m.FoundIn > 0 {
				at.found, at.before = x, e.foundBefore(exes, j)
			}
			if a.Calls, gap = e.addedCalls(x, base, names, written, tasks, at); gap != "" {
				a.Why += "; " + gap
			}
		case nt == nil && evalQuery(x.Args) && x.Stop == "" && x.Problem == "":
			// Found, Babel asks whether to run it: the document
			// stops there.
			a.Why, a.Stops, a.StopError = queryWhy, true, QueryStop
		case nt == nil && !runnableLang(x):
			// Babel has no function to run it with: found by
			// org-babel-execute-buffer, it stops the document there.
			a.Why = fmt.Sprintf("language %q has no interpreter Borges runs; org-babel-execute-buffer, finding it in the buffer, stops there: \"No org-babel-execute function for %s!\"", x.Lang, x.Lang)
			a.Stops, a.StopError = true, noExecuteFunction(x.Lang)
		case nt == nil:
			// Not a block's own run: one Babel does not run, or a
			// second block of a name, whose results go to the first's.
			a.Why = "an Emacs Lisp block added it to the Org buffer, but it is not a block Borges runs there (a second block of a name is not)"
		case nt.Session != nil && nt.Session.Kind == string(session.Emacs) && nt.Session.Key != emacs:
			switch {
			case m.FoundIn > 0:
				a.Why = "found in a block's results: it would run in another Emacs than the document's (it asks for another container or placement)"
			default:
				a.Why = "an Emacs Lisp block added it to the Org buffer: it would run in another Emacs than the document's (it asks for another container or placement)"
			}
		}
		if a.Why != "" {
			out = append(out, a)
			continue
		}
		name := nt.Block
		switch {
		case m.FoundIn > 0:
			// By its owner and place, not its #+name: which of two
			// blocks of a name is found first depends on which
			// owner finished first, and the name keys its record.
			name = e.foundName(m, exes+j, given)
		case e.oldByName[name] != nil || names[name] != "":
			name = fmt.Sprintf("added-%d", j+1)
		}
		names[nt.Block], given[j] = name, name
		if m.FoundIn > 0 {
			// Its references to Emacs Lisp blocks that run after it,
			// which Emacs runs resolving them as it runs it.
			var gap string
			if a.Calls, gap = e.foundRefRuns(nt, name, names, written, tasks); gap != "" {
				a.Why = gap
				out = append(out, a)
				continue
			}
		}
		out = append(out, a)
		c, err := e.mapped(nt, names)
		if err == nil && nt.Session != nil && nt.Session.Kind == string(session.Emacs) {
			err = e.inEmacs(c, nt, names, tasks)
		}
		if err != nil {
			out[len(out)-1].Why = err.Error()
			if why, ok := e.failing[nt.Block]; ok {
				// What it could not be planned for comes first.
				out[len(out)-1].Why = why
			}
			continue
		}
		c.Block, c.Named = name, nt.Named
		if words, _ := x.Args.Get("results"); x.Inline > 0 && c.ResultsWith == "" && !c.ContinueOnFailure && !noResults(words) {
			// An inline block an Emacs Lisp block added, or found
			// in results: its value may be refused there, as
			// markInline has it for the submitted document's.
			c.InlineResults = true
		}
		c.edit = &edited{in: e.Doc, submitted: e.submitted, added: a.Key, found: m.FoundIn > 0}
		if m.FoundIn == 0 && written == "" {
			e.markReplacedAdded(c, j)
		}
		if m.FoundIn > 0 {
			c.edit.foundBefore = e.foundBefore(exes, j)
		}
		tasks[name] = c
		out[len(out)-1].Task = c
		out[len(out)-1].Posts = e.readAndPosts(nt, c, posts[nt.Block], names)
		if why, ok := e.failing[nt.Block]; ok {
			out[len(out)-1].Why = why
		}
	}
	e.attachRuns(out, names)
	e.sameNameResults(out, names)
	return out, names
}

// markReplacedAdded sets Replaced on c, the task of the j-th block
// added to the buffer past the submitted document's executables by an
// Emacs Lisp block found in results, in a document with no Emacs Lisp
// block of its own, where it stands in the old results of a block of the
// document that has put none there yet and whose new results replace
// them (org.BufferReport.ReplacedOwner): org-babel-execute-buffer runs
// that block first, and never reaches c. It waits for that block
// (ReplacedBy) and is not run once that block wrote its results, as a
// block of the document in old results replaced is (markReplaced). A
// block :cache yes, whose results may stay, is left alone.
func (e *Edits) markReplacedAdded(c *Task, j int) {
	o, ok := e.rep.ReplacedOwner(e.Doc.Visit, len(e.exes), j)
	if !ok {
		return
	}
	owner := e.ownOld[e.exes[o].Index]
	if owner == nil || owner.Cache {
		return
	}
	c.Replaced = fmt.Sprintf("not run: it stands in the old results of %s, which its new results replace before org-babel-execute-buffer reaches it", owner.Block)
	c.ReplacedBy = owner.Block
}

// addedCalls are the tasks of the calls of the :var values of x, an
// added block :eval refuses (Addition.Calls), in the buffer's plan,
// mapped as the submitted plan and names name things, each named base
// and what its name has past x's. When Borges cannot run them (a task in
// a session, one it cannot map), it plans none and says why (gap), for
// the block's reason of being skipped: Emacs runs them, Borges does not.
// Where it plans them, it changes the caller's maps: names maps each
// call's name in the buffer's plan to its task's (the blocks after x
// then refer to the call by it), and tasks holds each call's task by
// that name.
func (e *Edits) addedCalls(x *org.Block, base string, names map[string]string, written string, tasks map[string]*Task, at callAt) (calls []*Task, gap string) {
	planned := e.refusedCalls[x.Index]
	if len(planned) == 0 {
		return nil, ""
	}
	notRun := func(why string) string {
		return fmt.Sprintf("the call %s of its :var values, which Emacs runs before it refuses the block, is not run: %s (a known gap)", planned[0].Block, why)
	}
	local := maps.Clone(names)
	for _, t := range planned {
		if t.Session != nil && (t.Session.Kind != string(session.Emacs) || t.Session.Key != written) {
			return nil, notRun(fmt.Sprintf("%s runs in a session, which Borges does not wire for a block added to the Org buffer", t.Block))
		}
		local[t.Block] = base + " " + strings.TrimLeft(strings.TrimPrefix(t.Block, BlockName(x)), " ")
	}
	out := make([]*Task, 0, len(planned))
	for _, t := range planned {
		// Its place is the refused block's, in the buffer, which the
		// submitted document's coordinates do not know.
		c, err := e.callFor(t, local, tasks, x.Line, at)
		if err != nil {
			return nil, notRun(err.Error())
		}
		out = append(out, c)
	}
	keepCalls(planned, out, local, names, tasks)
	return out, ""
}

// callFor is the task of t, a call in the buffer's plan, as a call
// planned for a block added or found (Addition.Calls), standing at line
// of the buffer (at: where it runs in the document's Emacs, the zero
// callAt for a block found in results that runs), t's names mapped as
// local names them, t's by local[t.Block]. t in a session runs in the
// document's Emacs (inEmacs: after the task before it in the buffer's
// plan, as an added Emacs Lisp block, the refused block marked there
// first when found in results, point at the block called: keyOf), and
// its Lisp error stops the document at the block it is planned for
// (StopsOnLispError), as Emacs does not catch it: addedCalls and
// foundRefRuns plan their calls with it alike. tasks holds the tasks
// planned so far by name.
func (e *Edits) callFor(t *Task, local map[string]string, tasks map[string]*Task, line int, at callAt) (*Task, error) {
	c, err := e.mapped(t, local)
	if err != nil {
		return nil, err
	}
	ed := &edited{in: e.Doc, submitted: e.submitted, call: true}
	if t.Session != nil {
		if err := e.inEmacs(c, t, local, tasks); err != nil {
			return nil, err
		}
		if ed.calledKey, err = e.keyOf(t); err != nil {
			return nil, err
		}
		ed.found, ed.foundBefore, ed.refused, ed.refusedKey = at.found != nil, at.before, at.found, at.key
		c.FailureStops = c.FailureStops || elispLangs[c.Lang] && !c.ContinueOnFailure
	}
	c.Block, c.Name = local[t.Block], local[t.Block]
	c.RefusedReaders, c.Line = nil, line
	c.edit = ed
	return c, nil
}

// keepCalls has names and tasks know calls, the tasks of planned (the
// buffer plan's) named as local names them: the blocks after them refer
// to them by those names (one of the document's Emacs runs there after
// them).
func keepCalls(planned, calls []*Task, local, names map[string]string, tasks map[string]*Task) {
	for _, t := range planned {
		names[t.Block] = local[t.Block]
	}
	for _, c := range calls {
		tasks[c.Block] = c
	}
}

// foundRefRuns are the tasks of the runs of Emacs Lisp blocks that nt, a
// block found in results (named name), makes resolving its references,
// which the submitted plan does not have (:var x=later, later an Emacs
// Lisp block standing after it): org-babel-ref-resolve runs the block
// there as it runs the found block, before it, in the document's Emacs
// (with point at the block referred to), its value given to the found
// block, its results written nowhere, and the block runs again at its
// own turn. They are planned as the calls of a block :eval refuses
// (Addition.Calls, callFor), named after name: a Lisp error one signals
// stops the document at the found block, which does not run, as Emacs
// stops resolving its reference. names and tasks take them, as
// addedCalls has it. gap says why Borges does not run them (a run outside
// the document's Emacs, or one it cannot map).
func (e *Edits) foundRefRuns(nt *Task, name string, names map[string]string, written string, tasks map[string]*Task) (calls []*Task, gap string) {
	// The runs are named after the block as its references were
	// planned: by its #+name, before a later block of a name took
	// NAME~2 (builder: the block's task).
	base := nt.Block
	if nt.Name != "" {
		base = nt.Name
	}
	var runs []*Task
	for _, d := range nt.After {
		if _, err := e.nameOf(d, names); err == nil {
			continue
		}
		rt := e.byName[d]
		if rt == nil || rt.called == nil || rt.Index >= 0 || !strings.HasPrefix(e.topRun(rt).Block, base+" ") {
			continue // left to mapped, which says why
		}
		if !rt.InSession(written) || rt.Session.Kind != string(session.Emacs) {
			return nil, fmt.Sprintf("its reference runs %s, which is no run in the document's Emacs Borges wires for a block found in results (a known gap)", rt.Block)
		}
		runs = append(runs, rt)
	}
	if len(runs) == 0 {
		return nil, ""
	}
	local := maps.Clone(names)
	for _, rt := range runs {
		local[rt.Block] = name + " " + rt.Block // a run inside one of its runs
		if rest, ok := strings.CutPrefix(rt.Block, base+" "); ok {
			local[rt.Block] = name + " " + rest
		}
	}
	for _, rt := range runs {
		c, err := e.callFor(rt, local, tasks, nt.Line, callAt{})
		if err != nil {
			return nil, fmt.Sprintf("its reference runs %s, which Borges cannot run there: %v (a known gap)", rt.Block, err)
		}
		calls = append(calls, c)
	}
	keepCalls(runs, calls, local, names, tasks)
	return calls, ""
}

// callAt is where the calls of an added block :eval refuses run in the
// document's Emacs: key is the block's (org.AddedKey and up); found
// the block, found in results, and before the blocks found before it
// (nil for a block an Emacs Lisp block added, which that Emacs has
// marked).
type callAt struct {
	key    int
	found  *org.Block
	before []foundAt
}

// keyOf is the key the document's Emacs knows the block called by t, a
// call in the buffer's plan, by: its start in the document submitted,
// or the key of a block added or found in results.
func (e *Edits) keyOf(t *Task) (int, error) {
	blk, err := t.blockIn(e.Doc)
	if err != nil {
		return 0, err
	}
	p := e.Doc.Point(blk)
	for i, x := range e.at {
		if x != nil && e.Doc.Point(x) == p {
			return e.exes[i].Start, nil
		}
	}
	for j, m := range e.rep.Marks[len(e.exes):] {
		if m.Point == p && !(m.Changed && m.Point >= m.BlockEnd) {
			return org.AddedKey + j, nil
		}
	}
	return 0, fmt.Errorf("the block %s calls is not marked in the document's Emacs", t.Block)
}

// RefusedCall reports whether t is the task of a call of an added block
// :eval refuses (Addition.Calls).
func (t *Task) RefusedCall() bool { return t.edit != nil && t.edit.call }

// AddedRefRun reports whether t, planned as a call (RefusedCall), is the
// run a reference makes of a block for a block added or found (refRun),
// not the call of a block :eval refuses.
func (t *Task) AddedRefRun() bool { return t.edit != nil && t.edit.refRun }

// foundBefore are the blocks found in results under the marks past the
// exes executables before the j-th (edited.foundBefore).
func (e *Edits) foundBefore(exes, j int) []foundAt {
	var out []foundAt
	for k, m := range e.rep.Marks[exes : exes+j] {
		if m.FoundIn == 0 {
			continue
		}
		var blk *org.Block
		if !m.Changed || m.Point < m.BlockEnd {
			blk = e.byPoint[m.Point]
		}
		out = append(out, foundAt{org.AddedKey + k, blk})
	}
	return out
}

// addedPosts are the tasks of the :post chain of nt, an added block's
// task in the buffer's plan (posts, of postsByOwner), as c, its task as
// added, runs them: named after c (names has c's name for nt's), their
// results written in c's place, the last one's value weighed there
// (InlineResults) as c's is. None when the chain has a task of a session
// (an Emacs Lisp block the :post calls runs in the document's Emacs,
// which Borges does not wire for an added block's :post) or refers to a
// task that neither the submitted plan nor the added blocks name.
func (e *Edits) addedPosts(nt, c *Task, posts []*Task, names map[string]string) []*Task {
	var chain []*Task
	for _, pt := range posts {
		if pt.Session != nil {
			return nil
		}
		chain = append(chain, pt)
	}
	if len(chain) == 0 {
		return nil
	}
	local := maps.Clone(names)
	for _, pt := range chain {
		local[pt.Block] = c.Block + strings.TrimPrefix(pt.Block, nt.Block)
	}
	mapped := map[*Task]*Task{nt: c}
	var out []*Task
	for _, pt := range chain {
		pc, err := e.mapped(pt, local)
		if err != nil {
			return nil
		}
		pc.Block = local[pt.Block]
		pc.ResultsWith = local[pt.ResultsWith]
		if pt.ResultsWith == nt.Block {
			pc.ResultsWith = c.Block
		}
		if pt.resultsAt >= 0 {
			pc.resultsAt = c.ResultsIndex()
			pc.InlineResults = c.InlineResults
		} else {
			pc.InlineResults = false
		}
		pc.edit = &edited{in: e.Doc, submitted: e.submitted, added: c.edit.added}
		mapped[pt] = pc
		out = append(out, pc)
	}
	for _, pc := range out {
		if o := mapped[pc.owner]; o != nil {
			pc.owner = o
		}
	}
	return out
}

// readAndPosts are the tasks that run after c, nt's task as added (see
// addedPosts): the reading of its output in Emacs, when the buffer's plan
// has one for nt in a batch Emacs of its own (emacsReadTask), then its
// :post chain, as for a block of the document. Where none is planned, or
// it runs in the document's Emacs (which Borges does not wire for a
// block added or found: the forms may call what its Emacs Lisp blocks
// defined, and read its buffer), c's value is read in Go: one that only
// Emacs reads as Babel does (org.Reader.NeedsEmacs) stops the document
// at c (ValueNeedsEmacsStops). Either way, a JavaScript value Emacs's
// reader fails on (org.JSReadError), known in Go when c ends, stops the
// document at c (FailureStops), as for one written nowhere, its results
// then not written, and the reading in Emacs does not run (the engine's
// emacsReadUnneeded).
func (e *Edits) readAndPosts(nt, c *Task, posts []*Task, names map[string]string) []*Task {
	rt := e.byName[ReaderOf(nt.Block)]
	if rt == nil || rt.owner != nt || !rt.ReadsOutput {
		rt = nil
	}
	// A JavaScript value Emacs's reader fails on (org.JSReadError) is
	// known in Go when c ends: c stops the document there, as for one
	// written nowhere, its results then not written, and nothing found
	// or added after it runs; only a value Go cannot read runs the
	// reading in Emacs.
	c.FailureStops = c.FailureStops || rt != nil && rt.FailureStops
	if rt != nil && rt.Session == nil && len(rt.BufferResults) == 0 {
		if chain := e.addedPosts(nt, c, append([]*Task{rt}, posts...), names); len(chain) > 0 {
			return chain
		}
	}
	c.ValueNeedsEmacsStops = !c.ReadsOutput && !c.Post && c.Reader.MayNeedEmacs(c.Results)
	return e.addedPosts(nt, c, posts, names)
}

// sameNameResults has the tasks of out that are later blocks of a name
// (their buffer plan's task writes its results with the first's) write
// their results where the first block of the name has its own, by the
// name it was given (names): a block found or added (its key), or one of
// the submitted document (its index). One whose first block has no task
// is not run, with why (one that is neither the submitted document's nor
// found in the results searched with it: one found in results Borges
// did not search in this report, or not found there at all).
func (e *Edits) sameNameResults(out []Addition, names map[string]string) {
	keys := map[string]int{}
	for _, a := range out {
		if a.Task != nil {
			keys[a.Task.Block] = a.Key
		}
	}
	for i := range out {
		c := out[i].Task
		if c == nil || c.ResultsWith == "" || c.Post || c.ReadsOutput {
			continue
		}
		first := c.ResultsWith
		if n, ok := names[first]; ok {
			if k, ok := keys[n]; ok {
				c.ResultsWith, c.resultsAt = n, k
				continue
			}
		}
		if o, ok := e.back[first]; ok && e.oldByName[o] != nil {
			c.ResultsWith, c.resultsAt = o, e.oldByName[o].ResultsIndex()
			continue
		}
		where := ""
		if f := e.byName[first]; f != nil {
			where = fmt.Sprintf(" at line %d", f.Line)
		}
		out[i].Task = nil
		out[i].Why = fmt.Sprintf("its results would replace those of the first block named %q in the Org buffer%s, which is neither a block of the document nor one found in the results searched with it: Borges does not run it", out[i].Name, where)
	}
}

// foundName names the block of mark i, found in the results of another
// block (m.FoundIn), by that block's name and its place among the blocks
// found in them: Emacs finds a block's in the order they stand, while
// the order the marks are made in is the order blocks finished (a start
// searches all at once), so the same block has the same name and its
// stored state however finishes interleaved. given are the names of
// the added blocks so far.
func (e *Edits) foundName(m org.BufferMark, i int, given []string) string {
	exes := len(e.exes)
	owner := e.ownerOf(m, i, given)
	if owner == "" {
		return fmt.Sprintf("added-%d", i-exes+1)
	}
	nth := 1
	for _, p := range e.rep.Marks[exes:i] {
		if p.FoundIn == m.FoundIn {
			nth++
		}
	}
	return fmt.Sprintf("%s-found-%d", owner, nth)
}

// ownerOf is the name of the block in whose results the block of mark i
// was found (m.FoundIn): a document block's own task's, or the name given
// the block found before it (given); "" for none known.
func (e *Edits) ownerOf(m org.BufferMark, i int, given []string) string {
	exes := len(e.exes)
	switch o := m.FoundIn - 1; {
	case o < 0:
		return ""
	case o < exes:
		if t := e.ownOld[e.exes[o].Index]; t != nil {
			return t.Block
		}
	case o < i:
		return given[o-exes]
	}
	return ""
}

// inEmacs has c, added task nt of the document's Emacs mapped, run there
// after the task before it in the buffer's plan (the block that added it,
// or a block added before it), putting in the buffer first the results of
// the blocks before it there that the buffer's plan has it put in, by
// their names in the submitted plan or added (tasks, by name).
func (e *Edits) inEmacs(c, nt *Task, names map[string]string, tasks map[string]*Task) error {
	c.BufferStart = false
	if nt.BufferPrev == "" && nt.BufferStart {
		// Found in results before every task of that Emacs: the
		// first there, it puts the document in its buffer (the
		// engine's runsBefore has the one that was first not).
		c.BufferStart, c.BufferPrev = true, ""
	} else {
		prev, err := e.nameOf(nt.BufferPrev, names)
		if err != nil {
			return fmt.Errorf("it runs after %w", err)
		}
		c.BufferPrev = prev
	}
	c.BufferResults = nil
	for _, br := range nt.BufferResults {
		n, err := e.nameOf(br.Task, names)
		if err != nil {
			return fmt.Errorf("it puts in the results of %w", err)
		}
		switch w := tasks[n]; {
		case w != nil:
			c.BufferResults = append(c.BufferResults, BufferResult{Task: n, Index: w.ResultsIndex(), added: w})
		case e.oldByName[n] != nil:
			c.BufferResults = append(c.BufferResults, BufferResult{Task: n, Index: e.oldByName[n].ResultsIndex()})
		}
	}
	return nil
}

// PuttingIn is task t of the document's Emacs with the results of added
// task a put in its buffer before it runs, as those of the blocks before
// it are (BufferResults): t waits for a to end. t is not changed.
func (t *Task) PuttingIn(a *Task) *Task {
	for _, br := range t.BufferResults {
		if br.Task == a.Block {
			return t
		}
	}
	c := *t
	c.BufferResults = append(append([]BufferResult(nil), t.BufferResults...),
		BufferResult{Task: a.Block, Index: a.ResultsIndex(), added: a})
	return &c
}

// SameAdded reports whether added tasks t and o (of two reports) run the
// same block: its text from its #+begin_src line to its end, and the
// tasks it depends on, alike.
func (t *Task) SameAdded(o *Task) bool {
	if t.edit == nil || o.edit == nil || t.edit.origin != nil || o.edit.origin != nil {
		return false
	}
	a, b := t.InBuffer(), o.InBuffer()
	return a != (BufferBlock{}) && a.Text == b.Text && fmt.Sprint(t.After, t.EnvironmentOf) == fmt.Sprint(o.After, o.EnvironmentOf)
}

// DecideAdded is Decide of added task t (an Addition's, of this report or
// an earlier one): what an Emacs Lisp block that ran after the one that
// added it made of its block, as org-babel-execute-buffer finds the block
// when it comes to it. Deleted, it is not run; changed, it runs as it
// now stands (a task named as t, in t's place in the document's Emacs);
// one that Babel fails on as it stands fails.
func (e *Edits) DecideAdded(t *Task) Decision {
	if t.edit == nil || t.edit.origin != nil || t.edit.added < org.AddedKey {
		return Decision{Kind: Kept}
	}
	j := e.addedMark(t.edit.added)
	if j >= len(e.rep.Marks) {
		return Decision{Kind: Kept} // a report from before it was added
	}
	var now *Addition
	for i, a := range e.Added() {
		if a.Key == t.edit.added {
			now = &e.Added()[i]
		}
	}
	if t.Post || t.ReadsOutput {
		return decideAddedPost(t, now)
	}
	switch {
	case now == nil:
		return Decision{Kind: Kept}
	case now.Gone:
		return Decision{Kind: Deleted, Why: "not run: an Emacs Lisp block after the one that added it to the Org buffer deleted it, where org-babel-execute-buffer does not find it"}
	case now.Task == nil:
		return Decision{Kind: Fails, Why: now.Why}
	}
	if why, stop, runs := e.refusedTurnStop(j); why != "" || len(runs) > 0 {
		// A block :eval refuses before it stops Emacs reading it
		// (refusedTurnStop): Emacs never comes to this block, and the
		// document stops there (Decision.Stop). A block added does
		// not wait for the runs of Lisp :var values of one: whether
		// Emacs stops there is not known.
		if why == "" {
			why = e.turnUnread(j)
		}
		return Decision{Kind: Fails, Why: why, Stop: stop}
	}
	switch {
	case t.SameAdded(now.Task):
		return Decision{Kind: Kept}
	case now.Why != "":
		return Decision{Kind: Fails, Why: now.Why}
	case (t.Session == nil) != (now.Task.Session == nil) || t.Session != nil && t.Session.Key != now.Task.Session.Key:
		return Decision{Kind: Fails, Why: "an Emacs Lisp block changed it in the Org buffer to run in another place than it was added to run (the document's Emacs or not): Borges does not run it"}
	}
	c := *now.Task
	c.Block, c.Named = t.Block, t.Named
	// Its place among the tasks of the document's Emacs, which the
	// tasks after it wait on, stays t's.
	c.Session, c.BufferStart, c.BufferResults = t.Session, t.BufferStart, t.BufferResults
	c.BufferPrev, c.EnvironmentOf = t.BufferPrev, t.EnvironmentOf
	return Decision{Kind: Changed, Task: &c}
}

// decideAddedPost is DecideAdded of t, a task of the :post chain of an
// added block, now that block's addition as the buffer stands (nil for
// none known): it runs as planned while its block is the same, as the
// new chain's task of its name when the block changed, and not at all
// when its block is gone, not run, or no longer has that :post.
func decideAddedPost(t *Task, now *Addition) Decision {
	own := t.rootOwner()
	switch {
	case now == nil:
		return Decision{Kind: Kept}
	case now.Gone:
		return Decision{Kind: Deleted, Why: "not run: an Emacs Lisp block after the one that added its block to the Org buffer deleted that block, where org-babel-execute-buffer does not find it"}
	case now.Task == nil || now.Why != "":
		return Decision{Kind: Deleted, Why: "not run: its block, as an Emacs Lisp block left it in the Org buffer, does not run"}
	}
	var pn *Task
	for _, p := range now.Posts {
		if strings.TrimPrefix(p.Block, now.Task.Block) == strings.TrimPrefix(t.Block, own.Block) {
			pn = p
		}
	}
	switch {
	case pn == nil:
		return Decision{Kind: Deleted, Why: "not run: an Emacs Lisp block changed its block in the Org buffer, which no longer has this :post"}
	case own.SameAdded(now.Task):
		return Decision{Kind: Kept}
	}
	c := *pn
	c.Block, c.ResultsWith = t.Block, t.ResultsWith
	return Decision{Kind: Changed, Task: &c}
}

// rootOwner is, for a task of a :post chain, the block's own task that
// starts it; t itself for any other task.
func (t *Task) rootOwner() *Task {
	o := t
	// Bounded, as a chain is planned without cycles.
	for i := 0; (o.Post || o.ReadsOutput) && o.owner != nil && i < 1000; i++ {
		o = o.owner
	}
	return o
}

// noExecuteFunction is the error org-babel-execute-src-block signals
// for a block of lang, a language with no org-babel-execute function;
// a block of none ("") has the language nil, which format prints so.
func noExecuteFunction(lang string) string {
	if lang == "" {
		lang = "nil"
	}
	return fmt.Sprintf("No org-babel-execute function for %s!", lang)
}

// noFunctionLang reports whether no Emacs has an org-babel-execute
// function for a block of lang: none ("", a bare #+begin_src or a tab
// before the language), or a header argument where the language
// stands (#+begin_src :results output: org-element reads ":results"
// as the language, and no Org or package defines
// org-babel-execute::results). org-babel-execute-buffer stops at such
// a block, whatever languages the document's Emacs loads.
func noFunctionLang(lang string) bool {
	return lang == "" || strings.HasPrefix(lang, ":")
}

// runnableLang reports whether a block's language is one Borges runs (or
// its :shebang names the program), as the plan's builder decides.
func runnableLang(blk *org.Block) bool {
	if _, known := interpreters[blk.Lang]; known || elispLangs[blk.Lang] {
		return true
	}
	shebang, ok := blk.Args.Get("shebang")
	return ok && shebang != ""
}

// Rekeyed is added task t under key (org.AddedKey and up): where its
// results go and its mark in a report, when a search of the results
// written started again marks its block in another place than the one
// that first found it. t is not changed; a task not added is returned as
// it is.
func (t *Task) Rekeyed(key int) *Task {
	if t.edit == nil || t.edit.origin != nil || t.edit.added < org.AddedKey || t.edit.added == key {
		return t
	}
	c, ed := *t, *t.edit
	ed.added = key
	c.edit = &ed
	return &c
}

// FoundAs is Rekeyed for task t of a block found in results, under the
// key o (the same block, as a search started again finds it: the
// engine's rekeyFound) has, and with o's place: the buffer o was found
// in, its block's place there, and the blocks found under lower keys there, which the document's
// Emacs marks before t's block (foundMarkForm). The blocks a search
// found earlier may stand later in the buffer (their owner ended first):
// keyed again in the buffer's order, those t's Emacs marks first are
// those before it there, whose results are in that buffer when it runs.
// A task not found (a call of a block :eval refuses, a block added) is
// only Rekeyed. t is not changed.
func (t *Task) FoundAs(o *Task) *Task {
	if o.edit == nil || o.edit.added < org.AddedKey {
		return t
	}
	if t.edit == nil || !t.edit.found || !o.edit.found || t.edit.call || o.edit.call {
		return t.Rekeyed(o.edit.added)
	}
	c, ed := *t, *t.edit
	ed.added, ed.in, ed.foundBefore = o.edit.added, o.edit.in, o.edit.foundBefore
	c.edit = &ed
	c.Index, c.Line = o.Index, o.Line // its block's place in that buffer
	return &c
}

// ResultsAs is t with its results written where o's are (o's
// ResultsWith and the index it stands for): a block found in results
// that a block of its name found since stands before, or no longer does.
// t itself when they are written there already.
func (t *Task) ResultsAs(o *Task) *Task {
	if t.ResultsWith == o.ResultsWith && t.ResultsIndex() == o.ResultsIndex() {
		return t
	}
	c := *t
	c.ResultsWith, c.resultsAt = o.ResultsWith, o.resultsAt
	return &c
}

// FindsInResults reports whether the results of added task t, by its
// block's header as it stands in the buffer it was found in, are Org text
// org-babel-execute-buffer searches for blocks (org.ResultsAsOrgText): a
// block found in results whose own results may hold more. A task not
// added does not.
func (t *Task) FindsInResults() bool {
	if t.edit == nil || t.edit.origin != nil || t.edit.added < org.AddedKey {
		return false
	}
	blk, err := t.blockIn(t.edit.in)
	return err == nil && org.ResultsAsOrgText(blk.Args)
}
