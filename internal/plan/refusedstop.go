package plan

import (
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
