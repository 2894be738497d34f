package kube

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/remotecommand"

	"github.com/wallyqs/borges/internal/atomicfile"
	"github.com/wallyqs/borges/internal/cutsizes"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/sandboxfs"
)

// maxFile bounds a file fetched from a pod, as the engine bounds a
// result (16 MiB).
const maxFile = 16 << 20

// fetchSlack is what a fetched file's archive may hold besides its first
// maxFile bytes and still be read: its headers.
const fetchSlack = 1 << 20

// attemptDir is where an attempt's output is kept ("" for an id that is
// not one path element).
func (b *Backend) attemptDir(id string) string {
	if id == "" || id == "." || id == ".." || filepath.Base(id) != id {
		return ""
	}
	return filepath.Join(b.cfg.OutputDir, id)
}

// follower copies one container's log, as it is written, into a file of
// the attempt's directory.
type follower struct {
	b         *Backend
	p         *podInfo
	container string
	stream    string
	end       string // the text that ends the stream ("" for stdout)
	cancel    context.CancelFunc
	done      chan struct{}

	mu       sync.Mutex
	complete bool
}

func (f *follower) isComplete() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.complete
}

// wait waits until the follower has the whole stream or deadline passes;
// either way it is stopped and its goroutine gone when wait returns.
func (f *follower) wait(deadline time.Time) {
	select {
	case <-f.done:
	case <-time.After(time.Until(deadline)):
	}
	f.cancel()
	<-f.done
}

// follow starts following a container's log (b.mu held).
func (b *Backend) follow(p *podInfo, container, stream, end string) *follower {
	ctx, cancel := context.WithCancel(b.ctx)
	f := &follower{b: b, p: p, container: container, stream: stream, end: end, cancel: cancel, done: make(chan struct{})}
	b.goWrite(func() { f.run(ctx) })
	return f
}

