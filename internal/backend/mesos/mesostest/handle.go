package mesostest

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
)

// handle carries out an accepted (202) call.
func (m *Master) handle(f *framework, call *scheduler.Call) {
	switch call.Type {
	case scheduler.Call_ACCEPT:
		m.accept(f, call.Accept)
	case scheduler.Call_DECLINE:
		m.decline(f, call.Decline.GetOfferIDs(), call.Decline.GetFilters())
	case scheduler.Call_KILL:
		m.kill(f, call.Kill.TaskID.Value, call.Kill.GetAgentID().GetValue())
	case scheduler.Call_ACKNOWLEDGE:
		m.acknowledge(call.Acknowledge.TaskID.Value, call.Acknowledge.UUID)
	case scheduler.Call_RECONCILE:
		m.reconcile(f, call.Reconcile)
	case scheduler.Call_SUPPRESS:
		m.mu.Lock()
		f.suppressed = true
		m.mu.Unlock()
	case scheduler.Call_REVIVE:
		m.mu.Lock()
		f.suppressed = false
		for _, a := range m.agents {
			delete(a.filtered, f.id)
		}
		m.mu.Unlock()
		m.offerNow()
	case scheduler.Call_TEARDOWN:
		m.teardown(f)
	}
}

func (m *Master) decline(f *framework, ids []mesos.OfferID, filters *mesos.Filters) {
	refuse := m.opt.OfferRefuse
	if filters != nil && filters.RefuseSeconds != nil {
		refuse = time.Duration(*filters.RefuseSeconds * float64(time.Second))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		if o := m.offers[id.Value]; o != nil && o.framework == f.id {
			delete(m.offers, id.Value)
			o.agent.filtered[f.id] = time.Now().Add(refuse)
		}
	}
}

