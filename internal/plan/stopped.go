package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// org-babel-execute-buffer stops the whole document at a block of a
// language it has no org-babel-execute function for ("No org-babel-execute
// function for LANG!"): the results written until then stay, and nothing
// after it runs. A block found so in results just written (an Addition
// that Stops) stops it there; as Emacs runs the executables it finds in
// the order they stand in the buffer (a block found in results runs
// before the blocks after those results), what Emacs never runs is every
// executable standing after it in the buffer reported.

// Stop is where org-babel-execute-buffer stops, by the report of the
// buffer: the first addition that Stops, in the buffer's order; ok is
// false when none does.
func (e *Edits) Stop() (a Addition, ok bool) {
	at := -1
	for _, x := range e.Added() {
		j := e.addedMark(x.Key)
		if !x.Stops || j >= len(e.rep.Marks) {
			continue
		}
		if p := e.rep.Marks[j].Point; at < 0 || p < at {
			a, at, ok = x, p, true
		}
	}
	return a, ok
}

// StoppedBefore says why task t (of the submitted plan, or added) is not
// run because org-babel-execute-buffer stopped before it (Stop): its block
// stands after the block it stopped at in the buffer reported. It is ""
// when t runs, or when the report does not place it (a task that is not a
// block's own run, a block deleted).
func (e *Edits) StoppedBefore(t *Task) string {
	return e.StoppedBeforeFunc()(t)
}

// StoppedBeforeFunc is StoppedBefore for many tasks: the stop is looked
// for once (Stop reads every block added), not once a task.
func (e *Edits) StoppedBeforeFunc() func(t *Task) string {
	stop, ok := e.Stop()
	if !ok {
		return func(*Task) string { return "" }
	}
	return func(t *Task) string { return e.stoppedAt(stop, t) }
}

// stoppedAt is StoppedBefore, stop being the block the document stops at.
func (e *Edits) stoppedAt(stop Addition, t *Task) string {
	j := -1
	switch {
	case t.edit != nil && t.edit.origin == nil && t.edit.added >= org.AddedKey:
		j = e.addedMark(t.edit.added)
	default:
		j = e.exeOf(t)
		if j < 0 {
			j = e.runPlace(t)
		}
	}
	if !e.markAfterStop(j, stop) {
		return ""
	}
	return fmt.Sprintf("not run: org-babel-execute-buffer stopped before it, at the block of language %q at line %d of the Org buffer: %q", stop.Lang, stop.Line, stop.StopError)
}

// runPlace is, for t a run a reference makes of a block of the
// submitted plan (a run of its own, rerun.go), the report's mark of the
// executable at whose turn Emacs makes it: the block whose reference
// makes it (CallOf, followed through the runs that make runs), or the
// first block :eval refuses that makes it (RefusedReaders); -1 for
// none.
func (e *Edits) runPlace(t *Task) int {
	for i := 0; t != nil && t.plainRefRun() && i <= len(e.oldByName); i++ {
		o := e.oldByName[t.callOf]
		if o == nil {
			if r, ok := t.FirstRefusedReader(); ok {
				if j, ok := e.place[r.Index]; ok {
					return j
				}
			}
			return -1
		}
		if j := e.exeOf(o); j >= 0 {
			return j
		}
		t = o
	}
	return -1
}

// StoppedBeforeBlock reports whether org-babel-execute-buffer stopped
// (Stop) before the submitted document's executable at block index
// (org.Block.Index), one that may have no task (a block :eval refuses,
// where Emacs runs the blocks its references name): it stands after the
// block it stopped at in the buffer reported. False when nothing stops
// it, or the report does not place that executable.
func (e *Edits) StoppedBeforeBlock(index int) bool {
	stop, ok := e.Stop()
	if !ok {
		return false
	}
	j, ok := e.place[index]
	return ok && e.markAfterStop(j, stop)
}

// markAfterStop reports whether the report's mark j, unchanged, stands
// after the block stop (Stop) in the buffer.
func (e *Edits) markAfterStop(j int, stop Addition) bool {
	s := e.addedMark(stop.Key)
	if j < 0 || j >= len(e.rep.Marks) || s >= len(e.rep.Marks) {
		return false
	}
	m := e.rep.Marks[j]
	return !m.Changed && m.Point > e.rep.Marks[s].Point
}

