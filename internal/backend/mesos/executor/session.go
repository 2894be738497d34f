package executor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"syscall"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/sandboxfs"
	"github.com/wallyqs/borges/internal/session"
	"github.com/wallyqs/borges/internal/terminal"
)

// Babel sessions (":session NAME") on the executor. A session's
// interpreter is a task of its own (the "session task"): Borges launches
// it onto the executor with the session's first block, and it lives until
// Borges kills it (the engine closes the session), a block of it is killed,
// fails or times out, or the executor ends. The interpreter runs on a
// terminal of its own, set as Emacs sets one (package terminal), the leader
// of its own session, in a cgroup of its own as every task here; the
// executor holds the terminal (package session's Conn). Each block of the
// session is a task too, launched onto the same executor: it has no
// process; the executor sends its body to the interpreter and reads its
// result as Babel does, exactly as the local backend does, then reports
// the block's end through status updates, which the agent keeps and
// re-sends until Borges acknowledges them. Its stdout
// is its result text, its stderr the interpreter's transcript of it
// (written as it arrives), its value file a Python or Ruby block's value.

// SessionKindLabel marks a session task: its value is the session's kind
// (session.Shell, Python, Ruby); its command (in its data, as any task's)
// runs the interpreter.
const SessionKindLabel = "borges_session_kind"

// SessionDirLabel names, on a session task, the task whose directory the
// interpreter starts in: the session's first block's, as on this machine
// the interpreter starts in the first block's sandbox.
const SessionDirLabel = "borges_session_dir"

// SessionWorkDirLabel, on a session task, is the session's first block's
// :dir, where the interpreter starts (made if missing): absolute, under
// the home directory (~/...), or relative to that block's sandbox, as
// the local backend starts it. Absent for none: the sandbox.
const SessionWorkDirLabel = "borges_session_workdir"

// SessionLabel marks a block of a session: its value is the id of the
// session's task, on this executor.
const SessionLabel = "borges_session"

// SessionBlock is what a block of a session carries as its data.
type SessionBlock struct {
	// Body is what the interpreter is sent (session.Request.Body).
	Body string `json:"body"`
	// Value and PP: a Python or Ruby block's result is its value
	// (pretty-printed).
	Value bool `json:"value,omitempty"`
	PP    bool `json:"pp,omitempty"`
	// ShellForms: Body holds a "shell" block's two forms
	// (session.Request.ShellForms).
	ShellForms bool `json:"shellForms,omitempty"`
	// Timeout is the block's :timeout (a Go duration), "" for none: past
	// it the interpreter is stopped and the block fails.
	Timeout string `json:"timeout,omitempty"`
}

// taskKilled is why an interpreter stopped when its session's task was
// killed: by Borges, closing the session or ending one it does not know
// (after its own restart).
const taskKilled = "its task was killed"

// sessionHost is a session's running interpreter.
type sessionHost struct {
	kind  session.Kind
	ready chan struct{} // closed once started, or failed to (err)
	err   error
	conn  *session.Conn
	pid   int
	procs *taskProcs
	done  chan struct{} // closed once the interpreter has ended
	exit  string        // how it ended, once done is closed

	stopOnce sync.Once
	mu       sync.Mutex
	stopped  string // why it was stopped, if it was
}

// stop kills the interpreter and everything it started, at once (an
// interactive shell ignores SIGTERM), saying why.
func (h *sessionHost) stop(why string) {
	select {
	case <-h.ready:
	default:
		return // not started: nothing to stop yet (see runSessionHost)
	}
	h.stopOnce.Do(func() {
		h.mu.Lock()
		select {
		case <-h.done:
		default:
			h.stopped = why
		}
		h.mu.Unlock()
		if h.pid > 0 {
			killTree(h.pid, syscall.SIGKILL)
		}
		if h.procs != nil {
			h.procs.signal(syscall.SIGKILL)
		}
	})
}

func (h *sessionHost) stoppedWhy() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stopped
}

// label is the value of a task's label key ("" if it has none).
func label(info mesos.TaskInfo, key string) string {
	if info.Labels == nil {
		return ""
	}
	for _, l := range info.Labels.Labels {
		if l.Key == key {
			return l.GetValue()
		}
	}
	return ""
}

// runTask runs a task to its end: a session's interpreter, a block of a
// session, or a command.
func (e *Executor) runTask(ctx context.Context, t *task) (mesos.TaskState, string) {
	switch {
	case label(t.info, SessionKindLabel) != "":
		return e.runSessionHost(ctx, t)
	case label(t.info, SessionLabel) != "":
		return e.runSessionBlock(ctx, t)
	}
	return e.run(ctx, t)
}

