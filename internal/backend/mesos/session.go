package mesos

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler/calls"

	"github.com/wallyqs/borges/internal/backend/mesos/executor"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// Babel sessions on Mesos. A session is one long-lived interpreter that
// Borges feeds block after block, which a Mesos task run by a command
// executor cannot be (it takes no input once launched). Borges' executor
// can: on it a session is one Mesos task, the "session task", whose
// program is the interpreter; it is launched with the session's first
// block, holding that block's resources (the interpreter's, as on this
// machine), and lives until the engine closes the session (CloseSession:
// the task is killed). Each block of the session stays a task of its own —
// its state, log, restart and kill are its own, as on this machine — and
// is launched onto the executor that holds the session's task, pinned to
// its agent: the executor sends its body to the interpreter and reports
// its end by status updates, which Mesos delivers reliably (framework
// messages, which it may drop, carry nothing). A block task holds the least
// the master takes (a task with no resources is refused, "Task uses no
// resources"): sessionBlockCPUs, and its :ports. So nothing reaches the
// server from the agent but what Mesos carries.
//
// Whatever ends the session's task ends the session: a killed, failed or
// timed-out block (the executor stops the interpreter), the executor's
// end. When its agent or executor is lost, so is the interpreter and what
// the session's blocks built in it: its blocks, queued or running, are
// reported lost, and the engine runs the session again in a new one.
// Without Borges' executor, and for blocks in containers (which Borges'
// executor does not run), each block of a session is a task of its own
// (NoSessions, NoContainerSessions).

// sessionBlockCPUs is what a block task of a session holds: the
// interpreter's resources are its session task's.
const sessionBlockCPUs = 0.01

// sessionRun is a session's task.
type sessionRun struct {
	id       string // the engine's session id (engine.Attempt.Session)
	taskID   string
	agentID  string
	executor *executorRun // while the task runs (released when it ends)
	ended    bool
	// lost: ended with its agent or executor, or unreachable for longer
	// than the grace: its blocks are lost with it.
	lost bool
	// closing: CloseSession asked for its end (while accepting, it is
	// killed after the ACCEPT, Backend.accepted).
	closing bool
	launchState
}

// NoSessions says why the blocks of a Babel session are not run in one
// interpreter on Mesos without Borges' executor: a session is one
// long-lived process that Borges feeds block after block through its
// standard input, which a task of a command executor does not take once
// launched. Each block then runs as a task of its own.
const NoSessions = "the Mesos backend runs each block as a task of its own without Borges' executor (#+mesos_executor:): a command executor's task takes no input once launched"

// NoContainerSessions says why a block in a container does not run in its
// session's interpreter on Mesos: the interpreter runs on Borges'
// executor, which runs no containers.
const NoContainerSessions = "the Mesos backend runs a block in a container as a task of its own: a session's interpreter runs on Borges' executor, which runs no containers"

// sessionLimits are what the plan is told of sessions on this framework.
func (b *Backend) sessionLimits(l plan.Limits) plan.Limits {
	if b.cfg.Executor == "" {
		l.NoSessions = NoSessions
	} else {
		l.NoContainerSessions = NoContainerSessions
	}
	return l
}

// inSession reports whether an attempt runs in a session's interpreter
// here.
func (b *Backend) inSession(a *engine.Attempt) bool {
	return a.Session != "" && a.Task != nil && a.Task.Session != nil && b.onExecutor(a)
}

// liveSessionLocked is the running task of an attempt's session, if any.
// The caller holds b.mu.
func (b *Backend) liveSessionLocked(a *engine.Attempt) *sessionRun {
	if s := b.sessions[a.Session]; s != nil && !s.ended {
		return s
	}
	return nil
}

// wantLocked is what placing an attempt asks of an offer: a block of a
// session whose task runs is pinned to its agent and holds little; the
// block that starts a session holds the session's resources besides.
func (b *Backend) wantLocked(a *engine.Attempt) Want {
	w := Want{ID: a.ID, Resources: a.Task.Resources, Constraints: a.Task.Constraints}
	if !b.inSession(a) {
		return w
	}
	block := plan.Resources{CPUs: sessionBlockCPUs, Ports: a.Task.Resources.Ports}
	if s := b.liveSessionLocked(a); s != nil {
		w.Resources, w.Agent = block, s.agentID
		return w
	}
	w.Resources.CPUs += block.CPUs
	return w
}

