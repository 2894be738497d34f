package engine

import (
	"errors"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// This file holds what users see of documents (the views the API answers
// with, and the errors it maps to statuses) and builds a document's view
// from the engine's state.

// Errors the engine returns; the API maps each kind to an HTTP status in one
// place. A rejected document returns *plan.RejectError (400).
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict") // e.g. restart of a block that is still running
	// ErrBusy: the server holds as many task instances as it may
	// (Config.MaxTracked); a later submission may succeed (503).
	ErrBusy = errors.New("the server is busy: it holds as many task instances as it may; try again later")
	// ErrTooLate: the request ended (deadline, client gone) before it
	// took effect, and nothing was done (503).
	ErrTooLate = errors.New("the request ended before it took effect; nothing was done")
	// ErrStopped: the engine is shutting down and stores nothing more;
	// what was asked is not on disk (503).
	ErrStopped = errors.New("the server is shutting down: the change was not stored")
	// ErrReportUnread: a report of the Org buffer an Emacs Lisp task
	// left, which results are decided from, could not be read again
	// from its backend; the same request may succeed later (503).
	ErrReportUnread = errors.New("a report of the Org buffer the results are decided from could not be read again; try again later")
	// ErrReportLost: a report of the Org buffer an Emacs Lisp task
	// left, which results are decided from, could not be read again at
	// any of its reads for a while (Config.reportLostAfter,
	// reportReloadRounds of them at least): it is lost, and the
	// results document is not written as if the buffer were as
	// submitted; asking again does not help (500) until the server is
	// started again, which reads it again.
	ErrReportLost = errors.New("a report of the Org buffer the results are decided from is lost")
	// ErrEndUnknown: org-babel-execute-buffer, after every task,
	// reads a block :eval refuses whose :var values, as an Emacs Lisp
	// block rewrote them, Borges does not evaluate (plan.RefusedEnd's
	// Unread): whether Emacs stops there, or what they do to the
	// buffer, is not known, and no task after it fails for it, so the
	// results document is not written (422: the document's, lasting).
	ErrEndUnknown = errors.New("the results document is not written: what org-babel-execute-buffer does at a block :eval refuses after every task is not known")
)

// DocumentView is what users see of one submitted document.
type DocumentView struct {
	ID          string      `json:"id"`
	Title       string      `json:"title,omitempty"` // #+TITLE
	SubmittedAt time.Time   `json:"submitted_at"`
	State       State       `json:"state"` // running while any task is not terminal, else finished/failed/killed
	Blocks      []BlockView `json:"blocks"`
	// Notes are what the server says of the document as a whole (e.g. an
	// #+include: line it received unexpanded).
	Notes []string `json:"notes,omitempty"`
	// BlocksTotal, Offset and Tasks are in an answer asked for by page
	// (DocumentPage), and in one that holds only part of a document of
	// more blocks than one answer holds: Blocks are the document's from
	// Offset on, of BlocksTotal; Tasks counts all of its task instances
	// by state.
	BlocksTotal int           `json:"blocks_total,omitempty"`
	Offset      int           `json:"offset,omitempty"`
	Tasks       map[State]int `json:"tasks,omitempty"`
}

// BlockView is one source block of a document and its tasks.
type BlockView struct {
	Name string `json:"name"` // block name, or "block-N"
	// Line is where the block is: for a block of the document or one
	// added to the buffer, the line its Org element begins at (its
	// first affiliated keyword, #+name, when it has one); for one
	// Found in results, that of its #+begin_src in the Org buffer, not
	// the #+RESULTS: line above it; for a :post task (Shown), its
	// owner's. The notes and messages of a stop name the same line.
	Line      int            `json:"line"`
	Lang      string         `json:"lang"`
	Runnable  bool           `json:"runnable"`
	Reason    string         `json:"reason,omitempty"` // why not runnable
	State     State          `json:"state,omitempty"`  // summary of its instances
	Task      *plan.Task     `json:"task,omitempty"`
	Instances []InstanceView `json:"instances,omitempty"`
	// Shown is how users see a task of a :post chain (plan.Task.PostShown):
	// the block whose :post it runs and the chain as written,
	// "main (:post f(s=*this*))", at that block's Line; Name stays the
	// task's, which logs, kills and restarts take.
	Shown string `json:"shown,omitempty"`
	// AddedBy names the Emacs Lisp block that added this block to the
	// Org buffer, where Emacs runs it: it is not in the document as
	// submitted, and Line is its line in that buffer (for one Found,
	// that of its #+begin_src there).
	AddedBy string `json:"added_by,omitempty"`
	// Found: this block was found in AddedBy's results, where
	// org-babel-execute-buffer meets it as it searches on (AddedBy
	// need not be an Emacs Lisp block).
	Found bool `json:"found,omitempty"`
}

