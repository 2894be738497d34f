package executor

import (
	"context"
	"testing"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/proctest"
)

// A kill that reaches the executor while a task's terminal update is
// being sent (the task still listed) must send nothing more: an update
// after the terminal one is one the agent never acknowledges (it knows
// no executor for it any more), and the executor, waiting for that
// acknowledgement, never goes idle and never exits. Seen on a real agent:
// a session's task KILLED, then TASK_KILLING for Borges's close of it.
func TestKillDuringTheTerminalUpdate(t *testing.T) {
	e, agent := testExecutor(t)
	const id = "ends-then-killed"
	killed := make(chan struct{})
	// The task as its terminal update is sent, when it is still among the
	// executor's tasks: read after launch returns, it may have ended and
	// gone already ("true" ends at once; a loaded machine may run all of
	// it before the test reads on).
	launched := make(chan *task, 1)
	agent.mu.Lock()
	agent.onUpdate = func(st mesos.TaskStatus) {
		if st.TaskID.Value != id || st.GetState() != mesos.TASK_FINISHED {
			return
		}
		e.mu.Lock()
		launched <- e.tasks[id]
		e.mu.Unlock()
		// The kill runs while the terminal update waits for this
		// answer; it either returns at once (the task has ended) or
		// waits to send its own update after this one.
		go func() {
			e.kill(context.Background(), id, 0)
			close(killed)
		}()
		select {
		case <-killed:
		case <-time.After(2 * time.Second):
		}
	}
	agent.mu.Unlock()
	e.launch(context.Background(), mesos.TaskInfo{TaskID: mesos.TaskID{Value: id},
		Command: &mesos.CommandInfo{Value: &[]string{"true"}[0]}})
	var tk *task
	select {
	case tk = <-launched:
	case <-time.After(proctest.WaitTimeout(t)):
		t.Fatal("no terminal update")
	}
	if tk == nil {
		t.Fatal("task not launched")
	}
	waitDone(t, tk)
	select {
	case <-killed:
	case <-time.After(proctest.WaitTimeout(t)):
		t.Fatal("the kill never returned")
	}
	agent.mu.Lock()
	states := append([]mesos.TaskState(nil), agent.states[id]...)
	agent.mu.Unlock()
	if len(states) == 0 || states[len(states)-1] != mesos.TASK_FINISHED {
		t.Fatalf("updates %v: the last one must be the terminal TASK_FINISHED", states)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, u := range e.unacked {
		if u.Status.TaskID.Value == id && u.Status.GetState() == mesos.TASK_KILLING {
			t.Fatalf("a TASK_KILLING after the task ended waits for an acknowledgement (%d updates pending)", len(e.unacked))
		}
	}
}

// An update that comes after a task's terminal one (a kill that saw the
// task running, then waited behind its end's update) is dropped.
func TestNothingSentAfterTheTerminalUpdate(t *testing.T) {
	e, agent := testExecutor(t)
	const id = "after-the-end"
	tk := &task{info: mesos.TaskInfo{TaskID: mesos.TaskID{Value: id}}, done: make(chan struct{})}
	ctx := context.Background()
	e.update(ctx, tk, mesos.TASK_RUNNING, nil, "")
	e.update(ctx, tk, mesos.TASK_KILLED, nil, "")
	e.update(ctx, tk, mesos.TASK_KILLING, nil, "")
	agent.mu.Lock()
	states := append([]mesos.TaskState(nil), agent.states[id]...)
	agent.mu.Unlock()
	if len(states) != 2 || states[1] != mesos.TASK_KILLED {
		t.Fatalf("updates %v, want RUNNING then KILLED alone", states)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, u := range e.unacked {
		if u.Status.GetState() == mesos.TASK_KILLING {
			t.Fatal("the TASK_KILLING after the end waits for an acknowledgement")
		}
	}
}
