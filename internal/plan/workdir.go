package plan

import (
	"errors"
	"fmt"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/wallyqs/borges/internal/org"
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
// directory in the sandbox or the file system's root. "~NAME" and
// "~NAME/..." are that user's home in the password database where the
// block runs, as Emacs's expand-file-name takes them (getpwnam); for no
// such user (or a name no user can have, org.UserLink's) the name stays
// beneath the sandbox, as Emacs leaves it relative.
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
	} else if name, _, ok := org.UserLink(d); ok {
		h, found, err := userHome(name)
		switch {
		case err != nil:
			return "", fmt.Errorf("the home of user %q for ~%s: %w", name, name, err)
		case found && !filepath.IsAbs(h):
			return "", fmt.Errorf("the home of user %q for ~%s, %q, is not an absolute path", name, name, h)
		case found:
			d = filepath.Join(h, strings.TrimPrefix(d, "~"+name))
		}
	}
	if filepath.IsAbs(d) {
		return d, nil
	}
	return filepath.Join(sandbox, d), nil
}

// userHome is the home of the user name in the password database where
// the block runs, found false for no such user.
var userHome = func(name string) (home string, found bool, err error) {
	u, err := user.Lookup(name)
	var unknown user.UnknownUserError
	switch {
	case errors.As(err, &unknown):
		return "", false, nil
	case err != nil:
		return "", false, err
	}
	return u.HomeDir, true, nil
}
