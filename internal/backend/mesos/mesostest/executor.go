package mesostest

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/executor"

	bexecutor "github.com/wallyqs/borges/internal/backend/mesos/executor"
	"github.com/wallyqs/borges/internal/proclist"
)

// Custom executors, as a real agent runs them (testdata/executor-session.jsonl):
// a task whose TaskInfo names an ExecutorInfo (and no command) goes to
// that executor, started by the agent on the first such task with the
// executor's command in a sandbox of its own and the MESOS_* environment;
// tasks wait as queued until it subscribes to the agent's v1 executor
// API (/api/v1/executor), then arrive as LAUNCH events. Its UPDATEs are
// taken (202), acknowledged to it (ACKNOWLEDGED, once the agent holds
// them) and forwarded to the framework with the executor's uuid; a KILL
// becomes a KILL event. When its process ends, the tasks it had not ended
// are TASK_FAILED "Executor terminated" from the agent, and its resources
// are given back.

// fakeExecutor is a custom executor on an agent.
type fakeExecutor struct {
	id, framework string
	info          mesos.ExecutorInfo
	agent         *agent
	res           resources
	sandbox       string
	container     string
	proc          *os.Process
	events        chan []byte // encoded, framed, for the subscribed stream
	protobuf      bool
	subscribed    bool
	ended         bool
	queued        []*task   // launched before it subscribed
	queuedGroups  [][]*task // task groups launched before it subscribed
	tasks         []*task   // every task it was given, in order
}

func executorKey(framework, id string) string { return framework + "/" + id }

// liveExecutorLocked is the framework's executor of that id on the agent,
// if it runs.
func (a *agent) liveExecutorLocked(framework, id string) *fakeExecutor {
	if e := a.executors[executorKey(framework, id)]; e != nil && !e.ended {
		return e
	}
	return nil
}

// startOnExecutor gives a task to its executor, starting it first if it
// does not run.
func (m *Master) startOnExecutor(f *framework, t *task) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.executorForLocked(f, t, []*task{t})
	if e == nil {
		return
	}
	m.giveLocked(e, t)
	if !e.subscribed {
		e.queued = append(e.queued, t)
		return
	}
	m.toExecutorLocked(e, &executor.Event{Type: executor.Event_LAUNCH, Launch: &executor.Event_Launch{Task: t.info}})
}

// startGroupOnExecutor gives a task group to its executor (one
// LAUNCH_GROUP event), starting it first if it does not run.
func (m *Master) startGroupOnExecutor(f *framework, g []*task) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.executorForLocked(f, g[0], g)
	if e == nil {
		return
	}
	for _, t := range g {
		m.giveLocked(e, t)
	}
	if !e.subscribed {
		e.queuedGroups = append(e.queuedGroups, g)
		return
	}
	m.toExecutorLocked(e, groupEvent(e, g))
}

// groupEvent is the LAUNCH_GROUP event of a task group: each task with
// its executor, as the real agent gives them.
func groupEvent(e *fakeExecutor, g []*task) *executor.Event {
	var infos []mesos.TaskInfo
	for _, t := range g {
		infos = append(infos, t.info)
	}
	return &executor.Event{Type: executor.Event_LAUNCH_GROUP, LaunchGroup: &executor.Event_LaunchGroup{
		TaskGroup: mesos.TaskGroupInfo{Tasks: infos}}}
}

func (m *Master) giveLocked(e *fakeExecutor, t *task) {
	t.exec = e
	t.sandbox = e.sandbox
	t.container = e.container
	t.state = mesos.TASK_STAGING
	e.tasks = append(e.tasks, t)
}

