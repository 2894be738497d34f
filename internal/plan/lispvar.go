package plan

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// This file is a Lisp :var value of a block in another language than
// Emacs Lisp (":var x=(+ 1 2)", "(org-entry-get nil \"PROP\" t)"):
// org-babel-ref-parse has Emacs evaluate it (org-babel-read, with point
// at the block) in the Emacs that runs the document. For Borges it is a
// task of its own, named "BLOCK :var x=(+ 1 2)", run by a batch Emacs on
// the backend (never in the server) with the document loaded and point
// where Babel has it; the block depends on it and receives its value as
// Babel hands a Lisp value to the block's language: numbers, strings,
// symbols, lists, tables (lists of lists, hline their rules).

// lispVarRef is what a Lisp :var task evaluates: the form, for the block
// of owner.
type lispVarRef struct {
	form  string
	owner *Task
	// postKey names the task of the :post inside whose call the value
	// is planned (postCall.key): of the block the :post calls, or of
	// a block that one's :var, noweb reference or :stdin runs; post is
	// that task, once planned (postTask). Emacs evaluates the value
	// inside the :post, and an error there stops it at the block whose
	// :post it is (LispVarPost).
	postKey string
	post    *Task
	// refused is set where the block the :post calls is one :eval
	// refuses (refusedPostLispVars): post is then the task of the
	// block whose :post it is.
	refused bool
}

// lispVarTask plans the task that evaluates form for block blk (task t),
// made on first use before t; "" when it cannot be.
func (b *builder) lispVarTask(blk *org.Block, t *Task, name, form string) string {
	return b.lispVarTaskKeyed(blk, t, t.Block+" :var "+name+"="+form, form)
}

// lispVarTaskKeyed plans the task named key that evaluates form for
// block blk (task t), made on first use.
func (b *builder) lispVarTaskKeyed(blk *org.Block, t *Task, key, form string) string {
	if b.byName[key] != nil {
		return key
	}
	b.called++
	lt := &Task{Block: key, Index: -b.called, Line: blk.Line, Lang: "emacs-lisp",
		Interpreter: elispInterpreter, Instances: 1, Ensure: ItFinishes,
		Resources: emacsResources(t.Resources), Container: t.Container, Constraints: t.Constraints, Timeout: t.Timeout,
		ValueFile: true, Reader: org.ReadLisp, Results: "silent",
		lispVar: &lispVarRef{form: form, owner: t, postKey: b.postKey()},
		// An error the form signals stops org-babel-execute-buffer
		// at its block's turn (org-babel-get-src-block-info does not
		// catch it), or at the first block whose reference runs the
		// block (StopsOnLispError), unless the block may fail.
		FailureStops: !t.ContinueOnFailure}
	b.byName[key] = lt
	// Problems are reported at the block's line; the task is no block
	// of a COMMENT heading that references would skip.
	at := *blk
	at.Commented = false
	b.blocks[lt] = &at
	b.plan.Tasks = append(b.plan.Tasks, lt)
	b.noteTask(lt)
	b.indexLispRun(lt, t, lt.lispVar.postKey)
	return key
}

// indexLispRun records x, a task evaluating a Lisp :var value of owner's
// block (owner nil for none) or a run of an Emacs Lisp block a reference
// makes, made inside the :post whose task's key is postKey ("" for
// none), for postTask (builder.lispRuns).
func (b *builder) indexLispRun(x, owner *Task, postKey string) {
	if b.lispRunsOwned == nil {
		b.lispRunsOwned, b.lispRunsInPost = map[*Task][]int{}, map[string][]int{}
	}
	i := len(b.lispRuns)
	b.lispRuns = append(b.lispRuns, x)
	if owner != nil {
		b.lispRunsOwned[owner] = append(b.lispRunsOwned[owner], i)
	}
	if postKey != "" {
		b.lispRunsInPost[postKey] = append(b.lispRunsInPost[postKey], i)
	}
}

// postLispRuns yields, in the order they were made, the tasks of the plan
// that may be evaluated inside the :post whose task pt's key is direct:
// those evaluating a Lisp :var value of pt's block, and those made while
// the :post was planned (indexLispRun). A task no longer in the plan
// (rolled back: rollBackRefusedCalls) is left out.
func (b *builder) postLispRuns(pt *Task, direct string) iter.Seq[*Task] {
	return func(yield func(*Task) bool) {
		at := slices.Concat(b.lispRunsOwned[pt], b.lispRunsInPost[direct])
		slices.Sort(at)
		for _, i := range slices.Compact(at) {
			x := b.lispRuns[i]
			if b.byName[x.Block] != x {
				continue
			}
			if !yield(x) {
				return
			}
		}
	}
}

// postKey is the key of the innermost :post being planned (postCall.key),
// "" outside any.
func (b *builder) postKey() string {
	for i := len(b.posting) - 1; i >= 0; i-- {
		if k := b.posting[i].key; k != "" {
			return k
		}
	}
	return ""
}

