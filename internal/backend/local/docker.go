package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/go-connections/nat"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/taskenv"
)

// Blocks with :dockerize t run in a container of the machine's Docker
// engine. The attempt's sandbox is mounted in the container, so the value
// file and the files it writes are where they are for a process; the
// program is mounted read-only beside it; the container's output is
// copied from the engine's log into the attempt's stdout and stderr
// files, so logs and results read the same way. Those files are outside
// what the container sees: it cannot replace them with links. The engine keeps a container's exit status
// until Borges removes it, so a restarted server re-attaches to running
// containers and reads the status of those that ended while it was down.

// SandboxPath is where an attempt's sandbox appears inside its container;
// it is the working directory unless :dir says otherwise.
const SandboxPath = "/mnt/borges"

// ScriptPath is where the program appears inside the container, read-only.
const ScriptPath = "/mnt/borges-script"

// Container labels: the attempt a container runs, and the data directory
// of the server that started it (two servers on one engine leave each
// other's containers alone).
const (
	labelAttempt = "borges.attempt"
	labelData    = "borges.data"
)

// docker is the Docker engine side of the local backend.
type docker struct {
	cli     *client.Client
	dataDir string
	// configured is DATA as configured, made absolute (filepath.Abs), not
	// resolved: the label a server before datadir.Make gave its
	// containers, "" where it is dataDir.
	configured string
	log        *slog.Logger

	mu         sync.Mutex
	checked    time.Time
	down       string // why the engine is unusable, "" when it answered the last ping
	refreshing bool

	pullMu sync.Mutex
	pulls  map[string]*pull

	usernsOnce sync.Once
	userns     bool // the engine remaps users (see owner.go)

	kernelOnce    sync.Once
	onOtherKernel bool // the engine's containers run on another kernel (mountcheck.go)
	// uncheckedOnce says, at the first container of a backend with no
	// static helper, that no container's mounts are checked from inside.
	uncheckedOnce sync.Once
}

// pull is one image pull that concurrent launches of the same image share;
// it is given up when the last of them no longer waits (all killed).
type pull struct {
	done    chan struct{}
	err     error
	waiters int
	cancel  context.CancelFunc
}

// ctr is a container attempt in flight.
type ctr struct {
	id       string // the attempt's
	name     string // the container's
	done     chan struct{}
	mu       sync.Mutex
	killed   bool
	timedOut time.Duration
	started  bool
	// script is the program written for it, known by its identity
	// (checkMounts).
	script fileID
	// stopPull ends the wait for the image, so that a kill does not wait
	// for a pull to finish.
	stopPull context.CancelFunc
	forget   sync.Once
}

func newDocker(dataDir, configured string, log *slog.Logger) *docker {
	if configured == dataDir {
		configured = ""
	}
	d := &docker{dataDir: dataDir, configured: configured, pulls: map[string]*pull{}, log: log}
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		d.down = err.Error()
		d.checked = time.Now().Add(100 * 365 * 24 * time.Hour)
		return d
	}
	d.cli = cli
	return d
}

// unavailable says why containers cannot run now ("" when they can). It
// is asked on every submit, so the answer of a ping is kept a few seconds
// and refreshed in the background: a slow engine never slows a POST down,
// except for the very first question.
func (d *docker) unavailable(ctx context.Context) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.checked.IsZero() {
		d.down = d.ping(ctx)
		d.checked = time.Now()
		return d.down
	}
	if time.Since(d.checked) > 5*time.Second && !d.refreshing {
		d.refreshing = true
		go func() {
			down := d.ping(context.Background())
			d.mu.Lock()
			d.down, d.checked, d.refreshing = down, time.Now(), false
			d.mu.Unlock()
		}()
	}
	return d.down
}

func (d *docker) ping(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if _, err := d.cli.Ping(ctx); err != nil {
		return "the Docker engine does not answer (" + err.Error() + ")"
	}
	return ""
}

// containerName is the container of an attempt. Attempt ids are made of
// letters, digits, '.', '_' and '-', all allowed in container names.
func containerName(attemptID string) string { return "borges-" + attemptID }

