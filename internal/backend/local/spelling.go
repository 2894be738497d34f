package local

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// The data directory may be named otherwise at each start of the server:
// relative, through a link, with slashes doubled or trailing, with a ".."
// after a link. New resolves it (canonicalDataDir), so that the paths
// this run hands its wrappers are spelled one way; but a wrapper of a
// server before carries the paths that server spelled, in
// BORGES_EXIT_FILE (its attempt) and BORGES_EXIT_LOG (the log it writes
// its status to). Compared as strings with this run's, they named no
// attempt of its and no log in use: the wrapper was not re-attached to,
// and its log deleted under it, its status lost. A restarted server so
// reads them by what they name (dataSpelling): the directory of the path,
// by its device and inode, and the name beneath it, as the wrapper itself
// reads its attempt's id (logExit). A process that sets its environment
// so gains nothing by it it did not have spelling this run's paths: the
// guards of the launch (launches.before, launches.notWrapper) apply to
// what the path names.

// canonicalDataDir makes the data directory at path if it is not there
// and resolves it as the kernel does: absolute, no link, no "." or "..",
// no slash doubled or trailing. Absolute: the keeper of the outputs
// (keeper.go), the wrappers and the processes they start are handed its
// paths, and do not run in the server's working directory, which may
// change besides. Resolved before any lexical cleaning: "link/.." is the
// parent of where the link leads, not the directory the link is in.
func canonicalDataDir(path string) (string, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return "", err
	}
	if !filepath.IsAbs(path) {
		// The kernel's working directory (os.Getwd may answer $PWD,
		// which may be spelled through a link), joined uncleaned.
		wd, err := unix.Getwd()
		if err != nil {
			return "", err
		}
		path = wd + "/" + path
	}
	return filepath.EvalSymlinks(path)
}

// dataSpelling is this run's spelling of the directories a wrapper's
// environment names: DATA/attempts and DATA/exits, each with its device
// and inode.
type dataSpelling struct {
	attempts    string
	attemptsKey fileKey
	exits       *logDir
	exitsKey    fileKey
}

// spelling is this run's dataSpelling (nil, the paths compared as
// spelled, where a directory cannot be examined).
func (b *Backend) spelling() *dataSpelling {
	s := &dataSpelling{attempts: filepath.Join(b.cfg.DataDir, "attempts"), exits: b.exits}
	var st unix.Stat_t
	if err := unix.Stat(s.attempts, &st); err != nil {
		b.log.Warn("the attempts' directory cannot be examined: a wrapper launched with the data directory named otherwise is not found", "dir", s.attempts, "err", err)
		return nil
	}
	s.attemptsKey = fileKey{uint64(st.Dev), st.Ino}
	dev, ino, err := b.exits.dir.Identity()
	if err != nil {
		b.log.Warn("the exit logs' directory cannot be examined: a wrapper launched with the data directory named otherwise is not found", "dir", b.exits.path, "err", err)
		return nil
	}
	s.exitsKey = fileKey{dev, ino}
	return s
}

// exitFile is the exit file v names in this run's spelling, where v is
// DIR/ID/exit and DIR the directory of the attempts (ID a name, as the
// wrapper reads it: the last but one part of v); else v as it is.
func (s *dataSpelling) exitFile(v string) string {
	rest, ok := strings.CutSuffix(v, "/exit")
	if !ok || s == nil {
		return v
	}
	dir, id, ok := splitLast(rest)
	if !ok || !s.same(dir, s.attempts, s.attemptsKey) {
		return v
	}
	return filepath.Join(s.attempts, id, "exit")
}

// exitLog is the exit log v names in this run's spelling, where v is
// DIR/NAME and DIR the directory of the exit logs; else v as it is
// (which no log of the directory is: logDir.openPath).
func (s *dataSpelling) exitLog(v string) string {
	if s == nil || v == "" {
		return v
	}
	dir, name, ok := splitLast(v)
	if !ok || !s.same(dir, s.exits.path, s.exitsKey) {
		return v
	}
	return s.exits.pathOf(name)
}

// same says whether dir, a path a process carries, is the directory
// spelled ours with identity key. A relative one is none: no server
// hands one, and it would be read from this server's working directory.
func (s *dataSpelling) same(dir, ours string, key fileKey) bool {
	if dir == ours {
		return true
	}
	if !filepath.IsAbs(dir) {
		return false
	}
	var st unix.Stat_t
	if err := unix.Stat(dir, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return false
	}
	return fileKey{uint64(st.Dev), st.Ino} == key
}

// splitLast cuts path at its last slash into a directory ("/" for the
// root) and a name, one that is not "", "." or "..": as a shell's
// ${v%/*} and ${v##*/} read it, with no lexical cleaning (which a link
// before a ".." would make wrong).
func splitLast(path string) (dir, name string, ok bool) {
	i := strings.LastIndexByte(path, '/')
	if i < 0 {
		return "", "", false
	}
	dir, name = path[:i], path[i+1:]
	if dir == "" {
		dir = "/"
	}
	return dir, name, name != "" && name != "." && name != ".."
}
