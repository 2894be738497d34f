package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// Each time Babel resolves a reference to a block (:var x=name, a call
// name(x=1), <<name()>>, :stdin name, the block of a named #+call:),
// org-babel-ref-resolve runs the block again, with :results silent: the
// value is that run's, and the block's results stay as its own run in the
// document wrote them. So does Borges: each reference to a block Babel
// runs is a run of its own, planned where Emacs makes it, as it
// evaluates the referring block (before that block; after the blocks of
// a session planned before it, for a block of that session), so that
// what each run does beside its value (a line appended to a file, a
// counter of a session counting once more) is done as often as in Emacs.
// Its results are written nowhere, like a call's with arguments. A block
// whose run makes references makes them again at each run: a plain chain
// of n blocks, each referring to the one before, is n(n+1)/2 runs, as
// Emacs runs them (a document past #+borges_max_tasks is refused).
//
// Not a run of its own: named data (read where it is, not here); a block
// :eval refuses (its information read: refusedref.go); a :cache yes block
// whose hash is current at the reference (cacheServes: Emacs reads its
// results back); and a block Borges does not run at all (:eval query, a
// language with no interpreter, a header Emacs stops at, past where Emacs
// stops, under a COMMENT heading), which keeps the handling of its name.
// A call with arguments (or a header) is served at the first place that
// makes it by the task named by the call (calledTask); each later place
// is a run of its own, as is every place where the block reaches a
// session, makes such a call or runs in another directory.

// rerun plans the run a reference of the header argument arg (what: the
// reference as written, ":var x=counter", "<<counter()>>") makes of the
// block it names, and returns its task's name, "BLOCK what"; "" when the
// reference is served by the block's one run or its name's handling (see
// above), or by the task of a call with those arguments.
func (b *builder) rerun(blk *org.Block, t *Task, arg, what string, r parsedRef) string {
	if b.rerunning[r.name] {
		// A block that refers to itself through a session: Emacs
		// recurses without end; the cycle is reported as any other.
		return ""
	}
	for _, p := range b.posting {
		if r.call == nil && p.name == r.name {
			// A reference inside a :post chain back to a block of
			// the chain: Emacs recurses without end, which postTask
			// and the cycle check report, at the reference.
			return ""
		}
	}
	c := r.call
	if c == nil {
		c = &calledRef{name: r.name}
	}
	inDir := b.calledInDir(c)
	if why := b.cacheUnknown(c.name, inDir); why != "" {
		b.problem(blk, t.Block, arg, "%s", why)
		return ""
	}
	if why := b.cacheAcrossElisp(c); why != "" {
		b.problem(blk, t.Block, arg, "%s", why)
		return ""
	}
	if r.call == nil {
		if !b.runsForRef(r.name) {
			return ""
		}
	} else if yes, _ := b.reaches(*c, map[string]bool{r.name: true}); !yes && !b.makesCall(c) && !b.runsElsewhere(inDir) {
		if !b.callRunsAgain(c) || b.byName[c.key()] == nil || b.calling[c.key()] {
			// The first place making a call is served by the task
			// named by the call (calledTask); each later one is a run
			// of its own. A call made inside its own run comes back
			// to itself, a cycle calledTask reports.
			return ""
		}
	}
	if len(b.plan.Tasks) >= b.opts.MaxTasks {
		// References through blocks that refer to a block twice or
		// more multiply its runs: a chain of twenty such blocks would
		// be a million tasks. The document is refused, once.
		if !b.tooManyRuns {
			b.tooManyRuns = true
			// Said at the block of the document being planned,
			// whose references go over, not at a run's task.
			at := blk
			if b.planning != nil {
				at = b.planning
			}
			b.problem(at, BlockName(at), arg, "the references to blocks make more than %d runs (each reference runs the block again, as in Emacs); a document may have at most %d tasks (#+borges_max_tasks)",
				b.opts.MaxTasks, b.opts.MaxTasks)
			b.tooManyRunsProblem = b.problems[len(b.problems)-1]
		}
		return ""
	}
	key := b.rerunName(t, what)
	if b.rerunning == nil {
		b.rerunning = map[string]bool{}
	}
	b.rerunning[r.name] = true
	dep := b.calledTaskNamed(blk, t, arg, c, key)
	delete(b.rerunning, r.name)
	if r.call == nil {
		b.markOwnHash(r.name, b.byName[key])
	}
	if dt := b.byName[key]; dep != "" && dt != nil && dt.elispErrorStops() && !dt.ReadsOutput && !dt.Post {
		// A run of an Emacs Lisp block for the reference: an error it
		// signals stops Emacs resolving the reference, at the block
		// whose reference it is (StopsOnLispError), where at the
		// block's own turn it fails the block (README, Sessions). key
		// names the block's run, dep the last :post of its chain when
		// it has one (calledTaskNamed): the block's own error stops too.
		dt.FailureStops, dt.refRunStops, dt.refPostKey = true, true, b.postKey()
		b.indexLispRun(dt, nil, dt.refPostKey)
	}
	return dep
}