// ensureImage makes the image present, pulling it once if it is not; an
// image that is neither present nor pullable fails the attempt with the
// engine's reason.
func (d *docker) ensureImage(ctx context.Context, ref string) error {
	if _, err := d.cli.ImageInspect(ctx, ref); err == nil {
		return nil
	} else if !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("image %s: %w", ref, err)
	}
	d.pullMu.Lock()
	p := d.pulls[ref]
	if p == nil {
		d.log.Info("pulling an image that is not on this machine", "image", ref)
		pullCtx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		p = &pull{done: make(chan struct{}), cancel: cancel}
		d.pulls[ref] = p
		go func() {
			defer cancel()
			p.err = d.pullImage(pullCtx, ref)
			d.pullMu.Lock()
			delete(d.pulls, ref)
			d.pullMu.Unlock()
			close(p.done)
		}()
	}
	p.waiters++
	d.pullMu.Unlock()
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
		d.pullMu.Lock()
		p.waiters--
		if p.waiters == 0 {
			p.cancel()
		}
		d.pullMu.Unlock()
		return ctx.Err()
	}
}

func (d *docker) pullImage(ctx context.Context, ref string) error {
	rc, err := d.cli.ImagePull(ctx, ref, image.PullOptions{})
	if err != nil {
		return fmt.Errorf("image %s is not on this machine and could not be pulled: %w", ref, err)
	}
	defer rc.Close()
	// The pull reports progress, and failures, as a stream of JSON
	// messages; the HTTP status is 200 either way.
	dec := json.NewDecoder(rc)
	for {
		var m struct {
			Error string `json:"error"`
		}
		if err := dec.Decode(&m); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("pulling image %s: %w", ref, err)
		}
		if m.Error != "" {
			return fmt.Errorf("image %s is not on this machine and could not be pulled: %s", ref, m.Error)
		}
	}
}

