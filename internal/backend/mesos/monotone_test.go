package mesos

import (
	"context"
	"slices"
	"testing"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestNoStateBackwards: once an attempt was reported running, a later
// TASK_STARTING or TASK_STAGING (a reconciliation answer crossing a
// re-sent update) is acknowledged but not reported: Staged after Running
// would restart the attempt's "running since", and could count a long
// run as a quick exit.
func TestNoStateBackwards(t *testing.T) {
	for _, back := range []mesoslib.TaskState{mesoslib.TASK_STARTING, mesoslib.TASK_STAGING} {
		b, _ := New(Config{Master: "127.0.0.1:1"})
		var got []engine.State
		b.SetSink(func(u engine.Update) { got = append(got, u.State) })
		b.tasks["t"] = &taskInfo{attempt: &engine.Attempt{ID: "t", Task: &plan.Task{}}}
		for _, state := range []mesoslib.TaskState{mesoslib.TASK_STARTING, mesoslib.TASK_RUNNING, back, mesoslib.TASK_RUNNING} {
			st := state
			b.taskUpdate(context.Background(), mesoslib.TaskStatus{TaskID: mesoslib.TaskID{Value: "t"}, State: &st})
		}
		want := []engine.State{engine.Staged, engine.Running, engine.Running}
		if !slices.Equal(got, want) {
			t.Errorf("RUNNING, %v, RUNNING: reported %v, want %v", back, got, want)
		}
	}
}
