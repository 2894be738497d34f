package local

import (
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/sandboxfs"
	"github.com/wallyqs/borges/internal/workdir"
)

// Where an attempt's files are. On the disk this was measured on, making
// an inode (a file, a directory) costs 0.2–0.65 ms of CPU, where the rest
// of a launch costs about as much again: a process attempt now makes as
// few as it can. It has one directory, its sandbox,
//
//	DATA/sandboxes/ID/
//
// and Borges' files of it lie beside other attempts', in one of 16
// shared directories (SHARD, a hex digit of a hash of the id), made only
// when there is something to write:
//
//	DATA/outputs/SHARD/ID.stdout, .stderr  (at their first byte)
//	DATA/outputs/SHARD/ID.script           (not for sh: see scriptfd.go)
//
// (its exit status and its wrapper's pid and start are lines in logs of
// the server's run: exitlog.go, wrapperfile.go; a Borges before the
// wrapper logs wrote DATA/outputs/SHARD/ID.wrapper).
//
// Shared, because a directory per attempt was an inode more; sharded,
// because creating a file locks its directory while the file system finds
// it an inode, which on that disk (ext4 without a journal, skipping every
// inode deleted in the last 30 s) took 0.3–0.8 ms: twenty attempts' first
// outputs queued on one directory (a loop creating files from 8 threads
// after 2,000 were deleted: 0.84–1.0 ms a file in one directory, 0.53–0.61
// ms over 16).
//
// Containers and session blocks keep the nested layout they had, one
// directory of Borges' with the sandbox in it,
//
//	DATA/attempts/ID/{script,stdout,stderr}, DATA/attempts/ID/sandbox/
//
// and attempts made by an older Borges have that layout too (or, older
// still, no sandbox directory: the attempt's directory was its sandbox).
// A flat attempt's sandbox and outputs may be inodes of removed attempts,
// emptied, from DATA/pool (pool.go).
// An attempt whose sandbox is in DATA/sandboxes is flat; any other is
// nested. What reads an attempt's files asks which (paths).

// sandboxesDir holds the flat attempts' sandboxes, outputsDir their
// outputs' shards.
const (
	sandboxesDir = "sandboxes"
	outputsDir   = "outputs"
	outputShards = 16
)

// outputShard is the shard of attempt id's outputs: a hex digit.
func outputShard(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	return strconv.FormatUint(uint64(h.Sum32()%outputShards), 16)
}

// makeLayout makes the directories every attempt's files go in.
func makeLayout(dataDir string) error {
	dirs := []string{"attempts", sandboxesDir}
	for i := range outputShards {
		dirs = append(dirs, filepath.Join(outputsDir, strconv.FormatUint(uint64(i), 16)))
	}
	for _, dir := range dirs {
		if err := os.MkdirAll(filepath.Join(dataDir, dir), 0o700); err != nil {
			return err
		}
	}
	return nil
}

// heldRoots are the directories of DATA every attempt's files are opened
// beneath (DATA/sandboxes, DATA/attempts, DATA/outputs/SHARD), opened once
// at New through no link and held open (sandboxfs.Dir), as the logs'
// directories are (logdir.go): a link put at one of their paths later, or
// a directory moved there (by a task running as the server's user), is
// never followed; Borges goes on reading and writing in the directories
// it made. The attempts' own directories beneath them are opened through
// no link at each open (their names are part of the name opened).
//
// Where an attempt begins (fresh), the directory held and the one its
// path names are compared by identity: what goes by the path (the keeper
// of the outputs, a process that outlives the server; the engine
// mounting a sandbox) and what goes through the held directory must be
// the same. One removed while the server ran (a clean-up of DATA) and
// made again is taken anew, as a directory (never a link) opened as at
// New; one moved aside and another put in its place is refused (the
// attempt fails, saying to restart the server). The one let go is kept
// open until close: an attempt begun before may still use it.
type heldRoots struct {
	dataDir string
	mu      sync.Mutex // guards the Dirs below, swapped by fresh
	// sandboxes, attempts and outputs: guarded by mu.
	sandboxes, attempts *sandboxfs.Dir
	outputs             [outputShards]*sandboxfs.Dir
	retired             []*sandboxfs.Dir
	// nested: the layout of each attempt launched or recovered in this
	// run, as its launch made it (true: nested), until it is removed
	// (recordLayout); guarded by mu.
	nested map[string]bool
}

// recordLayout notes the layout attempt id's launch made (nested or
// flat), which paths goes by from then on, whatever directories appear
// at the other layout's names (a task runs as the server's user: it
// could make DATA/sandboxes/ID for a container's attempt, and
// DATA/outputs/SHARD/ID.stdout with it, to have its outputs read from
// there).
func (r *heldRoots) recordLayout(id string, nested bool) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.nested == nil {
		r.nested = map[string]bool{}
	}
	r.nested[id] = nested
}

// layoutOf is the layout recorded for attempt id (recordLayout), if any.
func (r *heldRoots) layoutOf(id string) (nested, known bool) {
	if r == nil {
		return false, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	nested, known = r.nested[id]
	return nested, known
}

// forgetLayout drops attempt id's record, at its removal.
func (r *heldRoots) forgetLayout(id string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.nested, id)
}