// containerConfig is the container of an attempt: its program with the
// interpreter the block asks for, run by the engine's init (so that a
// SIGTERM reaches the program, which as PID 1 would ignore it), the
// sandbox mounted, the resources as limits (:cpu as a share, a quota only
// for :cpu-limit), and host ports for :ports.
//
// With unsetHelper (Config.UnsetHelper, a static borges mounted
// read-only at UnsetHelperPath, which needs nothing of the image), the
// program runs only once the container has checked, from inside, that
// its sandbox and program are what Borges meant to mount (meant, by
// identity: mountcheck.go), and the helper, not the engine, makes and
// enters the block's working directory, after that check: the engine
// starts the container in "/". The helper also takes away what the
// runtime would give the program and the document's Emacs removed
// (runtimeGives). Without it, the check is the one before the start
// alone (checkMounts), and the removal is a step of the image's /bin/sh.
func containerConfig(a *engine.Attempt, sandbox, script string, meant mountIDs, env []string, ports []int, dataDir string, maxOutput int64, unsetHelper string) (*container.Config, *container.HostConfig) {
	t := a.Task
	argv := append([]string{}, t.Interpreter...)
	argv = append(argv, ScriptPath)
	argv = append(argv, t.CmdLine...)
	binds := []string{sandbox + ":" + SandboxPath, script + ":" + ScriptPath + ":ro"}
	// A name alone takes the variable away: the image's (its PATH) and
	// the engine's (HOSTNAME) are not given.
	env = append(slices.Clip(env), a.Unset...)
	work, home := containerStart(a)
	if home != "" && (unsetHelper != "" || !runtimeGives(a.Unset)) {
		argv = append([]string{"/bin/sh", "-c", home + `exec "$@"`, "sh"}, argv...)
	}
	switch {
	case unsetHelper != "":
		// The helper checks the mounts, enters the working directory and
		// takes the variables away, having found the program in the
		// image's PATH.
		var unset []string
		if runtimeGives(a.Unset) {
			unset = a.Unset
		}
		env = env[:len(env)-len(unset)]
		argv = append(append(helperArgs(meant, work), unset...), append([]string{"--"}, argv...)...)
		binds = append(binds, unsetHelper+":"+UnsetHelperPath+":ro")
		work = "/"
	case runtimeGives(a.Unset):
		step, _ := taskenv.ExecStep(a.Unset)
		argv = append([]string{"/bin/sh", "-c", home + step, "sh"}, argv...)
	}
	cfg := &container.Config{
		Image:      t.Container.Image,
		Entrypoint: argv,
		Cmd:        nil,
		Env:        env,
		WorkingDir: work,
		Labels:     map[string]string{labelAttempt: a.ID, labelData: dataDir},
	}
	init := true
	host := &container.HostConfig{
		Binds:       binds,
		Init:        &init,
		NetworkMode: container.NetworkMode(t.Container.Network),
		LogConfig: container.LogConfig{Type: "json-file", Config: map[string]string{
			"max-size": strconv.FormatInt(engineLogSize(maxOutput), 10), "max-file": "2"}},
	}
	if host.NetworkMode == "" {
		host.NetworkMode = "host"
	}
	r := t.Resources
	if r.CPUs > 0 {
		// A request is a share of the CPUs, as for a process.
		host.CPUShares = cpuShares(r.CPUs)
	}
	if r.CPULimit > 0 {
		// The engine refuses less than a hundredth of a CPU.
		host.NanoCPUs = max(int64(r.CPULimit*1e9), 1e7)
	}
	pids := int64(r.Pids)
	if pids <= 0 {
		pids = plan.DefaultPids
	}
	host.PidsLimit = &pids
	if r.MemMB > 0 {
		// Nor less than 6 MB; swap is not extra memory.
		host.Memory = max(int64(r.MemMB*1024*1024), 6*1024*1024)
		host.MemorySwap = host.Memory
	}
	if r.GPUs > 0 {
		host.DeviceRequests = []container.DeviceRequest{{Count: r.GPUs, Capabilities: [][]string{{"gpu"}}}}
	}
	if host.NetworkMode == "bridge" && len(ports) > 0 {
		// On a bridge the program listens on $PORTn inside, reachable
		// on the same port of the host.
		cfg.ExposedPorts = nat.PortSet{}
		host.PortBindings = nat.PortMap{}
		for _, p := range ports {
			k := nat.Port(strconv.Itoa(p) + "/tcp")
			cfg.ExposedPorts[k] = struct{}{}
			host.PortBindings[k] = []nat.PortBinding{{HostPort: strconv.Itoa(p)}}
		}
	}
	return cfg, host
}

// containerWorkDir is where in its container task t's program runs: its
// :dir, beneath the sandbox unless absolute (one naming a home is
// containerStart's).
func containerWorkDir(t *plan.Task) string {
	if t.Dir == "" {
		return SandboxPath
	}
	if path.IsAbs(t.Dir) {
		return t.Dir
	}
	return path.Join(SandboxPath, t.Dir)
}

// containerStart is where in its container task a's program starts (the
// working directory the engine or the helper enters) and, where its :dir
// names a home (~, ~NAME), the shell step that makes and enters it from
// there: a home is the container's, found by the image's /bin/sh in the
// image's password database (engine.ShellWorkDirStep, as on Mesos and
// Kubernetes), never the host's.
func containerStart(a *engine.Attempt) (work, homeStep string) {
	if engine.DirNamesHome(a.Task.Dir) {
		return SandboxPath, engine.ShellWorkDirStep(engine.ShellQuote(SandboxPath), a.Task, a.Unset)
	}
	return containerWorkDir(a.Task), ""
}

// helperArgs begin the command of a container with the helper
// (UnsetHelperPath): its mount checks, then the working directory it
// makes and enters; the names it takes away and "--" follow.
func helperArgs(meant mountIDs, work string) []string {
	return append(append([]string{UnsetHelperPath}, meant.checks()...), taskenv.WorkDirArg(work))
}

// UnsetHelperPath is where a container has Config.UnsetHelper, named so
// that a static borges runs as taskenv.UnsetMain.
const UnsetHelperPath = "/.borges/" + taskenv.UnsetName

// runtimeGiven are the variables the container runtime gives a program
// whose environment lacks them, which a name alone in the container's
// environment does not take away: HOME (runc sets it from the image
// user's passwd entry).
var runtimeGiven = []string{"HOME"}

