package mesostest

import (
	"fmt"
	"testing"

	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
)

// TestTaskWithNoResources: a task that holds no resources is refused with
// TASK_ERROR, "Task uses no resources"; one that holds a hundredth of a
// CPU alone (a block of a session on Borges' executor) is launched — by
// the real Mesos 1.12 master, and so by the fake.
func TestTaskWithNoResources(t *testing.T) {
	t.Run("fake", func(t *testing.T) {
		m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}})
		defer m.Close()
		launchWithNoResources(t, m.URL())
	})
	t.Run("real", func(t *testing.T) {
		c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
		launchWithNoResources(t, c.URL())
	})
}

func launchWithNoResources(t *testing.T, url string) {
	c := subscribe(t, url, fmt.Sprintf(subscribeBody, ""))
	sub, _ := c.next("SUBSCRIBED")
	c.fwID = sub["subscribed"].(map[string]any)["framework_id"].(map[string]any)["value"].(string)
	offers, _ := c.next("OFFERS")
	o := offers["offers"].(map[string]any)["offers"].([]any)[0].(map[string]any)
	offerID := o["id"].(map[string]any)["value"].(string)
	agentID := o["agent_id"].(map[string]any)["value"].(string)
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
