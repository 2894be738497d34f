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

// of is the environment task's process starts with: the test's, with the
// environment its EnvironmentOf left; a task of the document's Emacs gets
// none (it runs in that Emacs).
func (e *emacsEnvs) of(task *Task) []string {
	env := os.Environ()
	if task.Session != nil && task.Session.Kind == string(session.Emacs) {
		return env
	}
	for name, n := task.EnvironmentOf, 0; name != "" && n <= len(e.tasks); n++ {
		if r := e.reported[name]; r != nil {
			return r.Apply(env)
		}
		t := e.tasks[name]
		if t == nil {
			break
		}
		name = t.EnvironmentOf
	}
	return env
}
