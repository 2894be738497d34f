package executor

import (
	"os"

	"github.com/wallyqs/borges/internal/plan"
)

// sessionWorkDir is where a session's interpreter starts: its first
// block's :dir d (SessionWorkDirLabel), made if missing, else that
// block's sandbox; resolved as the local backend resolves it
// (plan.WorkDir).
func sessionWorkDir(sandbox, d string) (string, error) {
	if d == "" {
		return sandbox, nil
	}
	w := plan.WorkDir(sandbox, d)
	return w, os.MkdirAll(w, 0o700)
}
