package local

import (
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/session"
)

// withoutUnset is env less the variables the document's Emacs removed
// before the attempt (engine.Attempt.Unset): the server's PATH, HOME…
func withoutUnset(env []string, a *engine.Attempt) []string {
	if len(a.Unset) == 0 {
		return env
	}
	return session.Environment{Unset: a.Unset}.Apply(env)
}
