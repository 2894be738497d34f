package engine

import (
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
	"github.com/wallyqs/borges/internal/taskenv"
)

// This file gives a block the environment the document's Emacs left
// before it (plan's elisp_env.go): the task of that Emacs that its
// Task.EnvironmentOf names reported how its process-environment differs
// from the one it started with (session.EnvironmentFile, kept with its
// output, so a restarted server or block reads it again). The block
// waits for that task to end, finished or not: an Emacs Lisp block that
// failed left the environment as it was when it signalled, and the
// blocks after it that run (they do not depend on it) see that.

// environmentOf names the task of the document's Emacs whose environment
// b gets (plan.Task.EnvironmentOf), and whose report of the buffer b is
// decided from (edits.go): for a block run for a reader's reference
// (runFor), the reader's, as Emacs runs it there, before the tasks of
// that Emacs between the reader and it, which may wait for the reader.
// A reader itself run for another reader's reference runs there: the
// whole runFor chain is followed (runsAt).
func (b *blockState) environmentOf() string {
	return b.runsAt().task.EnvironmentOf
}

// runsAt is the block at whose place b runs: b, or for a block run for a
// reader's reference (runFor) the reader, or the one that reader runs
// for, in turn, up to a block run in its own place (bounded by the
// document's blocks, so a cycle ends).
func (b *blockState) runsAt() *blockState {
	for n := 0; b.runFor != nil && b.runFor.task != nil && n <= len(b.doc.blocks); n++ {
		b = b.runFor
	}
	return b
}

// inEmacs reports whether b runs in the document's Emacs, which has the
// environment already.
func inEmacs(b *blockState) bool {
	s := b.task.Session
	return s != nil && s.Kind == string(session.Emacs)
}

// emacsEnvironment puts in env the variables the document's Emacs set
// before b, and returns those it removed, its shell-file-name (or the
// error running it signals: session.Environment's Shell and ShellError)
// and the name of the block whose report that is: what the task b's
// EnvironmentOf names reported or, when it reported none (it did not run
// in that Emacs: not needed, cached, failed before it was sent, lost),
// what the one before it there did. The block's own :env, then Borges'
// own variables, go over it. The caller holds e.mu.
func (e *Engine) emacsEnvironment(b *blockState, env map[string]string) (unset []string, shell session.Environment, from string, err error) {
	if inEmacs(b) {
		return nil, session.Environment{}, "", nil
	}
	ds := b.doc
	name := b.environmentOf()
	for n := 0; name != "" && n <= len(ds.blocks); n++ {
		dep := ds.byName[name]
		if dep == nil || dep.task == nil || len(dep.instances) == 0 {
			return nil, session.Environment{}, "", nil
		}
		if attempt := dep.instances[0].rec.AttemptID; attempt != "" {
			report, ok, err := session.ParseEnvironment([]byte(e.readAll(attempt, session.EnvironmentFile)))
			if err != nil {
				return nil, session.Environment{}, "", err
			}
			if ok {
				for k, v := range report.Set {
					env[k] = v
				}
				return report.Unset, session.Environment{Shell: report.Shell, ShellError: report.ShellError}, dep.name, nil
			}
		}
		name = dep.task.EnvironmentOf
	}
	return nil, session.Environment{}, "", nil
}

// withoutGiven is unset less the variables Borges gives the block
// whatever the document's Emacs removed: those its :env sets, its ports
// (taskenv.Ports) and, for a block of a session, the terminal the
// session's interpreter is given (session.Env).
func withoutGiven(unset []string, t *plan.Task) []string {
	var terminal []string
	if t.Session != nil {
		for _, kv := range session.Env() {
			name, _, _ := strings.Cut(kv, "=")
			terminal = append(terminal, name)
		}
	}
	return slices.DeleteFunc(unset, func(name string) bool {
		_, own := t.Env[name]
		return own || taskenv.IsPort(name, t.Resources.Ports) || slices.Contains(terminal, name)
	})
}