// sessionLaunchLocked makes the tasks of a session block placed on an
// offer onto executor ex: the block's, and before it the session's task
// when the block starts the session. ok is false when the block cannot go
// there (no executor for it in this offer: it waits for another); lost,
// when its session was lost, or its executor is no longer the agent's.
func (b *Backend) sessionLaunchLocked(a *engine.Attempt, o mesos.Offer, ports []uint64, ex *executorRun) (tasks []mesos.TaskInfo, ok, lost bool) {
	if s := b.sessions[a.Session]; s != nil && s.lost {
		return nil, false, true // queued as its session was being lost
	}
	if ex == nil {
		return nil, false, false
	}
	s := b.liveSessionLocked(a)
	if s != nil && s.executor != ex {
		return nil, false, true
	}
	if s == nil {
		s = &sessionRun{id: a.Session, taskID: a.ID + ".session", agentID: o.AgentID.Value, executor: ex,
			launchState: launchState{accepting: true}}
		if b.sessions == nil {
			b.sessions, b.sessionTasks = map[string]*sessionRun{}, map[string]*sessionRun{}
		}
		b.sessions[s.id], b.sessionTasks[s.taskID] = s, s
		ex.tasks++
		tasks = append(tasks, b.sessionTaskInfo(a, o, s))
	}
	info := b.unshippedTaskInfo(a, o, ports)
	var res []mesos.Resource
	for _, r := range info.Resources {
		if r.Name == "ports" {
			res = append(res, r)
		}
	}
	info.Resources = append([]mesos.Resource{b.scalar("cpus", sessionBlockCPUs)}, res...)
	req := executor.SessionBlock{Body: a.Script, Value: a.Task.Session.Value, PP: a.Task.Session.PP, ShellForms: a.Task.Session.ShellForms}
	if a.Task.Timeout > 0 {
		req.Timeout = a.Task.Timeout.String()
	}
	data, err := json.Marshal(req)
	if err != nil {
		return nil, false, false // strings and booleans always marshal
	}
	e := ex.info
	info.Executor, info.Command, info.Data = &e, nil, data
	// The block's :timeout travels in its data: the executor times the
	// block in its session and stops the interpreter with it
	// (executor/session.go), so no max_completion_time races that; its
	// end says so with the reason a max_completion_time's gives
	// (REASON_MAX_COMPLETION_TIME_REACHED), which failure flags.
	info.MaxCompletionTime = nil
	info.Labels = &mesos.Labels{Labels: []mesos.Label{{Key: executor.SessionLabel, Value: strp(s.taskID)}}}
	return append(tasks, info), true, false
}

// sessionTaskInfo is the task of a session's interpreter: the session's
// command, started in the first block's directory with the block's
// environment but for what names the block, holding its resources.
func (b *Backend) sessionTaskInfo(a *engine.Attempt, o mesos.Offer, s *sessionRun) mesos.TaskInfo {
	r := a.Task.Resources
	res := []mesos.Resource{b.scalar("cpus", r.CPUs), b.scalar("mem", r.MemMB)}
	if r.DiskMB > 0 {
		res = append(res, b.scalar("disk", r.DiskMB))
	}
	if r.GPUs > 0 {
		res = append(res, b.scalar("gpus", float64(r.GPUs)))
	}
	env := &mesos.Environment{}
	vars := session.InterpreterEnv(a.Env, a.Session)
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env.Variables = append(env.Variables, mesos.Environment_Variable{Name: k, Value: strp(vars[k])})
	}
	argv := a.Task.Session.Command
	cmd := mesos.CommandInfo{Shell: boolp(false), Value: strp(argv[0]), Arguments: argv, Environment: env}
	data, _ := cmd.Marshal() // a CommandInfo Borges built always marshals
	e := s.executor.info
	labels := []mesos.Label{{Key: executor.SessionKindLabel, Value: strp(a.Task.Session.Kind)},
		{Key: executor.SessionDirLabel, Value: strp(a.ID)}}
	if a.Task.Dir != "" {
		// Its :dir, where the local backend starts it too.
		labels = append(labels, mesos.Label{Key: executor.SessionWorkDirLabel, Value: strp(a.Task.Dir)})
	}
	if r.Pids > 0 {
		labels = append(labels, mesos.Label{Key: executor.PidsLabel, Value: strp(strconv.Itoa(r.Pids))})
	}
	if l, ok := executor.UnsetLabelOf(a.Unset); ok {
		labels = append(labels, l)
	}
	return mesos.TaskInfo{Name: "session " + a.Task.Session.Name, TaskID: mesos.TaskID{Value: s.taskID}, AgentID: o.AgentID,
		Resources: res, Executor: &e, Data: data, Labels: &mesos.Labels{Labels: labels}}
}