// runtimeGives reports whether unset (the variables the document's Emacs
// removed) holds one the runtime would give the program: then it runs
// through the shell step (taskenv.ExecStep), else without a shell. The
// step unsets every name of unset a shell can hold, not only those: a
// shell may give what it runs a variable it was not given (busybox's sh
// a PATH), not one it unset.
func runtimeGives(unset []string) bool {
	return slices.ContainsFunc(unset, func(name string) bool { return slices.Contains(runtimeGiven, name) })
}

// engineLogSize bounds the engine's own log of a container (two files of
// it): twice the cap kept of an output, and no less than 64 MiB, so that
// what Borges copies while it follows the log live is never rotated away
// under it. The engine's log holds each line with its JSON framing (tens
// of bytes more a line), so after a restart of Borges the copy of an
// output that had not reached its cap is rebuilt from what the engine
// still has: for an output of many short lines, its end only.
func engineLogSize(maxOutput int64) int64 {
	return max(2*maxOutput, 64<<20)
}

// launchContainer prepares the sandbox and hands the rest (pulling the
// image, creating and starting the container) to a goroutine: a pull can
// take minutes, and a launch must not hold the engine's launch slot.
func (b *Backend) launchContainer(a *engine.Attempt) error {
	if why := b.docker.unavailable(context.Background()); why != "" {
		return fmt.Errorf(":dockerize t :image %s: %s", a.Task.Container.Image, why)
	}
	if err := b.makeAttemptDirs(a.ID); err != nil {
		return fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	// The image's user, whoever it is, reads the program (mounted alone,
	// read-only: the attempt's directory stays private to the server).
	attempts := b.roots.dir("attempts")
	if err := attempts.WriteFile(a.ID+"/script", []byte(a.Script), 0o644); err != nil {
		return fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	if err := b.stageFiles(a); err != nil {
		return err
	}
	meant, err := b.meantMounts(a.ID)
	if err != nil {
		return fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	ports, err := b.ports.take(a.ID, a.Task.Resources.Ports)
	if err != nil {
		return fmt.Errorf("attempt %s: :ports %d: %w", a.ID, a.Task.Resources.Ports, err)
	}
	env := []string{"BORGES_SANDBOX=" + SandboxPath, "BORGES_VALUE_FILE=" + path.Join(SandboxPath, "value")}
	for k, v := range a.Env {
		env = append(env, k+"="+v)
	}
	env = append(env, portEnv(ports)...)
	c := &ctr{id: a.ID, name: containerName(a.ID), done: make(chan struct{}), script: meant.script}
	b.mu.Lock()
	b.ctrs[a.ID] = c
	b.mu.Unlock()
	// The sandbox made for it (nestedPaths), not whatever paths finds
	// first: checked to be so right before the start (checkMounts), and
	// from inside the started container (mountChecks).
	cfg, host := containerConfig(a, b.nestedPaths(a.ID).sandboxDir(), b.attemptFile(a.ID, "script"), meant, env, ports, b.cfg.DataDir, b.cfg.MaxOutput, b.cfg.UnsetHelper)
	go b.runContainer(c, a, cfg, host)
	return nil
}

// runContainer pulls, creates and starts an attempt's container, then
// follows it to its end.
func (b *Backend) runContainer(c *ctr, a *engine.Attempt, cfg *container.Config, host *container.HostConfig) {
	ctx, cancel := b.lifetime()
	defer cancel()
	fail := func(msg string) {
		b.forgetContainer(c)
		b.Emit(engine.Update{AttemptID: c.id, State: engine.Failed, Message: msg})
	}
	pullCtx, stopPull := context.WithCancel(ctx)
	defer stopPull()
	c.mu.Lock()
	c.stopPull = stopPull
	c.mu.Unlock()
	if c.isKilled() {
		stopPull()
	}
	if err := b.docker.ensureImage(pullCtx, a.Task.Container.Image); err != nil {
		if c.isKilled() {
			b.forgetContainer(c)
			b.Emit(engine.Update{AttemptID: c.id, State: engine.Killed, Message: "killed on request"})
			return
		}
		if ctx.Err() != nil {
			return // the server is stopping; Recover reports it lost
		}
		fail("could not start: " + err.Error())
		return
	}
	cli := b.docker.cli
	created, err := cli.ContainerCreate(ctx, cfg, host, nil, nil, c.name)
	if cerrdefs.IsConflict(err) {
		// Left by a server that stopped between create and start, if
		// it is the one it made (its id kept: ownsContainer); a
		// container of another's that took the name is left alone,
		// and the attempt fails.
		if info, ierr := cli.ContainerInspect(ctx, c.name); ierr == nil && (b.ownsContainer(c.id, info.ID) || b.madeFor(c.id, info)) {
			cli.ContainerRemove(ctx, info.ID, container.RemoveOptions{Force: true})
			created, err = cli.ContainerCreate(ctx, cfg, host, nil, nil, c.name)
		}
	}
	if err != nil {
		fail("could not create the container: " + err.Error())
		return
	}
	if err := b.recordContainer(c.id, created.ID); err != nil {
		cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true})
		fail("could not start: keeping the container's id: " + err.Error())
		return
	}
	if err := b.ownSandbox(ctx, created.ID, a); err != nil {
		cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true})
		fail("could not start: " + err.Error())
		return
	}
	c.mu.Lock()
	killed := c.killed
	c.mu.Unlock()
	if killed {
		cli.ContainerRemove(ctx, created.ID, container.RemoveOptions{Force: true})
		b.forgetContainer(c)
		b.Emit(engine.Update{AttemptID: c.id, State: engine.Killed, Message: "killed on request"})
		return
	}
	if err := b.checkMounts(a, host, c.script); err != nil {
		cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true})
		fail("could not start: " + err.Error())
		return
	}
	if b.beforeStart != nil {
		b.beforeStart(c.id)
	}
	if err := cli.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true})
		fail("could not start the container: " + err.Error())
		return
	}
	c.mu.Lock()
	c.started = true
	killed = c.killed
	c.mu.Unlock()
	if killed {
		b.stopContainer(c)
	}
	b.Emit(engine.Update{AttemptID: c.id, State: engine.Running, Message: "container " + shortID(created.ID) + " (" + c.name + ")"})
	if a.Task.Timeout > 0 {
		timer := time.AfterFunc(a.Task.Timeout, func() {
			c.mu.Lock()
			c.timedOut = a.Task.Timeout
			c.mu.Unlock()
			b.stopContainer(c)
		})
		defer timer.Stop()
	}
	b.followContainer(ctx, c)
}

