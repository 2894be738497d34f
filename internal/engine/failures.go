package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// This file writes what Babel has no result for: a block that failed,
// was killed or lost (or never ran, its dependency having failed), and a
// block run as several instances. Its results are a ":results:" drawer
// (org.Result.Parts): a line "borges: …" saying what happened, then the
// output as Babel would write it. Emacs replaces such a drawer whole when
// the block is run again there.

// partPlan is one part of a block's results drawer, planned under the
// engine's lock and read after it.
type partPlan struct {
	note     string
	attempt  string // whose output goes under the note ("" for none)
	verbatim bool   // an output not complete: ": " lines
	// failedValue: the output is what Babel has of the failed program
	// (plan.FailedValue), not what it printed.
	failedValue bool
}

// failureNote says how an instance ended without finishing, after
// "borges: " ("failed — timed out after 2s", "killed on request").
func failureNote(rec *store.Instance) string {
	msg := rec.Message
	switch State(rec.State) {
	case Killed:
		note := "killed"
		if strings.HasPrefix(msg, "killed") {
			note, msg = msg, ""
		}
		if msg != "" {
			note += " — " + msg
		}
		if rec.Tries() == 0 {
			note += ", before it ran"
		}
		return note
	case Failed:
		if msg == "" && rec.ExitCode != nil {
			msg = fmt.Sprintf("exit status %d", *rec.ExitCode)
		}
		if rec.Tries() == 0 && msg != "" {
			// Never launched: its dependency ended without finishing.
			msg = "not run: " + msg
		}
	}
	if msg == "" {
		return rec.State
	}
	return rec.State + " — " + msg
}

// blockedWhy says why a task cannot run, a dependency having ended
// without finishing (DependencyReadiness said so as why), naming the
// dependency as the user wrote it: a block whose :post chain it is, not
// the chain's task (plan.Task.Shown). The first in name order, so that
// the message stays the same from one look to the next.
func (ds *docState) blockedWhy(deps map[string]State, why string) string {
	var failed []string
	for name, s := range deps {
		if ended(s) {
			failed = append(failed, name)
		}
	}
	if len(failed) == 0 {
		return why
	}
	slices.Sort(failed)
	name := failed[0]
	if d := ds.byName[name]; d != nil && d.task != nil {
		if r := ds.byName[d.task.ResultsWith]; d.task.ReadsOutput && r != nil && r.task != nil {
			// Emacs's read of a block's output: the block, as the
			// user wrote it.
			return "dependency " + r.task.Shown() + " " + string(deps[name])
		}
		return "dependency " + d.task.Shown() + " " + string(deps[name])
	}
	return "dependency " + name + " " + string(deps[name])
}

// chainFailure is, for the task of a :post chain that did not run, the
// task of the same chain (or its block) whose failure stopped it: the
// first one back that ran and ended without finishing; nil when none
// did (a dependency outside the chain stopped it).
func (ds *docState) chainFailure(b *blockState) *blockState {
	owner := b.task.PostOwner()
	if owner == "" {
		return nil
	}
	cur := b
	for range len(ds.blocks) {
		var next *blockState
		for _, name := range cur.task.After {
			d := ds.byName[name]
			if d == nil || d.task == nil || len(d.instances) != 1 || !ended(State(d.instances[0].rec.State)) {
				continue
			}
			if r := ds.byName[d.task.ResultsWith]; d.task.ReadsOutput && d.instances[0].rec.Tries() == 0 && r != nil && r.task != nil && len(r.instances) == 1 {
				// Emacs's read of a block's output, not run as the
				// block ended without finishing: that block.
				name, d = d.task.ResultsWith, r
			}
			if name == owner || d.task.PostOwner() == owner {
				next = d
				break
			}
		}
		if next == nil {
			return nil
		}
		if next.instances[0].rec.Tries() > 0 || !next.task.Post {
			return next
		}
		cur = next
	}
	return nil
}

// within says in a note "borges: failed — why" what of the block failed:
// "borges: failed — :post f(x=*this*): exit status 3".
func within(note, what string) string {
	state, why, ok := strings.Cut(note, " — ")
	if !ok {
		return note + " — " + what
	}
	return state + " — " + what + ": " + why
}

// ended reports whether a state is an end other than finishing.
func ended(s State) bool { return s == Failed || s == Killed || s == Lost }