// rerunName names the run a reference (what, as written) of t makes:
// after the block whose reference it is and the reference, "b5 :var
// x=b4", numbered when that name is taken ("b4 :var x=b3~2": the same
// reference made again, by a later run of its block, or twice in one
// block). The block is t's, or, for t a run itself, the block t runs
// (its reference made inside that run), not t's name, which would hold
// the whole chain of runs above it: a chain of n blocks of a session,
// each referring to the one before, would name its n(n+1)/2 runs with
// up to n references each (TestRerunNamesDoNotNest).
func (b *builder) rerunName(t *Task, what string) string {
	key := b.refBy(t) + " " + what
	if b.byName[key] == nil && !b.calling[key] {
		return key
	}
	if b.runSeq == nil {
		b.runSeq = map[string]int{}
	}
	n := max(b.runSeq[key], 1)
	for {
		n++
		if k := fmt.Sprintf("%s~%d", key, n); b.byName[k] == nil && !b.calling[k] {
			b.runSeq[key] = n
			return k
		}
	}
}

// trimRunSeq is a run's name (rerunName) without the number that tells
// it from the runs of the same reference before it: "b :var x=a~2" is
// "b :var x=a".
func trimRunSeq(name string) string {
	i := strings.LastIndexByte(name, '~')
	if i < 0 || i == len(name)-1 {
		return name
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return name
		}
	}
	return name[:i]
}

// refBy is what rerunName names the runs t's references make after:
// t's name, or, for t a run of a block (a call, a run again), that
// block's name.
func (b *builder) refBy(t *Task) string {
	if t.called != nil && t.Index < 0 {
		return t.called.name
	}
	if c := b.callingRef[t.Block]; c != nil {
		// Being planned as a run (calledTaskNamed): t.called is set
		// once it is.
		return c.name
	}
	return t.Block
}

// calledInDir is the block the reference c names as Babel calls it
// (a named #+call: line's headers, its :dir too, merged into the called
// block's by org-babel-lob-get-info), where the reference is resolved
// in a block's :dir (b.inDir); nil where it is not, or c names nothing
// Borges can call. runsElsewhere and cacheUnknown read it.
func (b *builder) calledInDir(c *calledRef) *org.Block {
	if b.inDir == "" {
		return nil
	}
	cb, err := b.doc.CalledWith(c.name, c.header, c.args)
	if err != nil {
		return nil
	}
	return cb
}

// runsElsewhere reports whether cb, the block a reference resolved in
// b.inDir names (calledInDir), runs in another directory than its own
// run's, so that one run cannot serve the reference: a block (or a
// named #+call: line of a block) Babel runs, not one :eval refuses nor
// a :cache yes one whose hash is current at the reference
// (hashCurrent), and whose :dir, if any, is relative.
func (b *builder) runsElsewhere(cb *org.Block) bool {
	if cb == nil || cb.Call != nil && cb.Call.Block == nil {
		return false
	}
	if _, refused := org.EvalRefused(cb.Args); refused || hashedBlock(cb) && b.hashCurrent(cb) {
		return false
	}
	d, _ := cb.Args.Get("dir")
	return !absDir(d)
}

// hashCurrent reports whether the :cache yes block cb (hashedBlock) has
// its hash current when a reference planned now resolves it: it stands
// before the block planned at its place (placeAt), whose own run wrote
// its hash in org-babel-execute-buffer's order. One standing after has
// run nowhere yet: a reference runs it, unless its old results carry a
// current hash (cacheUnknown refuses that case).
func (b *builder) hashCurrent(cb *org.Block) bool {
	return cb.Start < b.placeAt
}

// cacheUnknown is why Borges cannot tell where the reference to name,
// resolved in b.inDir, runs: cb, the :cache yes block it names
// (calledInDir), stands after the block planned at its place and has
// results with a hash, which Emacs compares with the reference's to
// decide whether to run it again in the :dir.
func (b *builder) cacheUnknown(name string, cb *org.Block) string {
	if cb == nil || !hashedBlock(cb) || b.hashCurrent(cb) {
		return ""
	}
	if _, refused := org.EvalRefused(cb.Args); refused {
		return ""
	}
	if _, _, ok := b.doc.CachedResult(cb); !ok {
		return ""
	}
	return fmt.Sprintf("%s: a :cache yes block standing after the block whose :dir the reference is resolved in, with old hashed results: Emacs runs it again in the :dir unless that hash is current there, which Borges cannot tell (move the block before, or remove its results)", name)
}

