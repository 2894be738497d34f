package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// This file is what Babel does with a cons or a dotted list of Lisp
// ((1 . 2), (1 2 . 3), an alist's pairs) an Emacs Lisp block or a Lisp
// :var value gives a block in another language: Emacs Lisp blocks take
// it as it is, but every other language's variable conversion
// (org-babel-python-var-to-python, -ruby-, -js-, -perl--, -sh-) maps
// over it as over a proper list, and mapconcat signals
// (wrong-type-argument listp CDR) at its last cdr, which stops
// org-babel-execute-buffer there. A vector is no list: it reaches them
// printed ([1 2]).

// consError is the error Babel signals binding v to a variable of a
// block in another language than Emacs Lisp, "" for none: the first
// cons met walking v as the conversions do, a dotted list before its
// items.
func consError(v Value) string {
	if v.DottedEnd != "" {
		return wrongTypeListp(v.DottedEnd)
	}
	for _, it := range v.List {
		if e := consError(it); e != "" {
			return e
		}
	}
	return ""
}

// checkConses is the error binding bound to t's block signals: it names
// the block's line and the :var, a stop (ReferenceError, Binding) where
// Emacs stops the document. Emacs Lisp blocks signal none.
func checkConses(t *Task, bound []bound) error {
	if elispLangs[t.Lang] {
		return nil
	}
	for _, bv := range bound {
		e := consError(bv.value)
		switch {
		case t.Lang == "bash" && bashAssoc(bv.value):
			e = assocConsError(bv.value)
		case shellNames[t.Lang] && t.Lang != "bash":
			e = shConsError(bv.value)
		}
		if e != "" {
			// Signalled inside org-babel-execute-src-block and not
			// caught: org-babel-execute-buffer stops at the block.
			return &ReferenceError{Line: t.Line, Arg: ":var " + bv.name, Emacs: e,
				Why: fmt.Sprintf("block %s: Babel converts a cons or dotted list of Lisp for %s as a proper list", t.Block, t.Lang), Binding: true}
		}
	}
	return nil
}

// bashAssoc reports whether ob-shell binds v for bash as an associative
// array: a list whose first item is a list of two items or more.
func bashAssoc(v Value) bool {
	return v.IsList && len(v.List) > 0 && (len(v.List[0].List) >= 2 || len(v.List[0].Table) >= 2)
}

// assocConsError is consError for such a list: each item's car is its
// key, its cdr converted as the value, so an item that is a cons
// (KEY . VALUE) signals only where its cdr does. Items past one that is
// no list are not looked at: the car of that one signals first
// (bashAssocRuleStop).
func assocConsError(v Value) string {
	for _, it := range v.List {
		e := ""
		switch {
		case !lispList(it):
			return ""
		case len(it.Pair) == 2:
			e = consError(it.Pair[1])
		case it.IsList && len(it.List) > 0:
			e = consError(Value{IsList: true, List: it.List[1:]})
		}
		if e != "" {
			return e
		}
	}
	return ""
}

// shConsError is consError for a shell's one string
// (org-babel-sh-var-to-string), which prints the items of a list and the
// cells of a table's rows (%S, a cons too) without converting them: only
// a row, or the list itself, that is a cons signals, a table's rows
// before the table.
func shConsError(v Value) string {
	items, tail := v.List, ""
	if len(v.Pair) == 2 {
		items, tail = nil, v.DottedEnd
		for p := v; ; {
			items = append(items, p.Pair[0])
			if len(p.Pair[1].Pair) != 2 {
				break
			}
			p = p.Pair[1]
		}
	}
	if len(items) > 0 && lispList(items[0]) {
		for _, row := range items {
			if row.DottedEnd != "" {
				return wrongTypeListp(row.DottedEnd)
			}
		}
	}
	if tail != "" {
		return wrongTypeListp(tail)
	}
	return ""
}

// lispList reports whether v is a list of Lisp (listp): a list, a table,
// a cons, or hline, which a table's rows may be.
func lispList(v Value) bool {
	return v.IsList || v.Table != nil || len(v.Pair) == 2 || v.Rule
}

// wrongTypeListp is the message of (wrong-type-argument listp X), X as
// %S prints it.
func wrongTypeListp(x string) string { return "Wrong type argument: listp, " + x }

// BashAssocRuleError is the error org-babel-execute-buffer stops with at
// a bash block given a table that ob-shell binds as an associative array
// (its first row two cells or more) and that keeps a rule (:hlines yes):
// org-babel--variable-assignments:bash_assoc takes the car of each row,
// the symbol hline too.
const BashAssocRuleError = "Wrong type argument: listp, hline"

// varForm is the form a shell block's variables are bound in:
// org-babel-variable-assignments:shell gives lists and tables bash's
// arrays where shell-file-name ends in "bash", else one string.
type varForm int

