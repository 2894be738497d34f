// Package engine owns documents and tasks: the queue, the dependency order,
// admission against capacity, lifecycles and restarts. Its decisions are pure
// functions over a snapshot of state; backends only carry them out.
package engine

import (
	"context"
	"sync"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/sandboxfs"
	"github.com/wallyqs/borges/internal/store"
)

// State is where one task attempt stands. The names are what users see.
type State string

const (
	Queued   State = "queued" // waiting for dependencies or capacity
	Staged   State = "staged" // handed to the backend, not yet running
	Running  State = "running"
	Finished State = "finished" // exited 0
	Failed   State = "failed"   // exited non-zero, timed out, or could not start
	Killed   State = "killed"   // stopped on request
	Lost     State = "lost"     // the backend lost track of it (agent lost, server crash)
)

// Terminal reports whether no further update can follow.
func (s State) Terminal() bool {
	switch s {
	case Finished, Failed, Killed, Lost:
		return true
	}
	return false
}

// Attempt is one launch of one instance of a task.
type Attempt struct {
	ID       string // unique: "<doc>.<index>-<block>.<instance>.<n>" (see attemptID), safe in file names, container names and Mesos task ids
	DocID    string
	Block    string
	Instance int // 0-based
	Number   int // 1-based attempt number for this instance
	Task     *plan.Task
	// Script is Task.Script with the values of ref :vars bound (the
	// engine fills them from the referenced blocks' results).
	Script string
	// Env is BORGES_* over Task.Env over the environment the document's
	// Emacs left before the block (environment.go).
	Env map[string]string
	// Unset are variables the program's environment must not have,
	// though the backend would give them (the server's PATH, HOME…): the
	// document's Emacs removed them before the block (environment.go).
	Unset []string
	// Session, for a block of a Babel session (Task.Session), names the
	// session's interpreter: "<doc>/<key>/<generation>". Attempts of one
	// session id run in one interpreter, one after the other; a restart
	// of the session gives it a new generation.
	Session string
	// Durable is closed once the attempt's launch is on disk (the
	// engine's write-ahead). A backend is given an attempt before then
	// only if it is an EarlyLauncher; nil counts as closed.
	Durable <-chan struct{}
	// FromIntent, for an attempt recovered, says it was staged from a
	// launch intent whose launch was not on disk (after a reboot): the
	// backend may never have been given it, and one that does not know
	// it reports it lost at once, with no grace.
	FromIntent bool
	// Files are placed in the sandbox before the program runs, at their
	// paths beneath it (StagedFile): what a backend that cannot place
	// them must refuse the launch for, not run the program without.
	Files []StagedFile
	// LaunchTicks is the machine's boot clock (CLOCK_BOOTTIME) in clock
	// ticks (1/100 s, the unit of a process's start in /proc/PID/stat),
	// read before the backend was given the attempt: no process of it
	// started before. Kept with the attempt's record, it is given again
	// with an attempt recovered; 0 where it is not known (a record of an
	// older Borges, an attempt staged from an intent). An attempt a
	// restart killed keeps them beside its instance's Dying
	// (store.Instance.DyingTicks).
	LaunchTicks uint64
}

// WaitDurable returns once the attempt's launch is on disk (Durable).
func (a *Attempt) WaitDurable() {
	if a.Durable != nil {
		<-a.Durable
	}
}

// EarlyLauncher is implemented by a backend whose Launch may be called
// before the attempt's launch is on disk, so that making its process
// overlaps the write's sync: its Launch lets nothing of the program run,
// and reports no update, before Attempt.Durable is closed (WaitDurable).
// A server that dies meanwhile must leave nothing of it running: the
// local backend's wrapper waits at its gate, and exits at once when the
// server's end of it closes. It is optional, checked by type assertion.
type EarlyLauncher interface {
	LaunchesEarly() bool
}

// Update is a status change a backend reports for an attempt.
type Update struct {
	AttemptID string
	State     State
	ExitCode  *int
	Message   string
	// TimedOut says, of a Failed attempt, that Borges's own :timeout
	// ended it (the backend killed it for it): its exit status, if any,
	// is that of the kill, not its program's. Said by this flag alone,
	// never by the words of Message.
	TimedOut bool
	Time     time.Time
	// Host is where the attempt runs (agent hostname for Mesos, "" locally).
	Host string
	// Stored, when set, is called once the state the update made is
	// committed to the store: at once when it makes none or there is no
	// store, with the writer's next batch otherwise (no commit of its
	// own). It is not called if that write failed, or the engine stopped
	// before it: a backend that acknowledges the update in it leaves it
	// unacknowledged, and its source sends it again. It must not block
	// (the engine's writer calls it).
	Stored func()
}