// executorForLocked is the live executor a task names, started if it
// does not run; nil when it cannot start (the tasks then failed).
func (m *Master) executorForLocked(f *framework, t *task, tasks []*task) *fakeExecutor {
	a := t.agent
	info := *t.info.Executor
	e := a.liveExecutorLocked(f.id, info.ExecutorID.Value)
	if e == nil {
		e = &fakeExecutor{id: info.ExecutorID.Value, framework: f.id, info: info, agent: a, container: uuid(),
			res: taskResources(info.Resources)}
		e.sandbox = filepath.Join(a.sandbox, "slaves", a.id, "frameworks", f.id, "executors", e.id, "runs", e.container)
		if a.executors == nil {
			a.executors = map[string]*fakeExecutor{}
		}
		a.executors[executorKey(f.id, e.id)] = e
		if err := m.launchExecutorLocked(f, e); err != nil {
			e.ended = true
			a.used = a.used.minus(e.res)
			for _, t := range tasks {
				t.sandbox = e.sandbox
				a.used = a.used.minus(t.res)
				m.updateLocked(f, t, mesos.TASK_FAILED, mesos.SOURCE_AGENT, mesos.REASON_CONTAINER_LAUNCH_FAILED,
					"Failed to launch container: "+err.Error(), true)
			}
			return nil
		}
	}
	return e
}

// launchExecutorLocked starts an executor's command in its sandbox, with
// the environment a real agent gives it.
func (m *Master) launchExecutorLocked(f *framework, e *fakeExecutor) error {
	if err := os.MkdirAll(e.sandbox, 0o755); err != nil {
		return err
	}
	c := e.info.GetCommand()
	var cmd *exec.Cmd
	if c.Shell == nil || *c.Shell {
		cmd = exec.Command("/bin/sh", "-c", c.GetValue())
	} else {
		cmd = exec.Command(c.GetValue())
		if len(c.Arguments) > 0 {
			cmd.Args = c.Arguments
		}
	}
	stdout, err := os.Create(filepath.Join(e.sandbox, "stdout"))
	if err != nil {
		return err
	}
	defer stdout.Close()
	stderr, err := os.Create(filepath.Join(e.sandbox, "stderr"))
	if err != nil {
		return err
	}
	defer stderr.Close()
	endpoint := strings.TrimPrefix(strings.TrimPrefix(e.agent.files.URL, "http://"), "https://")
	cmd.Env = append(os.Environ(), "MESOS_FRAMEWORK_ID="+f.id, "MESOS_EXECUTOR_ID="+e.id, "MESOS_SANDBOX="+e.sandbox,
		"MESOS_DIRECTORY="+e.sandbox, "MESOS_AGENT_ENDPOINT="+endpoint, "MESOS_SLAVE_ID="+e.agent.id,
		"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD=5secs")
	if f.info.GetCheckpoint() {
		cmd.Env = append(cmd.Env, "MESOS_CHECKPOINT=1", "MESOS_RECOVERY_TIMEOUT=15mins", "MESOS_SUBSCRIPTION_BACKOFF_MAX=2secs")
	}
	if c.Environment != nil {
		for _, v := range c.Environment.Variables {
			cmd.Env = append(cmd.Env, v.Name+"="+v.GetValue())
		}
	}
	if strings.HasPrefix(e.agent.files.URL, "https://") {
		cmd.Env = append(cmd.Env, "SSL_ENABLED=true")
	}
	cmd.Dir = e.sandbox
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A session of its own, as a real agent's launcher gives it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	e.proc = cmd.Process
	go func() {
		cmd.Wait()
		m.executorEnded(e)
	}()
	return nil
}

// executorEnded: the tasks it had not ended fail, its resources come back.
func (m *Master) executorEnded(e *fakeExecutor) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e.ended {
		return
	}
	e.ended = true
	if e.events != nil {
		close(e.events)
		e.events = nil
	}
	if e.agent.lost {
		return
	}
	e.agent.used = e.agent.used.minus(e.res)
	for _, t := range e.tasks {
		if terminal(t.state) {
			continue
		}
		t.agent.used = t.agent.used.minus(t.res)
		if f := m.frameworks[t.framework]; f != nil {
			m.updateLocked(f, t, mesos.TASK_FAILED, mesos.SOURCE_AGENT, mesos.REASON_EXECUTOR_TERMINATED, "Executor terminated", true)
		} else {
			t.state = mesos.TASK_FAILED
		}
	}
}

