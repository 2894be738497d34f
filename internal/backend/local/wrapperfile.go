package local

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// A process attempt's wrapper is known to a restarted server by its pid
// and its start (in clock ticks since boot, field 22 of /proc/PID/stat),
// which together name one process even where the pid is reused. Launch
// appends them, once the wrapper is forked and before it is let past its
// gate, to the wrapper log of the server's run, one a run as the exit
// logs are (exitlog.go), named as its exit log:
//
//	DATA/wrappers/<start>-<pid>  ("PID START BOOT ID DEV INO\n" a launch)
//
// DEV and INO are the identity of the exit log the wrapper is given
// (exitlog.go): a restarted server reads its status from that file only,
// not from another a task put at its name while no server ran
// (recoverExits). A line of a Borges before them has neither: its
// status is read from the log by its name, as it was.
// A line is one write to a file opened for appending (O_APPEND: lines of
// concurrent launches do not mix); a write that failed part way is cut
// off again (recordWrapper). A reader takes whole lines only: a line cut
// short by a crash of the machine, the last, has no newline and is
// skipped. A wrapper whose line could not be appended is held at its gate
// (it starts nothing), so that every wrapper a Borges of this version let
// in is named so. Not synced: the line is in the kernel's cache before the
// gate opens, which a crash of the server does not lose, and it matters
// only while the wrapper may still run, which a crash of the machine ends.
// Creating a file per attempt cost, on the disk measured, most of what
// naming its wrapper did (0.7–2.2 ms a record, 39–48 % of Launch's CPU in
// 1,000 blocks); appending a line costs a few microseconds (naming a
// wrapper is now about 9 % of Launch's CPU, most of it reading its start
// from /proc).
//
// Recover reads every wrapper log (recoverWrappers) and takes the process
// so named, if it runs and carries the attempt's exit file, and no other
// (recoverWrapper); a log naming none of the attempts it recovers is
// deleted, as an exit log is (this run's kept), so that the logs do not
// grow with the attempts removed. An attempt of the Borges before the logs
// has its wrapper named in a file beside its outputs,
//
//	DATA/outputs/SHARD/ID.wrapper  ("PID START BOOT\n")
//
// which is read, through no link, where no log names it, and is removed
// with the attempt. Where neither names one (an attempt of an older
// Borges, or one whose file was removed or spoiled), the rules of before
// apply (launches.before, lookAt). BOOT is the machine's boot id: a
// wrapper named in another boot ended with it, whatever runs now with its
// pid and start (both counted again from the boot); without it (the id
// unreadable: "-" in a log) it is taken as of this boot. A server
// restarted in another time namespace reads other starts (see
// launches.before): its running attempts' wrappers are then not matched,
// and reported lost.

// wrapperMax bounds what is read of an old layout's file, and a log's
// line: a few numbers, a boot id and an attempt id.
const wrapperMax = 64

// wrapperLineMax bounds a wrapper log's line.
const wrapperLineMax = 4096

// wrapperID is a wrapper's pid and start, and the identity of the exit
// log it was given (zero: not recorded, or a line of another boot).
type wrapperID struct {
	pid   int
	start uint64
	exit  fileID
	// flat: the line has the exit log's identity, which only a Borges
	// that launches a process attempt flat writes.
	flat bool
}

// wrappersDir is the directory of the wrapper logs.
func wrappersDir(dataDir string) string { return filepath.Join(dataDir, "wrappers") }

// wrapperLog is this run's wrapper log, open for appending.
type wrapperLog struct {
	path string
	mu   sync.Mutex
	f    *os.File
	size int64 // what is written of whole lines
	err  error // the log could not be cut back to its whole lines
}

// newWrapperLog creates this run's wrapper log in the directory of the
// wrapper logs, named as its exit log.
func newWrapperLog(dir *logDir, exitLog string) (*wrapperLog, error) {
	f, err := dir.create(filepath.Base(exitLog))
	if err != nil {
		return nil, err
	}
	return &wrapperLog{path: f.Name(), f: f}, nil
}

// append writes line, whole or not at all.
func (l *wrapperLog) append(line []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return l.err
	}
	n, err := l.f.Write(line)
	if err == nil {
		l.size += int64(n)
		return nil
	}
	if n > 0 {
		// A line cut short would join the next one: cut it off.
		if terr := l.f.Truncate(l.size); terr != nil {
			l.err = fmt.Errorf("wrapper log %s spoiled: %w", l.path, terr)
		}
	}
	return err
}

// close closes the log (a launch after it fails, its wrapper held).
func (l *wrapperLog) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = errors.New("the backend is closed")
	}
	return l.f.Close()
}

// wrapperFile is where the Borges before the wrapper logs named attempt
// id's wrapper: a root and a name beneath it.
func (b *Backend) wrapperFile(id string) (root, name string) {
	return b.flatPaths(id).outRoot, id + ".wrapper"
}

