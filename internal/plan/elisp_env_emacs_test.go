package plan

import (
	"os"

	"github.com/wallyqs/borges/internal/session"
)

// emacsEnvs are, for runBorges, the environments the tasks of the
// document's Emacs reported, by task: a task's process gets the one its
// EnvironmentOf names, as the engine gives it (the one before it when a
// task reported none).
type emacsEnvs struct {
	reported map[string]*session.Environment
	tasks    map[string]*Task
}

func newEmacsEnvs(p *Plan) *emacsEnvs {
	e := &emacsEnvs{reported: map[string]*session.Environment{}, tasks: map[string]*Task{}}
	for _, t := range p.Tasks {
		e.tasks[t.Block] = t
	}
	return e
}

// of is the environment task's process starts with: the test's and base
// (the fixture's, where its Emacs started), with the environment its
// EnvironmentOf left over them, as the engine gives it over the
// backend's; a task of the document's Emacs gets none (it runs in that
// Emacs).
func (e *emacsEnvs) of(task *Task, base []string) []string {
	env := append(os.Environ(), base...)
	if r := e.report(task); r != nil {
		if r.Shell == "" && r.ShellError == "" && task.KeepsOwnShell() {
			return r.KeepingShell().Apply(env)
		}
		return r.Apply(env)
	}
	return env
}

// shell is task as the engine runs it with the shell-file-name of the
// document's Emacs its EnvironmentOf left (Task.WithShellFileName).
func (e *emacsEnvs) shell(task *Task) *Task {
	if r := e.report(task); r != nil {
		return task.WithShellFileName(r.Shell)
	}
	return task
}

// shellFileNameStop is the stop the engine makes running task after an
// Emacs Lisp block that left its shell-file-name no program
// (Task.ShellFileNameStop).
func (e *emacsEnvs) shellFileNameStop(task *Task) error {
	if r := e.report(task); r != nil {
		return task.ShellFileNameStop(r.ShellError, task.EnvironmentOf)
	}
	return nil
}

// report is the environment task's EnvironmentOf reported, or the one
// before it, as the engine finds it; nil for none, or for a task of the
// document's Emacs.
func (e *emacsEnvs) report(task *Task) *session.Environment {
	if task.Session != nil && task.Session.Kind == string(session.Emacs) {
		return nil
	}
	for name, n := task.EnvironmentOf, 0; name != "" && n <= len(e.tasks); n++ {
		if r := e.reported[name]; r != nil {
			return r
		}
		t := e.tasks[name]
		if t == nil {
			break
		}
		name = t.EnvironmentOf
	}
	return nil
}