// reachesSession reports whether a run of blk, as a reference runs it,
// is sent to a session: blk is a block of one (the document's Emacs for
// an Emacs Lisp block), has a Lisp :var value (evaluated there), or
// resolves a reference (its :var values, noweb calls, :stdin, :post) to a
// block that reaches one. seen holds the names already followed. A block not run (:eval
// no), or whose :cache yes results a reference may find current, is not
// run again.
//
// final says whether the answer holds whoever asks: a yes always does
// (a way to a session was found); a no only if no reference on the way
// was passed over as one already being looked at (seen), which could
// hide a way.
func (b *builder) reachesSession(blk *org.Block, seen map[string]bool) (yes, final bool) {
	b.reachWalks++
	if _, refused := org.EvalRefused(blk.Args); refused {
		return false, true
	}
	if hashedBlock(blk) {
		return false, true
	}
	if _, ok := sessionKind(blk); ok || inEmacsSession(blk) {
		return b.limits.NoSessions == "", true
	}
	for _, rhs := range varValues(blk) {
		if rhs != "" && (rhs[0] == '(' || rhs[0] == '`') {
			// A Lisp form (not a quoted list or a vector, the same
			// each time) is evaluated again in the document's Emacs,
			// which it may change.
			return b.limits.NoSessions == "", true
		}
	}
	refs := b.resolvedRefTexts(blk)
	if v, ok := blk.Args.Get("post"); ok {
		refs = append(refs, v)
	}
	final = true
	for _, ref := range refs {
		r, ok := parseRef(ref)
		if !ok {
			continue
		}
		if seen[r.name] {
			final = false
			continue
		}
		if _, data := b.doc.NamedData(r.name); data {
			continue
		}
		seen[r.name] = true
		c := r.call
		if c == nil {
			c = &calledRef{name: r.name}
		}
		yes, fin := b.reaches(*c, seen)
		if yes {
			return true, true
		}
		final = final && fin
	}
	return false, final
}

// reaches is reachesSession of the block reference c calls, the answer
// kept where it is final: each block of a chain of references asks it of
// the block before, which would otherwise walk the whole chain again
// (quadratic: 2 million walks for a chain of 2,000 blocks).
func (b *builder) reaches(c calledRef, seen map[string]bool) (yes, final bool) {
	if yes, ok := b.reached[c]; ok {
		return yes, true
	}
	cb, err := b.doc.CalledWith(c.name, c.header, c.args)
	if err != nil {
		return false, true
	}
	yes, final = b.reachesSession(cb, seen)
	if final {
		b.reached[c] = yes
	}
	return yes, final
}

// callRunsAgain reports whether c, a call with arguments or a header, is
// a run of its own at each place that makes it (see above): a call of a
// block Babel runs. A :cache yes block is no exception: Emacs resolves
// the call with :results silent and writes no hash for it, so the hash
// under the block's results is its own run's, and the call runs the
// block again at each place (fixture called_rerun_cache.org).
func (b *builder) callRunsAgain(c *calledRef) bool {
	if c.args == "" && c.header == "" {
		return false
	}
	cb, err := b.doc.CalledWith(c.name, c.header, c.args)
	if err != nil {
		return false
	}
	_, refused := org.EvalRefused(cb.Args)
	return !refused
}

// makesCall reports whether a run of the block c names (plainly, or
// called) makes a call that runs again (callRunsAgain): a #+call: line
// with arguments, or a block whose :var values, noweb references or
// :stdin call one, or refer to a block that makes one (run again for
// each reference, it resolves its own references again, down to the
// call: fixture called_rerun_deep.org).
func (b *builder) makesCall(c *calledRef) bool {
	yes, _ := b.makesCallSeen(*c, map[string]bool{c.name: true})
	return yes
}

// makesCallSeen is makesCall of c, seen holding the names already
// followed; final as for reachesSession, the answer kept where it is
// final (a chain of references is walked once).
func (b *builder) makesCallSeen(c calledRef, seen map[string]bool) (yes, final bool) {
	if yes, ok := b.callMade[c]; ok {
		return yes, true
	}
	yes, final = b.makesCallWalk(c, seen)
	if final {
		if b.callMade == nil {
			b.callMade = map[calledRef]bool{}
		}
		b.callMade[c] = yes
	}
	return yes, final
}

func (b *builder) makesCallWalk(c calledRef, seen map[string]bool) (yes, final bool) {
	cb, err := b.doc.CalledWith(c.name, c.header, c.args)
	if err != nil {
		return false, true
	}
	if _, refused := org.EvalRefused(cb.Args); refused || hashedBlock(cb) {
		return false, true
	}
	var refs []parsedRef
	if x := cb.Call; x != nil {
		refs = append(refs, parsedRef{name: x.Name, call: &calledRef{name: x.Name, header: strings.TrimSpace(x.Inside), args: strings.TrimSpace(x.Arguments)}})
	} else {
		for _, raw := range b.resolvedRefTexts(cb) {
			if r, ok := parseRef(raw); ok {
				refs = append(refs, r)
			}
		}
	}
	final = true
	for _, r := range refs {
		if r.call != nil && r.name != c.name && b.callRunsAgain(r.call) {
			return true, true
		}
		if seen[r.name] {
			final = false
			continue
		}
		if _, data := b.doc.NamedData(r.name); data {
			continue
		}
		next := calledRef{name: r.name}
		if r.call != nil {
			next = *r.call
		}
		seen[r.name] = true
		yes, fin := b.makesCallSeen(next, seen)
		if yes {
			return true, true
		}
		final = final && fin
	}
	return false, final
}

// varValues are the values of blk's :var header arguments as written
// (x=VALUE, its trailing comma dropped).
func varValues(blk *org.Block) []string {
	var out []string
	for _, raw := range blk.Vars {
		if _, rhs, ok := strings.Cut(raw, "="); ok {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(rhs), ","))
		}
	}
	return out
}

