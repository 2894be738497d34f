package mesostest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"

	"github.com/wallyqs/borges/internal/proctest"
)

const subscribeBody = `{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"t","failover_timeout":60,"checkpoint":true%s}}}`

func startSession(t *testing.T, m *Master, extra string) (*client, string, string) {
	t.Helper()
	c := subscribe(t, m.URL(), fmt.Sprintf(subscribeBody, extra))
	sub, _ := c.next("SUBSCRIBED")
	c.fwID = sub["subscribed"].(map[string]any)["framework_id"].(map[string]any)["value"].(string)
	offers, _ := c.next("OFFERS")
	o := offers["offers"].(map[string]any)["offers"].([]any)[0].(map[string]any)
	return c, o["id"].(map[string]any)["value"].(string), o["agent_id"].(map[string]any)["value"].(string)
}

func (c *client) launch(offerID, agentID, id, cmd string) {
	c.t.Helper()
	body := fmt.Sprintf(`{"type":"ACCEPT","framework_id":{"value":%q},"accept":{"offer_ids":[{"value":%q}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":%q,"task_id":{"value":%q},"agent_id":{"value":%q},"command":{"value":%q},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}},{"name":"mem","type":"SCALAR","scalar":{"value":32}}]}]}}]}}`,
		c.fwID, offerID, id, id, agentID, cmd)
	if code, text := c.call(body, c.streamID); code != 202 {
		c.t.Fatalf("ACCEPT: %d %s", code, text)
	}
}