// accept launches tasks from offers; resources must come from them.
func (m *Master) accept(f *framework, acc *scheduler.Call_Accept) {
	m.mu.Lock()
	if m.rescindNext > 0 {
		m.rescindNext--
		for _, id := range acc.OfferIDs {
			if o := m.offers[id.Value]; o != nil {
				m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_RESCIND, Rescind: &scheduler.Event_Rescind{OfferID: id}})
				delete(m.offers, id.Value)
			}
		}
	}
	var pool resources
	var ag *agent
	valid := len(acc.OfferIDs) > 0
	invalid := "No offers specified" // why the offers are not valid, as the master says it
	for _, id := range acc.OfferIDs {
		o := m.offers[id.Value]
		if o == nil || o.framework != f.id || (ag != nil && o.agent != ag) {
			if valid {
				invalid = "Offer " + id.Value + " is no longer valid"
				if o != nil && o.framework == f.id {
					invalid = fmt.Sprintf("Aggregated offers must belong to one single agent. Offer %s uses agent %s and agent %s",
						id.Value, o.agent.id, ag.id)
				}
			}
			valid = false
			continue
		}
		ag = o.agent
		pool = pool.plus(o.res)
		delete(m.offers, id.Value)
	}
	var launches []*task
	newExecutors := map[string]bool{} // executors this ACCEPT starts
	groups := map[*task][]*task{}     // the first task of each task group → the group
	for _, op := range acc.Operations {
		var taskInfos []mesos.TaskInfo
		var group *mesos.ExecutorInfo
		switch {
		case op.Type == mesos.Offer_Operation_LAUNCH && op.Launch != nil:
			taskInfos = op.Launch.TaskInfos
		case op.Type == mesos.Offer_Operation_LAUNCH_GROUP && op.LaunchGroup != nil:
			// A task group: its tasks name no executor, the operation
			// does, and it must ask Mesos' least executor resources.
			group = &op.LaunchGroup.Executor
			taskInfos = op.LaunchGroup.TaskGroup.Tasks
		default:
			continue
		}
		var members []*task
		for _, ti := range taskInfos {
			if group != nil {
				if ti.Executor != nil {
					m.updateLocked(f, &task{id: ti.TaskID.Value, framework: f.id, agent: ag}, mesos.TASK_ERROR, mesos.SOURCE_MASTER, mesos.REASON_TASK_GROUP_INVALID,
						"Task '"+ti.TaskID.Value+"' is invalid: 'TaskInfo.executor' must not be set", false)
					continue
				}
				er := taskResources(group.Resources)
				if er.cpus < 0.01 {
					m.updateLocked(f, &task{id: ti.TaskID.Value, framework: f.id, agent: ag}, mesos.TASK_ERROR, mesos.SOURCE_MASTER, mesos.REASON_TASK_GROUP_INVALID,
						fmt.Sprintf("Executor '%s' uses less CPUs (None) than the minimum required (0.01)", group.ExecutorID.Value), false)
					continue
				}
				e := *group
				ti.Executor = &e
			}
			t := &task{id: ti.TaskID.Value, framework: f.id, agent: ag, info: ti, res: taskResources(ti.Resources)}
			// A new executor's resources come from the offer too.
			var execRes resources
			newExec := false
			if ti.Executor != nil && ag != nil && valid {
				eid := ti.Executor.ExecutorID.Value
				if ag.liveExecutorLocked(f.id, eid) == nil && !newExecutors[eid] {
					execRes, newExec = taskResources(ti.Executor.Resources), true
				}
			}
			switch {
			case (ti.Command == nil) == (ti.Executor == nil):
				m.updateLocked(f, t, mesos.TASK_ERROR, mesos.SOURCE_MASTER, mesos.REASON_TASK_INVALID,
					"Task should have at least one (but not both) of CommandInfo or ExecutorInfo present", false)
				continue
			case len(ti.Resources) == 0:
				// The real master's validation of a task's resources.
				m.updateLocked(f, t, mesos.TASK_ERROR, mesos.SOURCE_MASTER, mesos.REASON_TASK_INVALID, "Task uses no resources", false)
				continue
			case valid && !pool.fits(t.res.plus(execRes)):
				m.updateLocked(f, t, mesos.TASK_ERROR, mesos.SOURCE_MASTER, mesos.REASON_TASK_INVALID,
					fmt.Sprintf("Total resources %s required by task and its executor is more than available %s", t.res.plus(execRes).describe(), pool.describe()), false)
				continue
			}
			if newExec {
				newExecutors[ti.Executor.ExecutorID.Value] = true
				pool = pool.minus(execRes)
				ag.used = ag.used.plus(execRes)
			}
			switch {
			case !valid:
				// Offers that are gone (rescinded, declined, used): the
				// task is dropped, as by Mesos 1.12's Master::accept
				// (TASK_LOST for a framework not partition-aware).
				state := mesos.TASK_LOST
				if partitionAware(f) {
					state = mesos.TASK_DROPPED
				}
				m.updateLocked(f, t, state, mesos.SOURCE_MASTER, mesos.REASON_INVALID_OFFERS, "Task launched with invalid offers: "+invalid, false)
			case m.tasks[t.id] != nil:
				m.updateLocked(f, t, mesos.TASK_ERROR, mesos.SOURCE_MASTER, mesos.REASON_TASK_INVALID, "Task has duplicate ID: "+t.id, false)
			case !pool.fits(t.res):
				m.updateLocked(f, t, mesos.TASK_ERROR, mesos.SOURCE_MASTER, mesos.REASON_TASK_INVALID,
					fmt.Sprintf("Total resources %s required by task and its executor is more than available %s", t.res.describe(), pool.describe()), false)
			default:
				pool = pool.minus(t.res)
				ag.used = ag.used.plus(t.res)
				m.tasks[t.id] = t
				if group != nil {
					members = append(members, t)
					if len(members) == 1 {
						launches = append(launches, t)
					}
					groups[members[0]] = members
					continue
				}
				launches = append(launches, t)
			}
		}
	}
	if ag != nil {
		refuse := m.opt.OfferRefuse
		if acc.Filters != nil && acc.Filters.RefuseSeconds != nil {
			refuse = time.Duration(*acc.Filters.RefuseSeconds * float64(time.Second))
		}
		ag.filtered[f.id] = time.Now().Add(refuse)
	}
	m.mu.Unlock()
	for _, t := range launches {
		if g := groups[t]; g != nil {
			m.startGroupOnExecutor(f, g)
			continue
		}
		if t.info.Executor != nil {
			m.startOnExecutor(f, t)
			continue
		}
		m.start(f, t)
	}
}