// addedMark is the index in the report's marks of the block added to the
// buffer under key (org.AddedKey and after): the report marks the
// document's executables first, then the blocks added, in key order.
func (e *Edits) addedMark(key int) int {
	return len(e.exes) + key - org.AddedKey
}

// markStopped finds where org-babel-execute-buffer stops the document at
// a block known from the document alone: an inline block or call in a
// heading with no contents (org.Document.InlineStops), which Emacs runs
// and then stops at, writing no result. The blocks after it in the
// buffer are not run (their tasks' Replaced says so, and what only they
// wait for is not run either: markUnneeded); the blocks before it run,
// and so does a block after it that one of them refers to, as Emacs
// runs it for the reference (its results, which Emacs does not write,
// are not written either: the engine's unwrittenPastStop; not one only
// blocks after it refer to). The first such
// block that runs stops the document: one not run (in replaced results,
// :eval no) is never reached. A block :eval refuses before the stop (any,
// where there is none) is added to the RefusedReaders of the tasks its
// :var values name (evalRefusedStop).
func (b *builder) markStopped() {
	defer b.markRefusedCallsUnreached()
	p := b.plan
	own := ownTasks(p)
	// A later block of a name runs at its own turn too (its results go
	// to the first block's place): its references and :post stop Emacs
	// there as any block's.
	for i, t := range laterOfName(p) {
		if own[i] == nil {
			own[i] = t
		}
	}
	var stop *org.Block
	var ran []*Task // the blocks' own runs up to the stop, it included
	exes := b.doc.Executables()
	after := len(exes)
	var postsOf map[string][]*Task // the :post tasks of each block (postDirStop)
	// why is the error Emacs stops with, where says where, at what
	// kind of executable.
	why, where, at := org.InlineStopError, "in a heading with no contents", "the inline block"
	for i, x := range exes {
		t := own[x.Index]
		if x.Stop != "" && t == nil {
			// Its header arguments, or a call's, that Babel cannot
			// merge (org.Block.Stop): it never runs.
			stop, after = x, i+1
			why, where, at = x.Stop, "reading its header arguments", "the block"
			break
		}
		if t == nil && !b.replacedExe[x.Index] && evalQuery(x.Args) {
			// Babel resolves its references, then asks whether to
			// run it: the first error stops the document.
			stop, after = x, i+1
			why, where, at = b.evalRefusedStop(x), "resolving its references", "the block"
			if why == "" {
				why, where = QueryStop, "asking whether to run it ("+queryWhy+")"
			}
			break
		}
		if t == nil && x.Call == nil && !b.replacedExe[x.Index] && noLanguageStops(x) {
			// Its references resolved, Babel finds no function to
			// run it with.
			stop, after = x, i+1
			why, where, at = b.evalRefusedStop(x), "resolving its references", "the block"
			if why == "" {
				why, where = noExecuteFunction(x.Lang), "finding no language on its #+begin_src line"
				if x.Lang != "" {
					where = fmt.Sprintf("finding a header argument (%s) where the language stands on its #+begin_src line", x.Lang)
				}
			}
			break
		}
		if t == nil && x.Call == nil && !b.replacedExe[x.Index] {
			if reached := b.evalRefusedStop(x); reached != "" {
				// A block :eval refuses, whose references
				// org-babel-get-src-block-info resolves first.
				stop, after = x, i+1
				why, where, at = reached, "resolving its references", "the block"
				break
			}
		}
		if t == nil || t.Replaced != "" {
			continue
		}
		if reached := b.stopReached(t); reached != "" {
			// A reference (or a call with arguments) that Babel
			// cannot read, reached as Emacs reads its :var values.
			stop, after = x, i+1
			why, where, at = reached, "resolving its references", "the block"
			if t.cmdlineStop != "" {
				// ob-shell's concat, running the block.
				where = "taking a string of its :cmdline (ob-shell's concat)"
			}
			t.Replaced = fmt.Sprintf("not run: org-babel-execute-buffer stops at it, %s: %q", where, why)
			if d := b.fileModeRun[t.Block]; d != nil && b.stopOf[t.Block] == reached {
				// A block whose :file-mode set-file-modes refuses:
				// Emacs runs it for the reference, writing its :file,
				// then stops. It runs, its results not written
				// (ResultStop), whatever its place.
				ran = append(ran, d)
			}
			break
		}
		if reached := dirStop(b.doc, x, t); reached != "" {
			// Its :dir missing: Babel starts its program there, once
			// its references are resolved.
			stop, after = x, i+1
			why, where, at = reached, "starting its program in its :dir, which does not exist", "the block"
			if strings.HasPrefix(reached, DirNumberStopPrefix) {
				where = "expanding its :dir, which Babel reads as a number"
			}
			t.Replaced = fmt.Sprintf("not run: org-babel-execute-buffer stops at it, %s: %q", where, why)
			break
		}
		if reached, stops := b.fileModePostStop(t); stops {
			// Its :file written, set-file-modes refuses its
			// :file-mode before Babel resolves its :post.
			stop, after = x, i+1
			why, where, at = reached, "once it has run, set-file-modes refusing its :file-mode (before its :post)", "the block"
			ran = append(ran, t)
			break
		}
		if postsOf == nil {
			postsOf = postsByOwner(p.Tasks)
		}
		if reached := b.postDirStop(x, t, postsOf); reached != "" {
			// Its program has run; its :post's process cannot start
			// in the directory the callee's :dir joins under the
			// block's (or the block's own, missing).
			stop, after = x, i+1
			why, where, at = reached, "once it has run, starting its :post's program in a directory that does not exist", "the block"
			for _, pt := range postsOf[t.Block] {
				pt.Replaced = fmt.Sprintf("not run: org-babel-execute-buffer stops at %s, starting its :post's program in a directory that does not exist: %q", t.Block, why)
			}
			t.postDirStop = why
			ran = append(ran, t)
			break
		}
		if refused := org.InlineRefused(x); refused != "" {
			// org-babel-insert-result refuses it before it looks
			// for its place.
			stop, after = x, i+1
			why, where = refused, "whose result Babel does not write inline"
			ran = append(ran, t)
			break
		}
		if b.doc.InlineStops(x) {
			stop, after = x, i+1
			if t.Cache {
				// org-babel-execute-src-block looks for its results
				// (org-babel-current-result-hash) first, and stops
				// there: it never runs.
				t.Replaced = fmt.Sprintf("not run: org-babel-execute-buffer stops at it, looking for its results (:cache yes) in a heading with no contents: %q", org.InlineStopError)
				break
			}
			ran = append(ran, t)
			break
		}
		ran = append(ran, t)
	}
	if stop == nil {
		return
	}
	p.Stop, p.StopLine, p.StopIndex = why, stop.Line, stop.Index
	p.StopNote = fmt.Sprintf("line %d: org-babel-execute-buffer stops this document at %s %s (%q): the blocks after it are not run", stop.Line, at, where, why)
	p.Notes = append(p.Notes, p.StopNote)
	referred := b.referredFrom(ran)
	for _, x := range exes[after:] {
		if t := own[x.Index]; t != nil && t.Replaced == "" && !referred[t.Block] && !slices.Contains(ran, t) {
			t.Replaced = fmt.Sprintf("not run: org-babel-execute-buffer stopped before it, at %s at line %d, %s: %q", at, stop.Line, where, why)
		}
	}
	// What Emacs evaluates at the turn of a block it refuses or asks
	// about (its Lisp :var values, its calls), up to the stop's block
	// included, is done before the stop, whoever waits for it after:
	// what it changes (the buffer, a file) stays.
	stopAt := BlockPlace{Line: stop.Line, Index: stop.Index}
	for _, t := range p.Tasks {
		if first, ok := t.FirstRefusedReader(); ok && !stopAt.Before(first) && t.Replaced == "" {
			ran = append(ran, t)
		}
	}
	b.unneededVisited += markUnneeded(p, own, ran...)
}

