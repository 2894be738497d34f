package local

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"syscall"

	"github.com/docker/docker/api/types/container"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
	"github.com/wallyqs/borges/internal/taskenv"
	"github.com/wallyqs/borges/internal/terminal"
	"github.com/wallyqs/borges/internal/workdir"
)

// A Babel session (":session NAME") is one interpreter that runs its
// blocks one after the other (package session). Here the interpreter is a
// process of its own (its own process group and cgroup, with the first
// block's resources) or, for :dockerize, a container of its own, started
// by the session's first block in that block's sandbox (its working
// directory, unless :dir); each block is then an attempt that sends its
// body to the interpreter and ends when Babel would read its result: the
// result is the attempt's standard output (and, for a Python or Ruby
// block's value, its value file), what the interpreter printed for the
// block, prompts and tracebacks included, its standard error (written as
// it arrives, so that its log can be followed). A session
// ends when the engine closes it (CloseSession), when one of its blocks is
// killed or times out, or with the server: its interpreter reads its input
// from the server, and ends when that closes.

// sessionHost is a session's running interpreter.
type sessionHost struct {
	id   string
	conn *session.Conn
	stop func()        // kills the interpreter, whatever it started
	done chan struct{} // closed once it has ended
	// exit says how it ended, once done is closed.
	exit string

	mu     sync.Mutex
	killed map[string]bool // attempts killed on request
}

func (h *sessionHost) alive() bool {
	select {
	case <-h.done:
		return false
	default:
		return true
	}
}

// CloseSession ends a session's interpreter.
func (b *Backend) CloseSession(ctx context.Context, id string) error {
	b.mu.Lock()
	h := b.sessions[id]
	delete(b.sessions, id)
	b.mu.Unlock()
	if h != nil {
		h.stop()
	}
	return nil
}

