// Package local runs task attempts on this machine: as processes, each in
// its own cgroup (cgroups.go) where the machine lets Borges create one,
// else its own process group, and its own working directory, its output
// in files, its exit status written by a small wrapper so that it survives
// a restart of the server; or, for :dockerize t, as containers of the
// machine's Docker engine (docker.go).
package local

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/datadir"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/sandboxfs"
)

// Config configures the local backend.
type Config struct {
	// DataDir holds the attempts' files: a process attempt's sandbox,
	// sandboxes/<id>/, the program's working directory, and its outputs,
	// outputs/<shard>/<id>.stdout and .stderr; a container's or a session
	// block's, attempts/<id>/{script, stdout, stderr} and its sandbox
	// attempts/<id>/sandbox/ (what a container sees at /mnt/borges);
	// pool/, removed attempts' sandboxes and outputs, emptied, for the
	// next ones (pool.go). See layout.go.
	DataDir string
	// Capacity is what the backend runs at once; zero fields are detected
	// (all CPUs, all memory).
	Capacity plan.Resources
	// KillGrace is how long a killed task has between SIGTERM and
	// SIGKILL (default 5s).
	KillGrace time.Duration
	// CgroupParent begins the name of the cgroup of this server instance,
	// under the server's own, in which attempts get theirs
	// ("<own>/borges-<instance>/<attempt>"; default "borges"); "-"
	// disables cgroups.
	CgroupParent string
	// MaxOutput is what is kept of each of an attempt's stdout and
	// stderr, in bytes (default DefaultMaxOutput; see output.go).
	MaxOutput int64
	// UnsetHelper is a statically linked program that runs as
	// taskenv.UnsetMain when named taskenv.UnsetName (a static borges):
	// mounted in a container, it takes away the variables the runtime
	// would give a program whose environment lacks them (HOME), where a
	// shell step would need the image's /bin/sh. "": the shell step.
	UnsetHelper string
	Logger      *slog.Logger
}

// Backend runs attempts as local processes.
type Backend struct {
	engine.Sink

	cfg      Config
	log      *slog.Logger
	cgroups  *cgroups
	noCgroup string // why there are none
	docker   *docker
	ports    *portPool
	exitLog  string      // where this run's wrappers write their status (exitlog.go)
	exitOut  *os.File    // exitLog, open for appending: the wrappers' descriptor 8 (logExit)
	exitID   fileID      // exitOut's identity: the log read back is that file (openExitLog)
	wrappers *wrapperLog // where this run's launches name their wrappers (wrapperfile.go)
	// exits and wrapperDir: the directories of the exit and wrapper
	// logs, held open from New (logdir.go).
	exits, wrapperDir *logDir
	roots             *heldRoots // the directories of DATA the attempts' files are in, held open from New (layout.go)
	pool              *recycler  // removed attempts' sandboxes and outputs, emptied (pool.go)
	settled           settledSet // ended attempts whose files can be recycled (settle.go)
	plainSh           bool       // /bin/sh is dash: a plain sh script runs in its wrapper's shell (inline.go)
	keeper            *keeper    // holds the outputs' pipes, to copy them should the server die (keeper.go)
	mu                sync.Mutex
	procs             map[string]*proc
	ctrs              map[string]*ctr
	stopping          chan struct{}
	// beforeStart, where a test sets it, runs between the check of a
	// container's mounts (checkMounts) and its start: where a link put
	// on the sandbox's way would still be mounted.
	beforeStart func(attemptID string)

	// sessions are the running interpreters of Babel sessions by session
	// id, sessionAttempts the session blocks running by attempt id
	// (session.go); sessionStart serialises starting interpreters.
	sessions        map[string]*sessionHost
	sessionAttempts map[string]*sessionHost
	sessionStart    sync.Mutex

	// cgPrepared are the cgroups made ahead of their attempts' launches,
	// launching the attempts whose launch has begun (cgroupprep.go).
	cgPrepared map[string]*preparedCgroup
	cgPrepSeq  uint64
	launching  map[string]bool
	// outPrepared are the attempts whose stdout Prepare made (at most
	// maxOutPrepared, forgotten all at once past it): their first write
	// opens it where it is, without trying the pool first.
	outPrepared map[string]struct{}
	// ends counts the ends reported whose cgroup is not yet kept or
	// removed (finish).
	ends endWork
	// later counts the waits for keepers of servers gone (keptLater)
	// under way; closing, closed by Close, ends them, and none begins
	// after it (laterBegin).
	laterMu sync.Mutex
	later   sync.WaitGroup
	closing chan struct{}
	closed  bool
}

var (
	_ engine.Backend       = (*Backend)(nil)
	_ engine.EarlyLauncher = (*Backend)(nil)
)

type proc struct {
	id         string
	pid        int
	process    handle // its wrapper, held by a pidfd: what signals the wrapper alone (nil: not held; a re-attached one's is let go under mu)
	done       chan struct{}
	mu         sync.Mutex
	killed     bool
	reaped     bool // its end is seen and its process group killed: nothing of it is signalled any more (its pgid may be reused)
	timedOut   time.Duration
	cgroup     *attemptCgroup // nil: the task is its process group
	inCgroup   bool           // the wrapper was moved into cgroup before it went on
	heldAtGate error          // why its wrapper was not let past its gate (it then started nothing)
	out        *outputCopy    // nil for a process re-attached after a restart
	kept       bool           // the keeper holds its outputs (it has no stand-in)
	plain      bool           // its wrapper runs a plain sh script in its own shell (inline.go)
	exitLog    string         // its wrapper's exit log ("": an exit file)
	exitID     fileID         // the file its wrapper was given as exitLog (zero: not known, read by its name)
	started    uint64         // no later than its wrapper's start, in clock ticks since boot
}

// New prepares the backend; it runs nothing until Start.
func New(cfg Config) (*Backend, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("local backend: no data directory")
	}
	// As a server before datadir.Make named it (docker.configured).
	configured, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("local backend: data directory: %w", err)
	}
	dataDir, err := datadir.Make(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("local backend: data directory: %w", err)
	}
	cfg.DataDir = dataDir
	if err := makeLayout(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("local backend: %w", err)
	}
	if cfg.KillGrace == 0 {
		cfg.KillGrace = 5 * time.Second
	}
	if cfg.MaxOutput <= 0 {
		cfg.MaxOutput = DefaultMaxOutput
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Capacity.CPUs == 0 {
		cfg.Capacity.CPUs = float64(runtime.NumCPU())
	}
	if cfg.Capacity.MemMB == 0 {
		cfg.Capacity.MemMB = memTotalMB()
	}
	roots, err := openRoots(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("local backend: %w", err)
	}
	exits, err := openLogDir(exitsDir(cfg.DataDir))
	if err != nil {
		roots.close()
		return nil, fmt.Errorf("local backend: %w", err)
	}
	wrapperDir, err := openLogDir(wrappersDir(cfg.DataDir))
	if err != nil {
		roots.close()
		exits.close()
		return nil, fmt.Errorf("local backend: %w", err)
	}
	closeLogs := func() { roots.close(); exits.close(); wrapperDir.close() }
	exitOut, err := newExitLog(exits)
	if err != nil {
		closeLogs()
		return nil, fmt.Errorf("local backend: %w", err)
	}
	exitLog := exitOut.Name()
	exitID, ok := identity(exitOut)
	if !ok {
		exitOut.Close()
		closeLogs()
		return nil, fmt.Errorf("local backend: the exit log %s: no identity", exitLog)
	}
	closeLogs = func() { exitOut.Close(); roots.close(); exits.close(); wrapperDir.close() }
	wrappers, err := newWrapperLog(wrapperDir, exitLog)
	if err != nil {
		closeLogs()
		return nil, fmt.Errorf("local backend: %w", err)
	}
	pool, err := newRecycler(cfg.DataDir)
	if err != nil {
		wrappers.close()
		closeLogs()
		return nil, fmt.Errorf("local backend: %w", err)
	}
	b := &Backend{cfg: cfg, log: cfg.Logger, procs: map[string]*proc{}, ctrs: map[string]*ctr{},
		sessions: map[string]*sessionHost{}, sessionAttempts: map[string]*sessionHost{},
		stopping: make(chan struct{}), closing: make(chan struct{}), cgPrepared: map[string]*preparedCgroup{}, launching: map[string]bool{}, docker: newDocker(cfg.DataDir, configured, cfg.Logger), ports: newPortPool(), exitLog: exitLog, exitOut: exitOut, exitID: exitID, exits: exits, wrappers: wrappers, wrapperDir: wrapperDir, roots: roots, pool: pool,
		keeper: newKeeper(filepath.Join(cfg.DataDir, keeperLog), cfg.Logger), plainSh: dashShell("/bin/sh")}
	if cfg.CgroupParent == "-" {
		b.noCgroup = "disabled"
		return b, nil
	}
	prefix := cfg.CgroupParent
	if prefix == "" {
		prefix = "borges"
	}
	instance, err := instanceID(cfg.DataDir)
	if err != nil {
		wrappers.close()
		closeLogs()
		return nil, fmt.Errorf("local backend: %w", err)
	}
	if b.cgroups, err = setupCgroups(discoverLayout(), prefix+"-"+instance); err != nil {
		b.noCgroup = err.Error()
	}
	return b, nil
}

// instanceID names this server instance's cgroups: random, made once per
// data directory and kept in it, so that two servers never share their
// cgroups and a restarted one finds its attempts'.
func instanceID(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "cgroup-instance")
	if data, err := os.ReadFile(path); err == nil {
		id := strings.TrimSpace(string(data))
		if _, err := hex.DecodeString(id); err == nil && len(id) == 16 {
			return id, nil
		}
	}
	var raw [8]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	id := hex.EncodeToString(raw[:])
	return id, os.WriteFile(path, []byte(id+"\n"), 0o600)
}