func (c *client) waitState(task, state string) map[string]any {
	c.t.Helper()
	for {
		ev, _ := c.next("UPDATE")
		st := ev["update"].(map[string]any)["status"].(map[string]any)
		if u, ok := st["uuid"].(string); ok {
			c.call(fmt.Sprintf(`{"type":"ACKNOWLEDGE","framework_id":{"value":%q},"acknowledge":{"agent_id":%s,"task_id":{"value":%q},"uuid":%q}}`,
				c.fwID, mustJSON(st["agent_id"]), st["task_id"].(map[string]any)["value"], u), c.streamID)
		}
		if st["task_id"].(map[string]any)["value"] == task && st["state"] == state {
			return st
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestFailoverAndFiles follows failover-session.jsonl and
// failover-resubscribe.jsonl: a long task, its sandbox through the agent's
// files API, a second subscription with the same framework id (the first
// stream gets ERROR "Framework failed over"), reconciliation on the new
// stream saying the task still runs.
func TestFailoverAndFiles(t *testing.T) {
	m := New(Options{Agents: []AgentSpec{{CPUs: 2, MemMB: 1024}}, ResendInterval: time.Hour})
	defer m.Close()
	c, offerID, agentID := startSession(t, m, "")
	c.launch(offerID, agentID, "forever", "echo started; while true; do echo tick; sleep 0.2; done")
	c.waitState("forever", "TASK_RUNNING")

	sandbox := m.Sandbox("forever")
	files := m.AgentFilesURL(0)
	get := func(path string) (int, string) {
		resp, err := http.Get(files + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	rel := strings.TrimPrefix(sandbox, filepathRoot(m))
	// RUNNING is reported once the shell is started, not once it printed:
	// wait for its first two lines.
	for deadline := proctest.WaitDeadline(t); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, read := get("/files/read?path=" + url.QueryEscape(rel+"/stdout") + "&offset=0&length=13"); strings.Contains(read, `tick\n"`) {
			break
		}
	}
	code, body := get("/files/browse?path=" + url.QueryEscape(rel))
	if code != 200 || !strings.Contains(body, `"path"`) || !strings.Contains(body, "stdout") {
		t.Fatalf("browse: %d %s", code, body)
	}
	// The files API answers have the real agent's fields.
	for _, l := range loadTranscript(t, "failover-session.jsonl") {
		if l.Dir != "agent" {
			continue
		}
		var rec struct {
			Request string `json:"request"`
			Status  int    `json:"status"`
			Body    string `json:"body"`
		}
		raw, _ := json.Marshal(l)
		json.Unmarshal(raw, &rec)
		if rec.Request != "/files/browse" || rec.Status != 200 {
			continue
		}
		var real, fake []map[string]any
		json.Unmarshal([]byte(rec.Body), &real)
		json.Unmarshal([]byte(body), &fake)
		if len(real) == 0 || len(fake) == 0 {
			t.Fatalf("browse listings: %d real, %d fake", len(real), len(fake))
		}
		if m, x := diff(shapeOf(mustMarshal(real[0])), shapeOf(mustMarshal(fake[0]))); len(m)+len(x) > 0 {
			t.Errorf("browse entry fields: missing %v, extra %v", m, x)
		}
	}
	code, body = get("/files/read?path=" + url.QueryEscape(rel+"/stdout") + "&offset=0&length=13")
	var read struct {
		Data   string `json:"data"`
		Offset int64  `json:"offset"`
	}
	json.Unmarshal([]byte(body), &read)
	if code != 200 || read.Data != "started\ntick\n" || read.Offset != 0 {
		t.Fatalf("read: %d %s", code, body)
	}
	code, body = get("/files/read?path=" + url.QueryEscape(rel+"/stdout") + "&offset=-1")
	json.Unmarshal([]byte(body), &read)
	if code != 200 || read.Data != "" || read.Offset < 13 {
		t.Fatalf("size: %d %s", code, body)
	}
	if code, _ := get("/files/read?path=" + url.QueryEscape(rel+"/nope") + "&offset=0"); code != 404 {
		t.Fatalf("missing file: %d", code)
	}
	// A link the task leaves to a file of the agent is not followed: a
	// real agent answers 400, "inaccessible".
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("agent secret"), 0o600)
	if err := os.Symlink(secret, filepath.Join(sandbox, "leak")); err != nil {
		t.Fatal(err)
	}
	if code, body := get("/files/read?path=" + url.QueryEscape(rel+"/leak") + "&offset=0"); code != 400 || strings.Contains(body, "secret") {
		t.Fatalf("a link out of the sandbox: %d %s", code, body)
	}
	// As a real agent (files.cpp resolve: the realpath must lie in the
	// directory attached, the executor's), a link is followed within the
	// executor's directory the path is in, and not into another
	// executor's on the same agent.
	if err := os.WriteFile(filepath.Join(sandbox, "own"), []byte("own file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("own", filepath.Join(sandbox, "to-own")); err != nil {
		t.Fatal(err)
	}
	if code, body := get("/files/read?path=" + url.QueryEscape(rel+"/to-own") + "&offset=0"); code != 200 || !strings.Contains(body, "own file") {
		t.Fatalf("a link within the executor's directory: %d %s", code, body)
	}
	other := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(sandbox))), "another-executor", "runs", "1")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "stdout"), []byte("another executor's output"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(other, "stdout"), filepath.Join(sandbox, "to-other")); err != nil {
		t.Fatal(err)
	}
	if code, body := get("/files/read?path=" + url.QueryEscape(rel+"/to-other") + "&offset=0"); code == 200 || strings.Contains(body, "another executor") {
		t.Fatalf("a link into another executor's directory: %d %s", code, body)
	}

	// Failover.
	c2 := subscribe(t, m.URL(), fmt.Sprintf(subscribeBody, fmt.Sprintf(`,"id":{"value":%q}`, c.fwID)))
	sub, _ := c2.next("SUBSCRIBED")
	if id := sub["subscribed"].(map[string]any)["framework_id"].(map[string]any)["value"]; id != c.fwID {
		t.Fatalf("resubscribed as %v", id)
	}
	c2.fwID = c.fwID
	errEv, _ := c.next("ERROR")
	if errEv["error"].(map[string]any)["message"] != "Framework failed over" {
		t.Fatalf("old stream: %v", errEv)
	}
	if code, _ := c.call(`{"type":"REVIVE","framework_id":{"value":"`+c.fwID+`"}}`, c.streamID); code != 400 {
		t.Fatalf("the old stream id must be refused after failover: %d", code)
	}
	c2.call(fmt.Sprintf(`{"type":"RECONCILE","framework_id":{"value":%q},"reconcile":{}}`, c.fwID), c2.streamID)
	ev, _ := c2.next("UPDATE")
	st := ev["update"].(map[string]any)["status"].(map[string]any)
	if st["state"] != "TASK_RUNNING" || st["reason"] != "REASON_RECONCILIATION" || st["source"] != "SOURCE_MASTER" {
		t.Fatalf("reconcile after failover: %v", st)
	}
}

// filepathRoot is the agent's sandbox root (paths in the files API are
// relative to it).
func filepathRoot(m *Master) string { return m.agents[0].sandbox }

