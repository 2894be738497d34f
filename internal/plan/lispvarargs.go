package plan

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// A reference with arguments to a source block (:var z=later(y=1),
// <<later(y=1)>>, :stdin, :post) has org-babel-ref-resolve call
// org-babel-execute-src-block with no information: it reads the block's
// own (org-babel-get-src-block-info, not light), evaluating every Lisp
// :var value the block has, and only then merges the arguments. A Lisp
// value an argument replaces is evaluated all the same: its error stops
// org-babel-execute-buffer at the referring block, before the block
// runs. Borges plans a task for such a value as for a value kept
// (lispVarTask); the called task waits for it, its value unused.
// A #+call: line's callee is read light (org-babel-lob--src-info): its
// own values are not evaluated, and nothing is planned for it.

// replacedLispVars plans the tasks evaluating the Lisp :var values of
// own, the source block a reference with arguments runs as ct (its block
// cb, the values merged), that the arguments replaced: ct waits for them.
// So it does for the runs of the blocks own's :var values name that the
// arguments replaced (replacedRefRuns).
func (b *builder) replacedLispVars(own, cb *org.Block, ct *Task) {
	if own == nil || elispLangs[own.Lang] {
		return // Emacs Lisp evaluates its values in the block's program
	}
	for k, rhs := range lispForms(own.Vars) {
		if keepsVar(cb.Vars, k, rhs) {
			continue // kept: planned with ct's own values
		}
		ct.replacedForms = append(ct.replacedForms, [2]string{k, rhs})
		n := len(b.plan.Tasks)
		dep := b.lispVarTask(cb, ct, k, rhs)
		if len(b.plan.Tasks) > n {
			b.moveBefore(ct, n)
		}
		if !slices.Contains(ct.After, dep) {
			ct.After = append(ct.After, dep)
		}
	}
	b.replacedRefRuns(own, cb, ct)
}

// replacedRefRuns plans, for ct, the task of own called with arguments
// (its block cb, the values merged), the runs of the blocks that own's
// :var values name (y=bad) where the arguments replaced them: Emacs
// resolves them all the same (org-babel-get-src-block-info, before the
// arguments are merged), running the block named, its results silent,
// at each reference. ct waits for each run, its value unused: its side
// effects come before ct, and a stop it makes stops the document at the
// block whose reference runs ct (its reads; the engine's stopPlace). A
// block that reaches a session runs again for the reference (rerun); any
// other block's one run serves it, as for a reference to it. Only values
// naming a block (plain or called with arguments) are planned: data,
// names nothing has, refused blocks and the block itself are left as
// before (replacedRefs).
func (b *builder) replacedRefRuns(own, cb *org.Block, ct *Task) {
	refs := b.replacedRefs(own, cb)
	ct.replacedRefs = refs
	b.planReplacedRefs(cb, ct, ct, refs)
}

// replacedRef is a :var value of a block called with arguments that the
// arguments replaced, naming a block (replacedRefRuns).
type replacedRef struct {
	k, rhs string
	r      parsedRef
}

// replacedRefs are the :var values of own naming a block that cb, own
// called with arguments, no longer binds so (replacedRefRuns).
func (b *builder) replacedRefs(own, cb *org.Block) []replacedRef {
	var out []replacedRef
	for _, raw := range own.Vars {
		k, rhs, r, ok := varRef(raw)
		if !ok || k == "" || rhs == "*this*" || r.name == own.Name || keepsVar(cb.Vars, k, rhs) {
			continue
		}
		if _, data := b.doc.NamedData(r.name); data || b.doc.NamedUnread(r.name) || b.doc.NamedCallRunsNothing(r.name) || b.refusedTarget(r.name) != nil {
			continue
		}
		if _, err := b.doc.CalledWith(r.name, "", ""); err != nil {
			continue
		}
		out = append(out, replacedRef{k: k, rhs: rhs, r: r})
	}
	return out
}

// planReplacedRefs plans the runs of refs for t, a reference running ct
// (ct itself for the first, made with it), blk the block making it: t
// waits for them (Task.replacedRuns), placed before it when t is ct.
func (b *builder) planReplacedRefs(blk *org.Block, t, ct *Task, refs []replacedRef) {
	for _, x := range refs {
		what := ":var " + x.k + "=" + x.rhs
		if t != ct {
			what = ct.Block + " " + what
		}
		n := len(b.plan.Tasks)
		dep := b.rerun(blk, t, ":var", what, x.r)
		switch {
		case dep != "":
		case x.r.call != nil:
			if dep = b.calledTask(blk, t, ":var", x.r.call); dep == "" {
				continue
			}
		default:
			dep = x.r.name
		}
		if t == ct {
			for j := n; j < len(b.plan.Tasks); j++ {
				b.moveBefore(ct, j)
			}
		}
		if !slices.Contains(t.replacedRuns, dep) {
			t.replacedRuns = append(t.replacedRuns, dep)
		}
		if !slices.Contains(t.After, dep) {
			t.After = append(t.After, dep)
		}
	}
}