// scalar is a scalar resource of the framework's role.
func (b *Backend) scalar(name string, v float64) mesos.Resource {
	t := mesos.SCALAR
	return mesos.Resource{Name: name, Type: &t, Scalar: &mesos.Value_Scalar{Value: v},
		AllocationInfo: &mesos.Resource_AllocationInfo{Role: &b.cfg.Role}}
}

// sessionUpdate handles a status update of a session's task; it reports
// whether st was one.
func (b *Backend) sessionUpdate(ctx context.Context, st mesos.TaskStatus) bool {
	id := st.TaskID.Value
	state := st.GetState()
	b.mu.Lock()
	s := b.sessionTasks[id]
	if s == nil {
		b.mu.Unlock()
		return false
	}
	var lostBlocks []*engine.Attempt
	kill := false
	switch {
	case s.ended:
		kill = alive(state) // a session ended is not run twice
	case unsure(state) || b.tooSoonGone(s.acceptFailedAt, s.closing, state):
		s.markUnsure(time.Now())
	case alive(state):
		s.known()
		kill = s.closing
	default:
		s.ended = true
		lost := state != mesos.TASK_FINISHED && state != mesos.TASK_FAILED && state != mesos.TASK_KILLED ||
			st.GetSource() != mesos.SOURCE_EXECUTOR
		lostBlocks = b.endSessionLocked(s, lost && !s.closing, st.GetSource() == mesos.SOURCE_EXECUTOR)
		b.log.Info("session task ended", "task", id, "state", state, "message", st.GetMessage())
	}
	agentID := s.agentID
	b.mu.Unlock()
	b.ackLater(ctx, st)
	if kill {
		if err := b.send(ctx, calls.Kill(id, agentID)); err != nil {
			b.log.Warn("kill", "task", id, "err", err)
		}
	}
	b.loseSessionBlocks(lostBlocks, "its session's interpreter was lost ("+state.String()+": "+st.GetMessage()+")")
	return true
}

// endSessionLocked records that a session's task has ended. A session
// ended otherwise than lost is forgotten: a later block of it starts a new
// interpreter, as on this machine. A lost one is kept, so that its later
// blocks are lost too (the engine runs the session again, under a new id);
// its queued blocks are returned, taken off the queue, to be reported
// lost. The caller holds b.mu.
func (b *Backend) endSessionLocked(s *sessionRun, lost, byExecutor bool) []*engine.Attempt {
	s.ended = true
	if ex := s.executor; ex != nil {
		s.executor = nil
		ex.tasks--
		ex.lastEnd = time.Now()
		if !byExecutor {
			ex.lastEnd = time.Time{} // the executor may have gone with it
		}
	}
	if !lost {
		if b.sessions[s.id] == s {
			delete(b.sessions, s.id)
		}
		delete(b.sessionTasks, s.taskID)
		return nil
	}
	s.lost = true
	var out, rest []*engine.Attempt
	for _, a := range b.queue {
		if a.Session == s.id && b.inSession(a) {
			out = append(out, a)
		} else {
			rest = append(rest, a)
		}
	}
	b.queue = rest
	return out
}

// loseSessionBlocks reports queued blocks of a lost session lost.
func (b *Backend) loseSessionBlocks(blocks []*engine.Attempt, why string) {
	for _, a := range blocks {
		b.Emit(engine.Update{AttemptID: a.ID, State: engine.Lost, Message: why})
	}
}

