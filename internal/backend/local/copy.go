package local

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// A process's stdout and stderr are pipes the server reads and copies
// into the attempt's files, keeping at most MaxOutput bytes of each (see
// output.go): a program writing past the cap goes on, what it writes is
// dropped. The copying must outlive the server, as the program does (a
// restarted server re-attaches to it): the keeper of the outputs does it
// (keeper.go), one process for the server, handed each attempt's pipes.
// Where no keeper can be started, the wrapper starts a stand-in:
// a shell waiting to read a line from a pipe whose write end only the
// server holds. While the server lives the stand-in waits and reads
// nothing; when it dies, however it dies, that pipe ends and the stand-in
// takes over, a `cat` for each stream into its file under a file size
// limit just over the cap (RLIMIT_FSIZE is the copier's own: files the
// program writes are not limited; past it the write fails, SIGXFSZ
// ignored, and a second cat drains the rest into /dev/null). The stand-in
// ignores SIGINT and SIGTERM, and is killed with the rest of the group
// when the wrapper has ended: on the usual path it never runs a program,
// and an attempt costs one fork of the wrapper's shell and no exec (one
// stand-in for both streams: a fork costs about a millisecond on a busy
// machine).

// The output files are made when their first byte comes, by whichever
// copies it: most blocks write nothing to stderr, many nothing at all,
// and on some disks creating a file costs the best part of a
// millisecond. A missing output reads as empty. The stand-in is handed
// them (made at the launch, beneath the outputs' shard held open, through
// no link: standInFiles) and appends where the server's copy stopped: it
// opens nothing by its path, where a task of the server's user could have
// put a link.

// outputCopy is the plumbing of one process attempt's outputs.
type outputCopy struct {
	// The child's ends: its stdout and stderr, and the descriptors 4 to 6
	// of its wrapper: the stdout pipe, the stderr pipe, the server's life
	// (on which the wrapper's gate reads "in" first; 3 is not used).
	stdout, stderr *os.File
	extra          []*os.File

	readers [2]*os.File    // the server's ends of the pipes (readPipe)
	files   [2]*outputFile // the attempt's stdout and stderr files
	life    *os.File       // the write end the stand-ins wait on
	done    chan struct{}
}

// outputFile is an attempt's stdout or stderr file, created beneath its
// directory, through no link, at the first write. held is the directory
// dir opened at the start (heldRoots; nil: opened by its path, as tests
// of the plumbing alone have it), name beneath it.
type outputFile struct {
	dir, name string
	held      *sandboxfs.Dir
	pool      *recycler // where an empty file is taken from, if it has one
	f         *os.File
	err       error
}

func (o *outputFile) Write(p []byte) (int, error) {
	if o.f == nil && o.err == nil {
		// Taken from the pool already open; else (none pooled, or the
		// file made ahead: Prepare) opened beneath its directory.
		if o.held != nil {
			o.f = o.pool.takeFileAt(in(o.held, o.name), filepath.Join(o.dir, o.name), 0o600)
		} else {
			o.f = o.pool.takeFile(filepath.Join(o.dir, o.name), 0o600)
		}
		if o.f == nil && o.held != nil {
			o.f, o.err = o.held.Create(o.name, 0o600)
		} else if o.f == nil {
			o.f, o.err = sandboxfs.Create(o.dir, o.name, 0o600)
		}
	}
	if o.err != nil {
		return 0, o.err
	}
	return o.f.Write(p)
}

func (o *outputFile) Close() error {
	if o.f == nil {
		return nil
	}
	return o.f.Close()
}

// newOutputCopy makes the pipes of an attempt whose outputs are the files
// stdout and stderr beneath dir, held open as held (nil: none; taken from
// pool when made; stdout not, if made ahead: stdoutMade).
func newOutputCopy(dir string, held *sandboxfs.Dir, stdout, stderr string, pool *recycler, stdoutMade bool) (_ *outputCopy, err error) {
	o := &outputCopy{done: make(chan struct{})}
	var opened []*os.File
	defer func() {
		if err != nil {
			for _, f := range opened {
				f.Close()
			}
		}
	}()
	var writers, standIns [2]*os.File
	for i, name := range []string{stdout, stderr} {
		o.files[i] = &outputFile{dir: dir, held: held, name: name, pool: pool}
		if i == 0 && stdoutMade {
			o.files[i].pool = nil // there already: opened where it is
		}
		r, w, err := pipe()
		if err != nil {
			return nil, err
		}
		opened = append(opened, r, w)
		o.readers[i], writers[i] = readPipe(r), w
		if o.readers[i] != r {
			opened = append(opened, o.readers[i])
		}
		standIns[i] = r
	}
	lr, lw, err := pipe()
	if err != nil {
		return nil, err
	}
	opened = append(opened, lr, lw)
	o.life = lw
	o.stdout, o.stderr = writers[0], writers[1]
	o.extra = []*os.File{standIns[0], standIns[1], lr}
	return o, nil
}