// lispVarProgram is the program of a Lisp :var task: in the Org buffer
// of the document, with point at the block (orgBuffer, as elispProgram
// has them; inserted are the results put in first), Emacs evaluates the
// form as org-babel-read does (lexically), and prints the value, typed
// (see readLispVar), as its value (see emacsProgram).
func lispVarProgram(doc *org.Document, t *Task, inserted map[string]org.Result) (string, error) {
	blk, err := t.lispVar.owner.blockIn(doc)
	if err != nil {
		return "", err
	}
	open, prelude, err := orgBuffer(doc, t, blk, inserted)
	if err != nil {
		return "", err
	}
	form := fmt.Sprintf(lispVarForm, open, elispString(t.lispVar.form))
	return emacsProgram(t, lispVarPrelude+prelude, form), nil
}

// lispVarPrelude and lispVarForm evaluate a :var form and print its
// value: n (nil), h (hline), s"…" (a string), d… (a number), y"…" (a
// symbol's name), c"…""…"CAR CDR (a cons or dotted list: its last cdr,
// then itself, as %S prints them, then its car and cdr), r"…" (anything
// else, as %S prints it), (…) a proper list of such values.
const lispVarPrelude = `;; -*- coding: utf-8; lexical-binding: t -*-
;; A Lisp :var value evaluated by Borges as org-babel-ref-parse evaluates it.
(require 'org)
(require 'ob)
(setq org-confirm-babel-evaluate nil)
` + babelLanguages + lispEncoder

// babelLanguages loads the Babel languages Borges runs besides Emacs
// Lisp, those it can: Lisp that runs blocks itself (org-sbe in a :var
// value or a block, org-babel-execute-src-block) finds them as in the
// Emacs that runs the document, where each language has been loaded.
const babelLanguages = `(dolist (f '(ob-shell ob-python ob-ruby ob-js ob-perl)) (require f nil t))
`

// lispEncoder defines borges--enc, which prints a Lisp value typed, for
// readLispVar: the Lisp :var values' programs and those of the runs of
// Emacs Lisp blocks that references make (elispProgram) share it.
const lispEncoder = `(defun borges--enc (v)
  (cond ((null v) "n")
        ((eq v 'hline) "h")
        ((stringp v) (concat "s" (prin1-to-string (substring-no-properties v))))
        ((numberp v) (concat "d" (prin1-to-string v)))
        ((symbolp v) (concat "y" (prin1-to-string (symbol-name v))))
        ((proper-list-p v) (concat "(" (mapconcat #'borges--enc v " ") ")"))
        ((consp v) (concat "c" (prin1-to-string (format "%S" (cdr (last v))))
                           (prin1-to-string (substring-no-properties (format "%S" v)))
                           (borges--enc (car v)) " " (borges--enc (cdr v))))
        (t (concat "r" (prin1-to-string (substring-no-properties (format "%S" v)))))))
`

const lispVarForm = `(let* ((value
        %s
          (org-babel-read %s)))
       (print-level nil) (print-length nil) (print-escape-newlines nil)
       (print-escape-control-characters nil) (print-escape-nonascii nil)
       (print-escape-multibyte nil))
  (borges--enc value))`

// readLispVar reads what lispVarForm prints into the Value the block
// receives: nil an empty list, a list of lists (and hlines) a table, any
// other list a list; strings stay strings even when they read as
// numbers. Text it cannot read is a string.
func readLispVar(out string) Value {
	v, rest, ok := readEncoded(strings.TrimSpace(out), 0)
	if !ok || strings.TrimSpace(rest) != "" {
		return Value{Scalar: out}
	}
	return v
}

func readEncoded(s string, depth int) (Value, string, bool) {
	if s == "" || depth > maxLispVarDepth {
		return Value{}, s, false
	}
	switch s[0] {
	case 'n':
		return Value{IsList: true}, s[1:], true
	case 'h':
		return Value{Scalar: "hline", Rule: true}, s[1:], true
	case 'd':
		n := 1
		for n < len(s) && !strings.ContainsRune(" ()", rune(s[n])) {
			n++
		}
		return Value{Scalar: s[1:n], Number: true}, s[n:], true
	case 's', 'y', 'r':
		str, unibyte, rest, err := readStringUnibyte(s[1:])
		if err != nil {
			return Value{}, s, false
		}
		if s[0] == 'y' && str == "" {
			str = "##" // the empty name, as Borges holds it (org.PrintSymbolText)
		}
		return Value{Scalar: str, Symbol: s[0] != 's', Printed: s[0] == 'r', Unibyte: unibyte && s[0] == 's'}, rest, true
	case 'c':
		last, rest, err := readString(s[1:])
		if err != nil {
			return Value{}, s, false
		}
		str, rest, err := readString(rest)
		if err != nil {
			return Value{}, s, false
		}
		car, rest, ok := readEncoded(rest, depth+1)
		if !ok {
			return Value{}, s, false
		}
		cdr, rest, ok := readEncoded(strings.TrimLeft(rest, " "), depth+1)
		if !ok {
			return Value{}, s, false
		}
		return Value{Scalar: str, Symbol: true, Printed: true, DottedEnd: last, Pair: []Value{car, cdr}}, rest, true
	case '(':
		var items []Value
		s = s[1:]
		for {
			s = strings.TrimLeft(s, " ")
			if s == "" {
				return Value{}, s, false
			}
			if s[0] == ')' {
				return listOrTable(items), s[1:], true
			}
			it, rest, ok := readEncoded(s, depth+1)
			if !ok {
				return Value{}, s, false
			}
			items, s = append(items, it), rest
		}
	}
	return Value{}, s, false
}