func (f *follower) run(ctx context.Context) {
	defer close(f.done)
	b, p := f.b, f.p
	// Each pass reads the log from its start, past what is kept: a
	// stream broken off (the API server restarted) is taken up again.
	for pass := 0; pass < 1000 && ctx.Err() == nil; pass++ {
		rc, err := b.cfg.Client.CoreV1().Pods(b.cfg.Namespace).GetLogs(p.name,
			&corev1.PodLogOptions{Container: f.container, Follow: true}).Stream(ctx)
		if err == nil {
			sawEnd, cerr := b.copyStream(rc, p.attempt.ID, f.stream, f.end, false)
			rc.Close()
			if sawEnd {
				f.mu.Lock()
				f.complete = true
				f.mu.Unlock()
				return
			}
			err = cerr
		}
		if f.end == "" {
			// The main container's log ends with it.
			select {
			case <-p.mainDone:
				if err == nil {
					f.mu.Lock()
					f.complete = true
					f.mu.Unlock()
				}
				return
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// readOnce reads a container's log as it is now (not followed), past
// what is kept.
func (b *Backend) readOnce(ctx context.Context, p *podInfo, container, stream, end string) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	rc, err := b.cfg.Client.CoreV1().Pods(b.cfg.Namespace).GetLogs(p.name, &corev1.PodLogOptions{Container: container}).Stream(ctx)
	if err != nil {
		b.log.Debug("kubernetes: reading a log", "pod", p.name, "container", container, "err", err)
		return
	}
	defer rc.Close()
	if _, err := b.copyStream(rc, p.attempt.ID, stream, end, true); err != nil {
		b.log.Warn("kubernetes: reading a log", "pod", p.name, "container", container, "err", err)
	}
}

// copyStream appends a container's log to the attempt's file of stream,
// past the bytes the file already has (the log is read from its start),
// up to MaxOutput. With end, the text end marks the stream's end: it is
// not kept, and what may be its beginning is held back until the bytes
// after it tell (or, final, the log ends without it); sawEnd says it came.
func (b *Backend) copyStream(r io.Reader, id, stream, end string, final bool) (sawEnd bool, err error) {
	dir := b.attemptDir(id)
	if dir == "" {
		return false, fmt.Errorf("attempt id %q", id)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	out, err := os.OpenFile(filepath.Join(dir, stream), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return false, err
	}
	defer out.Close()
	st, err := out.Stat()
	if err != nil {
		return false, err
	}
	size := st.Size()
	skip := size
	if skip > 0 {
		if _, err := io.CopyN(io.Discard, r, skip); err != nil {
			if errors.Is(err, io.EOF) {
				// The log has no more than what is kept.
				err = nil
			}
			return false, err
		}
	}
	endB := []byte(end)
	var held []byte
	buf := make([]byte, 32<<10)
	write := func(data []byte) error {
		if room := b.cfg.MaxOutput - size; room < int64(len(data)) {
			data = data[:max(0, room)]
		}
		if len(data) == 0 {
			return nil
		}
		n, err := out.Write(data)
		size += int64(n)
		return err
	}
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			data := append(held, buf[:n]...)
			held = nil
			if len(endB) > 0 {
				if i := bytes.Index(data, endB); i >= 0 {
					return true, write(data[:i])
				}
				keep := heldBack(data, endB)
				held = append([]byte(nil), data[len(data)-keep:]...)
				data = data[:len(data)-keep]
			}
			if err := write(data); err != nil {
				return false, err
			}
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				if final {
					return false, write(held)
				}
				return false, nil
			}
			return false, rerr
		}
	}
}

// heldBack is the length of the longest end of data that begins end.
func heldBack(data, end []byte) int {
	for k := min(len(end)-1, len(data)); k > 0; k-- {
		if bytes.Equal(data[len(data)-k:], end[:k]) {
			return k
		}
	}
	return 0
}

// fetchFiles copies from the ended pod's sandbox the files its results
// need (the value of a Python, Ruby or Perl block; the :file it writes),
// with tar through exec in the stderr container, which keeps the pod.
func (b *Backend) fetchFiles(ctx context.Context, p *podInfo, pod *corev1.Pod) error {
	t := p.attempt.Task
	var names []string
	if t.ValueFile {
		names = append(names, "value")
	}
	if t.File != "" && !t.FileWritten && engine.SandboxPath(t.File) {
		names = append(names, t.File)
	}
	if len(names) == 0 {
		return nil
	}
	if side := containerStatus(pod, stderrContainer); side == nil || side.State.Terminated != nil {
		return errors.New("the pod's stderr container has ended: its files are gone")
	}
	dir := filepath.Join(b.attemptDir(p.attempt.ID), "files")
	cut := cutsizes.Sizes{}
	for _, name := range names {
		data, size, err := b.fetch(ctx, p.name, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if data == nil {
			continue
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o700); err != nil {
			return err
		}
		if err := sandboxfs.WriteFile(dir, name, data, 0o600); err != nil {
			return err
		}
		if size > int64(len(data)) {
			cut[name] = size
		}
	}
	// The record of what was cut, written over any an earlier fetch
	// left (an empty one saying none was).
	if err := os.MkdirAll(b.attemptDir(p.attempt.ID), 0o700); err != nil {
		return err
	}
	return cutsizes.Write(b.attemptDir(p.attempt.ID), cut)
}

// fetch reads one regular file of the pod's sandbox (nil when there is
// none), as `kubectl cp` does: tar in the pod, read here. It keeps the
// file's first maxFile bytes; size is the file's real size (its tar
// header's), more than len(data) when it was cut.
func (b *Backend) fetch(ctx context.Context, pod, name string) (data []byte, size int64, err error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	// The archive is as large as the program made the file: what is
	// kept of it is bounded, and past the bound the stream is ended by
	// ending ctx (cappedBuffer.cancel).
	stdout := &cappedBuffer{max: maxFile + fetchSlack, cancel: cancel}
	err = b.exec(ctx, pod, []string{"/bin/sh", "-c",
		`cd ` + sandboxPath + ` && [ -f "$1" ] && [ ! -h "$1" ] && exec tar cf - -- "$1"; exit 3`, "sh", name}, stdout)
	if err != nil && !stdout.full {
		if stdout.buf.Len() == 0 {
			return nil, 0, nil // no such file
		}
		return nil, 0, err
	}
	tr := tar.NewReader(&stdout.buf)
	for {
		h, err := tr.Next()
		if err != nil {
			return nil, 0, fmt.Errorf("reading tar: %w", err)
		}
		if h.Typeflag == tar.TypeReg {
			data, err := io.ReadAll(io.LimitReader(tr, maxFile))
			if err != nil {
				return nil, 0, fmt.Errorf("reading tar: %w", err)
			}
			return data, max(h.Size, int64(len(data))), nil
		}
	}
}

// cappedBuffer keeps the first max bytes written to it; past them it
// ends the stream that writes by calling cancel (the stream's context),
// and takes the rest without keeping it. It refuses no write: client-go's
// exec stream (remotecommand v2.go copyStdout) does not end on a writer's
// error, it logs it through klog and reads the rest of the stream on.
type cappedBuffer struct {
	buf    bytes.Buffer
	max    int
	cancel context.CancelFunc
	full   bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	room := c.max - c.buf.Len()
	if len(p) <= room {
		return c.buf.Write(p)
	}
	c.buf.Write(p[:room])
	if !c.full {
		c.full = true
		c.cancel()
	}
	return len(p), nil
}

// exec runs a command in a pod's stderr container; its standard output
// goes to stdout (when not nil).
func (b *Backend) exec(ctx context.Context, pod string, command []string, stdout io.Writer) error {
	if b.podExec != nil {
		return b.podExec(ctx, pod, command, stdout)
	}
	exec, err := b.executor(pod, "exec", &corev1.PodExecOptions{Container: stderrContainer, Command: command,
		Stdout: true, Stderr: true})
	if err != nil {
		return err
	}
	if stdout == nil {
		stdout = io.Discard
	}
	var stderr bytes.Buffer
	if err := exec.StreamWithContext(ctx, remotecommand.StreamOptions{Stdout: stdout, Stderr: &stderr}); err != nil {
		return fmt.Errorf("exec in pod %s: %v: %s", pod, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return nil
}

// endRecord is an attempt's end, kept so that a restarted Borges reports
// it (the pod is deleted once it is kept).
type endRecord struct {
	State    engine.State `json:"state"`
	ExitCode *int         `json:"exit_code,omitempty"`
	Message  string       `json:"message,omitempty"`
	// TimedOut is engine.Update.TimedOut; unset in the record of an
	// older Borges, whose message then said it (endTimedOut).
	TimedOut *bool     `json:"timed_out,omitempty"`
	Host     string    `json:"host,omitempty"`
	Time     time.Time `json:"time"`
}

// endTimedOut is whether r says its attempt's :timeout ended it: its
// TimedOut, or in the record of an older Borges, its message, which
// began with engine.LegacyTimedOutPrefix for such an attempt alone
// (status).
func endTimedOut(r endRecord) bool {
	if r.TimedOut != nil {
		return *r.TimedOut
	}
	return r.State == engine.Failed && strings.HasPrefix(r.Message, engine.LegacyTimedOutPrefix)
}

func (b *Backend) writeEnd(id string, u engine.Update) {
	dir := b.attemptDir(id)
	if dir == "" {
		return
	}
	if u.Time.IsZero() {
		u.Time = time.Now()
	}
	data, _ := json.Marshal(endRecord{State: u.State, ExitCode: u.ExitCode, Message: u.Message, TimedOut: &u.TimedOut, Host: u.Host, Time: u.Time})
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.log.Warn("kubernetes: keeping an attempt's end", "attempt", id, "err", err)
		return
	}
	if err := atomicfile.Write(filepath.Join(dir, "end.json"), data, 0o600); err != nil {
		b.log.Warn("kubernetes: keeping an attempt's end", "attempt", id, "err", err)
	}
}

func (b *Backend) readEnd(id string) (engine.Update, bool) {
	dir := b.attemptDir(id)
	if dir == "" {
		return engine.Update{}, false
	}
	data, err := os.ReadFile(filepath.Join(dir, "end.json"))
	if err != nil {
		return engine.Update{}, false
	}
	var r endRecord
	if json.Unmarshal(data, &r) != nil || !r.State.Terminal() {
		return engine.Update{}, false
	}
	return engine.Update{AttemptID: id, State: r.State, ExitCode: r.ExitCode, Message: r.Message, TimedOut: endTimedOut(r), Host: r.Host, Time: r.Time}, true
}

// ReadLog reads an attempt's stream as followed so far, or a file fetched
// from its sandbox when it ended.
func (b *Backend) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	if !engine.SandboxPath(stream) {
		return nil, 0, fmt.Errorf("no stream %q (stdout, stderr, or a file of the sandbox)", stream)
	}
	dir := b.attemptDir(id)
	if dir == "" {
		return nil, 0, nil
	}
	if stream == "stdout" || stream == "stderr" {
		return sandboxfs.ReadAt(dir, stream, offset, max)
	}
	data, size, err := sandboxfs.ReadAt(filepath.Join(dir, "files"), stream, offset, max)
	if err != nil {
		return nil, 0, err
	}
	if size == 0 {
		return data, size, nil
	}
	// A file cut when fetched (fetch keeps maxFile of it): its real
	// size, past the bytes there are to read, so that the engine notes
	// its results cut rather than writing a value cut at maxFile as if
	// whole.
	cut, _, err := cutsizes.Read(dir)
	if err != nil {
		return nil, 0, err
	}
	return data, cut.Of(stream, size), nil
}

// RemoveAttempts deletes the kept output of ended attempts.
func (b *Backend) RemoveAttempts(ctx context.Context, ids []string) error {
	var errs []error
	for _, id := range ids {
		if dir := b.attemptDir(id); dir != "" {
			if err := os.RemoveAll(dir); err != nil {
				errs = append(errs, err)
			}
		}
	}
	b.mu.Lock()
	for _, id := range ids {
		if p := b.pods[id]; p != nil && p.ended {
			delete(b.pods, id)
		}
	}
	b.mu.Unlock()
	return errors.Join(errs...)
}