// stopReached is the error Emacs stops with reading the information of
// task t or of a task it refers to, in turn (builder.stopOf), the first
// of them in the order of its references; "" when none stops it.
// What a name reaches is found once, for every task asked about
// (stopMemo: markStopped asks when stopOf and the references are
// final), so a chain of N blocks takes N steps, not N².
func (b *builder) stopReached(t *Task) string {
	return b.stopReachedName(t.Block)
}

// evalRefusedStop is the error Emacs stops with at block x, which :eval
// no or never refuses (evalRefused), or :eval query asks about
// (evalQuery), resolving its :var references:
// org-babel-get-src-block-info reads them (org-babel-process-params)
// before org-babel-check-evaluate looks at :eval. "" when none of the
// blocks they reach stops it, or x is run. Its noweb references are
// not expanded: Babel expands them once it evaluates the block. A call
// that comes back to itself, with the same arguments, is looked for
// even when no block stops (stopOf is empty): Emacs recurses there
// until DepthExceeded.
//
// When none stops it, x is added to the RefusedReaders of the tasks its
// :var values name, as varRefs visits them (for a call with arguments,
// the names in its arguments, and in the called block's own :var
// values, nested calls' included), from the same walk. The calls of its
// :var values themselves, each a task of its own (refusedCalls), have x
// among their RefusedReaders when Emacs runs them: their references all
// resolved before any stop, even one found after them.
func (b *builder) evalRefusedStop(x *org.Block) string {
	if _, refused := org.EvalRefused(x.Args); !refused && !evalQuery(x.Args) {
		return ""
	}
	var named []*Task
	at := BlockPlace{Line: x.Line, Index: x.Index}
	why := b.refusedOwnStop(x, func(r parsedRef) {
		if r.call != nil {
			return
		}
		// The run the reference makes (refusedCalls; rerun.go), where
		// there is one: Emacs runs the block again there, not its own
		// turn's run, which stands at the block's own place.
		if t := b.refusedCallRun(x.Index, calledRef{name: r.name}.key()); t != nil {
			named = append(named, t)
		} else if t := b.byName[r.name]; t != nil {
			named = append(named, t)
		}
	}, func(r parsedRef) {
		// Emacs ran the call (refusedCalls), before any stop.
		if t := b.refusedCallRun(x.Index, r.call.key()); t != nil {
			addRefusedReader(t, at)
		}
	})
	if why != "" {
		return why
	}
	for _, t := range named {
		addRefusedReader(t, at)
	}
	// The runs reading another refused block makes at x's turn
	// (refusedReadAtTurn), in a fixed order.
	for _, key := range slices.Sorted(maps.Keys(b.refusedCall[x.Index])) {
		if strings.HasPrefix(key, refusedReadingKey) {
			if t := b.refusedCallRun(x.Index, key); t != nil {
				addRefusedReader(t, at)
			}
		}
	}
	return ""
}