// resultParts plans the drawer of a block that ended without finishing
// or that runs as several instances; ok is false for a block whose
// results are Babel's own (one instance, finished, running or queued).
// The caller holds e.mu.
func resultParts(b *blockState) (parts []partPlan, ok bool) {
	if len(b.instances) == 1 {
		in := b.instances[0]
		if !ended(State(in.rec.State)) {
			return nil, false
		}
		if b.task.Post && State(in.rec.State) == Failed && in.rec.Tries() == 0 {
			if f := b.doc.chainFailure(b); f != nil {
				// Not run, as its chain stopped before it: the
				// block's results say what stopped it.
				parts, _ := resultParts(f)
				if len(parts) == 1 && f.task.Post {
					parts[0].note = within(parts[0].note, strings.TrimPrefix(f.task.Shown(), f.task.PostOwner()+"'s "))
				}
				return parts, true
			}
		}
		p := partPlan{note: "borges: " + failureNote(&in.rec), attempt: in.rec.AttemptID}
		if _, ok := plan.FailedValue(b.task); ok && b.task.Post && State(in.rec.State) == Failed {
			// A failed :post: Babel writes nil in its block's place.
			p.attempt, p.failedValue = "", true
		}
		return []partPlan{p}, true
	}
	started := false
	for _, in := range b.instances {
		if in.rec.AttemptID != "" || ended(State(in.rec.State)) {
			started = true
		}
	}
	if !started {
		// None ran yet (queued), or all stand on cached results.
		return nil, false
	}
	for _, in := range b.instances {
		rec := &in.rec
		p := partPlan{note: fmt.Sprintf("borges: instance %d", rec.Instance), attempt: rec.AttemptID}
		switch s := State(rec.State); {
		case s == Finished:
		case ended(s):
			p.note += " " + failureNote(rec)
		case s == Running || s == Staged:
			p.note += " " + string(s)
			if rec.StartedAt != nil {
				p.note += " since " + rec.StartedAt.Format(time.RFC3339)
			}
			p.note += fmt.Sprintf(" (attempt %d)", rec.Tries())
			p.verbatim = true
		case rec.Tries() > 0 && rec.AttemptID != "":
			p.note += fmt.Sprintf(" restarting (attempt %d ended: %s)", rec.Tries(), rec.Message)
			p.verbatim = true
		default:
			p.note += " queued"
			p.attempt = ""
		}
		parts = append(parts, p)
	}
	return parts, true
}

// readParts reads each part's output (the block's result stream, up to
// the results cap) into the drawer's parts.
func (e *Engine) readParts(t *plan.Task, plans []partPlan) org.Result {
	r := org.Result{Reader: t.Reader}
	for _, p := range plans {
		part := org.Part{Note: p.note, Verbatim: p.verbatim}
		if p.failedValue {
			fv, _ := plan.FailedValue(t)
			part.Output, r.Reader = fv.Scalar, org.ReadGeneric
		}
		if p.attempt != "" {
			stream := resultStream(t)
			if p.verbatim {
				stream = "stdout"
			}
			out, size := e.readCapped(p.attempt, stream, e.cfg.MaxResultBytes)
			if size > int64(len(out)) {
				var note string
				out, note = truncatedNote(out, size)
				part.Note += "; " + strings.TrimPrefix(note, "borges: ")
				part.Verbatim = true
			} else if !p.verbatim {
				out = plan.ResultText(t, out)
			}
			part.Output = out
		}
		r.Parts = append(r.Parts, part)
	}
	return r
}

// waitState is the state of t's dependency name as t sees it
// (dependencyState): a writer t waits for only for its :file
// (plan.Task.WaitsOnlyForFile) counts as finished once it has ended,
// however it ended, as Emacs runs t after it (stagedFiles places its
// file only if it finished). The caller holds e.mu.
func (ds *docState) waitState(t *plan.Task, name string) State {
	s := ds.dependencyState(name)
	if t != nil && t.WaitsOnlyForFile(name) && ended(s) {
		return Finished
	}
	if d := ds.byName[name]; t != nil && t.Post && t.ResultsWith == name && d != nil && d.task != nil && plan.FailureSkipsPost(d.task) {
		// An Emacs Lisp block's error, under :on-failure continue
		// too, fails the block, :post included: Emacs never runs
		// its :post after it.
		if raw := ds.blockState(name); ended(raw) {
			return raw
		}
	}
	if s == Failed && failedForPost(t, ds.byName[name]) {
		// A :post runs with org-babel-eval's nil as *this*.
		return Finished
	}
	if s == Failed && t != nil && !t.UsesValueOf(name) && unreadFailed(ds.byName[name]) {
		// Only after it in the document's Emacs: the reading of a
		// failed block's output, part of that block in Emacs, which
		// goes on to what follows it.
		return Finished
	}
	return s
}

