package plan

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wallyqs/borges/internal/org"
)

// Options are the defaults and limits a deployment chooses. A zero field
// takes its value from DefaultOptions.
type Options struct {
	// DefaultCPUs and DefaultMemMB are what a block asks for when it does
	// not say (:cpu, :mem).
	DefaultCPUs  float64
	DefaultMemMB float64
	// MaxPorts and MaxInstances bound what one block asks for (:ports,
	// :instances); MaxTasks bounds a document's tasks, every instance of
	// a runnable block and every other block counted. They keep one
	// request from taking what the server needs for all (host ports,
	// memory, the time a kill takes).
	MaxPorts     int
	MaxInstances int
	MaxTasks     int
	// DefaultPids is the most processes a block without :pids may have.
	DefaultPids int
	// HardCPULimit makes every block's :cpu also its cap, unless it
	// gives :cpu-limit (#+borges_cpu_limit: hard).
	HardCPULimit bool
}

// DefaultPids bounds a block's processes when neither it nor the
// configuration says otherwise: far more than a build or a test suite
// forks at once, far fewer than take a machine down.
const DefaultPids = 4096

// DefaultOptions: a tenth of a core and 32 MB, enough for a shell one-liner
// and small enough that a laptop runs many blocks at once; limits far above
// what a document written by hand asks for.
var DefaultOptions = Options{DefaultCPUs: 0.1, DefaultMemMB: 32, DefaultPids: DefaultPids, MaxPorts: 100, MaxInstances: 1000, MaxTasks: 10000}