// readPipe is the server's own reading of a pipe whose read end r the
// child's stand-in inherits: a second descriptor of the same open file
// description (fcntl's F_DUPFD_CLOEXEC), that description made
// non-blocking and the descriptor put in the runtime's poller, so that
// the copy's goroutine parks between reads where a blocking read tied up
// a thread for the attempt's life (and sysmon handed its P to another at
// each one). The stand-in's cat needs a blocking descriptor, and a pipe's
// flags belong to its description, which the server and the child share:
// the stand-in opens the pipe again through /proc/self/fd (a description
// of its own, blocking) when it takes over (wrapperHead), which only the
// server's death has it do; should that opening fail then, it reads this
// non-blocking description again and again until the pipe ends
// (TestStandInTakesOver). The server opened that second description
// itself at each launch, two opens through procfs an attempt, where a
// dup and a flag cost less (BenchmarkOutputPipes). Where /proc does not
// open a pipe again (pipesReopen), so that the stand-in could not, or the
// dup fails, r is read, blocking.
func readPipe(r *os.File) *os.File {
	if !pipesReopen() {
		return r
	}
	fd, err := unix.FcntlInt(r.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return r
	}
	// One F_SETFL, where SetNonblock read the flags first (F_GETFL): a
	// pipe's read end made by pipe has no status flag but O_NONBLOCK
	// (os.NewFile reads them again, and so puts it in the poller).
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFL, unix.O_NONBLOCK); err != nil {
		unix.Close(fd)
		return r
	}
	return os.NewFile(uintptr(fd), "|0")
}

// pipesReopen reports whether a pipe's read end opens again through
// /proc/self/fd here, as the stand-in opens its ends (tried once).
var pipesReopen = sync.OnceValue(func() bool {
	r, w, err := pipe()
	if err != nil {
		return false
	}
	defer r.Close()
	defer w.Close()
	fd, err := unix.Open("/proc/self/fd/"+strconv.Itoa(int(r.Fd())), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
})

// start begins copying once the child runs, and closes the server's
// copies of the child's ends (so that the pipes end with the program).
func (o *outputCopy) start(max int64) {
	o.closeChildEnds()
	copied := make(chan struct{}, 2)
	for i := range o.readers {
		go func() {
			buf := copyBuffers.Get().(*[]byte)
			io.CopyBuffer(newCappedWriter(o.files[i], max), readerOnly{o.readers[i]}, *buf)
			copyBuffers.Put(buf)
			// Should the file refuse a write (a full disk), the rest is
			// still read: a program must not stall on a full pipe.
			io.Copy(io.Discard, o.readers[i])
			copied <- struct{}{}
		}()
	}
	go func() {
		<-copied
		<-copied
		close(o.done)
	}()
}

// copyBuffers are the buffers the copies read into: io.Copy from an
// *os.File (its WriteTo) made one of 32 KiB for each stream of each
// attempt, the better part of what the server allocated in
// BenchmarkThousandBlocks but for the engine's views (memory profile:
// 62 MB for 1,000 blocks), and so of its garbage collection.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// readerOnly hides a reader's WriteTo, which io.CopyBuffer would use
// instead of the buffer it is given.
type readerOnly struct{ io.Reader }

func (o *outputCopy) closeChildEnds() {
	o.stdout.Close()
	o.stderr.Close()
	for i, f := range o.extra {
		// The stand-ins' ends of the output pipes, unless the server
		// reads them itself (readPipe did not dup them: pipesReopen
		// was false, or the dup or the flag failed), and of the life
		// pipe.
		if i >= len(o.readers) || f != o.readers[i] {
			f.Close()
		}
	}
}

// finish waits, at most grace, for the outputs to end (the process group
// is dead, but a process that left it may hold them open), then closes
// everything. Only then is the life pipe closed: the stand-ins are dead.
// It says whether the copy ended: if not, a copier may still be writing
// to the files (which are then never recycled: settle.go).
func (o *outputCopy) finish(grace time.Duration) bool {
	ended := true
	select {
	case <-o.done:
	case <-time.After(grace):
		ended = false
	}
	for _, f := range []io.Closer{o.readers[0], o.readers[1], o.files[0], o.files[1], o.life} {
		f.Close()
	}
	return ended
}

// abort closes everything of a launch that failed.
func (o *outputCopy) abort() {
	o.closeChildEnds()
	errors.Join(o.readers[0].Close(), o.readers[1].Close(), o.life.Close(), o.files[0].Close(), o.files[1].Close())
}