// maxCallDepth bounds how deep varRefs follows calls inside calls'
// arguments, a backstop: a call that comes back to one on its path is
// found first (Emacs recurses without end through it).
const maxCallDepth = 32

// varRefs calls visit with each reference of the :var values vars
// ("name=value") of blk, in the order org-babel-ref-resolve resolves
// them, and stops at the first error it gives, or at a value Babel
// cannot read or a name no element has (varValueStop), as a block that
// runs stops (vars), where nothing Emacs evaluates comes before it (a
// Lisp value of blk's header, a Lisp :var value before it, readsLisp):
// what that does is not known. A call with arguments ("f(y=g())") has
// its arguments merged (org.Document.CalledWith: an error Emacs
// stops with is returned) and their references, and those of the block
// called (its own first, then the merged ones), visited in turn after
// it, as org-babel-ref-resolve runs the block with them. A call met
// again inside itself (the same key) is DepthExceeded, where Emacs
// recurses until it exceeds its depth; a call already followed is not
// followed again, so that the walk is linear in the calls written
// (refusedSteps counts them).
//
// ran is called with each call of vars, or nested in them or in the
// called blocks' :var values, whose references were all visited with no
// error: Emacs runs it.
func (b *builder) varRefs(blk *org.Block, vars []string, visit func(parsedRef) string, ran func(parsedRef)) string {
	b.refusedWalk = map[string]bool{}
	return b.varRefsIn(vars, blk.Start, readsLisp(blk), map[string]bool{}, 0, visit, ran)
}

// readsLisp reports whether Emacs evaluates a Lisp value of blk's
// header reading it (readsLispWhy).
func readsLisp(blk *org.Block) bool {
	return readsLispWhy(blk, "") != ""
}

