package plan

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// A block :eval refuses whose :var values an Emacs Lisp block before it
// rewrote into Lisp forms (":var x=5" into ":var x=(error \"boom\")")
// has its forms evaluated at its turn: org-babel-get-src-block-info
// resolves the :var values (org-babel-read evaluates a form) before
// org-babel-check-evaluate refuses the block, and an error there stops
// org-babel-execute-buffer at it with Emacs's message. The plan of the
// document as submitted has no task for those forms; the report of the
// Org buffer tells them. Where nothing else of the block's reading may
// signal or run (turnLispFormsWith), each form becomes a task of the
// document's Emacs (refusedLispRun), evaluated there, never in the
// server, at the block's turn: the tasks after the block, up to the next
// task of that Emacs, wait for them (Decision.Runs), and the first that
// fails stops the document at the refused block (RefusedReaders, the
// engine's stopPlace). Where Borges does not know what reading the block
// does, the first task after it still fails saying so (refusedTurnStop).

// turnLispFormsWith are the Lisp :var values of x, a block :eval refuses as
// the Org buffer holds it, in their order ([name, form]), where those
// forms alone decide what reading x at its turn does: its other :var
// values are literals, its header reads no Lisp, takes no table apart
// by :colnames or :rownames and joins no :file-ext, and each form
// is Lisp that changes no buffer and calls no code of the document's
// (refusedFormLisp): the document's Emacs evaluating it there leaves
// the buffer its report holds. ok is false otherwise, and where x has
// no Lisp :var value. A :var value naming what entry gives a form for (a Library of Babel entry of pure Emacs Lisp,
// Edits.libraryForm) counts as that form: Emacs runs the entry there,
// evaluating its body.
func turnLispFormsWith(x *org.Block, entry func(name string) (string, bool)) (forms [][2]string, ok bool) {
	if x.ReadsLisp || x.Call != nil || x.Inline > 0 {
		return nil, false
	}
	for _, a := range x.Args {
		switch a.Key {
		case "colnames", "rownames":
			if a.Value != "no" {
				return nil, false
			}
		case "file-ext":
			return nil, false
		}
		if a.Form {
			return nil, false
		}
	}
	for _, raw := range x.Vars {
		if k, rhs, isForm := lispForm(raw); isForm {
			if !refusedFormLisp(rhs) {
				return nil, false
			}
			forms = append(forms, [2]string{k, rhs})
			continue
		}
		k, rhs, found := strings.Cut(raw, "=")
		rhs = trimVarComma(strings.TrimSpace(rhs))
		if form, isEntry := "", false; found && entry != nil {
			if form, isEntry = entry(rhs); isEntry {
				forms = append(forms, [2]string{strings.TrimSpace(k), form})
				continue
			}
		}
		if _, literal, err := parseLiteral(rhs); !found || rhs == "" || err != nil || !literal {
			return nil, false
		}
	}
	return forms, len(forms) > 0
}

// refusedSignalFuncs are the functions that signal an error and do
// nothing else, which a rewritten :var form may call (refusedFormLisp).
// signal is read apart (signalRest): it signals any condition, quit
// among them, which no condition-case of error catches.
var refusedSignalFuncs = map[string]bool{"error": true, "user-error": true}

// refusedSignalErrors are the symbols a rewritten :var form may signal
// with signal (refusedFormLisp): Emacs's own errors, each with error
// among its conditions, which the run of the form catches as Emacs's
// org-babel-execute-buffer stops at them. Any other symbol (quit, one
// the document defined) Borges does not know the end of.
var refusedSignalErrors = map[string]bool{
	"error": true, "user-error": true, "arith-error": true, "overflow-error": true, "range-error": true,
	"domain-error": true, "wrong-type-argument": true, "args-out-of-range": true, "void-variable": true,
	"void-function": true, "invalid-function": true, "wrong-number-of-arguments": true, "setting-constant": true,
	"invalid-read-syntax": true, "end-of-file": true, "file-error": true, "file-missing": true,
}

// refusedFormLisp reports whether form, a Lisp :var value, is Lisp that
// changes no buffer and calls no code of the document's (settingLisp:
// pure, or setting the document's own variables to pure values), or
// that only signals an error (refusedSignalFuncs), its arguments so.
func refusedFormLisp(form string) bool {
	return readsPure(pureReader{s: form, setq: true, signal: true})
}

