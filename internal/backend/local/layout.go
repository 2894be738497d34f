package local

import (
	"errors"
	"os"
	"path/filepath"
)

// Where an attempt's files are. On the disk this was measured on, making
// an inode (a file, a directory) costs 0.2–0.65 ms of CPU, where the rest
// of a launch costs about as much again: a process attempt now makes as
// few as it can. It has one directory, its sandbox,
//
//	DATA/sandboxes/ID/
//
// and Borges' files of it lie beside every other attempt's, made only
// when there is something to write:
//
//	DATA/attempts/ID.stdout, DATA/attempts/ID.stderr  (at their first byte)
//	DATA/attempts/ID.script                           (not for sh: see scriptfd.go)
//
// Containers and session blocks keep the nested layout they had, one
// directory of Borges' with the sandbox in it,
//
//	DATA/attempts/ID/{script,stdout,stderr}, DATA/attempts/ID/sandbox/
//
// and attempts made by an older Borges have that layout too (or, older
// still, no sandbox directory: the attempt's directory was its sandbox).
// An attempt whose sandbox is in DATA/sandboxes is flat; any other is
// nested. What reads an attempt's files asks which (paths).

// sandboxesDir holds the flat attempts' sandboxes.
const sandboxesDir = "sandboxes"

// attemptPaths is where one attempt's files are.
type attemptPaths struct {
	// outRoot and stdout, stderr, script: the attempt's outputs and its
	// program, beneath outRoot (opened through no link, sandboxfs).
	outRoot, stdout, stderr, script string
	// sandboxRoot and sandbox: the sandbox is sandboxRoot/sandbox, and a
	// file of it is opened beneath sandboxRoot ("" when the attempt's
	// directory is itself the sandbox, as a very old Borges made it).
	sandboxRoot, sandbox string
}

// flatPaths is the flat layout of attempt id.
func (b *Backend) flatPaths(id string) attemptPaths {
	attempts := filepath.Join(b.cfg.DataDir, "attempts")
	return attemptPaths{outRoot: attempts, stdout: id + ".stdout", stderr: id + ".stderr", script: id + ".script",
		sandboxRoot: filepath.Join(b.cfg.DataDir, sandboxesDir), sandbox: id}
}

// nestedPaths is the nested layout of attempt id.
func (b *Backend) nestedPaths(id string) attemptPaths {
	dir := b.AttemptDir(id)
	p := attemptPaths{outRoot: dir, stdout: "stdout", stderr: "stderr", script: "script", sandboxRoot: dir, sandbox: sandboxName}
	if isDir(dir) && !isDir(filepath.Join(dir, sandboxName)) {
		p.sandbox = "" // a Borges of before the sandbox had its own directory
	}
	return p
}

// paths is where attempt id's files are, whichever layout it has.
func (b *Backend) paths(id string) attemptPaths {
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

// inSandbox is a file of the sandbox, as a root and a name beneath it.
func (p attemptPaths) inSandbox(name string) (root, rel string) {
	if p.sandbox == "" {
		return p.sandboxRoot, name
	}
	return p.sandboxRoot, p.sandbox + "/" + name
}

// makeSandbox makes a flat attempt's sandbox (made anew, as
// makeAttemptDirs does: what a previous run of the same attempt id left
// is kept).
func (b *Backend) makeSandbox(id string) error {
	dir := filepath.Join(b.cfg.DataDir, sandboxesDir, id)
	// One mkdir where MkdirAll looks at the path and its parent first:
	// the sandboxes' directory is made by New (and again should it go).
	err := os.Mkdir(dir, 0o700)
	if errors.Is(err, os.ErrNotExist) {
		err = os.MkdirAll(dir, 0o700)
	}
	if err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return nil
}
