package plan

import (
	"path"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// calledRef is a reference that calls a block with arguments,
// "name[header](args)": Babel runs the block with them for the value
// (org-babel-ref-resolve); for Borges it is a task of its own, named by
// the reference, whose results are written nowhere.
type calledRef struct {
	name, header, args string
}

// key is the task's name: the reference as written, without blanks
// around its parts.
func (c calledRef) key() string {
	k := c.name
	if c.header != "" {
		k += "[" + c.header + "]"
	}
	return k + "(" + c.args + ")"
}

// parsedRef is a reference as org-babel-ref-resolve reads it: a name,
// maybe called with a header and arguments, maybe indexed.
type parsedRef struct {
	name  string
	call  *calledRef // nil unless called with arguments or a header
	index string
}

// parseRef reads "name", "name[1,0]", "name(x=1)", "name[:results raw](x=1)[0]".
func parseRef(ref string) (parsedRef, bool) {
	var r parsedRef
	ref = strings.TrimSpace(ref)
	// An index is the last bracketed text, when the parentheses before
	// it balance.
	if strings.HasSuffix(ref, "]") {
		if i := strings.LastIndexByte(ref, '['); i > 0 {
			before := ref[:i]
			if strings.Count(before, "(") == strings.Count(before, ")") {
				r.index, ref = ref[i+1:len(ref)-1], before
				if r.index == "" {
					return r, false // "name[]" names nothing in Emacs
				}
			}
		}
	}
	r.name = ref
	if strings.HasSuffix(ref, ")") {
		j := strings.IndexAny(ref, "[(")
		if j <= 0 {
			return r, false
		}
		c := &calledRef{name: ref[:j]}
		rest := ref[j:]
		if rest[0] == '[' {
			k := strings.LastIndex(rest, "](")
			if k < 0 {
				return r, false
			}
			c.header, rest = strings.TrimSpace(rest[1:k]), rest[k+1:]
		}
		c.args = strings.TrimSpace(rest[1 : len(rest)-1])
		r.name = c.name
		if c.header != "" || c.args != "" {
			r.call = c
		}
	}
	// A name may hold "=": org-babel-parse-multiple-vars joins
	// ":var x= y=2" into x and the reference "y=2", which Babel looks
	// for as it is.
	if r.name == "" || strings.ContainsAny(r.name, "()[] \t\n") {
		return r, false
	}
	return r, true
}

// postStop records that Emacs stops with why resolving t's :post,
// before it writes the results of t's block (markStopped), wherever the
// block called stands. Inside a chain (t's own block called by a :post),
// Emacs stops in the :post that starts it: at the chain's first block.
// Any other stop there comes first (setStop).
func (b *builder) postStop(t *Task, why string) {
	at := t.Block
	if len(b.posting) > 0 && b.posting[0].task != "" {
		at = b.posting[0].task
	}
	if b.stopOf[at] == "" {
		b.stopOf[at], b.postStopAt[at] = why, true
	}
}

// calledTask is the task that runs a block called with arguments, made
// on first use (before the task that needs it, so that tasks stay in an
// order they can run in); "" when it cannot be, the problem reported.
func (b *builder) calledTask(blk *org.Block, t *Task, arg string, c *calledRef) string {
	return b.calledTaskNamed(blk, t, arg, c, c.key())
}

func (b *builder) calledTaskNamed(blk *org.Block, t *Task, arg string, c *calledRef, key string) string {
	if b.byName[key] != nil || b.calling[key] {
		if ct := b.byName[key]; ct != nil && !b.calling[key] {
			b.repeatedRefLispVars(t, ct)
		}
		if post := b.postOf[key]; post != "" {
			return post
		}
		return key
	}
	cb, err := b.doc.CalledWith(c.name, c.header, c.args)
	if why := org.EmacsStop(err); why != "" {
		// Emacs stops merging the arguments, at the turn of the
		// executable that reaches t (markStopped).
		b.setStop(t.Block, why)
		return ""
	}
	if err != nil {
		b.problem(blk, t.Block, arg, "%s: %v", key, err)
		return ""
	}
	if arg == ":post" {
		if why := postCalleeStop(cb); why != "" {
			b.postStop(t, why)
			return ""
		}
	}
	own := b.refCalleeBlock(cb)
	b.called++
	cb.Index, cb.Name, cb.Call = -b.called, key, nil
	b.calling[key] = true
	b.calledName[key] = c.name
	// What its task is called with, for its hash before it is
	// planned whole (cachedNow).
	b.callingRef[key] = c
	defer delete(b.callingRef, key)
	if n := len(b.posting); n > 0 && arg != ":post" {
		// Babel runs the block inside the :post being planned, its own
		// :post included: a frame of the chain. A block run again for
		// a reference (rerun) has the reference after its caller's
		// name in its key.
		via, shown := arg+" "+key, key
		if what, ok := strings.CutPrefix(key, b.refBy(t)+" "); ok {
			// The reference as written, without rerunName's number.
			via, shown = trimRunSeq(what), c.name
		}
		b.posting = append(b.posting, postCall{name: c.name, shown: shown, via: b.posting[n-1].name + " " + via})
	}
	b.block(cb)
	if n := len(b.posting); n > 0 && arg != ":post" {
		b.posting = b.posting[:n-1]
	}
	delete(b.calling, key)
	if ct := b.byName[key]; ct != nil {
		ct.called = c
		if arg != ":post" {
			ct.callOf = t.Block
		}
		b.replacedLispVars(own, cb, ct)
		ct.CalledResultsRewritten = ct.Cache && !b.calledResultsKept(c.name)
		ct.ownCacheHit = arg != ":post" && b.hitsOwnCache(ct, c.name)
	}
	if post := b.postOf[key]; post != "" {
		return post
	}
	return key
}

// CallOf is, for the task of a run a block's reference makes at its
// place (a call with arguments, the first place's named by the call,
// calledTask; a run again, rerun), the name of the task whose run
// resolves the reference: t's block for a reference it makes, the call's
// own task for one inside the called block (h calls f(n=1), whose :var
// calls g(n=2): g's run is f(n=1)'s). Emacs resolves the reference anew
// each time that block is evaluated, so a restart of it runs those again
// (the engine's callRunsOf). "" for any other task: a :post's (PostOwner).
func (t *Task) CallOf() string { return t.callOf }

// OwnCacheHit reports, for the task of a call (CallOf), that its callee
// is :cache yes and the call hashes as the callee's own place does (its
// arguments are the callee's own), both known before anything runs:
// Emacs then reads the callee's results back and runs nothing. The first
// run of the document still runs the call (calledResultsKept); a restart
// of its caller does not run it again (the engine's callRunsOf).
func (t *Task) OwnCacheHit() bool { return t.ownCacheHit }

// hitsOwnCache reports whether ct, the task of a call of block name,
// has the hash of name's own task (OwnCacheHit).
func (b *builder) hitsOwnCache(ct *Task, name string) bool {
	own := b.byName[name]
	if !ct.Cache || own == nil || own.Index < 0 || own.owner != nil || len(ct.After) > 0 || len(own.After) > 0 || ct.lispVar != nil {
		return false
	}
	h, err := CacheHash(b.doc, ct, nil)
	ho, erro := CacheHash(b.doc, own, nil)
	return err == nil && erro == nil && h != "" && h == ho
}

// postTask plans a block's :post: the block named there, called with its
// arguments, "*this*" in them (or in its own :var) bound to the block's
// result; its result is written in the block's place
// (org-babel-execute-src-block binds *this* and resolves the reference).
// A block called with arguments keeps its :post too: its value is the
// :post's result (see builder.postOf).
func (b *builder) postTask(blk *org.Block, t *Task) {
	post, ok := blk.Args.Get("post")
	if !ok || post == "" || t.cachedNow {
		return
	}
	if slices.Contains(strings.Fields(t.Results), "none") {
		// org-babel-execute-src-block runs the body alone under
		// :results none: no value, no :post.
		return
	}
	r, ok := parseRef(post)
	if !ok || r.index != "" {
		b.problem(blk, t.Block, ":post", "%q is not a call of a block (name, or name(x=*this*))", post)
		return
	}
	c := r.call
	if c == nil {
		c = &calledRef{name: r.name}
	}
	name := blk.Name
	if called, ok := b.calledName[name]; ok {
		name = called
	}
	if len(b.posting) == 0 {
		b.posting = []postCall{{name: name, shown: t.Block, blk: blk, task: t.Block}}
		defer func() { b.posting = nil }()
	}
	b.posting[len(b.posting)-1].post = post
	for _, p := range b.posting {
		if p.name == c.name && p.name != "" {
			// Emacs runs the :post of every block a :post calls (and
			// of every block called inside it): one that comes back to
			// a block of the chain recurses until Emacs exceeds its
			// depth. The document is refused at the block the chain
			// starts from, with the chain as written.
			outer := b.posting[0]
			var steps []string
			for _, q := range b.posting {
				if q.via != "" {
					steps = append(steps, q.via)
				}
				if q.post != "" {
					steps = append(steps, q.shown+" :post "+q.post)
				}
			}
			b.postCycleAt[outer.task] = true
			b.problem(outer.blk, outer.task, ":post", "%s → %s: the chain comes back to a block it runs, and Emacs runs them again without end (until it exceeds its depth)", strings.Join(steps, " → "), c.name)
			return
		}
	}
	outer := b.this
	b.this = t.Block
	direct := t.Block + " :post " + c.key()
	b.posting = append(b.posting, postCall{name: c.name, shown: c.name, key: direct})
	first := len(b.plan.Tasks)
	restore := b.resolveIn(t.Dir)
	key := b.calledTaskNamed(blk, t, ":post", c, direct)
	restore()
	b.runInDir(t.Dir, b.plan.Tasks[first:])
	if len(b.posting) > 0 {
		b.posting = b.posting[:len(b.posting)-1]
	}
	b.this = outer
	if b.byName[direct] == nil && b.refusedNames[direct] {
		b.refusedPost(blk, t, c, direct)
		return
	}
	pt, last := b.byName[direct], b.byName[key]
	if pt == nil || last == nil {
		return
	}
	if t.called != nil || blk.Index < 0 {
		b.postOf[t.Block] = key
	}
	// The :post's task takes the block's result as *this*. When the
	// block it calls has a :post of its own (key names the last task of
	// that chain), that one's result is the block's, written in its
	// place: the tasks between write nowhere.
	pt.ResultsWith, pt.resultsAt, pt.Post, pt.owner = t.Block, t.ResultsIndex(), true, t
	if pt.elispErrorStops() {
		// An Emacs Lisp block that signals an error inside the :post:
		// org-babel-execute-buffer stops there, before it writes
		// the results of t's block (LispErrorStop).
		pt.FailureStops = true
	}
	if !pt.ContinueOnFailure {
		// The Lisp :var values of the block the :post calls, and of
		// the blocks its :var values, noweb references and :stdin run
		// (postKey): Emacs evaluates them inside the :post, and an
		// error there stops org-babel-execute-buffer as the block's
		// own would.
		// So are the runs of Emacs Lisp blocks those references make
		// (refPostKey): the block's own Lisp :var values and its body.
		for x := range b.postLispRuns(pt, direct) {
			b.postVisited++
			if x.lispVar != nil && (x.lispVar.owner == pt || x.lispVar.postKey == direct) && !x.ContinueOnFailure {
				x.FailureStops, x.lispVar.post = true, pt
				pt.postLispVars = append(pt.postLispVars, x.Block)
			}
			if x.refRunStops && x.refPostKey == direct && x.FailureStops {
				x.refRunPost = pt
				pt.postLispVars = append(pt.postLispVars, x.Block)
			}
		}
	}
	// Whether the block the :post calls is :cache yes, as called.
	pt.CalledCache = pt.Cache && b.calledResultsKept(c.name)
	pt.PostOfFile = t.File != ""
	if last != pt {
		pt.resultsAt, pt.postLink = -1, true
		last.resultsAt, last.owner, last.PostOfFile = t.ResultsIndex(), t, pt.PostOfFile
	}
	last.postChain = append([]string{post}, last.postChain...)
	if last == pt {
		last.postChain = last.postChain[:1]
	}
	// The results carry the block's :cache hash, computed from the
	// values of the block's own dependencies.
	last.Cache = t.Cache
	last.After = append(last.After, t.After...)
	if last != pt {
		// What the block's own names and :cache are worked out from.
		pt.After = append(pt.After, t.After...)
	}
}

// runInDir places the runs a reference makes (ran, the tasks planned for
// it: the block it calls, and the runs its references make) in the
// :dir of the block that makes it, dir, where Babel resolves it inside
// org-babel-execute-src-block's binding of default-directory to that
// :dir (a :post, a shell block's :stdin): expand-file-name takes a
// relative :dir of theirs from there, and those with none run there. A
// task of a session keeps its own: its interpreter, started once, has
// its own directory.
func (b *builder) runInDir(dir string, ran []*Task) {
	if dir == "" {
		return
	}
	for _, x := range ran {
		switch {
		case x.Session != nil:
		case x.Dir == "":
			x.Dir = dir
		case !absDir(x.Dir):
			x.Dir = path.Join(dir, x.Dir)
		}
	}
}

// resolveIn has the references planned until restore is called resolved
// in dir, a block's :dir (rerun runs a block named again there, where its
// own run is elsewhere: runsElsewhere); nested, under the outer one's too.
func (b *builder) resolveIn(dir string) (restore func()) {
	old := b.inDir
	if dir != "" {
		b.inDir = dir
	}
	return func() { b.inDir = old }
}

// absDir reports whether a :dir is one expand-file-name takes from no
// other directory: absolute, or under ~.
func absDir(d string) bool {
	return path.IsAbs(d) || d == "~" || strings.HasPrefix(d, "~/")
}

// refusedPost handles t's :post calling c, a block :eval refuses (no or
// never, :noeval; its task would be direct): org-babel-execute-src-block
// runs t's block, then org-babel-ref-resolve runs the call, which reads
// the block's information (its own :var values; the call's arguments,
// *this* bound to the block's result, merged unevaluated) before
// org-babel-check-evaluate refuses it, and gives the nil it gets as the
// string "nil": t's value (Task.PostNil), no task run for the call.
// The block's own Lisp :var values (the arguments replace none of them
// there) are evaluated, each a task of its own tied to the :post
// (refusedPostLispVars): an error stops the document at t's block, its
// results kept, as for a block the :post runs. Where reading that
// information may signal or run anything else (refusedReadWhy), the
// document is refused, as a reference to such a block is
// (refusedUnread).
func (b *builder) refusedPost(blk *org.Block, t *Task, c *calledRef, direct string) {
	cb, err := b.doc.CalledWith(c.name, c.header, c.args)
	if err != nil {
		return
	}
	own := b.refCalleeBlock(cb)
	read := *cb
	if own != nil {
		// org-babel-get-src-block-info resolves the block's own :var
		// values; the call's arguments are merged after it, and
		// org-babel-check-evaluate refuses the block before they are
		// evaluated. Its own Lisp values are evaluated by their
		// tasks, not refused.
		read.Vars = slices.DeleteFunc(slices.Clone(own.Vars), func(raw string) bool {
			_, _, ok := lispForm(raw)
			return ok
		})
	}
	if why := refusedReadWhy(&read, true); why != "" {
		b.problem(blk, t.Block, ":post", "calls block %q, which Borges does not run (%s): %s", c.name, b.skipped[direct].Reason, why)
		return
	}
	if own != nil {
		b.refusedPostLispVars(own, t, direct)
	}
	t.PostNil = true
}

// refusedPostLispVars plans the tasks evaluating the Lisp :var values of
// own, the block :eval refuses that t's :post (direct, the key its task
// would have) calls: org-babel-ref-resolve reads its information (not
// light) with point at it, evaluating them all, once t's block has run,
// before org-babel-check-evaluate refuses it. Each is a task of its own
// for this :post (named after direct), tied to t (lispVarRef.post,
// refused): an error stops the document at t's block, whose results stay
// as they were (the engine's lispVarFails).
func (b *builder) refusedPostLispVars(own *org.Block, t *Task, direct string) {
	if t.ContinueOnFailure {
		return
	}
	owner := &Task{Block: BlockName(own), Index: own.Index, Line: own.Line}
	for k, rhs := range lispForms(own.Vars) {
		lt := b.byName[b.lispVarTaskKeyed(own, owner, direct+" :var "+k+"="+rhs, rhs)]
		if lt == nil || lt.lispVar == nil {
			continue
		}
		lt.FailureStops, lt.lispVar.post, lt.lispVar.refused = true, t, true
		if !slices.Contains(t.postLispVars, lt.Block) {
			t.postLispVars = append(t.postLispVars, lt.Block)
		}
	}
}

// postCall is a block being planned inside a :post chain: its name (for
// a called block, the name it calls), the name a message shows, its
// :post, how the block before reached it (a :var, noweb or :stdin
// calling it; "" for a :post), for the block a :post calls, the key of
// the :post's task, and for the outermost, the block and task a problem
// is reported at.
type postCall struct {
	name, shown, post, via, key string
	blk                         *org.Block
	task                        string
}

// PostOwner is, for a task of a :post chain, the name of the block whose
// :post starts the chain (whose results the chain writes); "" for any
// other task.
func (t *Task) PostOwner() string {
	if !t.Post {
		return ""
	}
	if o := t.postRoot(); o != nil {
		return o.Block
	}
	return ""
}

// postsByOwner are the tasks of each :post chain of tasks, in plan
// order, by the name of the block whose :post starts it (PostOwner):
// made once, so that finding a block's chain looks at it alone.
func postsByOwner(tasks []*Task) map[string][]*Task {
	m := map[string][]*Task{}
	for _, x := range tasks {
		if !x.Post {
			continue
		}
		if o := x.PostOwner(); o != "" {
			m[o] = append(m[o], x)
		}
	}
	return m
}

// ChainRoot is the task whose results t's go in place of: up its chain
// of :post tasks and readings of a block's output in Emacs (ResultsWith),
// t itself for a block's own run. When a task of a :post chain stops the
// document, Emacs has not yet written the root's value (it resolves a
// block's :post before org-babel-insert-result): the results in the
// root's place stay as they were before the root ran. For a second
// block of a name that is the first block's value, not the old results,
// so the root is a task, not a place. The engine and the differential
// runner both ask it, so that they keep the same results. byName gives
// the task of a block name; n bounds the chain (a chain longer goes
// round). nil when a task of the chain is not known.
func ChainRoot(t *Task, byName func(string) *Task, n int) *Task {
	for i := 0; t != nil && (t.Post || t.ReadsOutput); i++ {
		if i > n {
			return nil
		}
		t = byName(t.ResultsWith)
	}
	return t
}

// Shown is the task's name as the user wrote it, for messages: for the
// task of a :post chain whose result is the block's, the block's name
// (a reference to the block reaches that task); for one before it in
// the chain, the block's :post up to it ("main's :post f(x=*this*)");
// for a run a reference makes (every reference is a run of its own:
// "uses :var x=broken"), the block it runs as the reference wrote it
// ("broken", "f(y=1)"); otherwise the task's name.
func (t *Task) Shown() string {
	o := t.PostOwner()
	if o == "" && t.RunOf() != "" {
		return t.RunOf()
	}
	if o == "" {
		return t.Block
	}
	// A :post chain of a run a reference makes is shown as the chain
	// of the block it runs ("main", not "user :var m=main").
	shown := o
	if r := t.postRoot(); r != nil && r.RunOf() != "" {
		shown = r.RunOf()
	}
	if !t.postLink && t.owner != nil && !t.owner.Post {
		return shown
	}
	return shown + "'s :post " + strings.TrimPrefix(t.Block, o+" :post ")
}

// postRoot is the task whose :post chain t, a task of such a chain,
// belongs to (PostOwner's task); nil for none.
func (t *Task) postRoot() *Task {
	o := t.owner
	// A task deeper in a chain is owned by the one before it; bounded,
	// as a chain is planned without cycles (a cycle is refused).
	for i := 0; o != nil && o.Post && i < 1000; i++ {
		o = o.owner
	}
	if o == nil || o.Post {
		return nil
	}
	return o
}

// RunOf is, for a run a reference makes (a task of its own: "uses :var
// x=broken"), the block it runs as the reference wrote it ("broken", a
// call with arguments "f(y=2)"); "" for any other task.
func (t *Task) RunOf() string {
	if t.called == nil || t.callOf == "" || t.Index >= 0 || t.Post || t.ReadsOutput {
		return ""
	}
	if t.called.header == "" && t.called.args == "" {
		return t.called.name
	}
	return t.called.key()
}

// RunsBlock is, for a run a reference makes (RunOf), the name of the
// block it runs ("f" for "f(y=2)"); "" for any other task.
func (t *Task) RunsBlock() string {
	if t.RunOf() == "" {
		return ""
	}
	return t.called.name
}

// PostShown is how a task of a :post chain is shown to users: the block
// whose :post starts the chain, and the chain as written up to the task,
// "main (:post f(s=*this*))", "main (:post p(x=*this*) :post q(y=*this*))";
// "" for any other task.
func (t *Task) PostShown() string {
	o := t.PostOwner()
	if o == "" {
		return ""
	}
	return o + " (:post " + strings.TrimPrefix(t.Block, o+" :post ") + ")"
}

// postCalleeStop is the error Emacs stops with running block cb (its
// arguments merged) for a :post, "" for none: org-babel-execute-src-block
// asks whether to run a block :eval query (org-babel-confirm-evaluate,
// yes-or-no-p, which reads standard input in batch: QueryStop), then
// finds no function to run one of a language Babel does not know. It
// looks for the function after org-babel-check-evaluate: a block :eval
// no gives nil (evalChecked), as b.block plans it. A block whose header
// Babel cannot merge, or that Borges refuses, is left to b.block, which
// plans it as any block called: it records the stop Emacs makes reading
// its header (stopOf), which reaches the block calling it, or refuses the
// document (Problem), so that nothing of such a :post runs unchecked.
func postCalleeStop(cb *org.Block) string {
	switch {
	case cb.Stop != "" || cb.Problem != "":
		return ""
	case evalQuery(cb.Args):
		return QueryStop
	case !evalChecked(cb.Args) && !runnableLang(cb):
		return noExecuteFunction(cb.Lang)
	}
	return ""
}

// evalChecked reports whether org-babel-execute-src-block decides a
// block's run by its :eval before it looks for the language's
// org-babel-execute function: refused (evalRefused, the value nil) or
// asked about (evalQuery, a stop in batch).
func evalChecked(args org.Args) bool {
	_, refused := org.EvalRefused(args)
	return refused || evalQuery(args)
}
