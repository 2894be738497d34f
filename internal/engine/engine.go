package engine

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// This file holds the engine's state (Config, Engine, and the documents,
// blocks and instances it tracks), its construction and its start. Each
// of the engine's other jobs has a file of its own, so that a change to
// one is read apart from the rest: among them, taking documents in
// (submit.go) and loading stored ones (lazy.go), storing instance states
// (persist.go), the scheduling pass (schedule.go) and the attempts it
// prepares ahead (prepare.go), building an attempt (attempt.go), applying
// backends' updates (updates.go), the values of references and :cache
// (refs.go), reading outputs (output.go), views (view.go, list.go),
// result documents (results.go, failures.go), kills (kill.go), restarts
// (restart.go), sessions (session*.go), logs and files (logs.go),
// removal (remove.go) and the parses kept (parsed.go).

// Config configures an Engine.
type Config struct {
	Backend Backend
	Store   *store.Store
	Logger  *slog.Logger
	Plan    plan.Options
	// Now is the clock (tests pass their own).
	Now func() time.Time
	// MaxResultBytes bounds how much of a block's output is read for its
	// results and for dependents (#+borges_max_result:, default 1 MiB):
	// the results of a longer output show the part kept under a note.
	MaxResultBytes int
	// MaxTracked bounds the task instances the engine holds, all
	// documents together (default DefaultMaxTracked): beyond it a
	// submission gets ErrBusy rather than slow the server down for all.
	MaxTracked int
	// Keep is which ended documents are kept (#+borges_keep); the rest
	// are removed in the background every RetainEvery (see remove.go).
	Keep        Retention
	RetainEvery time.Duration
	// RemoveWait bounds how long a removal waits for the kills of its
	// document's tasks to be final (default DefaultRemoveWait).
	RemoveWait time.Duration
	// PlanHook, when set, runs after a submitted document is planned and
	// before it takes effect (tests make planning slow with it).
	PlanHook func(ctx context.Context)
	// BootID is the machine's boot id (default: read from
	// /proc/sys/kernel/random/boot_id), which tells a server started
	// again whether the machine did too (intent.go); tests pass their
	// own. Without one, no launch is written ahead as an intent.
	BootID func() (string, error)
	// endRead is how a block's output is read once its attempt has
	// ended, and read again after a failed read (readAtEnd); nil for
	// defaultEndReadRetry. Tests set their own.
	endRead *endReadRetry
	// scanMax is the most bytes of a block's output past the results'
	// size limit read for what utf-8-unix cannot encode
	// (scanUnencodable); 0 for defaultScanMax. Tests set their own.
	scanMax int64
	// reportLostAfter is how long the reads again of a report of the
	// Org buffer let go fail, reportReloadRounds of them at least,
	// before it is lost (reloadCounted); 0 for defaultReportLostAfter.
	// Tests set their own.
	reportLostAfter time.Duration
}

// DefaultMaxTracked is twice the instances the server was measured with
// (100,000 in about 120 MB).
const DefaultMaxTracked = 200000

