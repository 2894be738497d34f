package mesos

import (
	"strings"

	mesos "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/engine"
)

// A block's :timeout is its task's max_completion_time (Mesos ≥ 1.4), and
// its executor enforces it: Mesos' command executor and docker executor
// kill the task (its process tree; the container) once it has run that
// long, and so does Borges' executor, which also kills whatever else of
// the task its cgroup or marker holds (executor/deadline.go). Either way
// the task ends TASK_FAILED with REASON_MAX_COMPLETION_TIME_REACHED. A
// block of a session has no max_completion_time: Borges' executor times
// it in its session and ends it with the same reason, its words "timed
// out after D (...)"; the reason, which no program's output can set,
// says the timeout, not the words.
//
// Not a timer of the scheduler's: the clock runs on the agent, beside the
// task, from its start, so a restart of Borges (or a master failover, or
// a partition) neither resets it nor lets the task run on unwatched; and
// the kill needs no call that could be lost on the way.

// withDeadline gives a task its block's :timeout, to the nanosecond.
func withDeadline(info *mesos.TaskInfo, a *engine.Attempt) {
	if a.Task == nil || a.Task.Timeout <= 0 {
		return
	}
	info.MaxCompletionTime = &mesos.DurationInfo{Nanoseconds: int64(a.Task.Timeout)}
}

// timedOut says whether a final status is the end of a task that ran past
// its max_completion_time (or a session block past its :timeout), and
// the message the other backends give then ("timed out after 2s"; a
// session block's as Borges' executor said it).
func timedOut(st mesos.TaskStatus, a *engine.Attempt) (string, bool) {
	if st.GetState() != mesos.TASK_FAILED || st.GetReason() != mesos.REASON_MAX_COMPLETION_TIME_REACHED {
		return "", false
	}
	if a == nil || a.Task == nil || a.Task.Timeout <= 0 {
		return "timed out (" + st.GetMessage() + ")", true
	}
	if m := st.GetMessage(); strings.HasPrefix(m, "timed out after "+a.Task.Timeout.String()) {
		// A session block's, which Borges's executor times itself
		// (its task has no max_completion_time): its words kept, as
		// the other backends' sessions say it.
		return m, true
	}
	return "timed out after " + a.Task.Timeout.String(), true
}
