package mesostest

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
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

	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/proctest"
)

// A custom executor's exchange with a real agent, as Borges' executor
// has it (testdata/executor-session.jsonl, recorded with
// go test ./internal/backend/mesos/mesostest -run TestRecordRealExecutor -record):
// the executor subscribes, gets its tasks as LAUNCH events, sends UPDATEs
// the agent acknowledges (ACKNOWLEDGED) and forwards to the framework,
// gets KILL, and SHUTDOWN when the framework is torn down; and the
// agent's /state entry of such an executor with its tasks.
// TestExecutorLikeReal holds the fake agent to it.

// envRecord makes this test binary a recording executor (recordExecutor)
// writing the exchange into the file it names.
const envRecord = "MESOSTEST_EXECUTOR_RECORD"

func TestMain(m *testing.M) {
	if file := os.Getenv(envRecord); file != "" {
		recordExecutor(file)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// recordExecutor is a minimal custom executor speaking JSON: RUNNING for
// each task it is given (then FINISHED for one named "quick"), KILLED
// when told to kill, exit on SHUTDOWN; each call, reply and event goes
// into file, one JSON object a line.
func recordExecutor(file string) {
	out, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		os.Exit(3)
	}
	defer out.Close()
	write := func(v map[string]any) {
		data, _ := json.Marshal(v)
		out.Write(append(data, '\n'))
	}
	url := "http://" + os.Getenv("MESOS_AGENT_ENDPOINT") + "/api/v1/executor"
	ids := fmt.Sprintf(`"framework_id":{"value":%q},"executor_id":{"value":%q}`, os.Getenv("MESOS_FRAMEWORK_ID"), os.Getenv("MESOS_EXECUTOR_ID"))
	env := map[string]any{}
	for _, k := range []string{"MESOS_FRAMEWORK_ID", "MESOS_EXECUTOR_ID", "MESOS_SANDBOX", "MESOS_DIRECTORY", "MESOS_AGENT_ENDPOINT",
		"MESOS_CHECKPOINT", "MESOS_RECOVERY_TIMEOUT", "MESOS_SUBSCRIPTION_BACKOFF_MAX", "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"} {
		if v, ok := os.LookupEnv(k); ok {
			env[k] = v
		}
	}
	write(map[string]any{"dir": "env", "body": env})
	post := func(body string) {
		var call any
		json.Unmarshal([]byte(body), &call)
		write(map[string]any{"dir": "call", "body": call})
		resp, err := http.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			write(map[string]any{"dir": "note", "note": err.Error()})
			return
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		write(map[string]any{"dir": "reply", "status": resp.StatusCode, "body": string(msg)})
	}
	update := func(task map[string]any, state string) {
		var u [16]byte
		rand.Read(u[:])
		u[6], u[8] = (u[6]&0x0f)|0x40, (u[8]&0x3f)|0x80
		tid, _ := json.Marshal(task["task_id"])
		post(fmt.Sprintf(`{"type":"UPDATE",%s,"update":{"status":{"task_id":%s,"state":%q,"source":"SOURCE_EXECUTOR","uuid":%q,"executor_id":{"value":%q},"timestamp":%d}}}`,
			ids, tid, state, base64.StdEncoding.EncodeToString(u[:]), os.Getenv("MESOS_EXECUTOR_ID"), time.Now().Unix()))
	}
	body := `{"type":"SUBSCRIBE",` + ids + `,"subscribe":{}}`
	var call any
	json.Unmarshal([]byte(body), &call)
	write(map[string]any{"dir": "call", "body": call})
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		write(map[string]any{"dir": "note", "note": err.Error()})
		return
	}
	defer resp.Body.Close()
	write(map[string]any{"dir": "reply", "status": resp.StatusCode, "headers": map[string]string{"Content-Type": resp.Header.Get("Content-Type")}})
	r := bufio.NewReader(resp.Body)
	tasks := map[string]map[string]any{}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		n, err := strconv.Atoi(strings.TrimSpace(line))
		if err != nil {
			return
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(r, buf); err != nil {
			return
		}
		var ev map[string]any
		json.Unmarshal(buf, &ev)
		write(map[string]any{"dir": "event", "recordio_length": n, "body": json.RawMessage(buf)})
		start := func(task map[string]any) {
			tasks[task["task_id"].(map[string]any)["value"].(string)] = task
			update(task, "TASK_RUNNING")
			if task["name"] == "quick" {
				update(task, "TASK_FINISHED")
			}
		}
		switch ev["type"] {
		case "LAUNCH":
			start(ev["launch"].(map[string]any)["task"].(map[string]any))
		case "LAUNCH_GROUP":
			for _, task := range ev["launch_group"].(map[string]any)["task_group"].(map[string]any)["tasks"].([]any) {
				start(task.(map[string]any))
			}
		case "KILL":
			id := ev["kill"].(map[string]any)["task_id"].(map[string]any)["value"].(string)
			if task := tasks[id]; task != nil {
				update(task, "TASK_KILLED")
			}
		case "SHUTDOWN":
			return
		}
	}
}

