package mesos

import (
	"context"
	"testing"
	"time"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestKilledGoneAfterFailedAccept: a task killed on request whose ACCEPT
// failed, then reconciled TASK_GONE, is killed with the master's answer
// as it is: not reworded "never launched" with a delay that did not pass
// (a killed task need not wait, tooSoonGone), nor TASK_GONE said twice.
func TestKilledGoneAfterFailedAccept(t *testing.T) {
	b, _ := New(Config{Master: "127.0.0.1:1", UnsureInterval: 3 * time.Second})
	var got []engine.Update
	b.SetSink(func(u engine.Update) { got = append(got, u) })
	b.tasks["t"] = &taskInfo{attempt: &engine.Attempt{ID: "t", Task: &plan.Task{}}, killed: true}
	b.tasks["t"].acceptFailedAt = time.Now()
	state, source, reason, msg := mesoslib.TASK_GONE, mesoslib.SOURCE_MASTER, mesoslib.REASON_RECONCILIATION, "Reconciliation: Task is unknown to the agent"
	b.taskUpdate(context.Background(), mesoslib.TaskStatus{TaskID: mesoslib.TaskID{Value: "t"}, State: &state, Source: &source, Reason: &reason, Message: &msg})
	want := "killed on request (TASK_GONE: Reconciliation: Task is unknown to the agent)"
	if len(got) != 1 || got[0].State != engine.Killed || got[0].Message != want {
		t.Fatalf("reported %+v; want killed %q", got, want)
	}
}