// start runs a task's command in its sandbox.
func (m *Master) start(f *framework, t *task) {
	container := uuid()
	m.mu.Lock()
	t.container = container
	t.sandbox = filepath.Join(t.agent.sandbox, "slaves", t.agent.id, "frameworks", f.id, "executors", t.id, "runs", container)
	m.mu.Unlock()
	os.MkdirAll(t.sandbox, 0o755)
	stdout, _ := os.Create(filepath.Join(t.sandbox, "stdout"))
	stderr, _ := os.Create(filepath.Join(t.sandbox, "stderr"))
	cmdInfo := t.info.GetCommand()
	var taskEnv []string
	if env := cmdInfo.Environment; env != nil {
		for _, v := range env.Variables {
			taskEnv = append(taskEnv, v.Name+"="+v.GetValue())
		}
	}
	var cmd *exec.Cmd
	inContainer := false
	switch {
	case t.info.Container != nil:
		var failure string
		if cmd, failure = dockerRun(t, taskEnv); failure != "" {
			stdout.Close()
			stderr.Close()
			m.mu.Lock()
			t.agent.used = t.agent.used.minusUsed(t.res)
			m.updateLocked(f, t, mesos.TASK_FAILED, mesos.SOURCE_AGENT, mesos.REASON_CONTAINER_LAUNCH_FAILED, failure, true)
			m.mu.Unlock()
			return
		}
		inContainer = true
	case cmdInfo.Shell == nil || *cmdInfo.Shell:
		cmd = exec.Command("/bin/sh", "-c", cmdInfo.GetValue())
	default:
		cmd = exec.Command(cmdInfo.GetValue(), cmdInfo.Arguments...)
	}
	cmd.Dir = t.sandbox
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A session of its own, as the real command executor starts its task
	// (killtree.go); a container's client in a process group of its own.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: !inContainer, Setpgid: inContainer}
	if !inContainer {
		cmd.Env = append(os.Environ(), "MESOS_SANDBOX="+t.sandbox, "MESOS_TASK_ID="+t.id, "MESOS_AGENT_ENDPOINT="+t.agent.files.URL)
		cmd.Env = append(cmd.Env, taskEnv...)
	}
	if err := cmd.Start(); err != nil {
		stdout.Close()
		stderr.Close()
		m.mu.Lock()
		m.finishLocked(t, mesos.TASK_FAILED, -1, "Failed to launch: "+err.Error())
		m.mu.Unlock()
		return
	}
	stdout.Close()
	stderr.Close()
	m.mu.Lock()
	t.proc = cmd.Process
	t.docker = inContainer
	// The command executor is up (it has a pid) before it reports
	// STARTING, then RUNNING.
	m.updateLocked(f, t, mesos.TASK_STARTING, mesos.SOURCE_EXECUTOR, -1, "", true)
	m.updateLocked(f, t, mesos.TASK_RUNNING, mesos.SOURCE_EXECUTOR, -1, "", true)
	m.enforceDeadlineLocked(t)
	m.mu.Unlock()
	go func() {
		err := cmd.Wait()
		m.mu.Lock()
		defer m.mu.Unlock()
		t.reaped = true
		if t.state == mesos.TASK_LOST || t.agent.lost {
			return
		}
		ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if t.docker {
			// The docker executor's words: the container's exit status.
			go removeContainer(t)
			status := fmt.Sprintf("Container exited with status %d", ws.ExitStatus())
			switch {
			case t.killed:
				m.finishLocked(t, mesos.TASK_KILLED, -1, status)
			case t.timedOut:
				m.finishLocked(t, mesos.TASK_FAILED, mesos.REASON_MAX_COMPLETION_TIME_REACHED, status)
			case err == nil:
				m.finishLocked(t, mesos.TASK_FINISHED, -1, status)
			default:
				m.finishLocked(t, mesos.TASK_FAILED, -1, status)
			}
			return
		}
		status := fmt.Sprintf("Command exited with status %d", ws.ExitStatus())
		if ws.Signaled() {
			status = "Command terminated with signal " + signalText(ws.Signal())
		}
		switch {
		case t.killed:
			m.finishLocked(t, mesos.TASK_KILLED, -1, "Command terminated with signal Terminated")
		case t.timedOut:
			// Failed, however its program ended once signalled.
			m.finishLocked(t, mesos.TASK_FAILED, mesos.REASON_MAX_COMPLETION_TIME_REACHED, status)
		case err == nil:
			m.finishLocked(t, mesos.TASK_FINISHED, -1, status)
		default:
			m.finishLocked(t, mesos.TASK_FAILED, -1, status)
		}
	}()
}

