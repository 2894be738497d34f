// Package plan turns the source blocks of an Org document into task
// specifications: what to run, with which resources, container, lifecycle
// and dependencies. A document is planned whole or rejected whole, with every
// problem listed.
package plan

import (
	"slices"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// Resources are what one instance of a task asks for.
type Resources struct {
	// CPUs is a request, as in Mesos and Kubernetes: what admission
	// counts and the task's proportional share of the CPUs when they are
	// contended; it does not cap the task.
	CPUs float64 `json:"cpus"`
	// CPULimit, when set, is a hard cap (a CFS quota) in CPUs.
	CPULimit float64 `json:"cpu_limit,omitempty"`
	MemMB    float64 `json:"mem"`
	DiskMB   float64 `json:"disk,omitempty"`
	GPUs     int     `json:"gpus,omitempty"`
	Ports    int     `json:"ports,omitempty"` // how many host ports to allocate
	// Pids is the most processes (and threads) the task may have at
	// once, so that a fork bomb stays in its cgroup.
	Pids int `json:"pids,omitempty"`
}

// Lifecycle says what happens when a task's process ends.
type Lifecycle string

const (
	// ItFinishes: run once (plus :retries on failure).
	ItFinishes Lifecycle = "it-finishes"
	// ItKeepsRunning: restart with backoff whenever it ends, until killed.
	ItKeepsRunning Lifecycle = "it-keeps-running"
)

// Container is set when a block asks for :dockerize t.
type Container struct {
	Image string `json:"image"`
	// Kind is "docker" (the Docker containerizer/engine, default) or
	// "mesos" (the Mesos containerizer with a Docker image).
	Kind string `json:"kind"`
	// Network is "host" (default), "bridge" or "none".
	Network string `json:"network,omitempty"`
}

// Var is one :var binding after resolution.
type Var struct {
	Name string `json:"name"`
	// Literal is the value when the binding is a literal (number, string, list).
	Literal string `json:"literal,omitempty"`
	// Ref names the block whose result feeds the variable; "" for literals.
	Ref string `json:"ref,omitempty"`
}

// Task is what one runnable block becomes.
type Task struct {
	Block string `json:"block"` // the block's name, or "block-N" (1-based) when unnamed
	Named bool   `json:"named"`
	// Name is the block's #+name, "" for an unnamed one: Block is
	// NAME~2, NAME~3… for a later block of a name.
	Name  string `json:"name,omitempty"`
	Index int    `json:"index"` // position among the document's blocks
	Line  int    `json:"line"`
	Lang  string `json:"lang"`
	// Replaced, when set, says why the block is not run: it stands in
	// the old results of a block before it, which its new results
	// replace before org-babel-execute-buffer reaches it (see
	// markReplaced).
	Replaced string `json:"replaced,omitempty"`
	// ReplacedBy is the block whose new results replace the old ones
	// the Replaced block stands in (for a task that exists only for
	// such blocks, theirs): its end decides whether the old results
	// were replaced, and so whether Replaced holds.
	ReplacedBy string `json:"replaced_by,omitempty"`

	// Interpreter is the command that runs Script, e.g. ["sh"],
	// ["python3"]; the script file path is appended.
	Interpreter []string `json:"interpreter"`
	// Script is the full program text: :shebang line, variable prologue,
	// :prologue, the noweb-expanded body, :epilogue. Variables that are
	// refs are bound by the runner from the referenced results through
	// the environment (see VarEnv).
	Script string `json:"script"`
	// CmdLine are extra arguments given to the program. Babel gives a
	// block none: ob-shell runs a shell block's :cmdline through the
	// shell, in the program itself (see shellCommandScript), and the
	// other languages' Babel reads no :cmdline; Build leaves it empty.
	CmdLine []string `json:"cmdline,omitempty"`

	Resources Resources         `json:"resources"`
	Instances int               `json:"instances"`
	Ensure    Lifecycle         `json:"ensure"`
	Retries   int               `json:"retries"`
	Timeout   time.Duration     `json:"timeout,omitempty"`
	Dir       string            `json:"dir,omitempty"`
	Env       map[string]string `json:"env,omitempty"`
	Vars      []Var             `json:"vars,omitempty"`
	After     []string          `json:"after,omitempty"` // block names that must finish first (from :after and :var refs)
	// AfterArg are the names its :after gives (among After): the engine
	// has it wait for those blocks and for the blocks found in their
	// results, which org-babel-execute-buffer runs after them.
	AfterArg  []string   `json:"after_arg,omitempty"`
	Container *Container `json:"container,omitempty"`
	// Constraints on where a task may run (Mesos: agent attributes and hostname).
	Constraints []Constraint `json:"constraints,omitempty"`

	// ResultsWith is set for a block that has the name of an earlier one
	// (the task is then named NAME~2, NAME~3…): the block Babel writes
	// its results with, in the first "#+RESULTS: NAME" of the document,
	// where the last one run stays. It is also set for the task of a
	// block's :post ("BLOCK :post fmt(x=*this*)"), whose result replaces
	// the block's.
	ResultsWith string `json:"results_with,omitempty"`
	// Post is set for the task of a block's :post.
	Post bool `json:"post,omitempty"`
	// ReadsOutput is set for the task that reads the output of the
	// block ResultsWith names in Emacs, as its language's Babel reads
	// it, when it holds a Lisp form only Emacs evaluates (emacsread.go):
	// it runs only then (EmacsReadNeeded), its result in the block's.
	ReadsOutput bool `json:"reads_output,omitempty"`
	// FailureStops is set for a task whose failure is a Lisp error
	// org-babel-execute-buffer does not catch, and stops the document
	// at: the reading of a JavaScript block's output (org-babel-js-read
	// lets the reader's error through), or, under :results silent, with
	// no reading planned, the JavaScript block itself, whose value
	// read in Go (org.JSReadError) may stop it; or the task of a
	// :post calling an Emacs Lisp block, whose error (LispErrorStop)
	// stops it; or the task of a Lisp :var value (lispvar.go), whose
	// error stops it at its block's turn, at that of the first block
	// whose reference runs its block, or inside the :post calling its
	// block. The engine then runs none of the blocks after its
	// block that have not started.
	FailureStops bool `json:"failure_stops,omitempty"`
	// ValueNeedsEmacsStops is set for a block found in results or
	// added by an Emacs Lisp block whose value its language's Babel may
	// hand to Emacs's Lisp reader (org.Reader.MayNeedEmacs: Ruby,
	// Python, JavaScript) when no reading in Emacs is planned for it
	// (one would run in the document's Emacs, which Borges does not wire
	// for such a block; in a batch Emacs of its own it is planned, as
	// Addition.Posts' first task): when its value is one only Emacs
	// reads as Babel does (org.Reader.NeedsEmacs), the engine stops the
	// document at it, nothing written under it, under :on-failure
	// continue as well, rather than write a value read otherwise (a
	// known limitation).
	ValueNeedsEmacsStops bool `json:"value_needs_emacs_stops,omitempty"`
	// LispVarsStop is set for the run of an Emacs Lisp block whose
	// program evaluates Lisp :var values of the block's own (":var
	// y=(car 1)", elispProgram), unless the block may fail: Emacs
	// evaluates them in org-babel-get-src-block-info, before the
	// block runs, and an error one signals stops
	// org-babel-execute-buffer there (at the block's turn, or at that of
	// the first block whose reference runs it), the block not run. The
	// program marks such an error (LispVarErrorStop), told apart from
	// one the block's body signals, which fails the block as any Emacs
	// Lisp error does (README, Sessions).
	LispVarsStop bool `json:"lisp_vars_stop,omitempty"`
	// BodyErrorStops is set for the own run of an Emacs Lisp block in
	// the document's Emacs whose failure stops nothing else already
	// (markBodyErrorStops), unless the block may fail: an error its body
	// signals at its own turn is not caught by
	// org-babel-execute-buffer, which stops there, the block's results
	// as they were (BodyErrorStop).
	BodyErrorStops bool `json:"body_error_stops,omitempty"`
	// InlineResults is set for a task whose result is written in place
	// of an inline block or call (markInline): a value
	// org-babel-insert-result refuses there (a list, nil, several
	// lines: org.Document.InlineValueRefused) stops the document at
	// that block, where its result is not written; the engine then
	// runs none of the blocks after it that have not started.
	InlineResults bool `json:"inline_results,omitempty"`
	// RefusedReaders are the blocks :eval no or never refuses whose
	// :var values refer to this task's block (a name, or one in the
	// arguments of a call, in the called block's own :var defaults, or
	// in the calls nested in those), or, for the task of a call with
	// arguments (refusedCalls), whose :var values make that call:
	// org-babel-get-src-block-info resolves them at the refused block's
	// turn, running the block, before it looks at :eval
	// (builder.evalRefusedStop, for the refused blocks markStopped
	// meets). A stop that run makes (its value Emacs cannot read, a
	// reference error) stops the document at the first of them, where it
	// stands before the task's own block (a call's, always).
	RefusedReaders []BlockPlace `json:"refused_readers,omitempty"`
	// PostOfFile is set for the task of the :post of a block whose
	// results are a file: its *this* is the link to the file (see
	// PostThis), and its result is written without "file" in :results
	// (org.Result.WithoutFile).
	PostOfFile bool `json:"post_of_file,omitempty"`
	// PostNil is set for a task whose block's :post calls a block :eval
	// refuses (no or never, :noeval): org-babel-ref-resolve gives the
	// :post the symbol nil as the string "nil", which is the block's
	// value, written in its place under its own :results (without
	// "file") and given to the blocks referring to it; the block itself
	// runs (org.Result.PostNil, ResultValue).
	PostNil bool `json:"post_nil,omitempty"`

	// Results is the block's :results value as merged (for write-back).
	Results string `json:"results"`
	// BufferStart and BufferResults are for a task of the document's
	// Emacs (elisp_buffer.go): BufferStart, its first task there, puts
	// the document in the Org buffer that Emacs keeps for all of them;
	// BufferResults are the results put in that buffer before the task
	// runs, those of the blocks Emacs has run by then (the task waits
	// for them to end, whether they finish or fail).
	BufferStart   bool           `json:"buffer_start,omitempty"`
	BufferResults []BufferResult `json:"buffer_results,omitempty"`
	// EnvironmentOf names the task of the document's Emacs whose
	// environment this task's process (and a session it starts) gets:
	// the last one Emacs evaluates before it (elisp_env.go). For a task
	// of the document's Emacs, it is the one before it there, whose
	// environment stands when this one reports none.
	EnvironmentOf string `json:"environment_of,omitempty"`
	// ShellFileName is the shell-file-name of the document's Emacs
	// whose environment the task gets, where a setq made it another
	// than the one that Emacs started with (session.Environment's Shell;
	// "" where it did not, from an older host, or where none was
	// reported: the task runs its own environment's shell): a "shell"
	// block runs it, and a "shell" session starts it.
	// Never planned: the engine sets it on the attempt's copy of the
	// task (WithShellFileName) from the Emacs's report, which no
	// variable can make, and the program names it, so no variable
	// carries it to the block either.
	ShellFileName string `json:"shell_file_name,omitempty"`
	// BufferPrev is the task before it in that Emacs: when that one did
	// not run (a reading of output that needed no Emacs, a cached
	// block), this task does its buffer work too (TakeOverBuffer).
	BufferPrev string `json:"buffer_prev,omitempty"`
	// File is the :file its results link to under :results file (after
	// :output-dir and :file-ext), a path relative to the document, or to
	// the sandbox. FileWritten says Babel writes the block's result into
	// it (not for :results link or graphics: the program writes it).
	File        string `json:"file,omitempty"`
	FileWritten bool   `json:"file_written,omitempty"`
	// FileMode is :file-mode, the permissions Babel gives the file it
	// writes (set-file-modes), when FileModeSet: a mode whose low 12
	// bits are 0 ((identity #o10000)) is mode 0, applied as Emacs does.
	FileMode    uint32 `json:"file_mode,omitempty"`
	FileModeSet bool   `json:"file_mode_set,omitempty"`
	// ReadsFiles are the files Babel wrote for earlier blocks (their
	// :file) that the block names (markFileReads): the engine places
	// each in its sandbox before it runs, and it waits for their writers
	// (among After, as Borges orders them).
	ReadsFiles []FileRead `json:"reads_files,omitempty"`
	// Cache is set for :cache yes: its #+RESULTS: line carries the hash
	// of its inputs (CacheHash).
	Cache bool `json:"cache,omitempty"`
	// CalledCache is set for the task of a :post that calls a :cache
	// yes block: Babel hashes that block as the :post calls it (its
	// arguments, *this* among them) and, when the hash is the one its
	// results carry, returns those results read back, running neither
	// the block nor its own :post (CalledCachedValue). Cache is the
	// :post's owner's, under whose hash the result is written.
	CalledCache bool `json:"called_cache,omitempty"`
	// ownCacheHit: see OwnCacheHit.
	ownCacheHit bool
	// CalledResultsRewritten is set for the task of a :cache yes block
	// called with arguments whose own place runs before its caller, its
	// :cache hash not current there: that run rewrites its results
	// under its own hash, so the results the document held are not
	// what the call finds (CachedValue reads none).
	CalledResultsRewritten bool `json:"called_results_rewritten,omitempty"`
	// ContinueOnFailure (:on-failure continue): when this block fails,
	// is killed or lost, the blocks that depend on it run all the same,
	// with what it printed as its result, as Emacs runs them.
	ContinueOnFailure bool `json:"continue_on_failure,omitempty"`
	// Notes say which of the block's header arguments Borges reads but
	// does not honour as Emacs would, so that nobody is surprised.
	Notes []string `json:"notes,omitempty"`
	// ValueFile is set for a Python, Ruby or Perl block whose result is
	// its value (as in ob-python, ob-ruby, ob-perl): the program writes it
	// to $BORGES_VALUE_FILE, which the backend serves as the stream
	// "value".
	ValueFile bool `json:"value_file,omitempty"`
	// Session is set for a block Babel runs in a session (":session
	// NAME" of a shell, Python or Ruby block), and for the tasks the
	// document's Emacs runs (Emacs Lisp blocks, Lisp :var values; see
	// elisp_session.go): its session's interpreter runs it, after the
	// session's blocks before it.
	Session *Session `json:"session,omitempty"`
	// Reader is how the language's Babel reads the result: a Python or
	// Ruby value, a JavaScript value (ob-js prints it with util.inspect,
	// on standard output), a Perl result (a TAB-separated table, value or
	// output); ReadGeneric for output.
	Reader org.Reader `json:"reader,omitempty"`

	shebang   string
	resultsAt int // the index of the block ResultsWith names
	// postLink: a :post's task that the :post of the block it calls
	// follows, whose result is not the block's but that one's.
	postLink bool
	owner    *Task // for a :post task, the block it post-processes; for a reading task, the block whose output it reads
	// postChain, for the last task of a :post chain, is each :post as
	// written, from its owner's on (for messages: postcycle.go).
	postChain []string
	// cmdline is a shell block's :cmdline, as the shell reads it (see
	// shellCommandScript); nil without one (or with a nil one), and
	// pointing to "" for an empty one, which ob-shell runs as a script
	// all the same.
	cmdline *string
	// cmdlineStop is the error a :cmdline Babel cannot concatenate
	// stops Emacs with at the block (see CmdlineStop).
	cmdlineStop string
	// postDirStop is the error Emacs stops with at the block once it
	// has run, its :post's process not started in a missing directory
	// (builder.postDirStop, markStopped): its results are not written
	// (ResultStop).
	postDirStop string
	// command is the block's own command for its interpreter (see
	// commandHeader), "" for the language's.
	command string
	// called is set for the task of a block called with arguments
	// (":var x=sq(n=7)"): its block is the named one with them.
	called *calledRef
	// callOf is the task whose run makes this one, a run a reference
	// of it makes at its place (CallOf).
	callOf string
	// refRuns are the blocks (by name) the runs t's references make
	// run, the runs those make in turn included (markRefRuns).
	refRuns []string
	// ownHash is, for a run of its own for a reference (rerun) of a
	// :cache yes block whose own run stood before the reference and
	// wrote its hash, that own run's task: Emacs reads the results
	// it wrote back, without running the block, where the run's hash
	// (its references resolved again) is the one the own run wrote
	// (CacheCurrent).
	ownHash *Task
	// cachedNow is set for a :cache yes block whose results in the
	// document stand, as known before anything runs (cache.go): its
	// :stdin and :post are not planned, as Babel resolves neither.
	cachedNow bool
	// stdin is what a shell block's :stdin names.
	stdin *boundValue
	// lispVar is set for the task that evaluates a Lisp :var value of
	// a block in another language (see lispvar.go).
	lispVar *lispVarRef
	// postLispVars are, for a :post's task, the tasks evaluating the
	// Lisp :var values Emacs evaluates inside it (their LispVarPost),
	// as postTask finds them (PostLispVars).
	postLispVars []string
	// replacedForms are, for the task of a block called with
	// arguments, the Lisp :var values of the block the arguments
	// replaced (replacedLispVars): each reference evaluates them again.
	replacedForms [][2]string
	// replacedRefs are, for the same task, the :var values of that
	// block naming blocks that the arguments replaced
	// (replacedRefRuns): each reference runs those blocks again.
	replacedRefs []replacedRef
	// replacedRuns are the runs t waits for, its value unused, that a
	// reference of t with arguments makes resolving the replaced
	// values (replacedRefs) of the block called.
	replacedRuns []string
	// refRunStops is set for the run of an Emacs Lisp block that a
	// reference makes (rerun: a :var value, a noweb call, :stdin, a
	// value of a block called with arguments that the arguments
	// replaced, replacedRefRuns): an error the block signals there
	// stops org-babel-execute-buffer at the block whose reference it is
	// (StopsOnLispError).
	refRunStops bool
	// refPostKey is, for such a run made inside a :post's call, the key
	// of the :post's task (postCall.key), and refRunPost that task once
	// planned (postTask): Emacs runs the block inside the :post, once
	// the block whose :post it is has run, and an error there stops the
	// document at that block (LispVarPost).
	refPostKey string
	refRunPost *Task
	values     []boundValue
	nowebRefs  []nowebRef
	// refusedRuns are the runs t's references to blocks :eval refuses
	// make, reading their information (refusedref.go).
	refusedRuns []refusedRun
	// sessionPrev is the task its session runs before it (one of
	// After), "" for the session's first: where a block added to the
	// Org buffer goes in the session's order (InSessionAfter).
	sessionPrev string
	// orderOnly are the tasks among After t waits for only as Borges
	// orders them (ordersOnly), as the builder found them (OrdersOnly).
	orderOnly []string
	// fileOnly are the writers among After t waits for only for the
	// :file Babel wrote for them (markFileReads): until each has ended,
	// however it ended (WaitsOnlyForFile).
	fileOnly []string
	// readersBefore are the readers t waits for (not among After), until
	// each has ended, only as Borges orders them: t, a block of a session, stands between such
	// a reader and the next element of a name the reader runs, later in
	// that session (sessionAfterReaders).
	readersBefore []string
	// edit is set for a task planned from the Org buffer of the
	// document's Emacs, as an Emacs Lisp block before it left it
	// (edits.go).
	edit *edited
	// unresolved are the blocks t refers to (:var, :stdin) that
	// the document as submitted does not have, which an Emacs Lisp
	// block before it may insert: looked for again in the buffer it is
	// found in (Edits.Decide).
	unresolved []string
}

// WritesNoResults reports whether the block writes no "#+RESULTS:"
// (:results silent or none, however given): a later block of its name
// does not find one there.
func (t *Task) WritesNoResults() bool { return noResults(t.Results) }

// noResults reports whether :results words hold silent or none.
func noResults(words string) bool {
	rp := strings.Fields(words)
	return slices.Contains(rp, "silent") || slices.Contains(rp, "none")
}

// ResultsIndex is the index of the block whose results this block's
// replace when written back: its own, or the first block of its name's.
func (t *Task) ResultsIndex() int {
	if t.ResultsWith != "" {
		return t.resultsAt
	}
	if t.edit != nil {
		if t.edit.call || t.edit.lispRun {
			return t.Index // a call with arguments, a Lisp value: written nowhere
		}
		if t.edit.origin == nil {
			return t.edit.added // an added block's key (org.AddedKey)
		}
		return t.edit.origin.Index // as the document's marks know it
	}
	return t.Index
}

// Session says which session's interpreter runs a block, and how.
type Session struct {
	Name string `json:"name"` // the :session value
	// Key is what the blocks of one session share: the kind and the
	// name ("shell:s"), as Emacs has one buffer per session of a language.
	Key string `json:"key"`
	// Kind is session.Shell, Python, Ruby or Emacs.
	Kind string `json:"kind"`
	// Command starts the session's interpreter (session.Command): the
	// shell of the session's first block (after the sh that sends it its
	// start file, see session.Program), or the host program in the
	// first block's Python or Ruby.
	Command []string `json:"command"`
	// Value is set for a Python or Ruby block whose result is its value;
	// PP when it is pretty-printed (:results pp).
	Value bool `json:"value,omitempty"`
	PP    bool `json:"pp,omitempty"`
	// ShellForms is set for a "shell" block of a shell session: its
	// script holds its values' two forms (session.ShellFormsBody), of
	// which the session's shell-file-name chooses one where it runs
	// (session.Request.ShellForms).
	ShellForms bool `json:"shellForms,omitempty"`
}

// boundValue is a :var binding: a literal value, or the block whose
// result feeds it.
type boundValue struct {
	name  string
	value Value
	ref   string
	// index is what "ref[1,0]" selects of the result (between the
	// brackets), "" for all of it.
	index string
	// lisp, for an Emacs Lisp block, is a literal or Lisp value as
	// written: Emacs reads it (org-babel-read) in the document.
	lisp string
	// colnames are the column names Babel took off a table's first row
	// (they count in the :cache hash).
	colnames []string
	// this: the value is *this*, the result of the block whose :post
	// the task runs.
	this bool
	// readBack names the block whose results Babel writes over the
	// named data that value is, before the task runs: the value is then
	// those results read back (the part index selects), once the block
	// has run; value is the data as the document has it.
	readBack string
	// data names the data read back, rhs is the reference as written
	// ("data[1,0]").
	data, rhs string
	// next names the source block or call org-babel-ref-resolve runs
	// for the reference when the results read back leave the #+name: on
	// no element (org.Document.RunsNext): the value is then its result.
	// The task waits for it only then (Task.NextWaits); nextCycle: that
	// block depends on the task, and Babel recurses without end.
	next      string
	nextCycle bool
	// nextOf is the block whose results are the next element of that
	// name, when it rewrites them before the task runs, as Babel runs
	// the buffer: the value is then those results read back (as
	// readBack's), should readBack's block write nothing. The task
	// waits for it only then (Task.NextWaits). nextResults: the next
	// element is a block's results (org.Document.NextNamedResultsBlock);
	// nextData is that element as the document has it (and its column
	// names; nextMissing, Emacs's error, when it is no data), the value
	// when nextOf is "" (that block runs after the task, or not) or has
	// not run.
	nextOf       string
	nextResults  bool
	nextData     Value
	nextColnames []string
	nextMissing  string
	// nextWhy is why Borges cannot read the next element of that
	// name as Babel has it (its block's results rewritten with
	// append, a file or a :post, or that block depending on the
	// task); nextAcross, each reference to the task from the other
	// side of that block (Babel runs the task again for it, reading
	// the other results). The task fails with them only should
	// readBack's block write nothing (bindNextResults).
	nextWhy    string
	nextAcross []string
}

// NextWait is a block t waits for only when the results block Writer
// writes over the data named Data leave the #+name: on no element: the
// next element so named, which Babel runs for the reference (Next).
type NextWait struct {
	Writer, Data, Next string
}

// NextWaits are t's conditional waits (see NextWait), those that would
// come back to t left out: t then stops with Emacs's error instead.
func (t *Task) NextWaits() []NextWait {
	var out []NextWait
	for _, bv := range t.values {
		if bv.next != "" && !bv.nextCycle {
			out = append(out, NextWait{Writer: bv.readBack, Data: bv.data, Next: bv.next})
		}
		if bv.nextOf != "" {
			out = append(out, NextWait{Writer: bv.readBack, Data: bv.data, Next: bv.nextOf})
		}
	}
	return out
}

// NextNeeded reports whether, with refs the values handed to Task.bind,
// the results block w.Writer wrote leave the #+name: on no element, so
// that t reads w.Next's result.
func NextNeeded(w NextWait, refs map[string]Value) bool {
	nf, ok := refs[NotReadBackKey(w.Writer)]
	return ok && nf.Scalar == org.RefNotFound(w.Data)
}

// nowebRef is a "<<name()>>" reference whose expansion is a block's result.
type nowebRef struct {
	call  string // "name()" as written; org.NowebKey for its nth time
	block string
	index string // what "name(…)[1]" selects of the result
	// data is the value of named data (a table, list, paragraph,
	// example, link) the reference names instead of a block: block is
	// then "", and the expansion is data's text (see nowebText).
	data *Value
}

// Constraint limits placement: Field (hostname or an agent attribute) Op Value.
type Constraint struct {
	Field string `json:"field"`
	Op    string `json:"op"` // "==", "!=", "~" (regexp)
	Value string `json:"value"`
}

// Skipped is a block that is not run, with why.
type Skipped struct {
	Block  string `json:"block"`
	Index  int    `json:"index"`
	Line   int    `json:"line"`
	Lang   string `json:"lang"`
	Reason string `json:"reason"`
}

// Queried reports whether s is a block :eval query asks about, whose
// question stops org-babel-execute-buffer in batch (QueryStop), not one
// :eval refuses.
func (s *Skipped) Queried() bool { return s != nil && s.Reason == queryWhy }

// BlockPlace is where a block stands in the document: its line, and its
// index (Task.Index).
type BlockPlace struct {
	Line  int `json:"line"`
	Index int `json:"index"`
}

// Before reports whether p stands before q in the document.
func (p BlockPlace) Before(q BlockPlace) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Index < q.Index
}

