package local

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A process attempt's exit status is kept where a restarted server finds
// it: its wrapper appends a line, "<status> <attempt id>", to the exit log
// of the server that launched it, DATA/exits/<start>-<pid>, one a run of
// the server, before it exits with that status. On the disk this was
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

// newExitLog creates this run's exit log.
func newExitLog(dataDir string) (string, error) {
	if err := os.MkdirAll(exitsDir(dataDir), 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(exitsDir(dataDir), fmt.Sprintf("%d-%d", time.Now().UnixNano(), os.Getpid()))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	return path, f.Close()
}

// scanExitLog calls found with each attempt id and status of a log, in
// the order written. A line that is not one (a program may write there)
// is skipped.
func scanExitLog(path string, found func(id string, code int)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<16)
	for sc.Scan() {
		code, id, ok := bytes.Cut(sc.Bytes(), []byte{' '})
		if !ok || len(id) == 0 {
			continue
		}
		n, err := strconv.Atoi(string(code))
		if err != nil {
			continue
		}
		found(string(id), n)
	}
	return sc.Err()
}

// loggedExit is an attempt's status in one exit log.
func loggedExit(path, id string) (code int, ok bool) {
	scanExitLog(path, func(got string, n int) {
		if got == id {
			code, ok = n, true
		}
	})
	return code, ok
}

// recentExit is an attempt's status among the last lines of a log: that
// of a wrapper that ended just now (killed once it had written it).
func recentExit(path, id string) (code int, ok bool) {
	f, err := os.Open(path)
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
// exit file of an older Borges' attempt, else the log it was given (none:
// every log).
func (b *Backend) exitStatus(id, log string) (int, bool) {
	if code, ok := readExit(b.AttemptDir(id)); ok {
		return code, true
	}
	if log != "" {
		return loggedExit(log, id)
	}
	logs, _ := filepath.Glob(filepath.Join(exitsDir(b.cfg.DataDir), "*"))
	for i := len(logs) - 1; i >= 0; i-- {
		if code, ok := loggedExit(logs[i], id); ok {
			return code, true
		}
	}
	return 0, false
}

// recoverExits reads every exit log for the statuses of the attempts
// wanted, and deletes the logs that hold none of them and that no live
// process (inUse) writes to; this run's own is kept.
func (b *Backend) recoverExits(wanted map[string]bool, inUse map[string]bool) map[string]int {
	out := map[string]int{}
	b.sweepLogs(exitsDir(b.cfg.DataDir), b.exitLog, inUse, "an exit log", func(path string) (bool, error) {
		needed := false
		err := scanExitLog(path, func(id string, code int) {
			if wanted[id] {
				out[id] = code
				needed = true
			}
		})
		return needed, err
	})
	return out
}

// sweepLogs reads each log of a run in dir (scan says whether something
// needs it) and deletes those nothing needs: not own (this run's), none a
// live process writes to (inUse), none that could not be read, none
// whose name starts with a dot.
func (b *Backend) sweepLogs(dir, own string, inUse map[string]bool, what string, scan func(path string) (needed bool, err error)) {
	logs, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, path := range logs {
		needed, err := scan(path)
		if err != nil || needed || inUse[path] || path == own || strings.HasPrefix(filepath.Base(path), ".") {
			continue
		}
		if err := os.Remove(path); err != nil {
			b.log.Warn("removing "+what+" nothing needs", "log", path, "err", err)
		}
	}
}

// exitIn is the status attempt id's wrapper appended to the exit log at
// path, if it did.
func exitIn(path, id string) (code int, found bool) {
	scanExitLog(path, func(got string, c int) {
		if got == id {
			code, found = c, true
		}
	})
	return code, found
}