// Engine owns documents and their tasks.
type Engine struct {
	cfg     Config
	backend Backend
	store   *store.Store
	log     *slog.Logger
	now     func() time.Time
	metrics *Metrics

	// writes carries instance states to the writer goroutine, in order:
	// lazy ones (an attempt's end: a restarted server learns it from its
	// backend anyway) and synchronous ones (a launch, a kill), which flush
	// everything before them.
	writes  chan writeReq
	stopped chan struct{} // closed when the writer has stopped
	// sendClosed is set, under sendMu, when the writer stops taking
	// requests (send); active counts the scheduling loop and the
	// launches under way, which the writer outlives (closeWrites).
	sendMu     sync.RWMutex
	sendClosed bool
	active     sync.WaitGroup
	// reading counts the reads of outputs at attempts' ends and of
	// reports under way (readAtEnd, readReport, reloadReport, the staged
	// reads), which the writer outlives too; each starts under mu.
	reading readGroup
	// runCtx is the context Start was given (Background before): the
	// attempt-end reads end with it; readsClosed, under mu, is set
	// once the writer waits for them to end (closeWrites): no more start.
	runCtx      context.Context
	readsClosed bool

	launchSlots chan struct{} // bounds launches in flight
	prepares    chan prepareReq
	// intents are the attempts prepared, whose launches to write ahead
	// as intents (intent.go), on the boot boot (empty: none written).
	intents chan []prepareReq
	boot    string
	// prepMu is held while an attempt is prepared: a removal waits on it
	// before it deletes its document's files, so that no preparation
	// comes after and leaves a directory behind.
	prepMu sync.Mutex

	// recent keeps the last few parsed documents, by id: a document is
	// parsed again when needed rather than kept, so that a server
	// tracking many tasks holds their texts and tasks, not every parse
	// tree.
	recent mru[*org.Document]

	// unreported are the ended attempts of the document's Emacs known to
	// hold no report of its buffer (buffer.go): write-back looks for the
	// latest report, and reads each such attempt once.
	unreported sync.Map
	// reports says of each attempt whose report was read whether it is
	// there or known not to be readable (keptReport): an ended attempt's
	// report does not change, and what the engine decides under its lock
	// (a block's launch and end, a start) looks at it again, which must
	// not read a backend. They are kept until their document is removed,
	// read once at the end of their attempt, or, on a server started
	// again, before their document is planned under the lock
	// (prereadReports).
	reports sync.Map
	// parsedReports are the texts of those reports, parsed
	// (org.BufferReport.Document, made once), the latest used within
	// reportBudget: one let go is read again where its text is needed.
	parsedReports reportLRU
	// editsBuilt counts the edits found from reports (editsOf), for
	// the benchmarks.
	editsBuilt int
	// reloads are the reads again, off the lock, of reports let go
	// (reportBudget) that a decision under the lock needs, by attempt
	// (reportreload.go). Guarded by mu.
	reloads map[string]*reportReload
	// reloadsStarted counts the reads again started (reloadReport),
	// for tests only: TestBufferReportReadAgainWhileRemoving checks with
	// it that a removal does not have them start one after another. An
	// increment under e.mu, kept rather than a hook.
	reloadsStarted int
	// reloadSlots bounds the reads again of reloads made at once
	// (reportPrereads): one taken by each read while it reads.
	reloadSlots chan struct{}

	// untitled are documents stored by an older Borges without their
	// title: fillTitles reads them in the background.
	untitled []string

	mu       engineMutex
	tracked  int // task instances of every document, against MaxTracked
	docs     map[string]*docState
	order    []*docState
	attempts map[string]*instState // live attempts by id
	used     plan.Resources        // what they hold (see track)
	wake     chan struct{}

	// check is the blocks the next scheduling pass looks at: those of a
	// new document, those whose instances or dependencies changed state,
	// and those left ready or waiting for a restart by the last pass. A
	// pass costs what changed, not everything tracked (see touch).
	check map[*blockState]struct{}
	// reholds are the documents whose blocks changed since the last
	// pass, whose held blocks it weighs again (rehold).
	reholds map[*docState]struct{}
	// sessionDocs are the documents with an open session: each pass closes
	// the sessions whose blocks have all ended (see sessionsToClose).
	sessionDocs map[*docState]struct{}
	// nextPos orders documents for the queue (docState.pos).
	nextPos uint64
	// examined counts the instances the last pass looked at.
	examined int
	// passes numbers the scheduling passes; passBufs are their lists,
	// kept for the next (schedule.go).
	passes   uint64
	passBufs passBuffers
	// capWaiting are the instances waiting for capacity (capwait.go).
	capWaiting capWaiting
	// watchers are the channels the watched documents' long polls wait
	// on, closed at their next change. waitForResources are the documents
	// with instances waiting for capacity (capWaiting counts them as
	// instances come and go, not per pass): their views change with what
	// is free, and those watched are watchedForResources (changes.go).
	watchers            map[string]chan struct{}
	waitForResources    map[string]struct{}
	watchedForResources map[string]struct{}
	// endChecks are the documents touched whose end the end check
	// looks at (endcheck.go), woken by endWake; nil until Start, and
	// once its loop has returned (or Start failed).
	endChecks map[*docState]struct{}
	endWake   chan struct{}
}