// memTotalMB reads MemTotal from /proc/meminfo.
func memTotalMB() float64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 1024
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseFloat(fields[1], 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return 1024
}

func (b *Backend) Name() string { return "local" }

// Limits are this machine's capacity; containers can be asked for only
// while the Docker engine answers.
func (b *Backend) Limits() plan.Limits {
	return plan.Limits{Max: b.cfg.Capacity, NoContainers: b.docker.unavailable(context.Background())}
}

func (b *Backend) Capacity() (plan.Resources, bool) { return b.cfg.Capacity, true }

// Enforcement says what limits the machine lets Borges enforce.
func (b *Backend) Enforcement() string {
	if b.cgroups == nil {
		return "none (" + b.noCgroup + "): admission only; a task is its process group, and what leaves the group (setsid, a double fork) outlives it"
	}
	return b.cgroups.Describe()
}

func (b *Backend) Start(ctx context.Context, sink func(engine.Update)) error {
	b.SetSink(sink)
	go func() {
		<-ctx.Done()
		close(b.stopping)
	}()
	return nil
}

// Close removes this instance's cgroup directories if no attempt is left
// in them; attempts still running keep theirs, for the next start.
func (b *Backend) Close() {
	b.laterMu.Lock()
	if !b.closed {
		b.closed = true
		close(b.closing)
	}
	b.laterMu.Unlock()
	b.later.Wait() // no end is reported after Close returns
	b.ends.wait()
	b.keeper.close()
	b.dropPreparedCgroups()
	b.cgroups.RemoveIfEmpty()
	b.wrappers.close()
	b.exitOut.Close()
	b.exits.close()
	b.wrapperDir.close()
	b.roots.close()
}

// lifetime is a context that ends when the backend stops.
func (b *Backend) lifetime() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-b.stopping:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// AttemptDir is the directory of an attempt of the nested layout (a
// container's, a session block's, or an older Borges' attempt: see
// layout.go): the files Borges writes for it (script, stdout, stderr) and
// its sandbox. Nothing the program runs can write there but the sandbox:
// a container is given the sandbox only.
func (b *Backend) AttemptDir(id string) string {
	return filepath.Join(b.cfg.DataDir, "attempts", id)
}

// sandboxName is the sandbox's directory in the attempt's directory.
const sandboxName = "sandbox"

// SandboxDir is an attempt's sandbox: the program's working directory
// (unless :dir says otherwise), where it writes its value and the files
// of :results file, mounted at /mnt/borges in a container. It is
// DATA/sandboxes/ID for a process attempt, DATA/attempts/ID/sandbox for
// the others (layout.go).
func (b *Backend) SandboxDir(id string) string {
	return b.paths(id).sandboxDir()
}

// attemptFile is the path of one of Borges' files of an attempt of the
// nested layout (layout.go).
func (b *Backend) attemptFile(id, kind string) string {
	return filepath.Join(b.AttemptDir(id), kind)
}

// exitFile names a process attempt in its wrapper's environment: a
// restarted server finds the wrapper by it (Recover). No file is made
// there: the path of an older Borges' exit file, kept so that both
// Borges find each other's wrappers.
func (b *Backend) exitFile(id string) string {
	return b.attemptFile(id, "exit")
}

// makeAttemptDirs makes an attempt's directory (private to Borges) and its
// sandbox in it, the nested layout of containers and session blocks (made
// anew: what a previous run of the same attempt id left, if anything, is
// not the program's), beneath DATA/attempts held open (heldRoots).
func (b *Backend) makeAttemptDirs(id string) error {
	if !oneName(id) {
		return fmt.Errorf("%q is not a directory's name", id)
	}
	if err := b.roots.freshAttempts(); err != nil {
		return err
	}
	b.roots.recordLayout(id, true)
	for _, name := range []string{id, id + "/" + sandboxName} {
		if err := b.roots.dir("attempts").Mkdir(name, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
			return err
		}
	}
	return nil
}

// openSandbox opens the sandbox of p beneath the held directory it is in,
// through no link (closed by the caller).
func (p attemptPaths) openSandbox() (*sandboxfs.Dir, error) {
	return p.boxDir.Sub(joinNames(p.boxSub, p.sandbox))
}

// madePaths is where the launch of a makes its files: the nested layout
// for a container or session block (whatever is at the flat layout's
// names: a directory put at DATA/sandboxes/ID is not its sandbox), the
// flat one for a process.
func (b *Backend) madePaths(a *engine.Attempt) attemptPaths {
	if a.Task != nil && (a.Task.Container != nil || a.Session != "" && a.Task.Session != nil) {
		return b.nestedPaths(a.ID)
	}
	return b.flatPaths(a.ID)
}

// locate is where an attempt's stream is: stdout and stderr are Borges'
// own files, any other name is a file of the sandbox (layout.go). Either
// way the name is opened beneath root without following links.
func (b *Backend) locate(id, stream string) (dir *sandboxfs.Dir, name string) {
	p := b.paths(id)
	switch stream {
	case "stdout":
		return p.output(p.stdout)
	case "stderr":
		return p.output(p.stderr)
	}
	return p.inSandbox(stream)
}

// wrapper runs the program (without the exit log's descriptor), then
// writes its exit status where a restarted server can find it (exitlog.go,
// logExit), and exits with it. It first waits on
// fd 6 (the stand-in's life pipe) until the backend has put it in its
// cgroup, if any, and its launch is on disk, so that nothing runs
// unlimited or unrecorded: it goes on only once the backend has written
// "in" there, and otherwise exits at once, having started nothing.
// It starts the stand-ins that copy the outputs should the server die
// (copy.go), and gives the program none of their descriptors; where the
// keeper of the outputs holds them (keeper.go), keptWrapper starts none.
const wrapper = wrapperHead + interpCheck + `"$@" 8>&-
` + wrapperTail

// interpCheck fails an attempt whose interpreter ($1) is not installed
// here, saying so on its stderr as the program of a shell block whose
// shell is missing does (plan's shellCommandScript: "borges: emacs is
// not installed here"), with the status sh gives a command it does not
// find, logged as wrapperTail logs it; notInstalled reads it back.
const interpCheck = `command -v "$1" >/dev/null 2>&1 || { echo "borges: $1 is not installed here" >&2; st=127; ` + logExit + `; }
`

// shWrapper is the wrapper for "sh" blocks: the script runs in a subshell
// of the wrapper, which is itself sh, sparing a second exec per attempt.
// The subshell keeps the script's exit, set -e and traps to itself. The
// script is a file if one is named, else the memory file on descriptor 7,
// read through the wrapper's /proc entry so that the program inherits
// no descriptor of it (scriptfd.go).
const shWrapper = wrapperHead + shBody + wrapperTail

const shBody = `script=$1; shift
if [ -n "$script" ]; then (exec 7<&- 8>&-; . "$script"); else (exec 7<&- 8>&-; . /proc/$$/fd/7); fi
`

// keptWrapper and keptShWrapper are wrapper and shWrapper for an attempt
// whose outputs the keeper holds (keeper.go): no stand-in, and no
// descriptors 4 and 5. The first argument is ignored.
const (
	keptWrapper = keptHead + interpCheck + `"$@" 8>&-
` + wrapperTail
	keptShWrapper = keptHead + shBody + wrapperTail
	keptHead      = "shift\n" + gateHead + "exec 6<&-\n"
)

// gateHead holds a wrapper at its gate: deaf to the terminal's hangup,
// it waits for the server's "in" on descriptor 6 (its launch on disk).
const gateHead = `trap '' HUP
read -r borges_in <&6; [ "$borges_in" = in ] || exit 125; unset borges_in
`

// wrapperTail appends the status to the exit log (the attempt's id is the
// name of the directory of its exit file) and exits with it.
const wrapperTail = `st=$?; ` + logExit

// logExit appends the status in $st to the exit log and exits with it:
// wrapperTail's, and a plain script's wrapper's after its script or in a
// trap (inlineWrapper).
//
// The line is appended to descriptor 8, the exit log as the server opened
// it (through no link, relative to DATA/exits held open: logdir.go), in
// one write (O_APPEND): a link put at DATA/exits or at the log once the
// wrapper runs does not carry it elsewhere. Every wrapper closes the
// descriptor for its program ("8>&-"; a plain script's, inline.go) and
// its stand-in. BORGES_EXIT_LOG, still set, names the log to a restarted
// server (Recover), which reads the statuses there; a wrapper of an older
// Borges, still running, appends to it by its path.
const logExit = `d=${BORGES_EXIT_FILE%/*}; echo "$st ${d##*/}" >&8; exit $st`

// wrapperHead: its first argument is ignored (where the stand-in copied
// the outputs by their path, before they were handed to it); the
// stand-in appends them to descriptors 3 and 9, the output files the
// server opened beneath the outputs' shard held open (standInFiles), and
// the program has neither. The stand-in reads each output pipe through a
// description of its own, blocking, opened through /proc/self/fd when it
// takes over (borges_take): the one it inherits is the server's, which
// the server reads non-blocking where its own check that /proc opens a
// pipe again passed (readPipe). Should the stand-in's opening fail (no
// /proc, or the file table full as the server is killed for memory), it
// reads the inherited one, blocking or not: cat fails at once on a
// non-blocking pipe with nothing in it, so it is run again, a tenth of a
// second later, until it ends at the pipe's end (all the program's
// write ends closed), and passes what it reads through a pipe of the
// stand-in's own to borges_copy, whose cat blocks: a write the file
// refuses (past its size cap, a full disk) still drains the rest at
// once, into /dev/null. borges_copy returns only once it has copied, or
// not at all (when the file cannot be opened). The stand-in gets its
// /dev/null redirections with exec, not on its call: a function's
// redirections keep the descriptors they replace open in the shell, and
// its stdout and stderr are the pipes' write ends, which would keep the
// pipes it copies from ever ending.
const wrapperHead = "shift\n" + gateHead + `borges_copy() { cat >&$1 || exec cat >/dev/null; }
borges_take() { borges_copy "$1" </proc/self/fd/$2 || { until cat; do sleep 0.1 || sleep 1; done <&$2 | borges_copy "$1"; }; }
standby() { exec </dev/null >/dev/null 2>&1 7<&- 8>&-; trap '' INT TERM XFSZ; read -r _ <&6; exec 6<&-; ulimit -f $(((BORGES_MAX_OUTPUT + 512) / 512)); borges_take 3 4 5<&- 9>&- & borges_take 9 5 4<&- 3>&-; }
standby &
unset -f standby borges_take borges_copy
exec 3>&- 4<&- 5<&- 6<&- 9>&-
`