// withDefaults fills each zero field from DefaultOptions.
func (o Options) withDefaults() Options {
	d := DefaultOptions
	for _, f := range []struct {
		v   *float64
		def float64
	}{{&o.DefaultCPUs, d.DefaultCPUs}, {&o.DefaultMemMB, d.DefaultMemMB}} {
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	for _, f := range []struct {
		v   *int
		def int
	}{{&o.DefaultPids, d.DefaultPids}, {&o.MaxPorts, d.MaxPorts}, {&o.MaxInstances, d.MaxInstances}, {&o.MaxTasks, d.MaxTasks}} {
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	return o
}

// interpreters maps Babel languages to the command that runs a script file.
// A "shell" block's program is a POSIX sh program that runs $SHELL, or
// /bin/sh (shellfile.go): in a container the image's SHELL, normally
// none.
var interpreters = map[string][]string{
	"sh": {"sh"}, "shell": {"sh"}, "bash": {"bash"}, "zsh": {"zsh"}, "dash": {"dash"},
	"ksh": {"ksh"}, "mksh": {"mksh"}, "ash": {"ash"}, "posh": {"posh"}, "fish": {"fish"}, "csh": {"csh"},
	"python": {"python3"}, "python3": {"python3"}, "ruby": {"ruby"}, "perl": {"perl"},
	"js": {"node"}, "node": {"node"}, "javascript": {"node"},
}

// Build turns a parsed document into tasks. A document with any problem is
// rejected whole: the error is a *RejectError listing every problem.
func Build(doc *org.Document, limits Limits, opts Options) (*Plan, error) {
	_, p, err := buildDoc(doc, limits, opts)
	return p, err
}

// buildDoc is Build, with the builder that planned the document (once:
// the calls of blocks :eval refuses that cannot be planned are rolled
// back alone, rollBackRefusedCalls).
func buildDoc(doc *org.Document, limits Limits, opts Options) (*builder, *Plan, error) {
	b := newBuilder(doc, limits, opts)
	p, err := b.build()
	if err == nil {
		// Of the document as submitted only: a buffer read again
		// (BufferEdits) holds results written, whose blocks are
		// found as they are written.
		b.freezeTasks()
		b.markReplaced()
		b.markStopped()
		b.markInline()
		b.markFileReads()
	}
	return b, p, err
}

func newBuilder(doc *org.Document, limits Limits, opts Options) *builder {
	opts = opts.withDefaults()
	return &builder{doc: doc, limits: limits, opts: opts, plan: &Plan{Notes: documentNotes(doc)}, byName: map[string]*Task{}, placeOf: map[string]int{}, byFold: map[string]*Task{}, skipped: map[string]*Skipped{},
		blocks: map[*Task]*org.Block{}, calling: map[string]bool{}, callingRef: map[string]*calledRef{}, postOf: map[string]string{}, calledName: map[string]string{}, postCycleAt: map[string]bool{},
		sessions: map[string]*Task{}, sessionFirst: map[string]*Task{}, reached: map[calledRef]bool{}, stopOf: map[string]string{}, postStopAt: map[string]bool{}, fileModeRun: map[string]*Task{}, docHasStop: doc.HasStop()}
}

// build plans the document's blocks (see Build).
func (b *builder) build() (*Plan, error) {
	b.passes++
	opts := b.opts
	doc := b.doc
	tasks := 0
	for _, blk := range doc.Executables() {
		b.placeAt, b.planning = blk.Start, blk
		tasks += b.block(blk)
		if tasks > opts.MaxTasks || len(b.plan.Tasks) > opts.MaxTasks {
			// The runs references make count too (rerun), those
			// of a refused block's turn (refusedCalls) among them.
			// Planning stops here: the document is refused anyway, and
			// the rest could be a hundred thousand blocks.
			arg := ""
			if _, ok := blk.Args.Get("instances"); ok {
				arg = ":instances"
			}
			b.problem(blk, BlockName(blk), arg, "the document has more than %d tasks (instances counted); a document may have at most %d (#+borges_max_tasks)",
				opts.MaxTasks, opts.MaxTasks)
			return nil, &RejectError{Problems: b.problems}
		}
	}
	// The calls of blocks :eval refuses are planned tentatively: what a
	// called block cannot take under their arguments does not refuse
	// the document, and the call is not planned.
	b.rollBackRefusedCalls()
	b.keepTooManyRuns()
	for _, c := range doc.Calls {
		if c.Block == nil && c.Unsearched != "" {
			// Emacs finds no block by a name written #+srcname: (…)
			// and runs nothing, silently: neither does Borges.
			b.plan.Skipped = append(b.plan.Skipped, &Skipped{Block: callName(c), Index: len(doc.Blocks) + c.Ordinal - 1, Line: c.Line,
				Reason: fmt.Sprintf("#+call: %s: %q is named by %s, which org-babel-lob--src-info does not search (only #+name: and #+tblname:), so Emacs runs nothing", c.Name, c.Name, org.NameKeyword(c.Unsearched))})
			continue
		}
		if c.Block == nil && c.Overridden != "" {
			// The name's first element is data: Emacs runs nothing,
			// silently, and neither does Borges.
			b.plan.Skipped = append(b.plan.Skipped, &Skipped{Block: callName(c), Index: len(doc.Blocks) + c.Ordinal - 1, Line: c.Line,
				Reason: fmt.Sprintf("#+call: %s: %s", c.Name, c.Overridden)})
			continue
		}
		if c.Block == nil && c.Unfound && (doc.CalledByCall(c) || b.callReferred(c)) {
			// A block refers to it by its name, where Emacs stops:
			// the call, running nothing, is no typo left unseen.
			b.plan.Skipped = append(b.plan.Skipped, &Skipped{Block: callName(c), Index: len(doc.Blocks) + c.Ordinal - 1, Line: c.Line,
				Reason: fmt.Sprintf("%s: Emacs runs nothing for this call, and stops at a block referring to it (%s)", c.Problem, org.RefCallNil)})
			continue
		}
		if c.Block == nil {
			b.problems = append(b.problems, Problem{Line: c.Line, Block: callName(c), Why: c.Problem})
		}
	}
	b.problems = append(b.problems, inlineUnrunProblems(doc)...)
	b.resolve()
	b.readsAcross()
	if len(b.problems) > 0 {
		return nil, &RejectError{Problems: b.problems}
	}
	b.emacsSessions()
	b.sessionAfterReaders()
	// Task.orderOnly, filled here once After is final, is what readsOf
	// (stopped.go, through markStopped after build) takes for order-only
	// waits; nothing before this loop may call readsOf.
	for _, t := range b.plan.Tasks {
		for _, a := range t.After {
			if b.ordersOnly(t, a) {
				t.orderOnly = append(t.orderOnly, a)
			}
		}
	}
	b.markFileModeRefStops()
	b.markBodyErrorStops()
	for _, t := range b.plan.Tasks {
		if len(t.unresolved) > 0 && t.EnvironmentOf == "" {
			// No Emacs Lisp block of the document's Emacs before it
			// (they run where the backend keeps no sessions).
			for _, a := range t.unresolved {
				b.noBlockProblem(t, a)
			}
		}
	}
	if len(b.problems) > 0 {
		return nil, &RejectError{Problems: b.problems}
	}
	b.markRefRuns()
	return b.plan, nil
}

// elispBefore reports whether a task of the document's Emacs runs an
// Emacs Lisp block before t's block in the document, which may insert
// blocks that t refers to.
func (b *builder) elispBefore(t *Task) bool {
	return b.elispBeforeAt(b.position(t))
}

// elispBeforeAt reports whether a task of the document's Emacs runs an
// Emacs Lisp block before position at (a byte offset).
// Once the tasks are final (freezeTasks), it compares at with the first
// of them, found once.
func (b *builder) elispBeforeAt(at int) bool {
	if b.elispFirst != nil {
		return *b.elispFirst < at
	}
	return b.firstElispTask() < at
}

// firstElispTask is the position of the first task of the document's
// Emacs running an Emacs Lisp block (elispBeforeAt), math.MaxInt where
// there is none.
func (b *builder) firstElispTask() int {
	first := math.MaxInt
	b.elispLooked += len(b.plan.Tasks)
	for _, o := range b.plan.Tasks {
		if inDocumentEmacs(o) && !o.ReadsOutput && o.lispVar == nil {
			first = min(first, b.position(o))
		}
	}
	return first
}

// freezeTasks has elispBeforeAt find the first Emacs Lisp task once from
// now on: the plan's tasks, and what they are, no longer change (the
// passes after build mark them, adding none), so a pass asking for each
// of N blocks takes N steps, not N times the tasks.
func (b *builder) freezeTasks() {
	first := b.firstElispTask()
	b.elispFirst = &first
}

type builder struct {
	doc      *org.Document
	limits   Limits
	opts     Options
	plan     *Plan
	problems []Problem
	byName   map[string]*Task
	// byFold is the task of the first named block that writes results
	// (writesNoResults), by its name's org.FoldKey: the block whose
	// "#+RESULTS:" a later one of the name, in any case, writes too.
	byFold  map[string]*Task
	skipped map[string]*Skipped
	blocks  map[*Task]*org.Block
	// called counts the tasks of blocks called with arguments (their
	// indexes are -1, -2…); calling holds those being planned.
	called  int
	calling map[string]bool
	// callingRef is, by task name, the call of each of those.
	callingRef map[string]*calledRef
	// placeAt is where the document block being planned at its place
	// starts (a byte offset): where Emacs runs it, and every block it
	// calls, in org-babel-execute-buffer's order.
	placeAt int
	// placeOf is placeAt of each task as it was planned; rewrittenReads
	// are the tasks reading data a block's results rewrite (writtenOver).
	placeOf        map[string]int
	rewrittenReads []rewrittenRead
	// posting are the :post calls being planned, outermost first: the
	// block a :post calls goes through its own :post there, as in
	// Emacs, and one that comes back to a block of the chain is
	// refused (Emacs recurses until it exceeds its depth). postOf names the
	// :post task of a block called with arguments, which the blocks
	// referring to the call depend on instead (its result is the call's
	// value, as org-babel-execute-src-block returns it). calledName is
	// the name of the block a called task's key calls.
	posting    []postCall
	postOf     map[string]string
	calledName map[string]string
	// cachedOwn is, by name, the block :cache yes with a Lisp :var
	// value that a reference inside a :post names (postCachedLispVars),
	// nil for another.
	cachedOwn map[string]*org.Block
	// cachedRefd holds the names of the blocks a reference by name
	// (no arguments) was planned to (postCachedLispVars).
	cachedRefd map[string]bool
	// postCycleAt holds the tasks a cycle through their :post was
	// reported at (called.go, postcycle.go).
	postCycleAt map[string]bool
	// cyclesSaid holds the cycles of blocks already reported
	// (plainCycleProblem), as said.
	cyclesSaid map[string]bool
	// recursing holds the blocks, by their own runs' names, of a cycle
	// of references Babel resolves as it runs a block (:var, :stdin,
	// a noweb call: plainCycleProblem), where Emacs runs the blocks
	// again and again until the binding depth runs out
	// (Edits.failStop).
	recursing map[string]bool
	// refWalks is, by the block looked at and whether names are fixed
	// where it is resolved (refWalkKey), the error resolving its :var
	// references for a reference stops Emacs with (refBlockStop).
	refWalks map[refWalkKey]refWalk
	// namesAt is where names may first be written in the document
	// (namesMayBeWrittenBefore), built once; namesLooked counts the
	// executables looked at building it, elispLooked the tasks
	// elispBeforeAt looks at (TestThisVoidScales); elispFirst, once
	// the tasks are final, the first Emacs Lisp task's position
	// (freezeTasks).
	namesAt                  *namesWritten
	elispFirst               *int
	namesLooked, elispLooked int
	// this is the block whose result "*this*" stands for while its
	// :post is planned.
	this string
	// sessions holds the last task of each session planned so far, and
	// sessionFirst its first (whose interpreter the session runs).
	sessions     map[string]*Task
	sessionFirst map[string]*Task
	// rerunning holds the blocks whose run for a reference is being
	// planned (rerun.go).
	rerunning map[string]bool
	// cacheServed holds the :cache yes blocks a reference finds current
	// (cacheServes); cacheUnserved, where one does not, the place
	// planned then; cacheWalking those being looked at.
	cacheServed   map[string]bool
	cacheUnserved map[string]int
	cacheWalking  map[string]bool
	cacheWalks    int
	// unreachedStarts are where the unreached blocks start
	// (unreachedAt).
	unreachedStarts map[int]bool
	// runSeq is the last number a run's name took (rerunName), by its
	// name unnumbered.
	runSeq map[string]int
	// inDir is the :dir a reference being planned is resolved in
	// (stdinRef): a block it names runs again there (rerun).
	inDir string
	// tooManyRuns is set once those runs pass opts.MaxTasks, and
	// tooManyRunsProblem is the problem it made, which refuses the
	// document even where it was found planning a call of a block :eval
	// refuses that is rolled back (keepTooManyRuns).
	tooManyRuns        bool
	tooManyRunsProblem Problem
	// reached memoizes what reachesSession found for a reference, where
	// the answer is final (rerun.go); reachWalks counts its walks.
	reached map[calledRef]bool
	// callMade memoizes what makesCall found for a reference, where final.
	callMade   map[calledRef]bool
	reachWalks int
	// stopMemo is what each name reaches of stopOf, once found
	// (stopReached); stopWalks counts the names it walks.
	stopMemo  map[string]string
	stopWalks int
	// lenient is set when the document planned is the Org buffer of
	// the document's Emacs (edits.go): a reference to a block that is
	// not there makes the referring task fail as Babel does, named
	// here with the error, and does not refuse the document.
	lenient map[string]string
	// missing holds, of lenient, the tasks that fail first at a
	// reference to a block that is not there (missingInBuffer): the
	// error Babel signals (Edits.missing).
	missing map[string]string
	// refusedNames holds the names of the blocks :eval refuses
	// (refusedIsNil).
	refusedNames map[string]bool
	// stopOf is, by task (or skipped block) name, the error Emacs stops
	// org-babel-execute-buffer with reading its information: its
	// header arguments, or a call's, that Babel cannot merge
	// (org.Block.Stop), a block called with arguments that cannot be.
	// The first executable whose run reaches one stops the document
	// there (markStopped).
	stopOf map[string]string
	// postStopAt holds the names whose stopOf is that of resolving
	// their block's :post (postCalleeStop): the last check Emacs makes
	// at that block, which any other stop there replaces (setStop).
	postStopAt map[string]bool
	// fileModeRun is, for a task whose stopOf is a reference to a block
	// whose :file-mode set-file-modes refuses, that block: Emacs runs it
	// for the reference, writing its :file, before it stops
	// (markFileModeRefStops, markStopped).
	fileModeRun map[string]*Task
	// docHasStop says that a block of the document has such header
	// arguments (org.Document.HasStop).
	docHasStop bool
	// replacedExe holds, by org.Block.Index, the executables with no
	// task (as a block :eval refuses) that stand in old results a block
	// before them replaces (markReplaced): Emacs never reaches them.
	replacedExe map[int]bool
	// refusedWalk memoizes the calls varRefs has followed for one
	// block :eval refuses (by calledRef.key), and refusedSteps counts
	// its steps.
	refusedWalk  map[string]bool
	refusedSteps int
	// refusedPlannable keeps what refusedRefPlannable found for a block
	// :eval refuses, and refusedReadSteps counts the blocks it,
	// refusedReadsBlock and refusedRefPlan walk.
	refusedPlannable map[*org.Block]bool
	refusedReadSteps int
	// refusedBlockRead keeps what refusedReadsBlock found for a block
	// :eval refuses.
	refusedBlockRead map[*org.Block]bool
	// refusedCall names, by the org.Block.Index of a block :eval
	// refuses, the task of each call of its :var values (a plain
	// reference's run too), by calledRef.key (refusedCalls), and each
	// run its reading of another refused block makes, by
	// refusedReadingKey and the task's name (refusedReadAtTurn).
	refusedCall map[int]map[string]string
	// refusedMade holds the names of the tasks refusedCalls made.
	refusedMade map[string]bool
	// refusedTop is the document block :eval refuses whose calls
	// refusedCalls is planning (the calls of the called copies it
	// plans are recorded under it).
	refusedTop *org.Block
	// refusedPlanned is what planning each of those calls added, in
	// the order planned (rollBackRefusedCalls).
	refusedPlanned []refusedMade
	// refusedDocNames holds the names of the document's blocks :eval
	// refuses (refusedTarget).
	refusedDocNames map[string]bool
	// calledMemo keeps the answers of calledWithMemo.
	calledMemo map[calledQuestion]calledAnswer
	// planning is the block of the document being planned (build).
	planning *org.Block
	// refRuns counts, by the task of a block called with arguments,
	// the references after the first that run it (repeatedRefLispVars).
	refRuns map[string]int
	// nilCallsReferred are the names of the #+call: lines that run
	// nothing which a reference stops at (refStops, vars): a call of
	// no block among them is not refused (callReferred).
	nilCallsReferred map[string]bool
	// noRefusedCalls is set for the Org buffer read again
	// (BufferEdits): refusedCalls plans none.
	noRefusedCalls bool
	// refusedCallsAt are the blocks, by org.Block.Index, whose calls
	// refusedCalls plans all the same: those found in results or added
	// by an Emacs Lisp block (BufferEdits), which the submitted plan
	// does not have; refusedMadeBy the names of the tasks planned for
	// each, in order.
	refusedCallsAt map[int]bool
	refusedMadeBy  map[int][]string
	// unreached are the blocks, by org.Block.Index, of the Org buffer
	// read again (BufferEdits) that no mark of its report stands at:
	// org-babel-execute-buffer does not reach them (BufferEdits says
	// why), and the builder plans no task for them.
	unreached map[int]bool
	// passes counts the times build planned the document.
	passes int
	// postVisited counts the tasks looked at finding, for each :post's
	// task, the Lisp :var values evaluated inside it (postTask): what
	// TestPostPlanScales weighs.
	postVisited int
	// unneededVisited counts the tasks markUnneeded looked at: what
	// TestUnneededScales weighs.
	unneededVisited int
	// fileReadsVisited counts the tasks markFileReads looked at
	// ordering writers and readers of files: what TestFileReadsScales
	// weighs.
	fileReadsVisited int
	// lispRuns are the tasks a :post's task may find evaluated inside
	// it (postTask): those evaluating a Lisp :var value, and the runs
	// of Emacs Lisp blocks a reference makes (refRunStops), in the
	// order they were made; lispRunsOwned and lispRunsInPost their
	// indexes there by the task whose :var value it is and by the key
	// of the :post being planned when it was made (postKey,
	// refPostKey), so that each :post looks at its own alone.
	lispRuns       []*Task
	lispRunsOwned  map[*Task][]int
	lispRunsInPost map[string][]int
	// madeSeq numbers each task in the order it was planned (noteTask),
	// which is the order Emacs evaluates them in; lastLispSeq is the
	// number of the last one that evaluates Emacs Lisp in the
	// document's Emacs (0: none yet), cacheSpan the number each :cache
	// yes block's span of Emacs Lisp starts after (cacheAcrossElisp);
	// firstEditLine the line of the first such one; lastSetSeq that
	// of the last one whose Lisp only sets variables of the document's
	// own (settingLisp), headerForms whether the document has a Lisp
	// form in a header argument (0: not yet looked at, 1 no, 2 yes);
	// lastPureSeq that of the last one whose Lisp is pure but follows
	// Lisp that is not (noteTask).
	madeSeq       map[*Task]int
	lastLispSeq   int
	firstEditLine int
	lastSetSeq    int
	lastPureSeq   int
	// lispNoted holds, by the Start of each block a task was noted for
	// (noteTask), what of its information's Lisp was counted there
	// (unnotedHeaderLisp).
	lispNoted map[int]lispNote
	// impureHeaders are the executables whose information holds Lisp
	// that is not pure, in the document's order (unnotedHeaderLisp);
	// nil before it looks.
	impureHeaders []impureHeader
	// unplannedLispVars are the keys of the Lisp :var values counted
	// without a task (noteUnplannedLispVars).
	unplannedLispVars map[string]bool
	// impureNoted is the number of the entries of impureHeaders,
	// standing first, that tasks counted in full; impureLooked counts
	// the entries looked at (unnotedHeaderLisp).
	impureNoted, impureLooked int
	headerForms               int
	cacheSpan                 map[string]int
	// readStops are the tasks stopped by reading a block :eval
	// refuses that they refer to (refusedReadStops), by name: the
	// error.
	readStops map[string]string
}

func (b *builder) problem(blk *org.Block, name, arg, format string, args ...any) {
	b.problems = append(b.problems, Problem{Line: blk.Line, Block: name, Arg: arg, Why: fmt.Sprintf(format, args...)})
}

// impureIgnoredForm is the first of args that is a Lisp form Babel
// evaluates in an argument Borges does not read (org.Arg.IgnoredForm)
// and that sets a variable, edits a buffer or signals (sideEffectLisp):
// what Emacs does evaluating it, each time it reads the header, Borges
// does not. nil for none.
func impureIgnoredForm(args org.Args) *org.Arg {
	for i := range args {
		if args[i].IgnoredForm() && sideEffectLisp(args[i].Value) {
			return &args[i]
		}
	}
	return nil
}

// nowebCommentsForm is a block's :comments when it is a Lisp form Babel
// evaluates and noweb expansion reads (org-babel-expand-noweb-references
// wraps each reference in comments under "noweb"): Borges does not know
// its value. nil for none.
func nowebCommentsForm(args org.Args) *org.Arg {
	if a, ok := args.Lookup("comments"); ok && a.Form && org.NowebEnabled(args) {
		return &a
	}
	return nil
}

// BlockName is a block's name for users: its #+name:, else "block-N"
// (N counts the source blocks), or for a #+call: line "call-N" (N counts
// the calls), for an inline block "inline-N" (N counts the inline blocks).
func BlockName(blk *org.Block) string {
	if blk.Name != "" {
		return blk.Name
	}
	if blk.Inline > 0 {
		return fmt.Sprintf("inline-%d", blk.Inline)
	}
	if blk.Call != nil {
		return callName(blk.Call)
	}
	return fmt.Sprintf("block-%d", blk.Index+1)
}

func callName(c *org.Call) string {
	if c.AffName != "" {
		return c.AffName
	}
	return fmt.Sprintf("call-%d", c.Ordinal)
}

// block plans one block; it returns how many tasks the block counts for
// (its instances, or 1 for a block not run).
func (b *builder) block(blk *org.Block) int {
	name := BlockName(blk)
	skip := func(reason string) {
		s := &Skipped{Block: name, Index: blk.Index, Line: blk.Line, Lang: blk.Lang, Reason: reason}
		b.plan.Skipped = append(b.plan.Skipped, s)
		if blk.Name != "" {
			if _, dup := b.skipped[name]; !dup {
				b.skipped[name] = s
			}
		}
	}
	if b.unreached[blk.Index] {
		skip(unreachedWhy)
		return 1
	}
	if blk.Stop != "" {
		// Emacs signals it before it looks at :eval or the language.
		// A reference finds the first block of a name
		// (org-babel-ref-resolve): a later one stops Emacs at its own
		// turn only.
		if b.byName[name] == nil && b.skipped[name] == nil {
			b.stopOf[name] = blk.Stop
		}
		skip(fmt.Sprintf("org-babel-execute-buffer stops at it, reading its header arguments: %q", blk.Stop))
		return 1
	}
	if blk.Problem != "" {
		b.problem(blk, name, "", "%s", blk.Problem)
		return 1
	}
	if evalQuery(blk.Args) {
		// Babel asks before it runs it, which stops the document
		// (markStopped), and a reference reaching it too; the calls
		// of its :var values run first, as for a refused block.
		if b.byName[name] == nil && b.skipped[name] == nil {
			b.stopOf[name] = QueryStop
		}
		skip(queryWhy)
		b.refusedCalls(blk, name)
		// Its Lisp :var values are evaluated before Babel asks (in
		// batch, org-babel-get-src-block-info): an error stops
		// there first.
		b.refusedLispVars(blk, name)
		return 1
	}
	if why, refused := org.EvalRefused(blk.Args); refused {
		skip(why)
		if b.refusedNames == nil {
			b.refusedNames = map[string]bool{}
		}
		b.refusedNames[name] = true
		b.refusedCalls(blk, name)
		b.refusedLispVars(blk, name)
		return 1
	}
	if a := nowebCommentsForm(blk.Args); a != nil {
		b.problem(blk, name, ":comments", "%s: Emacs evaluates this Lisp form as it reads the header, and noweb expansion reads its value (noweb comments), which Borges cannot tell: write the value itself (:comments \"VALUE\")", a.Value)
		return 1
	}
	if a := impureIgnoredForm(blk.Args); a != nil {
		b.problem(blk, name, ":"+a.Key, "%s: Emacs evaluates this Lisp form as it reads the header, each time it reads it, and Borges does not: it may do more than compute a value (set a variable or the environment, define a function, load a library, signal an error). Write the value itself (:%s \"VALUE\")", a.Value, a.Key)
		return 1
	}
	interp, known := interpreters[blk.Lang]
	if elispLangs[blk.Lang] {
		interp, known = elispInterpreter, true
	}
	shebang, hasShebang := blk.Args.Get("shebang")
	// Babel looks up org-babel-execute:LANG before anything else, so a
	// block of no language stops there whatever its :shebang says.
	if noFunctionLang(blk.Lang) || !known && !(hasShebang && shebang != "") {
		if noFunctionLang(blk.Lang) {
			// org-babel-execute-buffer runs it all the same
			// (org-element reads a language only after spaces:
			// #+begin_src<TAB>sh is of none; a bare #+begin_src
			// too; #+begin_src :results output is of ":results"),
			// its references first, and stops there.
			if b.byName[name] == nil && b.skipped[name] == nil {
				b.stopOf[name] = noExecuteFunction(blk.Lang)
			}
			if blk.Lang == "" {
				skip(noLanguageWhy)
			} else {
				skip(fmt.Sprintf(headerLangWhy, blk.Lang, noExecuteFunction(blk.Lang)))
			}
			b.refusedCalls(blk, name)
			b.refusedLispVars(blk, name)
		} else {
			skip(fmt.Sprintf("language %q has no interpreter Borges runs", blk.Lang))
		}
		return 1
	}
	t := &Task{Block: name, Named: blk.Name != "", Name: blk.Name, Index: blk.Index, Line: blk.Line, Lang: blk.Lang,
		Instances: 1, Ensure: ItFinishes, Retries: 0}
	b.blocks[t] = blk
	t.Interpreter = interp // shared, never modified
	if header := commandHeader(blk.Lang); header != "" {
		if cmd, ok := blk.Args.Get(header); ok && cmd != "" {
			t.command = cmd
			t.Interpreter = shellCommand(cmd)
		}
	}
	if hasShebang && shebang != "" {
		t.Interpreter = nil // the script runs by its #! line
		t.shebang = shebang
	}
	t.Results, _ = blk.Args.Get("results")
	t.ValueFile, t.Reader = resultReading(blk.Lang, blk.Args)
	fileModeNote := ""
	if path, written, ok := blk.ResultFile(); ok {
		// Under :results none Babel runs the block and writes nothing,
		// the :file neither (org-babel-execute-src-block).
		t.File, t.FileWritten = path, written && !slices.Contains(strings.Fields(t.Results), "none")
		if arg, ok := blk.Args.Lookup("file-mode"); ok && written {
			m, stop, ok := fileModeArg(arg)
			switch {
			case !ok:
				b.problem(blk, name, ":file-mode", "%q is not a file mode: write a number as Emacs reads it, such as (identity #o644) or 420", arg.Value)
			case stop != "":
				fileModeNote = fmt.Sprintf(":file-mode %s is no whole number, which set-file-modes refuses: Emacs writes the file, then stops the document at this block (%q), its results not written; write a number, such as (identity #o644) or 420", strings.TrimPrefix(stop, FileModeStopPrefix), stop)
			default:
				t.FileMode, t.FileModeSet = m, true
			}
		}
	}
	t.Cache = hashedBlock(blk)
	b.resources(blk, t)
	b.lifecycle(blk, t)
	b.container(blk, t)
	b.constraints(blk, t)
	b.vars(blk, t)
	b.nowebStop(blk, t)
	// Babel resolves the noweb references after the :var values, and
	// ob-shell the :stdin last: the runs they make of blocks of a
	// session come in that order, before the block's own (rerun.go).
	// Each time Babel meets a reference in the expansion it resolves it
	// again: a reference written twice to a block of a session is two
	// runs; to any other block, its first run serves every time.
	keys, calls, all := b.doc.NowebRuns(blk, b.opts.MaxTasks+1)
	if !all {
		// More than a document's tasks: the runs past them are refused
		// (rerun), but every reference still needs its first result.
		met := map[string]bool{}
		for _, c := range calls {
			met[c] = true
		}
		for _, c := range b.doc.NowebCalls(blk) {
			if !met[c] {
				keys, calls = append(keys, c), append(calls, c)
			}
		}
	}
	for i, call := range calls {
		r, ok := parseRef(call)
		first := keys[i] == call
		if !ok {
			if first {
				b.problem(blk, name, ":noweb", "<<%s>>: not a reference to a block", call)
			}
			continue
		}
		if d, ok := b.doc.NamedData(r.name); ok {
			if first && b.rewrittenData(blk, name, ":noweb", r.name) {
				continue
			}
			kind := d.Kind
			// Named data: org-babel-ref-resolve reads it (arguments
			// are for blocks only), each time it is met.
			if kind == org.ValueFileLink || kind == org.ValueHomeLink || kind == org.ValueUserLink {
				// Emacs inserts the path expanded in the buffer's
				// directory (the body is expanded before :dir is
				// bound): known where the sender says it visits the
				// document there.
				v, ok := visitedLink(linkValue(kind, d.Scalar), b.doc.Visit)
				if !ok {
					if first {
						b.problem(blk, name, ":noweb", "<<%s>>: %q is a link to a file %s, which Emacs inserts expanded where it visits the document; Borges does not know that path when it writes the block's program unless the client says where the document is (borges submit FILE does)", call, r.name, linkBase(kind))
					}
					continue
				}
				if first {
					v = indexValue(v, r.index)
					t.nowebRefs = append(t.nowebRefs, nowebRef{call: keys[i], data: &v})
				}
				continue
			}
			if first {
				v := indexValue(rawDataValue(d), r.index)
				t.nowebRefs = append(t.nowebRefs, nowebRef{call: keys[i], data: &v})
			}
			continue
		}
		if b.refStops(t, r.name) {
			// org-babel-ref-resolve, as for :var.
			continue
		}
		// Each one written reads a refused block's information.
		b.refusedRefRuns(blk, t, ":noweb", "<<"+call+">>", r)
		dep := r.name
		if again := b.rerun(blk, t, ":noweb", "<<"+call+">>", r); again != "" {
			dep = again
		} else if !first {
			continue
		} else if b.postCachedLispVars(t, "<<"+call+">>", r); r.call != nil {
			if dep = b.calledTask(blk, t, ":noweb", r.call); dep == "" {
				continue
			}
		}
		t.nowebRefs = append(t.nowebRefs, nowebRef{call: keys[i], block: dep, index: r.index})
		t.After = append(t.After, dep)
	}
	t.cachedNow = b.cachedNow(blk, t)
	if !t.cachedNow {
		if err := org.WrapUnsplit(blk.Args); err != nil {
			b.problem(blk, name, "", "%s", err)
		}
	}
	// Before :stdin, whose runs are in it (stdinRef).
	if v, ok := blk.Args.Get("dir"); ok && v != "" {
		if isRemoteDir(v) {
			// Emacs would run the block on that host through TRAMP;
			// running it here in a directory of that name would not be
			// what was asked.
			b.problem(blk, name, ":dir", "%q is a remote (TRAMP) directory; Borges runs blocks where its backend places them: drop it, or use :dockerize or Mesos :constraints to say where", v)
		}
		t.Dir = v
	}
	b.stdinAndCmdline(blk, t)
	t.Notes = notes(blk, b.session(blk, t), t.Cache && blk.Inline == 0)
	if fileModeNote != "" {
		t.Notes = append(t.Notes, fileModeNote)
	}
	if t.stdinShell() {
		// The program is the sh program that feeds the block's
		// script to its shell (shellFileScript).
		t.Interpreter = []string{"sh"}
	}
	if a, ok := blk.Args.Lookup("return"); ok && pythonLangs[blk.Lang] && !a.String && a.Value != "" && strings.ContainsRune("('`[", rune(a.Value[0])) {
		// org-babel-read evaluates such a value as Lisp, and ob-python
		// writes what it evaluates to with %s: "[a, b]" is a vector
		// whose commas are unquotes, and Python gets
		// "return [a (\, b)]", a syntax error (Emacs writes an empty
		// result). An error in disguise: refused, with the way out.
		b.problem(blk, name, ":return", "%s: Emacs reads a value starting with %q as Lisp, and Python gets what it evaluates to, printed (for [a, b], a vector whose commas are unquotes: a syntax error); write the expression as a Lisp string: :return \"%s\"", a.Value, a.Value[:1], strings.ReplaceAll(a.Value, `"`, `\"`))
	}
	if v, ok := blk.Args.Get("env"); ok && v != "" {
		t.Env = map[string]string{}
		for _, kv := range strings.Fields(v) {
			k, val, found := strings.Cut(kv, "=")
			if !found || k == "" {
				b.problem(blk, name, ":env", "%q is not NAME=VALUE", kv)
				continue
			}
			t.Env[k] = val
		}
	}
	if v, ok := blk.Args.Get("after"); ok {
		t.AfterArg = strings.Fields(v)
		t.After = append(t.After, t.AfterArg...)
	}
	// A task with problems still takes part in the reference checks below,
	// so that every problem is reported at once.
	// Emacs runs every block of a name; references reach the first,
	// and each one's results go to the first "#+RESULTS: name" of the
	// buffer (org-babel-where-is-src-block-result, which ignores case):
	// that of the first block of the name that writes results, when
	// one runs before it. A block that writes none (:results silent or
	// none) leaves no "#+RESULTS:" for a later one to find, and writes
	// nowhere else.
	writes := blk.Name != "" && !writesNoResults(blk)
	if first := b.byFold[org.FoldKey(name)]; writes && first != nil {
		t.ResultsWith, t.resultsAt = first.Block, first.Index
	}
	if blk.Name != "" {
		// A later block of a name: its task takes a name of its own.
		for n := 2; b.byName[t.Block] != nil; n++ {
			t.Block = fmt.Sprintf("%s~%d", name, n)
		}
	}
	b.byName[t.Block] = t
	b.placeOf[t.Block] = b.placeAt
	if writes && b.byFold[org.FoldKey(name)] == nil {
		b.byFold[org.FoldKey(name)] = t
	}
	b.plan.Tasks = append(b.plan.Tasks, t)
	b.noteTask(t)
	b.emacsReadTask(blk, t)
	b.postTask(blk, t)
	return t.Instances
}

// writesNoResults reports whether blk's merged :results (its header,
// a property, header-args) holds silent or none: Babel then writes no
// "#+RESULTS:" for it, and a later block of its name does not find one.
func writesNoResults(blk *org.Block) bool {
	words, _ := blk.Args.Get("results")
	return noResults(words)
}

// FileModeStopPrefix begins the error org-babel-execute-buffer stops with
// once a block has run whose :file Babel writes and whose :file-mode is
// no fixnum (fileModeArg): set-file-modes signals after the file is
// written, before the results are inserted.
const FileModeStopPrefix = "Wrong type argument: fixnump, "

// fileModeArg reads a :file-mode as org-babel-read leaves it for
// set-file-modes: a fixnum is the mode m (fileMode); a form Borges does
// not evaluate (but (identity N)) is not ok (refused); anything else
// (a string, "0420" or o420 alike, a symbol, a list or vector, a float,
// a bignum) is the error set-file-modes signals, stop, once the file is
// written (checked with Emacs 28.2: fixture stop_file_mode_*).
func fileModeArg(a org.Arg) (m uint32, stop string, ok bool) {
	switch {
	case a.Form:
		m, ok := fileMode(a.Value)
		return m, "", ok
	case a.String:
		return 0, FileModeStopPrefix + org.Prin1String(a.Value, false), true
	case a.Symbol || a.Printed:
		return 0, FileModeStopPrefix + a.Value, true
	case a.Value == "":
		// Written bare, or a form that evaluates to nil ('nil):
		// set-file-modes is given nil.
		return 0, FileModeStopPrefix + "nil", true
	}
	if n, isNumber := lispNumber(a.Value); isNumber {
		if m, ok := fileMode(n); ok {
			return m, "", true
		}
		return 0, FileModeStopPrefix + n, true // a float, a bignum
	}
	return 0, FileModeStopPrefix + org.Prin1String(a.Value, false), true
}

// fileModeStop is the error org-babel-execute-buffer stops with once
// task t's block, blk, has run: its :file written, a :file-mode
// set-file-modes refuses (fileModeArg); "" for none. Under :results none
// Babel writes no file.
func fileModeStop(blk *org.Block, t *Task) string {
	if !t.FileWritten || t.ReadsOutput || t.Post {
		return ""
	}
	arg, ok := blk.Args.Lookup("file-mode")
	if !ok {
		return ""
	}
	if r, _ := blk.Args.Get("results"); slices.Contains(strings.Fields(r), "none") {
		return ""
	}
	_, stop, _ := fileModeArg(arg)
	return stop
}

// fileMode reads a :file-mode as org-babel-read leaves it for
// set-file-modes: a whole number ("-1", "+493" too, as org-babel-read
// reads them), or (identity N) with N an integer in Lisp syntax (signed
// decimal, or a radix's as the Lisp reader reads it, org.ReadRadix:
// #o644, #x1a4, #b…, #8r644). Any fixnum is a mode: set-file-modes keeps
// its low 12 bits (& #o7777), so -1 is #o7777 and #o17755 is #o7755.
func fileMode(v string) (uint32, bool) {
	v = strings.TrimSpace(v)
	if inner, ok := strings.CutPrefix(v, "(identity "); ok && strings.HasSuffix(inner, ")") {
		v = strings.TrimSpace(strings.TrimSuffix(inner, ")"))
	} else if strings.HasPrefix(v, "#") {
		return 0, false // a string for Emacs: set-file-modes refuses it
	}
	var n int64
	if strings.HasPrefix(v, "#") {
		r, rest, ok := org.ReadRadix(v)
		if !ok || rest != "" {
			return 0, false
		}
		n = r
	} else {
		d, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, false
		}
		n = d
	}
	// Emacs's fixnums: a bignum is no mode.
	if n > 1<<61-1 || n < -(1<<61) {
		return 0, false
	}
	return uint32(n & 0o7777), true
}

// isRemoteDir reports whether a :dir is a TRAMP file name ("/ssh:host:",
// "/sudo::/etc", "/-:host:/path"): its first component holds a colon.
func isRemoteDir(d string) bool {
	if !strings.HasPrefix(d, "/") {
		return false
	}
	first := d[1:]
	if i := strings.IndexByte(first, '/'); i >= 0 {
		first = first[:i]
	}
	return strings.Contains(first, ":")
}

var memRe = regexp.MustCompile(`^([0-9]*\.?[0-9]+)\s*([kKmMgGtT]?)[iI]?[bB]?$`)

// decimalRe is a number as a person writes it: strconv.ParseFloat also
// takes "NaN", "Inf", "infinity" and hexadecimal "0x1p3", none of which a
// header argument means.
var decimalRe = regexp.MustCompile(`^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// parseFinite reads a decimal number that is neither NaN nor infinite
// (out of range, "1e400", is no number either).
func parseFinite(s string) (float64, bool) {
	if !decimalRe.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// parseMB reads a size in megabytes: "512", "512M", "2G", "1.5GiB".
func parseMB(s string) (float64, bool) {
	m := memRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	n, ok := parseFinite(m[1])
	if !ok {
		return 0, false
	}
	switch strings.ToUpper(m[2]) {
	case "K":
		n /= 1024
	case "G":
		n *= 1024
	case "T":
		n *= 1024 * 1024
	}
	return n, true
}

// EmacsMemMB is the least memory a task running Emacs asks for where its
// block says nothing (:mem): a batch Emacs with Org loaded holds about
// 31 MB, and in a cgroup of the default 32 MB it reclaimed its own pages
// for half a minute and was then killed.
const EmacsMemMB = 128

// emacsResources is r for a task that runs Emacs: at least EmacsMemMB.
func emacsResources(r Resources) Resources {
	r.MemMB = max(r.MemMB, EmacsMemMB)
	return r
}

func (b *builder) resources(blk *org.Block, t *Task) {
	name := t.Block
	t.Resources = Resources{CPUs: b.opts.DefaultCPUs, MemMB: b.opts.DefaultMemMB, Pids: b.opts.DefaultPids}
	cpus := func(key string, dst *float64) bool {
		v, ok := blk.Args.Get(key)
		if !ok {
			return false
		}
		f, ok := parseFinite(v)
		if !ok || f <= 0 {
			b.problem(blk, name, ":"+key, "%q is not a positive number of CPUs", v)
			return false
		}
		*dst = f
		return true
	}
	cpus("cpu", &t.Resources.CPUs)
	cpus("cpus", &t.Resources.CPUs)
	if cpus("cpu-limit", &t.Resources.CPULimit) && t.Resources.CPULimit < t.Resources.CPUs {
		b.problem(blk, name, ":cpu-limit", "%s CPUs is less than what :cpu asks for (%s)",
			strconv.FormatFloat(t.Resources.CPULimit, 'f', -1, 64), strconv.FormatFloat(t.Resources.CPUs, 'f', -1, 64))
	} else if t.Resources.CPULimit == 0 && b.opts.HardCPULimit {
		t.Resources.CPULimit = t.Resources.CPUs
	}
	if elispLangs[blk.Lang] {
		t.Resources = emacsResources(t.Resources)
	}
	if v, ok := blk.Args.Get("mem"); ok {
		if f, good := parseMB(v); !good || f <= 0 {
			b.problem(blk, name, ":mem", "%q is not a memory size (MB, or with a unit: 512M, 2G)", v)
		} else {
			t.Resources.MemMB = f
		}
	}
	if v, ok := blk.Args.Get("disk"); ok {
		if f, good := parseMB(v); !good || f < 0 {
			b.problem(blk, name, ":disk", "%q is not a disk size (MB, or with a unit)", v)
		} else {
			t.Resources.DiskMB = f
		}
	}
	intArg := func(key string, min int) (int, bool) {
		v, ok := blk.Args.Get(key)
		if !ok {
			return 0, false
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < min {
			b.problem(blk, name, ":"+key, "%q is not a whole number ≥ %d", v, min)
			return 0, false
		}
		return n, true
	}
	if n, ok := intArg("gpus", 0); ok {
		t.Resources.GPUs = n
	}
	if n, ok := intArg("ports", 0); ok {
		if n > b.opts.MaxPorts {
			b.problem(blk, name, ":ports", "asks for %d ports; a block may have at most %d (#+borges_max_ports)", n, b.opts.MaxPorts)
		} else {
			t.Resources.Ports = n
		}
	}
	if n, ok := intArg("pids", 1); ok {
		t.Resources.Pids = n
	}
	if n, ok := intArg("instances", 1); ok {
		if n > b.opts.MaxInstances {
			b.problem(blk, name, ":instances", "asks for %d instances; a block may have at most %d (#+borges_max_instances)", n, b.opts.MaxInstances)
		} else {
			t.Instances = n
		}
	}
	max := b.limits.Max
	over := func(arg string, want, have float64, unit string) {
		b.problem(blk, name, arg, "asks for %s %s; the most this backend could ever offer is %s %s",
			strconv.FormatFloat(want, 'f', -1, 64), unit, roundAmount(have), unit)
	}
	if max.CPUs > 0 && t.Resources.CPUs > max.CPUs {
		over(":cpu", t.Resources.CPUs, max.CPUs, "CPUs")
	}
	if max.MemMB > 0 && t.Resources.MemMB > max.MemMB {
		over(":mem", t.Resources.MemMB, max.MemMB, "MB")
	}
	if max.DiskMB > 0 && t.Resources.DiskMB > max.DiskMB {
		over(":disk", t.Resources.DiskMB, max.DiskMB, "MB")
	}
	if t.Resources.GPUs > max.GPUs && (max.GPUs > 0 || max.CPUs > 0) {
		over(":gpus", float64(t.Resources.GPUs), float64(max.GPUs), "GPUs")
	}
}

func (b *builder) lifecycle(blk *org.Block, t *Task) {
	name := t.Block
	if v, ok := blk.Args.Get("ensure"); ok {
		switch Lifecycle(v) {
		case ItFinishes, ItKeepsRunning:
			t.Ensure = Lifecycle(v)
		default:
			b.problem(blk, name, ":ensure", "%q: use it-finishes or it-keeps-running", v)
		}
	}
	if v, ok := blk.Args.Get("on-failure"); ok {
		switch v {
		case "stop":
		case "continue":
			t.ContinueOnFailure = true
		default:
			b.problem(blk, name, ":on-failure", "%q: use stop or continue", v)
		}
	}
	if v, ok := blk.Args.Get("retries"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			b.problem(blk, name, ":retries", "%q is not a whole number ≥ 0", v)
		} else {
			t.Retries = n
		}
	}
	if v, ok := blk.Args.Get("timeout"); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			if secs, ok := parseFinite(v); ok {
				if secs > maxTimeout.Seconds() {
					b.problem(blk, name, ":timeout", "%q is longer than Borges can count (292 years)", v)
					return
				}
				d, err = time.Duration(secs*float64(time.Second)), nil
			}
		}
		if err != nil || d <= 0 {
			b.problem(blk, name, ":timeout", "%q is not a duration (30s, 5m, or seconds)", v)
		} else {
			t.Timeout = d
		}
	}
}

// maxTimeout is the longest time.Duration.
const maxTimeout = time.Duration(math.MaxInt64)

// imageRe is a loose Docker image reference: [registry/]path[:tag][@digest].
var imageRe = regexp.MustCompile(`^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`)

func (b *builder) container(blk *org.Block, t *Task) {
	name := t.Block
	d, ok := blk.Args.Get("dockerize")
	image, hasImage := blk.Args.Get("image")
	switch {
	case (!ok || d == "no" || d == "nil" || d == "") && hasImage && b.limits.ImageAlone:
		// Every task runs in an image: :image alone names it.
		if image == "" {
			b.problem(blk, name, ":image", ":image needs NAME")
			return
		}
	case !ok || d == "no" || d == "nil" || d == "":
		if hasImage {
			b.problem(blk, name, ":image", "given without :dockerize t")
		}
		return
	case d != "t" && d != "yes":
		b.problem(blk, name, ":dockerize", "%q: use t or yes", d)
		return
	case !hasImage || image == "":
		b.problem(blk, name, ":image", ":dockerize t needs :image NAME")
		return
	}
	if !imageRe.MatchString(image) {
		b.problem(blk, name, ":image", "%q is not a Docker image reference", image)
		return
	}
	if why := b.limits.NoContainers; why != "" {
		b.problem(blk, name, ":dockerize", "this server cannot run containers: %s", why)
		return
	}
	c := &Container{Image: image, Kind: "docker", Network: "host"}
	if v, ok := blk.Args.Get("containerizer"); ok {
		if v != "docker" && v != "mesos" {
			b.problem(blk, name, ":containerizer", "%q: use docker or mesos", v)
		}
		c.Kind = v
	}
	if v, ok := blk.Args.Get("network"); ok {
		if v != "host" && v != "bridge" && v != "none" {
			b.problem(blk, name, ":network", "%q: use host, bridge or none", v)
		}
		c.Network = v
	}
	t.Container = c
}

// constraints reads :constraints, which say where any task may run
// (Mesos agents), in a container or not.
func (b *builder) constraints(blk *org.Block, t *Task) {
	v, ok := blk.Args.Get("constraints")
	if !ok {
		return
	}
	for _, f := range strings.Fields(v) {
		c, err := parseConstraint(f)
		if err != nil {
			b.problem(blk, t.Block, ":constraints", "%v", err)
			continue
		}
		t.Constraints = append(t.Constraints, c)
	}
}

func parseConstraint(s string) (Constraint, error) {
	for _, op := range []string{"==", "!=", "~"} {
		if field, value, ok := strings.Cut(s, op); ok && field != "" {
			if op == "~" {
				if _, err := regexp.Compile(value); err != nil {
					return Constraint{}, fmt.Errorf("%q: bad regexp: %v", s, err)
				}
			}
			return Constraint{Field: field, Op: op, Value: value}, nil
		}
	}
	return Constraint{}, fmt.Errorf("%q is not FIELD==VALUE, FIELD!=VALUE or FIELD~REGEXP", s)
}

// nowebStop marks task t (block blk's) as stopping Emacs (stopOf) where
// its noweb expansion takes in the body of a block whose header
// arguments Babel cannot merge (org.Block.Stop): expanding "<<name>>",
// org-babel-expand-noweb-references reads that block's information.
// Only documents holding such a block are walked.
func (b *builder) nowebStop(blk *org.Block, t *Task) {
	if b.stopsBefore(t.Block) || !b.docHasStop {
		return
	}
	if why := b.doc.NowebStop(blk); why != "" {
		b.setStop(t.Block, why)
	}
}

// noBlockNamed says that a reference names no block, and why a name
// ending in a comma (":var x=1, y=2", Org's old way of writing several
// assignments) does: Babel keeps the comma.
func noBlockNamed(name string) string {
	why := fmt.Sprintf("no runnable block named %q in this document", name)
	if r, n := utf8.DecodeRuneInString(name); n == len(name) && n > 0 && !unicode.IsGraphic(r) {
		why += fmt.Sprintf(": a :var number without a name (:var %d) is the character of that code for Babel, which names no block either (Emacs stops at the block: Reference not found); write :var NAME=%d", r, r)
	}
	if strings.HasSuffix(name, ",") {
		why += fmt.Sprintf(`: the comma is part of the value for Babel, as Emacs stops at the block with "Reference ‘%s’ not found in this buffer"; separate assignments with spaces (:var x=1 y=2)`, name)
	}
	return why
}

// noBlockProblem refuses the document for t's reference a, which names
// no block, naming the line and the construct the reference is written
// in: t's header argument; for a #+call: line's or an inline call's
// argument, the call; for the run of a block a reference calls with
// arguments (CallOf), the line of the block or call making that
// reference, and the call (f(y=nosuch)), where the callee's line would
// point at no typo.
func (b *builder) noBlockProblem(t *Task, a string) {
	arg, why := argFor(t, a), noBlockNamed(a)
	for t.callOf != "" {
		caller := b.byName[t.callOf]
		if caller == nil || b.blocks[caller] == nil {
			break
		}
		arg, why = argFor(caller, t.Block), t.Block+": "+why
		t = caller
	}
	blk := b.blocks[t]
	if c := blk.Call; c != nil && arg == ":var" {
		arg = inlineCallText(c)
		if blk.Inline == 0 {
			arg = "#+call: " + strings.TrimPrefix(arg, "call_")
		}
	} else if arg == ":var" && blk.Inline == 0 && !strings.Contains(b.ownHeader(blk), a) && !strings.ContainsFunc(a, func(r rune) bool { return !unicode.IsGraphic(r) }) {
		// Not written on the block's own lines (nor the character a
		// :var number with no name gives, noBlockNamed): a header-args
		// property (a drawer's or a #+PROPERTY: line's) gives it.
		arg = ":var (in a property)"
	}
	b.problem(blk, t.Block, arg, "%s", why)
}

// ownHeader is the text of a source block's own lines before its body
// (its #+name:, #+header: and #+begin_src lines), "" when the block is
// no source block of the document's text.
func (b *builder) ownHeader(blk *org.Block) string {
	if blk.Start < 0 || blk.End > len(b.doc.Text) || blk.Start >= blk.End {
		return ""
	}
	text := b.doc.Text[blk.Start:blk.End]
	i := strings.Index(strings.ToLower(text), "#+begin_src")
	if i < 0 {
		return ""
	}
	if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
		return text[:i+j]
	}
	return text
}

// varValueStop is the error Emacs stops with at the block at point at
// of the document resolving its :var value rhs (trimmed, trimVarComma)
// where Borges reads no value and takes no reference from it: the empty
// value, which org-babel-read gives back as it is and
// org-babel-ref-resolve looks for as a name (refEmptyStop); one opening
// a string it does not close, which org-babel-read reads with the Lisp
// reader (eofDuringParsing); a reference that is no name Borges takes
// (parseRef), one org-babel-parse-multiple-vars made by joining a split
// ending in "=" to the next (":var x= y=2" is x, "y=2"), or holding "="
// or a blank ("x=a=b", "x==1", a tab): with no bracket in it, Babel
// looks for an element of that very name and, finding none, signals
// "Reference ‘y=2’ not found in this buffer" (unknownRef). "" for any
// other value (a value, a reference, a Lisp form Emacs evaluates), and
// for such a name when it has brackets, or when the buffer may have it
// (the document's, or one a block run before may write), which Borges
// then refuses. Blocks that run (vars) and blocks :eval refuses or asks
// about (varRefs) stop alike.
func (b *builder) varValueStop(rhs string, at int) string {
	if rhs == "" {
		return refEmptyStop
	}
	_, literal, err := parseLiteral(rhs)
	switch {
	case err != nil && !isLispForm(rhs) && rhs[0] == '"' && !errors.Is(err, errEscapeNotRead):
		return eofDuringParsing
	case err != nil || literal || strings.ContainsAny(rhs, "()[]"):
		return ""
	}
	if _, ok := parseRef(rhs); ok && !strings.ContainsRune(rhs, '=') {
		return ""
	}
	return b.unknownRef(rhs, at)
}

// eofDuringParsing is the error the Lisp reader signals reading text
// that ends inside a string.
const eofDuringParsing = "End of file during parsing"

// trimVarComma drops the comma an old-style ":var x=VALUE, y=2" leaves
// after a value that org-babel-read reads with the Lisp reader (a
// string, a Lisp form), which stops before it. After a number or a name
// the comma is part of the value, and Emacs stops at the block with
// "Reference ‘1,’ not found in this buffer".
func trimVarComma(rhs string) string {
	if rhs == "" || !strings.ContainsRune("\"('`", rune(rhs[0])) {
		return rhs
	}
	return strings.TrimSuffix(rhs, ",")
}

