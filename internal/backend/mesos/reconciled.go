package mesos

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/master"

	"github.com/wallyqs/borges/internal/engine"
)

// A task that ended while Borges was away is told to the restarted Borges
// by the master's answer to reconciliation: the task's latest state, with
// "Reconciliation: Latest task state" for its message and no reason. Why
// it failed — its exit status, its :timeout — is in the status its
// executor sent, which the agent sends again when the framework
// subscribes again, racing that answer (and later only after a back-off
// of up to ten minutes), and which the master keeps among the task's
// statuses (the operator API's GET_TASKS). A failure reported by
// reconciliation is read from there, so that a block fails the same way
// ("timed out after 2s") whichever comes first, and whether Borges saw its
// task end or not.

// failure is what a TASK_FAILED or TASK_ERROR status says of its block:
// the message ("timed out after D" for a task its max_completion_time
// ended) and the exit status in it, if any.
func failure(st mesos.TaskStatus, a *engine.Attempt) (string, *int) {
	var code *int
	if m := exitRe.FindStringSubmatch(st.GetMessage()); m != nil {
		n, _ := strconv.Atoi(m[1])
		code = &n
	}
	if m, ok := timedOut(st, a); ok {
		return m, code
	}
	return st.GetMessage(), code
}

// reconciled reports whether a status is the master's answer to
// reconciliation rather than what the task's executor or agent said.
func reconciled(st mesos.TaskStatus) bool {
	return st.GetSource() == mesos.SOURCE_MASTER && st.GetReason() == mesos.REASON_RECONCILIATION
}

// explainFailure gives a failure the master told by reconciliation the
// message and exit status of the task's own final status, as the master
// keeps it; u as it was when there is none.
func (b *Backend) explainFailure(ctx context.Context, u engine.Update, st mesos.TaskStatus, a *engine.Attempt) engine.Update {
	if u.State != engine.Failed || !reconciled(st) {
		return u
	}
	last, err := b.finalStatus(ctx, st.TaskID.Value)
	if err != nil {
		b.log.Warn("reading a task's final status from the master", "task", st.TaskID.Value, "err", err)
		return u
	}
	if last == nil || last.GetState() != st.GetState() {
		return u
	}
	u.Message, u.ExitCode = failure(*last, a)
	return u
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