// sessionLaunchLost reports whether an attempt to be queued belongs to a
// lost session: it is reported lost instead.
func (b *Backend) sessionLaunchLost(a *engine.Attempt) bool {
	if a.Session == "" {
		return false
	}
	b.mu.Lock()
	s := b.sessions[a.Session]
	lost := s != nil && s.lost && b.inSession(a)
	b.mu.Unlock()
	if lost {
		b.loseSessionBlocks([]*engine.Attempt{a}, "its session's interpreter was lost with its agent or executor")
	}
	return lost
}

// checkUnsureSessions takes a session task unreachable or unknown for
// longer than the grace as lost, with its queued blocks (pinned to an agent
// that makes no offers, they would wait forever).
func (b *Backend) checkUnsureSessions() {
	var lost []*engine.Attempt
	b.mu.Lock()
	for _, s := range b.sessionTasks {
		if !s.ended && !s.unsureSince.IsZero() && time.Since(s.unsureSince) >= b.cfg.UnreachableGrace {
			lost = append(lost, b.endSessionLocked(s, true, false)...)
		}
	}
	b.mu.Unlock()
	b.loseSessionBlocks(lost, fmt.Sprintf("its session's interpreter was unreachable for %s", b.cfg.UnreachableGrace))
}

// liveSessionTasks are the session tasks not known to have ended, by task
// id, with their agents' ids; onlyUnsure: only those whose state the
// master does not know for now (unreachable, unknown, or their ACCEPT
// failed). A session task whose ACCEPT is still being sent is left out.
func (b *Backend) liveSessionTasks(onlyUnsure bool) map[string]string {
	out := map[string]string{}
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, s := range b.sessionTasks {
		if s.ended || s.accepting || (onlyUnsure && s.unsureSince.IsZero()) {
			continue
		}
		out[id] = s.agentID
	}
	return out
}

// CloseSession kills a session's task: its interpreter ends. The kill is
// sent again should the task report itself alive.
func (b *Backend) CloseSession(ctx context.Context, id string) error {
	b.mu.Lock()
	s := b.sessions[id]
	if s != nil && b.sessions[id] == s {
		delete(b.sessions, id)
	}
	if s == nil || s.ended {
		if s != nil {
			delete(b.sessionTasks, s.taskID)
		}
		b.mu.Unlock()
		return nil
	}
	s.closing = true
	taskID, agentID, accepting := s.taskID, s.agentID, s.accepting
	b.mu.Unlock()
	if accepting {
		return nil // killed once its ACCEPT has been sent (Backend.accepted)
	}
	if err := b.send(ctx, calls.Kill(taskID, agentID)); err != nil {
		return fmt.Errorf("killing session task %s: %w", taskID, err)
	}
	return nil
}

// placeSessionBlock adds the tasks of a session block placed on an offer to
// own, the offer's task group for executor ex, and takes the block off the
// queue (placed, or lost with its session); a block no longer queued
// (killed, or lost, since offers read the queue) is left alone.
func (b *Backend) placeSessionBlock(a *engine.Attempt, o mesos.Offer, ports []uint64, ex *executorRun, own *[]mesos.TaskInfo) {
	b.mu.Lock()
	if !b.queuedLocked(a.ID) {
		b.mu.Unlock()
		return
	}
	tasks, ok, lost := b.sessionLaunchLocked(a, o, ports, ex)
	if ok || lost {
		b.takeQueuedLocked(a.ID)
	}
	if ok {
		b.executors[o.AgentID.Value] = ex
		ex.tasks++
		b.tasks[a.ID] = &taskInfo{attempt: a, agentID: o.AgentID.Value, host: o.Hostname, state: engine.Staged,
			executor: ex, executorID: ex.info.ExecutorID.Value,
			launchState: launchState{accepting: true}}
	}
	b.mu.Unlock()
	if lost {
		b.loseSessionBlocks([]*engine.Attempt{a}, "its session's interpreter was lost with its agent or executor")
		return
	}
	for _, ti := range tasks {
		ti.Executor = nil // the group's
		*own = append(*own, ti)
	}
}

// queuedLocked reports whether an attempt waits in the queue. The caller
// holds b.mu.
func (b *Backend) queuedLocked(id string) bool {
	for _, a := range b.queue {
		if a.ID == id {
			return true
		}
	}
	return false
}