// toExecutorLocked puts an event on an executor's stream (RecordIO).
func (m *Master) toExecutorLocked(e *fakeExecutor, ev *executor.Event) {
	if e.events == nil {
		return
	}
	record, err := recordIO(ev, e.protobuf)
	if err != nil {
		return
	}
	select {
	case e.events <- record:
	default:
	}
}

// serveExecutor is an agent's /api/v1/executor.
func (m *Master) serveExecutor(a *agent) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !postOnly(w, r) {
			return
		}
		call := &executor.Call{}
		protobuf, ok := readCall(w, r, call)
		if !ok {
			return
		}
		m.mu.Lock()
		e := a.liveExecutorLocked(call.FrameworkID.Value, call.ExecutorID.Value)
		m.mu.Unlock()
		if e == nil {
			http.Error(w, "Executor cannot be found", http.StatusBadRequest)
			return
		}
		switch call.Type {
		case executor.Call_SUBSCRIBE:
			m.executorStream(w, r, e, r.Header.Get("Accept") == "application/x-protobuf" || (protobuf && r.Header.Get("Accept") == ""))
		case executor.Call_UPDATE:
			if call.Update == nil {
				http.Error(w, "Expecting 'update' to be present", http.StatusBadRequest)
				return
			}
			m.mu.Lock()
			fail := m.failUpdates > 0
			if fail {
				m.failUpdates--
			}
			m.mu.Unlock()
			if fail {
				http.Error(w, "Agent is busy", http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusAccepted)
			m.executorUpdate(e, call.Update.Status)
		default:
			w.WriteHeader(http.StatusAccepted)
		}
	}
}

// executorStream is a subscribed executor's event stream: SUBSCRIBED,
// then its queued tasks.
func (m *Master) executorStream(w http.ResponseWriter, r *http.Request, e *fakeExecutor, protobuf bool) {
	m.mu.Lock()
	if e.events != nil {
		close(e.events)
	}
	events := make(chan []byte, 1024)
	e.events, e.protobuf, e.subscribed = events, protobuf, true
	f := m.frameworks[e.framework]
	var fwInfo mesos.FrameworkInfo
	if f != nil {
		fwInfo = f.info
		fwInfo.ID = &mesos.FrameworkID{Value: f.id}
	}
	host := e.agent.spec.Hostname
	m.toExecutorLocked(e, &executor.Event{Type: executor.Event_SUBSCRIBED, Subscribed: &executor.Event_Subscribed{
		ExecutorInfo: e.info, FrameworkInfo: fwInfo, AgentInfo: mesos.AgentInfo{ID: &mesos.AgentID{Value: e.agent.id}, Hostname: host},
		ContainerID: &mesos.ContainerID{Value: e.container}}})
	for _, t := range e.queued {
		if !terminal(t.state) {
			m.toExecutorLocked(e, &executor.Event{Type: executor.Event_LAUNCH, Launch: &executor.Event_Launch{Task: t.info}})
		}
	}
	for _, g := range e.queuedGroups {
		if !terminal(g[0].state) {
			m.toExecutorLocked(e, groupEvent(e, g))
		}
	}
	e.queued, e.queuedGroups = nil, nil
	m.mu.Unlock()
	contentType := "application/json"
	if protobuf {
		contentType = "application/x-protobuf"
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	for {
		select {
		case frame, ok := <-events:
			if !ok {
				return
			}
			if _, err := w.Write(frame); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		case <-r.Context().Done():
			return
		case <-m.stop:
			return
		}
	}
}

// executorUpdate takes a status update from an executor: acknowledged to
// it, forwarded (reliably, with its uuid) to the framework.
func (m *Master) executorUpdate(e *fakeExecutor, st mesos.TaskStatus) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var t *task
	for _, x := range e.tasks {
		if x.id == st.TaskID.Value {
			t = x
		}
	}
	m.toExecutorLocked(e, &executor.Event{Type: executor.Event_ACKNOWLEDGED,
		Acknowledged: &executor.Event_Acknowledged{TaskID: st.TaskID, UUID: st.UUID}})
	if t == nil || terminal(t.state) {
		return
	}
	if terminal(st.GetState()) {
		t.agent.used = t.agent.used.minus(t.res)
	}
	f := m.frameworks[t.framework]
	if f == nil {
		t.state = st.GetState()
		return
	}
	m.forwardLocked(f, t, st)
}

