package local

import (
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/taskenv"
)

// withoutUnset is env less the variables the document's Emacs removed
// before the attempt (engine.Attempt.Unset): the server's PATH, HOME…
// Borges builds a local process's environment, so a name no shell can
// hold (A-B) goes too.
func withoutUnset(env []string, a *engine.Attempt) []string {
	return taskenv.Without(env, a.Unset)
}

// blockHome is the home directory a "~" in the attempt's :dir names:
// taskenv.Home of the environment its process is given (the HOME the
// document's Emacs left, else the server's, none where the document's
// Emacs removed it), the one rule the Mesos executor keeps too.
func blockHome(a *engine.Attempt) (string, error) {
	return taskenv.Home(withoutUnset(baseEnv(a.Env, ""), a))
}
