// Package executor is Borges' Mesos executor: the borges binary itself,
// started once per agent by the agent's Mesos containerizer, that runs
// every non-dockerized task Borges launches onto it as a process of its
// own, instead of the agent starting one command executor (a libmesos
// process and a containerizer launch) per task.
//
// It speaks the v1 executor HTTP API (protobuf, RecordIO events) with the
// agent at MESOS_AGENT_ENDPOINT. Each task runs in its own directory of
// the executor's sandbox, tasks/TASK_ID/, with its stdout and stderr
// there, as its own process group, in a cgroup of its own under the
// executor's where the cgroup filesystem is writable, its processes
// marked by EnvTask in their environment otherwise: everything it started
// is killed on KILL, on SHUTDOWN and when its program ends. Status updates are kept until the agent
// acknowledges them and sent again when the executor subscribes again
// (after an agent restart, when the framework checkpoints); the messages
// are the command executor's ("Command exited with status N"). With no
// task left and every update acknowledged for IdleTimeout, the executor
// exits: Borges launches onto an executor only while it is well inside
// that time, and on a new one otherwise.
package executor

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/executor"

	"github.com/wallyqs/borges/internal/cgroup"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/sandboxfs"
)

// EnvMarker is set in the executor's environment by Borges: a borges
// binary (or a test binary) started with it runs as the executor.
const EnvMarker = "BORGES_MESOS_EXECUTOR"

// EnvIdle is the idle time after which the executor exits (a Go
// duration; default DefaultIdle).
const EnvIdle = "BORGES_EXECUTOR_IDLE"

// DefaultIdle is how long an executor with nothing to do stays.
const DefaultIdle = 60 * time.Second

// TasksDir is the directory of the executor's sandbox that holds one
// directory per task.
const TasksDir = "tasks"

// Config is what the agent tells the executor through its environment.
type Config struct {
	FrameworkID, ExecutorID string
	Sandbox                 string // the executor's sandbox (MESOS_SANDBOX)
	Agent                   string // host:port (MESOS_AGENT_ENDPOINT)
	Checkpoint              bool
	RecoveryTimeout         time.Duration // how long to try subscribing again after a disconnection
	BackoffMax              time.Duration
	ShutdownGrace           time.Duration
	IdleTimeout             time.Duration
	HTTPS                   bool
}

// FromEnv reads the configuration the agent gives (MESOS_*).
func FromEnv(getenv func(string) string) (Config, error) {
	c := Config{FrameworkID: getenv("MESOS_FRAMEWORK_ID"), ExecutorID: getenv("MESOS_EXECUTOR_ID"),
		Sandbox: getenv("MESOS_SANDBOX"), Agent: getenv("MESOS_AGENT_ENDPOINT"),
		RecoveryTimeout: 15 * time.Minute, BackoffMax: 2 * time.Second, ShutdownGrace: 5 * time.Second, IdleTimeout: DefaultIdle}
	if c.Sandbox == "" {
		c.Sandbox = getenv("MESOS_DIRECTORY")
	}
	var missing []string
	for _, v := range []struct{ name, value string }{{"MESOS_FRAMEWORK_ID", c.FrameworkID}, {"MESOS_EXECUTOR_ID", c.ExecutorID},
		{"MESOS_SANDBOX", c.Sandbox}, {"MESOS_AGENT_ENDPOINT", c.Agent}} {
		if v.value == "" {
			missing = append(missing, v.name)
		}
	}
	if len(missing) > 0 {
		return c, fmt.Errorf("borges executor: not started by a Mesos agent (no %s)", strings.Join(missing, ", "))
	}
	c.Checkpoint, _ = strconv.ParseBool(getenv("MESOS_CHECKPOINT"))
	c.HTTPS, _ = strconv.ParseBool(getenv("SSL_ENABLED"))
	durations := []struct {
		name string
		to   *time.Duration
	}{{"MESOS_RECOVERY_TIMEOUT", &c.RecoveryTimeout}, {"MESOS_SUBSCRIPTION_BACKOFF_MAX", &c.BackoffMax},
		{"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", &c.ShutdownGrace}, {EnvIdle, &c.IdleTimeout}}
	for _, d := range durations {
		if v := getenv(d.name); v != "" {
			parsed, err := parseDuration(v)
			if err != nil {
				return c, fmt.Errorf("borges executor: %s=%q: %w", d.name, v, err)
			}
			*d.to = parsed
		}
	}
	return c, nil
}

