package kube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/sandboxfs"
	"github.com/wallyqs/borges/internal/session"
)

// A Babel session (":session NAME", package session) is one pod whose
// container runs the session's interpreter, started by the session's
// first block with that block's image, resources, placement, :dir and
// environment (session_pod.go). Borges attaches to the container
// (pods/attach, session_attach.go) and feeds it the session's blocks one
// at a time, as the local backend feeds its session processes. Each
// block is still an attempt of its own: staged while the pod starts
// (saying why it waits), running while the interpreter runs it; its
// standard output is its result text as Babel reads it, its standard
// error the interpreter's transcript of the block (written as it
// arrives), a Python or Ruby block's value its "value" file. The pod is
// deleted when the engine closes the session (CloseSession), when a
// block of it is killed or times out, and when its interpreter ends; a
// pod deleted or evicted under the session, or whose interpreter ended,
// fails the block that was running, as a dead interpreter does on this
// machine. A session does not outlive the Borges that attached to it:
// a restarted Borges reports the session's running block lost and
// deletes the pod as an orphan (the transcript of a block is read from
// the attach stream, and what was printed while no Borges was attached
// is gone).

// sessionTable is the backend's sessions. Its maps are guarded by the
// backend's mu.
type sessionTable struct {
	start    sync.Mutex              // serialises starting session pods
	byID     map[string]*kubeSession // running sessions, by the engine's session id
	byPod    map[string]*kubeSession // by pod name, until the pod is gone
	attempts map[string]*sessionBlock
	// attach streams a session pod's container (attachStream; tests
	// replace it).
	attach func(ctx context.Context, pod string, stdin io.Reader, stdout io.Writer) error
}

// kubeSession is one session's pod and the interpreter in it.
type kubeSession struct {
	id   string // the engine's session id
	name string // its :session name
	pod  string
	kind session.Kind
	// memMB is the pod's :mem, for an out-of-memory message.
	memMB float64

	ready chan struct{} // closed once conn is set
	conn  *session.Conn
	done  chan struct{} // closed once the session has ended
	// exit says how it ended, said what the container printed last when
	// it ended before Borges reached the interpreter; both set before
	// done is closed.
	exit, said string
	endOnce    sync.Once
	attachOnce sync.Once

	mu     sync.Mutex
	cancel context.CancelFunc // ends the attach stream
	host   string
	killed map[string]bool
	// waits is why its pod does not run yet, as last said: a block that
	// joins the session later is told it too, as the pod may not say it
	// again (a scheduler says a pod is unschedulable once).
	waits string
}

func (h *kubeSession) alive() bool {
	select {
	case <-h.done:
		return false
	default:
		return true
	}
}

// sessionBlock is one attempt of a block of a session.
type sessionBlock struct {
	a *engine.Attempt
	h *kubeSession

	mu      sync.Mutex
	state   engine.State
	message string
}

// emit reports an update of the block unless it ended already or the
// update says what was last said; the block's updates reach the engine in
// the order they were decided.
func (blk *sessionBlock) emit(b *Backend, u engine.Update) {
	blk.mu.Lock()
	defer blk.mu.Unlock()
	if blk.state.Terminal() || !u.State.Terminal() && blk.state == u.State && blk.message == u.Message {
		return
	}
	blk.state, blk.message = u.State, u.Message
	u.AttemptID = blk.a.ID
	if u.Host == "" {
		blk.h.mu.Lock()
		u.Host = blk.h.host
		blk.h.mu.Unlock()
	}
	b.Emit(u)
}

func (blk *sessionBlock) staged() bool {
	blk.mu.Lock()
	defer blk.mu.Unlock()
	return blk.state == engine.Staged
}

// CloseSession deletes a session's pod.
func (b *Backend) CloseSession(ctx context.Context, id string) error {
	b.mu.Lock()
	h := b.sess.byID[id]
	delete(b.sess.byID, id)
	b.mu.Unlock()
	if h != nil {
		b.endSession(h, "closed", "")
	}
	return nil
}