// killOnExecutorLocked asks a task's executor to kill it (a task still
// queued is killed by the agent).
func (m *Master) killOnExecutorLocked(f *framework, t *task) {
	e := t.exec
	if e.ended || terminal(t.state) {
		return
	}
	if !e.subscribed {
		for i, q := range e.queued {
			if q == t {
				e.queued = append(e.queued[:i], e.queued[i+1:]...)
				t.agent.used = t.agent.used.minus(t.res)
				m.updateLocked(f, t, mesos.TASK_KILLED, mesos.SOURCE_AGENT, mesos.REASON_TASK_KILLED_DURING_LAUNCH, "Killed before delivery to the executor", true)
				return
			}
		}
		// A task of a queued group: the agent kills the whole group.
		for i, g := range e.queuedGroups {
			for _, q := range g {
				if q != t {
					continue
				}
				e.queuedGroups = append(e.queuedGroups[:i], e.queuedGroups[i+1:]...)
				for _, x := range g {
					x.agent.used = x.agent.used.minus(x.res)
					m.updateLocked(f, x, mesos.TASK_KILLED, mesos.SOURCE_AGENT, mesos.REASON_TASK_KILLED_DURING_LAUNCH,
						"A task within the task group was killed before delivery to the executor", true)
				}
				return
			}
		}
		return
	}
	m.toExecutorLocked(e, &executor.Event{Type: executor.Event_KILL, Kill: &executor.Event_Kill{TaskID: mesos.TaskID{Value: t.id}}})
}

// shutdownExecutorsLocked stops executors (of one framework, or all):
// SHUTDOWN, then SIGKILL to their sessions after the grace period.
func (m *Master) shutdownExecutorsLocked(framework string, a *agent, now bool) {
	for _, ag := range m.agents {
		if a != nil && ag != a {
			continue
		}
		for _, e := range ag.executors {
			if e.ended || (framework != "" && e.framework != framework) || e.proc == nil {
				continue
			}
			pid, sandbox := e.proc.Pid, e.sandbox
			if now {
				killSession(pid)
				bexecutor.RemoveCgroups(sandbox) // what a Borges executor left in its cgroups
				continue
			}
			m.toExecutorLocked(e, &executor.Event{Type: executor.Event_SHUTDOWN})
			go func() {
				time.Sleep(5 * time.Second)
				killSession(pid)
				bexecutor.RemoveCgroups(sandbox) // what a Borges executor left in its cgroups
			}()
		}
	}
}

// killSession kills every process of the session sid leads (an executor
// and its tasks, whatever process groups they made), as a real agent's
// launcher destroys a container.
func killSession(sid int) {
	for _, p := range proclist.All() {
		if p.SID == sid {
			syscall.Kill(p.PID, syscall.SIGKILL)
		}
	}
}

// FailExecutorUpdates makes the agents refuse the next n UPDATE calls of
// executors (503), as a busy agent that does not answer in time: the
// executor must send them again, its subscription still open.
func (m *Master) FailExecutorUpdates(n int) {
	m.mu.Lock()
	m.failUpdates = n
	m.mu.Unlock()
}