// resolvedRefTexts are the references a run of blk resolves as it
// starts, as written: its :var values, its noweb calls and, for a shell,
// its :stdin (reachesSession and makesCallWalk follow them).
func (b *builder) resolvedRefTexts(blk *org.Block) []string {
	refs := append(varValues(blk), b.doc.NowebCalls(blk)...)
	if v, ok := blk.Args.Get("stdin"); ok && shellNames[blk.Lang] {
		refs = append(refs, v)
	}
	return refs
}

// inEmacsSession reports whether a run of blk is sent to the document's
// Emacs (elisp_session.go), which it changes as a session's block changes
// its session: an Emacs Lisp block not run by its :shebang line, nor
// more than once (:instances, :ensure it-keeps-running).
func inEmacsSession(blk *org.Block) bool {
	if !elispLangs[blk.Lang] {
		return false
	}
	for _, arg := range []string{"shebang", "instances", "ensure"} {
		if v, ok := blk.Args.Get(arg); ok && v != "" {
			return false
		}
	}
	return true
}

// sessionKind is the kind of session that runs blk, and whether one
// does: a shell, Python or Ruby block with :session NAME (not "none"),
// but a shell block with :stdin or :cmdline, which ob-shell runs outside
// its session, or whose :session is nil (given no value, or a default
// set to nil), which org-babel-sh-initiate-session takes as no session.
func sessionKind(blk *org.Block) (session.Kind, bool) {
	a, ok := blk.Args.Lookup("session")
	if !ok || a.Value == "none" {
		return "", false
	}
	var kind session.Kind
	switch {
	case shellNames[blk.Lang]:
		if cmdlineNil(a) {
			return "", false
		}
		if a, ok := blk.Args.Lookup("cmdline"); ok && !cmdlineNil(a) {
			return "", false
		}
		if v, ok := blk.Args.Get("stdin"); ok && v != "" {
			return "", false
		}
		kind = session.Shell
	case pythonLangs[blk.Lang]:
		kind = session.Python
	case blk.Lang == "ruby":
		kind = session.Ruby
	default:
		return "", false
	}
	return kind, true
}

// runsForRef reports whether a plain reference to name (no arguments, no
// header: :var x=name, <<name()>>, :stdin name, or a named #+call:
// line's block reached through it) is a run of its own: Babel runs the
// block it finds again at each reference (org-babel-ref-resolve), except
// a block :eval refuses, and a :cache yes block whose hash is current at
// the reference (cacheServes). A block Borges does not run at all (:eval
// query, a language it has no interpreter for, a header Emacs stops at,
// one past where Emacs stops, one under a COMMENT heading that no other
// block of the name stands before, a name no block carries) keeps the
// handling of its name: the reference finds what its own place does.
func (b *builder) runsForRef(name string) bool {
	cb, err := b.calledWithMemo(name, "", "")
	if err != nil || cb.Call != nil && cb.Call.Block == nil {
		return false
	}
	if !b.runsBlock(cb) {
		return false
	}
	return !b.cacheServes(name, cb)
}

// calledWithMemo is b.doc.CalledWith, kept by its arguments for the
// document it was asked of: a chain of n blocks asks it n² times. The
// block given is only read.
func (b *builder) calledWithMemo(name, header, args string) (*org.Block, error) {
	if b.calledMemo == nil {
		b.calledMemo = map[calledQuestion]calledAnswer{}
	}
	q := calledQuestion{b.doc, name, header, args}
	if a, ok := b.calledMemo[q]; ok {
		return a.cb, a.err
	}
	cb, err := b.doc.CalledWith(name, header, args)
	b.calledMemo[q] = calledAnswer{cb, err}
	return cb, err
}

// calledQuestion is what calledWithMemo is asked: a call in a document.
type calledQuestion struct {
	doc                *org.Document
	name, header, args string
}

// calledAnswer is what CalledWith answered it.
type calledAnswer struct {
	cb  *org.Block
	err error
}

// runsBlock reports whether Borges runs cb, a block a reference names
// (CalledWith), when it is planned (block): not one it skips or refuses.
func (b *builder) runsBlock(cb *org.Block) bool {
	if b.unreachedAt(cb.Start) || cb.Commented || cb.Stop != "" || cb.Problem != "" || evalQuery(cb.Args) {
		return false
	}
	if _, refused := org.EvalRefused(cb.Args); refused {
		return false
	}
	if _, known := interpreters[cb.Lang]; known || elispLangs[cb.Lang] {
		return true
	}
	shebang, ok := cb.Args.Get("shebang")
	return ok && shebang != ""
}