// sessionHostLocked is the interpreter of the session task st (id), made
// (not started) if there is none: its task and its blocks find it
// whichever runs first. nil when st's interpreter has come and gone (its
// task's stop is set when it begins, and its interpreter forgotten when it
// ends). The caller holds e.mu.
func (e *Executor) sessionHostLocked(id string, st *task) *sessionHost {
	if e.sessions == nil {
		e.sessions = map[string]*sessionHost{}
	}
	h := e.sessions[id]
	if h == nil && st.stop == nil {
		h = &sessionHost{ready: make(chan struct{}), done: make(chan struct{})}
		e.sessions[id] = h
	}
	return h
}

// runSessionHost starts a session's interpreter and waits for its end.
func (e *Executor) runSessionHost(ctx context.Context, t *task) (mesos.TaskState, string) {
	id := t.info.TaskID.Value
	e.mu.Lock()
	h := e.sessionHostLocked(id, t)
	// From now on a kill stops the interpreter (once it has started: a
	// kill before is seen once it has).
	t.stop = func() { h.stop(taskKilled) }
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		if e.sessions[id] == h {
			delete(e.sessions, id)
		}
		e.mu.Unlock()
	}()
	fail := func(format string, args ...any) (mesos.TaskState, string) {
		h.err = fmt.Errorf(format, args...)
		close(h.ready)
		close(h.done)
		return mesos.TASK_FAILED, h.err.Error()
	}
	first := label(t.info, SessionDirLabel)
	if first == "" {
		first = id
	}
	// Its own directory, and its first block's, which that block may
	// have made (makeTaskDir).
	if first != id {
		own, err := e.makeTaskDir(id, false)
		if err != nil {
			return fail("Failed to launch: %v", err)
		}
		own.Close()
	}
	box, err := e.makeTaskDir(first, first != id)
	if err != nil {
		return fail("Failed to launch: %v", err)
	}
	defer box.Close()
	sandbox := box.Path()
	c, err := Command(t.info)
	if err != nil {
		return fail("%v", err)
	}
	argv := append([]string{c.GetValue()}, c.Arguments...)
	if len(c.Arguments) > 0 {
		argv = c.Arguments
	}
	if argv[0] == "" {
		return fail("the session's task has no interpreter")
	}
	env := taskEnv(sandbox, id, t.info, c)
	// Its first block's :dir, opened as the local backend opens it: the
	// interpreter starts in the directory opened, its PWD the :dir as
	// written where that is the directory opened (as Emacs gives it).
	start, err := e.openWorkDir(box, label(t.info, SessionWorkDirLabel), env)
	if err != nil {
		return fail("Failed to launch: :dir %s: %v", label(t.info, SessionWorkDirLabel), err)
	}
	held := start.File
	defer held.Close() // on a failure before the start
	if start.Written != "" {
		env = append(env, "PWD="+start.Written)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = start.Path
	env = append(env, "BORGES_SANDBOX="+sandbox)
	env = append(env, session.Env()...)
	procs := e.newTaskProcs(t.info)
	cmd.Env = append(env, procs.env())
	// The interpreter runs on a terminal, as on the local backend (and
	// in Emacs), the leader of its own session.
	tty, err := terminal.Start(cmd)
	held.Close() // started in it, or not at all
	if err != nil {
		procs.killAll()
		return fail("Failed to launch: %v", err)
	}
	if procs.cg != nil {
		if err := procs.cg.Add(cmd.Process.Pid); err != nil {
			e.log.Printf("session %s: not moved into its cgroup: %v", id, err)
		}
	}
	h.kind = session.Kind(label(t.info, SessionKindLabel))
	h.conn = session.NewConn(h.kind, tty, tty)
	h.pid, h.procs = cmd.Process.Pid, procs
	close(h.ready)
	e.mu.Lock()
	t.pid, t.procs = h.pid, procs
	killed := t.killed
	e.mu.Unlock()
	if killed {
		h.stop(taskKilled)
	}
	e.update(ctx, t, mesos.TASK_RUNNING, nil, "")
	err = cmd.Wait()
	h.exit = "exit status 0"
	if err != nil {
		h.exit = err.Error()
	}
	killTree(h.pid, syscall.SIGKILL)
	if !procs.killAll() {
		e.log.Printf("session %s: processes still running after its interpreter ended", id)
	}
	tty.Close()
	close(h.done)
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	switch why := h.stoppedWhy(); {
	case why != "":
		return mesos.TASK_KILLED, "the session's interpreter was stopped: " + why
	case err == nil:
		return mesos.TASK_FINISHED, "Command exited with status 0"
	case ws.Signaled():
		return mesos.TASK_FAILED, "Command terminated with signal " + ws.Signal().String()
	default:
		return mesos.TASK_FAILED, fmt.Sprintf("Command exited with status %d", ws.ExitStatus())
	}
}

