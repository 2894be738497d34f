package plan

import (
	"fmt"
	"path/filepath"
	"strings"
)

// WorkDir is where a block runs on a backend that resolves its :dir d on
// the host (the local one, the Mesos executor): sandbox when d is empty,
// d itself when absolute, the home directory for "~" and beneath it for
// "~/..." (as Emacs's default-directory from :dir: ob-core expands "~"),
// else d beneath the sandbox. home gives the home of the block's
// environment (the one the document's Emacs left, taskenv.Home), not
// necessarily the host's; it is asked only for a d that names it, so a
// block with no "~" runs whatever its HOME. Its error, or a home that is
// not an absolute path, is WorkDir's: "~" never silently names a
// directory in the sandbox or the file system's root.
func WorkDir(sandbox, d string, home func() (string, error)) (string, error) {
	if d == "" {
		return sandbox, nil
	}
	if d == "~" || strings.HasPrefix(d, "~/") {
		h, err := home()
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(h) {
			return "", fmt.Errorf("home directory %q for ~ is not an absolute path", h)
		}
		d = filepath.Join(h, strings.TrimPrefix(d, "~"))
	}
	if filepath.IsAbs(d) {
		return d, nil
	}
	return filepath.Join(sandbox, d), nil
}