// launchSession runs a block of a session in its session's pod, which
// the block starts if the session has none running.
func (b *Backend) launchSession(ctx context.Context, a *engine.Attempt) error {
	b.mu.Lock()
	known := b.sess.attempts[a.ID] != nil
	b.mu.Unlock()
	if known {
		return nil
	}
	image, err := b.image(a.Task)
	if err != nil {
		return err
	}
	b.mu.Lock()
	killed := b.launching[a.ID]
	b.mu.Unlock()
	if killed {
		b.killedUnlaunched(a.ID, "killed before it was given its session")
		return nil
	}
	h, err := b.sessionFor(ctx, a, image)
	if err != nil {
		b.mu.Lock()
		killed = b.launching[a.ID]
		b.mu.Unlock()
		if killed {
			// Killed while its session's pod was being created, which
			// failed: the user's kill, not a failed start.
			b.killedUnlaunched(a.ID, "killed before it was given its session")
			return nil
		}
		return fmt.Errorf(":session %s: %w", a.Task.Session.Name, err)
	}
	blk := &sessionBlock{a: a, h: h}
	b.mu.Lock()
	b.sess.attempts[a.ID] = blk
	killed = b.launching[a.ID]
	b.mu.Unlock()
	blk.emit(b, engine.Update{State: engine.Staged, Message: "in session " + a.Task.Session.Name + ", pod " + h.pod})
	// Read after the block is known to sessionWaits: a reason said before
	// is told here, one said after reaches the block there.
	h.mu.Lock()
	waits := h.waits
	h.mu.Unlock()
	if waits != "" && !killed {
		blk.emit(b, engine.Update{State: engine.Staged, Message: waits})
	}
	if killed {
		// Killed while its session was found or its pod created, when
		// Kill could not find the block: killed now, as Kill kills a
		// block of a session, its session's pod with it.
		b.killSession(blk)
	}
	b.goWrite(func() { b.runSessionBlock(blk) })
	return nil
}

// sessionFor is the running session of an attempt, whose pod the
// attempt creates if there is none (or it ended).
func (b *Backend) sessionFor(ctx context.Context, a *engine.Attempt, image string) (*kubeSession, error) {
	b.sess.start.Lock()
	defer b.sess.start.Unlock()
	b.mu.Lock()
	h := b.sess.byID[a.Session]
	b.mu.Unlock()
	if h != nil && h.alive() {
		return h, nil
	}
	if len(a.Task.Session.Command) == 0 {
		return nil, errors.New("no interpreter")
	}
	pod, err := b.sessionPod(a, image)
	if err != nil {
		return nil, err
	}
	h = &kubeSession{id: a.Session, name: a.Task.Session.Name, pod: pod.Name, kind: session.Kind(a.Task.Session.Kind),
		memMB: a.Task.Resources.MemMB, ready: make(chan struct{}), done: make(chan struct{}),
		killed: map[string]bool{}}
	// Known before it exists: the informer's news of it come after.
	b.mu.Lock()
	b.sess.byID[a.Session] = h
	b.sess.byPod[pod.Name] = h
	b.mu.Unlock()
	if b.creating != nil {
		b.creating(a.ID)
	}
	if _, err := b.cfg.Client.CoreV1().Pods(b.cfg.Namespace).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		b.mu.Lock()
		delete(b.sess.byID, a.Session)
		delete(b.sess.byPod, pod.Name)
		b.mu.Unlock()
		// The API server may have created the pod all the same (an
		// answer lost): none is left running untracked.
		b.deleteUncreated(ctx, pod.Name)
		return nil, fmt.Errorf("creating its pod %s: %w", pod.Name, err)
	}
	return h, nil
}

// runSessionBlock waits for the session's interpreter, sends it the
// block and reports how the block ended.
func (b *Backend) runSessionBlock(blk *sessionBlock) {
	h, a := blk.h, blk.a
	defer func() {
		b.mu.Lock()
		delete(b.sess.attempts, a.ID)
		b.mu.Unlock()
	}()
	s := a.Task.Session
	// The backend's context: a block does not outlive its backend,
	// waiting for a pod that is never scheduled or ready.
	o := session.RunBlock(b.ctx, session.BlockRun{
		Request: session.Request{Body: a.Script, Value: s.Value, PP: s.PP, ShellForms: s.ShellForms},
		Kind:    session.Kind(s.Kind),
		Timeout: a.Task.Timeout,
		Stopped: "its session's pod is deleted",
		Ready:   h.ready,
		Conn:    func() *session.Conn { return h.conn },
		Ended:   h.done,
		Exit:    func() string { return h.exit },
		Started: func() {
			blk.emit(b, engine.Update{State: engine.Running, Message: "in session " + s.Name + ", pod " + h.pod})
		},
		Live: func() (io.WriteCloser, error) { return b.sessionLive(a.ID) },
		Killed: func() bool {
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.killed[a.ID]
		},
		Stop: func(why session.OutcomeKind) {
			switch why {
			case session.TimedOut:
				b.endSession(h, "timed out", "")
			case session.Killed:
				b.endSession(h, "its block "+a.Block+" "+string(engine.Killed), "")
			default:
				b.endSession(h, "its block "+a.Block+" "+string(engine.Failed), "")
			}
		},
		Write: func(out session.Output) error {
			b.writeSessionOutput(a, out)
			return nil
		},
	})
	if o.Kind == session.Abandoned {
		// The backend stops: no end is written, and the next Borges
		// reports the block lost and deletes its session's pod as an
		// orphan (TestSessionRecover).
		return
	}
	zero := 0
	u := engine.Update{State: engine.Failed, Message: o.Message}
	switch o.Kind {
	case session.Finished:
		u.State, u.ExitCode = engine.Finished, &zero
	case session.Killed:
		u.State = engine.Killed
	case session.TimedOut:
		u.TimedOut = true
	case session.NotReached:
		u.Message = "its session's pod " + h.pod + " ended before its interpreter was reached (" + h.exit + ")"
		if h.said != "" {
			u.Message += ": " + h.said
		}
	}
	b.writeEnd(a.ID, u)
	blk.emit(b, u)
}