// FirstRefusedReader is the first of t's RefusedReaders in the
// document; ok is false for none.
func (t *Task) FirstRefusedReader() (first BlockPlace, ok bool) {
	for i, r := range t.RefusedReaders {
		if i == 0 || r.Before(first) {
			first, ok = r, true
		}
	}
	return first, ok
}

// Plan is the whole document's tasks, in document order.
type Plan struct {
	Tasks   []*Task    `json:"tasks"`
	Skipped []*Skipped `json:"skipped,omitempty"`
	// Notes are said of the document as a whole (see documentNotes).
	Notes []string `json:"notes,omitempty"`
	// Stop is the error org-babel-execute-buffer stops the document
	// with at a block known from the document alone (markStopped): the
	// blocks after it have Replaced set. "" when none stops it so.
	Stop string `json:"stop,omitempty"`
	// StopLine is the line of the block that stop is at, 0 for none,
	// StopIndex its index (Task.Index: its place among the blocks of
	// its line); StopNote the note of Notes that says it.
	StopLine  int    `json:"stop_line,omitempty"`
	StopIndex int    `json:"stop_index,omitempty"`
	StopNote  string `json:"stop_note,omitempty"`
}

// Problem is one reason a document is rejected.
type Problem struct {
	Line  int    `json:"line"`
	Block string `json:"block,omitempty"`
	Arg   string `json:"arg,omitempty"` // header arg, with its colon: ":cpu"
	Why   string `json:"why"`
}

// Limits are the largest resources any one task could ever get (the
// machine, or the biggest Mesos agent); a task asking for more is rejected.
// A zero field means "no limit known".
type Limits struct {
	Max Resources
	// NoContainers, when set, says why :dockerize cannot be honoured
	// (no Docker engine answers on this machine, say): such a document
	// is rejected rather than left to fail at launch.
	NoContainers string
	// NoSessions, when set, says why the backend keeps no sessions: each
	// block of a session then runs as its own process, with a note.
	NoSessions string
	// NoContainerSessions, when set, says why the backend keeps no
	// sessions for blocks in a container (:dockerize): such a block of a
	// session runs as its own process, with a note, and the session's
	// other blocks go on without it.
	NoContainerSessions string
	// ImageAlone says every task runs in an image (a Kubernetes pod): a
	// block's :image NAME then names it without :dockerize t.
	ImageAlone bool
}
