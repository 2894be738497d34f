package mesostest

import (
	"fmt"
	"testing"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
)

// TestLostAgentNoResend: a task that failed, its updates unacknowledged,
// on an agent the master then loses, is removed with the agent: none of
// its updates is sent again when the framework subscribes again, and
// reconciliation tells it unreachable (Mesos 1.12's Master::reconcile).
func TestLostAgentNoResend(t *testing.T) {
	again, agentID := failedUnacknowledged(t, (*Master).LoseAgent)
	again.call(fmt.Sprintf(`{"type":"RECONCILE","framework_id":{"value":%q},"reconcile":{"tasks":[{"task_id":{"value":"f"},"agent_id":{"value":%q}}]}}`, again.fwID, agentID), again.streamID)
	for {
		ev, _ := again.next("UPDATE")
		st := ev["update"].(map[string]any)["status"].(map[string]any)
		t.Logf("update: %v %v %v", st["state"], st["reason"], st["message"])
		if st["reason"] != "REASON_RECONCILIATION" {
			t.Errorf("an update from a lost agent reached the framework: %v", st["state"])
			continue
		}
		if st["state"] != "TASK_UNREACHABLE" {
			t.Errorf("reconciled %v %q, want TASK_UNREACHABLE \"Reconciliation: Task is unreachable\"", st["state"], st["message"])
		}
		return
	}
}

// TestRestartedMasterNoResend: the same task, the master restarted (its
// agent not yet registered again): the master neither sends its update
// again nor tells it in implicit reconciliation.
func TestRestartedMasterNoResend(t *testing.T) {
	again, agentID := failedUnacknowledged(t, func(m *Master, _ int) { m.RestartMaster() })
	again.call(fmt.Sprintf(`{"type":"RECONCILE","framework_id":{"value":%q},"reconcile":{"tasks":[]}}`, again.fwID), again.streamID)
	again.call(fmt.Sprintf(`{"type":"RECONCILE","framework_id":{"value":%q},"reconcile":{"tasks":[{"task_id":{"value":"nosuch"},"agent_id":{"value":%q}}]}}`, again.fwID, agentID), again.streamID)
	for {
		ev, _ := again.next("UPDATE")
		st := ev["update"].(map[string]any)["status"].(map[string]any)
		t.Logf("update: %v %v %v %v", st["task_id"], st["state"], st["reason"], st["message"])
		if st["task_id"].(map[string]any)["value"] == "nosuch" {
			return
		}
		t.Errorf("the restarted master, its agent not registered again, told the task: %v %v", st["state"], st["message"])
	}
}

// failedUnacknowledged launches task "f" (exit 3) for a partition-aware
// framework that does not acknowledge its TASK_STARTING, waits until the
// master has it failed, applies fault to agent 0 and subscribes the
// framework again. It returns the new subscription (past
// SUBSCRIBED) and the agent's id.
func failedUnacknowledged(t *testing.T, fault func(*Master, int)) (*client, string) {
	t.Helper()
	m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}, ResendInterval: time.Hour})
	t.Cleanup(m.Close)
	aware := `,"capabilities":[{"type":"PARTITION_AWARE"}]`
	c, offerID, agentID := startSession(t, m, aware)
	c.launch(offerID, agentID, "f", "exit 3")
	c.next("UPDATE") // TASK_STARTING, not acknowledged
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if s, _ := m.TaskState("f"); s == mesos.TASK_FAILED {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("never failed")
		}
	}
	fault(m, 0)
	again := subscribe(t, m.URL(), fmt.Sprintf(subscribeBody, fmt.Sprintf(`,"id":{"value":%q}`, c.fwID)+aware))
	again.fwID = c.fwID
	again.next("SUBSCRIBED")
	return again, agentID
}
