package engine

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// This file builds the attempt the scheduling pass hands a backend: its
// id, which a restarted server finds it by, and its program with the
// values of its references bound and its environment.

// AttemptID names one attempt: "<doc>.<index>-<name>.<instance>.<n>". The
// block's place in the document makes it unique (names that differ only in
// characters safeName replaces, a.b and a_b, would otherwise share an
// attempt: its directory, process, container and Mesos task); the name,
// made safe and cut short (a hash of the whole name in place of its end),
// is there for people reading it, and keeps apart blocks whose names share
// their start, whose keys may move (found blocks found again). It is stored
// with the instance, so a restarted server finds its attempts by it.
func AttemptID(doc string, index int, block string, instance, n int) string {
	name := safeName(block)
	if len(name) > maxIDName {
		// Cut, the name would no longer tell apart blocks that share
		// its start, and index does not either: a found block's key
		// moves when blocks are found again, so one block could take
		// another's finished attempt id (its files and logs). A hash
		// of the whole name keeps it the block's.
		sum := fnv.New32a()
		sum.Write([]byte(block))
		name = fmt.Sprintf("%s-%08x", name[:maxIDName-9], sum.Sum32())
	}
	return fmt.Sprintf("%s.%d-%s.%d.%d", doc, index, name, instance, n)
}

// legacyAttemptID is the id AttemptID gave before it hashed a name it
// cuts: the name cut at maxIDName. Attempts stored by such a server
// still have their files under it. "" when the name is not cut (the id
// is the same).
func legacyAttemptID(doc string, index int, block string, instance, n int) string {
	name := safeName(block)
	if len(name) <= maxIDName {
		return ""
	}
	return fmt.Sprintf("%s.%d-%s.%d.%d", doc, index, name[:maxIDName], instance, n)
}

// maxIDName bounds the block name in an attempt id, which is also a
// directory name and part of a container name.
const maxIDName = 40

// safeName keeps a block name usable in file names and Mesos task ids.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// attempt builds an Attempt for an instance: the program with the results
// of its dependencies bound, its environment the one the document's Emacs
// left before it (environment.go) under its own.
func (e *Engine) attempt(in *instState, id string) (*Attempt, error) {
	b := in.block
	ds := b.doc
	refs := e.refsOf(b)
	doc, err := e.parsed(ds)
	if err != nil {
		return nil, err
	}
	runs := ds.takeOverBuffer(b)
	inserted, err := e.bufferResults(b, runs, doc)
	if err != nil {
		return nil, err
	}
	// The environment the document's Emacs left, and its
	// shell-file-name (or the error running it signals), which the
	// program names (plan.Task.WithShellFileName).
	env := map[string]string{}
	unset, emacs, from, envErr := e.emacsEnvironment(b, env)
	shell := emacs.Shell
	if _, own := b.task.Env["SHELL"]; own {
		shell = "" // the block's :env "SHELL=…" chooses its shell
	}
	if shell == "" && emacs.ShellError == "" && b.task.KeepsOwnShell() {
		// The Emacs's shell-file-name is the one it started with: the
		// block runs its own environment's shell, and is given the
		// SHELL the Emacs left once that is chosen.
		kept := session.Environment{Set: env, Unset: unset}.KeepingShell()
		env, unset = kept.Set, kept.Unset
	}
	script, err := plan.RenderIn(doc, runs.WithShellFileName(shell), refs, inserted)
	if err == nil {
		// Emacs signals this as the block runs, before any results,
		// and stops the document there, as for a reference error.
		err = b.task.ShellFileNameStop(emacs.ShellError, from)
	}
	if b.refErr != "" {
		ds.failStopTouched(b) // its stop gone, or another
	}
	b.refErr, b.shellStop, b.cmdlineStop, b.bindStop = "", false, false, false
	if refErr := (*plan.ReferenceError)(nil); errors.As(err, &refErr) {
		b.refErr = refErr.Emacs
		b.shellStop = refErr.Arg == plan.ShellFileNameArg
		b.cmdlineStop = refErr.Arg == plan.CmdlineArg
		b.bindStop = refErr.Binding
		ds.failStopTouched(b) // looked for again
	}
	// Kept across a server restart.
	in.rec.RefErr, in.rec.RefErrShell, in.rec.RefErrCmdline, in.rec.RefErrBinding = b.refErr, b.shellStop, b.cmdlineStop, b.bindStop
	if in.rec.ResultStop != "" || in.rec.ResultStopUnread {
		ds.failStopTouched(b) // found again when this attempt ends
	}
	clearEndRead(&in.rec) // of the attempt before
	if err != nil {
		return nil, err
	}
	if envErr != nil {
		return nil, envErr
	}
	for k, v := range b.task.Env {
		env[k] = v
	}
	env["BORGES_DOCUMENT"] = ds.id
	env["BORGES_BLOCK"] = b.name
	env["BORGES_INSTANCE"] = fmt.Sprint(in.rec.Instance)
	env["BORGES_ATTEMPT"] = id
	files, err := e.stagedFiles(in)
	if err != nil {
		return nil, err
	}
	a := &Attempt{ID: id, DocID: ds.id, Block: b.name, Instance: in.rec.Instance, Number: in.rec.Attempts,
		Task: b.task.WithShellFileName(shell), Script: script, Env: env, Unset: withoutGiven(unset, b.task), Files: files}
	if b.task.Session != nil {
		a.Session = ds.sessionID(b.task.Session.Key)
	}
	return a, nil
}