// recordWrapper names process pid, just forked and held at its gate, as
// attempt id's wrapper in this run's wrapper log.
func (b *Backend) recordWrapper(id string, pid int) error {
	p, err := procStat(pid)
	if err != nil {
		return err
	}
	boot := machineBoot()
	if boot == "" {
		boot = "-"
	}
	line := make([]byte, 0, 96)
	line = strconv.AppendInt(line, int64(pid), 10)
	line = append(line, ' ')
	line = strconv.AppendUint(line, p.Start, 10)
	line = append(line, ' ')
	line = append(line, boot...)
	line = append(line, ' ')
	line = append(line, id...)
	line = append(line, ' ')
	line = strconv.AppendUint(line, b.exitID.dev, 10)
	line = append(line, ' ')
	line = strconv.AppendUint(line, b.exitID.ino, 10)
	line = append(line, '\n')
	return b.wrappers.append(line)
}

// scanWrapperLines calls found with each attempt id and wrapper of a
// log, in the order written; a wrapper of another boot is given as pid 0
// (none runs), and says how many lines were too long and skipped
// (scanLines). A line that is not one, or not whole, is skipped.
func scanWrapperLines(r io.Reader, found func(id string, w wrapperID)) (long int, err error) {
	return scanLines(r, wrapperLineMax, false, func(line []byte) {
		f := strings.Split(string(line), " ")
		if len(f) != 4 && len(f) != 6 || f[3] == "" {
			return
		}
		w, ok := parseWrapper(f[0], f[1], f[2])
		if !ok {
			return
		}
		if len(f) == 6 {
			dev, derr := strconv.ParseUint(f[4], 10, 64)
			ino, ierr := strconv.ParseUint(f[5], 10, 64)
			if derr != nil || ierr != nil {
				return
			}
			// Only a line of this boot: a device number is not stable
			// across boots (nor a moved DATA's identity), and the wrapper
			// of another boot has ended anyway; its status is read by the
			// exit log's name, as before the identity was recorded.
			if w.pid != 0 {
				w.exit = fileID{dev, ino}
			}
			w.flat = true
		}
		found(f[3], w)
	})
}

// parseWrapper reads a wrapper's pid, start and boot id ("" or "-": this
// boot); one of another boot is pid 0.
func parseWrapper(pidText, startText, boot string) (wrapperID, bool) {
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 1 {
		return wrapperID{}, false
	}
	start, err := strconv.ParseUint(startText, 10, 64)
	if err != nil {
		return wrapperID{}, false
	}
	if boot != "" && boot != "-" && boot != machineBoot() {
		return wrapperID{}, true
	}
	return wrapperID{pid: pid, start: start}, true
}

// recoverWrappers reads every wrapper log for the wrappers of the
// attempts wanted, and deletes the logs that name none of them; this
// run's own is kept.
func (b *Backend) recoverWrappers(wanted map[string]bool) map[string]wrapperID {
	out := map[string]wrapperID{}
	// Only a server writes its wrapper log: none is in use but this
	// run's.
	unneeded := b.unneededLogs(b.wrapperDir, b.wrappers.path, func(name string) (bool, error) {
		f, err := b.wrapperDir.open(name)
		if err != nil {
			return false, err
		}
		defer f.Close()
		needed := false
		long, err := scanWrapperLines(f, func(id string, w wrapperID) {
			if wanted[id] {
				out[id] = w
				needed = true
			}
		})
		if long > 0 {
			b.log.Warn("skipped lines too long for a wrapper log", "log", f.Name(), "lines", long)
		}
		return needed, err
	})
	b.removeLogs(b.wrapperDir, unneeded, nil, "a wrapper log")
	return out
}

// recordedWrapperFile reads the pid and start of attempt id's wrapper
// from its file of the layout before the logs, if it is there and holds
// one line of two numbers and maybe a boot id (through no link).
func (b *Backend) recordedWrapperFile(id string) (wrapperID, bool) {
	_, file := b.wrapperFile(id)
	dir, name := b.flatPaths(id).output(file)
	data, size, err := dir.ReadAt(name, 0, wrapperMax)
	if err != nil || size == 0 || size > wrapperMax || !strings.HasSuffix(string(data), "\n") {
		return wrapperID{}, false
	}
	f := strings.Split(strings.TrimSuffix(string(data), "\n"), " ")
	switch len(f) {
	case 2:
		return parseWrapper(f[0], f[1], "")
	case 3:
		w, ok := parseWrapper(f[0], f[1], "")
		if ok && f[2] != machineBoot() {
			return wrapperID{}, true
		}
		return w, ok
	}
	return wrapperID{}, false
}

// machineBoot is the machine's boot id ("" where it cannot be read; a
// variable: tests).
var machineBoot = sync.OnceValue(func() string {
	data, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
})