func (b *builder) vars(blk *org.Block, t *Task) {
	name := t.Block
	for _, raw := range blk.Vars {
		k, rhs, ok := strings.Cut(raw, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			b.problem(blk, name, ":var", "%q is not NAME=VALUE", raw)
			continue
		}
		rhs = trimVarComma(strings.TrimSpace(rhs))
		if why := b.varValueStop(rhs, b.position(t)); why != "" {
			// A value Babel cannot read, or a name no element has:
			// Emacs stops at the block ("Reference ‘’ not found").
			b.stopAt(t, why)
			continue
		}
		// A string holding an escape Borges does not read is read by
		// Emacs too, as Babel reads it.
		if _, literal, err := parseLiteral(rhs); elispLangs[blk.Lang] && (isLispForm(rhs) || errors.Is(err, errEscapeNotRead)) && (err != nil || !literal) {
			if hashedBlock(blk) {
				b.problem(blk, name, ":cache", "%s: a Lisp :var value (%s) is evaluated by Emacs when the block runs, so Borges cannot hash it for :cache yes; drop :cache, or compute it in a block of its own", k, rhs)
				continue
			}
			// Emacs evaluates it, in the block's program, where its
			// error is marked as one that stops the document
			// (LispVarsStop).
			t.LispVarsStop = t.elispErrorStops()
			t.Vars = append(t.Vars, Var{Name: k, Literal: rhs})
			t.values = append(t.values, boundValue{name: k, lisp: rhs})
			continue
		}
		v, literal, err := parseLiteral(rhs)
		if err != nil && isLispForm(rhs) {
			// Emacs evaluates it, in a task of its own.
			dep := b.lispVarTask(blk, t, k, rhs)
			t.Vars = append(t.Vars, Var{Name: k, Ref: dep})
			t.values = append(t.values, boundValue{name: k, ref: dep})
			t.After = append(t.After, dep)
			continue
		}
		if err != nil {
			b.problem(blk, name, ":var", "%s: %v", k, err)
			continue
		}
		if literal {
			t.Vars = append(t.Vars, Var{Name: k, Literal: v.text()})
			bv := boundValue{name: k, value: v}
			if elispLangs[blk.Lang] {
				bv.lisp = rhs // read by Emacs, as Babel reads it
			}
			t.values = append(t.values, bv)
			continue
		}
		if rhs == "*this*" && b.this != "" {
			// The result of the block whose :post this is.
			t.Vars = append(t.Vars, Var{Name: k, Ref: b.this})
			t.values = append(t.values, boundValue{name: k, ref: b.this, this: true})
			t.After = append(t.After, b.this)
			continue
		}
		r, ok := parseRef(rhs)
		if !ok {
			b.problem(blk, name, ":var", "%s: %q is neither a value nor a block name", k, rhs)
			continue
		}
		if file, ref, ok := org.RefInFile(r.name); ok {
			// org-babel-ref-resolve visits the file and looks for the
			// name there, never in this document (Emacs stops with
			// "Reference ‘ref’ not found in this buffer" where the
			// file has none).
			b.problem(blk, name, ":var", "%s: %q is a reference to %q in the file %q for Babel, which Borges does not read (not the element of this document named %[2]q, if any); copy the data into this document", k, r.name, ref, file)
			continue
		}
		{
			// A named table, list or example: its value, read now
			// (the part the index selects), then as the block takes
			// tables. org-babel-ref-resolve reads the first element
			// of the name: when that is data, a reference with
			// arguments or a header (d(n=2)) reads it too, the
			// arguments left unused, whatever block of that name
			// follows.
			if d, ok := b.doc.NamedData(r.name); ok {
				v, colnames := indexedDataValue(d, r.index, blk.Args)
				over, why := b.writtenOver(name, r.name)
				if why != "" {
					b.problem(blk, name, ":var", "%s: %s", k, why)
					continue
				}
				t.Vars = append(t.Vars, Var{Name: k, Literal: v.text()})
				bv := boundValue{name: k, value: v, colnames: colnames, readBack: over, index: r.index, data: r.name, rhs: rhs}
				if over != "" {
					t.After = append(t.After, over)
					if b.doc.RunsNext(r.name) {
						// Its result, should the block write nothing.
						// Not waited for unless the block writes
						// nothing (see Task.NextWaits).
						bv.next = r.name
					}
					b.nextResults(name, r.name, &bv, blk.Args)
				}
				t.values = append(t.values, bv)
				continue
			}
			if err := b.doc.NamedEscapeNotRead(r.name); err != nil {
				b.problem(blk, name, ":var", "%s: %v", k, err)
				continue
			}
			if b.doc.NamedUnread(r.name) {
				b.stopAt(t, org.RefUnread)
				continue
			}
			// No element of that name: a heading's CUSTOM_ID names
			// its body, a string (an index selects nothing in it).
			if body, live, ok := b.doc.HeadingBody(r.name); ok {
				if live {
					b.problem(blk, name, ":var", "%s: the heading whose CUSTOM_ID is %q holds blocks or calls, or results a block writes there, which change the body Babel reads when this block runs; name the data instead", k, r.name)
					continue
				}
				v := Value{Scalar: body}
				t.Vars = append(t.Vars, Var{Name: k, Literal: v.text()})
				t.values = append(t.values, boundValue{name: k, value: v})
				continue
			}
		}
		if b.doc.NamedCallRunsNothing(r.name) {
			b.nilCallReferred(r.name)
			b.stopAt(t, org.RefCallNil)
			continue
		}
		dep := r.name
		if again := b.rerun(blk, t, ":var", ":var "+k+"="+rhs, r); again != "" {
			dep = again
		} else if b.postCachedLispVars(t, ":var "+k+"="+rhs, r); r.call != nil {
			if dep = b.calledTask(blk, t, ":var", r.call); dep == "" {
				continue
			}
		}
		t.Vars = append(t.Vars, Var{Name: k, Ref: dep})
		t.values = append(t.values, boundValue{name: k, ref: dep, index: r.index})
		t.After = append(t.After, dep)
		b.refusedRefRuns(blk, t, ":var", ":var "+k+"="+rhs, r)
	}
}