// runSessionBlock sends a block to its session's interpreter and says how
// it ended. A block whose session's task is not on this executor is
// dropped: run in a fresh interpreter it would not see what the blocks
// before it built (Borges runs the session again).
func (e *Executor) runSessionBlock(ctx context.Context, t *task) (mesos.TaskState, string) {
	id := t.info.TaskID.Value
	sid := label(t.info, SessionLabel)
	e.mu.Lock()
	st := e.tasks[sid]
	e.mu.Unlock()
	// Its directory, which its session's interpreter may have made
	// first if it is the session's first block (makeTaskDir).
	box, err := e.makeTaskDir(id, st != nil && label(st.info, SessionDirLabel) == id)
	if err != nil {
		return mesos.TASK_FAILED, "Failed to launch: " + err.Error()
	}
	defer box.Close()
	var req SessionBlock
	if err := json.Unmarshal(t.info.Data, &req); err != nil {
		return mesos.TASK_FAILED, "the block's data: " + err.Error()
	}
	var timeout time.Duration
	if req.Timeout != "" {
		if timeout, err = time.ParseDuration(req.Timeout); err != nil {
			return mesos.TASK_FAILED, "the block's timeout: " + err.Error()
		}
	}
	e.mu.Lock()
	st = e.tasks[sid]
	var h *sessionHost
	if st != nil && label(st.info, SessionKindLabel) != "" {
		h = e.sessionHostLocked(sid, st)
	}
	e.mu.Unlock()
	if h == nil {
		return mesos.TASK_DROPPED, "its session's interpreter (task " + sid + ") is not on this executor"
	}
	select {
	case <-h.ready:
	case <-ctx.Done():
		return mesos.TASK_FAILED, ctx.Err().Error()
	}
	if h.err != nil {
		return mesos.TASK_FAILED, "its session's interpreter did not start: " + h.err.Error()
	}
	// Killing the block kills the interpreter: what it runs is the block.
	e.mu.Lock()
	t.pid, t.procs = h.pid, h.procs
	t.stop = func() { h.stop("block " + id + " was killed") }
	killed := t.killed
	e.mu.Unlock()
	if killed {
		h.stop("block " + id + " was killed")
		return mesos.TASK_KILLED, "killed before it ran"
	}
	e.update(ctx, t, mesos.TASK_RUNNING, nil, "")
	o := session.RunBlock(ctx, session.BlockRun{
		Request: session.Request{Body: req.Body, Value: req.Value, PP: req.PP, ShellForms: req.ShellForms},
		Kind:    h.kind,
		Timeout: timeout,
		Stopped: "its session's interpreter is stopped",
		Conn:    func() *session.Conn { return h.conn },
		Ended:   h.done,
		Exit:    func() string { return h.exit },
		Live:    liveFile(box, "stderr"),
		Killed: func() bool {
			e.mu.Lock()
			defer e.mu.Unlock()
			return t.killed
		},
		Stop: func(why session.OutcomeKind) {
			if said := blockStopped[why]; said != "" {
				h.stop("block " + id + " " + said)
			}
		},
		Write: func(out session.Output) error { return writeSessionOutput(box, out) },
	})
	switch o.Kind {
	case session.Finished:
		return mesos.TASK_FINISHED, "Command exited with status 0"
	case session.Killed:
		return mesos.TASK_KILLED, "killed: its session's interpreter is stopped"
	case session.TimedOut:
		// Said by its reason, as a task past its max_completion_time
		// (launch gives timedOutReason): the scheduler flags the
		// attempt timed out by it, not by these words.
		e.mu.Lock()
		t.timedOut = true
		e.mu.Unlock()
	case session.Ended:
		if h.stoppedWhy() == taskKilled {
			// Not the block's doing: it is to run again, with the
			// session before it (Borges reports it lost).
			return mesos.TASK_DROPPED, "its session's interpreter was stopped: its task was killed"
		}
	}
	return mesos.TASK_FAILED, o.Message
}

// blockStopped says why a block's end stopped its session's interpreter
// (the session task's end says it); an interpreter that ended is not
// stopped.
var blockStopped = map[session.OutcomeKind]string{
	session.Killed:   "was killed",
	session.TimedOut: "timed out",
	session.TooLong:  "printed too much",
	session.Failed:   "failed",
}

// writeSessionOutput writes a session block's stdout (its result text, or
// for a value its output) and the files beside it (session.Output.Files),
// in its directory box, through no link.
func writeSessionOutput(box *sandboxfs.Dir, out session.Output) error {
	for _, f := range out.Files() {
		if err := box.WriteFile(f.Name, f.Data, 0o644); err != nil {
			return err
		}
	}
	return box.WriteFile("stdout", []byte(out.Stdout), 0o644)
}

// liveFile is session.LiveFile's file made in box through no link: name
// created, or emptied, for the transcript; none (nil) where it cannot be
// (a link there).
func liveFile(box *sandboxfs.Dir, name string) func() (io.WriteCloser, error) {
	return func() (io.WriteCloser, error) {
		f, err := box.Create(name, 0o644)
		if err != nil {
			return nil, nil
		}
		return f, nil
	}
}