// cacheServes reports whether a reference to name, the :cache yes block
// cb (hashedBlock) as a reference runs it, finds its hash current: the
// block writes a hash (its own :results are neither silent nor none,
// under which org-babel-execute-src-block writes nothing), its own run
// wrote it before the reference (hashCurrent), and the values it is
// hashed with are the same at the reference: each reference it resolves
// itself names data, or a block served so too (a reference that runs a
// block again may give another value, and Babel runs the block again
// when its hash differs: that is a run of its own, which the engine
// reads back where the hash stands). The answer is kept by name: a
// chain of :cache yes blocks is walked once. A yes stays one as the
// planning goes down the document; a no is kept for the place planned.
func (b *builder) cacheServes(name string, cb *org.Block) bool {
	if !hashedBlock(cb) {
		return false
	}
	if b.cacheServed[name] {
		return true
	}
	if at, ok := b.cacheUnserved[name]; ok && at == b.placeAt || b.cacheWalking[name] {
		// A reference coming back to a block being looked at: a
		// cycle, reported where the block is planned.
		return false
	}
	if b.cacheServed == nil {
		b.cacheServed, b.cacheUnserved, b.cacheWalking = map[string]bool{}, map[string]int{}, map[string]bool{}
	}
	b.cacheWalks++
	b.cacheWalking[name] = true
	defer delete(b.cacheWalking, name)
	own, _ := b.doc.RefCallee(name).Args.Get("results")
	served := !noResults(own) && b.hashCurrent(cb)
	place := b.placeAt
	if served {
		// cb's own run hashed it with its references resolved at its
		// own place: a dependency serves the reference only if served
		// there (hashCurrent at cb's place), the value the own run
		// got. One that ran for the own run (a :cache yes block
		// standing after cb) and is read back at the reference may
		// give another (fixture rerun_cache_dep_after_own.org): cb is
		// hashed again at run time (markOwnHash). Served at the own
		// place, it is at every place after.
		b.placeAt = cb.Start
		for _, raw := range b.resolvedRefTexts(cb) {
			if isLispForm(strings.TrimSpace(raw)) {
				// A Lisp form (org-babel-read: a list, a
				// backquote, a quote, a vector; parseRef reads
				// "`,n" as a name), evaluated again at each
				// reference: its value may hash otherwise.
				served = false
				break
			}
			r, ok := parseRef(raw)
			if !ok {
				continue
			}
			if _, data := b.doc.NamedData(r.name); data {
				if _, written := b.doc.NamedResultsBlock(r.name); written {
					// The results of a block, which it may
					// rewrite between the own run and the
					// reference.
					served = false
					break
				}
				continue
			}
			if r.call != nil && b.callRunsAgain(r.call) || r.call == nil && b.runsForRef(r.name) {
				served = false
				break
			}
			if b.refusedReadingRuns(r) {
				// A block :eval refuses, whose information Emacs
				// reads again at each reference, before the hash is
				// checked: the blocks it names run again there
				// (refusedref.go), runs the reference is to make.
				served = false
				break
			}
		}
	}
	b.placeAt = place
	if served {
		b.cacheServed[name] = true
	} else {
		b.cacheUnserved[name] = b.placeAt
	}
	return served
}

// noteTask numbers t, a task just planned, in the order tasks are
// planned (builder.madeSeq), and keeps the number of the last one that
// evaluates Lisp that may change the buffer, and of the last one whose
// Lisp only sets variables of the document's own (lispMayEdit), for
// cacheAcrossElisp.
func (b *builder) noteTask(t *Task) {
	if b.madeSeq == nil {
		b.madeSeq = map[*Task]int{}
	}
	seq := len(b.madeSeq) + 1
	b.madeSeq[t] = seq
	if blk := b.blocks[t]; blk != nil && !t.ReadsOutput {
		if b.lispNoted == nil {
			b.lispNoted = map[int]lispNote{}
		}
		// A Lisp :var value's task counts that value alone (lispMayEdit):
		// the header forms of its block count where a task of the block
		// itself is noted, which a block :eval refuses has none of
		// (refusedLispVars).
		note := notedVars
		if t.lispVar == nil {
			note = notedVars | notedHeader
		}
		b.lispNoted[blk.Start] |= note
	}
	switch b.lispMayEdit(t) {
	case lispEdits:
		if b.lastLispSeq == 0 {
			b.firstEditLine = t.Line
		}
		b.lastLispSeq = seq
	case lispSets:
		b.lastSetSeq = seq
	case lispPure:
		if b.lastLispSeq > 0 && b.evaluatesLisp(t) {
			// Pure only while the functions it calls are Emacs's
			// own: the Lisp before may have advised or redefined
			// them (advice-add, add-function, fset, defalias).
			b.lastPureSeq = seq
		}
	}
}

// evaluatesLisp reports whether Emacs evaluates Lisp of the document's
// as it runs t: an Emacs Lisp block, a Lisp :var value, or a Lisp form
// in a header argument of t's block (its own or a buffer's default).
func (b *builder) evaluatesLisp(t *Task) bool {
	if t.ReadsOutput {
		return false
	}
	if t.lispVar != nil || elispLangs[t.Lang] {
		return true
	}
	blk := b.blocks[t]
	return blk != nil && slices.ContainsFunc(blk.Args, func(a org.Arg) bool { return a.Form })
}

// headerLisp is what the Lisp forms in blk's header arguments (its own
// or the buffer's defaults: org.Arg.Form), which Emacs evaluates each
// time it reads the header (running the block, hashing it at a
// reference), and, for an Emacs Lisp block, its Lisp :var values, which
// Emacs evaluates as it runs it, may change.
func headerLisp(blk *org.Block) lispKind {
	kind := lispPure
	for _, a := range blk.Args {
		if a.Form {
			kind = max(kind, lispKindOf(a.Value))
		}
	}
	if elispLangs[blk.Lang] {
		for _, v := range blk.Vars {
			_, rhs, _ := strings.Cut(v, "=")
			rhs = trimVarComma(strings.TrimSpace(rhs))
			if _, literal, err := parseLiteral(rhs); isLispForm(rhs) && (err != nil || !literal) {
				kind = max(kind, lispKindOf(rhs))
			}
		}
	}
	return kind
}