// executorSession runs the scenario against a master (real or fake):
// a framework launches "quick" (LAUNCH) then "long" and "long2" as one
// task group (LAUNCH_GROUP) onto one custom executor (this test binary,
// recording into file; it asks the least resources Mesos takes for an
// executor given task groups), reads the agent's /state, kills "long"
// and tears down. It returns the framework's UPDATE events and the
// agent's /state entry of the executor.
func executorSession(t *testing.T, masterURL string, agentURL func() string, file string) (updates []json.RawMessage, state map[string]any) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cl := subscribe(t, masterURL, fmt.Sprintf(partitionAwareSubscribe, "", ""))
	sub, _ := cl.next("SUBSCRIBED")
	cl.fwID = sub["subscribed"].(map[string]any)["framework_id"].(map[string]any)["value"].(string)
	fw := fmt.Sprintf(`"framework_id":{"value":%q}`, cl.fwID)
	scalar := func(name string, v float64) string {
		return fmt.Sprintf(`{"name":%q,"type":"SCALAR","scalar":{"value":%g},"allocation_info":{"role":"*"}}`, name, v)
	}
	executorInfo := fmt.Sprintf(`{"type":"CUSTOM","executor_id":{"value":"recorder"},%s,"name":"recorder","command":{"shell":false,"value":%q,"arguments":[%q],"environment":{"variables":[{"name":%q,"type":"VALUE","value":%q}]}},"resources":[%s,%s,%s]}`,
		fw, self, self, envRecord, file, scalar("cpus", 0.01), scalar("mem", 32), scalar("disk", 16))
	launch := func(names ...string) {
		offers, _ := cl.next("OFFERS")
		o := offers["offers"].(map[string]any)["offers"].([]any)[0].(map[string]any)
		agentID := o["agent_id"].(map[string]any)["value"].(string)
		var tasks []string
		for _, name := range names {
			executor := ""
			if len(names) == 1 {
				executor = `"executor":` + executorInfo + `,`
			}
			tasks = append(tasks, fmt.Sprintf(`{"name":%q,"task_id":{"value":%q},"agent_id":{"value":%q},%s"data":%q,"resources":[%s,%s]}`,
				name, name, agentID, executor, base64.StdEncoding.EncodeToString([]byte("the task's command")), scalar("cpus", 0.1), scalar("mem", 32)))
		}
		op := `{"type":"LAUNCH","launch":{"task_infos":[` + strings.Join(tasks, ",") + `]}}`
		if len(names) > 1 {
			op = `{"type":"LAUNCH_GROUP","launch_group":{"executor":` + executorInfo + `,"task_group":{"tasks":[` + strings.Join(tasks, ",") + `]}}}`
		}
		code, body := cl.call(fmt.Sprintf(`{"type":"ACCEPT",%s,"accept":{"offer_ids":[{"value":%q}],"operations":[%s],"filters":{"refuse_seconds":0.1}}}`,
			fw, o["id"].(map[string]any)["value"], op), cl.streamID)
		if code != 202 {
			t.Fatalf("ACCEPT: %d %s", code, body)
		}
	}
	until := func(want string) {
		for {
			ev, raw := cl.next("UPDATE")
			st := ev["update"].(map[string]any)["status"].(map[string]any)
			updates = append(updates, raw)
			if u, ok := st["uuid"].(string); ok {
				cl.call(fmt.Sprintf(`{"type":"ACKNOWLEDGE",%s,"acknowledge":{"agent_id":%s,"task_id":{"value":%q},"uuid":%q}}`,
					fw, mustJSON(st["agent_id"]), st["task_id"].(map[string]any)["value"], u), cl.streamID)
			}
			if st["task_id"].(map[string]any)["value"].(string)+" "+st["state"].(string) == want {
				return
			}
			if s := st["state"].(string); s == "TASK_FAILED" || s == "TASK_ERROR" || s == "TASK_LOST" {
				t.Fatalf("update: %s", raw)
			}
		}
	}
	launch("quick")
	until("quick TASK_FINISHED")
	launch("long", "long2")
	until("long2 TASK_RUNNING")
	resp, err := http.Get(agentURL() + "/state")
	if err != nil {
		t.Fatal(err)
	}
	var full map[string]any
	json.NewDecoder(resp.Body).Decode(&full)
	resp.Body.Close()
	for _, f := range asList(full["frameworks"]) {
		for _, e := range asList(f.(map[string]any)["executors"]) {
			if m := e.(map[string]any); m["id"] == "recorder" {
				state = m
			}
		}
	}
	if state == nil {
		t.Fatalf("no executor recorder in the agent's /state: %v", full)
	}
	cl.call(fmt.Sprintf(`{"type":"KILL",%s,"kill":{"task_id":{"value":"long"}}}`, fw), cl.streamID)
	until("long TASK_KILLED")
	cl.call(fmt.Sprintf(`{"type":"TEARDOWN",%s}`, fw), cl.streamID)
	deadline := proctest.WaitDeadline(t)
	for {
		data, _ := os.ReadFile(file)
		if bytes.Contains(data, []byte(`"type":"SHUTDOWN"`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the executor was not shut down; it recorded:\n%s", data)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return updates, state
}

// TestRecordRealExecutor records testdata/executor-session.jsonl (only
// with -record).
func TestRecordRealExecutor(t *testing.T) {
	if !*record {
		t.Skip("records from a real Mesos only with -record")
	}
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
	file := t.TempDir() + "/executor.jsonl"
	updates, state := executorSession(t, c.URL(), func() string { return c.AgentURL(0) }, file)
	exchange, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	out.Write(exchange)
	for _, u := range updates {
		fmt.Fprintf(&out, `{"dir":"framework-event","body":%s}`+"\n", u)
	}
	st, _ := json.Marshal(map[string]any{"dir": "agent-state-executor", "body": state})
	out.Write(append(st, '\n'))
	// Ids, paths and times change with each run.
	data := out.Bytes()
	for _, re := range []struct{ from, to string }{{c.URL(), "<master>"}, {strings.TrimPrefix(c.AgentURL(0), "http://"), "<agent-endpoint>"}} {
		data = bytes.ReplaceAll(data, []byte(re.from), []byte(re.to))
	}
	self, _ := os.Executable()
	data = bytes.ReplaceAll(data, []byte(self), []byte("<executor-binary>"))
	var sub struct {
		Update struct {
			Status struct {
				AgentID struct{ Value string } `json:"agent_id"`
			} `json:"status"`
		} `json:"update"`
	}
	if len(updates) > 0 {
		json.Unmarshal(updates[0], &sub)
		data = scrub(data, sub.Update.Status.AgentID.Value, strings.TrimSuffix(sub.Update.Status.AgentID.Value, "-S0")+"-0000")
	}
	if dir, _ := state["directory"].(string); strings.Contains(dir, "/slaves/") {
		workDir, _, _ := strings.Cut(dir, "/slaves/")
		data = bytes.ReplaceAll(data, []byte(workDir), []byte("<work_dir>"))
	}
	data = bytes.ReplaceAll(data, []byte(file), []byte("<record-file>"))
	if err := os.WriteFile("testdata/executor-session.jsonl", data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExecutorLikeReal: the fake agent runs a custom executor as the real
// one does (testdata/executor-session.jsonl): the same environment, the
// same events in the same order with the same fields, the same replies;
// the framework gets the same updates; /state lists the executor with its
// tasks the same way.
func TestExecutorLikeReal(t *testing.T) {
	recorded := loadTranscript(t, "executor-session.jsonl")
	m := New(Options{Agents: []AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Hour})
	defer m.Close()
	file := t.TempDir() + "/executor.jsonl"
	updates, state := executorSession(t, m.URL(), func() string { return m.AgentFilesURL(0) }, file)
	got := loadTranscriptFile(t, file)

	kinds := func(ls []line, framework bool) []string {
		var out []string
		for _, l := range ls {
			switch {
			case framework && l.Dir == "framework-event":
				var ev struct {
					Update struct {
						Status struct {
							TaskID struct{ Value string } `json:"task_id"`
							State  string                 `json:"state"`
						} `json:"status"`
					} `json:"update"`
				}
				json.Unmarshal(l.Body, &ev)
				out = append(out, ev.Update.Status.TaskID.Value+" "+ev.Update.Status.State)
			case !framework && l.Dir == "event":
				var ev struct{ Type string }
				json.Unmarshal(l.Body, &ev)
				out = append(out, "event "+ev.Type)
			case !framework && l.Dir == "reply":
				out = append(out, "reply "+strconv.Itoa(l.Status))
			case !framework && l.Dir == "call":
				var c struct{ Type string }
				json.Unmarshal(l.Body, &c)
				out = append(out, "call "+c.Type)
			}
		}
		return out
	}
	var gotFW []line
	for _, u := range updates {
		gotFW = append(gotFW, line{Dir: "framework-event", Body: u})
	}
	// The executor's side: the same calls, replies and events. An
	// ACKNOWLEDGED and the executor's next call cross on the wire: each
	// ACKNOWLEDGED is compared by count, the rest in order.
	order := func(ks []string) ([]string, int) {
		var out []string
		acks := 0
		for _, k := range ks {
			if k == "event ACKNOWLEDGED" {
				acks++
				continue
			}
			out = append(out, k)
		}
		return out, acks
	}
	wantSeq, wantAcks := order(kinds(recorded, false))
	gotSeq, gotAcks := order(kinds(got, false))
	if strings.Join(wantSeq, "\n") != strings.Join(gotSeq, "\n") || wantAcks != gotAcks {
		t.Errorf("the executor's exchange:\n%s\n(%d ACKNOWLEDGED)\nthe real agent's:\n%s\n(%d ACKNOWLEDGED)",
			strings.Join(gotSeq, "\n"), gotAcks, strings.Join(wantSeq, "\n"), wantAcks)
	}
	// A task's updates come in order; two tasks' may cross.
	sorted := func(ks []string) string {
		ks = append([]string(nil), ks...)
		sort.Strings(ks)
		return strings.Join(ks, ",")
	}
	if w, g := kinds(recorded, true), kinds(gotFW, true); sorted(w) != sorted(g) {
		t.Errorf("the framework's updates: %v; the real master's: %v", g, w)
	}
	// Each kind of message has the real one's fields.
	shapes := func(ls []line, dir string) map[string]map[string]bool {
		out := map[string]map[string]bool{}
		for _, l := range ls {
			if l.Dir != dir {
				continue
			}
			var v struct{ Type string }
			json.Unmarshal(l.Body, &v)
			key := v.Type
			if dir == "framework-event" {
				var ev struct {
					Update struct {
						Status struct {
							State string `json:"state"`
						} `json:"status"`
					} `json:"update"`
				}
				json.Unmarshal(l.Body, &ev)
				key = ev.Update.Status.State
			}
			if out[key] == nil {
				out[key] = map[string]bool{}
			}
			for p := range shapeOf(l.Body) {
				out[key][p] = true
			}
		}
		return out
	}
	for _, dir := range []string{"event", "framework-event"} {
		want := shapes(recorded, dir)
		gotShapes := shapes(got, dir)
		if dir == "framework-event" {
			gotShapes = shapes(gotFW, dir)
		}
		for key, fields := range gotShapes {
			missing, extra := diff(want[key], fields)
			missing = essential(missing)
			if len(missing)+len(extra) > 0 {
				t.Errorf("%s %s: fields missing %v, extra %v", dir, key, missing, extra)
			}
		}
	}
	// The environment the executor is given.
	var wantEnv, gotEnv map[string]any
	for _, l := range recorded {
		if l.Dir == "env" {
			json.Unmarshal(l.Body, &wantEnv)
		}
	}
	for _, l := range got {
		if l.Dir == "env" {
			json.Unmarshal(l.Body, &gotEnv)
		}
	}
	if keysOf(wantEnv) != keysOf(gotEnv) {
		t.Errorf("executor environment: %s; the real agent gives %s", keysOf(gotEnv), keysOf(wantEnv))
	}
	// /state: the executor with its tasks, as the real agent lists it.
	for _, l := range recorded {
		if l.Dir != "agent-state-executor" {
			continue
		}
		var real map[string]any
		json.Unmarshal(l.Body, &real)
		for _, k := range []string{"id", "directory", "tasks", "completed_tasks", "queued_tasks"} {
			if _, ok := real[k]; !ok {
				t.Fatalf("the recorded /state entry lacks %s", k)
			}
			if _, ok := state[k]; !ok {
				t.Errorf("the fake's /state entry of the executor lacks %s: %v", k, state)
			}
		}
		ids := func(v any) string {
			var out []string
			for _, x := range asList(v) {
				out = append(out, fmt.Sprint(x.(map[string]any)["id"]))
			}
			sort.Strings(out)
			return strings.Join(out, ",")
		}
		for _, k := range []string{"tasks", "completed_tasks", "queued_tasks"} {
			if ids(real[k]) != ids(state[k]) {
				t.Errorf("/state %s: %s; the real agent lists %s", k, ids(state[k]), ids(real[k]))
			}
		}
	}
}

// essential drops from missing fields what the fake need not give
// (values the real agent adds about itself and its container).
func essential(missing []string) []string {
	var out []string
	for _, p := range missing {
		switch {
		case strings.Contains(p, "agent_info.") && !strings.HasSuffix(p, "agent_info.id.value") && !strings.HasSuffix(p, "agent_info.hostname"),
			strings.Contains(p, "framework_info."),
			strings.Contains(p, "container_status"),
			strings.Contains(p, "executor_info.resources"),
			strings.HasSuffix(p, ".labels"), strings.Contains(p, ".labels."):
			continue
		}
		out = append(out, p)
	}
	return out
}

func keysOf(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func loadTranscriptFile(t *testing.T, path string) []line {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []line
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var x line
		if err := json.Unmarshal(l, &x); err != nil {
			t.Fatal(err)
		}
		out = append(out, x)
	}
	return out
}