// parseDuration reads a Go duration or a Mesos one ("15mins", "5secs").
func parseDuration(s string) (time.Duration, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	units := []struct {
		suffix string
		unit   time.Duration
	}{{"weeks", 7 * 24 * time.Hour}, {"days", 24 * time.Hour}, {"hrs", time.Hour}, {"mins", time.Minute},
		{"secs", time.Second}, {"ms", time.Millisecond}, {"us", time.Microsecond}, {"ns", time.Nanosecond}}
	// Longest first: "mins" ends with "ns".
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, err
			}
			return time.Duration(f * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("not a duration")
}

// Main runs the executor with the process's environment and exits.
func Main() {
	logger := log.New(os.Stderr, "borges executor: ", log.LstdFlags|log.Lmicroseconds)
	cfg, err := FromEnv(os.Getenv)
	if err != nil {
		logger.Print(err)
		os.Exit(2)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := Run(ctx, cfg, logger); err != nil {
		logger.Print(err)
		os.Exit(1)
	}
	os.Exit(0)
}

// Executor is one running executor.
type Executor struct {
	cfg    Config
	log    *log.Logger
	url    string
	client *http.Client

	mu        sync.Mutex
	tasks     map[string]*task
	unacked   []executor.Call_Update    // sent or not, oldest first
	unackedTk map[string]mesos.TaskInfo // launched, no update acknowledged yet
	idleSince time.Time                 // zero while busy
	shutdown  bool
	wg        sync.WaitGroup
	// sending bounds the updates in flight: a hundred tasks starting
	// together do not post a hundred updates at once to the agent.
	sending chan struct{}
	// cgroups is the executor's cgroup directory, a cgroup per task in
	// it; nil where the cgroup filesystem is not writable.
	cgroups *cgroup.Set
	// cgroupsOnly finds a task's processes by its cgroup alone, not by
	// its marker too (tests of the cgroups).
	cgroupsOnly bool
	// sessions are the interpreters of the session tasks, by task id
	// (session.go).
	sessions map[string]*sessionHost
	// tasksDir is the tasks directory held open (tasksRoot).
	tasksOnce sync.Once
	tasksDir  *sandboxfs.Dir
	tasksErr  error
}

type task struct {
	info  mesos.TaskInfo
	pid   int
	procs *taskProcs // set with pid
	// stop, for a session's task or block (session.go), stops the
	// session's interpreter: a kill calls it instead of signalling.
	stop   func()
	killed bool
	// ended is set once the task's end is known, before its terminal
	// update is sent: a kill then sends nothing (an update after the
	// terminal one is never acknowledged by the agent, and the executor
	// would wait for it forever instead of going idle).
	ended bool
	// terminalSent is set, under e.mu and the task's sendMu, once its
	// terminal update is queued: update drops whatever comes after it.
	terminalSent bool
	// timedOut: it ran past its max_completion_time and was killed for
	// that (deadline.go).
	timedOut bool
	done     chan struct{}
	// sendMu sends the task's updates one at a time, in order; the
	// tasks' updates go side by side.
	sendMu sync.Mutex
}

func newExecutor(cfg Config, logger *log.Logger) *Executor {
	scheme := "http"
	if cfg.HTTPS {
		scheme = "https"
	}
	return &Executor{cfg: cfg, log: logger, url: scheme + "://" + cfg.Agent + "/api/v1/executor",
		client: &http.Client{Timeout: 30 * time.Second}, tasks: map[string]*task{}, unackedTk: map[string]mesos.TaskInfo{},
		idleSince: time.Now(), sending: make(chan struct{}, 8)}
}

// Run subscribes to the agent and serves it until SHUTDOWN, an idle
// timeout, or a disconnection longer than the recovery timeout.
func Run(ctx context.Context, cfg Config, logger *log.Logger) error {
	e := newExecutor(cfg, logger)
	if _, err := e.tasksRoot(); err != nil {
		return err
	}
	e.setupCgroups()
	defer e.releaseCgroups()
	disconnected := time.Now()
	backoff := 100 * time.Millisecond
	for {
		err := e.session(ctx)
		e.mu.Lock()
		done := e.shutdown
		e.mu.Unlock()
		if done {
			e.wg.Wait()
			return nil
		}
		if errors.Is(err, errIdle) {
			e.log.Printf("idle for %s: exiting", cfg.IdleTimeout)
			return nil
		}
		if ctx.Err() != nil {
			e.killAll(0)
			return ctx.Err()
		}
		if err != nil && !errors.Is(err, errSubscribed) {
			e.log.Printf("subscription: %v", err)
		}
		if errors.Is(err, errSubscribed) {
			disconnected, backoff = time.Now(), 100*time.Millisecond
		}
		if !cfg.Checkpoint {
			e.log.Print("disconnected from the agent and the framework does not checkpoint: killing the tasks")
			e.killAll(cfg.ShutdownGrace)
			e.wg.Wait()
			return nil
		}
		if time.Since(disconnected) > cfg.RecoveryTimeout {
			e.killAll(cfg.ShutdownGrace)
			e.wg.Wait()
			return fmt.Errorf("no agent for %s: giving up", cfg.RecoveryTimeout)
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, max(cfg.BackoffMax, 100*time.Millisecond))
	}
}

var (
	errIdle       = errors.New("idle")
	errSubscribed = errors.New("the agent closed the subscription")
)

// session is one subscription: SUBSCRIBE with what is not acknowledged
// yet, then events until the stream ends.
func (e *Executor) session(ctx context.Context) error {
	e.mu.Lock()
	sub := &executor.Call_Subscribe{}
	for _, t := range e.unackedTk {
		sub.UnacknowledgedTasks = append(sub.UnacknowledgedTasks, t)
	}
	sub.UnacknowledgedUpdates = append(sub.UnacknowledgedUpdates, e.unacked...)
	e.mu.Unlock()
	call := &executor.Call{Type: executor.Call_SUBSCRIBE, Subscribe: sub}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	resp, err := e.post(sctx, call, true)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	events := make(chan *executor.Event)
	errc := make(chan error, 1)
	go func() {
		r := bufio.NewReader(resp.Body)
		for {
			data, err := readRecord(r)
			if err != nil {
				errc <- err
				return
			}
			ev := &executor.Event{}
			if err := ev.Unmarshal(data); err != nil {
				errc <- fmt.Errorf("decoding an event: %w", err)
				return
			}
			select {
			case events <- ev:
			case <-sctx.Done():
				return
			}
		}
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	subscribed := false
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			if subscribed {
				return fmt.Errorf("%w: %v", errSubscribed, err)
			}
			return err
		case <-tick.C:
			e.mu.Lock()
			idle := !e.idleSince.IsZero() && len(e.unacked) == 0 && time.Since(e.idleSince) > e.cfg.IdleTimeout
			e.mu.Unlock()
			if idle {
				return errIdle
			}
		case ev := <-events:
			switch ev.Type {
			case executor.Event_SUBSCRIBED:
				subscribed = true
				e.log.Printf("subscribed to agent %s", ev.Subscribed.AgentInfo.GetID().GetValue())
			case executor.Event_LAUNCH:
				e.launch(ctx, ev.Launch.Task)
			case executor.Event_LAUNCH_GROUP:
				for _, t := range ev.LaunchGroup.TaskGroup.Tasks {
					e.launch(ctx, t)
				}
			case executor.Event_KILL:
				grace := killGrace
				if p := ev.Kill.KillPolicy; p != nil && p.GracePeriod != nil {
					grace = time.Duration(p.GracePeriod.Nanoseconds)
				}
				e.kill(ctx, ev.Kill.TaskID.Value, grace)
			case executor.Event_ACKNOWLEDGED:
				e.acknowledged(ev.Acknowledged.TaskID.Value, ev.Acknowledged.UUID)
			case executor.Event_SHUTDOWN:
				e.log.Print("shutdown asked by the agent")
				e.mu.Lock()
				e.shutdown = true
				e.mu.Unlock()
				e.killAll(max(e.cfg.ShutdownGrace-time.Second, time.Second))
				e.wg.Wait()
				return nil
			case executor.Event_ERROR:
				return fmt.Errorf("agent: %s", ev.Error.Message)
			}
		}
	}
}