// openRoots opens the directories makeLayout made in dataDir; a link
// there, or another file, is refused.
func openRoots(dataDir string) (_ *heldRoots, err error) {
	r := &heldRoots{dataDir: dataDir}
	defer func() {
		if err != nil {
			r.close()
		}
	}()
	if r.sandboxes, err = openRoot(dataDir, sandboxesDir); err != nil {
		return nil, err
	}
	if r.attempts, err = openRoot(dataDir, "attempts"); err != nil {
		return nil, err
	}
	for i := range r.outputs {
		if r.outputs[i], err = openRoot(dataDir, shardDir(i)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// openRoot opens DATA's directory rel through no link.
func openRoot(dataDir, rel string) (*sandboxfs.Dir, error) {
	d, err := sandboxfs.OpenDir(filepath.Join(dataDir, rel))
	if errors.Is(err, sandboxfs.ErrRefused) {
		return nil, fmt.Errorf("%s is not a directory (a link, or another file): refusing to keep attempts' files there", filepath.Join(dataDir, rel))
	}
	return d, err
}

// shardDir is the outputs' shard i, relative to DATA.
func shardDir(i int) string {
	return filepath.Join(outputsDir, strconv.FormatUint(uint64(i), 16))
}

// close lets the directories go (nil: nothing to do).
func (r *heldRoots) close() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sandboxes.Close()
	r.attempts.Close()
	for _, d := range r.outputs {
		d.Close()
	}
	for _, d := range r.retired {
		d.Close()
	}
}

// dir is the held DATA/sandboxes or DATA/attempts (nil: none held).
func (r *heldRoots) dir(name string) *sandboxfs.Dir {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == sandboxesDir {
		return r.sandboxes
	}
	return r.attempts
}

// shardIndex is the shard of attempt id's outputs, as an index.
func shardIndex(id string) int {
	n, _ := strconv.ParseUint(outputShard(id), 16, 8)
	return int(n)
}

// shard is the held directory of attempt id's outputs.
func (r *heldRoots) shard(id string) *sandboxfs.Dir {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.outputs[shardIndex(id)]
}

// freshAttempts makes sure the held DATA/attempts is the directory its
// path names, where a container or session attempt begins (heldRoots).
func (r *heldRoots) freshAttempts() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fresh(&r.attempts, "attempts")
}

// freshFlat makes sure the held DATA/sandboxes and attempt id's shard of
// DATA/outputs are the directories their paths name, where a process
// attempt begins (heldRoots).
func (r *heldRoots) freshFlat(id string) error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.fresh(&r.sandboxes, sandboxesDir); err != nil {
		return err
	}
	i := shardIndex(id)
	return r.fresh(&r.outputs[i], shardDir(i))
}

// fresh compares *held with the directory at DATA/rel (r.mu held): the
// same, nothing is done; held removed since (no link to it left), the
// directory made there since is held instead, opened through no link;
// else (moved aside, another put in its place, or nothing there) why
// the attempt cannot begin.
func (r *heldRoots) fresh(held **sandboxfs.Dir, rel string) error {
	path := filepath.Join(r.dataDir, rel)
	dev, ino, err := (*held).Identity()
	if err != nil {
		return err
	}
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err == nil && uint64(st.Dev) == dev && st.Ino == ino {
		return nil
	}
	hst, err := (*held).Stat()
	if err != nil {
		return err
	}
	if hst.Nlink > 0 {
		return fmt.Errorf("%s is no longer the directory the server opened at its start (moved aside, and another or a link put in its place): refusing to use either; restart the server", path)
	}
	d, err := openRoot(r.dataDir, rel)
	if err != nil {
		return fmt.Errorf("%s was removed while the server ran: %w", path, err)
	}
	r.retired = append(r.retired, *held)
	*held = d
	return nil
}

// attemptPaths is where one attempt's files are.
type attemptPaths struct {
	// outRoot and stdout, stderr, script: the attempt's outputs and its
	// program, beneath outRoot (opened through no link, sandboxfs).
	outRoot, stdout, stderr, script string
	// sandboxRoot and sandbox: the sandbox is sandboxRoot/sandbox, and a
	// file of it is opened beneath sandboxRoot ("" when the attempt's
	// directory is itself the sandbox, as a very old Borges made it).
	sandboxRoot, sandbox string
	// outDir and boxDir: the held directories (heldRoots) outRoot and
	// sandboxRoot are in, as outSub and boxSub beneath them ("": the
	// held directory itself). Every file is opened beneath them.
	outDir, boxDir *sandboxfs.Dir
	outSub, boxSub string
}

// output is one of Borges' files of the attempt (outputs, program), as
// a held directory and a name beneath it.
func (p attemptPaths) output(name string) (*sandboxfs.Dir, string) {
	return p.outDir, joinNames(p.outSub, name)
}

// oneName says whether id is one name in a directory (an attempt's
// directory's: no "/", no "." or "..").
func oneName(id string) bool {
	return sandboxfs.Valid(id) && !strings.Contains(id, "/")
}