// InstanceView is one instance of a task and its current attempt.
type InstanceView struct {
	Instance   int        `json:"instance"`
	State      State      `json:"state"`
	Attempts   int        `json:"attempts"` // its tries launched (store.Instance.Tries)
	AttemptID  string     `json:"attempt_id,omitempty"`
	ExitCode   *int       `json:"exit_code,omitempty"`
	Message    string     `json:"message,omitempty"`
	Host       string     `json:"host,omitempty"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	NextRunAt  *time.Time `json:"next_run_at,omitempty"` // when a restart with backoff is due
	// Waiting says what a queued instance waits for: its dependencies
	// that have not finished, a restart's backoff, or the CPUs and memory
	// it needs against what is free (see waiting.go).
	Waiting string `json:"waiting,omitempty"`
	// PastAttempts are the instance's attempts that ended before its
	// current one (restarts, retries), oldest first: kept in memory only,
	// the last maxPastAttempts of them, since the server started.
	PastAttempts []AttemptView `json:"past_attempts,omitempty"`
}

// AttemptView is one ended attempt of an instance.
type AttemptView struct {
	Attempt    int        `json:"attempt"`
	AttemptID  string     `json:"attempt_id"`
	State      State      `json:"state"`
	ExitCode   *int       `json:"exit_code,omitempty"`
	Message    string     `json:"message,omitempty"`
	Host       string     `json:"host,omitempty"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// ShownName is the block's name as users see it: Shown for a task of a
// :post chain, else Name.
func (b BlockView) ShownName() string {
	if b.Shown != "" {
		return b.Shown
	}
	return b.Name
}

// maxPastAttempts bounds the attempts an instance remembers.
const maxPastAttempts = 20

// DocumentSummary is one line of GET /org.
type DocumentSummary struct {
	ID          string        `json:"id"`
	Title       string        `json:"title,omitempty"`
	SubmittedAt time.Time     `json:"submitted_at"`
	State       State         `json:"state"`
	Tasks       map[State]int `json:"tasks"`
	// FinishedAt is when its last task ended, once none runs (for the
	// page's durations).
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// Document returns one document's view.
func (e *Engine) Document(id string) (*DocumentView, error) {
	ds, err := e.lockedDoc(id)
	if err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	return e.view(ds), nil
}

func (e *Engine) view(ds *docState) *DocumentView {
	return e.viewPage(ds, 0, len(ds.blocks))
}

// viewPage is the view of ds with the blocks from offset, at most limit
// of them; the document's state is its whole state. The caller holds
// e.mu.
func (e *Engine) viewPage(ds *docState, offset, limit int) *DocumentView {
	v := &DocumentView{ID: ds.id, Title: ds.title, SubmittedAt: ds.submitted, Notes: ds.notes()}
	waiting := e.waitingFor()
	// The blocks that finished but whose results were not written:
	// their :post, or the reading of their value, stopped the document
	// (keptMessage).
	stopped := ds.stoppedChains()
	// And those that ran past a stop, started before it was known
	// (unwrittenNote).
	past := &pastStop{ds: ds}
	// The document's failure stop, asked once, where a block :eval
	// refuses is shown (refusedStopReason).
	var stopF *blockState
	var stopMsg string
	stopKnown := false
	blocks := ds.blocks[min(offset, len(ds.blocks)):]
	blocks = blocks[:min(limit, len(blocks))]
	v.Blocks = make([]BlockView, 0, len(blocks))
	for _, b := range blocks {
		if b.unshownReader() {
			continue
		}
		bv := BlockView{Name: b.name, Line: viewLine(b), Lang: b.lang, Runnable: b.task != nil, Task: b.task, AddedBy: b.addedBy, Found: b.found}
		if b.skipped != nil {
			bv.Reason = b.skipped.Reason
			if b.task == nil {
				if !stopKnown {
					stopF, _, stopMsg = ds.failedStop()
					stopKnown = true
				}
				bv.Reason += refusedStopReason(b, stopF, stopMsg)
			}
		}
		if b.task != nil {
			if bv.Shown = b.task.PostShown(); bv.Shown != "" {
				if owner := ds.byName[b.task.PostOwner()]; owner != nil {
					bv.Line = owner.line
				}
			}
			bv.State = b.state()
			for _, in := range b.instances {
				msg := ds.shownMessage(b, in)
				// What the backend left on a finished attempt
				// ("pid N", "container …") is stale once it has
				// ended: a note saying why its results are not
				// written takes its place.
				if finished := State(in.rec.State) == Finished; finished && (msg == "" || msg == in.rec.Message) {
					if stopped[b] {
						msg = ds.keptMessage(b)
					} else if n := past.unwrittenNote(b, in); n != "" {
						msg = n
					}
				}
				// Only where nothing else is said: a run whose :post a
				// stop held may carry the engine's own "not run: …".
				if msg == "" && State(in.rec.State) == Finished && ds.chainRoot(b) == b && ds.postHeld(b) {
					msg = postHeldKept
				}
				bv.Instances = append(bv.Instances, InstanceView{Instance: in.rec.Instance, State: State(in.rec.State),
					Attempts: in.rec.Tries(), AttemptID: in.rec.AttemptID, ExitCode: in.rec.ExitCode, Message: msg,
					Host: in.rec.Host, StartedAt: in.rec.StartedAt, FinishedAt: in.rec.FinishedAt, NextRunAt: in.rec.NextRunAt,
					Waiting: waiting.reason(b, in), PastAttempts: in.pastAttempts()})
			}
		}
		v.Blocks = append(v.Blocks, bv)
	}
	if len(v.Blocks) == 0 {
		v.Blocks = nil
	}
	v.State = e.briefOf(ds).state
	return v
}

// unshownReader reports whether b is a task reading its block's output in
// Emacs that has not run: a view lists it only once it runs. Most never
// do (Borges reads the output itself, and the task ends "not run"), and
// a line saying so under nearly every Ruby, Python and JavaScript block
// would hide the blocks' own. The caller holds e.mu.
func (b *blockState) unshownReader() bool {
	if b.task == nil || !b.task.ReadsOutput {
		return false
	}
	for _, in := range b.instances {
		if in.rec.Tries() > 0 {
			return false
		}
	}
	return true
}

// documentState: running while any block is not terminal; then failed if
// any failed or was lost, killed if any was killed, else finished.
func documentState(blocks []State) State {
	if len(blocks) == 0 {
		return Finished
	}
	result := Finished
	for _, s := range blocks {
		switch s {
		case Queued, Staged, Running:
			return Running
		case Failed, Lost:
			result = Failed
		case Killed:
			if result == Finished {
				result = Killed
			}
		}
	}
	return result
}
