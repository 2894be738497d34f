package mesos

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/proctest"
)

// TestUpdatesBeyondTheHoldSayItOnce: a restarted Borges told of more
// updates before Recover than it holds leaves the rest unacknowledged.
// That is said when the first is left and, with how many, once
// recovered; not once per update (a reconciling
// master answering for thousands of tasks would flood the log), and
// without promising the agent sends them again: reconciliation answers
// are not resent, the reconciliation after Recover asks for them anew.
func TestUpdatesBeyondTheHoldSayItOnce(t *testing.T) {
	var logs proctest.SyncBuffer
	b, err := New(Config{Master: "127.0.0.1:1", Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	const beyond = 7
	running := mesoslib.TASK_RUNNING
	for i := 0; i < maxEarly+beyond; i++ {
		b.update(ctx, mesoslib.TaskStatus{TaskID: mesoslib.TaskID{Value: fmt.Sprintf("d.0-b%d.0.1", i)}, State: &running})
	}
	if err := b.Recover(ctx, nil); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	// Said when the first is left, and with the count once recovered.
	if n := strings.Count(out, "unacknowledged"); n != 2 {
		t.Fatalf("%d warnings for %d updates left unacknowledged, want 2:\n%.2000s", n, beyond, out)
	}
	if !strings.Contains(out, fmt.Sprintf("left=%d", beyond)) {
		t.Fatalf("the warning does not say how many were left (%d):\n%.2000s", beyond, out)
	}
	if strings.Contains(out, "agent to send again") {
		t.Fatalf("the warning promises the agent resends them, untrue for reconciliation answers:\n%.2000s", out)
	}
}