type docState struct {
	// anyFound: a block found in results was added to the document
	// (never unset): reportedEmacs looks for one only then, where it
	// had walked every block at each end of a block.
	anyFound bool

	// keptBrief is its brief as worked out under the engine's lock's
	// generation keptGen (0: none yet); see Engine.briefOf.
	keptBrief brief
	keptGen   uint64

	// writeBackNote, under the engine's lock, says why the last
	// results document was written from the results, not in the buffer
	// of the Emacs blocks found in results ran in, or why it was not
	// written at all (org.ErrFoundMarkNotFound) (resultDocument); ""
	// when neither, and once a block of it is queued again (requeue).
	writeBackNote string
	// changes counts the changes of the document (docChanged): a
	// write-back made off the lock notes what it found (writeBackNote)
	// only if none came meanwhile (noteWriteBack).
	changes uint64
	// ends is what the end check (endcheck.go) did of the document's
	// ends: the end it wrote back its results at for writeBackNote,
	// and the checks of the last end tried that came to nothing.
	ends endRecord

	id   string
	seq  uint64
	pos  uint64 // place in the queue, in order of arrival
	text string
	// enc is how the sender's file holds the text (org.Encoding): the
	// document given back (ResultDocument) is encoded so.
	enc       org.Encoding
	title     string
	submitted time.Time
	plan      *plan.Plan
	// capWaiting counts its instances waiting for capacity (capwait.go).
	capWaiting int
	// reportsLost: a report of its Emacs' buffer is lost (reloadCounted);
	// its results document is an error (lostReportErr).
	reportsLost bool
	// readsCtx bounds the reads of its reports off the lock (docReads):
	// cancelled (stopReads) as it is removed, so that none outlives its
	// removal; readsLive counts them, which the removal waits for
	// (readsEnded).
	readsCtx    context.Context
	cancelReads context.CancelFunc
	readsLive   int
	// edits is the plan read again from the latest report of the
	// document's Emacs buffer, by attempt; reported names, for each
	// attempt of that Emacs, the report standing after it; written is
	// the key of that Emacs (edits.go).
	edits    map[string]*plan.Edits
	reported map[string]string
	written  *string
	// added are the keys (org.AddedKey and up) of the blocks added to
	// that buffer that have a task; addedRefused those Borges does not
	// run (added.go).
	added, addedRefused map[int]bool
	// keyTaken are the blocks found in results that the search keys
	// where another block is added already (addAdditions), by key:
	// not run, which the notes say (keyTakenNotes).
	keyTaken map[int]takenKey
	// refusedCalls are the tasks of the calls of the :var values of
	// blocks :eval refuses added or found (addCalls), in the order
	// added; one no longer in the document (its owner run again) is
	// dropped when the list is next looked at (liveRefusedCalls).
	refusedCalls []*blockState
	// jsValues are the JavaScript blocks found or added whose value may
	// stop the document (mayStopJS), in the order added; the blocks
	// found or added after each wait for its value to be read
	// (jsValuesBefore), and jsWaiters has, by the block waited for (or
	// the reading of its value), those waiting, woken by its changes
	// (jsvaluewait.go).
	jsValues  []*blockState
	jsWaiters map[*blockState][]*blockState
	// stored names the blocks the store held records of while a server
	// started again adopts the document (adopt), nil otherwise: a block
	// found beside the document's Emacs was added by the server before
	// only if it has one (searchesBesideEmacs).
	stored map[string]bool
	// foundIn is the report of the blocks org-babel-execute-buffer
	// finds in the results written (found.go), nil until one is found.
	foundIn *org.BufferReport
	// changedIn is the report of the blocks found in the results
	// written in the Org buffer of the document's Emacs, changed by a
	// task of it, that changedBase (that Emacs's report) grew into
	// (searchChanged); nil until one is found.
	changedIn, changedBase *org.BufferReport
	// searchFrom, in a document with no Emacs Lisp block of its own,
	// is the report of the Emacs blocks found in results run in that
	// the search of results goes on from (foundfrom.go), nil while it
	// goes on from the document.
	searchFrom *org.BufferReport
	// searched is the last report searched for such blocks (foundIn,
	// or one that found none): the next search goes on from it rather
	// than writing every finished block's results again.
	searched *org.BufferReport
	// searchedWith has, by block, the attempt whose results the
	// reports searched since one was made from the document (searched)
	// wrote: a block run again since has others (searchedStale).
	searchedWith map[*blockState]string
	// resultsMoved: a search had a finished block found in results
	// write its results elsewhere (a block of its #+name found since
	// stands before it, or no longer does: resultsMoved), which the
	// report it went on from has where they were; the search starts
	// again from the document (found.go).
	resultsMoved bool
	// foundAfterLooked counts the blocks foundAfterWaits has looked
	// at, for a test of what it costs (TestFoundAfterPassScales).
	foundAfterLooked int
	// searchedResults counts the results handed to the search of
	// results written (searchOn), each search all those finished, for
	// a test of what blocks ending cost (TestEndsSearchScales).
	searchedResults int
	// docResultsIn are the blocks of the document whose results go to
	// a block of their #+name found in results (foundFirstOfName), by
	// name, to that block's name, as the last search had them: a
	// change moves results the report it went on from has elsewhere.
	docResultsIn map[string]string
	// foundNamed are the blocks found in results with a #+name, by that
	// name's org.FoldKey (foundKey), in the order they were added: those
	// foundFirstOfName looks through (indexFound keeps it).
	foundNamed map[string][]*blockState
	// formerGone are the records an older Borges stored blocks found
	// in results under, taken for them at a load (formerRecord), to
	// remove with their records stored under their names.
	formerGone []*store.Instance
	// finders are its submitted blocks whose results may hold a block
	// org-babel-execute-buffer finds, in document order, once known
	// (findersKnown; finders.go).
	finders      []*blockState
	findersKnown bool
	// finderPlaces are the finders' places in document order (the
	// index of the block each runs for), ascending; finderWakes the
	// blocks of a session a finder wakes, once each (finderWaits).
	finderPlaces []int
	finderWakes  map[[2]*blockState]bool
	// stopped is read from the report where org-babel-execute-buffer
	// stops the document, at a block found in results of a language
	// Babel has no function for (plan.Edits.Stop); nil until one is
	// found. The blocks after it there are not run.
	stopped *plan.Edits
	// refusedEnd is where org-babel-execute-buffer stops the document,
	// by the report of its Emacs's last task, at a block :eval refuses
	// after every task (refusedEndAt); nil for none.
	refusedEnd *plan.RefusedEnd
	// failStops are its blocks whose failure may stop the document
	// (mayFailStop), in the order of ds.blocks (the order blocks came,
	// added ones last, not their places): found from every block
	// while it is not known (a document just made or read again), then
	// kept by the blocks touched (failStopTouched).
	failStops []*blockState
	// failStopsSync keeps failStops in step: whether it is known, and
	// the blocks touched since it was last read, weighed again then
	// (failStopTouched, stopindex.go).
	failStopsSync touchedSet
	// blockSeq is the turn the next block to come takes (seq).
	blockSeq uint64
	// turns maps the index of each executable of the document
	// submitted to the queue's place (blockState.pos) where its turn
	// starts: its reference's runs, or itself.
	turns map[int]int
	// failHeld are the blocks a failure stop holds, not run
	// (holdsByFailure), each with the task whose stop holds it; nil until known
	// (knowFailHeld). failWaits are those queued again when the task
	// holding them ran again, each with that task, which they wait
	// for (failStopLifted).
	failHeld  map[*blockState]*blockState
	failWaits map[*blockState]*blockState
	// failHolds is failHeld the other way round: by the task whose
	// stop holds them, the blocks it holds (setFailHeld), which
	// failStopLifted releases without a search of every block.
	failHolds map[*blockState]map[*blockState]struct{}
	// holdSeen is the stop the blocks held were last weighed against
	// (rehold): when the document's stop is another, they are weighed
	// again.
	holdSeen heldStop
	// held is the index of the blocks a stop holds (stopHolding), nil
	// until known (heldMerge); heldSync keeps it in step: whether
	// it is known, and the blocks touched since it was merged, which may
	// have come in or gone out; heldPeak the most it
	// held since it was made (a map keeps its size).
	held     map[*blockState]struct{}
	heldSync touchedSet
	heldPeak int
	// output is what a block of it printed (Engine.printed), or the
	// error of a read that failed; nil for a document not planned.
	output func(*blockState) (string, error)
	// inline is the error an inline block's value stops the document
	// with, the place it stops at and that block (Engine.inlineRefused);
	// nil for a document not planned.
	inline func(*blockState) (string, place, *blockState)
	// endReads are the instances whose output is being read once their
	// attempt ended (instState.endReading): the blocks it may stop, and
	// those referring to it, wait for it (endReadHolds). Most documents
	// have none.
	endReads []*instState
	// reportReads are the instances whose report of the Org buffer is
	// being read once their attempt ended (instState.reportReading): the
	// blocks decided from it wait for it (reportReadHolds).
	reportReads []*instState
	// links counts the changes to what the places where attempt-end
	// reads may find stops are made of (endReadPlace): the blocks, their
	// tasks, and who waits for whom (dependents). A place found is kept
	// while it stands (instState.heldAt).
	links uint64
	// follows indexes the tasks that follow a block's run (the calls
	// its references make, its :post chain), built once while the plan
	// stands (followIndex).
	follows *followIndex
	// turnNeeds are the blocks needed by a block whose turn comes before
	// a stop, by the stop's place (neededturnmemo.go), found once while
	// stops are weighed against many blocks (weighingStops) and kept
	// while the links stand: found when links was turnLinks.
	turnNeeds map[place]*turnNeeds
	turnLinks uint64
	// turnScope counts the weighings under way (weighingStops).
	turnScope int
	// addedPosts are the tasks of the :post chains of added blocks, by
	// the block they end, in the order of ds.blocks (the order blocks
	// came, added ones last), nil until known;
	// addedPostsSync keeps it in step: whether it is known, and the
	// blocks touched since, weighed again when it is next read (knowAddedPosts, stopindex.go).
	addedPosts     map[string][]*blockState
	addedPostsSync touchedSet
	// endPlacesFound counts the places found (endReadPlace), for tests
	// only: TestEndReadPlaceFoundOnce checks with it that they are not
	// found again for every block held at every pass and view, which no
	// outcome shows. An increment under e.mu, kept rather than a hook.
	endPlacesFound int
	// refTurnsFound counts the walks refTurn made up a chain of runs
	// references make (its memo missed: blockState.refTurnMemo), for
	// tests only, as endPlacesFound.
	refTurnsFound int
	// droppedAttempts is, by name, the attempts a block had when it was
	// dropped (no longer added: added.go); added again, its attempts
	// count on from there, so that no attempt id is used twice.
	droppedAttempts map[string]int
	// planned is false for a stored document that cannot be planned any
	// more (problem says why).
	planned bool
	problem string // set when a stored document cannot be planned any more
	blocks  []*blockState
	byName  map[string]*blockState

	// removing is set while the document is being removed: it is no
	// longer listed, though its attempts' ends are still applied.
	removing bool
	// removed is set, removing, once every task of the document has
	// ended and it is being deleted from the store: past that point
	// nothing read of it (a report) is applied or kept. A removal that
	// fails after it clears both (unremove).
	removed bool

	// lazy is set for a document that had ended when the server started:
	// it is read and planned when first needed (lazy.go).
	lazy *stub
	// lower is its title and id in lower case, for the list's filter
	// (lowerOf: the title it was made from).
	lower, lowerOf string

	// sessionGen counts the restarts of each session (by plan key), and
	// openSessions maps the ids of the sessions attempts were launched in
	// to their keys, until they are closed (see Attempt.Session).
	sessionGen   map[string]int
	openSessions map[string]string

	// visit is where the sender visits the document (SubmitFrom), for
	// the links of its :results file blocks.
	visit org.Visit
}

