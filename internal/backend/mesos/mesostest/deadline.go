package mesostest

import (
	"syscall"
	"time"
)

// A task's max_completion_time (Mesos ≥ 1.4) is its executor's to enforce,
// as the real agent leaves it: the command executor and the docker
// executor kill the task when it has run that long, with a zero grace
// period, and report TASK_FAILED with REASON_MAX_COMPLETION_TIME_REACHED
// (TestMaxCompletionTimeLikeReal); a custom executor gets the TaskInfo
// as it is and does what it does with it.

// enforceDeadlineLocked starts the clock of a task's max_completion_time,
// if it has one, as its command or docker executor does once the task
// runs.
func (m *Master) enforceDeadlineLocked(t *task) {
	d := t.info.GetMaxCompletionTime()
	if d == nil || t.proc == nil {
		return
	}
	time.AfterFunc(time.Duration(d.GetNanoseconds()), func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if terminal(t.state) || t.killed || t.agent.lost {
			return
		}
		t.timedOut = true
		if t.docker {
			stopContainer(t, 0)
			return
		}
		// The command executor's kill with no grace: SIGTERM to the
		// tree, SIGKILL right after.
		m.commandKillLocked(t, 0)
	})
}

// signalText is the C library's name of a signal, as Mesos' messages
// have it ("Command terminated with signal Terminated").
func signalText(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "Terminated"
	case syscall.SIGKILL:
		return "Killed"
	}
	return sig.String()
}