// refusedLispRuns makes the tasks evaluating the forms of the refused
// turn at the submitted executable exes[i], blk in the Org buffer
// (turnLispFormsWith), chained
// after last ("" for none), nil where no task of the document's Emacs
// stands before the turn (the report came from one, so none is a plan
// Borges does not know the Emacs of).
func (e *Edits) refusedLispRuns(i int, blk *org.Block, point int, forms [][2]string, last *Task) []*Task {
	prev := e.emacsTaskBefore(point)
	if prev == nil {
		return nil
	}
	ob := e.exes[i]
	// The run's program is built from the Org buffer (edit.in), where
	// the lines before the block (an earlier block's results) may have
	// moved it: its owner stands at the buffer block's place.
	owner := &Task{Block: BlockName(ob), Index: blk.Index, Line: blk.Line}
	var runs []*Task
	for _, f := range forms {
		name := owner.Block + " :var " + f[0] + "=" + f[1]
		for n, base := 2, name; e.oldByName[name] != nil || e.byName[name] != nil || e.runNames[name]; n++ {
			name = fmt.Sprintf("%s~%d", base, n)
		}
		if e.runNames == nil {
			e.runNames = map[string]bool{}
		}
		e.runNames[name] = true
		e.lispRunIndex--
		after := []string{prev.Block}
		if last != nil && slices.Contains(last.After, prev.Block) {
			// The form before it, in this Emacs since the same task.
			after = append(after, last.Block)
		}
		sess := *prev.Session
		lt := &Task{Block: name, Name: name, Index: e.lispRunIndex, Line: ob.Line, Lang: "emacs-lisp",
			Interpreter: elispInterpreter, Instances: 1, Ensure: ItFinishes,
			Resources: emacsResources(Resources{}), Container: prev.Container, Constraints: prev.Constraints, Timeout: prev.Timeout,
			ValueFile: true, Reader: org.ReadLisp, Results: "silent",
			Session: &sess, After: after, orderOnly: slices.Clone(after), BufferPrev: prev.Block, EnvironmentOf: prev.Block,
			RefusedReaders: []BlockPlace{{Line: ob.Line, Index: ob.Index}},
			lispVar:        &lispVarRef{form: f[1], owner: owner},
			// Its error stops org-babel-execute-buffer at the
			// refused block (RefusedReaders).
			FailureStops: true,
			edit:         &edited{in: e.Doc, submitted: e.submitted, origin: ob, lispRun: true}}
		runs = append(runs, lt)
		last = lt
	}
	return runs
}

// emacsTaskBefore is the last task of the submitted plan in the
// document's Emacs whose turn stands before point of the Org buffer,
// nil for none.
func (e *Edits) emacsTaskBefore(point int) *Task {
	var best *Task
	bestAt := math.MinInt
	for _, o := range e.old.Tasks {
		if o.Session == nil || o.Session.Kind != string(session.Emacs) {
			continue
		}
		if at, ok := e.taskPoint(o); ok && at < point && at >= bestAt {
			best, bestAt = o, at
		}
	}
	return best
}

// lispRunsOnly reports whether every task of the submitted plan made at
// the turn of the submitted executable ob, which :eval refuses
// (Task.RefusedReaders), evaluates a Lisp :var value of ob itself: the
// runs of its forms as the buffer holds it replace them
// (refusedLispReplaced).
func (e *Edits) lispRunsOnly(ob *org.Block) bool {
	for _, o := range e.old.Tasks {
		if first, ok := o.FirstRefusedReader(); ok && first.Index == ob.Index {
			if o.lispVar == nil || o.lispVar.owner == nil || o.lispVar.owner.Index != ob.Index {
				return false
			}
		}
	}
	return true
}

// refusedLispReplaced is why t, a task of the submitted plan evaluating
// a Lisp :var value of a block :eval refuses, is not run: the buffer
// holds that block otherwise, and the forms it holds are evaluated at
// its turn instead (refusedLispRuns). "" for any other task.
func (e *Edits) refusedLispReplaced(t *Task) string {
	if t.lispVar == nil || t.edit != nil || t.lispVar.owner == nil {
		return ""
	}
	first, ok := t.FirstRefusedReader()
	if !ok || first.Index != t.lispVar.owner.Index {
		return ""
	}
	i, ok := e.place[first.Index]
	if !ok {
		return ""
	}
	e.turnsOnce.Do(e.findRefusedTurns)
	for _, r := range e.refusedTurns {
		if r.exe == i && r.runs != nil {
			return fmt.Sprintf("not run: an Emacs Lisp block before it rewrote the :var values of block %s (line %d of the Org buffer), which :eval refuses: Emacs evaluates them as the buffer holds them there", BlockName(r.blk), r.blk.Line)
		}
	}
	return ""
}

// withTurnRuns is d, the decision of t, with the runs of the Lisp :var
// values of the refused blocks before it (refusedTurnStop) to wait for:
// a task kept becomes one changed only so. Where t does not run as
// Emacs runs it (deleted, failing), Borges does not know whether Emacs
// stops at the refused block before: unread says so.
func withTurnRuns(t *Task, d Decision, runs []*Task, unread string) Decision {
	if len(runs) == 0 {
		return d
	}
	names := make([]string, len(runs))
	for k, r := range runs {
		names[k] = r.Block
	}
	switch d.Kind {
	case Kept:
		c := *t
		c.After, c.orderOnly = slices.Concat(t.After, names), slices.Concat(t.orderOnly, names)
		return Decision{Kind: Changed, Task: &c, Runs: runs}
	case Changed:
		c := *d.Task
		c.After, c.orderOnly = slices.Concat(c.After, names), slices.Concat(c.orderOnly, names)
		d.Task, d.Runs = &c, slices.Concat(runs, d.Runs)
		return d
	}
	return Decision{Kind: Fails, Why: unread}
}

// refusedLispGone is why t, the run of a Lisp :var value a block :eval
// refuses held in an Org buffer reported before (refusedLispRuns), is
// not run: the buffer as reported now (an Emacs Lisp block run again
// left it otherwise) makes no such run. "" for any other task, and for
// a run the buffer still makes.
func (e *Edits) refusedLispGone(t *Task) string {
	if t.edit == nil || !t.edit.lispRun || t.lispVar == nil {
		return ""
	}
	e.turnsOnce.Do(e.findRefusedTurns)
	for _, r := range e.refusedTurns {
		for _, x := range r.runs {
			if x.Block == t.Block && x.lispVar != nil && x.lispVar.form == t.lispVar.form {
				return ""
			}
		}
	}
	return fmt.Sprintf("not run: the Org buffer, as the Emacs Lisp blocks before it left it, no longer holds the Lisp :var value %s of block %s, which :eval refuses", t.lispVar.form, t.lispVar.owner.Block)
}
