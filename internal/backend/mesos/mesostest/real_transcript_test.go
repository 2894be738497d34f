package mesostest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/proctest"
)

var record = flag.Bool("record", false, "record testdata/agent-state.json and testdata/master-restart-reconcile.jsonl from a real Mesos master and agent")

// What the fake once got wrong, recorded from the real master and agent
// (go test ./internal/backend/mesos/mesostest -run TestRecordReal -record):
// an agent's /state once a task has ended (its executor under
// completed_executors, the idle framework under completed_frameworks),
// and the answers to explicit reconciliation from a master restarted with
// its registry in memory, before and after the agent registers again, for
// a PARTITION_AWARE framework.

const partitionAwareSubscribe = `{"type":"SUBSCRIBE"%s,"subscribe":{"framework_info":{"user":"root","name":"borges-capture","roles":["*"],"checkpoint":true,"failover_timeout":600,"capabilities":[{"type":"MULTI_ROLE"},{"type":"PARTITION_AWARE"}]%s}}}`

// TestRecordReal records the transcripts (only with -record).
func TestRecordReal(t *testing.T) {
	if !*record {
		t.Skip("records from a real Mesos only with -record")
	}
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}},
		MasterFlags: []string{"--agent_ping_timeout=1secs", "--max_agent_ping_timeouts=3"}})
	var transcript bytes.Buffer
	write := func(v map[string]any) {
		enc := json.NewEncoder(&transcript)
		enc.SetEscapeHTML(false)
		enc.Encode(v)
	}
	cl := subscribe(t, c.URL(), fmt.Sprintf(partitionAwareSubscribe, "", ""))
	fw, o := cl.subscribed()
	agentID := o["agent_id"].(map[string]any)["value"].(string)
	task := func(id, cmd string) string {
		return fmt.Sprintf(`{"name":%q,"task_id":{"value":%q},"agent_id":{"value":%q},"command":{"shell":true,"value":%q},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1},"allocation_info":{"role":"*"}},{"name":"mem","type":"SCALAR","scalar":{"value":32},"allocation_info":{"role":"*"}}]}`, id, id, agentID, cmd)
	}
	ack := func(ev map[string]any) string {
		st := ev["update"].(map[string]any)["status"].(map[string]any)
		if u, ok := st["uuid"].(string); ok {
			cl.call(fmt.Sprintf(`{"type":"ACKNOWLEDGE",%s,"acknowledge":{"agent_id":{"value":%q},"task_id":{"value":%q},"uuid":%q}}`, fw, agentID, st["task_id"].(map[string]any)["value"], u), cl.streamID)
		}
		return st["task_id"].(map[string]any)["value"].(string) + " " + st["state"].(string)
	}
	cl.call(fmt.Sprintf(`{"type":"ACCEPT",%s,"accept":{"offer_ids":[{"value":%q}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[%s]}}]}}`,
		fw, o["id"].(map[string]any)["value"], task("finish", "echo hello")), cl.streamID)
	for {
		ev, _ := cl.next("UPDATE")
		if ack(ev) == "finish TASK_FINISHED" {
			break
		}
	}
	// The agent's /state once the executor has ended.
	var state map[string]any
	deadline := proctest.WaitDeadline(t)
	for {
		resp, err := http.Get(c.AgentURL(0) + "/state")
		if err == nil {
			state = nil
			json.NewDecoder(resp.Body).Decode(&state)
			resp.Body.Close()
			if cf, _ := state["completed_frameworks"].([]any); len(cf) > 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the agent did not complete the framework: %v", state)
		}
		time.Sleep(200 * time.Millisecond)
	}
	writeAgentState(t, state)

	// A task that runs on, then the master restarted.
	cl.call(fmt.Sprintf(`{"type":"REVIVE",%s}`, fw), cl.streamID)
	offers, _ := cl.next("OFFERS")
	o = offers["offers"].(map[string]any)["offers"].([]any)[0].(map[string]any)
	cl.call(fmt.Sprintf(`{"type":"ACCEPT",%s,"accept":{"offer_ids":[{"value":%q}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[%s]}}]}}`,
		fw, o["id"].(map[string]any)["value"], task("forever", "while true; do sleep 1; done")), cl.streamID)
	for {
		ev, _ := cl.next("UPDATE")
		if ack(ev) == "forever TASK_RUNNING" {
			break
		}
	}
	c.RestartMaster()
	write(map[string]any{"dir": "note", "note": "the master was killed (SIGKILL) and started again with its registry in memory; the framework subscribes again with its id"})
	id := cl.fwID
	cl = subscribe(t, c.URL(), fmt.Sprintf(partitionAwareSubscribe, ","+fw, fmt.Sprintf(`,"id":{"value":%q}`, id)))
	cl.fwID = id
	cl.next("SUBSCRIBED")
	reconcile := fmt.Sprintf(`{"type":"RECONCILE",%s,"reconcile":{"tasks":[{"task_id":{"value":"forever"},"agent_id":{"value":%q}}]}}`, fw, agentID)
	var call map[string]any
	json.Unmarshal([]byte(reconcile), &call)
	write(map[string]any{"dir": "call", "body": call, "note": "explicit, before the agent has registered again"})
	cl.call(reconcile, cl.streamID)
	_, raw := cl.next("UPDATE")
	write(map[string]any{"dir": "event", "body": json.RawMessage(raw)})
	c.WaitAgents(1)
	write(map[string]any{"dir": "note", "note": "the agent has registered again"})
	write(map[string]any{"dir": "call", "body": call, "note": "explicit, after"})
	cl.call(reconcile, cl.streamID)
	_, raw = cl.next("UPDATE")
	write(map[string]any{"dir": "event", "body": json.RawMessage(raw)})
	cl.call(fmt.Sprintf(`{"type":"TEARDOWN",%s}`, fw), cl.streamID)
	if err := os.WriteFile("testdata/master-restart-reconcile.jsonl", scrub(transcript.Bytes(), agentID, cl.fwID), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeAgentState keeps what a framework reads of an agent's /state (the
// frameworks and their executors), ids and paths made neutral.
func writeAgentState(t *testing.T, state map[string]any) {
	keepExec := func(list any) []any {
		out := []any{}
		for _, e := range asList(list) {
			m := e.(map[string]any)
			kept := map[string]any{}
			for _, k := range []string{"id", "name", "source", "container", "directory"} {
				if v, ok := m[k]; ok {
					kept[k] = v
				}
			}
			kept["directory"], kept["container"] = "<sandbox>", "<container>"
			out = append(out, kept)
		}
		return out
	}
	keepFW := func(list any) []any {
		out := []any{}
		for _, f := range asList(list) {
			m := f.(map[string]any)
			out = append(out, map[string]any{"id": "<framework>", "name": m["name"],
				"executors": keepExec(m["executors"]), "completed_executors": keepExec(m["completed_executors"])})
		}
		return out
	}
	out := map[string]any{"id": "<agent>", "hostname": state["hostname"],
		"frameworks": keepFW(state["frameworks"]), "completed_frameworks": keepFW(state["completed_frameworks"])}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(out)
	if err := os.WriteFile("testdata/agent-state.json", buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	if l == nil {
		return []any{}
	}
	return l
}

// scrub replaces ids (they change with each run) by placeholders.
func scrub(data []byte, agentID, fwID string) []byte {
	data = bytes.ReplaceAll(data, []byte(agentID), []byte("<agent>"))
	return bytes.ReplaceAll(data, []byte(fwID), []byte("<framework>"))
}

// TestAgentStateLikeReal: once a task has ended, the fake agent's /state
// lists it as the real one does (testdata/agent-state.json): under
// completed_executors of a framework in completed_frameworks, with the
// same fields.
func TestAgentStateLikeReal(t *testing.T) {
	recorded, err := os.ReadFile("testdata/agent-state.json")
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}, ResendInterval: time.Hour})
	defer m.Close()
	cl := subscribe(t, m.URL(), fmt.Sprintf(partitionAwareSubscribe, "", ""))
	sub, _ := cl.next("SUBSCRIBED")
	fwID := sub["subscribed"].(map[string]any)["framework_id"].(map[string]any)["value"].(string)
	offers, _ := cl.next("OFFERS")
	o := offers["offers"].(map[string]any)["offers"].([]any)[0].(map[string]any)
	code, body := cl.call(fmt.Sprintf(`{"type":"ACCEPT","framework_id":{"value":%q},"accept":{"offer_ids":[{"value":%q}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"finish","task_id":{"value":"finish"},"agent_id":{"value":%q},"command":{"shell":true,"value":"echo hello"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1},"allocation_info":{"role":"*"}},{"name":"mem","type":"SCALAR","scalar":{"value":32},"allocation_info":{"role":"*"}}]}]}}]}}`,
		fwID, o["id"].(map[string]any)["value"], m.AgentID(0)), cl.streamID)
	if code != 202 {
		t.Fatalf("ACCEPT: %d %s", code, body)
	}
	for {
		ev, _ := cl.next("UPDATE")
		st := ev["update"].(map[string]any)["status"].(map[string]any)
		cl.call(fmt.Sprintf(`{"type":"ACKNOWLEDGE","framework_id":{"value":%q},"acknowledge":{"agent_id":{"value":%q},"task_id":{"value":"finish"},"uuid":%q}}`,
			fwID, m.AgentID(0), st["uuid"]), cl.streamID)
		if st["state"] == "TASK_FINISHED" {
			break
		}
	}
	resp, err := http.Get(m.AgentFilesURL(0) + "/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var fake bytes.Buffer
	fake.ReadFrom(resp.Body)
	var state struct {
		Frameworks          []any `json:"frameworks"`
		CompletedFrameworks []struct {
			ID                 string `json:"id"`
			CompletedExecutors []struct {
				ID string `json:"id"`
			} `json:"completed_executors"`
		} `json:"completed_frameworks"`
	}
	json.Unmarshal(fake.Bytes(), &state)
	if len(state.Frameworks) != 0 || len(state.CompletedFrameworks) != 1 || state.CompletedFrameworks[0].ID != fwID ||
		len(state.CompletedFrameworks[0].CompletedExecutors) != 1 || state.CompletedFrameworks[0].CompletedExecutors[0].ID != "finish" {
		t.Fatalf("fake agent /state after the task ended:\n%s", fake.String())
	}
	real := shapeOf(recorded)
	for p := range shapeOf(fake.Bytes()) {
		if !real[p] {
			t.Errorf("the fake agent's /state has %s, the real one does not", p)
		}
	}
	for _, p := range []string{"completed_frameworks[].completed_executors[].directory", "completed_frameworks[].completed_executors[].id", "completed_frameworks[].id"} {
		if !shapeOf(fake.Bytes())[p] {
			t.Errorf("the fake agent's /state lacks %s", p)
		}
	}
}