// unreadFailed reports whether r is Emacs's read of a block's output
// that never ran, that block having ended without finishing: in Emacs
// the reading is the block's own, and what only follows it in the
// document's Emacs runs, as Emacs runs it after the block (those that
// use the block's value still fail as its dependents). The caller
// holds e.mu.
func unreadFailed(r *blockState) bool {
	if r == nil || r.task == nil || !r.task.ReadsOutput || len(r.instances) != 1 || r.instances[0].rec.Tries() != 0 {
		return false
	}
	owner := r.doc.byName[r.task.ResultsWith]
	return owner != nil && ended(owner.state())
}

// failedForPost reports whether t, a :post's task, runs after dep, the
// block (or the :post task before it in a chain) whose result is its
// *this*, has failed (plan.Task.RunsAfterFailureOf): its one attempt
// exited non-zero, which org-babel-eval turns into nil, and
// org-babel-execute-src-block runs the :post with that nil all the same
// (refsOfTask binds it). Not after a failure that stopped the document
// at dep (its ResultStop: a Perl :results output block, whose nil ob-perl
// inserts as text before Babel calls the :post), nor after an attempt
// Borges's :timeout ended, a kill or a loss, which Emacs has no
// counterpart of (exitedNonZero). dep may be Emacs's read of the block's
// output (a JavaScript value, a :results output table), which never ran,
// the block having failed: Babel reads org-babel-eval's nil as nil, and
// the :post runs after the block's failure. The caller holds e.mu.
func failedForPost(t *plan.Task, dep *blockState) bool {
	if r := readOfFailed(t, dep); r != nil {
		dep = r
	}
	if dep == nil || len(dep.instances) != 1 || !t.RunsAfterFailureOf(dep.task) {
		return false
	}
	rec := &dep.instances[0].rec
	return exitedNonZero(rec) && rec.ResultStop == ""
}

// continuedForPost reports whether t is the :post whose *this* is the
// result of dep, a block :on-failure continue whose one attempt exited
// non-zero with org-babel-eval's nil (plan.Task.RunsAfterFailureOf):
// Babel binds *this* to that nil. The caller holds e.mu.
func continuedForPost(t *plan.Task, dep *blockState) bool {
	if t == nil || dep == nil || dep.task == nil || !dep.task.ContinueOnFailure || t.ResultsWith != dep.task.Block || len(dep.instances) != 1 || !t.RunsAfterFailureOf(dep.task) {
		return false
	}
	rec := &dep.instances[0].rec
	return State(rec.State) == Failed && exitedNonZero(rec) && rec.ResultStop == ""
}

// readOfFailed is, for dep, the task of Emacs's read of the output of
// the block whose result is t's *this* (t a :post), which was not run,
// that block (nil for any other dep).
func readOfFailed(t *plan.Task, dep *blockState) *blockState {
	if t == nil || !t.Post || dep == nil || dep.task == nil || !dep.task.ReadsOutput || dep.task.ResultsWith != t.ResultsWith {
		return nil
	}
	if len(dep.instances) != 1 || dep.instances[0].rec.Tries() != 0 {
		return nil
	}
	return dep.doc.byName[t.ResultsWith]
}

// dependencyState is a block's state as the blocks that depend on it see
// it: one with :on-failure continue that ended without finishing counts
// as finished once none of its instances is still to end, so that they
// run with what it printed, as Emacs runs them. The caller holds e.mu.
func (ds *docState) dependencyState(name string) State {
	s := ds.blockState(name)
	b := ds.byName[name]
	if b != nil && b.task != nil && failedInlineNil(b) {
		// Its :post runs with org-babel-eval's nil, as Emacs runs it.
		return Finished
	}
	if b == nil || b.task == nil || !b.task.ContinueOnFailure || !ended(s) {
		return s
	}
	for _, in := range b.instances {
		if !State(in.rec.State).Terminal() {
			return Running
		}
	}
	return Finished
}