// followContainer copies a started container's output into the attempt's
// files until it ends, then reports how it ended and removes it. Copying
// starts from the beginning of the engine's log, so after a restart of
// the server the files are rewritten whole.
func (b *Backend) followContainer(ctx context.Context, c *ctr) {
	cli := b.docker.cli
	copied := make(chan error, 1)
	go func() { copied <- b.copyLogs(ctx, c) }()
	waitC, errC := cli.ContainerWait(ctx, c.name, container.WaitConditionNotRunning)
	select {
	case <-waitC:
	case err := <-errC:
		if ctx.Err() != nil {
			return // the server is stopping; the container goes on
		}
		b.log.Warn("waiting for a container", "attempt", c.id, "err", err)
	}
	// The log stream ends when the container does; a bound keeps a stuck
	// stream from holding the result back.
	select {
	case err := <-copied:
		if err != nil && ctx.Err() == nil {
			b.log.Warn("copying a container's output", "attempt", c.id, "err", err)
		}
	case <-time.After(10 * time.Second):
		b.log.Warn("container output still streaming after its end", "attempt", c.id)
	case <-ctx.Done():
		return
	}
	b.finishContainer(ctx, c)
}

// outputCopy is where a container's stream is copied: the attempt's file,
// written anew as the output is kept (up to the cap, then the marker);
// but a copy already cut at the cap by a previous run of the server is
// final (the engine may no longer have its beginning) and is kept as it
// is, the stream thrown away. Never through a link: an attempt of a
// Borges of before the sandbox had its own directory had these files
// where its container could replace them.
func (b *Backend) outputCopy(id, stream string) (io.WriteCloser, error) {
	dir, name := b.nestedPaths(id).output(stream)
	if _, size, err := dir.ReadAt(name, 0, 0); err == nil && size > b.cfg.MaxOutput {
		return nopCloser{io.Discard}, nil
	}
	f, err := dir.Create(name, 0o600)
	if err != nil {
		return nil, err
	}
	return struct {
		io.Writer
		io.Closer
	}{newCappedWriter(f, b.cfg.MaxOutput), f}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// finishContainer reports an ended container's exit and removes it.
func (b *Backend) finishContainer(ctx context.Context, c *ctr) {
	cli := b.docker.cli
	u := engine.Update{AttemptID: c.id}
	info, err := cli.ContainerInspect(ctx, c.name)
	var oom bool
	image := ""
	if err == nil && info.Config != nil {
		image = info.Config.Image
	}
	if err == nil && info.State != nil {
		code := info.State.ExitCode
		u.ExitCode = &code
		oom = info.State.OOMKilled
		if info.State.Error != "" {
			u.Message = info.State.Error
		}
	}
	if err := cli.ContainerRemove(ctx, c.name, container.RemoveOptions{Force: true}); err != nil && !cerrdefs.IsNotFound(err) {
		b.log.Warn("removing a container", "attempt", c.id, "err", err)
	}
	b.forgetContainer(c)
	c.mu.Lock()
	killed, timedOut := c.killed, c.timedOut
	c.mu.Unlock()
	refused := ""
	if u.ExitCode != nil {
		refused = b.mountRefused(c.id, *u.ExitCode)
	}
	switch {
	case killed:
		u.State, u.Message = engine.Killed, "killed on request"
	case timedOut > 0:
		u.State, u.Message, u.TimedOut = engine.Failed, "timed out after "+timedOut.String(), true
	case oom:
		u.State, u.Message = engine.Failed, "killed: out of memory (the :mem limit)"
	case u.ExitCode != nil && *u.ExitCode == 0:
		u.State = engine.Finished
	case refused != "":
		u.State, u.Message = engine.Failed, "could not start: the container's "+refused
	case u.ExitCode != nil:
		msg := fmt.Sprintf("exit status %d", *u.ExitCode)
		if *u.ExitCode == 127 {
			msg += b.notInImage(c.id, image)
		}
		if u.Message != "" {
			msg += ": " + u.Message
		}
		u.State, u.Message = engine.Failed, msg
	default:
		u.State, u.Message = engine.Failed, fmt.Sprintf("container ended without an exit status (%v)", err)
	}
	b.Emit(u)
}

// tiniExecRe is how the engine's init says it could not start the
// program, or the image's shell step that takes variables away
// (containerConfig, no helper) that it could not (busybox: "exec: line
// 0: X: not found"; dash: "exec: X: not found"), or the helper
// ("borges-unset: X: not found").
var tiniExecRe = regexp.MustCompile(`exec (\S+) failed: No such file or directory|exec: (?:line \d+: )?(\S+): not found|^` + regexp.QuoteMeta(taskenv.UnsetName) + `: (\S+): not found`)

// notInImage explains an exit status 127: the interpreter the block needs
// is not in the image, or a command the program runs is not.
func (b *Backend) notInImage(id, image string) string {
	data, _, _ := b.ReadLog(context.Background(), id, "stderr", 0, 64<<10)
	if m := tiniExecRe.FindSubmatch(data); m != nil {
		return fmt.Sprintf(": the image %s has no %s", image, slices.Concat(m[1], m[2], m[3]))
	}
	return " (command not found in the image?)"
}

// forgetContainer releases what an ended container attempt held; it runs
// once, whichever way the attempt ended.
func (b *Backend) forgetContainer(c *ctr) {
	c.forget.Do(func() {
		b.ports.release(c.id)
		b.mu.Lock()
		if b.ctrs[c.id] == c {
			delete(b.ctrs, c.id)
		}
		b.mu.Unlock()
		close(c.done)
	})
}

func (c *ctr) isKilled() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.killed
}

