package mesostest

import (
	"fmt"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/proctest"
)

// endOf follows a task's updates (acknowledging them) until it ends, and
// gives its last status; bounded by the test's deadline (WaitTimeout).
func (c *client) endOf(task string) map[string]any {
	c.t.Helper()
	deadline := time.After(proctest.WaitTimeout(c.t))
	for {
		var ev map[string]any
		select {
		case e, ok := <-c.events:
			<-c.raw
			if !ok {
				c.t.Fatalf("stream closed before %s ended", task)
			}
			ev = e
		case <-deadline:
			c.t.Fatalf("%s never ended", task)
		}
		if ev["type"] != "UPDATE" {
			continue
		}
		st := ev["update"].(map[string]any)["status"].(map[string]any)
		if u, ok := st["uuid"].(string); ok {
			c.call(fmt.Sprintf(`{"type":"ACKNOWLEDGE","framework_id":{"value":%q},"acknowledge":{"agent_id":%s,"task_id":{"value":%q},"uuid":%q}}`,
				c.fwID, mustJSON(st["agent_id"]), st["task_id"].(map[string]any)["value"], u), c.streamID)
		}
		if st["task_id"].(map[string]any)["value"] != task {
			continue
		}
		switch st["state"] {
		case "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST", "TASK_DROPPED", "TASK_GONE":
			return st
		}
	}
}

// timedOutTask is a command task with a max_completion_time of one
// second, whose program runs a child and then waits far longer.
func timedOutTask(offerID, agentID, fwID, mark string) string {
	cmd := fmt.Sprintf("sleep %[1]s & sleep %[1]s", mark)
	return fmt.Sprintf(`{"type":"ACCEPT","framework_id":{"value":%q},"accept":{"offer_ids":[{"value":%q}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"slow","task_id":{"value":"slow"},"agent_id":{"value":%q},"command":{"shell":true,"value":%q},"max_completion_time":{"nanoseconds":1000000000},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1},"allocation_info":{"role":"*"}},{"name":"mem","type":"SCALAR","scalar":{"value":32},"allocation_info":{"role":"*"}}]}]}}]}}`,
		fwID, offerID, agentID, cmd)
}

// TestMaxCompletionTimeLikeReal: a task given a max_completion_time (Mesos
// ≥ 1.4) that runs longer is killed by its command executor, with what it
// started, and reported TASK_FAILED with REASON_MAX_COMPLETION_TIME_REACHED
// — by the real Mesos 1.12 agent, and by the fake the same way (state,
// source, reason, message).
func TestMaxCompletionTimeLikeReal(t *testing.T) {
	run := func(t *testing.T, url string) map[string]any {
		mark := proctest.Marker(t)
		cl := subscribe(t, url, fmt.Sprintf(partitionAwareSubscribe, "", ""))
		sub, _ := cl.next("SUBSCRIBED")
		cl.fwID = sub["subscribed"].(map[string]any)["framework_id"].(map[string]any)["value"].(string)
		offers, _ := cl.next("OFFERS")
		o := offers["offers"].(map[string]any)["offers"].([]any)[0].(map[string]any)
		agentID := o["agent_id"].(map[string]any)["value"].(string)
		if code, text := cl.call(timedOutTask(o["id"].(map[string]any)["value"].(string), agentID, cl.fwID, mark), cl.streamID); code != 202 {
			t.Fatalf("ACCEPT: %d %s", code, text)
		}
		st := cl.endOf("slow")
		proctest.WaitGone(t, mark)
		return st
	}
	var real map[string]any
	t.Run("real", func(t *testing.T) {
		c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
		real = run(t, c.URL())
	})
	if real == nil {
		t.Fatal("no status from the real agent")
	}
	if real["state"] != "TASK_FAILED" || real["reason"] != "REASON_MAX_COMPLETION_TIME_REACHED" {
		t.Fatalf("the real agent: %v", real)
	}
	t.Run("fake", func(t *testing.T) {
		m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}})
		defer m.Close()
		fake := run(t, m.URL())
		for _, k := range []string{"state", "source", "reason"} {
			if fake[k] != real[k] {
				t.Errorf("%s: %v, the real agent says %v", k, fake[k], real[k])
			}
		}
		// The real agent's message depends on timing: its command
		// executor's SIGTERM usually ends the shell by the signal, but
		// on a loaded machine the shell was seen to exit with status 1
		// instead, or to be killed by the SIGKILL that follows the
		// grace period (same state, source and reason). The fake gives
		// the usual one; the real agent is held to one of the three.
		const bySignal = "Command terminated with signal Terminated"
		if m := real["message"]; m != bySignal && m != "Command exited with status 1" && m != "Command terminated with signal Killed" {
			t.Errorf("the real agent's message: %v", real["message"])
		}
		if fake["message"] != bySignal {
			t.Errorf("message: %v, want %q, as the real agent says unless loaded", fake["message"], bySignal)
		}
	})
}
