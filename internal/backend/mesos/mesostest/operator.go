package mesostest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/master"
)

// serveOperator is the master's operator API (POST /api/v1), GET_TASKS
// only: every task with the statuses the master holds of it (those its
// executor or agent sent, with their message and reason), live ones under
// tasks, those ended and acknowledged under completed_tasks, as the real
// master lists them.
func (m *Master) serveOperator(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "Expecting 'POST', received '"+r.Method+"'", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	protobuf := strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-protobuf")
	call := &master.Call{}
	if protobuf {
		err = call.Unmarshal(body)
	} else {
		err = json.Unmarshal(body, call)
	}
	if err != nil {
		http.Error(w, "Failed to parse body into Call: "+err.Error(), http.StatusBadRequest)
		return
	}
	if call.Type != master.Call_GET_TASKS {
		http.Error(w, "the fake master answers GET_TASKS only", http.StatusNotImplemented)
		return
	}
	tasks := &master.Response_GetTasks{}
	m.mu.Lock()
	for _, t := range m.tasks {
		if t.unknown {
			continue
		}
		state := t.state
		mt := mesos.Task{Name: t.info.Name, TaskID: mesos.TaskID{Value: t.id}, FrameworkID: mesos.FrameworkID{Value: t.framework},
			State: &state, Resources: t.info.Resources, Statuses: append([]mesos.TaskStatus(nil), t.statuses...)}
		if t.agent != nil {
			mt.AgentID = mesos.AgentID{Value: t.agent.id}
		}
		if terminal(t.state) && len(t.queue) == 0 {
			tasks.CompletedTasks = append(tasks.CompletedTasks, mt)
		} else {
			tasks.Tasks = append(tasks.Tasks, mt)
		}
	}
	m.mu.Unlock()
	resp := &master.Response{Type: master.Response_GET_TASKS, GetTasks: tasks}
	var out []byte
	if protobuf && r.Header.Get("Accept") != "application/json" {
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, err = resp.Marshal()
	} else {
		w.Header().Set("Content-Type", "application/json")
		out, err = json.Marshal(resp)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(out)
}