// LaunchesEarly: a process attempt's wrapper is started before its
// launch is on disk, and waits at its gate until it is; a session block
// and a container wait before they start (engine.EarlyLauncher).
func (b *Backend) LaunchesEarly() bool { return true }

// Launch starts the attempt's process group and returns once it runs.
func (b *Backend) Launch(ctx context.Context, a *engine.Attempt) error {
	if a.Session != "" && a.Task.Session != nil {
		a.WaitDurable()
		return b.launchSession(a)
	}
	if a.Task.Container != nil {
		a.WaitDurable()
		return b.launchContainer(a)
	}
	if err := b.makeSandbox(a.ID); err != nil {
		return fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	paths := b.flatPaths(a.ID) // after makeSandbox: the held directories made sure of (heldRoots.fresh)
	sh := len(a.Task.Interpreter) == 1 && a.Task.Interpreter[0] == "sh"
	// Like a Mesos sandbox, the sandbox is its working directory unless
	// :dir says otherwise.
	sandbox := paths.sandboxDir()
	work, err := plan.WorkDir(sandbox, a.Task.Dir, func() (string, error) { return blockHome(a) })
	if err != nil {
		return fmt.Errorf("attempt %s: block %s at line %d: :dir %s: %w", a.ID, a.Task.Block, a.Task.Line, a.Task.Dir, err)
	}
	// The working directory, where it is the sandbox or beneath it, is
	// the sandbox made (opened beneath DATA/sandboxes held), not what its
	// path leads to at the start: the process is started in it through
	// its descriptor (/proc/self/fd/N, which the child resolves, before
	// it execs, to the directory held), a relative :dir made beneath it
	// through no link. An absolute :dir follows the user's links as Emacs
	// does, but none into DATA (workDir), and is started in as the
	// directory opened.
	dir, err := b.workDir(paths, sandbox, work)
	if err != nil {
		return fmt.Errorf("attempt %s: block %s at line %d: :dir %s: %w", a.ID, a.Task.Block, a.Task.Line, a.Task.Dir, err)
	}
	if dir.File != nil {
		defer dir.File.Close()
	}
	if err := b.stageFiles(a); err != nil {
		return err
	}
	out, err := newOutputCopy(paths.outRoot, paths.outDir, paths.stdout, paths.stderr, b.pool, b.stdoutPrepared(a.ID))
	if err != nil {
		return fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	// What the keeper, or else the stand-in, appends .stdout and .stderr
	// to.
	outBase := filepath.Join(paths.outRoot, a.ID)
	// The keeper opens them beneath the outputs' shard held open, handed
	// as a descriptor, through no link.
	herr := b.keeper.holdCopy(a.ID, paths.outDir, a.ID, b.cfg.MaxOutput, out)
	kept := herr == nil
	switch {
	case errors.Is(herr, errNoKeeper):
		// Said once, when the keeper was given up (keeper.go).
		b.log.Debug("no keeper of the outputs: the attempt has a stand-in", "attempt", a.ID, "err", herr)
	case herr != nil:
		b.log.Warn("the keeper of the outputs does not hold the attempt's: it has a stand-in", "attempt", a.ID, "err", herr)
	}
	w, shW := wrapper, shWrapper
	if kept {
		w, shW = keptWrapper, keptShWrapper
	}
	// A plain sh script (runsPlain) is given in the wrapper's environment,
	// where the keeper holds the outputs (inline.go: a stand-in's wrapper
	// runs the program in its subshell); any other program is a memory
	// file for sh (scriptfd.go), else a file.
	plain := kept && b.runsPlain(a)
	var mem *os.File
	script := ""
	if !plain {
		var err error
		if mem, script, err = b.writeProgram(a, paths, sh); err != nil {
			out.abort()
			b.keeper.drop(a.ID)
			return err
		}
		if mem != nil {
			defer mem.Close()
		}
	}

	var cmd *exec.Cmd
	switch {
	case plain:
		cmd = exec.Command("/bin/sh", "-c", inlineWrapper, "sh", outBase)
	case sh:
		cmd = exec.Command("/bin/sh", append([]string{"-c", shW, "sh", outBase, script}, a.Task.CmdLine...)...)
	default:
		argv := append([]string{outBase}, a.Task.Interpreter...)
		argv = append(argv, script)
		argv = append(argv, a.Task.CmdLine...)
		cmd = exec.Command("/bin/sh", append([]string{"-c", w, "borges-run"}, argv...)...)
	}
	cmd.Dir = dir.Path
	cmd.Stdout, cmd.Stderr = out.stdout, out.stderr
	if kept {
		// The pipes' read ends are the keeper's: the wrapper gets none.
		cmd.ExtraFiles = []*os.File{nil, nil, nil, out.extra[2], mem, b.exitOut}
	} else {
		// The files are the server's copy's as well, closed at its end.
		files := out.standInFiles(paths.outDir, paths.stdout, paths.stderr)
		cmd.ExtraFiles = append(append(append([]*os.File{files[0]}, out.extra...), mem, b.exitOut), files[1])
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	ports, err := b.ports.take(a.ID, a.Task.Resources.Ports)
	if err != nil {
		out.abort()
		b.keeper.drop(a.ID)
		return fmt.Errorf("attempt %s: :ports %d: %w", a.ID, a.Task.Resources.Ports, err)
	}
	cmd.Env = append(withoutUnset(baseEnv(a.Env, b.exitFile(a.ID)), a), "BORGES_VALUE_FILE="+filepath.Join(sandbox, "value"))
	// As in a container and on Mesos: the sandbox, wherever :dir puts
	// the working directory.
	cmd.Env = append(cmd.Env, "BORGES_SANDBOX="+sandbox)
	cmd.Env = append(cmd.Env, pwdEnv(dir)...)
	cmd.Env = append(cmd.Env, portEnv(ports)...)
	cmd.Env = append(cmd.Env, "BORGES_MAX_OUTPUT="+strconv.FormatInt(b.cfg.MaxOutput, 10), "BORGES_EXIT_LOG="+b.exitLog)
	if plain {
		cmd.Env = append(cmd.Env, plainEnv+"="+a.Script)
	}
	var cg *attemptCgroup
	if b.cgroups != nil {
		made := b.claimCgroup(a.ID, a.Task.Resources)
		defer b.launched(a.ID)
		var err error
		if made == nil {
			made, err = b.cgroups.Create(a.ID, a.Task.Resources)
		}
		if err != nil {
			b.log.Warn("cgroup not created; running without limits", "attempt", a.ID, "err", err)
		} else {
			cg = made
		}
	}
	// The wrapper's gate: it runs nothing until it reads "in" on the
	// stand-in's life pipe (fd 6), once it is in its cgroup and the
	// launch is on disk (it exits at once should the server die
	// meanwhile: the pipe ends), so that its start overlaps the
	// write-ahead's sync. The gate holds whatever the environment: the
	// stand-in, started past it, would take an "in" left unread for the
	// server's end. Nothing but that one line is ever written there, and
	// the gate reads all of it, so the stand-in finds the pipe empty
	// however the shell reads (sh happens to read a pipe a byte at a time).
	started := proclist.BootTicks()
	if err := startOnDevNull(cmd); err != nil {
		out.abort()
		b.keeper.drop(a.ID)
		b.ports.release(a.ID)
		cg.Remove()
		return fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	inCgroup := false
	var heldAtGate error
	if cg != nil {
		if err := cg.Add(cmd.Process.Pid); err != nil {
			heldAtGate = fmt.Errorf("could not enter its cgroup (%w)", err)
		}
	}
	if heldAtGate == nil {
		// Before it is let in: a wrapper past its gate is named in
		// the wrapper log (wrapperfile.go), so that a restarted server
		// takes it and no other process for it.
		if err := b.recordWrapper(a.ID, cmd.Process.Pid); err != nil {
			heldAtGate = fmt.Errorf("its wrapper could not be named on disk (%w)", err)
		}
	}
	a.WaitDurable()
	if heldAtGate == nil {
		if err := letIn(out.life); err != nil {
			heldAtGate = fmt.Errorf("its wrapper could not be let past its gate (%w)", err)
		}
	}
	if heldAtGate != nil {
		b.log.Warn("the attempt starts nothing", "attempt", a.ID, "err", heldAtGate)
		// The pipe ends: the wrapper, at its gate, exits having started
		// nothing (an "in" half written is not "in"), and its attempt
		// ends; left open, the wrapper would wait there for ever.
		out.life.Close()
	} else {
		inCgroup = cg != nil
	}
	out.start(b.cfg.MaxOutput)
	p := &proc{id: a.ID, pid: cmd.Process.Pid, process: cmd.Process, done: make(chan struct{}), cgroup: cg, inCgroup: inCgroup, heldAtGate: heldAtGate, out: out, kept: kept, plain: plain, exitLog: b.exitLog, exitID: b.exitID, started: started}
	b.mu.Lock()
	b.procs[a.ID] = p
	b.mu.Unlock()
	b.Emit(engine.Update{AttemptID: a.ID, State: engine.Running, Message: "pid " + strconv.Itoa(p.pid)})
	if a.Task.Timeout > 0 {
		timer := time.AfterFunc(a.Task.Timeout, func() {
			p.mu.Lock()
			p.timedOut = a.Task.Timeout
			p.mu.Unlock()
			b.killGroup(p)
		})
		defer func() {
			go func() { <-p.done; timer.Stop() }()
		}()
	}
	go func() {
		err := cmd.Wait()
		b.finish(p, err)
	}()
	return nil
}

// writeProgram makes an attempt's program: for sh a memory file
// (scriptfd.go), returned for the wrapper's descriptor 7, else (or where
// there is no memfd) a file, whose path is returned. The caller closes the
// memory file once the wrapper is started.
func (b *Backend) writeProgram(a *engine.Attempt, paths attemptPaths, sh bool) (mem *os.File, script string, err error) {
	if sh {
		if mem, err = memScript(a.Script); err == nil {
			return mem, "", nil
		}
		b.log.Debug("the program is written to a file", "attempt", a.ID, "err", err)
	}
	b.pool.takeAt(poolFiles, in(paths.outDir, paths.script), 0o700)
	if err := paths.outDir.WriteFile(paths.script, []byte(a.Script), 0o700); err != nil {
		return nil, "", fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	return nil, filepath.Join(paths.outRoot, paths.script), nil
}

// baseEnv is the environment of a task: a few variables of the server's,
// then the attempt's own. ESHELL is among them as Emacs's environment
// holds it for the processes Emacs runs: a shell session runs it (see the
// session package's shellStart), as Emacs's M-x shell does.
func baseEnv(env map[string]string, exitFile string) []string {
	var out []string
	for _, k := range []string{"PATH", "HOME", "LANG", "LC_ALL", "USER", "LOGNAME", "TMPDIR", "TZ", "SHELL", "ESHELL"} {
		if v, ok := os.LookupEnv(k); ok {
			out = append(out, k+"="+v)
		}
	}
	if _, ok := os.LookupEnv("PATH"); !ok {
		out = append(out, "PATH=/usr/local/bin:/usr/bin:/bin")
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return append(out, "BORGES_EXIT_FILE="+exitFile)
}

// finish reports how an attempt ended and cleans up after it: as in Babel,
// a block is done when its program is, so whatever it left running in its
// cgroup (or its process group) is killed, and its cgroup removed.
func (b *Backend) finish(p *proc, waitErr error) {
	if p.out == nil {
		// Re-attached after a restart: the wrapper's stand-ins copy the
		// outputs, and end once they have copied all (copy.go); or the
		// keeper of the server gone does (below).
		waitGroupGone(p.pid, 2*time.Second)
	}
	syscall.Kill(-p.pid, syscall.SIGKILL)
	dyingLeave(p.cgroup, p.pid)
	emptied := p.cgroup.Kill()
	// Ended, and killed whole: a kill from now on (while the outputs are
	// waited for, below) neither signals its process group, whose id may
	// be reused by then, nor makes its end a kill's.
	p.mu.Lock()
	p.reaped = true
	p.mu.Unlock()
	if !emptied {
		b.log.Warn("processes of an ended attempt would not die", "attempt", p.id, "pids", p.cgroup.Procs())
	}
	// Everything that held the output pipes is gone now: the copy ends
	// at once, not at its time limit.
	copied := true
	if p.out != nil {
		copied = p.out.finish(2 * time.Second)
		if p.kept {
			b.keeper.drop(p.id)
		}
	} else if copied = waitKept(b.keeper.log, p.id, 2*time.Second, b.keeper.self); !copied {
		// A keeper of the server gone, stopped or slow, still copies:
		// the end is reported once it has (the attempt runs meanwhile:
		// its files are not removed).
		b.log.Warn("a keeper of the outputs of a server gone still copies an ended attempt's outputs: its end is reported once it has", "attempt", p.id)
		finished := b.laterBegin()
		if finished {
			defer b.later.Done() // until its end is reported
			finished = b.keptLater([]string{p.id}, func(_ string, c bool) { copied = c })
		}
		if !finished {
			// The server stops (or the backend is closed) first: its
			// end is not reported with its outputs cut short, but left
			// to the next start's Recover, which finds it ended.
			b.mu.Lock()
			delete(b.procs, p.id)
			b.mu.Unlock()
			close(p.done)
			return
		}
	}
	// The wrapper exits with its program's status: the log is read only
	// when the wait does not say (a process re-attached to, a wrapper
	// killed once it had written it).
	var code int
	var haveCode bool
	if ee, ok := waitErr.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Exited() {
			code, haveCode = ws.ExitStatus(), true
		}
	} else if waitErr == nil && p.out != nil {
		haveCode = true
	}
	if !haveCode && p.out == nil {
		code, haveCode = b.exitStatus(p.id, p.exitLog, p.exitID)
	} else if !haveCode {
		code, haveCode = b.recentExit(p.exitLog, p.exitID, p.id)
	}
	if p.out == nil {
		// The stand-ins copied (some of) the outputs, under a file
		// size limit past the cap. Borges' own copy never goes past it.
		b.capOutputs(p.id)
	}
	oom := p.cgroup.OOMKilled()
	b.ports.release(p.id)
	// Before it counts as ended: a removal then knows what its end proved.
	b.settled.add(p.id, settlement{copied: copied, cgroupd: p.inCgroup && emptied, started: p.started})
	b.mu.Lock()
	delete(b.procs, p.id)
	b.mu.Unlock()
	close(p.done)
	p.mu.Lock()
	killed, timedOut := p.killed, p.timedOut
	p.mu.Unlock()
	u := engine.Update{AttemptID: p.id}
	if haveCode {
		u.ExitCode = &code
	}
	switch {
	case killed:
		u.State, u.Message = engine.Killed, "killed on request"
	case timedOut > 0:
		u.State, u.Message, u.TimedOut = engine.Failed, "timed out after "+timedOut.String(), true
	case p.heldAtGate != nil:
		u.State, u.Message = engine.Failed, "could not start: "+p.heldAtGate.Error()
	case oom && (u.ExitCode == nil || *u.ExitCode == 137):
		u.State, u.Message = engine.Failed, "killed: out of memory (the :mem limit)"
	case u.ExitCode != nil && *u.ExitCode == 0:
		u.State = engine.Finished
	case u.ExitCode != nil:
		u.State, u.Message = engine.Failed, fmt.Sprintf("exit status %d", *u.ExitCode)
		if *u.ExitCode == 127 {
			u.Message += b.notInstalled(p.id)
		}
	default:
		u.State, u.Message = engine.Failed, fmt.Sprintf("ended without an exit status (%v)", waitErr)
	}
	// The cgroup is dealt with once the end is reported: the next block's
	// launch need not wait for it (its own cgroup was made ahead:
	// cgroupprep.go). Close waits for it.
	b.ends.begin()
	defer b.ends.done()
	b.Emit(u)
	// A cgroup that held all of the attempt from its start, and is empty,
	// is kept for the next attempt (cgroup/pool.go).
	if !p.inCgroup || !emptied || oom || !b.cgroups.Recycle(p.cgroup) {
		p.cgroup.Remove()
	}
}

// notInstalledRe is how a program says the command it runs is not
// installed (interpCheck, and plan's shellCommandScript).
var notInstalledRe = regexp.MustCompile(`(?m)^borges: (\S+) is not installed here`)

// notInstalled explains an exit status 127: the interpreter or shell
// the attempt's program runs is not installed here, as its stderr says,
// or else a command the program runs is not found.
func (b *Backend) notInstalled(id string) string {
	data, _, _ := b.ReadLog(context.Background(), id, "stderr", 0, 64<<10)
	if m := notInstalledRe.FindSubmatch(data); m != nil {
		return fmt.Sprintf(": %s is not installed here", m[1])
	}
	return " (command not found?)"
}

// waitGroupGone waits, at most d, until no process is left in a group
// that runs. A kill(2) of the group says at no cost that none is left,
// zombies included; only while one is there are the processes listed,
// in a scan the waiters share (liveGroupsShared).
func waitGroupGone(pgid int, d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) && groupLives(pgid, liveGroupsShared) {
		time.Sleep(groupPoll)
	}
}

// groupPoll is how often a wait for process groups looks again.
const groupPoll = 20 * time.Millisecond

// groupLives says whether a process of group pgid runs, live giving the
// groups that have one (read only when the kill(2) finds the group).
func groupLives(pgid int, live func() map[int]bool) bool {
	if syscall.Kill(-pgid, 0) != nil {
		return false
	}
	return live()[pgid]
}

// liveGroups lists the process groups with a process that runs, in one
// read of the list of processes. A zombie does not run: a wrapper's
// stand-in that has copied all and exited after the wrapper is its
// orphan, reaped when its new parent (init, a subreaper) gets to it,
// which may be seconds later (about 2 s on a test machine).
func liveGroups() map[int]bool {
	if scanningGroups != nil {
		scanningGroups()
	}
	live := map[int]bool{}
	for _, p := range proclist.All() {
		if runs(p) {
			live[p.PGID] = true
		}
	}
	return live
}

// runs says whether p still runs: not a zombie, or one only in its
// thread-group leader's state (the leader called pthread_exit, and
// Linux shows it Z) while its other threads run.
func runs(p proclist.Proc) bool {
	return !p.Zombie() || p.Threads > 1
}

// groupScan is the last list of live groups, shared by the waits for
// re-attached wrappers' groups that run at once (finish): the processes
// are read once a groupPoll for all of them, not once each.
var groupScan struct {
	sync.Mutex
	at   time.Time
	live map[int]bool
}

// liveGroupsShared is liveGroups, read again only if the last list is
// older than groupPoll. The map returned is not to be changed.
func liveGroupsShared() map[int]bool {
	groupScan.Lock()
	defer groupScan.Unlock()
	if groupScan.live == nil || time.Since(groupScan.at) >= groupPoll {
		groupScan.live, groupScan.at = liveGroups(), time.Now()
	}
	return groupScan.live
}

// Kill stops an attempt's every process: SIGTERM, then SIGKILL after the
// grace period. Killing an attempt that is not running does nothing.
func (b *Backend) Kill(ctx context.Context, id string) error {
	b.mu.Lock()
	p, c, h := b.procs[id], b.ctrs[id], b.sessionAttempts[id]
	b.mu.Unlock()
	if h != nil {
		b.killSession(h, id)
		return nil
	}
	if c != nil {
		b.killContainer(c)
		return nil
	}
	if p == nil {
		return nil
	}
	p.mu.Lock()
	reaped := p.reaped
	if !reaped {
		p.killed = true
	}
	p.mu.Unlock()
	if reaped {
		// It ended on its own, and its end is reported once its
		// outputs are copied (finish).
		return nil
	}
	b.killGroup(p)
	return nil
}

// killGroup signals the attempt's cgroup, and its process group (all there
// is without a cgroup, and whatever could not be moved into it), and kills
// a plain script's wrapper outright, through its handle (proc.plain,
// inlineTraps).
func (b *Backend) killGroup(p *proc) {
	if p.isReaped() {
		return
	}
	if p.cgroup != nil {
		p.cgroup.Signal(syscall.SIGTERM)
	}
	if err := signalGroup(p.pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) && p.cgroup == nil {
		b.log.Warn("SIGTERM failed", "attempt", p.id, "err", err)
	}
	if p.plain {
		// Its wrapper traps SIGTERM (inlineTraps) and would wait for
		// its program; the subshell path's wrapper dies of it, and its
		// end (finish) kills the rest at once. Through the handle
		// (a pidfd), not the pid: a wrapper already waited for is not
		// signalled (ErrProcessDone), and its pid may be another's. A
		// wrapper re-attached to where pidfds are not available has
		// none: it is left to its group's signals (the SIGKILL after
		// KillGrace), never signalled by its pid alone.
		// Under p.mu: a re-attached wrapper's handle is closed under it
		// (releaseHandle).
		p.mu.Lock()
		if p.process != nil {
			p.process.Signal(os.Kill)
		}
		p.mu.Unlock()
	}
	go func() {
		select {
		case <-p.done:
		case <-time.After(b.cfg.KillGrace):
			if p.isReaped() {
				return
			}
			signalGroup(p.pid, syscall.SIGKILL)
			p.cgroup.Kill()
		}
	}()
}

// signalGroup signals process group pgid, on a kill (a variable for the
// tests).
var signalGroup = func(pgid int, sig syscall.Signal) error { return syscall.Kill(-pgid, sig) }

// isReaped says whether finish has seen p's end and killed its group.
func (p *proc) isReaped() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.reaped
}

// laterBegin counts a wait for keepers of servers gone, unless the
// backend is closed; later.Done ends it.
func (b *Backend) laterBegin() bool {
	b.laterMu.Lock()
	defer b.laterMu.Unlock()
	if b.closed {
		return false
	}
	b.later.Add(1)
	return true
}

// Recover re-attaches to attempts whose processes outlived a restart of the
// server, reports those that ended meanwhile with their exit status, and
// those that vanished without one as lost. A wrapper is known by its pid
// and start, written at its launch (wrapperfile.go), and carries its
// attempt's exit-file path in its environment: a reused pid is not
// mistaken for it, nor any other process carrying that path. Where they
// were not written (an older Borges), the processes carrying the path are
// the candidates (groupLeaders). A status logged wins over any process
// but the wrapper so known: the attempt's end is reported, once the one
// candidate left of an attempt without the file (maybe its wrapper,
// finishing) and its process group have ended, or after awaitEnds'
// bound (2 s for all at once); ctx ending the wait, Recover returns its
// error.
func (b *Backend) Recover(ctx context.Context, attempts []*engine.Attempt) error {
	// Without the list of processes a wrapper still running cannot be
	// told from one gone: nothing is reported lost or ended on a guess.
	known := map[string]bool{}
	for _, a := range attempts {
		known[a.ID] = true
	}
	named := b.recoverWrappers(known)
	launched := b.launchedAt(attempts, named)
	leaders, later, err := groupLeaders(launched)
	if err != nil {
		return err
	}
	// The handles on the wrappers not re-attached to (taken out of
	// leaders as they are looked at) are closed on return.
	defer releaseLeaders(leaders)
	logged, unneeded := b.recoverExits(known, named)
	// A wrapper whose exit log cannot be told from the descriptors it
	// holds (exitLogHeld: zero) has it read by the identity recorded at
	// its launch, not by its name.
	for id, w := range named {
		if l, ok := leaders[b.exitFile(id)]; ok && l.exitID == (fileID{}) && w.exit != (fileID{}) {
			l.exitID = w.exit
			leaders[b.exitFile(id)] = l
		}
	}
	if afterExitLogsRead != nil {
		afterExitLogsRead()
	}
	if err := b.settleMissing(ctx, attempts, leaders, launched, logged, later); err != nil {
		return err
	}
	// The logs nothing needs are deleted once every wrapper found, the
	// late ones (settleMissing) too, counts its own in use: it appends
	// to it through a descriptor, which a deletion would leave writing
	// to no file.
	inUse := map[string]bool{}
	for _, l := range leaders {
		inUse[l.exitLog] = true
	}
	b.removeLogs(b.exits, unneeded, inUse, "an exit log")
	for _, id := range b.docker.orphanContainers(ctx, known, b.ownsOrphan) {
		if err := b.docker.cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true}); err != nil && !cerrdefs.IsNotFound(err) {
			b.log.Warn("removing a container no attempt owns", "container", shortID(id), "err", err)
		}
	}
	var ended []string
	var finishing []ending
	codes := map[string]int{}
	for _, a := range attempts {
		if a.Task != nil && (a.Task.Container != nil || a.Session != "" && a.Task.Session != nil) {
			// Its files are where its launch made them (paths): nested,
			// whichever Borges launched it. A process attempt's may be
			// either (nested where an older Borges launched it).
			b.roots.recordLayout(a.ID, true)
		} else if named[a.ID].flat {
			// Its wrapper's line has the exit log's identity, which only
			// a Borges that launches process attempts flat writes.
			b.roots.recordLayout(a.ID, false)
		}
		if a.Task != nil && a.Task.Session != nil {
			// Its interpreter read its input from the server that
			// stopped, and ended with it.
			b.Emit(engine.Update{AttemptID: a.ID, State: engine.Lost, Message: "its session's interpreter ended with the server"})
			continue
		}
		if a.Task != nil && a.Task.Container != nil {
			b.recoverContainer(a)
			continue
		}
		exitFile := b.exitFile(a.ID)
		if l, ok := leaders[exitFile]; ok && len(l.rivals) > 0 {
			delete(leaders, exitFile)
			l.handle.Release()
			b.log.Warn("processes carry an attempt's identity (its exit file), all started since its launch and none another's ancestor: which is its wrapper cannot be told, and none is re-attached to; unless its status was logged the attempt is reported lost. Where it has a cgroup, what runs in it is killed with it; otherwise its wrapper, if one of them, runs on unwatched, to be killed by hand (kill -- -PID) once known to be Borges'",
				"attempt", a.ID, "pids", append([]int{l.pid}, l.rivals...))
		}
		if l, ok := leaders[exitFile]; ok && !l.named {
			// Its status logged, the attempt ended: a process carrying
			// its identity now is not re-attached to. It may be a
			// daemon of its task, or another's: re-attached to, it
			// would hold the attempt running, and its end kill what is
			// not the attempt's (its cgroup, its process group). The
			// wrapper named on disk is taken even so: it logs its
			// status last. Where the wrapper is not named (an older
			// Borges' attempt), the one process the launch-tick rules
			// leave (lookAt; rivals were refused above) may be the
			// wrapper itself, its status written and its outputs
			// still being copied (its stand-ins, in its process
			// group): its end, and its group's, are waited for, a
			// little, before the attempt's is reported (awaitEnds),
			// so that the outputs read back are whole. It is neither
			// signalled nor adopted meanwhile.
			_, ended := b.readExit(a.ID)
			if _, inLog := logged[a.ID]; ended || inLog {
				delete(leaders, exitFile)
				l.handle.Release()
				if b.loggedBy(l, a.ID) {
					finishing = append(finishing, ending{id: a.ID, pid: l.pid, start: l.start})
				} else {
					b.log.Warn("a process carries the identity (the exit file) of an attempt whose status is logged: not its wrapper, it is not re-attached to; the attempt's end is reported (what its cgroup holds is killed)",
						"attempt", a.ID, "pid", l.pid)
				}
			}
		}
		if l, ok := leaders[exitFile]; ok {
			delete(leaders, exitFile)
			handle, start, err := reattach(l)
			if err != nil {
				// It ended since the processes were listed: its wrapper
				// appended its status to its log before it exited, maybe
				// after the logs were read.
				if code, found := b.exitIn(l.exitLog, l.exitID, a.ID); found {
					logged[a.ID] = code
				}
			} else {
				pid := l.pid
				p := &proc{id: a.ID, pid: pid, process: handle, done: make(chan struct{}), cgroup: b.recoveredCgroup(a.ID, pid), exitLog: l.exitLog, exitID: l.exitID, started: start, plain: l.plain}
				b.mu.Lock()
				b.procs[a.ID] = p
				b.mu.Unlock()
				b.Emit(engine.Update{AttemptID: a.ID, State: engine.Running, Message: "re-attached to pid " + strconv.Itoa(pid)})
				go b.watch(p, start)
				continue
			}
		}
		code, ok := b.readExit(a.ID)
		if !ok {
			code, ok = logged[a.ID]
		}
		if ok {
			ended = append(ended, a.ID)
			codes[a.ID] = code
			continue
		}
		b.Emit(engine.Update{AttemptID: a.ID, State: engine.Lost, Message: "process gone after a restart of the server"})
	}
	// The older Borges' wrappers that may still be finishing have
	// ended, or were waited for long enough, before any end is reported
	// (and before the sweep below kills what their cgroups hold).
	if err := b.awaitEnds(ctx, finishing); err != nil {
		return err
	}
	// The attempts that ended while no server ran: once the keepers of
	// the servers gone have copied their outputs, waited for all at
	// once, at most 2 s in all, their outputs are cut at the cap.
	// Those a live keeper still copies are reported once it has
	// (keptLater), not with their outputs cut short.
	if len(ended) > 0 {
		copied := keptWait(b.keeper.log, ended, 2*time.Second, b.keeper.self)
		report := func(id string) {
			b.capOutputs(id)
			code := codes[id]
			u := engine.Update{AttemptID: id, ExitCode: &code, State: engine.Finished}
			if code != 0 {
				u.State, u.Message = engine.Failed, fmt.Sprintf("exit status %d", code)
			}
			b.Emit(u)
		}
		var late []string
		for _, id := range ended {
			if copied[id] {
				report(id)
			} else {
				late = append(late, id)
			}
		}
		if len(late) > 0 {
			b.log.Warn("a keeper of the outputs of a server gone still copies ended attempts' outputs: their ends are reported once it has", "attempts", late)
			if b.laterBegin() {
				go func() {
					defer b.later.Done()
					b.keptLater(late, func(id string, _ bool) { report(id) })
				}()
			}
		}
	}
	// What attempts that ended or vanished while the server was down
	// left in their cgroups is killed, and the cgroups removed: all but
	// those the running attempts are in, by name (not always theirs).
	b.mu.Lock()
	running := map[string]bool{}
	for _, p := range b.procs {
		if p.cgroup != nil {
			running[p.cgroup.Name()] = true
		}
	}
	b.mu.Unlock()
	b.cgroups.Sweep(running)
	return nil
}

// ending is a process that may be the wrapper of ended attempt id (not
// named on disk), its status written: pid, started at tick start.
type ending struct {
	id    string
	pid   int
	start uint64
	// leaderGone: the process has ended, its group left with processes
	// that run (when last looked at).
	leaderGone bool
}

// loggedBy says whether leader l wrote attempt id's status where it
// writes one: the exit log it carries, or the attempt's exit file for an
// older Borges' wrapper, which carries none. A process that says it
// writes elsewhere is none of the wrapper that ended so.
func (b *Backend) loggedBy(l leader, id string) bool {
	if l.exitLog == "" {
		_, ok := b.readExit(id)
		return ok
	}
	_, ok := b.exitIn(l.exitLog, l.exitID, id)
	return ok
}

// endsFor bounds Recover's wait for the processes that may be ended
// attempts' wrappers still finishing (a variable: tests), as finish
// bounds a re-attached wrapper's group's (waitGroupGone).
var endsFor = 2 * time.Second

// awaitEnds waits, at most endsFor for all at once, until each process
// of ps (started at its start: its pid reused is another) and its
// process group are gone: a wrapper of an older Borges that wrote its
// status, its stand-ins still copying its outputs. Each pass reads the
// list of processes once at most, for all of ps, and stops at the bound
// (a pass past it costs the rest of a scan). Nothing is signalled: one
// still there after the wait is no wrapper finishing (a daemon of the
// task, or a process that set its environment so), and is named in the
// log (or its group is, the process gone); the attempt's end is reported
// all the same (what its cgroup holds is killed). The wait ends with ctx
// (its error then: nothing is reported).
func (b *Backend) awaitEnds(ctx context.Context, ps []ending) error {
	if len(ps) == 0 {
		return nil
	}
	if waitingForEnds != nil {
		pids := make([]int, len(ps))
		for i, p := range ps {
			pids[i] = p.pid
		}
		waitingForEnds(pids)
	}
	t0 := time.Now()
	deadline := t0.Add(endsFor)
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	for pass := 1; ; pass++ {
		var live map[int]bool // read once a pass, if need be
		liveNow := func() map[int]bool {
			if live == nil {
				live = liveGroups()
			}
			return live
		}
		var left []ending
		for i, p := range ps {
			if !time.Now().Before(deadline) {
				left = append(left, ps[i:]...)
				break
			}
			if start, err := processStart(p.pid); err == nil && start == p.start {
				left = append(left, p)
				continue
			}
			// Its group's id is not another's while the group has a
			// process: the kernel hands out no pid in use as one.
			if groupLives(p.pid, liveNow) {
				p.leaderGone = true
				left = append(left, p)
			}
		}
		ps = left
		if endsPassed != nil {
			endsPassed(pass)
		}
		if len(ps) == 0 || !time.Now().Before(deadline) {
			break
		}
		timer.Reset(min(groupPoll, time.Until(deadline)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
	}
	for _, p := range ps {
		if p.leaderGone {
			b.log.Warn("a process that carried the identity (the exit file) of an attempt whose status is logged has ended, but its process group still has processes: not its wrapper's stand-ins finishing (a job of its task left running, say), they are not re-attached to; the attempt's end is reported (what its cgroup holds is killed)",
				"attempt", p.id, "pgid", p.pid, "waited", time.Since(t0).Round(time.Millisecond))
			continue
		}
		b.log.Warn("a process carries the identity (the exit file) of an attempt whose status is logged, and did not end: not its wrapper finishing, it is not re-attached to; the attempt's end is reported (what its cgroup holds is killed)",
			"attempt", p.id, "pid", p.pid, "waited", time.Since(t0).Round(time.Millisecond))
	}
	return nil
}

// settleMissing looks again at the processes whose environments could
// not be seen yet (later: a wrapper may be in the middle of its exec),
// only while some attempt's wrapper is missing: one that would be
// reported lost though it has neither a status (an exit file, logged) nor
// a wrapper found. The wait is bounded (execSettleFor) and ends with ctx
// (its error then: nothing is reported). A process stuck in an exec (a
// binary on a hung network file system) is almost never a wrapper, whose
// exec takes microseconds: past the wait, the attempts still missing are
// reported lost as before the wait was added, the log naming the
// processes. Waiting longer, or failing, would let any such process hold
// back (or stop) the server's start; and the attempts are lost as far as
// anything can tell. A wrapper found here counts its exit log in use as
// those found before (Recover deletes the logs after). It takes the
// handles of later.
func (b *Backend) settleMissing(ctx context.Context, attempts []*engine.Attempt, leaders map[string]leader, launched launches, logged map[string]int, later []pending) error {
	defer func() { releasePending(later) }()
	if len(later) == 0 {
		return nil
	}
	var missing []string // the exit files of the attempts that would be reported lost
	for _, a := range attempts {
		if a.Task != nil && (a.Task.Session != nil || a.Task.Container != nil) {
			continue
		}
		exitFile := b.exitFile(a.ID)
		if _, ok := leaders[exitFile]; ok {
			continue
		}
		if _, ok := logged[a.ID]; ok {
			continue
		}
		if _, ok := b.readExit(a.ID); ok {
			continue
		}
		missing = append(missing, exitFile)
	}
	if len(missing) == 0 {
		return nil
	}
	var err error
	if later, err = settle(ctx, leaders, launched, later, missing); err != nil {
		return err
	}
	var lost []string
	for _, exitFile := range missing {
		if _, ok := leaders[exitFile]; !ok {
			lost = append(lost, filepath.Base(filepath.Dir(exitFile))) // its directory: the attempt's id
		}
	}
	if len(later) > 0 && len(lost) > 0 {
		b.log.Warn("processes were still in the middle of an exec after the wait, and attempts whose wrapper was not found are reported lost: should one of those processes be a wrapper (its environment names the attempt in BORGES_EXIT_FILE once its exec ends), its attempt runs on unwatched, to be killed by hand (kill -- -PID); otherwise nothing is to be done",
			"waited", execSettleFor, "processes", described(later), "attempts", lost)
	}
	return nil
}

// reattach checks that a wrapper found running (groupLeaders) is still
// the process its environment was read from: its handle (a pidfd opened
// before that read) still lives, and the process with its pid started when
// it did. An error: it ended since, and its pid may be another's; its
// wrapper logged its status before it exited (exitIn). The handle is
// kept, and returned, only for a plain wrapper, whose kill uses it
// (killGroup); nil where pidfds are not available.
func reattach(l leader) (h handle, start uint64, err error) {
	start, err = processStart(l.pid)
	if err == nil && start != l.start {
		err = fmt.Errorf("pid %d started again: another process", l.pid)
	}
	if err == nil && l.handle != nil {
		if serr := l.handle.Signal(syscall.Signal(0)); serr != nil {
			err = fmt.Errorf("pid %d ended: %w", l.pid, serr)
		}
	}
	if err != nil {
		l.handle.Release()
		return nil, 0, err
	}
	if !l.plain || l.handle == nil {
		l.handle.Release()
		return nil, start, nil
	}
	return l.handle, start, nil
}

// handle signals one process, not whatever has its pid, until it is
// released: an *os.Process of a child, or a pidfd.
type handle interface {
	Signal(os.Signal) error
	Release() error
}

// pidfdOpen is pidfd_open (a variable: tests make it unavailable).
var pidfdOpen = unix.PidfdOpen

// pidfd is a handle on a process that is not our child (pidfd_open): a
// signal through it reaches that process or none (ESRCH once it ended),
// never another that took its pid. Not safe for concurrent use with
// Release (proc.mu guards it).
type pidfd struct{ fd int }

// openPidfd opens a handle on the process pid: ESRCH if there is none;
// another error if pidfds are not available (kernel before 5.3, seccomp).
func openPidfd(pid int) (*pidfd, error) {
	fd, err := pidfdOpen(pid, 0)
	if err != nil {
		return nil, err
	}
	return &pidfd{fd: fd}, nil
}

func (h *pidfd) Signal(sig os.Signal) error {
	s, ok := sig.(syscall.Signal)
	if !ok {
		return fmt.Errorf("signal %v not supported", sig)
	}
	if h.fd < 0 {
		return os.ErrProcessDone
	}
	return unix.PidfdSendSignal(h.fd, s, nil, 0)
}

// Release closes the handle, once; nil is none.
func (h *pidfd) Release() error {
	if h == nil || h.fd < 0 {
		return nil
	}
	err := unix.Close(h.fd)
	h.fd = -1
	return err
}

// launchedAt maps the exit file of each attempt whose wrapper is named
// on disk (in named, read from the wrapper logs, else in its file of the
// layout before them: wrapperfile.go) to its pid and start: that process
// alone is taken for it. It maps the exit file of each other attempt whose
// launch's boot ticks are known (engine.Attempt.LaunchTicks) to them: a
// process started before them is none of the attempt's. A task may
// rewrite its environment to carry another attempt's exit file; were it
// older than that attempt's wrapper, the rule of the oldest (preferred)
// would take it for the wrapper, re-attach to it, and report the
// attempt's end at its end. An attempt with neither (an older Borges')
// keeps that rule. The wrapper is named by Launch whatever the
// engine knows of the launch: it covers the attempts staged from an
// intent (whose launch's ticks are not known) and the dying ones of a
// record without their ticks.
func (b *Backend) launchedAt(attempts []*engine.Attempt, named map[string]wrapperID) launches {
	ids := map[string]bool{}
	for _, a := range attempts {
		ids[a.ID] = true
	}
	launched := launches{ticks: map[string]uint64{}, wrappers: map[string]wrapperID{}, log: b.log, spelling: b.spelling(ids)}
	for _, a := range attempts {
		if a.Task != nil && (a.Task.Session != nil || a.Task.Container != nil) {
			continue
		}
		if w, ok := named[a.ID]; ok {
			launched.wrappers[b.exitFile(a.ID)] = w
		} else if w, ok := b.recordedWrapperFile(a.ID); ok {
			launched.wrappers[b.exitFile(a.ID)] = w
		} else if a.LaunchTicks != 0 {
			launched.ticks[b.exitFile(a.ID)] = a.LaunchTicks
		}
	}
	return launched
}

// launches maps the exit file of each attempt whose wrapper is named on
// disk to it, and of each other whose launch's boot ticks are known to
// them (launchedAt), and logs to log what is passed over.
type launches struct {
	ticks    map[string]uint64
	wrappers map[string]wrapperID
	log      *slog.Logger
	spelling *dataSpelling // nil: the paths a process carries are taken as spelled
}

// notWrapper says whether process pid, started at tick start, carrying
// exitFile, is not its attempt's wrapper, named on disk, and if so logs
// it (once per Recover, as before does). Such a process is a task's
// (one that left its wrapper's process group and whose parent ended: a
// daemon; or one that set its environment so), or the wrapper's pid
// reused: it is not re-attached to, and is killed only where the
// attempt's cgroup holds it, at the attempt's end.
func (l launches) notWrapper(exitFile string, pid int, start uint64) bool {
	w, ok := l.wrappers[exitFile]
	if !ok || w.pid == pid && w.start == start {
		return false
	}
	l.log.Warn("a process carrying an attempt's identity (its exit file) is not its wrapper, known by pid and start: a process of its task that outlived its parent (a daemon) or one that set its environment so, it is not re-attached to (and is killed only if the attempt's cgroup holds it, at the attempt's end)",
		"attempt", filepath.Base(filepath.Dir(exitFile)), "pid", pid, "start_ticks", start, "wrapper_pid", w.pid, "wrapper_start_ticks", w.start)
	return true
}

// before says whether process pid, started at tick start, carrying
// exitFile, started before the launch of its attempt, and if so logs it
// (once per Recover: a process is looked at for good once, lookAt). A
// server restarted in another time namespace reads other boot ticks
// (proclist.BootTicks): its running attempts' wrappers may be passed
// over so, and reported lost.
func (l launches) before(exitFile string, pid int, start uint64) bool {
	since, ok := l.ticks[exitFile]
	if !ok || start >= since {
		return false
	}
	l.log.Warn("a process carrying an attempt's identity (its exit file) started before the attempt's launch: not its wrapper (a process that set its environment so, or a clock read in another time namespace), it is not re-attached to",
		"attempt", filepath.Base(filepath.Dir(exitFile)), "pid", pid, "start_ticks", start, "launch_ticks", since)
	return true
}

// recoveredCgroup is the cgroup of attempt id, found running after a
// restart with its wrapper pid: the one pid is in, which is named after an
// earlier attempt if it was kept for this one (cgroup/pool.go); where
// /proc does not say, the one named after the attempt, if any.
func (b *Backend) recoveredCgroup(id string, pid int) *attemptCgroup {
	if cg := b.cgroups.OfProcess(pid); cg != nil {
		return cg
	}
	return b.cgroups.Existing(id)
}

// leader is a wrapper found running: its pid and its exit log ("": an
// older Borges' wrapper, which writes an exit file), in this run's
// spelling where it is in DATA/exits (dataSpelling).
type leader struct {
	pid     int
	exitLog string
	// exitID: the file its descriptor 8 is, the exit log it was given,
	// where it is the wrapper named on disk (zero: not known).
	exitID fileID
	plain  bool // its environment holds a plain sh script (plainEnv): it runs in the wrapper's shell
	// handle is the process's pidfd, opened before its environment was
	// read (nil: pidfds not available), start its start time, read after:
	// reattach checks that the two still name the process running.
	handle *pidfd
	start  uint64
	// named: it is the wrapper named on disk by pid and start
	// (wrapperfile.go), not one chosen among the candidates.
	named bool
	// rivals are the pids of the other processes carrying its exit file,
	// started no earlier than its attempt's launch, that it is no
	// ancestor of (lookAt). One of them, or it, is no wrapper of the
	// attempt but carries its identity: an impostor started since the
	// launch (before the wrapper, or in its tick), or a descendant of
	// the wrapper whose parent chain to it is broken (a parent ended:
	// reparented). Neither starts nor pids tell which: the rule of
	// preferred could take the impostor, so Recover re-attaches to none.
	rivals []int
}

// releaseLeaders closes the handles of the leaders found.
func releaseLeaders(leaders map[string]leader) {
	for _, l := range leaders {
		l.handle.Release()
	}
}

// letIn tells a wrapper waiting at its gate to go on, writing "in" on
// the stand-in's life pipe (a variable: tests make it fail).
var letIn = func(life *os.File) error {
	_, err := life.Write([]byte("in\n"))
	return err
}

// afterExitLogsRead, when set (tests), runs in Recover once the exit logs
// are read, before the processes listed are looked at again.
var afterExitLogsRead func()

// waitingForEnds, when set (tests), runs in Recover as it begins to wait
// for the processes that may be wrappers finishing (awaitEnds): their pids.
var waitingForEnds func(pids []int)

// endsPassed, when set (tests), runs after each of awaitEnds' passes over
// the processes it waits for: its number, from 1.
var endsPassed func(pass int)

// scanningGroups, when set (tests), runs as the list of processes is read
// to tell which process groups still have a process that runs.
var scanningGroups func()

// listProcesses lists /proc (a variable: tests make it fail).
var listProcesses = func() ([]os.DirEntry, error) { return os.ReadDir("/proc") }

// procFile reads /proc/PID/name (a variable: tests show a process as the
// kernel does in the middle of an exec). A stat line, read at each
// launch (recordWrapper), is one record: one open and one read
// (proclist.ReadRecord).
var procFile = func(pid int, name string) ([]byte, error) {
	path := "/proc/" + strconv.Itoa(pid) + "/" + name
	if name == "stat" {
		return proclist.ReadRecord(path)
	}
	return os.ReadFile(path)
}

// pending is a process-group leader whose environment could not be seen
// yet (envPending): it is looked at again only if an attempt's wrapper
// is missing (Recover). handle holds it (nil where pidfds are not
// available).
type pending struct {
	pid    int
	handle *pidfd
}

// releasePending closes the handles of the processes pending.
func releasePending(ps []pending) {
	for _, p := range ps {
		p.handle.Release()
	}
}

// groupLeaders maps BORGES_EXIT_FILE to the process-group leader
// carrying it (the wrapper: preferred), for every live process of this
// user, but those that started before the launch of the attempt it
// names, where launched says when that was (launchedAt). Each is held by a pidfd opened before its environment and start
// time are read, and kept only if it still lives after: so the three are
// one process's, even if its pid was another's a moment before. The
// caller releases the handles (releaseLeaders, releasePending). Where
// /proc cannot be listed it fails: no process found is then no proof that
// none runs. It waits for nothing: the leaders whose environments could
// not be seen yet are returned pending.
func groupLeaders(launched launches) (out map[string]leader, later []pending, err error) {
	out = map[string]leader{}
	entries, err := listProcesses()
	if err != nil {
		return nil, nil, fmt.Errorf("listing the machine's processes: %w", err)
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pgid, err := syscall.Getpgid(pid); err != nil || pgid != pid {
			continue // before a handle is opened on it: most processes
		}
		h, err := openPidfd(pid)
		if errors.Is(err, syscall.ESRCH) {
			continue
		}
		if lookAt(out, launched, pid, h) {
			later = append(later, pending{pid: pid, handle: h})
		}
	}
	return out, later, nil
}

// lookAt examines process pid, held by h, and adds it to out if it is a
// group leader carrying an exit file, started no earlier than its
// attempt's launch (launched), and preferred to the one there. It
// says whether its environment could not be seen yet (envPending): h is
// kept for a look again then, else taken (kept in out, or released).
func lookAt(out map[string]leader, launched launches, pid int, h *pidfd) (pending bool) {
	// (Again when looked at later: a process held by no handle may
	// have been replaced by another with its pid.)
	if pgid, err := syscall.Getpgid(pid); err != nil || pgid != pid {
		h.Release()
		return false
	}
	env, err := procFile(pid, "environ")
	if err == nil && len(env) == 0 {
		if p, err := procStat(pid); err == nil && envPending(p) && (h == nil || h.Signal(syscall.Signal(0)) == nil) {
			return true
		}
		// Empty for good, or set up since it was read: read again,
		// after, it is the process's own.
		env, err = procFile(pid, "environ")
	}
	if err != nil { // gone, or another user's
		h.Release()
		return false
	}
	var exitFile, exitLog string
	plain := false
	for _, kv := range strings.Split(string(env), "\x00") {
		if strings.HasPrefix(kv, plainEnv+"=") {
			plain = true
		}
		if v, ok := strings.CutPrefix(kv, "BORGES_EXIT_FILE="); ok {
			exitFile = v
		} else if v, ok := strings.CutPrefix(kv, "BORGES_EXIT_LOG="); ok {
			exitLog = v
		}
	}
	if exitFile == "" {
		h.Release()
		return false
	}
	exitLog, ours := launched.spelling.exitLog(exitLog, pid)
	exitFile = launched.spelling.exitFile(exitFile, ours)
	start, err := processStart(pid)
	if err != nil || h != nil && h.Signal(syscall.Signal(0)) != nil {
		h.Release()
		return false
	}
	if launched.notWrapper(exitFile, pid, start) {
		h.Release()
		return false
	}
	if launched.before(exitFile, pid, start) {
		// Started before its attempt's launch: not its wrapper, nor
		// anything its wrapper started, but a process that set its
		// environment so (a task's, rewriting it).
		h.Release()
		return false
	}
	l := leader{pid: pid, exitLog: exitLog, plain: plain, handle: h, start: start}
	if _, named := launched.wrappers[exitFile]; named {
		// The wrapper named on disk: the only one taken. It holds
		// the exit log it was given open (logExit).
		l.named = true
		l.exitID = exitLogHeld(pid)
		if o, ok := out[exitFile]; ok {
			o.handle.Release()
		}
		out[exitFile] = l
		return false
	}
	if o, ok := out[exitFile]; ok {
		// Where the launch is known, two that no ancestry relates are
		// rivals (leader.rivals); an older record keeps the rule of
		// preferred alone.
		_, known := launched.ticks[exitFile]
		if !preferred(l, o) {
			if known && !ancestor(o.pid, l.pid) {
				o.rivals = append(o.rivals, l.pid)
				out[exitFile] = o
			}
			h.Release()
			return false
		}
		o.handle.Release()
		l.rivals = slices.DeleteFunc(slices.Clone(o.rivals), func(r int) bool { return ancestor(l.pid, r) })
		if known && !ancestor(l.pid, o.pid) {
			l.rivals = append(l.rivals, o.pid)
		}
	}
	out[exitFile] = l
	return false
}

// preferred says whether leader l, rather than o, is the wrapper of the
// attempt both carry the exit file of. What the attempt starts inherits
// the wrapper's environment, and one that leads a group of its own
// (setsid, a shell's job control) carries the exit file too: it is the
// wrapper's descendant, and started after it. So an ancestor of the other
// is preferred (its parent chain says so while the wrapper lives, even in
// the same clock tick), else the one started first, else the lower pid.
func preferred(l, o leader) bool {
	switch {
	case ancestor(l.pid, o.pid):
		return true
	case ancestor(o.pid, l.pid):
		return false
	case l.start != o.start:
		return l.start < o.start
	}
	return l.pid < o.pid
}

// ancestor says whether process a is an ancestor of process pid, by its
// parent chain (at most 64 steps: deeper is no wrapper's).
func ancestor(a, pid int) bool {
	for range 64 {
		p, err := procStat(pid)
		if err != nil || p.PPID <= 1 {
			return false
		}
		if p.PPID == a {
			return true
		}
		pid = p.PPID
	}
	return false
}

// execSettleFor bounds how long Recover waits, in all, for the processes
// whose environment could not be seen yet (envPending) where an
// attempt's wrapper is missing; execSettlePoll is how often it looks
// meanwhile (variables: tests).
var (
	execSettleFor  = 10 * time.Second
	execSettlePoll = 5 * time.Millisecond
)

// youngFor is the age below which a process with an empty environment is
// taken as one in the middle of an exec (envPending), in clock ticks: 1 s.
const youngFor = 100

// envPending says whether a process whose environment read as empty, p
// its stat line read after, may be in the middle of an exec, its
// environment not set up yet: a wrapper just started, caught so, would be
// skipped, and its attempt reported lost (seen under load in the keeper
// handover tests: the wrapper's stat line then said no memory mapped yet,
// and a scan a moment later found it); a process an attempt started, its
// marker not seen, would not hold the attempt's files (holds.go). The
// kernel reads an environment as empty while the end of its environment
// (field 51 of /proc/PID/stat) is 0, and, as it sets it up, while the end
// is still its start: the second cannot be told from an environment empty
// for good (env -i) but by the process being young (youngFor). A zombie,
// one exiting (whose memory is gone: 0 too) is not pending, nor one whose
// line has no end of its environment (before Linux 3.5).
func envPending(p proclist.Proc) bool {
	if !p.HasEnvEnd || p.State == 'Z' || p.State == 'X' || p.Flags&pfExiting != 0 {
		return false
	}
	return p.EnvEnd == 0 || proclist.BootTicks() < p.Start+youngFor
}

// pfExiting marks a process that is exiting (linux/sched.h PF_EXITING).
const pfExiting = 0x00000004

// settle looks again at the processes pending until each is seen (added
// to leaders if a wrapper), every exit file of missing is in leaders,
// execSettleFor has passed, or ctx ends (its error then). It returns the
// processes still pending; the others' handles are taken.
func settle(ctx context.Context, leaders map[string]leader, launched launches, ps []pending, missing []string) ([]pending, error) {
	return untilExecsEnd(ctx, ps, func(p pending) bool { return lookAt(leaders, launched, p.pid, p.handle) }, func([]pending) bool {
		for _, exitFile := range missing {
			if _, ok := leaders[exitFile]; !ok {
				return false
			}
		}
		return true
	})
}

// untilExecsEnd looks again at processes whose environment could not be
// seen yet (envPending), with look (which says whether one still cannot
// be), at once and then every execSettlePoll, until none is pending,
// enough says those left need not be seen, execSettleFor has passed, or
// ctx ends (its error then). It returns those still pending. Recover
// (settle) and the hold scan (holds.go) wait so.
func untilExecsEnd[P any](ctx context.Context, ps []P, look func(P) bool, enough func(left []P) bool) ([]P, error) {
	deadline := time.Now().Add(execSettleFor)
	for {
		ps = slices.DeleteFunc(ps, func(p P) bool { return !look(p) })
		if len(ps) == 0 || enough(ps) || !time.Now().Before(deadline) {
			return ps, nil
		}
		select {
		case <-ctx.Done():
			return ps, ctx.Err()
		case <-time.After(execSettlePoll):
		}
	}
}

// described names processes by pid and command (/proc/PID/comm, which
// the kernel sets at once in an exec), for the server's log.
func described(ps []pending) string {
	var out []string
	for _, p := range ps {
		comm, _ := procFile(p.pid, "comm")
		out = append(out, fmt.Sprintf("%d (%s)", p.pid, strings.TrimSpace(string(comm))))
	}
	return strings.Join(out, ", ")
}

// watch polls a process that is not our child until it is gone, or the
// backend stops; either way its handle (reattach) is closed then.
func (b *Backend) watch(p *proc, start uint64) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-b.stopping:
			p.releaseHandle()
			return
		case <-tick.C:
		}
		if st, err := processStart(p.pid); err != nil || st != start {
			p.releaseHandle()
			b.finish(p, nil)
			return
		}
	}
}