// readRecord reads one RecordIO record: its length, a newline, the bytes.
func readRecord(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	n, err := strconv.ParseUint(strings.TrimSpace(line), 10, 31)
	if err != nil {
		return nil, fmt.Errorf("RecordIO length %q: %w", line, err)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// post sends a call; stream keeps the response open (SUBSCRIBE).
func (e *Executor) post(ctx context.Context, c *executor.Call, stream bool) (*http.Response, error) {
	c.FrameworkID = mesos.FrameworkID{Value: e.cfg.FrameworkID}
	c.ExecutorID = mesos.ExecutorID{Value: e.cfg.ExecutorID}
	body, err := c.Marshal()
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, "POST", e.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("Accept", "application/x-protobuf")
	client := e.client
	if stream {
		client = &http.Client{Transport: e.client.Transport} // no timeout on the stream
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	want := http.StatusAccepted
	if stream {
		want = http.StatusOK
	}
	if resp.StatusCode != want {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return nil, fmt.Errorf("%s: %s: %s", c.Type, resp.Status, strings.TrimSpace(string(msg)))
	}
	if !stream {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
	}
	return resp, nil
}

// update records a status update of a task and sends it; one the agent
// does not take now goes with the next SUBSCRIBE.
func (e *Executor) update(ctx context.Context, t *task, state mesos.TaskState, reason *mesos.TaskStatus_Reason, message string) {
	taskID := t.info.TaskID.Value
	var u [16]byte
	rand.Read(u[:])
	u[6] = (u[6] & 0x0f) | 0x40 // a version 4 UUID, as the agent checks
	u[8] = (u[8] & 0x3f) | 0x80
	now := float64(time.Now().UnixNano()) / 1e9
	src := mesos.SOURCE_EXECUTOR
	st := mesos.TaskStatus{TaskID: mesos.TaskID{Value: taskID}, State: &state, Source: &src, Timestamp: &now,
		UUID: u[:], ExecutorID: &mesos.ExecutorID{Value: e.cfg.ExecutorID}, Reason: reason}
	if message != "" {
		st.Message = &message
	}
	up := executor.Call_Update{Status: st}
	t.sendMu.Lock()
	defer t.sendMu.Unlock()
	e.mu.Lock()
	if t.terminalSent {
		// A kill that saw the task running, then waited for its turn
		// behind the terminal update: nothing may follow that update
		// (the agent would never acknowledge it).
		e.mu.Unlock()
		return
	}
	t.terminalSent = isTerminal(state)
	e.unacked = append(e.unacked, up)
	e.mu.Unlock()
	// Sent until the agent takes it (a busy agent may not answer in
	// time; the same uuid twice is one update to it), or it is
	// acknowledged, or the executor gives up on the agent; an update not
	// taken also goes with the next SUBSCRIBE.
	backoff := time.Second
	deadline := time.Now().Add(e.cfg.RecoveryTimeout)
	for {
		e.sending <- struct{}{}
		_, err := e.post(ctx, &executor.Call{Type: executor.Call_UPDATE, Update: &up}, false)
		<-e.sending
		if err == nil {
			return
		}
		e.log.Printf("update %s %s: %v (sent again)", taskID, state, err)
		e.mu.Lock()
		pending := false
		for _, x := range e.unacked {
			pending = pending || bytes.Equal(x.Status.UUID, up.Status.UUID)
		}
		e.mu.Unlock()
		if !pending || ctx.Err() != nil || time.Now().After(deadline) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

func (e *Executor) acknowledged(taskID string, uuid []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.unackedTk, taskID)
	for i, u := range e.unacked {
		if bytes.Equal(u.Status.UUID, uuid) {
			e.unacked = append(e.unacked[:i:i], e.unacked[i+1:]...)
			break
		}
	}
}

// launch starts a task: its command in tasks/ID/ of the sandbox, its
// own process group, stdout and stderr in files there.
func (e *Executor) launch(ctx context.Context, info mesos.TaskInfo) {
	id := info.TaskID.Value
	e.mu.Lock()
	if _, dup := e.tasks[id]; dup || e.shutdown {
		e.mu.Unlock()
		return
	}
	e.log.Printf("launching %s", id)
	t := &task{info: info, done: make(chan struct{})}
	e.tasks[id] = t
	e.unackedTk[id] = info
	e.idleSince = time.Time{}
	e.wg.Add(1)
	e.mu.Unlock()
	go func() {
		defer e.wg.Done()
		defer close(t.done)
		state, message := e.runTask(ctx, t)
		var reason *mesos.TaskStatus_Reason
		e.mu.Lock()
		t.ended = true
		if t.timedOut && state == mesos.TASK_FAILED {
			reason = &timedOutReason
		}
		e.mu.Unlock()
		e.update(ctx, t, state, reason, message)
		e.mu.Lock()
		delete(e.tasks, id)
		if len(e.tasks) == 0 {
			e.idleSince = time.Now()
		}
		e.mu.Unlock()
	}()
}

// run runs a task to its end and says how it ended.
func (e *Executor) run(ctx context.Context, t *task) (mesos.TaskState, string) {
	id := t.info.TaskID.Value
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/\x00") {
		return mesos.TASK_FAILED, fmt.Sprintf("task id %q cannot name a directory", id)
	}
	c, err := Command(t.info)
	if err != nil {
		return mesos.TASK_FAILED, err.Error()
	}
	if t.info.Container != nil {
		return mesos.TASK_FAILED, "the Borges executor runs no containers"
	}
	// Its directory and files made through no link a task planted
	// (makeTaskDir), its stdout and stderr new files there.
	box, err := e.makeTaskDir(id, false)
	if err != nil {
		return mesos.TASK_FAILED, "Failed to launch: " + err.Error()
	}
	defer box.Close()
	dir := box.Path()
	stdout, err := box.AppendNew("stdout", 0o644)
	if err != nil {
		return mesos.TASK_FAILED, "Failed to launch: " + err.Error()
	}
	defer stdout.Close()
	stderr, err := box.AppendNew("stderr", 0o644)
	if err != nil {
		return mesos.TASK_FAILED, "Failed to launch: " + err.Error()
	}
	defer stderr.Close()
	// Its :dir, opened as the local backend opens it, before anything
	// runs: its shell enters the directory opened (WorkDirStep).
	env := taskEnv(dir, id, t.info, c)
	var work *os.File
	if d := label(t.info, WorkDirLabel); d != "" {
		if c.Shell != nil && !*c.Shell {
			// Only a shell enters it and closes its descriptor
			// (WorkDirStep): a program would get it unclosed.
			return mesos.TASK_FAILED, fmt.Sprintf("Failed to launch: :dir %s: a task with a :dir is a shell command, this one is not", d)
		}
		start, err := e.openWorkDir(box, d, env)
		if err != nil {
			return mesos.TASK_FAILED, fmt.Sprintf("Failed to launch: :dir %s: %v", d, err)
		}
		work = start.File
		defer work.Close()
		if start.Written != "" {
			env = append(env, "BORGES_WORKDIR="+start.Written)
		}
	}
	procs := e.newTaskProcs(t.info)
	var cmd *exec.Cmd
	var release *os.File
	if c.Shell == nil || *c.Shell {
		cmd = exec.Command("/bin/sh", "-c", c.GetValue())
		if procs.cg != nil {
			// The shell waits until it is in the task's cgroup: nothing
			// it starts can be outside it.
			r, w, err := os.Pipe()
			if err != nil {
				procs.killAll()
				return mesos.TASK_FAILED, "Failed to launch: " + err.Error()
			}
			defer r.Close()
			release = w
			cmd = exec.Command("/bin/sh", "-c", `read -r _ <&3; exec 3<&-; exec /bin/sh -c "$0"`, c.GetValue())
			cmd.ExtraFiles = []*os.File{r}
		}
	} else {
		cmd = exec.Command(c.GetValue())
		if len(c.Arguments) > 0 {
			cmd.Args = c.Arguments
		}
	}
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if work != nil {
		cmd.ExtraFiles = append(cmd.ExtraFiles, work)
		env = append(env, "BORGES_WORKDIR_FD="+strconv.Itoa(2+len(cmd.ExtraFiles)))
	}
	// Last: the task cannot take its processes' marker away.
	cmd.Env = append(env, procs.env())
	if err := cmd.Start(); err != nil {
		if release != nil {
			release.Close()
		}
		procs.killAll()
		return mesos.TASK_FAILED, "Failed to launch: " + err.Error()
	}
	if procs.cg != nil {
		if err := procs.cg.Add(cmd.Process.Pid); err != nil {
			e.log.Printf("task %s: not moved into its cgroup: %v", id, err)
		}
	}
	if release != nil {
		release.Close()
	}
	if work != nil {
		work.Close() // its shell holds it
	}
	e.mu.Lock()
	t.pid = cmd.Process.Pid
	t.procs = procs
	killed := t.killed
	e.mu.Unlock()
	if killed {
		killTree(t.pid, syscall.SIGKILL)
		procs.signal(syscall.SIGKILL)
	}
	e.startDeadline(t)
	e.update(ctx, t, mesos.TASK_RUNNING, nil, "")
	err = cmd.Wait()
	// What the task started and left behind goes with it: its process
	// group, its cgroup, whatever carries its marker.
	killTree(t.pid, syscall.SIGKILL)
	if !procs.killAll() {
		e.log.Printf("task %s: processes still running after it ended", id)
	}
	e.mu.Lock()
	killed = t.killed
	timedOut := t.timedOut
	e.mu.Unlock()
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	switch {
	case timedOut:
		// Failed, whatever its program did once signalled.
		return mesos.TASK_FAILED, fmt.Sprintf("Command exceeded its maximum completion time of %s and was killed (signal %s)",
			maxCompletionTime(t.info), signalName(ws))
	case killed:
		return mesos.TASK_KILLED, "Command terminated with signal " + signalName(ws)
	case err == nil:
		return mesos.TASK_FINISHED, "Command exited with status 0"
	case ws.Signaled():
		return mesos.TASK_FAILED, "Command terminated with signal " + ws.Signal().String()
	default:
		return mesos.TASK_FAILED, fmt.Sprintf("Command exited with status %d", ws.ExitStatus())
	}
}

func signalName(ws syscall.WaitStatus) string {
	if ws.Signaled() {
		return ws.Signal().String()
	}
	return "Terminated"
}

// kill ends a task: SIGTERM to its process group and every process it
// started, SIGKILL after the grace period.
func (e *Executor) kill(ctx context.Context, id string, grace time.Duration) {
	e.mu.Lock()
	t := e.tasks[id]
	if t == nil || t.ended {
		e.mu.Unlock()
		return
	}
	first := !t.killed
	t.killed = true
	pid, procs, stop := t.pid, t.procs, t.stop
	e.mu.Unlock()
	if first && stop != nil {
		// A session's: its interpreter is killed at once (an
		// interactive shell ignores SIGTERM), as on this machine.
		e.update(ctx, t, mesos.TASK_KILLING, nil, "")
		stop()
		return
	}
	if !first || pid == 0 {
		return
	}
	// Before the signal: the task's end (KILLED) must follow it.
	e.update(ctx, t, mesos.TASK_KILLING, nil, "")
	terminate(t, pid, procs, grace)
}

// killAll kills every task, forcibly after grace.
func (e *Executor) killAll(grace time.Duration) {
	e.mu.Lock()
	var ids []string
	for id := range e.tasks {
		ids = append(ids, id)
	}
	e.mu.Unlock()
	for _, id := range ids {
		e.kill(context.Background(), id, grace)
	}
}

// killTree signals a process group and every descendant of its leader
// (processes that moved to groups or sessions of their own too).
func killTree(pid int, sig syscall.Signal) {
	if pid <= 0 {
		return
	}
	for _, p := range descendants(pid) {
		syscall.Kill(p, sig)
	}
	syscall.Kill(-pid, sig)
}

// descendants lists the processes under pid (from /proc), pid included
// while it lives, and the process groups they lead.
func descendants(pid int) []int {
	children := map[int][]int{}
	for _, p := range proclist.All() {
		children[p.PPID] = append(children[p.PPID], p.PID)
	}
	var out []int
	queue := []int{pid}
	seen := map[int]bool{}
	for len(queue) > 0 && len(out) < 100000 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
		queue = append(queue, children[p]...)
	}
	return out
}

// Command is a task's command: a task launched onto an executor carries
// no CommandInfo (Mesos takes one or the other), so Borges puts it in the
// task's data.
func Command(info mesos.TaskInfo) (*mesos.CommandInfo, error) {
	if info.Command != nil {
		return info.Command, nil
	}
	if len(info.Data) == 0 {
		return nil, errors.New("the task has no command")
	}
	c := &mesos.CommandInfo{}
	if err := c.Unmarshal(info.Data); err != nil {
		return nil, fmt.Errorf("the task's command: %w", err)
	}
	return c, nil
}

// isTerminal says whether an update of this state ends its task: the
// states an executor sends that the agent takes as the task's end.
func isTerminal(s mesos.TaskState) bool {
	switch s {
	case mesos.TASK_FINISHED, mesos.TASK_FAILED, mesos.TASK_KILLED, mesos.TASK_ERROR,
		mesos.TASK_LOST, mesos.TASK_DROPPED, mesos.TASK_GONE, mesos.TASK_GONE_BY_OPERATOR:
		return true
	}
	return false
}