// launchSession runs a block of a session: in its interpreter, started by
// the first block that needs it.
func (b *Backend) launchSession(a *engine.Attempt) error {
	if err := b.makeAttemptDirs(a.ID); err != nil {
		return fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	if err := b.roots.dir("attempts").WriteFile(a.ID+"/script", []byte(a.Script), 0o644); err != nil {
		return fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	h, err := b.sessionHost(a)
	if err != nil {
		return fmt.Errorf("attempt %s: :session %s: %w", a.ID, a.Task.Session.Name, err)
	}
	b.mu.Lock()
	b.sessionAttempts[a.ID] = h
	b.mu.Unlock()
	b.Emit(engine.Update{AttemptID: a.ID, State: engine.Running, Message: "in session " + a.Task.Session.Name})
	go b.runSessionBlock(h, a)
	return nil
}

// runSessionBlock sends the block and reports how it ended.
func (b *Backend) runSessionBlock(h *sessionHost, a *engine.Attempt) {
	defer func() {
		b.mu.Lock()
		delete(b.sessionAttempts, a.ID)
		b.mu.Unlock()
	}()
	s := a.Task.Session
	o := session.RunBlock(context.Background(), session.BlockRun{
		Request: session.Request{Body: a.Script, Value: s.Value, PP: s.PP, ShellForms: s.ShellForms},
		Kind:    session.Kind(s.Kind),
		Timeout: a.Task.Timeout,
		Stopped: "its session's interpreter is stopped",
		Conn:    func() *session.Conn { return h.conn },
		Ended:   h.done,
		Exit:    func() string { return h.exit },
		// The transcript is the block's standard error as it runs (its
		// log followed live); its result, standard output, comes at its
		// end.
		Live: session.LiveFile(b.attemptFile(a.ID, "stderr"), 0o600),
		Killed: func() bool {
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.killed[a.ID]
		},
		Stop: func(session.OutcomeKind) {
			h.stop()
			b.mu.Lock()
			if b.sessions[h.id] == h {
				delete(b.sessions, h.id)
			}
			b.mu.Unlock()
		},
		Write: func(out session.Output) error {
			err := b.writeSandboxFiles(a.ID, out.Files())
			b.writeSessionOutput(a.ID, out.Stdout, out.Transcript)
			return err
		},
	})
	zero := 0
	u := engine.Update{AttemptID: a.ID, State: engine.Failed, Message: o.Message}
	switch o.Kind {
	case session.Finished:
		u.State, u.ExitCode = engine.Finished, &zero
	case session.Killed:
		u.State = engine.Killed
	case session.TimedOut:
		u.TimedOut = true
	}
	b.Emit(u)
}

// writeSandboxFiles writes a session block's files in attempt id's
// sandbox, opened once through no link for all of them (openSandbox),
// none written through a link; it stops at the first it cannot write.
func (b *Backend) writeSandboxFiles(id string, files []session.File) error {
	if len(files) == 0 {
		return nil
	}
	dir, err := b.nestedPaths(id).openSandbox()
	if err != nil {
		return err
	}
	defer dir.Close()
	for _, f := range files {
		if err := dir.WriteFile(f.Name, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// writeSessionOutput writes a session block's output files: its result
// text as standard output, the interpreter's transcript as standard error.
func (b *Backend) writeSessionOutput(id, stdout, transcript string) {
	for stream, text := range map[string]string{"stdout": stdout, "stderr": transcript} {
		dir, name := b.nestedPaths(id).output(stream)
		if err := dir.WriteFile(name, []byte(text), 0o600); err != nil {
			b.log.Warn("writing a session block's output", "attempt", id, "err", err)
		}
	}
}

// killSession kills a session block's attempt: its interpreter with it.
func (b *Backend) killSession(h *sessionHost, id string) {
	h.mu.Lock()
	h.killed[id] = true
	h.mu.Unlock()
	h.stop()
}

// sessionHost returns the running interpreter of an attempt's session,
// starting it if there is none (or it has ended).
func (b *Backend) sessionHost(a *engine.Attempt) (*sessionHost, error) {
	b.sessionStart.Lock()
	defer b.sessionStart.Unlock()
	b.mu.Lock()
	h := b.sessions[a.Session]
	b.mu.Unlock()
	if h != nil && h.alive() {
		return h, nil
	}
	var err error
	if a.Task.Container != nil {
		h, err = b.startSessionContainer(a)
	} else {
		h, err = b.startSessionProcess(a)
	}
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.sessions[a.Session] = h
	b.mu.Unlock()
	return h, nil
}

func newSessionHost(id string) *sessionHost {
	return &sessionHost{id: id, done: make(chan struct{}), killed: map[string]bool{}}
}

// sessionWorkDir is where a session's interpreter starts: the first
// block's sandbox, or its :dir, opened as a process block's is (workDir:
// a relative :dir made beneath the sandbox through no link, any other
// following the user's links but none into DATA), the interpreter
// started in the directory opened.
func (b *Backend) sessionWorkDir(a *engine.Attempt) (workdir.Start, error) {
	paths := b.nestedPaths(a.ID)
	sandbox := paths.sandboxDir()
	work, err := plan.WorkDir(sandbox, a.Task.Dir, func() (string, error) { return blockHome(a) }) // as the Mesos executor's
	if err != nil {
		return workdir.Start{}, err
	}
	return b.workDir(paths, sandbox, work)
}

// startSessionProcess starts a session's interpreter on a terminal of its
// own (package terminal), the leader of its own session, in a cgroup of
// its own where there are cgroups.
func (b *Backend) startSessionProcess(a *engine.Attempt) (*sessionHost, error) {
	argv := a.Task.Session.Command
	if len(argv) == 0 {
		return nil, errors.New("no interpreter")
	}
	work, err := b.sessionWorkDir(a)
	if err != nil {
		return nil, fmt.Errorf("block %s at line %d: :dir %s: %w", a.Task.Block, a.Task.Line, a.Task.Dir, err)
	}
	if work.File != nil {
		defer work.File.Close() // once started in it
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	if errors.Is(cmd.Err, exec.ErrNotFound) {
		// As a block's missing interpreter is said (interpCheck).
		return nil, fmt.Errorf("borges: %s is not installed here", argv[0])
	}
	cmd.Dir = work.Path
	env := session.InterpreterEnv(a.Env, a.Session)
	env["BORGES_SANDBOX"] = b.SandboxDir(a.ID)
	cmd.Env = append(append(withoutUnset(baseEnv(env, ""), a), session.Env()...), pwdEnv(work)...)
	var cg *attemptCgroup
	if b.cgroups != nil {
		if made, err := b.cgroups.Create(a.ID+".session", a.Task.Resources); err != nil {
			b.log.Warn("session cgroup not created; running without limits", "session", a.Session, "err", err)
		} else {
			cg = made
		}
	}
	// The interpreter runs on a terminal, as Emacs runs it, the leader
	// of its own session.
	tty, err := terminal.Start(cmd)
	if err != nil {
		cg.Remove()
		return nil, err
	}
	pid := cmd.Process.Pid
	if cg != nil {
		if err := cg.Add(pid); err != nil {
			b.log.Warn("could not move a session's interpreter into its cgroup", "session", a.Session, "err", err)
		}
	}
	h := newSessionHost(a.Session)
	h.conn = session.NewConn(session.Kind(a.Task.Session.Kind), tty, tty)
	h.conn.SetMax(int(min(b.cfg.MaxOutput, session.DefaultMax)))
	var once sync.Once
	h.stop = func() {
		once.Do(func() {
			terminal.Kill(pid, syscall.SIGKILL)
			cg.Kill()
		})
	}
	go func() {
		err := cmd.Wait()
		h.exit = "exit status 0"
		if err != nil {
			h.exit = err.Error()
		}
		h.stop()
		tty.Close()
		cg.Remove()
		close(h.done)
	}()
	return h, nil
}

// containerTerminal is the program (sh -c) that sets a session
// container's terminal as Emacs sets one, with the stty argument it is
// given ($1), then runs the interpreter (the arguments after it). Without
// a stty that takes it the interpreter would echo its input: the session
// fails, saying so.
const containerTerminal = `stty "$1" || { echo "borges: the image's stty could not set its terminal as Emacs sets it" >&2; exit 125; }
shift
exec "$@"`

// detachKeys is the key sequence that detaches from a container's
// terminal (Docker reads it in what Borges sends, which is a session's
// blocks): one a block is most unlikely to hold, in place of Docker's
// ^P^Q, which a block may hold.
const detachKeys = "ctrl-@,ctrl-^,ctrl-@,ctrl-],ctrl-@,ctrl-^,ctrl-@,ctrl-]"

// startSessionContainer starts a session's interpreter in a container of
// its own (the first block's :image, resources and sandbox at
// /mnt/borges), on the container's terminal, attached; the image needs an
// sh and a stty.
func (b *Backend) startSessionContainer(a *engine.Attempt) (*sessionHost, error) {
	if why := b.docker.unavailable(context.Background()); why != "" {
		return nil, fmt.Errorf(":dockerize t :image %s: %s", a.Task.Container.Image, why)
	}
	ctx, cancel := b.lifetime()
	if err := b.docker.ensureImage(ctx, a.Task.Container.Image); err != nil {
		cancel()
		return nil, err
	}
	env := []string{"BORGES_SANDBOX=" + SandboxPath}
	for k, v := range session.InterpreterEnv(a.Env, a.Session) {
		env = append(env, k+"="+v)
	}
	env = append(env, session.Env()...)
	// The sandbox made for it (nestedPaths, as launchSession made it),
	// whatever is at the flat layout's names, checked right before the
	// start (checkMounts); with the helper, the interpreter starts only
	// once the container has checked its mounts are it and the first
	// block's program (mountcheck.go).
	meant, err := b.meantMounts(a.ID)
	if err != nil {
		cancel()
		return nil, err
	}
	cfg, host := containerConfig(a, b.nestedPaths(a.ID).sandboxDir(), b.attemptFile(a.ID, "script"), meant, env, nil, b.cfg.DataDir, b.cfg.MaxOutput, b.cfg.UnsetHelper)
	// The interpreter runs on the container's terminal (one stream, its
	// output and errors in order), which the image's stty sets as Emacs
	// sets a terminal: Borges holds only its master.
	// The shell takes away what the document's Emacs removed, as the
	// container's environment cannot all of it (runtimeGiven).
	step, _ := taskenv.ExecStep(a.Unset)
	// A :dir naming a home is entered by the same shell (containerStart).
	work, home := containerStart(a)
	terminalStep := home + strings.TrimSuffix(containerTerminal, `exec "$@"`) + step
	cfg.Entrypoint = append([]string{"sh", "-c", terminalStep, "sh", terminal.Stty()}, a.Task.Session.Command...)
	if b.cfg.UnsetHelper != "" {
		cfg.Entrypoint = append(append(helperArgs(meant, work), "--"), cfg.Entrypoint...)
	}
	cfg.Tty = true
	cfg.OpenStdin, cfg.AttachStdin, cfg.AttachStdout, cfg.AttachStderr, cfg.StdinOnce = true, true, true, true, false
	cfg.Labels[labelAttempt] = a.ID + ".session"
	name := containerName(a.ID) + ".session"
	cli := b.docker.cli
	created, err := cli.ContainerCreate(ctx, cfg, host, nil, nil, name)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("could not create the session's container: %w", err)
	}
	remove := func() {
		cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true})
	}
	if err := b.ownSandbox(ctx, created.ID, a); err != nil {
		remove()
		cancel()
		return nil, err
	}
	if err := b.checkMounts(a, host, meant.script); err != nil {
		remove()
		cancel()
		return nil, err
	}
	if b.beforeStart != nil {
		b.beforeStart(a.ID)
	}
	att, err := cli.ContainerAttach(ctx, created.ID, container.AttachOptions{Stream: true, Stdin: true, Stdout: true, Stderr: true, DetachKeys: detachKeys})
	if err != nil {
		remove()
		cancel()
		return nil, fmt.Errorf("could not attach to the session's container: %w", err)
	}
	if err := cli.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		att.Close()
		remove()
		cancel()
		return nil, fmt.Errorf("could not start the session's container: %w", err)
	}
	h := newSessionHost(a.Session)
	// On a terminal the attached stream is the terminal's output as it
	// is, not standard output and error multiplexed.
	h.conn = session.NewConn(session.Kind(a.Task.Session.Kind), att.Conn, att.Reader)
	h.conn.SetMax(int(min(b.cfg.MaxOutput, session.DefaultMax)))
	var once sync.Once
	h.stop = func() { once.Do(remove) }
	go func() {
		defer cancel()
		waitC, errC := cli.ContainerWait(ctx, created.ID, container.WaitConditionNotRunning)
		select {
		case res := <-waitC:
			h.exit = fmt.Sprintf("exit status %d", res.StatusCode)
		case err := <-errC:
			h.exit = err.Error()
		}
		h.stop()
		att.Close()
		close(h.done)
	}()
	return h, nil
}