// killContainer marks the attempt killed and stops its container if it
// runs; one still pulling or being created is stopped before it starts.
func (b *Backend) killContainer(c *ctr) {
	c.mu.Lock()
	c.killed = true
	started, stopPull := c.started, c.stopPull
	c.mu.Unlock()
	if started {
		b.stopContainer(c)
	} else if stopPull != nil {
		stopPull()
	}
}

// stopContainer is SIGTERM, then SIGKILL after the grace period.
func (b *Backend) stopContainer(c *ctr) {
	grace := int((b.cfg.KillGrace + time.Second - 1) / time.Second)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), b.cfg.KillGrace+30*time.Second)
		defer cancel()
		if err := b.docker.cli.ContainerStop(ctx, c.name, container.StopOptions{Timeout: &grace}); err != nil && !cerrdefs.IsNotFound(err) {
			b.log.Warn("stopping a container", "attempt", c.id, "err", err)
		}
	}()
}

// recoverContainer re-attaches to an attempt's container after a restart
// of the server: a running one is followed again, an ended one reported
// with its exit status, a missing one (or one never started) as lost.
func (b *Backend) recoverContainer(a *engine.Attempt) {
	c := &ctr{id: a.ID, name: containerName(a.ID), done: make(chan struct{})}
	if b.docker.cli == nil {
		b.Emit(engine.Update{AttemptID: a.ID, State: engine.Lost, Message: "container not found after a restart of the server: " + b.docker.down})
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	info, err := b.docker.cli.ContainerInspect(ctx, c.name)
	cancel()
	switch {
	case cerrdefs.IsNotFound(err):
		b.Emit(engine.Update{AttemptID: a.ID, State: engine.Lost, Message: "container gone after a restart of the server"})
		return
	case err != nil:
		b.Emit(engine.Update{AttemptID: a.ID, State: engine.Lost, Message: "container not found after a restart of the server: " + err.Error()})
		return
	case !b.ownsContainer(a.ID, info.ID) && !b.madeFor(a.ID, info):
		// Named as its container, labelled as Borges labels them,
		// but neither the container whose id was kept for it nor one
		// mounting its sandbox: another's, neither followed nor
		// removed.
		b.log.Warn("a container named as an attempt's is not the one made for it: left alone", "attempt", a.ID, "container", shortID(info.ID))
		b.Emit(engine.Update{AttemptID: a.ID, State: engine.Lost, Message: "its container was not found after a restart of the server: " + c.name + " (" + shortID(info.ID) + ") is another's, left alone"})
		return
	case !b.ownsContainer(a.ID, info.ID):
		// Made for it by a Borges that kept no id (before the ids
		// were kept, or stopped between create and record): its id
		// is kept now, and it is followed as any; if the id cannot be
		// kept, it is removed before the attempt is reported lost
		// (never left running beside a second run of the task).
		if err := b.recordContainer(a.ID, info.ID); err != nil {
			b.docker.cli.ContainerRemove(context.Background(), info.ID, container.RemoveOptions{Force: true})
			b.Emit(engine.Update{AttemptID: a.ID, State: engine.Lost, Message: "its container " + shortID(info.ID) + " was removed after a restart of the server: keeping its id: " + err.Error()})
			return
		}
	}
	if info.State == nil || info.State.Status == "created" {
		b.docker.cli.ContainerRemove(context.Background(), info.ID, container.RemoveOptions{Force: true})
		b.Emit(engine.Update{AttemptID: a.ID, State: engine.Lost, Message: "container created but never started before a restart of the server"})
		return
	}
	c.started = true
	// Followed by its id from now on: a container made under its name
	// once it is gone is not taken for it.
	c.name = info.ID
	b.mu.Lock()
	b.ctrs[a.ID] = c
	b.mu.Unlock()
	if info.State.Running {
		b.Emit(engine.Update{AttemptID: a.ID, State: engine.Running, Message: "re-attached to container " + shortID(info.ID)})
	}
	go func() {
		ctx, cancel := b.lifetime()
		defer cancel()
		b.followContainer(ctx, c)
	}()
}

// orphanContainers lists the containers this server started that no
// attempt it tracks owns (their attempt ended while the server was down
// and was already accounted for); they are removed at start. Those of a
// server before that did not resolve DATA are labelled with it as
// configured (d.configured): they are this server's too. The labels only
// point at them (anyone using the engine can copy them): a container is
// taken for this server's only where owns says so (the id kept in its
// attempt's directory, or the attempt's own sandbox mounted: ownsOrphan).
func (d *docker) orphanContainers(ctx context.Context, known map[string]bool, owns func(attempt, container string) bool) []string {
	if d.cli == nil {
		return nil
	}
	var out []string
	for _, label := range []string{d.dataDir, d.configured} {
		if label == "" {
			continue
		}
		list, err := d.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", labelData+"="+label))})
		if err != nil {
			continue
		}
		for _, c := range list {
			if id := c.Labels[labelAttempt]; !known[id] && !slices.Contains(out, c.ID) && owns(id, c.ID) {
				out = append(out, c.ID)
			}
		}
	}
	return out
}

// containerRecord is the file, in a container attempt's directory, that
// keeps the id of the container Borges made for it: what proves a
// container Borges' own, where its name and labels only say so.
const containerRecord = "container"

// recordContainer keeps the id of the container made for attempt id
// (beneath DATA/attempts held open: heldRoots).
func (b *Backend) recordContainer(id, containerID string) error {
	return b.roots.dir("attempts").WriteFile(id+"/"+containerRecord, []byte(containerID+"\n"), 0o600)
}

// madeFor says whether container info is one Borges made for attempt id
// whose id it did not keep (a Borges before the ids were kept, or one
// that stopped between creating it and keeping its id): the attempt's
// directory keeps no id, and the container has the attempt's name and
// Borges' labels for it, and mounts the attempt's own sandbox
// (DATA/attempts/ID/sandbox, or the attempt's directory where a Borges
// before the sandbox had its own directory made it so) at SandboxPath.
// Only Borges mounts that directory (private to the server: attempts/ is
// 0700); the name and labels alone anyone using the engine can copy.
func (b *Backend) madeFor(id string, info container.InspectResponse) bool {
	if !oneName(id) || info.ContainerJSONBase == nil || info.Config == nil || strings.TrimPrefix(info.Name, "/") != containerName(id) {
		return false
	}
	if f, err := b.roots.dir("attempts").Open(id + "/" + containerRecord); !errors.Is(err, fs.ErrNotExist) {
		if err == nil {
			f.Close()
		}
		return false // an id kept, of another container; or unreadable
	}
	labels := info.Config.Labels
	if labels[labelAttempt] != id || labels[labelData] == "" || labels[labelData] != b.docker.dataDir && labels[labelData] != b.docker.configured {
		return false
	}
	for _, m := range info.Mounts {
		if m.Destination != SandboxPath {
			continue
		}
		for _, data := range []string{b.docker.dataDir, b.docker.configured} {
			if data == "" {
				continue
			}
			dir := filepath.Join(data, "attempts", id)
			if m.Source == filepath.Join(dir, sandboxName) || m.Source == dir {
				return true
			}
		}
	}
	return false
}

// ownsOrphan says whether container containerID, labelled for attempt id
// that no tracked attempt is, is Borges' own: its id kept, or made for
// the attempt by a Borges that kept none (madeFor).
func (b *Backend) ownsOrphan(id, containerID string) bool {
	if b.ownsContainer(id, containerID) {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	info, err := b.docker.cli.ContainerInspect(ctx, containerID)
	return err == nil && info.ID == containerID && b.madeFor(id, info)
}

// ownsContainer says whether container containerID is the one Borges made
// for attempt id, as its directory keeps it (an id that is not one
// directory name has none).
func (b *Backend) ownsContainer(id, containerID string) bool {
	if !oneName(id) || containerID == "" {
		return false
	}
	data, _, err := b.roots.dir("attempts").ReadAt(id+"/"+containerRecord, 0, 256)
	return err == nil && strings.TrimSpace(string(data)) == containerID
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// portEnv is how a program learns its host ports (taskenv.Ports), as
// NAME=VALUE entries.
func portEnv(ports []int) []string {
	var env []string
	for _, v := range taskenv.Ports(ports) {
		env = append(env, v.String())
	}
	return env
}
