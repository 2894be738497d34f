package plan

import (
	"fmt"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// refEmptyStop is the error org-babel-ref-resolve signals for an empty
// :var value (":var y="): org-babel-read gives "" back, and the empty
// name is looked for as a reference.
var refEmptyStop = org.RefNotFound("")

// voidThisStop is the error org-babel-read signals evaluating *this*
// where nothing binds it: reading, not light, the information of a
// block :eval refuses at its own turn.
const voidThisStop = "Symbol’s value as variable is void: *this*"

// refusedReadStop is the error Emacs signals reading the information of
// blk, a block :eval refuses (or asks about), as
// org-babel-get-src-block-info reads it, not light, before
// org-babel-check-evaluate looks at :eval, where Borges knows it
// without running anything: an empty :var value ("Reference ‘’ not
// found in this buffer"); *this*, which nothing binds at the block's
// own turn (this: the caller says so; void-variable); a :file-ext that
// is a number, which org-babel-generate-file-param joins to
// the block's #+name (no :file given) with concat (wrong-type-argument
// sequencep). n is the number of :var values org-babel-ref-parse
// resolves before it signals (all of them for the :file-ext): those
// references are resolved first, and may stop Emacs before. "" where
// reading it signals nothing Borges knows of: a header value evaluated
// as Lisp (merged before the :var values are read), a Lisp :var value
// before the one that would signal, row names taken off a list.
func refusedReadStop(blk *org.Block, this bool) (why string, n int) {
	if blk.ReadsLisp {
		return "", 0
	}
	for _, a := range blk.Args {
		if a.Form {
			return "", 0
		}
	}
	for i, raw := range blk.Vars {
		_, rhs, ok := strings.Cut(raw, "=")
		if !ok {
			return "", 0 // org.Block.Stop says what Emacs signals
		}
		rhs = trimVarComma(strings.TrimSpace(rhs))
		switch {
		case rhs == "":
			return refEmptyStop, i
		case rhs == "*this*":
			if !this {
				return "", 0
			}
			return voidThisStop, i
		}
		if _, _, err := parseLiteral(rhs); err != nil {
			// A Lisp value evaluated: Borges does not tell what
			// it does.
			return "", 0
		}
	}
	if rownames, ok := blk.Args.Get("rownames"); ok && rownames != "no" {
		for _, raw := range blk.Vars {
			if _, rhs, _ := strings.Cut(raw, "="); !isLiteralScalar(rhs) {
				// A reference's value may be a list: row names
				// taken off it may signal.
				return "", 0
			}
		}
	}
	ext, ok := blk.Args.Lookup("file-ext")
	if !ok || ext.String || ext.Printed || blk.Name == "" {
		return "", 0
	}
	// This relies on org.Parse (its fileParam,
	// org-babel-generate-file-param) putting the :file it generates
	// from the name and the :file-ext first among the block's Args,
	// where no :file is given: any other :file is the block's own.
	if _, dir := blk.Args.Get("output-dir"); dir || len(blk.Args) == 0 || blk.Args[0].Key != "file" || blk.Args[0].Value != blk.Name+"."+ext.Value {
		// A :file of its own (no :file-ext joined), or the
		// :output-dir made first.
		return "", 0
	}
	if n, isNum := lispNumber(ext.Value); isNum {
		return "Wrong type argument: sequencep, " + n, len(blk.Vars)
	}
	// (A symbol org.Parse refuses.)
	return "", 0
}

// isLiteralScalar reports whether the :var value rhs is a literal that
// is no list.
func isLiteralScalar(rhs string) bool {
	v, literal, err := parseLiteral(trimVarComma(strings.TrimSpace(rhs)))
	return err == nil && literal && !v.IsList
}

// refusedRefStop is the error Emacs stops with reading the information
// of blk, a block :eval refuses that a reference reaches
// (org-babel-ref-resolve), where Borges knows it (refusedReadStop)
// and nothing is resolved before it: no :var value before the one that
// signals is a reference. *this* is left out: a block run before may
// have bound it.
func refusedRefStop(blk *org.Block) string {
	why, n := refusedReadStop(blk, false)
	if why == "" {
		return ""
	}
	for _, raw := range blk.Vars[:n] {
		if _, _, _, ref := varRef(raw); ref {
			return ""
		}
	}
	return why
}

// refusedReading is what refusedRead finds of a reference to a block
// :eval refuses: found, whether it is one; why, why reading its
// information may signal or run something ("" where the reference is
// "nil"); stop, the error Emacs stops with reading it, where Borges
// knows it (refusedRefStop).
type refusedReading struct {
	found     bool
	why, stop string
}

// refusedReadStops stops task t where Emacs stops reading the block
// :eval refuses that its reference a reaches (read.stop): at t's turn,
// as any stop its references reach (stopOf); t, never run, names no
// task for a (bindNil). An :after name Emacs never reads is left as
// before. It reports whether it stopped t.
func (b *builder) refusedReadStops(t *Task, a string, read refusedReading) bool {
	if !read.found || read.stop == "" || argFor(t, a) == ":after" {
		return false
	}
	if b.stopOf[t.Block] == "" {
		b.stopOf[t.Block] = read.stop
		if b.readStops == nil {
			b.readStops = map[string]string{}
		}
		b.readStops[t.Block] = read.stop
	}
	// Never run: it names no task for a.
	bindNil(t, a)
	return true
}

// refusedBound reports whether t's reference a, to a block :eval
// refuses (read, refusedRead), is settled: the string "nil"
// (refusedIsNil), or a stop at t's turn (refusedReadStops).
func (b *builder) refusedBound(t *Task, a string, read refusedReading) bool {
	return b.refusedIsNil(t, a, read) || b.refusedReadStops(t, a, read)
}

// refusedCallRead is refusedRead of a, the task name of a call with
// arguments ("e(n=5)", "e[:results raw](n=5)") of a block :eval
// refuses: org-babel-ref-resolve runs the block with them
// (org-babel-execute-src-block), which reads the block's own
// information (refusedRead of its name: the call's arguments replace
// none of its :var values there), parses the call's header (not light:
// a Lisp value of it is evaluated), and merges the arguments, their
// :var values unresolved, before org-babel-check-evaluate refuses it:
// "nil" where the block's own reading is, and the call's header holds
// no Lisp. A name that is not such a call is not found (left as
// before).
func (b *builder) refusedCallRead(a string) refusedReading {
	name, called := b.calledName[a]
	r, ok := parseRef(a)
	if !called || !ok || r.call == nil || r.name != name || r.index != "" || b.skipped[name] == nil {
		return refusedReading{}
	}
	read := b.refusedRead(name)
	if !read.found || read.why != "" {
		return read
	}
	cb, err := b.doc.CalledWith(r.call.name, r.call.header, r.call.args)
	if err != nil {
		return refusedReading{}
	}
	// The block's own header holds no Lisp (refusedReadWhy): what
	// the merged one holds is the call's.
	for _, arg := range cb.Args {
		if arg.Form {
			read.why = "Emacs reads the header of the call before :eval refuses the block called, evaluating its :" + arg.Key + " " + arg.Value + ", which may signal or do anything, and Borges does not"
			return read
		}
	}
	if cb.ReadsLisp {
		read.why = "Emacs reads the header of the call before :eval refuses the block called, evaluating a Lisp value of it, which may signal or do anything, and Borges does not"
	}
	return read
}

// refusedReachedStop is the error Emacs stops with resolving the
// reference r where it reaches a block :eval refuses whose reading
// signals (refusedRead's stop): the first block of its name, called
// with arguments or not (a call reads the block's own header arguments
// first, refusedCallRead). "" where it reaches none.
func (b *builder) refusedReachedStop(r parsedRef) string {
	if !b.refusedNames[r.name] {
		return ""
	}
	read := b.refusedRead(r.name)
	if dep := b.byName[r.name]; dep != nil && !b.refusedFirst(r.name, dep, read) {
		// A runnable block of the name before it is what it finds.
		return ""
	}
	return read.stop
}

// queryReadStops has each name whose first block :eval query asks about
// (stopOf QueryStop) stop, for the references reaching it, with the
// error Emacs meets first resolving that block's :var values, which
// org-babel-get-src-block-info resolves before org-babel-check-evaluate
// asks (a name not found, a block :eval refuses whose reading signals:
// refusedReachedStop), in their order; the question where none does.
// Run before resolve gives the referring tasks their stops (stopOf is
// read there, before any stopReachedName).
func (b *builder) queryReadStops() {
	for name, why := range b.stopOf {
		s := b.skipped[name]
		if why != QueryStop || s == nil || s.Index < 0 {
			continue
		}
		blk := b.doc.BlockAt(s.Index)
		if blk == nil || BlockName(blk) != name || !evalQuery(blk.Args) {
			continue
		}
		if reached := b.varRefs(blk, blk.Vars, func(r parsedRef) string {
			if why := b.unknownRef(r.name, blk.Start); why != "" {
				return why
			}
			return b.refusedReachedStop(r)
		}, nil); reached != "" {
			b.stopOf[name] = reached
		}
	}
}

// refusedOwnStop is the error Emacs stops with reading block x, which
// :eval refuses or asks about, at its own turn
// (org-babel-get-src-block-info, not light, before
// org-babel-check-evaluate): the first, in the order org-babel-ref-parse
// resolves its :var values, of a reference whose resolving signals
// (refStop: one naming nothing, one that never ends as the block refers
// to itself or to a block that comes back to it, the first error met
// resolving the :var values of the blocks it runs, one reaching a block
// :eval refuses whose reading signals or a stop), and what
// its own reading signals (refusedReadStop) once the references before
// it are resolved. *this* is void there unless a block run before may
// have bound it. "" where none stops it. seen is called with each
// reference visited, ran with each call Emacs runs (varRefs).
func (b *builder) refusedOwnStop(x *org.Block, seen, ran func(parsedRef)) string {
	return b.refusedOwnStopWith(x, seen, ran, nil)
}

// refusedOwnStopWith is refusedOwnStop, first asking first, where not
// nil, of each reference in turn: what it answers ("" for nothing) ends
// the walk there.
func (b *builder) refusedOwnStopWith(x *org.Block, seen, ran func(parsedRef), first func(parsedRef) string) string {
	vars := x.Vars
	fixed := b.thisVoidAt(x.Start)
	own, n := refusedReadStop(x, fixed)
	if own != "" {
		vars = x.Vars[:n]
	}
	why := b.varRefs(x, vars, func(r parsedRef) string {
		if seen != nil {
			seen(r)
		}
		if first != nil {
			if why := first(r); why != "" {
				return why
			}
		}
		return b.refStop(r, x.Start, fixed)
	}, ran)
	if why != "" {
		return why
	}
	return own
}

// thisVoidAt reports whether *this* is void at point at of the
// document: no block run before may have bound it (no Emacs Lisp before
// it, no name written before it).
func (b *builder) thisVoidAt(at int) bool {
	return !b.elispBeforeAt(at) && !b.namesMayBeWrittenBefore(at)
}

// refusedStopOrUnread is refusedOwnStop of x, a block :eval refuses
// found in the buffer (Edits.refusedStop), and where it is "", why
// Borges does not know that reading x signals nothing
// (refusedReadUnknown).
func (b *builder) refusedStopOrUnread(x *org.Block) (stop, unread string) {
	if stop = b.refusedOwnStop(x, nil, nil); stop != "" {
		return stop, ""
	}
	return "", refusedReadUnknown(x, b.thisVoidAt(x.Start))
}

// refusedTurnStopOrUnread is refusedStopOrUnread of x, a block :eval
// refuses as the Org buffer of a report holds it, at a turn that no task
// of the document's Emacs stands before since that report
// (Edits.refusedTurnStop). A reference naming nothing in that buffer (or
// only under a COMMENT heading), met before any stop, is missing: Emacs
// stops there with RefNotFound unless a block run since the report
// wrote that name in its results, which the caller, knowing where the
// report was made, tells (Edits.nameMayBeWrittenSince); the document
// as written (an Emacs Lisp block before x) does not. Where a reference
// of x is resolved before it (a block run, which may write the name),
// it is unread instead, as Borges does not follow what that run writes.
func (b *builder) refusedTurnStopOrUnread(x *org.Block) (stop, unread, missing string) {
	const missingStop = "\x00missing"
	name, resolved := "", false
	stop = b.refusedOwnStopWith(x, nil, nil, func(r parsedRef) string {
		if b.doc.RefFinds(r.name) {
			resolved = true
			return ""
		}
		name = r.name
		return missingStop
	})
	switch {
	case stop == missingStop && resolved:
		return "", fmt.Sprintf("its :var reference %s names no block of the Org buffer outside COMMENT headings, where Emacs stops with %q unless a block its references before run wrote that name, and Borges does not follow that", name, org.RefNotFound(name)), ""
	case stop == missingStop:
		return "", "", name
	case stop == "":
		return "", refusedReadUnknown(x, b.thisVoidAt(x.Start)), ""
	}
	return stop, "", ""
}

// refusedReadUnknown is why Borges does not know whether reading blk, a
// block :eval refuses, at its own turn signals, where refusedOwnStop
// finds no stop: a header value evaluated as Lisp, *this* that a block
// run before may have bound (thisVoid false). "" where it signals
// nothing.
func refusedReadUnknown(blk *org.Block, thisVoid bool) string {
	const reads = "Emacs reads its header arguments before :eval refuses it"
	if why := readsLispWhy(blk, reads); why != "" {
		return why
	}
	for _, raw := range blk.Vars {
		_, rhs, _ := strings.Cut(raw, "=")
		rhs = trimVarComma(strings.TrimSpace(rhs))
		if rhs == "*this*" && !thisVoid {
			return reads + ", evaluating :var " + raw + ", which a block run before may have bound or not, and Borges does not"
		}
		if _, _, err := parseLiteral(rhs); err != nil {
			return reads + ", evaluating :var " + raw + ", which may signal or do anything, and Borges does not"
		}
	}
	return ""
}

// readsLispWhy is reads, followed by the header value of blk evaluated
// as Lisp as Emacs reads it (Block.ReadsLisp, Arg.Form), "" where there
// is none.
func readsLispWhy(blk *org.Block, reads string) string {
	if blk.ReadsLisp {
		return reads + ", evaluating a Lisp value of them (or *this*), which may signal or do anything, and Borges does not"
	}
	for _, a := range blk.Args {
		if a.Form {
			return reads + fmt.Sprintf(", evaluating its :%s %s, which may signal or do anything, and Borges does not", a.Key, a.Value)
		}
	}
	return ""
}

// refWalkKey is a block refBlockStop walks (its org.Block.Start), and
// whether the names and *this* are fixed where it is resolved
// (thisVoidAt of the block whose turn it is): what it finds depends on
// nothing else.
type refWalkKey struct {
	start int
	fixed bool
}

// refWalk is what refBlockStop knows of a block: being walked, or the
// error it found ("" for none).
type refWalk struct {
	walking bool
	why     string
}

// refStop is the error Emacs stops with resolving the :var reference r
// (a name, or a call with arguments, whose arguments varRefsIn follows
// after it) at the turn of the block at point at of the document, fixed
// being thisVoidAt(at): the first of a name naming nothing
// (unknownRef), what resolving the :var values of the block it runs
// signals (refBlockStop: a reference that never ends among them), one
// reaching a block :eval refuses whose reading signals
// (refusedReachedStop), one reaching a stop (stopReachedName).
func (b *builder) refStop(r parsedRef, at int, fixed bool) string {
	if why := b.unknownRef(r.name, at); why != "" {
		return why
	}
	if r.call == nil {
		if blk := b.doc.RefCallee(r.name); blk != nil {
			if why := b.refBlockStop(blk, at, fixed); why != "" {
				return why
			}
		}
	}
	if why := b.refusedReachedStop(r); why != "" {
		return why
	}
	return b.stopReachedName(r.name)
}

// refBlockStop is the first error Emacs meets resolving, in their order,
// the :var values of blk, the block org-babel-ref-resolve runs for a
// reference (org-babel-execute-src-block reads its information with
// org-babel-get-src-block-info, resolving them, before
// org-babel-check-evaluate looks at :eval), at the turn of the block at
// point at: a reference (refStop, calls' arguments followed by
// varRefsIn), then, for a block :eval refuses or asks about, what its own
// reading signals once the references before it are resolved
// (refusedReadStop, *this* void where fixed). A reference coming back to
// a block being walked (blk itself, ":var x=ref" in block ref; or a block
// referring back to it) is DepthExceeded: Emacs runs the blocks again
// and again. A value Borges does not read (a Lisp one) ends the walk with
// "" (varRefsIn), as before. Each block is walked once for the whole
// document in each of the two contexts (b.refWalks), so a chain of N
// blocks takes N walks.
func (b *builder) refBlockStop(blk *org.Block, at int, fixed bool) string {
	if b.refWalks == nil {
		b.refWalks = map[refWalkKey]refWalk{}
	}
	key := refWalkKey{start: blk.Start, fixed: fixed}
	if w, ok := b.refWalks[key]; ok {
		if w.walking {
			return DepthExceeded
		}
		return w.why
	}
	b.refWalks[key] = refWalk{walking: true}
	vars, own := blk.Vars, ""
	if _, refused := org.EvalRefused(blk.Args); refused || evalQuery(blk.Args) {
		var n int
		if own, n = refusedReadStop(blk, fixed); own != "" {
			vars = blk.Vars[:n]
		}
	}
	// The calls varRefsIn has followed are those of this walk: a call
	// followed outside it may lead back to blk.
	outer := b.refusedWalk
	b.refusedWalk = map[string]bool{}
	why := b.varRefsIn(vars, at, readsLisp(blk), map[string]bool{}, 0, func(r parsedRef) string {
		return b.refStop(r, at, fixed)
	}, nil)
	b.refusedWalk = outer
	if why == "" {
		why = own
	}
	b.refWalks[key] = refWalk{why: why}
	return why
}
