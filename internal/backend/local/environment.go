package local

import (
	"os"

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

// blockHome is the home directory a "~" in the attempt's :dir names: the
// HOME of the block's environment where the document's Emacs set one
// (engine.Attempt.Env), as Emacs expands "~" and as the Mesos executor
// takes it, else the server's.
func blockHome(a *engine.Attempt) string {
	if h, ok := a.Env["HOME"]; ok && h != "" {
		return h
	}
	home, _ := os.UserHomeDir()
	return home
}
