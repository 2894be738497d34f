package mesostest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/master"

	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/proctest"
)

// Mesos 1.12's master answers reconciliation of a task it knows with the
// state of the last status update it forwarded to the framework (the
// task's status_update_state, set as it forwards an update from the
// agent), and only for a task it never forwarded one of with the task's
// latest state (master.cpp, Master::reconcile and Master::forward). A task
// whose TASK_RUNNING was forwarded and not acknowledged, and that failed
// since, is answered TASK_RUNNING, explicitly and implicitly, though the
// master has it failed (the agent's re-sent TASK_RUNNING carries the
// latest state); its TASK_FAILED is still held by the agent.

// TestReconcileAnswersForwardedState: the fake, as the real master
// (TestRealMesosReconcileAnswersForwardedState).
func TestReconcileAnswersForwardedState(t *testing.T) {
	m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}, ResendInterval: time.Second})
	defer m.Close()
	checkReconcileUnacknowledged(t, m.URL())
}

// TestRealMesosReconcileAnswersForwardedState: on a real Mesos 1.12 master
// and agent.
func TestRealMesosReconcileAnswersForwardedState(t *testing.T) {
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
	checkReconcileUnacknowledged(t, c.URL())
}

// checkReconcileUnacknowledged launches a task that fails a second after it
// starts, acknowledges its updates up to TASK_RUNNING (not that one), waits
// until the master has the task failed, and reconciles it, explicitly
// then implicitly: both answers say TASK_RUNNING.
func checkReconcileUnacknowledged(t *testing.T, url string) {
	cl := subscribe(t, url, fmt.Sprintf(partitionAwareSubscribe, "", ""))
	fw, o := cl.subscribed()
	agentID := o["agent_id"].(map[string]any)["value"].(string)
	task := fmt.Sprintf(`{"name":"fails","task_id":{"value":"fails"},"agent_id":{"value":%q},"command":{"shell":true,"value":"sleep 1; exit 3"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1},"allocation_info":{"role":"*"}},{"name":"mem","type":"SCALAR","scalar":{"value":32},"allocation_info":{"role":"*"}}]}`, agentID)
	if code, text := cl.call(fmt.Sprintf(`{"type":"ACCEPT",%s,"accept":{"offer_ids":[{"value":%q}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[%s]}}]}}`,
		fw, o["id"].(map[string]any)["value"], task), cl.streamID); code != 202 {
		t.Fatalf("ACCEPT: %d %s", code, text)
	}
	for {
		ev, _ := cl.next("UPDATE")
		st := ev["update"].(map[string]any)["status"].(map[string]any)
		if st["state"] == "TASK_RUNNING" {
			break // not acknowledged
		}
		if u, ok := st["uuid"].(string); ok {
			cl.call(fmt.Sprintf(`{"type":"ACKNOWLEDGE",%s,"acknowledge":{"agent_id":{"value":%q},"task_id":{"value":"fails"},"uuid":%q}}`, fw, agentID, u), cl.streamID)
		}
	}
	var mt mesos.Task
	for deadline := proctest.WaitDeadline(t); ; {
		var ok bool
		if mt, ok = masterTask(t, url, "fails"); ok && mt.GetState() == mesos.TASK_FAILED {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the master never had the task failed: %v", mt.GetState())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if mt.StatusUpdateState == nil || *mt.StatusUpdateState != mesos.TASK_RUNNING {
		t.Errorf("the master's task: status_update_state %v, want TASK_RUNNING", mt.StatusUpdateState)
	}
	for _, s := range mt.Statuses {
		if s.GetState() == mesos.TASK_FAILED {
			t.Errorf("the master holds the task's TASK_FAILED, its TASK_RUNNING not acknowledged: %v", mt.Statuses)
		}
	}
	for _, c := range []struct{ name, tasks string }{
		{"explicit", fmt.Sprintf(`[{"task_id":{"value":"fails"},"agent_id":{"value":%q}}]`, agentID)},
		{"implicit", `[]`},
	} {
		cl.call(fmt.Sprintf(`{"type":"RECONCILE",%s,"reconcile":{"tasks":%s}}`, fw, c.tasks), cl.streamID)
		for {
			ev, _ := cl.next("UPDATE")
			st := ev["update"].(map[string]any)["status"].(map[string]any)
			if st["reason"] != "REASON_RECONCILIATION" {
				continue // the agent sends TASK_RUNNING again
			}
			if st["state"] != "TASK_RUNNING" || st["message"] != "Reconciliation: Latest task state" {
				t.Errorf("%s reconciliation: %v %q, want TASK_RUNNING \"Reconciliation: Latest task state\"", c.name, st["state"], st["message"])
			}
			break
		}
	}
	cl.call(fmt.Sprintf(`{"type":"TEARDOWN",%s}`, fw), cl.streamID)
}

// masterTask is the master's task of that id, as its operator API's
// GET_TASKS lists it (live or completed).
func masterTask(t *testing.T, url, id string) (mesos.Task, bool) {
	t.Helper()
	body, _ := (&master.Call{Type: master.Call_GET_TASKS}).Marshal()
	req, _ := http.NewRequest("POST", url+"/api/v1", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("Accept", "application/x-protobuf")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var r master.Response
	if resp.StatusCode != http.StatusOK || r.Unmarshal(data) != nil {
		t.Fatalf("GET_TASKS: %s %q", resp.Status, data)
	}
	for _, list := range [][]mesos.Task{r.GetGetTasks().GetTasks(), r.GetGetTasks().GetCompletedTasks()} {
		for _, task := range list {
			if task.TaskID.Value == id {
				return task, true
			}
		}
	}
	return mesos.Task{}, false
}