// TestRestartReconcileLikeReal: a master restarted with its registry in
// memory, before the agent registers again, answers a partition-aware
// framework's explicit reconciliation of a task it does not know as the
// real one does (testdata/master-restart-reconcile.jsonl): TASK_UNKNOWN
// from the master, for reconciliation, with the same text and fields.
// Once the agent has registered again, a task it does not know there is
// gone (TASK_GONE, "Task is unknown to the agent"); on an agent that went
// unreachable, it is unreachable (TASK_UNREACHABLE, "Task is
// unreachable", with the time the agent went), as Mesos 1.12's
// Master::reconcile answers.
func TestRestartReconcileLikeReal(t *testing.T) {
	var want map[string]any
	var wantRaw json.RawMessage
	for _, l := range loadTranscript(t, "master-restart-reconcile.jsonl") {
		if l.Dir == "event" {
			json.Unmarshal(l.Body, &want)
			wantRaw = l.Body
			break
		}
	}
	m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer m.Close()
	cl := subscribe(t, m.URL(), fmt.Sprintf(partitionAwareSubscribe, "", ""))
	sub, _ := cl.next("SUBSCRIBED")
	fwID := sub["subscribed"].(map[string]any)["framework_id"].(map[string]any)["value"].(string)
	ws := want["update"].(map[string]any)["status"].(map[string]any)
	reconcile := func(name string, cl *client, want map[string]any, extra ...string) {
		t.Helper()
		cl.call(fmt.Sprintf(`{"type":"RECONCILE","framework_id":{"value":%q},"reconcile":{"tasks":[{"task_id":{"value":"forever"},"agent_id":{"value":%q}}]}}`, fwID, m.AgentID(0)), cl.streamID)
		got, raw := cl.next("UPDATE")
		gs := got["update"].(map[string]any)["status"].(map[string]any)
		for _, k := range []string{"state", "message", "source", "reason"} {
			if gs[k] != want[k] {
				t.Errorf("%s: %s: %v, want %v", name, k, gs[k], want[k])
			}
		}
		missing, more := diff(shapeOf(wantRaw), shapeOf(raw))
		var unexpected []string
		for _, p := range more {
			if !slices.Contains(extra, p) {
				unexpected = append(unexpected, p)
			}
		}
		for _, p := range extra {
			if !slices.Contains(more, p) {
				t.Errorf("%s: no %s", name, p)
			}
		}
		if len(missing)+len(unexpected) > 0 {
			t.Errorf("%s: fields missing %v, extra %v", name, missing, unexpected)
		}
	}
	resubscribe := func() *client {
		t.Helper()
		cl := subscribe(t, m.URL(), fmt.Sprintf(partitionAwareSubscribe, fmt.Sprintf(`,"framework_id":{"value":%q}`, fwID), fmt.Sprintf(`,"id":{"value":%q}`, fwID)))
		cl.next("SUBSCRIBED")
		return cl
	}
	m.RestartMaster()
	cl = resubscribe()
	reconcile("restarted master, agent not registered again", cl, ws)
	m.AgentReregisters(0)
	reconcile("agent registered again", cl, map[string]any{"state": "TASK_GONE", "message": "Reconciliation: Task is unknown to the agent",
		"source": ws["source"], "reason": ws["reason"]})
	m.LoseAgent(0)
	reconcile("agent unreachable", cl, map[string]any{"state": "TASK_UNREACHABLE", "message": "Reconciliation: Task is unreachable",
		"source": ws["source"], "reason": ws["reason"]}, "update.status.unreachable_time", "update.status.unreachable_time.nanoseconds")
}