// sessionLive opens a session block's standard error, which receives
// the interpreter's transcript of the block as it runs.
func (b *Backend) sessionLive(id string) (io.WriteCloser, error) {
	dir := b.attemptDir(id)
	if dir == "" {
		return nil, fmt.Errorf("attempt id %q", id)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return session.LiveFile(filepath.Join(dir, "stderr"), 0o600)()
}

// writeSessionOutput writes a session block's streams as the local
// backend does: its result text as standard output (for a Python or
// Ruby block's value, what it printed, the value being its "value"
// file), the interpreter's transcript as standard error, and the files
// beside them (session.Output.Files) among the pod's files.
func (b *Backend) writeSessionOutput(a *engine.Attempt, out session.Output) {
	dir := b.attemptDir(a.ID)
	if files := out.Files(); len(files) > 0 {
		into := filepath.Join(dir, "files")
		if err := os.MkdirAll(into, 0o700); err != nil {
			b.log.Warn("kubernetes: keeping a session block's files", "attempt", a.ID, "err", err)
		}
		for _, f := range files {
			if err := sandboxfs.WriteFile(into, f.Name, f.Data, 0o600); err != nil {
				b.log.Warn("kubernetes: writing a session block's file", "attempt", a.ID, "file", f.Name, "err", err)
			}
		}
	}
	for name, text := range map[string]string{"stdout": out.Stdout, "stderr": out.Transcript} {
		if err := sandboxfs.WriteFile(dir, name, []byte(text), 0o600); err != nil {
			b.log.Warn("kubernetes: writing a session block's output", "attempt", a.ID, "err", err)
		}
	}
}

// killSession kills a session block's attempt: its session's pod with
// it.
func (b *Backend) killSession(blk *sessionBlock) {
	h := blk.h
	h.mu.Lock()
	h.killed[blk.a.ID] = true
	h.mu.Unlock()
	b.endSession(h, "killed", "")
}

// endSession ends a session, once: its attach stream is closed, its pod
// deleted, and a block of it that waits or runs learns why (why; said:
// what the container printed last, for a session that ended before its
// interpreter was reached).
func (b *Backend) endSession(h *kubeSession, why, said string) {
	h.endOnce.Do(func() {
		h.exit, h.said = why, said
		h.mu.Lock()
		if h.cancel != nil {
			h.cancel()
		}
		h.mu.Unlock()
		close(h.done)
		b.mu.Lock()
		if b.sess.byID[h.id] == h {
			delete(b.sess.byID, h.id)
		}
		b.mu.Unlock()
		go func() {
			if err := b.deletePod(b.ctx, h.pod); err != nil {
				b.log.Warn("kubernetes: deleting a session's pod", "pod", h.pod, "err", err)
			}
		}()
	})
}

// observeSession follows a session's pod (false: pod is not a session's):
// attached to once its container runs, the session ended when it ends or
// is deleted, why it waits said to the blocks that wait for it.
func (b *Backend) observeSession(pod *corev1.Pod) bool {
	if pod.Annotations[annotationSession] == "" {
		return false
	}
	b.mu.Lock()
	h := b.sess.byPod[pod.Name]
	recovered := b.recovered
	b.mu.Unlock()
	if h == nil || !h.alive() {
		// Another Borges's, or one that ended: not to be kept.
		if (h != nil || recovered) && pod.DeletionTimestamp == nil {
			if h == nil {
				b.log.Info("kubernetes: deleting a session's pod no session owns", "pod", pod.Name)
			}
			go b.deletePod(b.ctx, pod.Name)
		}
		return true
	}
	if pod.Spec.NodeName != "" {
		h.mu.Lock()
		h.host = pod.Spec.NodeName
		h.mu.Unlock()
	}
	c := containerStatus(pod, sessionContainer)
	switch {
	case pod.DeletionTimestamp != nil:
		b.endSession(h, deletedWhy(pod), "")
	case pod.Status.Phase == corev1.PodFailed && pod.Status.Reason == "Evicted":
		b.endSession(h, "evicted: "+pod.Status.Message, "")
	case c != nil && c.State.Terminated != nil:
		t := c.State.Terminated
		why := fmt.Sprintf("exit status %d", t.ExitCode)
		switch {
		case t.Reason == "OOMKilled":
			why = fmt.Sprintf("out of memory (OOMKilled; :mem %g MB)", h.memMB)
		case t.Reason == "StartError" || t.Reason == "ContainerCannotRun":
			why = "could not start"
		}
		b.endSession(h, why, strings.TrimSpace(t.Message))
	case pod.Status.Phase == corev1.PodFailed || pod.Status.Phase == corev1.PodSucceeded:
		b.endSession(h, strings.TrimSpace("pod ended: "+pod.Status.Reason+" "+pod.Status.Message), "")
	case c != nil && c.State.Running != nil:
		h.mu.Lock()
		h.waits = ""
		h.mu.Unlock()
		h.attachOnce.Do(func() { go b.attachSession(h) })
	default:
		why := pending(pod, c)
		if c != nil && c.State.Waiting != nil {
			switch c.State.Waiting.Reason {
			case "InvalidImageName", "ErrImageNeverPull":
				b.endSession(h, "could not start: "+why, "")
				return true
			}
		}
		b.sessionWaits(h, why)
	}
	return true
}

// sessionWaits says why a session's pod does not run yet to the blocks
// that wait for it.
func (b *Backend) sessionWaits(h *kubeSession, why string) {
	h.mu.Lock()
	h.waits = why
	h.mu.Unlock()
	b.mu.Lock()
	var waiting []*sessionBlock
	for _, blk := range b.sess.attempts {
		if blk.h == h {
			waiting = append(waiting, blk)
		}
	}
	b.mu.Unlock()
	for _, blk := range waiting {
		if blk.staged() {
			blk.emit(b, engine.Update{State: engine.Staged, Message: why})
		}
	}
}

// sessionDeleted handles a session's pod gone from the API (false: pod
// is not a session's).
func (b *Backend) sessionDeleted(pod *corev1.Pod) bool {
	if pod.Annotations[annotationSession] == "" {
		return false
	}
	b.mu.Lock()
	h := b.sess.byPod[pod.Name]
	delete(b.sess.byPod, pod.Name)
	b.mu.Unlock()
	if h != nil {
		b.endSession(h, deletedWhy(pod), "")
	}
	return true
}

// attachSession attaches to a session's running container, and once the
// handshake has started the interpreter, makes the session ready. When
// the stream ends, the session ends: as the pod says (the informer's
// news of its end), or else as the stream says.
func (b *Backend) attachSession(h *kubeSession) {
	ctx, cancel := context.WithCancel(b.ctx)
	h.mu.Lock()
	h.cancel = cancel
	h.mu.Unlock()
	if !h.alive() {
		cancel()
		return
	}
	attach := b.sess.attach
	if attach == nil {
		attach = b.attachStream
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() {
		err := attach(ctx, h.pod, inR, outW)
		ended := io.EOF
		if err != nil {
			ended = err
		}
		outW.CloseWithError(ended)
		inR.CloseWithError(ended)
		select {
		case <-h.done:
		case <-time.After(b.cfg.EndWait):
		}
		b.endSession(h, "its attach stream to pod "+h.pod+" ended: "+ended.Error(), "")
	}()
	rest, err := handshake(ctx, inW, outR, pingEvery, pingTries)
	if err != nil {
		// A container that ended (no interpreter in the image) ends
		// the stream before the kubelet reports why: its report is
		// waited for (as long as an ended pod's streams are), as it
		// says more; a loaded node may take a while.
		select {
		case <-h.done:
		case <-time.After(b.cfg.EndWait):
		}
		b.endSession(h, "could not reach its interpreter through pods/attach: "+err.Error(), "")
		return
	}
	h.conn = session.NewConn(h.kind, inW, rest)
	h.conn.SetMax(int(min(b.cfg.MaxOutput, session.DefaultMax)))
	close(h.ready)
}

// sessionAttemptLost is why a block of a session that was running when
// Borges stopped is lost.
const sessionAttemptLost = "its session's interpreter was reached through the Borges that stopped: a session does not outlive it (its pod is deleted; restart the block to run the session again)"