// finishLocked ends a task and gives its resources back.
func (m *Master) finishLocked(t *task, state mesos.TaskState, reason mesos.TaskStatus_Reason, message string) {
	t.agent.used = t.agent.used.minusUsed(t.res)
	if f := m.frameworks[t.framework]; f != nil {
		m.updateLocked(f, t, state, mesos.SOURCE_EXECUTOR, reason, message, true)
	} else {
		t.state = state
	}
}

func (r resources) minusUsed(o resources) resources {
	return r.minus(o)
}

// updateLocked sends a status update for a task. Updates from the agent
// (reliable) carry a uuid and wait in order for their acknowledgement,
// re-sent until then; updates from the master carry none.
func (m *Master) updateLocked(f *framework, t *task, state mesos.TaskState, source mesos.TaskStatus_Source, reason mesos.TaskStatus_Reason, message string, reliable bool) {
	t.state = state
	now := float64(time.Now().UnixNano()) / 1e9
	st := &mesos.TaskStatus{TaskID: mesos.TaskID{Value: t.id}, State: &state, Source: &source, Timestamp: &now}
	if message != "" {
		st.Message = &message
	}
	if reason >= 0 {
		st.Reason = &reason
	}
	if t.agent != nil {
		st.AgentID = &mesos.AgentID{Value: t.agent.id}
	}
	if t.container != "" {
		// As the command executor reports it: container, executor pid,
		// and the host network's address.
		ip, proto := "127.0.0.1", mesos.IPv4
		st.ContainerStatus = &mesos.ContainerStatus{ContainerID: &mesos.ContainerID{Value: t.container},
			NetworkInfos: []mesos.NetworkInfo{{IPAddresses: []mesos.NetworkInfo_IPAddress{{IPAddress: &ip, Protocol: &proto}}}}}
		if t.proc != nil {
			pid := uint32(t.proc.Pid)
			st.ContainerStatus.ExecutorPID = &pid
		}
	}
	if reliable {
		st.ExecutorID = &mesos.ExecutorID{Value: t.id}
		var u [16]byte
		rand.Read(u[:])
		st.UUID = u[:]
		t.queue = append(t.queue, st)
		if len(t.queue) == 1 {
			m.deliverLocked(f, t)
		}
		return
	}
	m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_UPDATE, Update: &scheduler.Event_Update{Status: *st}})
}