// repeatedRefLispVars plans, for t, a reference with the same arguments
// as an earlier one (its block's task ct shared), the evaluation of the
// Lisp :var values the arguments replace once more: Emacs evaluates them
// at each reference (org-babel-execute-src-block reads the block's
// information each time), their side effects counted as often. t waits
// for them, made before it. So it does for the runs of the blocks the
// replaced values name (replacedRefRuns), run again where they reach a
// session.
func (b *builder) repeatedRefLispVars(t, ct *Task) {
	blk := b.blocks[ct]
	if blk == nil {
		return
	}
	if len(ct.replacedRefs) > 0 {
		b.planReplacedRefs(blk, t, ct, ct.replacedRefs)
	}
	if len(ct.replacedForms) == 0 {
		return
	}
	if b.refRuns == nil {
		b.refRuns = map[string]int{}
	}
	b.refRuns[ct.Block]++
	for _, f := range ct.replacedForms {
		key := fmt.Sprintf("%s :var %s=%s #%d", ct.Block, f[0], f[1], b.refRuns[ct.Block]+1)
		dep := b.lispVarTaskKeyed(blk, ct, key, f[1])
		if !slices.Contains(t.After, dep) {
			t.After = append(t.After, dep)
		}
	}
}

// moveBefore moves the task at index n of the plan's tasks, just made,
// before ct, which waits for it: tasks stay in an order they can run in.
func (b *builder) moveBefore(ct *Task, n int) {
	i := slices.Index(b.plan.Tasks, ct)
	if i < 0 || i > n {
		return
	}
	lt := b.plan.Tasks[n]
	copy(b.plan.Tasks[i+1:n+1], b.plan.Tasks[i:n])
	b.plan.Tasks[i] = lt
}

// lispForms yields the :var values of vars ("name=value") that are Lisp
// forms Emacs evaluates (as vars plans them: lispVarTask), with their
// names, in order.
func lispForms(vars []string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, raw := range vars {
			if k, rhs, ok := lispForm(raw); ok && !yield(k, rhs) {
				return
			}
		}
	}
}

// lispForm is the name and value of raw ("name=value") when the value
// is a Lisp form Emacs evaluates (lispForms).
func lispForm(raw string) (k, rhs string, ok bool) {
	k, rhs, ok = strings.Cut(raw, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return "", "", false
	}
	rhs = trimVarComma(strings.TrimSpace(rhs))
	if _, _, err := parseLiteral(rhs); err == nil || !isLispForm(rhs) {
		return "", "", false
	}
	return k, rhs, true
}

// keepsVar reports whether vars, a called block's merged :var values,
// bind k to rhs as its own value did: the arguments did not replace it.
func keepsVar(vars []string, k, rhs string) bool {
	for _, raw := range vars {
		vk, vr, ok := strings.Cut(raw, "=")
		if ok && strings.TrimSpace(vk) == k && trimVarComma(strings.TrimSpace(vr)) == rhs {
			return true
		}
	}
	return false
}

// refCalleeBlock is the source block of the document that cb, what a
// reference with arguments runs (org.Document.CalledWith), was made
// from; nil when cb stands for a #+call: line.
func (b *builder) refCalleeBlock(cb *org.Block) *org.Block {
	if cb.Call != nil {
		return nil
	}
	for _, x := range b.doc.Blocks {
		if x.Start == cb.Start && x.Inline == 0 && x.Call == nil {
			return x
		}
	}
	return nil
}

// refusedLispVars plans the tasks evaluating the Lisp :var values of
// blk, named name, a document block :eval no or never refuses:
// org-babel-get-src-block-info evaluates them at its turn, in any
// language, before org-babel-check-evaluate refuses it, and an error
// stops org-babel-execute-buffer there. The refused block has no task:
// each value's task names it among its RefusedReaders, the place its
// failure stops the document at (the engine's stopPlace).
func (b *builder) refusedLispVars(blk *org.Block, name string) {
	if blk.Call != nil || blk.Index < 0 {
		return
	}
	if b.noRefusedCalls {
		b.noteUnplannedLispVars(blk, name)
		return
	}
	owner := &Task{Block: name, Index: blk.Index, Line: blk.Line}
	for k, rhs := range lispForms(blk.Vars) {
		lt := b.byName[b.lispVarTask(blk, owner, k, rhs)]
		addRefusedReader(lt, BlockPlace{Line: blk.Line, Index: blk.Index})
	}
}

// noteUnplannedLispVars counts the Lisp :var values of blk, named name,
// a document block :eval refuses in the Org buffer read again
// (noRefusedCalls), where refusedLispVars plans no task for them: Emacs
// evaluates them all the same at the block's turn, and a :cache yes
// reference after them counts each as its task counts in the plan of the
// document as submitted (noteTask, cacheAcrossElisp): by where it stands
// and what it may change (lispMayEdit), not as Lisp no task counted
// (unnotedHeaderLisp). A value counts once by the key its task would
// have (lispVarTask).
func (b *builder) noteUnplannedLispVars(blk *org.Block, name string) {
	for k, rhs := range lispForms(blk.Vars) {
		key := name + " :var " + k + "=" + rhs
		if b.unplannedLispVars[key] {
			continue
		}
		if b.unplannedLispVars == nil {
			b.unplannedLispVars = map[string]bool{}
		}
		b.unplannedLispVars[key] = true
		b.noteTask(&Task{Line: blk.Line, lispVar: &lispVarRef{form: rhs}})
		if b.lispNoted == nil {
			b.lispNoted = map[int]lispNote{}
		}
		b.lispNoted[blk.Start] |= notedVars
	}
}