type blockState struct {
	doc *docState
	// refTurnMemo is, for a run a reference makes, its referrer's turn
	// as refTurn found it, kept while the document's links stand.
	refTurnMemo refTurnMemo
	// pos is its place in the queue (queueOrder): in doc.blocks for a
	// block of the document submitted (or a task planned with them); for
	// a block that came later (late), the turn of the block of the
	// document submitted it stands before (docState.turns), or
	// math.MaxInt past them all.
	pos  int
	late bool // queued before the block at pos, after other late ones
	// bufLine is, for a late block, its line in the buffer last reported
	// that has it (its addition's, queueReported): late blocks at one
	// place are queued in the buffer's order.
	bufLine   int
	seq       uint64 // its turn among the blocks that came to doc (appendBlock)
	name      string
	index     int
	line      int
	lang      string
	task      *plan.Task
	skipped   *plan.Skipped
	instances []*instState
	result    *plan.Value // cached result value for dependents
	// readBacks are its results written over named data, read back
	// (refsOfTask), by attempt and data name.
	readBacks map[string]readBack
	// readErr is, for a task whose failure stops the document
	// (plan.Task.FailureStops), the Lisp error Emacs reading its
	// block's value signals, known in Go (org.JSReadError), "" for
	// none; readErrOf is the block's attempt it was found for.
	readErr, readErrOf string
	// refErr is the reference error (plan.ReferenceError) its last
	// attempt could not start with, which stops the document there as
	// it stops org-babel-execute-buffer; "" for none.
	refErr string
	// shellStop: refErr is the error Emacs signals running the
	// shell-file-name an Emacs Lisp block left (plan.Task's
	// ShellFileNameStop), not a reference's.
	shellStop bool
	// cmdlineStop: refErr is the error ob-shell's concat signals
	// taking a string of its :cmdline (plan.Task.CmdlineStop).
	cmdlineStop bool
	// bindStop: refErr is the error Emacs signals binding a value
	// found (plan.ReferenceError's Binding), not a reference's.
	bindStop bool
	// submitted is the task planned from the document as submitted,
	// when task is one planned from the Org buffer of the document's
	// Emacs (edits.go), or it once was decided.
	submitted *plan.Task
	// dependents are the blocks whose readiness depends on this one's
	// state: those naming it in their dependencies (task.After) or
	// writing their results with it (task.ResultsWith).
	dependents []*blockState
	// addedBy names the Emacs Lisp block that added this block to the
	// Org buffer of the document's Emacs (added.go); putIn are the
	// tasks of such blocks whose results this task of that Emacs puts
	// in the buffer before it runs.
	addedBy string
	putIn   []*plan.Task
	// found: addedBy is the block in whose results this block was
	// found (plan.Addition.FoundIn), which need not be Emacs Lisp.
	found bool
	// addedBefore is, for a block an Emacs Lisp block added to the
	// buffer (not one found in results), the place of the submitted
	// document's first executable after it there
	// (plan.Edits.NextAfterAdded): a stop at it stops the document
	// before that one (inlineRefused). nil for none.
	addedBefore *place
	// beginLine is, for a block added or found, the line of its
	// #+begin_src in the buffer (plan.Addition.BeginLine).
	beginLine int
	// runFor is, for a block a reader runs for a reference to the next
	// element of a name (nextWaits) before it launched, that reader:
	// Emacs runs it there, in the environment and buffer the reader has
	// (environmentOf).
	runFor *blockState
	// nextReaders are the blocks among dependents that only a reader's
	// wait for this block as the next element of a name put there
	// (nextWaits), taken out when they no longer read it.
	nextReaders map[*blockState]bool
	// formerName is, for a block found in results with a #+name, that
	// name, which an older Borges stored its records under (lazy.go:
	// formerRecord).
	formerName string
	// foundKey is, for a block found in results with a #+name, that
	// name's org.FoldKey: foundNamed holds it under that key, as Emacs
	// finds "#+RESULTS: name" ignoring case. keptResults: it writes no
	// results (:results silent or none) and has the first "#+RESULTS:
	// name" of the buffer under it, kept from before
	// (plan.Addition.KeptResults), where a later block of its name
	// writes.
	foundKey    string
	keptResults bool
	// wiredInto is the task of that Emacs made to run after this added
	// one (runsBefore), which unwire lets go.
	wiredInto *blockState
	// unrunIn is such a block, listed without a task (Borges does not
	// run it), as it stands in the buffer: what a noweb reference to it
	// took in (referrers).
	unrunIn plan.BufferBlock
	// fileRead is, for a :results file block, the read of the file
	// Babel wrote for its last finished attempt, which later blocks
	// read (stagedread.go).
	fileRead *stagedRead
}