// unnotedHeaderLisp is the line of the first executable standing before
// at whose header holds Lisp that is not pure and that no task noted
// (noteTask) counted: a Lisp form in a header argument no task of the
// block itself was planned for (headerLisp), as for a block :eval
// refuses, or a Lisp :var value of a source or inline block no task
// was planned for at all (as in the Org buffer read again,
// noRefusedCalls). Emacs evaluates both all the same as it reads the
// block's information (org-babel-get-src-block-info, not light), ahead
// of org-babel-check-evaluate and of the reference; it leaves a
// #+call: line's arguments unread where :eval refuses the call
// (org-babel-lob-get-info; fixture rerun_cache_eval_no_call_args.org).
// 0 for none. The executables with such Lisp are found once, and those
// standing first that tasks counted in full are passed once
// (builder.impureNoted).
func (b *builder) unnotedHeaderLisp(at int) int {
	if b.impureHeaders == nil {
		b.impureHeaders = []impureHeader{}
		for _, x := range b.doc.Executables() {
			var needs lispNote
			if slices.ContainsFunc(x.Args, func(a org.Arg) bool { return a.Form && !pureLisp(a.Value) }) {
				needs |= notedHeader
			}
			if x.Call == nil && impureLispVars(x.Vars) {
				needs |= notedVars
			}
			if needs != 0 {
				b.impureHeaders = append(b.impureHeaders, impureHeader{x, needs})
			}
		}
	}
	// What tasks noted is only ever added to (noteTask): the leading
	// entries fully counted stay so, and are passed once.
	h := b.impureHeaders
	for b.impureNoted < len(h) && h[b.impureNoted].needs&^b.lispNoted[h[b.impureNoted].blk.Start] == 0 {
		b.impureLooked++
		b.impureNoted++
	}
	for _, x := range h[b.impureNoted:] {
		b.impureLooked++
		if x.blk.Start >= at {
			break
		}
		if x.needs&^b.lispNoted[x.blk.Start] != 0 {
			return x.blk.Line
		}
	}
	return 0
}

// impureLispVars reports whether a value of vars, raw :var assignments,
// is a Lisp form Emacs evaluates (lispForms) that is not pure.
func impureLispVars(vars []string) bool {
	for _, rhs := range lispForms(vars) {
		if !pureLisp(rhs) {
			return true
		}
	}
	return false
}

// lispNote is what the tasks noted for a block (noteTask) counted of the
// Lisp Emacs evaluates reading its information (unnotedHeaderLisp).
type lispNote uint8

const (
	notedVars   lispNote = 1 << iota // its Lisp :var values
	notedHeader                      // the Lisp forms of its header arguments
)

// impureHeader is an executable whose information holds Lisp that is not
// pure, and what of it (unnotedHeaderLisp).
type impureHeader struct {
	blk   *org.Block
	needs lispNote
}

// lispKind is what Lisp of the document's Emacs evaluates may change.
type lispKind int

const (
	lispPure  lispKind = iota // nothing (pureLisp), or no Lisp of the document's
	lispSets                  // variables of the document's own alone (settingLisp)
	lispEdits                 // anything: the buffer, a variable Babel reads
)

// lispKindOf is the lispKind of src, Emacs Lisp forms.
func lispKindOf(src string) lispKind {
	switch {
	case pureLisp(src):
		return lispPure
	case settingLisp(src):
		return lispSets
	}
	return lispEdits
}

// lispMayEdit is what Lisp of the document's Emacs evaluates as it runs
// t may change: an Emacs Lisp block (its own run, a run a reference
// makes, a call, a :post, an inline block) or a Lisp :var value, pure
// (pureLisp: made only of functions that compute a value), setting
// variables of the document's own (settingLisp), or anything: any other
// Lisp may (a function it defines or calls, a macro, a hook, a variable
// Babel reads), Borges does not tell which does. The reading of a
// block's output by Emacs runs no Lisp of the document's.
func (b *builder) lispMayEdit(t *Task) lispKind {
	if t.ReadsOutput {
		return lispPure
	}
	if t.lispVar != nil {
		return lispKindOf(t.lispVar.form)
	}
	blk := b.blocks[t]
	if !elispLangs[t.Lang] {
		if blk == nil {
			return lispPure
		}
		return headerLisp(blk)
	}
	if blk == nil || blk.Call != nil {
		return lispEdits
	}
	for _, h := range []string{"prologue", "epilogue", "post"} {
		if _, ok := blk.Args.Get(h); ok {
			return lispEdits
		}
	}
	return max(headerLisp(blk), lispKindOf(blk.Body))
}