// resolve checks references between tasks, has those that take the value
// of a :post or of Emacs's reading refer to its task, and looks for cycles.
func (b *builder) resolve() {
	b.queryReadStops()
	for _, t := range b.plan.Tasks {
		seen := map[string]bool{}
		var after []string
		for _, a := range t.After {
			if seen[a] {
				continue
			}
			seen[a] = true
			var read refusedReading // of a block :eval refuses, read once
			if b.refusedNames[a] {
				read = b.refusedRead(a)
			}
			if dep := b.byName[a]; dep != nil && argFor(t, a) != ":after" && b.refusedFirst(a, dep, read) {
				// A reference finds the first element of the name:
				// the refused block, not the later task of its name.
				if b.refusedBound(t, a, read) {
					continue
				}
				if read.why != "" {
					b.refusedUnread(t, a, read.why)
					continue
				}
			}
			if _, ok := b.byName[a]; !ok {
				blk := b.blocks[t]
				if b.refusedBound(t, a, read) {
					continue
				}
				unread := read.why
				if unread != "" && argFor(t, a) == ":after" {
					unread = ""
				}
				if b.lenient != nil && unread == "" && b.missingInBuffer(t, a) {
					// (A refused block whose reading Borges cannot
					// tell is refused below, in the buffer too.)
					continue
				}
				if _, skipped := b.skipped[a]; !skipped && b.lenient == nil && argFor(t, a) != ":after" && b.elispBefore(t) {
					// An Emacs Lisp block before it may insert it:
					// looked for when it runs (unresolved).
					t.unresolved = append(t.unresolved, a)
					continue
				}
				if why := b.stopOf[a]; why != "" {
					// Emacs stops reading its information, at the
					// turn of the executable that reaches it
					// (markStopped). :after is Borges's alone: Emacs
					// never reads the block it names, and stops at
					// that block's own turn (ordersOnly).
					if !b.ordersOnly(t, a) {
						b.setStop(t.Block, why)
					}
					continue
				}
				if s, skipped := b.skipped[a]; skipped {
					if unread != "" {
						b.refusedUnread(t, a, unread)
						continue
					}
					b.problem(blk, t.Block, argFor(t, a), "depends on block %q, which Borges does not run (%s)", a, s.Reason)
				} else {
					b.noBlockProblem(t, a)
				}
				continue
			}
			if dep := b.blocks[b.byName[a]]; dep.Name == a && !dep.Referable() && argFor(t, a) != ":after" {
				// org-babel-ref-resolve searches #+name: and
				// #+tblname: lines only: Emacs signals that it finds
				// no such reference.
				if b.lenient != nil && b.missingInBuffer(t, a) {
					continue
				}
				b.problem(b.blocks[t], t.Block, argFor(t, a), "Reference ‘%s’ not found in this buffer: Babel's references find a block by #+name: or #+tblname:, and this one is named by %s", a, org.NameKeyword(dep.NameKey))
				continue
			}
			if dep := b.blocks[b.byName[a]]; dep.Commented && refResolves(argFor(t, a)) {
				// org-babel-ref-resolve skips COMMENT subtrees: it
				// finds the next element of the name.
				if live := b.uncommentedOfName(a); live != "" && live != t.Block {
					retarget(t, a, live)
					after = append(after, live)
					continue
				}
			}
			if dep := b.blocks[b.byName[a]]; dep.Commented && argFor(t, a) != ":after" {
				// org-babel-execute-buffer runs blocks under COMMENT
				// headings, but references and noweb skip them: Babel
				// signals "Reference not found".
				b.problem(b.blocks[t], t.Block, argFor(t, a), "block %q is under a COMMENT heading; Babel's references and noweb skip such blocks", a)
				continue
			}
			if a == t.Block {
				b.problem(b.blocks[t], t.Block, argFor(t, a), "depends on itself")
				continue
			}
			after = append(after, a)
		}
		t.After = after
	}
	// The references checked, those to a block whose value another
	// task makes go to that task.
	b.referToPosts()
	b.referToReaders()
	// A Lisp :var value of the block a :post calls (called.go) is
	// evaluated once the block has run, as in Emacs: an order only
	// (ordersOnly), so that an error in it finds the block's results
	// to keep as they were.
	for _, x := range b.plan.Tasks {
		if w := x.postHolder(); w != "" && !contains(x.After, w) {
			x.After = append(x.After, w)
		}
	}
	// Cycles: depth-first search over After.
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	reported := map[string]bool{}
	var visit func(n string)
	visit = func(n string) {
		color[n] = grey
		stack = append(stack, n)
		t := b.byName[n]
		for _, a := range t.After {
			switch color[a] {
			case white:
				visit(a)
			case grey:
				i := len(stack) - 1
				for i >= 0 && stack[i] != a {
					i--
				}
				cycle := append([]string(nil), stack[i:]...)
				if !reported[a] {
					reported[a] = true
					b.cycleProblem(cycle)
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[n] = black
	}
	for _, t := range b.plan.Tasks {
		if color[t.Block] == white {
			visit(t.Block)
		}
	}
	b.markNextCycles()
}

// refStops reports whether a reference to name stops Emacs at t's block
// as org-babel-ref-resolve reads it, and records the error: the first
// element of the name (outside COMMENT subtrees) is one Babel reads
// nothing from (NamedUnread), or a call that runs nothing
// (NamedCallRunsNothing).
func (b *builder) refStops(t *Task, name string) bool {
	switch {
	case b.doc.NamedUnread(name):
		b.stopAt(t, org.RefUnread)
	case b.doc.NamedCallRunsNothing(name):
		b.nilCallReferred(name)
		b.stopAt(t, org.RefCallNil)
	default:
		return false
	}
	return true
}

// nilCallReferred records that a reference to name stops at a #+call:
// line that runs nothing (NamedCallRunsNothing).
func (b *builder) nilCallReferred(name string) {
	if b.nilCallsReferred == nil {
		b.nilCallsReferred = map[string]bool{}
	}
	b.nilCallsReferred[name] = true
}

// callReferred reports whether c is the #+call: line a reference stops
// at (nilCallReferred): the first element of its name, whose #+call:
// line (ReferredRunLine) is c's, after its affiliated keywords (from
// c.Line) and before the next call's.
func (b *builder) callReferred(c *org.Call) bool {
	if c.AffName == "" || !b.nilCallsReferred[c.AffName] {
		return false
	}
	at := b.doc.ReferredRunLine(c.AffName)
	if at < c.Line {
		return false
	}
	for _, o := range b.doc.Calls {
		if o.Line > c.Line && o.Line <= at {
			return false
		}
	}
	return true
}

// stopAt records that Emacs stops reading t's block's information with
// err, unless an earlier reference of the block stopped it.
func (b *builder) stopAt(t *Task, err string) {
	b.setStop(t.Block, err)
}

// setStop records that Emacs stops at block's turn with why (stopOf),
// unless a check it makes before this one there stopped it: org-babel-
// execute-src-block resolves the :var values, expands the body and looks
// for the language's function before it resolves the :post, so that a
// stop of the :post (postStopAt), set first by Borges, gives way.
func (b *builder) setStop(block, why string) {
	if !b.stopsBefore(block) {
		b.stopOf[block] = why
		delete(b.postStopAt, block)
	}
}

// stopsBefore reports whether Emacs stops at block's turn (stopOf) before
// it resolves the block's :post: by a stop other than the :post's.
func (b *builder) stopsBefore(block string) bool {
	return b.stopOf[block] != "" && !b.postStopAt[block]
}

// refResolves reports whether a reference made by arg is resolved by
// org-babel-ref-resolve (:var, :stdin, a noweb <<name()>>: those
// nowebRefs hold), which skips COMMENT subtrees and goes on to the next
// element of the name.
func refResolves(arg string) bool { return arg == ":var" || arg == ":stdin" || arg == ":noweb" }

// uncommentedOfName is the task of the element org-babel-ref-resolve
// finds for name, the first so named outside COMMENT subtrees (the
// document's name index, org.Document.ReferredRunLine), when that is a
// block or a call with a task; "" for none. The tasks' name~N numbering
// counts commented blocks and leaves out calls that run nothing, so it
// is not the order searched.
func (b *builder) uncommentedOfName(name string) string {
	line := b.doc.ReferredRunLine(name)
	if line == 0 {
		return ""
	}
	for n := 1; n <= len(b.plan.Tasks)+1; n++ {
		key := name
		if n > 1 {
			key = fmt.Sprintf("%s~%d", name, n)
		}
		t := b.byName[key]
		if t == nil {
			return ""
		}
		if blk := b.blocks[t]; blk.BeginLine == line && !blk.Commented {
			return key
		}
	}
	return ""
}

// retarget has t's references to task from (its :var values, its
// :stdin) refer to task to.
func retarget(t *Task, from, to string) {
	for i := range t.Vars {
		if t.Vars[i].Ref == from {
			t.Vars[i].Ref = to
		}
	}
	for i := range t.values {
		if t.values[i].ref == from {
			t.values[i].ref = to
		}
	}
	if t.stdin != nil && t.stdin.ref == from {
		t.stdin.ref = to
	}
	for i := range t.nowebRefs {
		if t.nowebRefs[i].block == from {
			t.nowebRefs[i].block = to
		}
	}
}

// markNextCycles marks each binding to the next element of a name
// (boundValue.next) that is a block depending on the reader through the
// references Babel resolves by running a block (see runsBack): Babel,
// running it for the reference, comes back to the reader and recurses
// without end. A way back through Borges' own waits only (a session's
// order, :after) is none in Emacs, which runs the block within the
// reader's evaluation: the engine sees to it when the reader runs. A binding to a block's rewritten results
// (boundValue.nextOf) whose block depends on the reader is left without
// that wait, the reader failing should it read them.
func (b *builder) markNextCycles() {
	for _, t := range b.plan.Tasks {
		for i := range t.values {
			if bv := &t.values[i]; bv.next != "" {
				bv.nextCycle = b.runsBack(bv.next, t.Block)
			}
			if bv := &t.values[i]; bv.nextOf != "" && b.dependsOn(bv.nextOf, t.Block) {
				// The block rewriting the next element of the name
				// waits for the reader: the reader does not wait for
				// it (a cycle), and fails should it read it.
				if bv.nextWhy == "" {
					bv.nextWhy = fmt.Sprintf("%q names the results of block %q (line %d), which Babel rewrites before this block runs, and which waits for this block", bv.data, bv.nextOf, b.byName[bv.nextOf].Line)
				}
				bv.nextOf = ""
			}
		}
	}
}

// dependsOn reports whether task from depends, through After, on task to
// (or is it).
func (b *builder) dependsOn(from, to string) bool {
	return reaches([]string{from}, to, b.taskNamed, func(t *Task) []string { return t.After })
}

// runsBack reports whether Babel, running task from for a reference,
// runs task to (or it is to): through the references Babel resolves by
// running a block: every wait of After but those Emacs does not make
// within a block's evaluation (ordersOnly: the order of t's session, its
// block found after dep's, and a block :after names, unless t refers to
// dep too).
func (b *builder) runsBack(from, to string) bool {
	return reaches([]string{from}, to, b.taskNamed, func(t *Task) []string {
		return slices.DeleteFunc(slices.Clone(t.After), func(a string) bool { return b.ordersOnly(t, a) })
	})
}

// taskNamed is the task named name, nil for none.
func (b *builder) taskNamed(name string) *Task { return b.byName[name] }

// reaches reports whether task to is among from or reached from them
// through the names edges gives of each task (task finds a task by name,
// nil for none).
func reaches(from []string, to string, task func(string) *Task, edges func(*Task) []string) bool {
	seen := map[string]bool{}
	stack := slices.Clone(from)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == to {
			return true
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		if t := task(n); t != nil {
			stack = append(stack, edges(t)...)
		}
	}
	return false
}

// argFor names the header argument a dependency came from.
func argFor(t *Task, dep string) string {
	for _, v := range t.Vars {
		if v.Ref == dep {
			return ":var"
		}
	}
	for _, r := range t.nowebRefs {
		if r.block == dep {
			return ":noweb"
		}
	}
	if t.stdin != nil && t.stdin.ref == dep {
		return ":stdin"
	}
	if arg := t.refusedRunOf(dep); arg != "" {
		return arg
	}
	if slices.Contains(t.replacedRuns, dep) {
		return ":var"
	}
	return ":after"
}

// linkBase says what a link of kind (a file, home or user link) is
// relative to, for messages.
func linkBase(kind int) string {
	switch kind {
	case org.ValueHomeLink:
		return "in the home directory (~/…)"
	case org.ValueUserLink:
		return "in another user's home (~user/…)"
	}
	return "relative to the document's directory"
}

// writtenOver is the task of the source block above the data named name
// (a table, list, fixed-width lines with a "#+RESULTS:" among their
// keywords) whose results Babel writes over that data before blk runs:
// the reference then reads the block's new results back, not the data as
// the document has it. "" when the data stands; why says what Borges
// cannot read back.
func (b *builder) writtenOver(task, name string) (over, why string) {
	i, ok := b.doc.NamedResultsBlock(name)
	if !ok {
		return "", ""
	}
	return b.rewrittenBy(task, name, i, "")
}

// nextResults sets up bv, a reference of task to data named name whose
// results another block writes over, for the next element of that name
// when it is the results of a block (org.Document.NextNamedResultsBlock),
// which a reference reads should the first block write nothing: those
// results as the document has them, and the block (boundValue.nextOf)
// when Babel rewrites them before task runs. boundValue.nextWhy is the
// problem, when Borges cannot read them back: the reader fails with it
// only should the first block write nothing (bindNextResults), which the
// plan cannot tell.
func (b *builder) nextResults(task, name string, bv *boundValue, args org.Args) {
	i, ok := b.doc.NextNamedResultsBlock(name)
	if !ok {
		return
	}
	bv.nextResults = true
	if d, ok := b.doc.NextNamedData(name); ok {
		bv.nextData, bv.nextColnames = indexedDataValue(d, bv.index, args)
	} else {
		bv.nextMissing = "Reference not found"
	}
	bv.nextOf, bv.nextWhy = b.rewrittenBy(task, name, i, bv.readBack)
}

// rewrittenBy is writtenOver of the results of block i, named name. The
// read is checked by readsAcross (rewrittenRead), of the next element
// of a name too: cond is then the block whose writing nothing has the
// reference go on to it.
func (b *builder) rewrittenBy(task, name string, i int, cond string) (over, why string) {
	owner := b.doc.BlockAt(i)
	own := b.writerTask(i)
	if own == nil && b.placeAt > owner.Start {
		return "", "" // not run: nothing written
	}
	if writesNoResults(owner) {
		return "", ""
	}
	// Where the block being planned runs (a block it calls runs there
	// too), before or after the writer: Babel runs a referenced block
	// again for each reference, when the referring block runs, so a
	// reference from the other side of the writer gets the other value
	// (see readsAcross).
	after := b.placeAt > owner.Start
	b.rewrittenReads = append(b.rewrittenReads, rewrittenRead{task: task, data: name, index: i, writer: owner.Start, line: owner.Line, after: after, cond: cond})
	if !after {
		return "", "" // it runs later
	}
	for _, t := range b.plan.Tasks {
		if t.Post && t.ResultsWith == own.Block {
			return "", fmt.Sprintf("%q names the results of block %q (line %d), which Babel rewrites before this block runs (with its :post's result): Borges does not read such results back", name, own.Block, owner.Line)
		}
	}
	words, _ := owner.Args.Get("results")
	rp := strings.Fields(words)
	for _, w := range []string{"append", "prepend", "file"} {
		if slices.Contains(rp, w) {
			return "", fmt.Sprintf("%q names the results of block %q (line %d), which Babel rewrites before this block runs (:results %s): Borges does not read such results back", name, own.Block, owner.Line, w)
		}
	}
	return own.Block, ""
}

// nextAcross has the reader of r (the next element of a name) fail,
// should r.cond write nothing, for u's reference to it through block
// from the other side of the block rewriting that element
// (boundValue.nextAcross).
func (b *builder) nextAcross(r rewrittenRead, u *Task, block string) {
	t := b.byName[r.task]
	if t == nil {
		return
	}
	after := !r.after
	why := fmt.Sprintf("the block at line %d refers to block %q, which runs block %q reading it: Babel runs %q again for that reference, %s the block at line %d has run, and it reads that block's %s results; Borges gives this reference the results of the block's one run where it stands (read back by its hash, or from its session): refer to it from the same side of line %d",
		b.blocks[u].Line, block, r.task, r.task, map[bool]string{true: "after", false: "before"}[after], r.line, map[bool]string{true: "new", false: "old"}[after], r.line)
	for i := range t.values {
		if bv := &t.values[i]; bv.nextResults && bv.data == r.data && bv.readBack == r.cond && !slices.Contains(bv.nextAcross, why) {
			bv.nextAcross = append(bv.nextAcross, why)
		}
	}
}

// rewrittenData reports (as a problem of arg) that the data named name
// are the results of a block that Babel rewrites before blk runs, which
// only a :var reads back.
func (b *builder) rewrittenData(blk *org.Block, task, arg, name string) bool {
	over, why := b.writtenOver(task, name)
	if over == "" && why == "" {
		return false
	}
	if why == "" {
		why = fmt.Sprintf("%q names the results of block %q (line %d), which Babel rewrites before this block runs: Borges reads them back for a :var only", name, over, b.byName[over].Line)
	}
	b.problem(blk, task, arg, "%s", why)
	return true
}

// rewrittenRead is a task reading data named name on the results of the
// block at writer (its line), before or after that block has run; cond,
// when not "", the block whose writing nothing has the reference read
// them (the next element of the name, boundValue.nextResults).
type rewrittenRead struct {
	task, data          string
	index, writer, line int
	after               bool
	cond                string
}

// writerTask is the task running document block i at its place, nil
// when it is not run (not planned yet).
func (b *builder) writerTask(i int) *Task {
	for _, t := range b.plan.Tasks {
		if t.Index == i && t.called == nil && t.lispVar == nil && !t.Post && !t.ReadsOutput && t.ResultsWith == "" {
			return t
		}
	}
	return nil
}

// readsAcross refuses the references to a task reading rewritten data
// (rewrittenRead), directly or through other blocks, from a block on
// the other side of the writer: Babel runs the referenced block again
// when the referring block runs, and it reads the data as they are then
// (the old data before the writer ran, its new results after), while
// Borges gives such a reference the results of the block's one run
// where it stands (a :cache yes block read back by its hash, a session's
// block). A read of the next element of a name (rewrittenRead.cond) is
// not refused: the reader fails only should that block write nothing
// (nextAcross).
func (b *builder) readsAcross() {
	refers := map[string][]*Task{} // by task referred to
	for _, t := range b.plan.Tasks {
		for _, a := range t.After {
			// A reference, or the task reading a block's output in
			// Emacs or its :post, which references to it go to.
			if argFor(t, a) != ":after" || t.ResultsWith == a && (t.ReadsOutput || t.Post) {
				refers[a] = append(refers[a], t)
			}
		}
	}
	for _, r := range b.rewrittenReads {
		if b.writerTask(r.index) == nil {
			continue // not run: the data stand
		}
		seen := map[string]bool{r.task: true}
		queue := []string{r.task}
		// Bounded: each task is queued once.
		for len(queue) > 0 {
			d := queue[0]
			queue = queue[1:]
			for _, u := range refers[d] {
				if seen[u.Block] {
					continue
				}
				seen[u.Block] = true
				queue = append(queue, u.Block)
				if place, ok := b.placeOf[u.Block]; ok && (place > r.writer) != r.after && b.blocks[u] != nil {
					block := d
					if dt := b.byName[d]; dt != nil && (dt.ReadsOutput || dt.Post) && dt.ResultsWith != "" {
						block = dt.ResultsWith // the block, not the task for it
					}
					if r.cond != "" {
						b.nextAcross(r, u, block)
						continue
					}
					b.problem(b.blocks[u], u.Block, argFor(u, d), "refers to block %q, which runs block %q reading %q, which the block at line %d rewrites: Babel runs %q again for this reference, %s that block has run, and it reads %s value; Borges gives this reference the results of the block's one run where it stands (read back by its hash, or from its session): refer to it from the same side of line %d", block, r.task, r.data, r.line, r.task, map[bool]string{true: "after", false: "before"}[place > r.writer], map[bool]string{true: "their new", false: "the old"}[place > r.writer], r.line)
				}
			}
		}
	}
}