// forwardLocked sends a status update an executor gave, reliably: it
// keeps the executor's uuid and waits, in order, for its acknowledgement.
func (m *Master) forwardLocked(f *framework, t *task, st mesos.TaskStatus) {
	t.state = st.GetState()
	if t.agent != nil {
		st.AgentID = &mesos.AgentID{Value: t.agent.id}
	}
	if t.exec != nil {
		st.ExecutorID = &mesos.ExecutorID{Value: t.exec.id}
	}
	t.queue = append(t.queue, &st)
	if len(t.queue) == 1 {
		m.deliverLocked(f, t)
	}
}

// deliverLocked sends the oldest unacknowledged update and re-sends it
// until acknowledged. The master holds it among the task's statuses from
// then on (the agent sends it the head of the queue only).
func (m *Master) deliverLocked(f *framework, t *task) {
	if len(t.queue) == 0 {
		return
	}
	if m.holding {
		m.held = append(m.held, t) // sent on ReleaseUpdates
		return
	}
	head := t.queue[0]
	if n := len(t.statuses); n == 0 || string(t.statuses[n-1].UUID) != string(head.UUID) {
		t.statuses = append(t.statuses, *head)
	}
	m.forwardHeadLocked(f, t, head)
	if t.resendStop != nil {
		close(t.resendStop)
	}
	stop := make(chan struct{})
	t.resendStop = stop
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-m.stop:
				return
			case <-time.After(m.opt.ResendInterval):
			}
			m.mu.Lock()
			if len(t.queue) == 0 || t.queue[0] != head {
				m.mu.Unlock()
				return
			}
			if fw := m.frameworks[t.framework]; fw != nil && !t.unknown {
				m.forwardHeadLocked(fw, t, head)
			}
			m.mu.Unlock()
		}
	}()
}

// forwardHeadLocked forwards a task's oldest unacknowledged update, as
// the agent sends it, to its framework if connected: the state it tells
// is then the one reconciliation answers (Master::forward sets the task's
// status_update_state). A disconnected framework is sent nothing, and
// the master's answer stays what it was.
func (m *Master) forwardHeadLocked(f *framework, t *task, head *mesos.TaskStatus) {
	if !f.connected {
		return
	}
	state := head.GetState()
	t.updateState = &state
	m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_UPDATE, Update: &scheduler.Event_Update{Status: *head}})
}

// removed reports whether the master no longer holds a task among its
// framework's tasks: ended, with its final update acknowledged (or
// generated by the master itself, which needs none), or unreachable, its
// agent lost (LoseAgent). Reconciliation no longer knows it, and answers
// as for a task it does not know (unknownTaskLocked).
func (t *task) removed() bool {
	return (terminal(t.state) || t.state == mesos.TASK_UNREACHABLE) && len(t.queue) == 0
}

func (m *Master) acknowledge(taskID string, id []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.tasks[taskID]
	if m.loseAcks || t == nil || len(t.queue) == 0 || string(t.queue[0].UUID) != string(id) {
		return
	}
	t.queue = t.queue[1:]
	if t.resendStop != nil {
		close(t.resendStop)
		t.resendStop = nil
	}
	if f := m.frameworks[t.framework]; f != nil && len(t.queue) > 0 {
		m.deliverLocked(f, t)
	}
}

func (m *Master) kill(f *framework, taskID, agentID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.tasks[taskID]
	if t == nil || t.unknown {
		// The real master reconciles a task it does not know.
		m.unknownTaskLocked(f, taskID, agentID)
		return
	}
	if t.exec != nil {
		t.killed = true
		m.killOnExecutorLocked(f, t)
		return
	}
	if t.proc == nil || terminal(t.state) {
		return
	}
	t.killed = true
	if t.docker {
		stopContainer(t, 3*time.Second)
		return
	}
	// The command executor's default grace, without a kill policy.
	m.commandKillLocked(t, 3*time.Second)
}