// releaseHandle closes the handle (a pidfd) on a wrapper re-attached to
// (reattach), which is not our child: no Wait closes it. A kill after it
// signals nothing through it (killGroup).
func (p *proc) releaseHandle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.process != nil {
		p.process.Release()
		p.process = nil
	}
}

// processStart is the start time of a process in clock ticks since boot
// (field 22 of /proc/PID/stat): with the pid, it names one process even if
// the pid is reused. A zombie counts as gone.
func processStart(pid int) (uint64, error) {
	p, err := procStat(pid)
	if err != nil {
		return 0, err
	}
	if p.Zombie() {
		return 0, errors.New("zombie")
	}
	return p.Start, nil
}

// procStat reads process pid's stat line (through procFile).
func procStat(pid int) (proclist.Proc, error) {
	data, err := procFile(pid, "stat")
	if err != nil {
		return proclist.Proc{}, err
	}
	p, ok := proclist.ParseStat(pid, data)
	if !ok {
		return proclist.Proc{}, fmt.Errorf("pid %d: bad stat line %q", pid, data)
	}
	return p, nil
}

// ReadLog reads at most max bytes of an attempt's stdout, stderr, or a
// file of its sandbox, never through a link (see locate).
func (b *Backend) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	if !engine.SandboxPath(stream) {
		return nil, 0, fmt.Errorf("no stream %q (stdout, stderr, or a file of the sandbox)", stream)
	}
	dir, name := b.locate(id, stream)
	read := dir.ReadAt
	if stream == "stdout" || stream == "stderr" {
		read = func(name string, offset int64, max int) ([]byte, int64, error) {
			return b.readOutput(dir, name, offset, max)
		}
	}
	data, size, err := read(name, offset, max)
	if err == nil && size == 0 {
		// Nothing there: not read as empty from a held directory
		// removed while the server ran (heldRoots), where nothing is.
		if st, serr := dir.Stat(); serr == nil && st.Nlink == 0 {
			err = fmt.Errorf("%s was removed while the server ran: its files are gone", dir.Path())
		}
	}
	if err != nil {
		return nil, 0, fmt.Errorf("attempt %s: %w", id, err)
	}
	return data, size, nil
}
