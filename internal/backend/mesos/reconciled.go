package mesos

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/master"

	"github.com/wallyqs/borges/internal/engine"
)

// A task that ended while Borges was away is told to the restarted Borges
// by the master's answer to reconciliation, with "Reconciliation: Latest
// task state" for its message and no reason: Mesos 1.12 answers the state
// of the update it last forwarded to Borges (TASK_RUNNING for a task that
// failed behind its unacknowledged TASK_RUNNING), and the task's latest
// state, as its agent's updates told it, only while it has forwarded none
// (Borges was away whenever one came). Why it failed — its exit status,
// its :timeout — is in the status its executor sent, which the master
// keeps among the task's statuses (the operator API's GET_TASKS) once the
// agent has sent it: the agent sends it again when Borges subscribes
// again (or its back-off ends), racing that answer. A failure reported
// by reconciliation is read from there, so that a block fails the same
// way ("timed out after 2s") whichever comes first, and whether Borges
// saw its task end or not; and while the master holds none yet, the
// agent's is waited for (reconciledFailed).

// failure is what a TASK_FAILED or TASK_ERROR status says of its block:
// the message ("timed out after D" for a task its max_completion_time
// ended, timedOut true then: engine.Update.TimedOut) and the exit status
// in it, if any: for a program a signal ended, 128 and the signal's
// number (signalStatus).
func failure(st mesos.TaskStatus, a *engine.Attempt) (msg string, code *int, timedOutByIt bool) {
	if n, ok := exitStatus(st); ok {
		code = &n
	} else if n, ok := signalStatus(st); ok {
		code = &n
	}
	if m, ok := timedOut(st, a); ok {
		return m, code, true
	}
	return st.GetMessage(), code, false
}

// exitStatus is the exit status st's message says its task's program
// exited with (exitRe); ok is false for any other message, or a number
// no exit status is (above 255).
func exitStatus(st mesos.TaskStatus) (int, bool) {
	m := exitRe.FindStringSubmatch(strings.TrimRight(st.GetMessage(), " \t\r\n"))
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil && n <= 255
}

// reconciled reports whether a status is the master's answer to
// reconciliation rather than what the task's executor or agent said.
func reconciled(st mesos.TaskStatus) bool {
	return st.GetSource() == mesos.SOURCE_MASTER && st.GetReason() == mesos.REASON_RECONCILIATION
}

// reconciledFailure is a failure told by reconciliation alone so far:
// the update it makes, the master's status, and when it was first told.
type reconciledFailure struct {
	update engine.Update
	status mesos.TaskStatus
	since  time.Time
}

// reconciledFailed handles a failure the master told by reconciliation
// (the task's askingFinal set meanwhile). It is given the message and exit
// status of the task's own final status, as the master keeps it. Should
// the master hold none yet — the agent sends a task's updates one at a
// time, each once the one before is acknowledged, and the master takes
// the task's latest state from the first while it holds only the updates
// it was sent: an update no one acknowledged holds the final one back
// until the agent sends it again, at once when Borges subscribes again,
// else after a back-off of up to ten minutes — the task is left as it
// is, its updates processed and acknowledged (the agent's final one then
// ends it), and the failure kept (wait); reported as it is if still so
// UnreachableGrace later (checkUnsure), or when the master cannot be
// asked. The agent's updates are processed while the master is asked
// too: should its final one come meanwhile, it ends the task, and what
// the master answered is not needed.
func (b *Backend) reconciledFailed(ctx context.Context, t *taskInfo, u engine.Update, st mesos.TaskStatus, wait bool) {
	b.mu.Lock()
	asking := b.askingFinal
	b.mu.Unlock()
	if asking != nil {
		asking()
	}
	last, err := b.finalStatus(ctx, st.TaskID.Value)
	b.mu.Lock()
	t.askingFinal = false
	if t.state.Terminal() || t.ending {
		b.mu.Unlock()
		return
	}
	switch {
	case err != nil:
		b.log.Warn("reading a task's final status from the master", "task", st.TaskID.Value, "err", err)
	case last == nil && wait:
		if t.toldFailed == nil {
			t.toldFailed = &reconciledFailure{update: u, status: st, since: time.Now()}
		}
		b.mu.Unlock()
		b.log.Info("the master says a task failed but holds no final status of it yet: waiting for its agent's", "task", st.TaskID.Value)
		return
	case last != nil && last.GetState() == st.GetState():
		u.Message, u.ExitCode, u.TimedOut = failure(*last, t.attempt)
	}
	t.ending = true
	b.releasedLocked(t, &st)
	b.mu.Unlock()
	b.end(ctx, t, u, func() {})
}

// finalStatus is the last terminal status of a task of Borges' that did
// not come from the master itself, as the master keeps it (nil: none).
func (b *Backend) finalStatus(ctx context.Context, id string) (*mesos.TaskStatus, error) {
	b.mu.Lock()
	endpoint, fw := strings.TrimSuffix(b.endpoint, "/api/v1/scheduler")+"/api/v1", b.frameworkID
	b.mu.Unlock()
	body, err := (&master.Call{Type: master.Call_GET_TASKS}).Marshal()
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, "POST", endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("Accept", "application/x-protobuf")
	if b.cfg.Principal != "" {
		req.SetBasicAuth(b.cfg.Principal, b.cfg.Secret)
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// A master's task list is bounded (completed tasks too); so is what
	// is read of it.
	data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET_TASKS: %s: %s", resp.Status, strings.TrimSpace(string(data[:min(len(data), 200)])))
	}
	var r master.Response
	if err := r.Unmarshal(data); err != nil {
		return nil, fmt.Errorf("GET_TASKS: %w", err)
	}
	tasks := r.GetGetTasks()
	for _, list := range [][]mesos.Task{tasks.GetTasks(), tasks.GetCompletedTasks()} {
		for _, t := range list {
			if t.TaskID.Value != id || t.FrameworkID.Value != fw {
				continue
			}
			for i := len(t.Statuses) - 1; i >= 0; i-- {
				if s := t.Statuses[i]; s.GetSource() != mesos.SOURCE_MASTER && !alive(s.GetState()) && !unsure(s.GetState()) {
					return &s, nil
				}
			}
		}
	}
	return nil, nil
}
