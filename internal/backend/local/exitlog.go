package local

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// A process attempt's exit status is kept where a restarted server finds
// it: its wrapper appends a line, "<status> <attempt id>", to the exit log
// of the server that launched it, DATA/exits/<start>-<pid>, one a run of
// the server, before it exits with that status (through the descriptor
// the server opened it with and handed the wrapper: logExit). On the disk this was
// measured on, creating a file costs 0.4–1.2 ms of CPU and appending a
// line 2 µs: an exit file per attempt was about a fifth of the CPU time
// of an attempt's processes (1,000 trivial blocks: 2.4–2.9 s, now
// 1.7–2.2 s). A server that lives reads the
// status from its child's wait; the log is read for the attempts a start
// recovers, and for those it re-attached to. A log is deleted at a start
// that finds none of the attempts it recovers in it and no live process
// writing to it (every attempt it holds ended and was stored).
//
// Attempts of a Borges from before the exit logs have an exit file in
// their directory, DATA/attempts/ID/exit, which is read first, as it was.

// exitsDir is the directory of the exit logs.
func exitsDir(dataDir string) string { return filepath.Join(dataDir, "exits") }

// newExitLog creates this run's exit log in the directory of the exit
// logs, open for appending (named by its path): the wrappers are given
// the descriptor (logExit), and the path to name it to a restarted server.
func newExitLog(dir *logDir) (*os.File, error) {
	return dir.create(fmt.Sprintf("%d-%d", time.Now().UnixNano(), os.Getpid()))
}

// scanExitLines calls found with each attempt id and status of a log, in
// the order written, and says how many lines were too long and skipped
// (scanLines). A line that is not one (a program may write there) is
// skipped.
func scanExitLines(r io.Reader, found func(id string, code int)) (long int, err error) {
	return scanLines(r, exitLineMax, true, func(line []byte) {
		code, id, ok := bytes.Cut(line, []byte{' '})
		if !ok || len(id) == 0 {
			return
		}
		n, err := strconv.Atoi(string(code))
		if err != nil {
			return
		}
		found(string(id), n)
	})
}

// exitLineMax bounds an exit log's line.
const exitLineMax = 1 << 16

// readExitLog reads an exit log open at f (scanExitLines), warning of
// the lines skipped.
func (b *Backend) readExitLog(f *os.File, found func(id string, code int)) error {
	long, err := scanExitLines(f, found)
	if long > 0 {
		b.log.Warn("skipped lines too long for an exit log", "log", f.Name(), "lines", long)
	}
	return err
}

// fileID is a file's device and inode: what tells it from another file
// put at its name. The zero fileID is none known.
type fileID struct{ dev, ino uint64 }

// identity is the fileID of the file open at f.
func identity(f *os.File) (fileID, bool) {
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return fileID{}, false
	}
	return fileID{uint64(st.Dev), st.Ino}, true
}

// openExitLog opens the exit log at path, in the directory of the exit
// logs, if it is the file want (the zero fileID: whatever is there, for
// a wrapper of an older Borges, which appends by its path). A wrapper is
// given its log as a descriptor (logExit): a file a task put at its name
// since (renamed over it) is not its log, and a status there is not its.
func (b *Backend) openExitLog(path string, want fileID) (*os.File, error) {
	f, err := b.exits.openPath(path)
	if err != nil || want == (fileID{}) {
		return f, err
	}
	if got, ok := identity(f); !ok || got != want {
		f.Close()
		return nil, fmt.Errorf("%s: not the exit log its wrapper was given (another file put at its name)", path)
	}
	return f, nil
}

// recentExit is an attempt's status among the last lines of the log at
// path, the file want (openExitLog): that of a wrapper that ended just
// now (killed once it had written it).
func (b *Backend) recentExit(path string, want fileID, id string) (code int, ok bool) {
	f, err := b.openExitLog(path, want)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	const tail = 64 << 10
	var off int64
	if st, err := f.Stat(); err == nil && st.Size() > tail {
		off = st.Size() - tail
	}
	buf := make([]byte, tail)
	n, _ := f.ReadAt(buf, off)
	for _, line := range bytes.Split(buf[:n], []byte{'\n'}) {
		c, got, found := bytes.Cut(line, []byte{' '})
		if !found || string(got) != id {
			continue
		}
		if v, err := strconv.Atoi(string(c)); err == nil {
			code, ok = v, true
		}
	}
	return code, ok
}

// exitStatus is how an attempt ended, from what its wrapper wrote: the
// exit file of an older Borges' attempt, else the log it was given, the
// file want (none: every log).
func (b *Backend) exitStatus(id, log string, want fileID) (int, bool) {
	if code, ok := b.readExit(id); ok {
		return code, true
	}
	if log != "" {
		return b.exitIn(log, want, id)
	}
	logs, _ := b.exits.names()
	for i := len(logs) - 1; i >= 0; i-- {
		if code, ok := b.exitIn(b.exits.pathOf(logs[i]), fileID{}, id); ok {
			return code, true
		}
	}
	return 0, false
}