type instState struct {
	block   *blockState
	rec     store.Instance
	readyAt time.Time     // when it became ready, for scheduling latency
	readyIn uint64        // the pass that last found it ready (schedule)
	past    []AttemptView // its attempts that ended, for the page's timeline
	// capWaits: found ready and not admitted for want of resources, it
	// waits for capacity (capwait.go).
	capWaits bool
	// capClass is the list of those it has an entry in, the one of the
	// resource need it had when listed (nil: none); an instance has one
	// entry at most.
	capClass *capClass
	// prepared is the attempt last asked to be prepared for it (see
	// Preparer), whose files a removal deletes should it never run.
	prepared string
	// dropped: its block is no longer in the document (added.go's
	// dropNotAdded), its attempt killed; it stays tracked, holding
	// its resources, until its backend reports that attempt ended.
	dropped bool
	// holds is what its attempt took of the resources while tracked
	// (track); dying marks the stand-in a restart tracks in its place
	// for its killed attempt until that has ended (requeue), of the
	// instance it was killed from.
	holds plan.Resources
	dying bool
	of    *instState
	// endReading is the attempt, finished, whose output is being read,
	// off the lock, for whether it stops org-babel-execute-buffer
	// (readAtEnd); "" when none is.
	endReading string
	// reportReading is the attempt, ended, whose report of the Org
	// buffer of the document's Emacs is being read, off the lock
	// (readReportOff); "" when none is.
	reportReading string
	// reportFailing: every try of a round of that read failed: what its
	// report holds is not known (neither a report nor none) until a
	// later round reads it or it is lost (readReportOff); meanwhile the
	// results document is an error (ErrReportUnread).
	reportFailing bool
	// endHeld are the blocks that read holds (endReadHolds), or the
	// read of its report (reportReadHolds), decided again once it ends.
	endHeld map[*blockState]bool
	// endsHeld are the instances whose ended attempts (the value) had
	// their ends decided from the buffer that the read of its report
	// (reportReading) decides: decided once it ends (reportWait).
	endsHeld map[*instState]string
	// heldAt is where a stop the read of its output may find would be
	// made (endReadPlace), kept for that read (holdPlace).
	heldAt heldPlace
	// endOut is the output the attempt-end read of its attempt read,
	// while the blocks found in its results are searched for once that
	// read ended (foundAfterRead): searched as read, not read again.
	endOut *endOutput
}

