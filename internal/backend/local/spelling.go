package local

import (
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// The data directory may be named otherwise at each start of the server:
// relative, through a link, with slashes doubled or trailing, with a ".."
// after a link. New resolves it (datadir.Make), so that the paths
// this run hands its wrappers are spelled one way; but a wrapper of a
// server before carries the paths that server spelled, in
// BORGES_EXIT_FILE (its attempt) and BORGES_EXIT_LOG (the log it writes
// its status to): through a link, where that server was configured so
// (or its working directory, for a relative DATA, was named so). A
// server before datadir.Make cleaned DATA lexically (filepath.Abs):
// no wrapper of one carries slashes doubled or trailing, or a "..";
// only a process that rewrote its environment does. Compared as strings with this run's, they named no
// attempt of its and no log in use: the wrapper was not re-attached to,
// and its log deleted under it, its status lost. A restarted server so
// reads them by what they name (dataSpelling): the directory of the path,
// by its device and inode, and the name beneath it, as the wrapper itself
// reads its attempt's id (logExit). A process that sets its environment
// so gains nothing by it it did not have spelling this run's paths: the
// guards of the launch (launches.before, launches.notWrapper) apply to
// what the path names.

// dataSpelling is this run's spelling of the directories a wrapper's
// environment names: DATA/attempts and DATA/exits, each with its device
// and inode.
//
// What a process carries may name anything, a directory on a mount that
// hangs among them, and every process of the user is looked at (other
// servers' wrappers too), at each pass of Recover's settling: a path is
// examined only where it may be ours, and never without a bound. An exit
// file, only if its id is one of the attempts recovered (ids); an exit
// log, only if its name is a log in DATA/exits (fstatat on the handle
// held, no path walked). The log is then known by the descriptor the
// wrapper appends to it through (fd 8, logExit): the file /proc/PID/fd/8
// leads to, with no lookup of a path, is the log or not; and a wrapper
// holding one of our logs so is of a server with this DATA, whatever it
// called it: its exit file is this run's of the id it names. So a wrapper
// is re-attached to and its log kept even where the path its server
// spelled no longer resolves (a link removed before the restart). Only
// an older wrapper, which writes its exit file by path, is known by
// stat of the directory it names: in a goroutine, waited for statBound
// at most, after which nothing more is examined by path in this Recover
// (logged). Such a wrapper whose path no longer resolves is not found:
// it is reported lost, its exit file cannot be read.
type dataSpelling struct {
	attempts    string
	attemptsKey fileKey
	exits       *logDir
	exitsKey    fileKey
	ids         map[string]bool // the attempts recovered
	dirs        map[string]bool // the directories examined: whether each is the one sought
	stalled     bool            // a stat outlived statBound: no path is examined more
	log         *slog.Logger
}

// statPath stats a path, links followed (a variable: tests see which
// paths are examined, and make one hang).
var statPath = func(path string, st *unix.Stat_t) error { return unix.Stat(path, st) }

// statBound is how long a stat of a path a process carries is waited for.
var statBound = 5 * time.Second

// spelling is this run's dataSpelling for recovering the attempts of ids
// (nil, the paths compared as spelled, where a directory cannot be
// examined).
func (b *Backend) spelling(ids map[string]bool) *dataSpelling {
	s := &dataSpelling{attempts: filepath.Join(b.cfg.DataDir, "attempts"), exits: b.exits, ids: ids, dirs: map[string]bool{}, log: b.log}
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
// DIR/ID/exit, ID one of the attempts recovered and DIR the directory of
// the attempts (ID a name, as the wrapper reads it: the last but one part
// of v); else v as it is. ours says the process appends to one of the
// exit logs of DATA (exitLog): DIR is then not examined.
func (s *dataSpelling) exitFile(v string, ours bool) string {
	rest, ok := strings.CutSuffix(v, "/exit")
	if !ok || s == nil {
		return v
	}
	dir, id, ok := splitLast(rest)
	if !ok || dir == s.attempts || !s.ids[id] || !filepath.IsAbs(dir) {
		// A relative path is none: no server hands one, and it
		// would be read from this server's working directory.
		return v
	}
	if !ours && !s.same(dir, s.attemptsKey) {
		return v
	}
	return filepath.Join(s.attempts, id, "exit")
}

// exitLog is the exit log v names in this run's spelling, where v is
// DIR/NAME, NAME a log of DATA/exits and DIR that directory; else v as it
// is (which no log of the directory is: logDir.openPath). ours says the
// process pid appends to that log through its descriptor 8.
func (s *dataSpelling) exitLog(v string, pid int) (log string, ours bool) {
	if s == nil || v == "" {
		return v, false
	}
	dir, name, ok := splitLast(v)
	if !ok {
		return v, false
	}
	dev, ino, err := s.exits.dir.IdentityOf(name)
	if err != nil {
		return v, false
	}
	if st, ok := s.stat("/proc/" + strconv.Itoa(pid) + "/fd/8"); ok && (fileKey{uint64(st.Dev), st.Ino} == fileKey{dev, ino}) {
		return s.exits.pathOf(name), true
	}
	if dir == s.exits.path {
		return v, false
	}
	if !filepath.IsAbs(dir) || !s.same(dir, s.exitsKey) {
		return v, false
	}
	return s.exits.pathOf(name), false
}

// same says whether dir, a path a process carries, is the directory with
// identity key (examined once per Recover).
func (s *dataSpelling) same(dir string, key fileKey) bool {
	if is, ok := s.dirs[dir]; ok {
		return is
	}
	st, ok := s.stat(dir)
	is := ok && st.Mode&unix.S_IFMT == unix.S_IFDIR && (fileKey{uint64(st.Dev), st.Ino} == key)
	if !s.stalled {
		s.dirs[dir] = is
	}
	return is
}

// stat stats path, waiting statBound at most: a stat that outlives it is
// left to end on its own (its thread blocked meanwhile), and none is made
// after in this Recover.
func (s *dataSpelling) stat(path string) (unix.Stat_t, bool) {
	if s.stalled {
		return unix.Stat_t{}, false
	}
	type result struct {
		st  unix.Stat_t
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		r.err = statPath(path, &r.st)
		done <- r
	}()
	t := time.NewTimer(statBound)
	defer t.Stop()
	select {
	case r := <-done:
		return r.st, r.err == nil
	case <-t.C:
		s.stalled = true
		s.log.Warn("a path a process carries could not be examined in time (a mount that does not answer?): it is left, and no other is examined by path in this recovery; a wrapper launched with the data directory named otherwise may not be found, and its attempt be reported lost",
			"path", path, "waited", statBound)
		return unix.Stat_t{}, false
	}
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