// joinNames joins the names given, "" left out, with "/", as they are:
// a name that is not clean stays so, refused where it is opened
// (sandboxfs.Valid), not cleaned into another.
func joinNames(names ...string) string {
	out := ""
	for _, n := range names {
		switch {
		case n == "":
		case out == "":
			out = n
		default:
			out += "/" + n
		}
	}
	return out
}

// flatPaths is the flat layout of attempt id.
func (b *Backend) flatPaths(id string) attemptPaths {
	outputs := filepath.Join(b.cfg.DataDir, outputsDir, outputShard(id))
	return attemptPaths{outRoot: outputs, stdout: id + ".stdout", stderr: id + ".stderr", script: id + ".script",
		sandboxRoot: filepath.Join(b.cfg.DataDir, sandboxesDir), sandbox: id,
		outDir: b.roots.shard(id), boxDir: b.roots.dir(sandboxesDir)}
}

// nestedPaths is the nested layout of attempt id.
func (b *Backend) nestedPaths(id string) attemptPaths {
	dir := b.AttemptDir(id)
	p := attemptPaths{outRoot: dir, stdout: "stdout", stderr: "stderr", script: "script", sandboxRoot: dir, sandbox: sandboxName,
		outDir: b.roots.dir("attempts"), boxDir: b.roots.dir("attempts"), outSub: id, boxSub: id}
	if isDir(dir) && !isDir(filepath.Join(dir, sandboxName)) {
		p.sandbox = "" // a Borges of before the sandbox had its own directory
	}
	return p
}

// paths is where attempt id's files are, whichever layout it has: the
// one its launch made, where this run launched or recovered it
// (recordLayout); else (an attempt of a run before, not recovered: it
// had ended) as the directories there say.
func (b *Backend) paths(id string) attemptPaths {
	if nested, known := b.roots.layoutOf(id); known {
		if nested {
			return b.nestedPaths(id)
		}
		return b.flatPaths(id)
	}
	if flat := b.flatPaths(id); isDir(filepath.Join(flat.sandboxRoot, flat.sandbox)) {
		return flat
	}
	return b.nestedPaths(id)
}

// isDir reports whether path is a directory (not a link to one).
func isDir(path string) bool {
	st, err := os.Lstat(path)
	return err == nil && st.IsDir()
}

// sandboxDir is the sandbox's path.
func (p attemptPaths) sandboxDir() string {
	return filepath.Join(p.sandboxRoot, p.sandbox)
}

// inSandbox is a file of the sandbox, as a held directory and a name
// beneath it.
func (p attemptPaths) inSandbox(name string) (*sandboxfs.Dir, string) {
	return p.boxDir, joinNames(p.boxSub, p.sandbox, name)
}

// makeSandbox makes a flat attempt's sandbox (made anew, as
// makeAttemptDirs does: what a previous run of the same attempt id left
// is kept), beneath DATA/sandboxes held open (made sure of first:
// heldRoots.fresh).
func (b *Backend) makeSandbox(id string) error {
	if !oneName(id) {
		return fmt.Errorf("%q is not a directory's name", id)
	}
	if err := b.roots.freshFlat(id); err != nil {
		return err
	}
	b.roots.recordLayout(id, false)
	sandboxes := b.roots.dir(sandboxesDir)
	if b.pool.takeAt(poolDirs, in(sandboxes, id), 0) {
		return nil
	}
	if err := sandboxes.Mkdir(id, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return nil
}

// workDir is a process's working directory: path to start it in, and
// held, the descriptor of the directory opened that path names, kept
// open until the process has started.
// workDir opens an attempt's working directory work by workdir's rule:
// the sandbox (a process's, beneath the held DATA/sandboxes; a local
// session's, beneath the held DATA/attempts), or a relative :dir made in
// it through no link; an absolute :dir, or one out of the sandbox,
// following the user's links as Emacs does, but none into Borges' data
// directory (identities: a link a container could put in its sandbox
// included). The process is started in the directory so opened (its
// descriptor), not in whatever the path leads to by then, its PWD work
// where that is the directory opened (workdir.Start.Written: as Emacs
// gives its :dir, links not resolved).
func (b *Backend) workDir(paths attemptPaths, sandbox, work string) (workdir.Start, error) {
	dir, err := workdir.Open(paths.openSandbox, sandbox, work, func() (workdir.Own, error) {
		data, err := b.roots.identities()
		return workdir.Own{Is: func(id workdir.ID) bool { return data[fileID{id.Dev, id.Ino}] },
			Name: "Borges' data directory " + b.roots.dataDir}, err
	})
	if err != nil {
		return workdir.Start{}, err
	}
	defer dir.Close()
	return workdir.Hold(dir, work)
}

// pwdEnv is the PWD of a process started in dir: its :dir as written
// where that is the directory opened, else none (a shell then takes the
// real path of its directory).
func pwdEnv(dir workdir.Start) []string {
	if dir.Written == "" {
		return nil
	}
	return []string{"PWD=" + dir.Written}
}
