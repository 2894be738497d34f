package taskenv

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// Home is the home directory a "~" in a block's :dir names, for a
// program whose environment is env (as the process is given it: of a
// name given twice, the last), as Emacs's expand-file-name takes it
// (get_homedir) in the Emacs running the block: HOME where it is set;
// where it is not (the document's Emacs removed it), the home in the
// password database of LOGNAME, else USER, else of the process's own
// uid (the server's or the Mesos executor's: a block runs as it). One
// rule for the local backend and the Mesos executor.
//
// An empty or relative HOME is refused rather than guessed: Emacs takes
// it relative to the directory it started in, which a block run by
// Borges does not have, and neither the sandbox (a directory named "~"
// in it) nor the file system's root is what the block's author meant.
// No home at all (no HOME, none in the password database) is refused
// too. A password entry whose home is empty or relative is passed over
// for the next name (Emacs would take it relative to its start
// directory; no real home looks like that).
func Home(env []string) (string, error) {
	if h, ok := lookup(env, "HOME"); ok {
		switch {
		case h == "":
			return "", errors.New("HOME is empty in the block's environment, so ~ names no directory (Emacs would take the directory it started in): set HOME, or write the :dir without ~")
		case !filepath.IsAbs(h):
			return "", fmt.Errorf("HOME %q in the block's environment is not an absolute path, so ~ names no directory (Emacs would take it relative to the directory it started in): set HOME to an absolute path, or write the :dir without ~", h)
		}
		return h, nil
	}
	for _, name := range []string{"LOGNAME", "USER"} {
		if n, ok := lookup(env, name); ok && n != "" {
			if u, err := user.Lookup(n); err == nil && filepath.IsAbs(u.HomeDir) {
				return u.HomeDir, nil
			}
		}
	}
	uid := strconv.Itoa(os.Getuid())
	if u, err := user.LookupId(uid); err == nil && filepath.IsAbs(u.HomeDir) {
		return u.HomeDir, nil
	}
	return "", fmt.Errorf("the block's environment has no HOME and the password database no home for uid %s, so ~ names no directory: set HOME, or write the :dir without ~", uid)
}

// lookup is the value of name in env, the last given, as a process sees
// it.
func lookup(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v, true
		}
	}
	return "", false
}
