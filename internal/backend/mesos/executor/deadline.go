package executor

import (
	"syscall"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
)

// A block's :timeout reaches Mesos as its task's max_completion_time
// (Mesos ≥ 1.4). The agent does not enforce it: each executor does — the
// command executor and the docker executor kill the task and report
// TASK_FAILED with REASON_MAX_COMPLETION_TIME_REACHED — so Borges'
// executor does too, the same way. Its clock runs here, beside the task,
// from the task's start: a restart of Borges (or of the agent, the
// executor running on) neither resets nor stops it.

// killGrace is how long a task killed (KILL without a grace period of
// its own, or timed out) has between SIGTERM and SIGKILL.
const killGrace = 3 * time.Second

// startDeadline starts the clock of a task's max_completion_time, if it
// has one; it stops when the task ends.
func (e *Executor) startDeadline(t *task) {
	d := t.info.GetMaxCompletionTime()
	if d == nil || d.GetNanoseconds() < 0 {
		return
	}
	timer := time.AfterFunc(time.Duration(d.GetNanoseconds()), func() { e.expire(t) })
	go func() {
		<-t.done
		timer.Stop()
	}()
}

// expire ends a task that has run for its max_completion_time, as a kill
// does (SIGTERM to everything it started, SIGKILL after killGrace, the
// rest SIGKILLed when its program has ended); it then fails. A task
// already being killed is left to its kill; one that has ended (its
// terminal update may still be on its way) is not signalled: its process
// is reaped and its pid may be another's.
func (e *Executor) expire(t *task) {
	e.mu.Lock()
	if t.ended || t.killed || t.timedOut || t.pid == 0 {
		e.mu.Unlock()
		return
	}
	t.timedOut = true
	pid, procs := t.pid, t.procs
	e.mu.Unlock()
	e.log.Printf("task %s: past its maximum completion time of %s: killing it", t.info.TaskID.Value, maxCompletionTime(t.info))
	terminate(t, pid, procs, killGrace)
}

// terminate sends SIGTERM to a task's process group and every process it
// started, and SIGKILL after grace unless it has ended by then.
func terminate(t *task, pid int, procs *taskProcs, grace time.Duration) {
	killTree(pid, syscall.SIGTERM)
	procs.signal(syscall.SIGTERM)
	go func() {
		select {
		case <-t.done:
		case <-time.After(grace):
			killTree(pid, syscall.SIGKILL)
			procs.signal(syscall.SIGKILL)
		}
	}()
}

// maxCompletionTime is a task's max_completion_time (0: none).
func maxCompletionTime(info mesos.TaskInfo) time.Duration {
	return time.Duration(info.GetMaxCompletionTime().GetNanoseconds())
}

// timedOutReason is the reason a timed-out task's final update gives, as
// Mesos' own executors give it.
var timedOutReason = mesos.REASON_MAX_COMPLETION_TIME_REACHED