// New creates an engine; Start runs it.
func New(cfg Config) *Engine {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxResultBytes == 0 {
		cfg.MaxResultBytes = DefaultMaxResult
	}
	if cfg.BootID == nil {
		cfg.BootID = readBootID
	}
	if cfg.MaxTracked == 0 {
		cfg.MaxTracked = DefaultMaxTracked
	}
	if cfg.endRead == nil {
		cfg.endRead = &defaultEndReadRetry
	}
	if cfg.scanMax <= 0 {
		cfg.scanMax = defaultScanMax
	}
	if cfg.reportLostAfter <= 0 {
		cfg.reportLostAfter = defaultReportLostAfter
	}
	e := &Engine{cfg: cfg, backend: cfg.Backend, store: cfg.Store, log: cfg.Logger, now: cfg.Now,
		docs: map[string]*docState{}, attempts: map[string]*instState{}, wake: make(chan struct{}, 1),
		check: map[*blockState]struct{}{}, sessionDocs: map[*docState]struct{}{},
		watchers:         map[string]chan struct{}{},
		waitForResources: map[string]struct{}{}, watchedForResources: map[string]struct{}{},
		runCtx: context.Background(), metrics: newMetrics(), writes: make(chan writeReq, 4096), stopped: make(chan struct{}),
		launchSlots: make(chan struct{}, 2), prepares: make(chan prepareReq, 256), intents: make(chan []prepareReq, 64)}
	e.metrics.states.count = e.countStates
	return e
}