// recoverExits reads every exit log for the statuses of the attempts
// wanted, and says which logs hold none of them (unneededLogs): Recover
// deletes those no live process writes to once it has found every
// wrapper it can (a wrapper appends to its log through a descriptor, and
// a log deleted under it would lose its status). An attempt whose
// wrapper's line recorded the identity of the exit log it was given
// (named: recoverWrappers) has its status read from that file only: a
// file a task put at the log's name while no server ran (renamed over
// it) is not its log, and a status there is not its.
func (b *Backend) recoverExits(wanted map[string]bool, named map[string]wrapperID) (map[string]int, []string) {
	out := map[string]int{}
	unneeded := b.unneededLogs(b.exits, b.exitLog, func(name string) (bool, error) {
		f, err := b.exits.open(name)
		if err != nil {
			return false, err
		}
		defer f.Close()
		got, _ := identity(f)
		needed := false
		err = b.readExitLog(f, func(id string, code int) {
			if !wanted[id] {
				return
			}
			if want := named[id].exit; want != (fileID{}) && want != got {
				return
			}
			out[id] = code
			needed = true
		})
		return needed, err
	})
	return out, unneeded
}

// unneededLogs reads each log of a run in dir (scan says whether something
// needs it) and names those nothing needs: not own (this run's), none
// that could not be read, none whose name starts with a dot.
func (b *Backend) unneededLogs(dir *logDir, own string, scan func(name string) (needed bool, err error)) []string {
	logs, err := dir.names()
	if err != nil {
		b.log.Warn("listing the logs", "dir", dir.path, "err", err)
	}
	var out []string
	for _, name := range logs {
		needed, err := scan(name)
		if err != nil || needed || dir.pathOf(name) == own || strings.HasPrefix(name, ".") {
			continue
		}
		out = append(out, name)
	}
	return out
}

// removeLogs deletes the logs named in dir, but those a live process
// writes to (inUse, by path in this run's spelling: dataSpelling). All is done in the directory opened at the
// start (logdir.go): a link at its path is not followed.
func (b *Backend) removeLogs(dir *logDir, names []string, inUse map[string]bool, what string) {
	for _, name := range names {
		path := dir.pathOf(name)
		if inUse[path] {
			continue
		}
		if err := dir.remove(name); err != nil {
			b.log.Warn("removing "+what+" nothing needs", "log", path, "err", err)
		}
	}
}

// exitIn is the status attempt id's wrapper appended to the exit log at
// path, the file want (openExitLog), if it did (none: a path out of the
// directory of the exit logs, or another file).
func (b *Backend) exitIn(path string, want fileID, id string) (code int, found bool) {
	f, err := b.openExitLog(path, want)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	b.readExitLog(f, func(got string, c int) {
		if got == id {
			code, found = c, true
		}
	})
	return code, found
}

// exitLogHeld is the identity of the exit log wrapper pid was given, as
// it holds it open: its one regular file open for appending, write-only
// (the descriptor 8 the server handed it, which its shell may have moved
// to another number while it runs its program). Zero where it holds none
// (a wrapper of a Borges before the descriptor, which appends by the
// log's path), or more than one: its log is then read by its name.
func exitLogHeld(pid int) fileID {
	dir := "/proc/" + strconv.Itoa(pid)
	fds, err := os.ReadDir(dir + "/fd")
	if err != nil {
		return fileID{}
	}
	var found fileID
	for _, e := range fds {
		var st unix.Stat_t
		if unix.Stat(dir+"/fd/"+e.Name(), &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
			continue
		}
		info, err := os.ReadFile(dir + "/fdinfo/" + e.Name())
		if err != nil {
			continue
		}
		flags := int64(-1)
		for _, line := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(line, "flags:"); ok {
				flags, _ = strconv.ParseInt(strings.TrimSpace(v), 8, 64)
			}
		}
		if flags < 0 || flags&unix.O_APPEND == 0 || flags&unix.O_ACCMODE != unix.O_WRONLY {
			continue
		}
		if found != (fileID{}) {
			return fileID{}
		}
		found = fileID{uint64(st.Dev), st.Ino}
	}
	return found
}

// readExit reads the exit status the wrapper of an older Borges wrote in
// attempt id's directory (beneath DATA/attempts held open).
func (b *Backend) readExit(id string) (int, bool) {
	if !oneName(id) {
		return 0, false
	}
	data, _, err := b.roots.dir("attempts").ReadAt(id+"/exit", 0, 64)
	if err != nil || len(data) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(data)))
	return n, err == nil
}