// varRefsIn is varRefs inside the calls on path (their keys), depth of
// them, of the block at point at of the document; lisp, whether Emacs
// evaluates Lisp before vars (varRefs); ran is called for the calls
// nested in them too (Emacs runs a nested call resolving the called
// block's :var values).
func (b *builder) varRefsIn(vars []string, at int, lisp bool, path map[string]bool, depth int, visit func(parsedRef) string, ran func(parsedRef)) string {
	for _, raw := range vars {
		k, rhs, r, ok := varRef(raw)
		if !ok {
			if isLispForm(rhs) {
				lisp = true // evaluated: what it does is not known
			} else if why := b.varValueStop(rhs, at); k != "" && !lisp && why != "" {
				return why
			}
			continue
		}
		if why := visit(r); why != "" {
			return why
		}
		if r.call == nil {
			continue
		}
		key := r.call.key()
		if path[key] || depth >= maxCallDepth {
			return DepthExceeded
		}
		if b.refusedWalk[key] {
			if ran != nil {
				ran(r)
			}
			continue
		}
		b.refusedWalk[key] = true
		b.refusedSteps++
		cb, err := b.doc.CalledWith(r.call.name, r.call.header, r.call.args)
		if why := org.EmacsStop(err); why != "" {
			return why
		}
		if err != nil {
			continue
		}
		// org-babel-execute-src-block reads the called block's
		// information (org-babel-get-src-block-info) first: its own
		// :var values are resolved, those the call overrides too;
		// then the call's. What the block does with the arguments
		// it is run with is not known here (README).
		path[key] = true
		why := ""
		if own := b.doc.Callee(r.call.name); own != nil {
			why = b.varRefsIn(own.Vars, at, lisp || readsLisp(own), path, depth+1, visit, ran)
		}
		// A called block :eval refuses is not evaluated: the call's
		// own arguments are never resolved
		// (org-babel-check-evaluate comes before
		// org-babel-process-params).
		if _, refused := org.EvalRefused(cb.Args); why == "" && !refused {
			why = b.varRefsIn(cb.Vars, at, lisp || readsLisp(cb), path, depth+1, visit, ran)
		}
		delete(path, key)
		if why != "" {
			return why
		}
		if ran != nil {
			ran(r)
		}
	}
	return ""
}

// stopReachedName is stopReached of the block (or call) of a name.
func (b *builder) stopReachedName(name string) string {
	if len(b.stopOf) == 0 {
		return ""
	}
	if b.stopMemo == nil {
		b.stopMemo = map[string]string{}
	}
	walking := map[string]bool{}
	var walk func(name string) string
	walk = func(name string) string {
		if why, ok := b.stopMemo[name]; ok {
			return why
		}
		if walking[name] {
			return "" // a cycle (refused before this): not known yet
		}
		walking[name] = true
		b.stopWalks++
		why := b.stopOf[name]
		if d := b.byName[name]; d != nil && why == "" {
			for _, a := range b.readsOf(d) {
				if why = walk(a); why != "" {
					break
				}
			}
		}
		b.stopMemo[name] = why
		return why
	}
	return walk(name)
}