// countStates counts the task instances of every document by state, for
// the metrics.
func (e *Engine) countStates() map[State]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	counts := map[State]int{}
	for _, ds := range e.order {
		ds.countStates(counts)
	}
	return counts
}

// Metrics returns the engine's Prometheus collectors.
func (e *Engine) Metrics() *Metrics { return e.metrics }

// Stopped is closed once the engine, its context ended, has stored the
// states it held: the scheduling pass under way then, and its launches,
// are over (the store may close: a state queued later is stored at once
// while it is open, then refused).
func (e *Engine) Stopped() <-chan struct{} { return e.stopped }

// Start loads the stored state, re-attaches to what still runs, and
// schedules until ctx ends.
func (e *Engine) Start(ctx context.Context) error {
	e.mu.Lock()
	e.runCtx = ctx
	e.endChecks, e.endWake = map[*docState]struct{}{}, make(chan struct{}, 1)
	e.mu.Unlock()
	// Counted before the writer starts, which waits for it to stop.
	e.active.Add(1)
	loopStarted := false
	defer func() {
		if !loopStarted {
			e.active.Done()
			// No end check's loop to let them go (endCheckLoop).
			e.mu.Lock()
			e.endChecks = nil
			e.mu.Unlock()
		}
	}()
	// The writer first: a backend's Recover may report ends at once,
	// and what they change is stored by it.
	if e.store != nil {
		go e.writer(ctx)
	} else {
		close(e.stopped)
	}
	if err := e.backend.Start(ctx, e.onUpdate); err != nil {
		return fmt.Errorf("backend %s: %w", e.backend.Name(), err)
	}
	if boot, err := e.cfg.BootID(); err == nil && boot != "" {
		e.boot = boot
	} else {
		e.log.Info("no boot id: launches are not written ahead as intents", "err", err)
	}
	recover, kills, err := e.load()
	if err != nil {
		return err
	}
	// Recover runs even with nothing to recover: a backend also clears
	// what no attempt owns any more (containers, say).
	if len(recover) > 0 {
		e.log.Info("recovering attempts", "count", len(recover))
	}
	if err := e.backend.Recover(ctx, recover); err != nil {
		return fmt.Errorf("recover: %w", err)
	}
	for _, id := range kills {
		if err := e.backend.Kill(ctx, id); err != nil {
			e.log.Warn("killing a recovered attempt that runs again or was restarted", "attempt", id, "err", err)
		}
	}
	// The intent loop is counted (stopped before the writer and the
	// store) while Start's own count still holds e.active above zero:
	// counted after the loop's goroutine starts, a loop that ends at once
	// (ctx already ended) could let the writer's Wait return first, and
	// the intent loop would run past the store's close.
	intents := e.store != nil && e.boot != ""
	if intents {
		e.active.Add(1)
	}
	e.active.Add(1) // the end check's loop
	loopStarted = true
	go func() {
		defer e.active.Done()
		e.loop(ctx)
	}()
	go e.retainLoop(ctx)
	go e.endCheckLoop(ctx)
	if p, ok := e.backend.(Preparer); ok {
		go e.prepareLoop(ctx, p)
	}
	if e.store != nil {
		go e.fillTitles(ctx)
	}
	if intents {
		go func() {
			defer e.active.Done()
			e.intentLoop(ctx)
		}()
	}
	e.poke()
	return nil
}

