package plan

import (
	"path/filepath"
	"strings"
)

// WorkDir is where a block runs on a backend that resolves its :dir d on
// the host (the local one, the Mesos executor): sandbox when d is empty,
// d itself when absolute, home for "~" and beneath it for "~/..." (as
// Emacs's default-directory from :dir: ob-core expands "~"), else d
// beneath the sandbox. home is the HOME of the block's environment (the
// one the document's Emacs left), not necessarily the host's; with none
// known ("") "~" stays a name beneath the sandbox.
func WorkDir(sandbox, d, home string) string {
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