// readsOf are the names task t refers to (refersTo) whose information
// Emacs reads running it: not those it waits for only as Borges orders
// them (ordersOnly: :after, which is Borges's alone, its session's
// order), as build found them (Task.orderOnly) before markStopped asks.
func (b *builder) readsOf(t *Task) []string {
	var out []string
	for _, a := range b.refersTo(t) {
		if slices.Contains(t.orderOnly, a) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// referredFrom are the names of the tasks that tasks ran refer to, and
// those these refer to in turn (readsOf: not :after names): what Emacs
// runs for the references of the blocks it runs. Bounded: each task is
// looked at once.
func (b *builder) referredFrom(ran []*Task) map[string]bool {
	referred := map[string]bool{}
	next := slices.Clone(ran)
	for len(next) > 0 {
		t := next[len(next)-1]
		next = next[:len(next)-1]
		for _, a := range b.readsOf(t) {
			if referred[a] {
				continue
			}
			referred[a] = true
			if d := b.byName[a]; d != nil {
				next = append(next, d)
			}
		}
	}
	return referred
}

// markInline sets InlineResults on the tasks whose results are written
// in place of an inline block or call (its own run, its :post's, the
// reading of its output in Emacs) and that write some (not :results
// silent or none): org-babel-insert-result may refuse the value they
// end with (org.Document.InlineValueRefused), which stops the document.
func (b *builder) markInline() {
	for _, t := range b.plan.Tasks {
		blk := b.doc.BlockAt(t.ResultsIndex())
		if blk == nil || blk.Inline == 0 {
			continue
		}
		words, _ := blk.Args.Get("results")
		// Its :results words are the inline block's (a :post's task
		// is called silently).
		if t.Replaced == "" && !t.ContinueOnFailure && !noResults(words) {
			t.InlineResults = true
		}
	}
}

// varRef reads the :var value raw ("NAME=VALUE") as a reference: its
// name and value as written (trimmed, trimVarComma), and the reference
// parsed; ok is false for no "=", a literal, or what is no reference
// (name and rhs are given all the same where there is a "=").
func varRef(raw string) (name, rhs string, r parsedRef, ok bool) {
	name, rhs, ok = strings.Cut(raw, "=")
	if !ok {
		return "", "", parsedRef{}, false
	}
	name, rhs = strings.TrimSpace(name), trimVarComma(strings.TrimSpace(rhs))
	if _, literal, err := parseLiteral(rhs); err != nil || literal {
		return name, rhs, parsedRef{}, false
	}
	r, ok = parseRef(rhs)
	return name, rhs, r, ok
}

// NextAfterAdded is the place (Line, Index) of the submitted document's
// first executable standing after the block added to the buffer under
// key (org.AddedKey and after), by the marks of the buffer reported: the
// first block org-babel-execute-buffer comes to after the added one. ok
// is false when none does (or the report does not mark that block).
func (e *Edits) NextAfterAdded(key int) (line, index int, ok bool) {
	s := e.addedMark(key)
	if s < len(e.exes) || s >= len(e.rep.Marks) {
		return 0, 0, false
	}
	at, best := e.rep.Marks[s].Point, -1
	for i, x := range e.exes {
		m := e.rep.Marks[i]
		if m.Changed || m.Point <= at || best >= 0 && m.Point >= e.rep.Marks[best].Point {
			continue
		}
		best = i
		line, index = x.Line, x.Index
	}
	return line, index, best >= 0
}

// InlineValueRefusedIn is the error org-babel-insert-result signals for
// r, the result of task t written at at (Task.ResultsIndex, or where its
// results are redirected to) of doc, the document submitted, in place of
// an inline block (org.Document.InlineValueRefused); for the own run of
// a block added to the buffer (Edits.Added), or of its :post
// (Addition.Posts), in place of that block as the buffer reported holds
// it. "" for none.
func InlineValueRefusedIn(doc *org.Document, t *Task, at int, r org.Result) string {
	if t.edit != nil && t.edit.origin == nil && t.edit.added >= org.AddedKey {
		own := t
		if (t.Post || t.ReadsOutput) && t.resultsAt >= 0 {
			// Its :post's value, or its value read by Emacs,
			// written in its place.
			own = t.rootOwner()
		}
		if own.ResultsWith != "" || own.ReadsOutput || own.Post {
			return ""
		}
		blk, err := own.blockIn(t.edit.in)
		if err != nil {
			return ""
		}
		return t.edit.in.InlineValueRefused(blk, r)
	}
	return doc.InlineValueRefused(doc.BlockAt(at), r)
}

// noLanguageStop is what org-babel-execute-src-block signals for a block
// of no language (a tab, not a space, after #+begin_src, or none at all),
// which org-babel-execute-buffer visits as any block.
var noLanguageStop = noExecuteFunction("")

// noLanguageWhy is why such a block does not run.
const noLanguageWhy = "no language (org-element reads one only after spaces after #+begin_src): org-babel-execute-buffer stops here, \"No org-babel-execute function for nil!\""

// headerLangWhy is why a block of a header argument where its language
// stands (noFunctionLang) does not run: its language, the stop.
const headerLangWhy = "a header argument where the language stands (org-element reads %q as the language): org-babel-execute-buffer stops here, %q"

// noLanguageStops reports whether org-babel-execute-buffer stops at x, a
// source block of no language that Babel evaluates: not refused by :eval
// (an :eval query block stops before).
func noLanguageStops(x *org.Block) bool {
	if !noFunctionLang(x.Lang) || x.Call != nil {
		return false
	}
	_, refused := org.EvalRefused(x.Args)
	return !refused && !evalQuery(x.Args)
}