// LegacyTimedOutPrefix began the message every backend gave an attempt
// its :timeout ended ("timed out after 2s") before Update.TimedOut: a
// record an older Borges kept, with no flag, says a timeout by it alone
// (the store's, store.LegacyTimedOutPrefix, and a backend's own, such as
// Kubernetes's kept end of an attempt).
const LegacyTimedOutPrefix = store.LegacyTimedOutPrefix

// Backend runs attempts somewhere. Implementations: backend/local (this
// machine's processes) and backend/mesos (a Mesos framework).
type Backend interface {
	// Name is "local" or "mesos".
	Name() string
	// Limits are the largest resources one task could ever get, for
	// validation at submit time.
	Limits() plan.Limits
	// Capacity is the total this backend admits at once; ok=false means
	// the backend does its own admission (Mesos offers) and the engine
	// hands it every ready attempt.
	Capacity() (total plan.Resources, ok bool)
	// Start begins the backend's work; updates go to sink until ctx ends.
	// sink must not block for long.
	Start(ctx context.Context, sink func(Update)) error
	// Launch hands an attempt over; it returns once the backend has taken
	// it (Staged). Its progress arrives through the sink.
	Launch(ctx context.Context, a *Attempt) error
	// Kill stops an attempt (the whole process group / the Mesos task).
	Kill(ctx context.Context, attemptID string) error
	// Recover is called once, at start, after Start, with the attempts
	// the store believes are staged or running; the backend re-attaches
	// to those still alive and reports the others Lost through the sink.
	// Until it is called a backend may hold the updates of tasks it does
	// not know yet (a restarted framework is told of them early).
	Recover(ctx context.Context, attempts []*Attempt) error
	// ReadLog reads up to max bytes of an attempt's stream ("stdout",
	// "stderr", "value", or any file of its sandbox by a path that
	// SandboxPath accepts) from offset. It returns the data and the
	// stream's size known so far. A missing stream reads as empty.
	ReadLog(ctx context.Context, attemptID, stream string, offset int64, max int) (data []byte, size int64, err error)
	// CloseSession ends a session's interpreter (see Attempt.Session) if
	// it runs; the engine calls it once every block of the session has
	// ended, when the session is restarted, and when its document is
	// removed. A backend that keeps no sessions (plan.Limits.NoSessions)
	// has nothing to close.
	CloseSession(ctx context.Context, session string) error
}

// Preparer is implemented by a backend that can make an attempt's files
// ahead of its launch (the local backend: its directories and empty
// files). The engine asks for the next attempt of the blocks that wait on
// nothing but an attempt it has just launched, so that the launch that
// follows that attempt's end has less to do. It is optional, checked by
// type assertion. Prepare must leave alone whatever of the attempt
// exists (it may race with the attempt's launch); an attempt prepared and
// never launched is removed with its document (see attemptIDs).
type Preparer interface {
	Prepare(attemptID string, task *plan.Task)
}

// SandboxPath reports whether p may name a file of an attempt's sandbox:
// a clean relative path that stays inside it. Backends open such a path
// with sandboxfs, which also refuses links on the way.
func SandboxPath(p string) bool {
	return sandboxfs.Valid(p)
}

// Sink holds the function a backend reports updates to (given at Start)
// and delivers updates to it, stamped with the time when they have none.
// Backends embed one.
type Sink struct {
	mu sync.Mutex
	fn func(Update)
}

// SetSink sets where updates go.
func (s *Sink) SetSink(fn func(Update)) {
	s.mu.Lock()
	s.fn = fn
	s.mu.Unlock()
}

// Emit reports an update; before SetSink it is dropped.
func (s *Sink) Emit(u Update) {
	s.mu.Lock()
	fn := s.fn
	s.mu.Unlock()
	if u.Time.IsZero() {
		u.Time = time.Now()
	}
	if fn != nil {
		fn(u)
	}
}
