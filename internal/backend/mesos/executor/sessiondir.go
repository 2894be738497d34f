package executor

import (
	"os"
	"path/filepath"
	"strings"
)

// sessionWorkDir is where a session's interpreter starts: its first
// block's :dir d (SessionWorkDirLabel), made if missing, else that
// block's sandbox; as the local backend's sessionWorkDir.
func sessionWorkDir(sandbox, d string) (string, error) {
	if d == "" {
		return sandbox, nil
	}
	if d == "~" || strings.HasPrefix(d, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			d = filepath.Join(home, strings.TrimPrefix(d, "~"))
		}
	}
	if !filepath.IsAbs(d) {
		d = filepath.Join(sandbox, d)
	}
	return d, os.MkdirAll(d, 0o700)
}
