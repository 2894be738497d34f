package mesostest

import (
	"fmt"
	"testing"
)

// TestTaskWithNoResources: as the real master (its validation of a task's
// resources), a task that holds no resources is refused with TASK_ERROR,
// "Task uses no resources"; one that holds a hundredth of a CPU alone (a
// block of a session on Borges' executor) is launched.
func TestTaskWithNoResources(t *testing.T) {
	m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer m.Close()
	c, offerID, agentID := startSession(t, m, "")
	body := fmt.Sprintf(`{"type":"ACCEPT","framework_id":{"value":%q},"accept":{"offer_ids":[{"value":%q}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[`+
		`{"name":"none","task_id":{"value":"none"},"agent_id":{"value":%q},"command":{"value":"true"}},`+
		`{"name":"tiny","task_id":{"value":"tiny"},"agent_id":{"value":%q},"command":{"value":"true"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.01}}]}]}}]}}`,
		c.fwID, offerID, agentID, agentID)
	if code, text := c.call(body, c.streamID); code != 202 {
		t.Fatalf("ACCEPT: %d %s", code, text)
	}
	st := c.waitState("none", "TASK_ERROR")
	if st["message"] != "Task uses no resources" || st["reason"] != "REASON_TASK_INVALID" {
		t.Fatalf("status %v", st)
	}
	c.waitState("tiny", "TASK_FINISHED")
}
