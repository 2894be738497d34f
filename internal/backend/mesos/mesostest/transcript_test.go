package mesostest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/proctest"
)

// transcript is one recorded session (testdata/*.jsonl, from a real Mesos
// 1.12 master and agent).
type line struct {
	Dir     string          `json:"dir"`
	Body    json.RawMessage `json:"body"`
	Status  int             `json:"status"`
	Note    *string         `json:"note"`
	Request string          `json:"request"`
	Headers map[string]string
}

func loadTranscript(t *testing.T, name string) []line {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []line
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

// shape is the set of field paths of a JSON value ("update.status.uuid"),
// list elements merged: what must agree between the real master and the
// fake, whatever the values.
func shape(v any, prefix string, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			into[p] = true
			shape(val, p, into)
		}
	case []any:
		for _, e := range x {
			shape(e, prefix+"[]", into)
		}
	}
}

func shapeOf(raw []byte) map[string]bool {
	var v any
	json.Unmarshal(raw, &v)
	s := map[string]bool{}
	shape(v, "", s)
	return s
}

// eventKey groups events of the same kind for shape comparison.
func eventKey(body map[string]any) string {
	typ, _ := body["type"].(string)
	if typ != "UPDATE" {
		return typ
	}
	st := body["update"].(map[string]any)["status"].(map[string]any)
	return "UPDATE " + st["state"].(string) + " " + st["source"].(string)
}

// client is a raw JSON scheduler, as the transcripts' recorder was.
type client struct {
	t        *testing.T
	url      string
	streamID string
	fwID     string
	events   chan map[string]any
	raw      chan []byte
	onEvent  func(map[string]any, []byte)
}

func subscribe(t *testing.T, url string, body string) *client {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/api/v1/scheduler", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Mesos-Stream-Id") == "" || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("SUBSCRIBE: %d %v", resp.StatusCode, resp.Header)
	}
	c := &client{t: t, url: url, streamID: resp.Header.Get("Mesos-Stream-Id"), events: make(chan map[string]any, 1000), raw: make(chan []byte, 1000)}
	go func() {
		defer resp.Body.Close()
		br := bufio.NewReader(resp.Body)
		for {
			n, err := br.ReadString('\n')
			if err != nil {
				close(c.events)
				return
			}
			size, _ := strconv.Atoi(strings.TrimSpace(n))
			buf := make([]byte, size)
			if _, err := io.ReadFull(br, buf); err != nil {
				close(c.events)
				return
			}
			var ev map[string]any
			json.Unmarshal(buf, &ev)
			c.raw <- buf
			c.events <- ev
		}
	}()
	return c
}