const (
	// genericVars: one string (sh, zsh…; other languages' forms).
	genericVars varForm = iota
	// bashVars: bash's arrays, as Emacs binds them: a bash block's
	// run, a "shell" block's whose shell-file-name is known to be
	// bash, any shell block's :cache yes hash (the Emacs's own
	// shell-file-name, bash assumed: CacheHash). The values Emacs
	// cannot bind so stop it (bashAssocRuleStop).
	bashVars
	// bashVarsAtRun: bash's arrays for a "shell" block whose shell is
	// chosen where it runs (shellfile.go), written beside the generic
	// form. Where bash cannot bind them Emacs stops; Borges knows that
	// shell there only and makes no stop (README): nothing the block
	// prints is taken for a stop, which any block could print.
	bashVarsAtRun
)

// runVars is the form t's variables take as its block runs: bash's for
// a bash block and for a "shell" block whose shell-file-name the
// document's Emacs reported ending in "bash" (string-suffix-p).
func (t *Task) runVars() varForm {
	if t.Lang == "bash" || t.Lang == "shell" && strings.HasSuffix(t.ShellFileName, "bash") {
		return bashVars
	}
	return genericVars
}

// bashAssocRuleStop is a *ReferenceError of BashAssocRuleError when one
// of the values bound for task t, a shell block whose variables Emacs
// binds as bash's (vars bashVars), is such a table.
func bashAssocRuleStop(t *Task, bound []bound, vars varForm) error {
	if vars != bashVars || !shellNames[t.Lang] {
		return nil
	}
	for _, bv := range bound {
		v := bv.value
		if v.User != "" || v.Sandbox || v.Home {
			continue
		}
		if bashAssoc(v) {
			if i := slices.IndexFunc(v.List, func(it Value) bool { return !lispList(it) }); i >= 0 {
				return &ReferenceError{Line: t.Line, Arg: ":var " + bv.name, Emacs: wrongTypeListp(printValue(v.List[i])),
					Why: "a list whose first item is a list of two items or more is bound for bash as an associative array, each item's car its key: ob-shell takes the car of a later item that is no list before the block runs", Binding: true}
			}
			continue
		}
		if len(v.Table) == 0 || len(v.Table[0]) < 2 || org.IsRule(v.Table[0]) {
			continue
		}
		if slices.ContainsFunc(v.Table, org.IsRule) {
			return &ReferenceError{Line: t.Line, Arg: ":var " + bv.name, Emacs: BashAssocRuleError,
				Why: "a table of two columns or more keeping a rule (:hlines yes) is bound for bash as an associative array, each row's first cell its key: ob-shell takes the car of the rule, the symbol hline, before the block runs", Binding: true}
		}
	}
	return nil
}

// hashedBlock reports whether org-babel-execute-src-block hashes block
// blk (org-babel-sha1-hash) as it runs it: :cache yes, written on the
// block or inherited (a property's header-args, #+PROPERTY:), a block a
// :post or a reference calls too. The one test of CacheHash and of the
// stop its hash makes (hashBindingStop): a :post's task writes its
// result under its block's hash (Task.Cache), but its own block's
// :cache decides whether Emacs hashes that one.
func hashedBlock(blk *org.Block) bool {
	v, _ := blk.Args.Get("cache")
	return v == "yes"
}

// hashBindingStop is the error org-babel-sha1-hash stops Emacs with
// before a shell block with :cache yes (hashedBlock) runs: it expands
// the block with org-babel-variable-assignments:LANG outside ob-shell's
// binding of shell-file-name, so as the Emacs's own shell, bash (as
// CacheHash assumes), binds its values; nil where it binds them.
func (t *Task) hashBindingStop(blk *org.Block, refs map[string]Value) error {
	if !hashedBlock(blk) || !shellNames[t.Lang] {
		return nil
	}
	bound, err := t.bind(blk, refs)
	if err != nil {
		return err
	}
	return t.hashBindingStopOf(blk, bound)
}

// hashBindingStopOf is hashBindingStop of t's values bound already.
func (t *Task) hashBindingStopOf(blk *org.Block, bound []bound) error {
	if !hashedBlock(blk) {
		return nil
	}
	return bashAssocRuleStop(t, bound, bashVars)
}

// bindingStops reports whether binding t's values stops Emacs before
// its block runs: its :cache yes hash (hashBindingStop) or its run
// (bashAssocRuleStop). The values are bound once for both. known is
// false where they are not known from the document alone (a value is a
// block's results): whether they stop is then known only as the block
// is to run (RenderIn), and stops is false.
func (t *Task) bindingStops(blk *org.Block) (stops, known bool) {
	bound, err := t.bind(blk, nil)
	if err != nil {
		return false, false // a value known when a block has run
	}
	return t.hashBindingStopOf(blk, bound) != nil || bashAssocRuleStop(t, bound, t.runVars()) != nil, true
}
