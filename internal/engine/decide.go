package engine

import (
	"slices"
	"sort"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// This file holds the engine's decisions as pure functions: given what is
// known, what should happen. The engine applies them; tests call them
// directly with made-up state and time.

// Readiness is where an instance stands with respect to its dependencies.
type Readiness int

const (
	Ready   Readiness = iota // every dependency finished
	Waiting                  // some dependency has not finished yet
	Blocked                  // some dependency ended without finishing: this cannot run
)

// Readiness of an instance whose task depends on blocks in the given
// states (each dependency's summary state, see BlockState).
func DependencyReadiness(deps map[string]State) (Readiness, string) {
	waiting := false
	for name, s := range deps {
		switch s {
		case Finished:
		case Failed, Killed, Lost:
			return Blocked, "dependency " + name + " " + string(s)
		default:
			waiting = true
		}
	}
	if waiting {
		return Waiting, ""
	}
	return Ready, ""
}

// BlockState summarises a block's instances for its dependents and views:
// finished when all finished; failed/killed/lost when one ended so and
// will not run again; otherwise the least advanced live state.
func BlockState(instances []State) State {
	if len(instances) == 0 {
		return Queued
	}
	all := true
	for _, s := range instances {
		if s != Finished {
			all = false
		}
	}
	if all {
		return Finished
	}
	for _, bad := range []State{Failed, Killed, Lost} {
		for _, s := range instances {
			if s == bad {
				return bad
			}
		}
	}
	for _, s := range []State{Queued, Staged, Running} {
		for _, x := range instances {
			if x == s {
				return s
			}
		}
	}
	return instances[0]
}

// Backoff before restarting after k consecutive quick exits: 1s, 2s, 4s…
// up to a minute.
func Backoff(k int) time.Duration {
	if k < 1 {
		k = 1
	}
	d := time.Second << (k - 1)
	if k > 7 || d > time.Minute {
		return time.Minute
	}
	return d
}

// BackoffState is where a queued instance stands with respect to the
// backoff of a restart.
type BackoffState int

const (
	NoBackoff  BackoffState = iota // it is not waiting out a backoff
	BackingOff                     // its backoff runs until its next run time
	BackoffDue                     // its backoff has come due: it runs as soon as it may
)

// RestartBackoff says where an instance to run again at nextRunAt (nil
// when no restart waits) stands at now. A backoff that comes due changes
// what its view says it waits for; the scheduler, which knows when the
// next one is due, is what sees it come due, once per instance: once seen
// the engine forgets nextRunAt, and the instance has NoBackoff.
func RestartBackoff(nextRunAt *time.Time, now time.Time) BackoffState {
	switch {
	case nextRunAt == nil:
		return NoBackoff
	case nextRunAt.After(now):
		return BackingOff
	default:
		return BackoffDue
	}
}

// QuickRun is how long a run must last for its exit not to count towards
// the backoff.
const QuickRun = time.Minute

// MaxLostReruns bounds how often a task lost by its backend is run again,
// so that a task that kills its own machine does not loop forever.
const MaxLostReruns = 3

// Outcome is what to do once an attempt has ended.
type Outcome struct {
	State     State // the instance's state from now on
	Restart   bool  // queue another attempt
	NextRunAt time.Time
	Quick     int // consecutive quick exits after this one
}

// AfterAttempt decides what follows an attempt that ended in state ended
// after running for ran: it-keeps-running tasks restart (with backoff)
// unless killed; it-finishes tasks retry failures while :retries allows,
// and run again when lost.
func AfterAttempt(t *plan.Task, ended State, attempts, quick, lost int, ran time.Duration, killRequested bool, now time.Time) Outcome {
	if ran < QuickRun {
		quick++
	} else {
		quick = 1
	}
	restart := func() Outcome {
		return Outcome{State: Queued, Restart: true, NextRunAt: now.Add(Backoff(quick)), Quick: quick}
	}
	if killRequested || ended == Killed {
		return Outcome{State: Killed, Quick: quick}
	}
	if t.Ensure == plan.ItKeepsRunning {
		return restart()
	}
	switch ended {
	case Finished:
		return Outcome{State: Finished, Quick: quick}
	case Lost:
		if lost < MaxLostReruns {
			return restart()
		}
	case Failed:
		if attempts <= t.Retries {
			return restart()
		}
	}
	return Outcome{State: ended, Quick: quick}
}

// Candidate is an instance ready to launch, in queue order.
type Candidate struct {
	Resources plan.Resources
}

// Admit picks which ready candidates fit in the capacity left, in order:
// each that fits is admitted; one that does not is skipped (a smaller one
// behind it may still run). A candidate larger than the whole capacity
// never fits; planning rejects such tasks.
func Admit(candidates []Candidate, capacity, used plan.Resources) []int {
	var out []int
	free := freeOf(capacity, used)
	for i, c := range candidates {
		r := c.Resources
		if !fits(r, free, capacity) {
			continue
		}
		free = take(free, r)
		out = append(out, i)
	}
	return out
}

// LeftBlock is a block no longer in the document as SessionsLeftOtherwise
// sees it: the key of its session ("" for none, or for the document's
// Emacs, which runs again with the block that dropped it), and whether an
// attempt of it launched in the session's current interpreter (staged,
// running or ended there; queued again since, it did not).
type LeftBlock struct {
	Session string
	Ran     bool
}

// SessionsLeftOtherwise are the sessions whose current interpreters hold
// what a block no longer in the document did: one of gone ran there, which
// org-babel-execute-buffer, not finding the block, never does. Each is to
// run again from its first block, in a new interpreter, as a restart of
// one of its blocks runs it. The keys are in the order first met, each
// once; a block that never launched there leaves its interpreter as
// Emacs has it.
func SessionsLeftOtherwise(gone []LeftBlock) []string {
	var out []string
	for _, b := range gone {
		if b.Session != "" && b.Ran && !slices.Contains(out, b.Session) {
			out = append(out, b.Session)
		}
	}
	return out
}

// Finder is a task whose results, once written, org-babel-execute-buffer
// may find blocks in (their header makes them Org text), standing before
// a block of a session, as FinderWait sees it: its name and state.
type Finder struct {
	Name  string
	State State
}

// FinderWait is the index in before, the finders before a block of a
// session in document order, of the one it waits for, until that ends,
// before it launches; -1 for none. A block of its session found in their
// results stands before it, and Emacs sends it to the interpreter first:
// launched before them, the block would leave the interpreter unable to
// take such a block in its place, and the session would run again for
// each one found. It waits for the first that has not ended, one at a
// time (when that ends it looks again), but for one that needs the block
// (needs, asked only of a finder not ended: Emacs runs the block first,
// resolving the reference), which it passes over.
func FinderWait(before []Finder, needs func(i int) bool) int {
	for i, f := range before {
		if f.State.Terminal() || needs != nil && needs(i) {
			continue
		}
		return i
	}
	return -1
}

// SessionsToClose are the sessions whose interpreters can end: every
// instance of every block of the session has ended (a session none of
// whose blocks is left, too). sessions maps a session id to the states of
// its blocks' instances. The ids are sorted.
func SessionsToClose(sessions map[string][]State) []string {
	var out []string
	for id, states := range sessions {
		done := true
		for _, s := range states {
			if !s.Terminal() {
				done = false
				break
			}
		}
		if done {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// IntentFate is what a server that starts makes of a launch intent (the
// store's Intend) whose launch it has no record of.
type IntentFate int

const (
	NotLaunched   IntentFate = iota // the instance stays queued, no attempt counted
	MaybeLaunched                   // as an attempt launched that its backend may not know
)

// UnrecordedIntent decides an intent whose launch is not stored, on the
// boot it was written on (sameBoot: the machine has not started again
// since) and with its dependencies in the given states. The launch record
// is written before the program runs and kept by the page cache while the
// machine runs: on the same boot its absence says the launch never
// happened. After a reboot the record may have been lost, unless the
// launch could not have happened at all: a dependency ended without
// finishing.
func UnrecordedIntent(sameBoot bool, deps map[string]State) IntentFate {
	if sameBoot {
		return NotLaunched
	}
	if r, _ := DependencyReadiness(deps); r == Blocked {
		return NotLaunched
	}
	return MaybeLaunched
}

// AfterIntentLost decides an attempt staged from an intent
// (MaybeLaunched) that its backend reports lost or does not know: it may
// never have been launched, so it counts as no run: queued again at once,
// with no try, loss, retry or backoff counted (its attempt id stays
// spent: store.Instance.Unlaunched); killed if a kill was requested.
func AfterIntentLost(killRequested bool) Outcome {
	if killRequested {
		return Outcome{State: Killed}
	}
	return Outcome{State: Queued}
}

// ReplacedDecision decides a block standing in old results that its
// owner's new results replace (plan.Task.Replaced, replaced its reason)
// from how the owner ended (s), not from what the block waits for: it
// waits while the owner has not ended; once the owner wrote its results
// (wrote: an attempt that finished or failed, whose results Babel writes
// all the same) it is not run, for replaced. An owner killed, lost, or
// failed before an attempt wrote nothing: the old results stay, the
// block in them is not run (Emacs, which replaces them first, never
// reaches it), and says so. An owner not run itself (cached, stopped
// before) leaves the old results to Emacs: the block is decided as any
// other (why "").
func ReplacedDecision(replaced, owner string, s State, wrote bool) (wait bool, why string) {
	switch {
	case !s.Terminal():
		return true, ""
	case wrote:
		return false, replaced
	case s == Finished:
		return false, ""
	}
	return false, "not run: it stands in the old results of " + owner + ", which ended " + string(s) + " before it wrote new ones: they stay, but org-babel-execute-buffer, which replaces them first, never reaches it"
}

// HoldMoves decides the message of a block held by a stop, saying held,
// once the blocks held are weighed again against the document's stop as
// it stands (Emacs stops at the first in the buffer, whichever Borges
// knew first): now, what that stop says of the block, when it holds it
// and says another thing; held stays otherwise (a stop that does not
// hold it leaves it to the one that did).
func HoldMoves(held, now string) (string, bool) {
	if now == "" || now == held {
		return held, false
	}
	return now, true
}