// killGroup sends SIGTERM to a process group, SIGKILL after grace.
func killGroup(pid int, grace time.Duration) {
	syscall.Kill(-pid, syscall.SIGTERM)
	go func() {
		time.Sleep(grace)
		syscall.Kill(-pid, syscall.SIGKILL)
	}()
}

func terminal(s mesos.TaskState) bool {
	switch s {
	case mesos.TASK_FINISHED, mesos.TASK_FAILED, mesos.TASK_KILLED, mesos.TASK_ERROR, mesos.TASK_LOST,
		mesos.TASK_DROPPED, mesos.TASK_GONE, mesos.TASK_GONE_BY_OPERATOR:
		return true
	}
	return false
}

func partitionAware(f *framework) bool {
	for _, c := range f.info.Capabilities {
		if c.Type == mesos.FrameworkInfo_Capability_PARTITION_AWARE {
			return true
		}
	}
	return false
}

// reconcile answers as Mesos 1.12's Master::reconcile (master.cpp):
// explicit for the tasks named, implicit (every task the master holds of
// the framework, those ended whose final update is not yet acknowledged
// too) for an empty list. A task it holds is answered with the state of
// the last update forwarded to the framework (status_update_state:
// TASK_RUNNING for a task that failed since, its TASK_RUNNING not
// acknowledged), or its latest state while none was forwarded (the
// framework was away); one it no longer holds (removed) is unknown.
func (m *Master) reconcile(f *framework, rec *scheduler.Call_Reconcile) {
	m.mu.Lock()
	defer m.mu.Unlock()
	send := func(t *task) {
		state := t.state
		if t.updateState != nil {
			state = *t.updateState
		}
		m.updateLocked(f, &task{id: t.id, agent: t.agent, framework: f.id, container: t.container, proc: t.proc},
			state, mesos.SOURCE_MASTER, mesos.REASON_RECONCILIATION, "Reconciliation: Latest task state", false)
	}
	if rec == nil || len(rec.Tasks) == 0 {
		for _, t := range m.tasks {
			if t.framework == f.id && !t.removed() && !t.unknown {
				send(t)
			}
		}
		return
	}
	for _, want := range rec.Tasks {
		if t := m.tasks[want.TaskID.Value]; t != nil && t.framework == f.id && !t.unknown && !t.removed() {
			send(t)
			continue
		}
		agentID := ""
		if want.AgentID != nil {
			agentID = want.AgentID.Value
		}
		m.unknownTaskLocked(f, want.TaskID.Value, agentID)
	}
}

// unknownTaskLocked answers a reconciliation of (or a kill of) a task the
// master does not know, as Mesos 1.12's Master::reconcile (master.cpp)
// does for a task it does not know:
//   - on an agent registered with it, the task is gone (TASK_GONE;
//     TASK_LOST for a framework not partition-aware): "Reconciliation:
//     Task is unknown to the agent";
//   - on an agent it took as unreachable, the task is unreachable
//     (TASK_UNREACHABLE, TASK_LOST): "Reconciliation: Task is
//     unreachable", with unreachable_time the time the agent went;
//   - else (an agent it does not know, as a restarted master with its
//     registry in memory before the agent registers again) it is unknown
//     (TASK_UNKNOWN, TASK_LOST): "Reconciliation: Task is unknown", as
//     testdata/master-restart-reconcile.jsonl shows. (A master with a
//     replicated registry knows such an agent as recovered and does not
//     answer at all; the fake does not model that registry.)
//
// The answer names the agent the framework gave (as the real master's).
func (m *Master) unknownTaskLocked(f *framework, taskID, agentID string) {
	var known *agent
	for _, a := range m.agents {
		if a.id == agentID {
			known = a
		}
	}
	registered := known != nil && !known.lost && !known.reregistering
	unreachable := known != nil && known.lost
	state, message := mesos.TASK_LOST, "Reconciliation: Task is unknown"
	switch {
	case registered && partitionAware(f):
		state, message = mesos.TASK_GONE, "Reconciliation: Task is unknown to the agent"
	case registered:
		message = "Reconciliation: Task is unknown to the agent"
	case unreachable && partitionAware(f):
		state, message = mesos.TASK_UNREACHABLE, "Reconciliation: Task is unreachable"
	case unreachable:
		message = "Reconciliation: Task is unreachable"
	case partitionAware(f):
		state = mesos.TASK_UNKNOWN
	}
	if unreachable {
		source, reason, now := mesos.SOURCE_MASTER, mesos.REASON_RECONCILIATION, float64(time.Now().UnixNano())/1e9
		st := mesos.TaskStatus{TaskID: mesos.TaskID{Value: taskID}, State: &state, Source: &source, Reason: &reason,
			Message: &message, Timestamp: &now, AgentID: &mesos.AgentID{Value: agentID},
			UnreachableTime: &mesos.TimeInfo{Nanoseconds: known.lostAt.UnixNano()}}
		m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_UPDATE, Update: &scheduler.Event_Update{Status: st}})
		return
	}
	unknown := &task{id: taskID, framework: f.id}
	if agentID != "" {
		unknown.agent = &agent{id: agentID}
	}
	m.updateLocked(f, unknown, state, mesos.SOURCE_MASTER, mesos.REASON_RECONCILIATION, message, false)
}

