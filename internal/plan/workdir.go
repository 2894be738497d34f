package plan

import (
	"os"
	"path/filepath"
	"strings"
)

// WorkDir is where a block runs on a backend that resolves its :dir d on
// the host (the local one, a session's interpreter on the Mesos
// executor): sandbox when d is empty, d itself when absolute, the home
// directory for "~" and beneath it for "~/..." (as Emacs's
// default-directory from :dir: ob-core expands "~"), else d beneath the
// sandbox. Without a home directory known, "~" stays a name beneath the
// sandbox.
func WorkDir(sandbox, d string) string {
	home, _ := os.UserHomeDir()
	return WorkDirHome(sandbox, d, home)
}

// WorkDirHome is WorkDir with home as the home directory ("" for none
// known): where "~" is the block's environment's HOME, not the host's
// (the Mesos executor's, whose block's environment is the task's).
func WorkDirHome(sandbox, d, home string) string {
	if d == "" {
		return sandbox
	}
	if home != "" && (d == "~" || strings.HasPrefix(d, "~/")) {
		d = filepath.Join(home, strings.TrimPrefix(d, "~"))
	}
	if filepath.IsAbs(d) {
		return d
	}
	return filepath.Join(sandbox, d)
}