func TestRedirectAuthAndResend(t *testing.T) {
	leader := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}, ResendInterval: 100 * time.Millisecond, Principal: "borges", Secret: "s3cret"})
	defer leader.Close()
	follower := New(Options{})
	defer follower.Close()
	follower.FollowLeader(leader)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Post(follower.URL()+"/api/v1/scheduler", "application/json", strings.NewReader(fmt.Sprintf(subscribeBody, "")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 307 || !strings.Contains(resp.Header.Get("Location"), strings.TrimPrefix(leader.URL(), "http://")) {
		t.Fatalf("non-leader: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = http.Post(leader.URL()+"/api/v1/scheduler", "application/json", strings.NewReader(fmt.Sprintf(subscribeBody, "")))
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("without credentials: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", leader.URL()+"/api/v1/scheduler", strings.NewReader(fmt.Sprintf(subscribeBody, "")))
	req.SetBasicAuth("borges", "s3cret")
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("with credentials: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestUnacknowledgedUpdatesAreResent(t *testing.T) {
	m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}, ResendInterval: 100 * time.Millisecond})
	defer m.Close()
	c, offerID, agentID := startSession(t, m, "")
	c.launch(offerID, agentID, "t1", "sleep 5")
	first, _ := c.next("UPDATE")
	again, _ := c.next("UPDATE")
	a := first["update"].(map[string]any)["status"].(map[string]any)
	b := again["update"].(map[string]any)["status"].(map[string]any)
	if a["state"] != "TASK_STARTING" || b["state"] != "TASK_STARTING" || a["uuid"] != b["uuid"] {
		t.Fatalf("without an ack the same update comes again, and RUNNING waits: %v then %v", a["state"], b["state"])
	}
}

func TestLoseAgentAndRescind(t *testing.T) {
	m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}, {CPUs: 1, MemMB: 512}}, ResendInterval: time.Hour})
	defer m.Close()
	c := subscribe(t, m.URL(), fmt.Sprintf(subscribeBody, `,"capabilities":[{"type":"PARTITION_AWARE"}]`))
	sub, _ := c.next("SUBSCRIBED")
	c.fwID = sub["subscribed"].(map[string]any)["framework_id"].(map[string]any)["value"].(string)
	offers, _ := c.next("OFFERS")
	list := offers["offers"].(map[string]any)["offers"].([]any)
	if len(list) != 2 {
		t.Fatalf("%d offers for 2 agents", len(list))
	}
	var onFirst, second string
	for _, o := range list {
		om := o.(map[string]any)
		if om["agent_id"].(map[string]any)["value"] == m.AgentID(0) {
			onFirst = om["id"].(map[string]any)["value"].(string)
		} else {
			second = om["id"].(map[string]any)["value"].(string)
		}
	}
	c.launch(onFirst, m.AgentID(0), "victim", "sleep 30")
	c.waitState("victim", "TASK_RUNNING")
	m.LoseAgent(0)
	st := c.waitState("victim", "TASK_UNREACHABLE")
	if st["reason"] != "REASON_AGENT_REMOVED" {
		t.Fatalf("lost agent: %v", st)
	}
	if ev, _ := c.next("FAILURE"); ev["failure"].(map[string]any)["agent_id"].(map[string]any)["value"] != m.AgentID(0) {
		t.Fatalf("failure: %v", ev)
	}
	m.RescindOffers()
	ev, _ := c.next("RESCIND")
	if ev["rescind"].(map[string]any)["offer_id"].(map[string]any)["value"] != second {
		t.Fatalf("rescind: %v", ev)
	}
	// Launching on a rescinded offer: the task is dropped, by the master
	// (Mesos 1.12's Master::accept; TASK_LOST for a framework not
	// partition-aware).
	c.launch(second, m.AgentID(1), "late", "true")
	st = c.waitState("late", "TASK_DROPPED")
	if st["reason"] != "REASON_INVALID_OFFERS" || st["source"] != "SOURCE_MASTER" ||
		st["message"] != "Task launched with invalid offers: Offer "+second+" is no longer valid" {
		t.Fatalf("late: %v", st)
	}
}