func (c *client) call(body string, streamID string) (int, string) {
	req, _ := http.NewRequest("POST", c.url+"/api/v1/scheduler", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if streamID != "" {
		req.Header.Set("Mesos-Stream-Id", streamID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// subscribed reads SUBSCRIBED, keeping the framework id, and the first
// offer: the framework_id field of calls, and the offer.
func (c *client) subscribed() (string, map[string]any) {
	c.t.Helper()
	sub, _ := c.next("SUBSCRIBED")
	c.fwID = sub["subscribed"].(map[string]any)["framework_id"].(map[string]any)["value"].(string)
	offers, _ := c.next("OFFERS")
	return fmt.Sprintf(`"framework_id":{"value":%q}`, c.fwID), offers["offers"].(map[string]any)["offers"].([]any)[0].(map[string]any)
}

// next returns the next event of a type, skipping heartbeats and others.
func (c *client) next(types ...string) (map[string]any, []byte) {
	c.t.Helper()
	deadline := time.After(proctest.WaitTimeout(c.t))
	for {
		select {
		case ev, ok := <-c.events:
			raw := <-c.raw
			if !ok {
				c.t.Fatalf("stream closed waiting for %v", types)
			}
			if c.onEvent != nil {
				c.onEvent(ev, raw)
			}
			for _, ty := range types {
				if ev["type"] == ty {
					return ev, raw
				}
			}
		case <-deadline:
			c.t.Fatalf("no %v event", types)
		}
	}
}

// TestSchedulerTranscript drives the fake as the recorder drove the real
// master (scheduler-session.jsonl) and checks replies, error texts, the
// sequence of task states and the shape of every kind of event.
func TestSchedulerTranscript(t *testing.T) {
	rec := loadTranscript(t, "scheduler-session.jsonl")
	realShapes := map[string]map[string]bool{}
	for _, l := range rec {
		if l.Dir != "event" {
			continue
		}
		var b map[string]any
		json.Unmarshal(l.Body, &b)
		k := eventKey(b)
		if realShapes[k] == nil {
			realShapes[k] = map[string]bool{}
		}
		for p := range shapeOf(l.Body) {
			realShapes[k][p] = true
		}
	}

	m := New(Options{Agents: []AgentSpec{{CPUs: 4, MemMB: 2048, DiskMB: 1000, Ports: [][2]uint64{{31000, 31010}}}}, ResendInterval: time.Hour})
	defer m.Close()
	c := subscribe(t, m.URL(), `{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"borges-capture","roles":["*"],"checkpoint":true,"failover_timeout":60,"capabilities":[{"type":"MULTI_ROLE"}]}}}`)
	fakeShapes := map[string]map[string]bool{}
	record := func(ev map[string]any, raw []byte) map[string]any {
		k := eventKey(ev)
		if fakeShapes[k] == nil {
			fakeShapes[k] = map[string]bool{}
		}
		for p := range shapeOf(raw) {
			fakeShapes[k][p] = true
		}
		return ev
	}
	c.onEvent = func(ev map[string]any, raw []byte) { record(ev, raw) }
	fw, o := c.subscribed()
	offerID := o["id"].(map[string]any)["value"].(string)
	agentID := o["agent_id"].(map[string]any)["value"].(string)
	res := func(cpus, mem float64) string {
		return fmt.Sprintf(`[{"name":"cpus","type":"SCALAR","scalar":{"value":%g},"allocation_info":{"role":"*"}},{"name":"mem","type":"SCALAR","scalar":{"value":%g},"allocation_info":{"role":"*"}}]`, cpus, mem)
	}
	taskInfo := func(id, cmd string, cpus, mem float64) string {
		return fmt.Sprintf(`{"name":%q,"task_id":{"value":%q},"agent_id":{"value":%q},"command":{"shell":true,"value":%q},"resources":%s}`, id, id, agentID, cmd, res(cpus, mem))
	}
	code, body := c.call(fmt.Sprintf(`{"type":"ACCEPT",%s,"accept":{"offer_ids":[{"value":%q}],"filters":{"refuse_seconds":1},"operations":[{"type":"LAUNCH","launch":{"task_infos":[%s,%s,%s]}}]}}`,
		fw, offerID, taskInfo("finish", "echo hello; echo err >&2", 0.1, 32), taskInfo("fail", "exit 3", 0.1, 32), taskInfo("forever", "while true; do sleep 1; done", 0.1, 32)), c.streamID)
	if code != 202 || body != "" {
		t.Fatalf("ACCEPT: %d %q", code, body)
	}
	seen := map[string][]string{}
	ack := func(ev map[string]any) {
		st := ev["update"].(map[string]any)["status"].(map[string]any)
		task := st["task_id"].(map[string]any)["value"].(string)
		seen[task] = append(seen[task], st["state"].(string))
		if u, ok := st["uuid"].(string); ok {
			code, _ := c.call(fmt.Sprintf(`{"type":"ACKNOWLEDGE",%s,"acknowledge":{"agent_id":{"value":%q},"task_id":{"value":%q},"uuid":%q}}`, fw, agentID, task, u), c.streamID)
			if code != 202 {
				t.Fatalf("ACKNOWLEDGE: %d", code)
			}
		}
	}
	for len(seen["finish"]) < 3 || len(seen["fail"]) < 3 || len(seen["forever"]) < 2 {
		ev, _ := c.next("UPDATE")
		ack(ev)
	}
	want := map[string]string{"finish": "TASK_STARTING TASK_RUNNING TASK_FINISHED", "fail": "TASK_STARTING TASK_RUNNING TASK_FAILED", "forever": "TASK_STARTING TASK_RUNNING"}
	for task, w := range want {
		if got := strings.Join(seen[task], " "); got != w {
			t.Errorf("%s: %s, want %s", task, got, w)
		}
	}
	// Explicit, then implicit reconciliation: master updates, no uuid.
	c.call(fmt.Sprintf(`{"type":"RECONCILE",%s,"reconcile":{"tasks":[{"task_id":{"value":"forever"},"agent_id":{"value":%q}}]}}`, fw, agentID), c.streamID)
	if ev, _ := c.next("UPDATE"); eventKey(ev) != "UPDATE TASK_RUNNING SOURCE_MASTER" {
		t.Fatalf("explicit reconcile: %v", ev)
	}
	c.call(fmt.Sprintf(`{"type":"RECONCILE",%s,"reconcile":{"tasks":[]}}`, fw), c.streamID)
	c.next("UPDATE")
	// Kill.
	c.call(fmt.Sprintf(`{"type":"KILL",%s,"kill":{"task_id":{"value":"forever"},"agent_id":{"value":%q}}}`, fw, agentID), c.streamID)
	for {
		ev, _ := c.next("UPDATE")
		ack(ev)
		if eventKey(ev) == "UPDATE TASK_KILLED SOURCE_EXECUTOR" {
			break
		}
	}
	// A launch bigger than the offer: TASK_ERROR from the master.
	c.call(fmt.Sprintf(`{"type":"REVIVE",%s}`, fw), c.streamID)
	offers, _ := c.next("OFFERS")
	o = offers["offers"].(map[string]any)["offers"].([]any)[0].(map[string]any)
	c.call(fmt.Sprintf(`{"type":"ACCEPT",%s,"accept":{"offer_ids":[{"value":%q}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[%s]}}]}}`,
		fw, o["id"].(map[string]any)["value"], taskInfo("too-big", "true", 1000, 32)), c.streamID)
	ev, _ := c.next("UPDATE")
	st := ev["update"].(map[string]any)["status"].(map[string]any)
	if st["state"] != "TASK_ERROR" || !strings.HasPrefix(st["message"].(string), "Total resources cpus(allocated: *):1000; mem(allocated: *):32 required by task and its executor is more than available cpus(allocated: *):4; mem(allocated: *):2048") {
		t.Fatalf("too big: %v", st)
	}
	// The 400s, with the texts of the real master.
	for _, l := range rec {
		if l.Dir != "reply" || l.Status != 400 {
			continue
		}
		var text string
		json.Unmarshal(l.Body, &text)
		var got int
		var gotText string
		switch {
		case strings.Contains(text, "stream ID"):
			got, gotText = c.call(fmt.Sprintf(`{"type":"REVIVE",%s}`, fw), "not-the-stream-id")
			text = strings.ReplaceAll(text, "5713145b-f46b-4fb1-9128-3ed41546de79-0000", c.fwID)
		case strings.Contains(text, "cannot be found"):
			got, gotText = c.call(`{"type":"REVIVE","framework_id":{"value":"no-such-framework"}}`, c.streamID)
		default:
			got, gotText = c.call(`{"type":"REVIVE"}`, "")
		}
		if got != 400 || gotText != text {
			t.Errorf("400: got %d %q, want %q", got, gotText, text)
		}
	}
	c.call(fmt.Sprintf(`{"type":"SUPPRESS",%s}`, fw), c.streamID)
	if code, _ := c.call(fmt.Sprintf(`{"type":"TEARDOWN",%s}`, fw), c.streamID); code != 202 {
		t.Fatalf("TEARDOWN: %d", code)
	}
	// Every kind of event the real master sent has the same fields here.
	for k, real := range realShapes {
		fake, ok := fakeShapes[k]
		if !ok {
			t.Errorf("the fake sent no %s event", k)
			continue
		}
		if missing, extra := diff(real, fake); len(missing)+len(extra) > 0 {
			t.Errorf("%s: fields missing %v, extra %v", k, missing, extra)
		}
	}
}

// diff lists the fields one shape has and the other lacks, ignoring what
// the fake does not model (master capabilities and pid, the offer's
// domain).
func diff(real, fake map[string]bool) (missing, extra []string) {
	ignore := func(p string) bool {
		return strings.Contains(p, "master_info.capabilities") || strings.HasSuffix(p, "master_info.pid") ||
			strings.Contains(p, "master_info.domain")
	}
	for p := range real {
		if !fake[p] && !ignore(p) {
			missing = append(missing, p)
		}
	}
	for p := range fake {
		if !real[p] && !ignore(p) {
			extra = append(extra, p)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return
}