// maxLispVarDepth bounds the nesting read back.
const maxLispVarDepth = 100

// listOrTable is a list as Babel's languages take it: a table when its
// items are lists of atoms and hlines (at least one list), else a list.
func listOrTable(items []Value) Value {
	rows := make([][]string, 0, len(items))
	lists := 0
	marks := cellMarks{}
	for _, it := range items {
		switch {
		case it.Rule:
			rows = append(rows, org.RuleRow())
			continue
		case !it.IsList:
			return Value{IsList: true, List: items}
		}
		lists++
		row := make([]string, len(it.List))
		for j, c := range it.List {
			if c.IsList && len(c.List) == 0 {
				// nil in a row: the symbol, a cell.
				c = Value{Scalar: "nil", Symbol: true}
			}
			if c.IsList || c.Table != nil || c.DottedEnd != "" {
				return Value{IsList: true, List: items}
			}
			marks.add(len(rows), j, c)
			row[j] = c.Scalar
		}
		rows = append(rows, row)
	}
	if lists == 0 {
		return Value{IsList: true, List: items}
	}
	return marks.on(Value{Table: rows})
}

// postCachedLispVars plans, for t's reference (what, as written) to the
// block r names, made inside a :post's call (postKey), the evaluation of
// that block's own Lisp :var values where the block is :cache yes, which
// Borges runs once for all its references (rerun plans no run of it
// here): Emacs reads its information (org-babel-get-src-block-info, not
// light) at each reference, before it looks at its cache, so it
// evaluates them inside the :post, where an error stops the document at
// the block whose :post it is (postTask ties each task to the :post:
// LispVarPost). t waits for each, its value unused, but at the
// reference that makes the block's single run (no reference to it
// before, its own turn still to come): Emacs evaluates them there once,
// its cache misses, and it runs the block with those values, so the
// block's own tasks evaluating them are planned there, tied to the :post.
func (b *builder) postCachedLispVars(t *Task, what string, r parsedRef) {
	if r.call != nil {
		return
	}
	earlier := b.cachedRefd[r.name]
	if b.cachedRefd == nil {
		b.cachedRefd = map[string]bool{}
	}
	b.cachedRefd[r.name] = true
	if b.postKey() == "" {
		return
	}
	cb, err := b.doc.CalledWith(r.name, "", "")
	if err != nil || !hashedBlock(cb) || elispLangs[cb.Lang] {
		return // an Emacs Lisp block evaluates its own in its program
	}
	if _, refused := org.EvalRefused(cb.Args); refused {
		return
	}
	if !hasLispVar(cb.Vars) {
		return
	}
	// The block itself, found once for all the references to it
	// (refCalleeBlock walks the document).
	own, ok := b.cachedOwn[r.name]
	if !ok {
		own = b.refCalleeBlock(cb)
		if b.cachedOwn == nil {
			b.cachedOwn = map[string]*org.Block{}
		}
		b.cachedOwn[r.name] = own
	}
	if own == nil {
		return
	}
	owner := &Task{Block: BlockName(own), Index: own.Index, Line: own.Line}
	// The block's single run: its own turn not come yet (its task
	// not planned), no reference to it before this one.
	single := !earlier && b.byName[owner.Block] == nil
	for k, rhs := range lispForms(own.Vars) {
		n := len(b.plan.Tasks)
		key := t.Block + " " + what + " :var " + k + "=" + rhs
		if single {
			key = owner.Block + " :var " + k + "=" + rhs // lispVarTask's, the block's own
		}
		dep := b.lispVarTaskKeyed(own, owner, key, rhs)
		if len(b.plan.Tasks) > n {
			b.moveBefore(t, n)
		}
		if !slices.Contains(t.After, dep) {
			t.After = append(t.After, dep)
		}
	}
}

// hasLispVar reports whether a value of vars ("name=value") is a Lisp
// form Emacs evaluates (lispForms).
func hasLispVar(vars []string) bool {
	for range lispForms(vars) {
		return true
	}
	return false
}