// cacheAcrossElisp is why Borges cannot tell whether a reference c, to
// the :cache yes block cb whose own run wrote its hash before the
// reference (hashCurrent), finds that hash current: Emacs evaluates
// Lisp of the document's between that own run (or the own run of a
// :cache yes block cb refers to, whose results hash it, cacheSpanStart)
// and the reference, which may change the buffer (cb's body, the data
// it reads, its results), and Babel hashes cb again at the reference.
// Every task planned so far is evaluated before the reference (the
// block whose reference it is, and a run it is made in, are planned
// once their references are), so the check is one comparison.
func (b *builder) cacheAcrossElisp(c *calledRef) string {
	name := c.name
	cb, err := b.calledWithMemo(c.name, c.header, c.args)
	if err != nil || !hashedBlock(cb) || !b.hashCurrent(cb) || !b.runsBlock(cb) {
		return ""
	}
	if rc := b.doc.RefCallee(name); rc == nil {
		return ""
	} else if own, _ := rc.Args.Get("results"); noResults(own) {
		return ""
	}
	if (c.args != "" || c.header != "") && !maps.Equal(varsBound(cb.Vars), varsBound(b.doc.RefCallee(name).Vars)) {
		// A call binding other values than the own run's: hashed
		// otherwise, never the own run's hash; Babel runs it, a run of
		// its own.
		return ""
	}
	if line := b.unnotedHeaderLisp(b.placeAt); line > 0 {
		return fmt.Sprintf("%s: a :cache yes block referred to after a header argument holding Lisp that is not pure (line %d: a Lisp form, or a Lisp :var value of a block :eval refuses), which Emacs evaluates as it reads that block's header though it runs no task of Borges's for it, and which may change the buffer or advise the functions Emacs runs: Babel hashes the block again here, and Borges cannot tell whether it runs it again (write the header argument's value itself, or drop :cache yes)", name, line)
	}
	if b.lastLispSeq == 0 && b.lastSetSeq == 0 {
		return ""
	}
	span := b.cacheSpanStart(name, cb, map[string]bool{})
	if b.lastLispSeq <= span {
		switch {
		case b.lastPureSeq > span:
			return fmt.Sprintf("%s: a :cache yes block whose own run stands before pure Emacs Lisp that Emacs evaluates ahead of this reference, pure only while the functions it calls are Emacs's own: Lisp of the document's that is not pure ran before it (line %d), which may have advised or redefined them (advice-add, add-function, fset, defalias, defun) to change the buffer, and Babel hashes the block again here: Borges cannot tell whether Babel runs it again (refer to it before that Emacs Lisp, or drop :cache yes)", name, b.firstEditLine)
		case b.lastSetSeq <= span:
			// Pure Lisp alone between, no Lisp that is not pure
			// before it.
			return ""
		case b.hasHeaderForms():
			return fmt.Sprintf("%s: a :cache yes block whose own run stands before Emacs Lisp that Emacs evaluates ahead of this reference and that sets a variable (setq), in a document with a Lisp form in a header argument, which Emacs evaluates again as it hashes a block, perhaps reading that variable, where Borges hashes the form as written: Borges cannot tell whether Babel runs the block again here (refer to it before the Emacs Lisp, or write the header argument's value itself)", name)
		case b.lastLispSeq == 0:
			// Lisp that sets or defines variables of the document's
			// own alone (settingLisp), no other Lisp of the
			// document's evaluated before it (none made such a
			// variable an alias of one Emacs or Babel reads,
			// watched it, advised or hooked a function), changes
			// nothing Babel hashes but the values of Lisp Emacs
			// evaluates at the reference: its Lisp :var values,
			// evaluated again there (tasks: a run of its own, whose
			// hash the engine compares, markOwnHash), or Emacs Lisp
			// blocks it refers to, run again there.
			return ""
		}
		return fmt.Sprintf("%s: a :cache yes block whose own run stands before Emacs Lisp that Emacs evaluates ahead of this reference and that sets a variable (setq), after Lisp of the document's that is not pure (line %d), which may have tied that variable to something Emacs or Babel reads or does (defvaralias, add-variable-watcher, advice, a hook): Borges cannot tell whether Babel runs the block again here (refer to it before the Emacs Lisp that sets the variable, or drop :cache yes)", name, b.firstEditLine)
	}
	return fmt.Sprintf("%s: a :cache yes block whose own run stands before Emacs Lisp that Emacs evaluates ahead of this reference (an Emacs Lisp block, a run or call of one, a Lisp :var value): Babel hashes the block again here, with the buffer as that Lisp left it (its body, the data it reads, its results), and runs it again where the hash differs, which Borges cannot tell of any Lisp (refer to it before the Emacs Lisp, or drop :cache yes; Lisp that only sets variables of the document's own, (setq n (1+ n)), named without a '-' or with a prefix none of Emacs's symbols has (my-count, not user-count), does not count where no other Lisp of the document's ran before it)", name)
}

// hasHeaderForms reports whether a header argument of an executable of
// the document holds a Lisp form Babel evaluates as it reads the header
// (org.Arg.Form), where Borges
// hashes what is written: a variable Lisp of the document's sets may
// change its value (cacheAcrossElisp). Looked at once.
func (b *builder) hasHeaderForms() bool {
	if b.headerForms == 0 {
		b.headerForms = 1
		for _, x := range b.doc.Executables() {
			if slices.ContainsFunc(x.Args, func(a org.Arg) bool { return a.Form }) {
				b.headerForms = 2
				break
			}
		}
	}
	return b.headerForms == 2
}

