package engine

import (
	"fmt"
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
		if rec.Attempts == 0 {
			note += ", before it ran"
		}
		return note
	case Failed:
		if msg == "" && rec.ExitCode != nil {
			msg = fmt.Sprintf("exit status %d", *rec.ExitCode)
		}
		if rec.Attempts == 0 && msg != "" {
			// Never launched: its dependency ended without finishing.
			msg = "not run: " + msg
		}
	}
	if msg == "" {
		return rec.State
	}
	return rec.State + " — " + msg
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
			p.note += fmt.Sprintf(" (attempt %d)", rec.Attempts)
			p.verbatim = true
		case rec.Attempts > 0 && rec.AttemptID != "":
			p.note += fmt.Sprintf(" restarting (attempt %d ended: %s)", rec.Attempts, rec.Message)
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

// dependencyState is a block's state as the blocks that depend on it see
// it: one with :on-failure continue that ended without finishing counts
// as finished once none of its instances is still to end, so that they
// run with what it printed, as Emacs runs them. The caller holds e.mu.
func (ds *docState) dependencyState(name string) State {
	s := ds.blockState(name)
	b := ds.byName[name]
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