// lockedDoc is document id, planned if it was a stub (see loaded), with
// e.mu held: the caller unlocks it. On an error (no such document, or one
// that could not be planned) e.mu is not held.
func (e *Engine) lockedDoc(id string) (*docState, error) {
	return e.lockedDocWith(id, e.mu.Lock)
}

// lockedDocRead is lockedDoc for a caller that changes nothing a
// document's brief depends on (engineMutex.lockRead).
func (e *Engine) lockedDocRead(id string) (*docState, error) {
	return e.lockedDocWith(id, e.mu.lockRead)
}

func (e *Engine) lockedDocWith(id string, lock func()) (*docState, error) {
	if err := e.loaded(id); err != nil {
		return nil, err
	}
	lock()
	ds := e.docs[id]
	if ds == nil {
		e.mu.Unlock()
		return nil, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	return ds, nil
}

// instances counts a document's task instances.
func (ds *docState) instances() int {
	if ds.lazy != nil {
		return ds.lazy.count
	}
	n := 0
	for _, b := range ds.blocks {
		n += len(b.instances)
	}
	return n
}

func (b *blockState) states() []State {
	out := make([]State, len(b.instances))
	for i, in := range b.instances {
		out[i] = State(in.rec.State)
	}
	return out
}

func (ds *docState) blockState(name string) State {
	b := ds.byName[name]
	if b == nil {
		return Failed
	}
	return b.state()
}