func mustMarshal(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// TestLateAccepts: an ACCEPT whose connection is dropped unanswered and
// that reaches the master late (LateAccepts). Ahead of the framework's
// next SUBSCRIBE, a 1.12 master carries it out: the task runs, and the
// reconciliation on the new stream says so (TASK_STARTING: the update the
// master last forwarded, which no one acknowledged). After it, the master refuses
// it for its stale Mesos-Stream-Id: the task is never launched, and the
// reconciliation answers TASK_GONE, the agent being registered.
func TestLateAccepts(t *testing.T) {
	for _, before := range []bool{true, false} {
		t.Run(fmt.Sprintf("before the resubscription %v", before), func(t *testing.T) {
			m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}, ResendInterval: 100 * time.Millisecond})
			defer m.Close()
			aware := `,"capabilities":[{"type":"PARTITION_AWARE"}]`
			c, offerID, agentID := startSession(t, m, aware)
			m.LateAccepts(1, before)
			body := fmt.Sprintf(`{"type":"ACCEPT","framework_id":{"value":%q},"accept":{"offer_ids":[{"value":%q}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"late","task_id":{"value":"late"},"agent_id":{"value":%q},"command":{"value":"sleep 30"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}},{"name":"mem","type":"SCALAR","scalar":{"value":32}}]}]}}]}}`,
				c.fwID, offerID, agentID)
			req, _ := http.NewRequest("POST", m.URL()+"/api/v1/scheduler", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Mesos-Stream-Id", c.streamID)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
				t.Fatalf("a late ACCEPT was answered %d", resp.StatusCode)
			}
			if _, ok := m.TaskState("late"); ok {
				t.Fatal("a late ACCEPT was carried out before it reached the master")
			}
			again := subscribe(t, m.URL(), fmt.Sprintf(subscribeBody, fmt.Sprintf(`,"id":{"value":%q}`, c.fwID)+aware))
			again.fwID = c.fwID
			again.next("SUBSCRIBED")
			if code, text := again.call(fmt.Sprintf(`{"type":"RECONCILE","framework_id":{"value":%q},"reconcile":{"tasks":[{"task_id":{"value":"late"},"agent_id":{"value":%q}}]}}`,
				c.fwID, agentID), again.streamID); code != 202 {
				t.Fatalf("RECONCILE: %d %s", code, text)
			}
			for {
				ev, _ := again.next("UPDATE")
				st := ev["update"].(map[string]any)["status"].(map[string]any)
				if st["reason"] != "REASON_RECONCILIATION" {
					continue // the agent's own updates, sent again
				}
				state, _ := m.TaskState("late")
				switch {
				case before && (st["state"] != "TASK_STARTING" || state != mesos.TASK_RUNNING):
					t.Fatalf("an ACCEPT that arrived before the resubscription: reconciled %v, the task %s", st, state)
				case !before && (st["state"] != "TASK_GONE" || st["message"] != "Reconciliation: Task is unknown to the agent"):
					t.Fatalf("an ACCEPT that arrived after the resubscription: reconciled %v", st)
				case !before && m.LateAcceptsRefused() != 1:
					t.Fatalf("the master refused %d late ACCEPTs", m.LateAcceptsRefused())
				}
				if _, ok := m.TaskState("late"); !before && ok {
					t.Fatal("a refused ACCEPT launched its task")
				}
				return
			}
		})
	}
}

// TestHoldUpdates: while the master holds the agents' updates, a task is
// launched and killed with nothing told; once released, its updates come
// in order, and it ends killed.
func TestHoldUpdates(t *testing.T) {
	m := New(Options{Agents: []AgentSpec{{CPUs: 1, MemMB: 512}}, ResendInterval: 100 * time.Millisecond})
	defer m.Close()
	c, offerID, agentID := startSession(t, m, "")
	m.HoldUpdates()
	c.launch(offerID, agentID, "held", "sleep 30")
	if code, text := c.call(fmt.Sprintf(`{"type":"KILL","framework_id":{"value":%q},"kill":{"task_id":{"value":"held"},"agent_id":{"value":%q}}}`,
		c.fwID, agentID), c.streamID); code != 202 {
		t.Fatalf("KILL: %d %s", code, text)
	}
	for deadline := proctest.WaitDeadline(t); ; {
		if st, _ := m.TaskState("held"); st == mesos.TASK_KILLED {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting until the held task was killed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A marker put on the stream now comes before any update: none was
	// sent while held.
	m.SendEvent(c.fwID, &scheduler.Event{Type: scheduler.Event_RESCIND, Rescind: &scheduler.Event_Rescind{OfferID: mesos.OfferID{Value: "marker"}}})
	for {
		ev, _ := c.next("UPDATE", "RESCIND")
		if ev["type"] == "UPDATE" {
			t.Fatalf("an update sent while held: %v", ev)
		}
		if ev["rescind"].(map[string]any)["offer_id"].(map[string]any)["value"] == "marker" {
			break
		}
	}
	m.ReleaseUpdates()
	var states []string
	for len(states) == 0 || states[len(states)-1] != "TASK_KILLED" {
		ev, _ := c.next("UPDATE")
		st := ev["update"].(map[string]any)["status"].(map[string]any)
		if u, ok := st["uuid"].(string); ok {
			c.call(fmt.Sprintf(`{"type":"ACKNOWLEDGE","framework_id":{"value":%q},"acknowledge":{"agent_id":%s,"task_id":{"value":"held"},"uuid":%q}}`,
				c.fwID, mustJSON(st["agent_id"]), u), c.streamID)
		}
		if len(states) == 0 || states[len(states)-1] != st["state"] {
			states = append(states, st["state"].(string))
		}
	}
	if strings.Join(states, " ") != "TASK_STARTING TASK_RUNNING TASK_KILLED" {
		t.Fatalf("updates after the release: %v", states)
	}
}