func (m *Master) teardown(f *framework) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.shutdownExecutorsLocked(f.id, nil, false)
	for id, t := range m.tasks {
		if t.framework == f.id {
			if t.proc != nil && !terminal(t.state) {
				killGroup(t.proc.Pid, 3*time.Second)
			}
			t.agent.used = t.agent.used.minus(t.res)
			delete(m.tasks, id)
		}
	}
	for id, o := range m.offers {
		if o.framework == f.id {
			delete(m.offers, id)
		}
	}
	delete(m.frameworks, f.id)
	f.close()
}

// LoseAgent makes agent i disappear: its tasks are lost (unreachable for
// partition-aware frameworks), its processes killed, its offers rescinded,
// and frameworks get a FAILURE event.
func (m *Master) LoseAgent(i int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.agents[i]
	a.lost, a.lostAt = true, time.Now()
	m.shutdownExecutorsLocked("", a, true)
	for id, o := range m.offers {
		if o.agent == a {
			if f := m.frameworks[o.framework]; f != nil {
				m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_RESCIND, Rescind: &scheduler.Event_Rescind{OfferID: mesos.OfferID{Value: id}}})
			}
			delete(m.offers, id)
		}
	}
	for _, t := range m.tasks {
		if t.agent == a && terminal(t.state) {
			// Removed with its agent: no update of it is sent again, and
			// reconciliation tells it unreachable.
			t.queue = nil
			if t.resendStop != nil {
				close(t.resendStop)
				t.resendStop = nil
			}
		}
		if t.agent != a || terminal(t.state) {
			continue
		}
		if t.proc != nil {
			syscall.Kill(-t.proc.Pid, syscall.SIGKILL)
		}
		if t.docker {
			go removeContainer(t)
		}
		if f := m.frameworks[t.framework]; f != nil {
			state := mesos.TASK_LOST
			if partitionAware(f) {
				state = mesos.TASK_UNREACHABLE
			}
			t.queue = nil
			m.updateLocked(f, t, state, mesos.SOURCE_MASTER, mesos.REASON_AGENT_REMOVED, "Agent removed", false)
		}
	}
	for _, f := range m.frameworks {
		m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_FAILURE, Failure: &scheduler.Event_Failure{AgentID: &mesos.AgentID{Value: a.id}}})
	}
}

// Sandbox is the directory of a launched task on its agent (the path the
// agent's files API serves).
func (m *Master) Sandbox(taskID string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t := m.tasks[taskID]; t != nil {
		return t.sandbox
	}
	return ""
}