// varsBound is what raw :var assignments ("n=1", in Babel's order)
// bind, by name: the last of a name wins, as a call's arguments win
// over the block's.
func varsBound(vars []string) map[string]string {
	bound := map[string]string{}
	for _, v := range vars {
		name, value, _ := strings.Cut(v, "=")
		bound[strings.TrimSpace(name)] = strings.TrimSpace(value)
	}
	return bound
}

// cacheSpanStart is the number (builder.madeSeq) of the own run of the
// :cache yes block name (cb) or, earlier, of a :cache yes block it
// refers to, in turn: Emacs Lisp evaluated after it may change what
// hashes cb at a later reference. 0 where an own run is not found (any
// Lisp counts). Kept by name: a chain is walked once.
func (b *builder) cacheSpanStart(name string, cb *org.Block, seen map[string]bool) int {
	if at, ok := b.cacheSpan[name]; ok {
		return at
	}
	if seen[name] {
		return 0
	}
	seen[name] = true
	at := 0
	if own := b.byName[name]; own != nil && b.blocks[own] != nil && b.blocks[own].Start == cb.Start {
		at = b.madeSeq[own]
	}
	final := true
	for _, raw := range b.resolvedRefTexts(cb) {
		r, ok := parseRef(raw)
		if !ok || r.call != nil {
			continue
		}
		dep, err := b.calledWithMemo(r.name, "", "")
		if err != nil || !hashedBlock(dep) {
			continue
		}
		if _, kept := b.cacheSpan[r.name]; !kept && seen[r.name] {
			final = false
		}
		at = min(at, b.cacheSpanStart(r.name, dep, seen))
	}
	if at > 0 && final {
		if b.cacheSpan == nil {
			b.cacheSpan = map[string]int{}
		}
		b.cacheSpan[name] = at
	}
	return at
}

// markRefRuns gives each task the blocks the runs its references make
// run (Task.refRuns): the block a run of its own for a reference (rerun)
// or a call with arguments runs, and those its own references run, in
// turn. Each task is walked once.
func (b *builder) markRefRuns() {
	done := map[*Task]bool{}
	var walk func(t *Task)
	walk = func(t *Task) {
		if done[t] {
			return
		}
		done[t] = true
		// have is the set of t.refRuns, while they are gathered: a
		// chain of n blocks gives its runs up to n names each.
		var have map[string]bool
		add := func(n string) {
			if have == nil {
				have = map[string]bool{}
				for _, x := range t.refRuns {
					have[x] = true
				}
			}
			if !have[n] {
				have[n] = true
				t.refRuns = append(t.refRuns, n)
			}
		}
		for _, a := range t.After {
			d := b.byName[a]
			if d == nil || d.called == nil || d.Index >= 0 || d.Post {
				continue
			}
			walk(d)
			add(d.called.name)
			for _, n := range d.refRuns {
				add(n)
			}
		}
	}
	for _, t := range b.plan.Tasks {
		walk(t)
	}
}

// runsRef reports whether a run t's references make runs block name
// (markRefRuns).
func (t *Task) runsRef(name string) bool { return slices.Contains(t.refRuns, name) }

// markOwnHash marks rt, a run of its own for a plain reference to name,
// when name is a :cache yes block whose own run stood before the
// reference and wrote its hash there (no :post, no reading of its output
// by Emacs: its results are its value), but whose references run again
// at the reference (cacheServes says no): Emacs resolves them, hashes
// the block with their values, and reads the own run's results back
// where the hash is the one written. rt waits for the own run and what
// it waited for, whose values hash it (ownCacheCurrent).
func (b *builder) markOwnHash(name string, rt *Task) {
	cb := b.doc.RefCallee(name)
	if rt == nil || cb == nil || !rt.Cache || !hashedBlock(cb) || !b.hashCurrent(cb) {
		return
	}
	if own, _ := cb.Args.Get("results"); noResults(own) {
		return
	}
	own := b.byName[name]
	if own == nil || own.Index < 0 || b.blocks[own] == nil || b.blocks[own].Start != cb.Start || b.postOf[name] != "" {
		return
	}
	for _, t := range b.plan.Tasks {
		if (t.Post || t.ReadsOutput) && t.owner == own {
			return
		}
	}
	rt.ownHash = own
	for _, a := range append([]string{own.Block}, own.After...) {
		if !slices.Contains(rt.After, a) {
			rt.After = append(rt.After, a)
		}
	}
}

// plainRefRun reports whether t is a run of its own for a plain
// reference (no arguments, no header: rerun), not a call's.
func (t *Task) plainRefRun() bool {
	return t.called != nil && t.Index < 0 && t.called.args == "" && t.called.header == "" && !t.Post && !t.ReadsOutput && t.lispVar == nil
}

// unreachedAt reports whether the executable starting at start is one
// org-babel-execute-buffer never reaches in the Org buffer read again
// (builder.unreached, by index; a block CalledWith gives is numbered
// otherwise, so it is found by where it starts).
func (b *builder) unreachedAt(start int) bool {
	if len(b.unreached) == 0 {
		return false
	}
	if b.unreachedStarts == nil {
		b.unreachedStarts = map[int]bool{}
		for _, x := range b.doc.Executables() {
			if b.unreached[x.Index] {
				b.unreachedStarts[x.Start] = true
			}
		}
	}
	return b.unreachedStarts[start]
}
